/** Namespace URIs of STIX 1.x / CybOX 2.x / data-marking that the converter dispatches on (never on prefixes). */
export const NS = {
  stix: 'http://stix.mitre.org/stix-1',
  stixCommon: 'http://stix.mitre.org/common-1',
  stixVocabs: 'http://stix.mitre.org/default_vocabularies-1',
  indicator: 'http://stix.mitre.org/Indicator-2',
  ttp: 'http://stix.mitre.org/TTP-1',
  incident: 'http://stix.mitre.org/Incident-1',
  threatActor: 'http://stix.mitre.org/ThreatActor-1',
  campaign: 'http://stix.mitre.org/Campaign-1',
  coa: 'http://stix.mitre.org/CourseOfAction-1',
  exploitTarget: 'http://stix.mitre.org/ExploitTarget-1',
  report: 'http://stix.mitre.org/Report-1',
  cybox: 'http://cybox.mitre.org/cybox-2',
  cyboxCommon: 'http://cybox.mitre.org/common-2',
  cyboxVocabs: 'http://cybox.mitre.org/default_vocabularies-2',
  marking: 'http://data-marking.mitre.org/Marking-1',
  tlp: 'http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1',
  termsOfUse: 'http://data-marking.mitre.org/extensions/MarkingStructure#Terms_Of_Use-1',
  simple: 'http://data-marking.mitre.org/extensions/MarkingStructure#Simple-1',
  snort: 'http://stix.mitre.org/extensions/TestMechanism#Snort-1',
  yara: 'http://stix.mitre.org/extensions/TestMechanism#YARA-1',
  openiocTm: 'http://stix.mitre.org/extensions/TestMechanism#OpenIOC2010-1',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

/** Every CybOX object namespace starts with this (`...#FileObject-2`, `...#AddressObject-2`). */
export const CYBOX_OBJECTS_NS_PREFIX = 'http://cybox.mitre.org/objects#';

/** AIS marking structures (versions 1 and 2) live under this namespace family. */
export const AIS_NS_PREFIX = 'http://www.us-cert.gov/STIXMarkingStructure#AISConsentMarking';

/** CybOX object namespaces by object name, for the exporter. */
export const CYBOX_OBJECT_NS = {
  AddressObj: 'http://cybox.mitre.org/objects#AddressObject-2',
  DomainNameObj: 'http://cybox.mitre.org/objects#DomainNameObject-1',
  URIObj: 'http://cybox.mitre.org/objects#URIObject-2',
  FileObj: 'http://cybox.mitre.org/objects#FileObject-2',
  EmailMessageObj: 'http://cybox.mitre.org/objects#EmailMessageObject-2',
  MutexObj: 'http://cybox.mitre.org/objects#MutexObject-2',
  WinRegistryKeyObj: 'http://cybox.mitre.org/objects#WinRegistryKeyObject-2',
  NetworkConnectionObj: 'http://cybox.mitre.org/objects#NetworkConnectionObject-2',
  SocketAddressObj: 'http://cybox.mitre.org/objects#SocketAddressObject-1',
  PortObj: 'http://cybox.mitre.org/objects#PortObject-2',
  ASObj: 'http://cybox.mitre.org/objects#ASObject-1',
  HostnameObj: 'http://cybox.mitre.org/objects#HostnameObject-1',
  ProcessObj: 'http://cybox.mitre.org/objects#ProcessObject-2',
  WinServiceObj: 'http://cybox.mitre.org/objects#WinServiceObject-2',
  UserAccountObj: 'http://cybox.mitre.org/objects#UserAccountObject-2',
  X509CertificateObj: 'http://cybox.mitre.org/objects#X509CertificateObject-2',
  ArtifactObj: 'http://cybox.mitre.org/objects#ArtifactObject-2',
  HTTPSessionObj: 'http://cybox.mitre.org/objects#HTTPSessionObject-2',
  WinExecutableFileObj: 'http://cybox.mitre.org/objects#WinExecutableFileObject-2',
} as const;
