/* eslint-disable */
/**
 * GENERATED from schemas/stix/ by scripts/generate-stix-types.ts. Do not edit by hand:
 * change the schemas and run `npx tsx scripts/generate-stix-types.ts`.
 */

/**
 * Any STIX 2.1 object this project has a schema for, discriminated on `type`.
 */
export type StixObject =
  | ExtensionDefinition
  | LanguageContent
  | MarkingDefinition
  | Artifact
  | AutonomousSystem
  | Directory
  | DomainName
  | EmailAddr
  | EmailMessage
  | File
  | Ipv4Addr
  | Ipv6Addr
  | MacAddr
  | Mutex
  | NetworkTraffic
  | Process
  | Software
  | Url
  | UserAccount
  | WindowsRegistryKey
  | X509Certificate
  | AttackPattern
  | Campaign
  | CourseOfAction
  | Grouping
  | Identity
  | Incident
  | Indicator
  | Infrastructure
  | IntrusionSet
  | Location
  | MalwareAnalysis
  | Malware
  | Note
  | ObservedData
  | Opinion
  | Report
  | ThreatActor
  | Tool
  | Vulnerability
  | Relationship
  | Sighting;
/**
 * An RFC 3339 timestamp in UTC (upper-case T and Z), 0 to 9 fractional-second digits.
 */
export type Timestamp = string;
/**
 * Classifications of this object.
 *
 * @minItems 1
 */
export type Labels = string[];
/**
 * References to non-STIX information.
 *
 * @minItems 1
 */
export type ExternalReferences = ExternalReference[];
/**
 * Marking definitions that apply to this object.
 *
 * @minItems 1
 */
export type ObjectMarkingRefs = string[];
/**
 * Markings of parts of this object.
 *
 * @minItems 1
 */
export type GranularMarkings = GranularMarking[];
/**
 * A STIX identifier: `<object type>--<lower-case RFC 4122 UUID>`.
 */
export type Identifier = string;

/**
 * The definition of a STIX extension (new object types or new properties).
 */
export interface ExtensionDefinition {
  type: 'extension-definition';
  id: string;
  /**
   * The STIX version of this object: 2.1.
   */
  spec_version: '2.1';
  /**
   * The identity that created this object.
   */
  created_by_ref: string;
  created: Timestamp;
  modified: Timestamp;
  /**
   * True when the object is revoked and should not be used.
   */
  revoked?: boolean;
  labels?: Labels;
  external_references?: ExternalReferences;
  object_marking_refs?: ObjectMarkingRefs;
  granular_markings?: GranularMarkings;
  name: string;
  description?: string;
  /**
   * The extension schema: a URL or the schema text.
   */
  schema: string;
  version: string;
  /**
   * @minItems 1
   */
  extension_types: ('new-sdo' | 'new-sco' | 'new-sro' | 'property-extension' | 'toplevel-property-extension')[];
  /**
   * @minItems 1
   */
  extension_properties?: string[];
  [k: string]: unknown | undefined;
}
export interface ExternalReference {
  /**
   * The name of the source the reference points into.
   */
  source_name: string;
  description?: string;
  url?: string;
  hashes?: Hashes;
  /**
   * An identifier of the referenced content in the external system.
   */
  external_id?: string;
}
/**
 * Hash algorithm name (hash-algorithm-ov or a custom name of 3 to 250 characters) to hash value. Known algorithms are checked for length and hex digits.
 */
export interface Hashes {
  MD5?: string;
  'SHA-1'?: string;
  'SHA-256'?: string;
  'SHA-512'?: string;
  'SHA3-256'?: string;
  'SHA3-512'?: string;
  SSDEEP?: string;
  TLSH?: string;
  [k: string]: string | undefined;
}
export interface GranularMarking {
  /**
   * An RFC 5646 language code.
   */
  lang?: string;
  /**
   * The marking definition that applies to the selected content.
   */
  marking_ref?: string;
  /**
   * Selectors of the content of this object the marking applies to.
   *
   * @minItems 1
   */
  selectors: string[];
}
/**
 * Translations of the text properties of another object.
 */
export interface LanguageContent extends VersionedCommon {
  type: 'language-content';
  id: string;
  object_ref: Identifier;
  object_modified?: Timestamp;
  /**
   * Language code to a dictionary of translated properties.
   */
  contents: {
    [k: string]:
      | {
          [k: string]: unknown | undefined;
        }
      | undefined;
  };
  [k: string]: unknown | undefined;
}
/**
 * The common properties of versioned objects: SDOs, SROs and language contents (STIX 2.1 §3.2).
 */
export interface VersionedCommon {
  /**
   * The STIX version of this object: 2.1.
   */
  spec_version: '2.1';
  /**
   * The identity that created this object.
   */
  created_by_ref?: string;
  created: Timestamp;
  modified: Timestamp;
  /**
   * True when the object is revoked and should not be used.
   */
  revoked?: boolean;
  labels?: Labels;
  /**
   * Confidence of the creator in the correctness of the data, 0 to 100.
   */
  confidence?: number;
  external_references?: ExternalReferences;
  object_marking_refs?: ObjectMarkingRefs;
  granular_markings?: GranularMarkings;
  extensions?: Extensions;
  [k: string]: unknown | undefined;
}
/**
 * The extensions of an object: extension-definition id (or a legacy custom `x-` name) to the extension content.
 */
export interface Extensions {
  [k: string]: Extension | undefined;
}
export interface Extension {
  extension_type?: 'new-sdo' | 'new-sco' | 'new-sro' | 'property-extension' | 'toplevel-property-extension';
  [k: string]: unknown | undefined;
}
/**
 * A marking: a statement, TLP 1.0 (definition_type tlp) or TLP 2.0 (the FIRST property extension).
 */
export interface MarkingDefinition {
  type: 'marking-definition';
  id: string;
  /**
   * The STIX version of this object: 2.1.
   */
  spec_version: '2.1';
  /**
   * The identity that created this object.
   */
  created_by_ref?: string;
  created: Timestamp;
  external_references?: ExternalReferences;
  object_marking_refs?: ObjectMarkingRefs;
  granular_markings?: GranularMarkings;
  extensions?: MarkingExtensions;
  name?: string;
  /**
   * Open vocabulary marking-definition-type (statement, tlp).
   */
  definition_type?: string;
  /**
   * The marking itself; its shape depends on definition_type.
   */
  definition?: {
    [k: string]: unknown | undefined;
  };
  [k: string]: unknown | undefined;
}
export interface MarkingExtensions {
  'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d'?: Tlp2Extension;
  [k: string]: unknown | undefined;
}
export interface Tlp2Extension {
  extension_type: 'property-extension';
  tlp_2_0: 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';
}
/**
 * An array of bytes, as a base64 payload or a URL to it.
 */
export interface Artifact extends ScoCommon {
  type: 'artifact';
  id: string;
  extensions?: Extensions;
  mime_type?: string;
  payload_bin?: string;
  url?: string;
  hashes?: Hashes;
  encryption_algorithm?: 'AES-256-GCM' | 'ChaCha20-Poly1305' | 'mime-type-indicated';
  decryption_key?: string;
  [k: string]: unknown | undefined;
}
/**
 * The common properties of SCOs (STIX 2.1 §3.2).
 */
export interface ScoCommon {
  /**
   * The STIX version of this object: 2.1.
   */
  spec_version?: '2.1';
  object_marking_refs?: ObjectMarkingRefs;
  granular_markings?: GranularMarkings;
  /**
   * True when the values of this observable were defanged.
   */
  defanged?: boolean;
  [k: string]: unknown | undefined;
}
/**
 * An autonomous system (AS).
 */
export interface AutonomousSystem extends ScoCommon {
  type: 'autonomous-system';
  id: string;
  extensions?: Extensions;
  /**
   * The AS number.
   */
  number: number;
  name?: string;
  rir?: string;
  [k: string]: unknown | undefined;
}
/**
 * A file system directory.
 */
export interface Directory extends ScoCommon {
  type: 'directory';
  id: string;
  extensions?: Extensions;
  path: string;
  path_enc?: string;
  ctime?: Timestamp;
  mtime?: Timestamp;
  atime?: Timestamp;
  /**
   * @minItems 1
   */
  contains_refs?: string[];
  [k: string]: unknown | undefined;
}
/**
 * A network domain name.
 */
export interface DomainName extends ScoCommon {
  type: 'domain-name';
  id: string;
  extensions?: Extensions;
  value: string;
  /**
   * @minItems 1
   */
  resolves_to_refs?: string[];
  [k: string]: unknown | undefined;
}
/**
 * An email address.
 */
export interface EmailAddr extends ScoCommon {
  type: 'email-addr';
  id: string;
  extensions?: Extensions;
  value: string;
  display_name?: string;
  belongs_to_ref?: string;
  [k: string]: unknown | undefined;
}
/**
 * An email message.
 */
export interface EmailMessage extends ScoCommon {
  type: 'email-message';
  id: string;
  extensions?: Extensions;
  is_multipart: boolean;
  date?: Timestamp;
  content_type?: string;
  from_ref?: string;
  sender_ref?: string;
  /**
   * @minItems 1
   */
  to_refs?: string[];
  /**
   * @minItems 1
   */
  cc_refs?: string[];
  /**
   * @minItems 1
   */
  bcc_refs?: string[];
  message_id?: string;
  subject?: string;
  /**
   * @minItems 1
   */
  received_lines?: string[];
  additional_header_fields?: Dictionary;
  body?: string;
  /**
   * @minItems 1
   */
  body_multipart?: EmailMimePart[];
  raw_email_ref?: string;
  [k: string]: unknown | undefined;
}
/**
 * A STIX dictionary: keys of at most 250 characters.
 */
export interface Dictionary {
  [k: string]: unknown | undefined;
}
export interface EmailMimePart {
  body?: string;
  body_raw_ref?: string;
  content_type?: string;
  content_disposition?: string;
  [k: string]: unknown | undefined;
}
/**
 * A file.
 */
export interface File extends ScoCommon {
  type: 'file';
  id: string;
  extensions?: FileExtensions;
  hashes?: Hashes;
  size?: number;
  name?: string;
  name_enc?: string;
  magic_number_hex?: string;
  mime_type?: string;
  ctime?: Timestamp;
  mtime?: Timestamp;
  atime?: Timestamp;
  parent_directory_ref?: string;
  /**
   * @minItems 1
   */
  contains_refs?: Identifier[];
  content_ref?: string;
  [k: string]: unknown | undefined;
}
export interface FileExtensions {
  'archive-ext'?: ArchiveExt;
  'ntfs-ext'?: NtfsExt;
  'pdf-ext'?: PdfExt;
  'raster-image-ext'?: RasterImageExt;
  'windows-pebinary-ext'?: WindowsPebinaryExt;
  [k: string]: unknown | undefined;
}
export interface ArchiveExt {
  /**
   * @minItems 1
   */
  contains_refs: string[];
  comment?: string;
  [k: string]: unknown | undefined;
}
export interface NtfsExt {
  sid?: string;
  /**
   * @minItems 1
   */
  alternate_data_streams?: NtfsAlternateDataStream[];
  [k: string]: unknown | undefined;
}
export interface NtfsAlternateDataStream {
  name: string;
  hashes?: Hashes;
  size?: number;
  [k: string]: unknown | undefined;
}
export interface PdfExt {
  version?: string;
  is_optimized?: boolean;
  document_info_dict?: Dictionary;
  pdfid0?: string;
  pdfid1?: string;
  [k: string]: unknown | undefined;
}
export interface RasterImageExt {
  image_height?: number;
  image_width?: number;
  bits_per_pixel?: number;
  exif_tags?: Dictionary;
  [k: string]: unknown | undefined;
}
export interface WindowsPebinaryExt {
  /**
   * Open vocabulary windows-pebinary-type-ov.
   */
  pe_type: string;
  imphash?: string;
  machine_hex?: string;
  number_of_sections?: number;
  time_date_stamp?: Timestamp;
  pointer_to_symbol_table_hex?: string;
  number_of_symbols?: number;
  size_of_optional_header?: number;
  characteristics_hex?: string;
  file_header_hashes?: Hashes;
  optional_header?: WindowsPeOptionalHeader;
  /**
   * @minItems 1
   */
  sections?: WindowsPeSection[];
  [k: string]: unknown | undefined;
}
export interface WindowsPeOptionalHeader {
  magic_hex?: string;
  major_linker_version?: number;
  minor_linker_version?: number;
  size_of_code?: number;
  size_of_initialized_data?: number;
  size_of_uninitialized_data?: number;
  address_of_entry_point?: number;
  base_of_code?: number;
  base_of_data?: number;
  image_base?: number;
  section_alignment?: number;
  file_alignment?: number;
  major_os_version?: number;
  minor_os_version?: number;
  major_image_version?: number;
  minor_image_version?: number;
  major_subsystem_version?: number;
  minor_subsystem_version?: number;
  size_of_image?: number;
  size_of_headers?: number;
  size_of_stack_reserve?: number;
  size_of_stack_commit?: number;
  size_of_heap_reserve?: number;
  size_of_heap_commit?: number;
  number_of_rva_and_sizes?: number;
  win32_version_value_hex?: string;
  checksum_hex?: string;
  subsystem_hex?: string;
  dll_characteristics_hex?: string;
  loader_flags_hex?: string;
  hashes?: Hashes;
  [k: string]: unknown | undefined;
}
export interface WindowsPeSection {
  name: string;
  size?: number;
  entropy?: number;
  hashes?: Hashes;
  [k: string]: unknown | undefined;
}
/**
 * One or more IPv4 addresses (CIDR allowed).
 */
export interface Ipv4Addr extends IpAddrCommon {
  type: 'ipv4-addr';
  [k: string]: unknown | undefined;
}
/**
 * The properties of ipv4-addr and ipv6-addr but their type (STIX 2.1 §6.4, §6.5), defined alike.
 */
export interface IpAddrCommon extends ScoCommon {
  id: string;
  extensions?: Extensions;
  value: string;
  /**
   * @minItems 1
   */
  resolves_to_refs?: string[];
  /**
   * @minItems 1
   */
  belongs_to_refs?: string[];
  [k: string]: unknown | undefined;
}
/**
 * One or more IPv6 addresses (CIDR allowed).
 */
export interface Ipv6Addr extends IpAddrCommon {
  type: 'ipv6-addr';
  [k: string]: unknown | undefined;
}
/**
 * A MAC address: colon-separated lower-case hex octets.
 */
export interface MacAddr extends ScoCommon {
  type: 'mac-addr';
  id: string;
  extensions?: Extensions;
  value: string;
  [k: string]: unknown | undefined;
}
/**
 * A mutual exclusion object.
 */
export interface Mutex extends ScoCommon {
  type: 'mutex';
  id: string;
  extensions?: Extensions;
  name: string;
  [k: string]: unknown | undefined;
}
/**
 * Network traffic from a source to a destination.
 */
export interface NetworkTraffic extends ScoCommon {
  type: 'network-traffic';
  id: string;
  extensions?: NetworkTrafficExtensions;
  start?: Timestamp;
  end?: Timestamp;
  is_active?: boolean;
  src_ref?: string;
  dst_ref?: string;
  src_port?: number;
  dst_port?: number;
  /**
   * @minItems 1
   */
  protocols: string[];
  src_byte_count?: number;
  dst_byte_count?: number;
  src_packets?: number;
  dst_packets?: number;
  ipfix?: Dictionary;
  src_payload_ref?: string;
  dst_payload_ref?: string;
  /**
   * @minItems 1
   */
  encapsulates_refs?: string[];
  encapsulated_by_ref?: string;
  [k: string]: unknown | undefined;
}
export interface NetworkTrafficExtensions {
  'http-request-ext'?: HttpRequestExt;
  'icmp-ext'?: IcmpExt;
  'socket-ext'?: SocketExt;
  'tcp-ext'?: TcpExt;
  [k: string]: unknown | undefined;
}
export interface HttpRequestExt {
  request_method: string;
  request_value: string;
  request_version?: string;
  request_header?: Dictionary;
  message_body_length?: number;
  message_body_data_ref?: string;
  [k: string]: unknown | undefined;
}
export interface IcmpExt {
  icmp_type_hex: string;
  icmp_code_hex: string;
  [k: string]: unknown | undefined;
}
export interface SocketExt {
  address_family:
    'AF_UNSPEC' | 'AF_INET' | 'AF_IPX' | 'AF_APPLETALK' | 'AF_NETBIOS' | 'AF_INET6' | 'AF_IRDA' | 'AF_BTH';
  is_blocking?: boolean;
  is_listening?: boolean;
  options?: Dictionary;
  socket_type?: 'SOCK_STREAM' | 'SOCK_DGRAM' | 'SOCK_RAW' | 'SOCK_RDM' | 'SOCK_SEQPACKET';
  socket_descriptor?: number;
  socket_handle?: number;
  [k: string]: unknown | undefined;
}
export interface TcpExt {
  src_flags_hex?: string;
  dst_flags_hex?: string;
  [k: string]: unknown | undefined;
}
/**
 * An instance of a program executed on an operating system.
 */
export interface Process extends ScoCommon {
  type: 'process';
  id: string;
  extensions?: ProcessExtensions;
  is_hidden?: boolean;
  pid?: number;
  created_time?: Timestamp;
  cwd?: string;
  command_line?: string;
  environment_variables?: Dictionary;
  /**
   * @minItems 1
   */
  opened_connection_refs?: string[];
  creator_user_ref?: string;
  image_ref?: string;
  parent_ref?: string;
  /**
   * @minItems 1
   */
  child_refs?: string[];
  [k: string]: unknown | undefined;
}
export interface ProcessExtensions {
  'windows-process-ext'?: WindowsProcessExt;
  'windows-service-ext'?: WindowsServiceExt;
  [k: string]: unknown | undefined;
}
export interface WindowsProcessExt {
  aslr_enabled?: boolean;
  dep_enabled?: boolean;
  priority?: string;
  owner_sid?: string;
  window_title?: string;
  startup_info?: Dictionary;
  integrity_level?: 'low' | 'medium' | 'high' | 'system';
  [k: string]: unknown | undefined;
}
export interface WindowsServiceExt {
  service_name?: string;
  /**
   * @minItems 1
   */
  descriptions?: string[];
  display_name?: string;
  group_name?: string;
  start_type?:
    'SERVICE_AUTO_START' | 'SERVICE_BOOT_START' | 'SERVICE_DEMAND_START' | 'SERVICE_DISABLED' | 'SERVICE_SYSTEM_ALERT';
  /**
   * @minItems 1
   */
  service_dll_refs?: string[];
  service_type?:
    | 'SERVICE_KERNEL_DRIVER'
    | 'SERVICE_FILE_SYSTEM_DRIVER'
    | 'SERVICE_WIN32_OWN_PROCESS'
    | 'SERVICE_WIN32_SHARE_PROCESS';
  service_status?:
    | 'SERVICE_CONTINUE_PENDING'
    | 'SERVICE_PAUSE_PENDING'
    | 'SERVICE_PAUSED'
    | 'SERVICE_RUNNING'
    | 'SERVICE_START_PENDING'
    | 'SERVICE_STOP_PENDING'
    | 'SERVICE_STOPPED';
  [k: string]: unknown | undefined;
}
/**
 * A software product.
 */
export interface Software extends ScoCommon {
  type: 'software';
  id: string;
  extensions?: Extensions;
  name: string;
  cpe?: string;
  swid?: string;
  /**
   * @minItems 1
   */
  languages?: string[];
  vendor?: string;
  version?: string;
  [k: string]: unknown | undefined;
}
/**
 * A uniform resource locator.
 */
export interface Url extends ScoCommon {
  type: 'url';
  id: string;
  extensions?: Extensions;
  value: string;
  [k: string]: unknown | undefined;
}
/**
 * A user account on a system, device or service.
 */
export interface UserAccount extends ScoCommon {
  type: 'user-account';
  id: string;
  extensions?: UserAccountExtensions;
  user_id?: string;
  credential?: string;
  account_login?: string;
  /**
   * Open vocabulary account-type-ov.
   */
  account_type?: string;
  display_name?: string;
  is_service_account?: boolean;
  is_privileged?: boolean;
  can_escalate_privs?: boolean;
  is_disabled?: boolean;
  account_created?: Timestamp;
  account_expires?: Timestamp;
  credential_last_changed?: Timestamp;
  account_first_login?: Timestamp;
  account_last_login?: Timestamp;
  [k: string]: unknown | undefined;
}
export interface UserAccountExtensions {
  'unix-account-ext'?: UnixAccountExt;
  [k: string]: unknown | undefined;
}
export interface UnixAccountExt {
  gid?: number;
  /**
   * @minItems 1
   */
  groups?: string[];
  home_dir?: string;
  shell?: string;
  [k: string]: unknown | undefined;
}
/**
 * A Windows registry key.
 */
export interface WindowsRegistryKey extends ScoCommon {
  type: 'windows-registry-key';
  id: string;
  extensions?: Extensions;
  /**
   * The full registry key, including the hive.
   */
  key?: string;
  /**
   * @minItems 1
   */
  values?: WindowsRegistryValue[];
  modified_time?: Timestamp;
  creator_user_ref?: string;
  number_of_subkeys?: number;
  [k: string]: unknown | undefined;
}
export interface WindowsRegistryValue {
  name: string;
  data?: string;
  data_type?:
    | 'REG_NONE'
    | 'REG_SZ'
    | 'REG_EXPAND_SZ'
    | 'REG_BINARY'
    | 'REG_DWORD'
    | 'REG_DWORD_BIG_ENDIAN'
    | 'REG_DWORD_LITTLE_ENDIAN'
    | 'REG_LINK'
    | 'REG_MULTI_SZ'
    | 'REG_RESOURCE_LIST'
    | 'REG_FULL_RESOURCE_DESCRIPTION'
    | 'REG_RESOURCE_REQUIREMENTS_LIST'
    | 'REG_QWORD'
    | 'REG_INVALID_TYPE';
  [k: string]: unknown | undefined;
}
/**
 * An X.509 certificate.
 */
export interface X509Certificate extends ScoCommon {
  type: 'x509-certificate';
  id: string;
  extensions?: Extensions;
  is_self_signed?: boolean;
  hashes?: Hashes;
  version?: string;
  serial_number?: string;
  signature_algorithm?: string;
  issuer?: string;
  validity_not_before?: Timestamp;
  validity_not_after?: Timestamp;
  subject?: string;
  subject_public_key_algorithm?: string;
  subject_public_key_modulus?: string;
  subject_public_key_exponent?: number;
  x509_v3_extensions?: X509V3Extensions;
  [k: string]: unknown | undefined;
}
export interface X509V3Extensions {
  basic_constraints?: string;
  name_constraints?: string;
  policy_constraints?: string;
  key_usage?: string;
  extended_key_usage?: string;
  subject_key_identifier?: string;
  authority_key_identifier?: string;
  subject_alternative_name?: string;
  issuer_alternative_name?: string;
  subject_directory_attributes?: string;
  crl_distribution_points?: string;
  inhibit_any_policy?: string;
  private_key_usage_period_not_before?: Timestamp;
  private_key_usage_period_not_after?: Timestamp;
  certificate_policies?: string;
  policy_mappings?: string;
  [k: string]: unknown | undefined;
}
/**
 * A type of TTP that describes ways adversaries attempt to compromise targets.
 */
export interface AttackPattern extends SdoSroCommon {
  type: 'attack-pattern';
  id: string;
  name: string;
  description?: string;
  /**
   * @minItems 1
   */
  aliases?: string[];
  /**
   * Kill chain phases.
   *
   * @minItems 1
   */
  kill_chain_phases?: KillChainPhase[];
  [k: string]: unknown | undefined;
}
export interface KillChainPhase {
  /**
   * The name of the kill chain (lower case, hyphens for spaces).
   */
  kill_chain_name: string;
  /**
   * The name of the phase in the kill chain (lower case, hyphens for spaces).
   */
  phase_name: string;
}
/**
 * The common properties of SDOs and SROs (STIX 2.1 §3.2).
 */
export interface SdoSroCommon extends VersionedCommon {
  /**
   * An RFC 5646 language code.
   */
  lang?: string;
  [k: string]: unknown | undefined;
}
/**
 * A grouping of adversarial behaviours over time against a set of targets.
 */
export interface Campaign extends NamedActivityCommon {
  type: 'campaign';
  objective?: string;
  [k: string]: unknown | undefined;
}
/**
 * A name, its aliases and when it was seen, as campaign, infrastructure, intrusion-set and threat-actor define them alike (STIX 2.1 §4).
 */
export interface NamedActivityCommon extends SdoSroCommon {
  id: string;
  name: string;
  description?: string;
  /**
   * @minItems 1
   */
  aliases?: string[];
  first_seen?: Timestamp;
  last_seen?: Timestamp;
  [k: string]: unknown | undefined;
}
/**
 * A recommendation to prevent or respond to an attack.
 */
export interface CourseOfAction extends SdoSroCommon {
  type: 'course-of-action';
  id: string;
  name: string;
  description?: string;
  [k: string]: unknown | undefined;
}
/**
 * A set of STIX content explicitly asserted to share context.
 */
export interface Grouping extends SdoSroCommon {
  type: 'grouping';
  id: string;
  name?: string;
  description?: string;
  /**
   * Open vocabulary grouping-context-ov.
   */
  context: string;
  /**
   * @minItems 1
   */
  object_refs: Identifier[];
  [k: string]: unknown | undefined;
}
/**
 * An individual, organization, group, class of them, or a system.
 */
export interface Identity extends SdoSroCommon {
  type: 'identity';
  id: string;
  name: string;
  description?: string;
  /**
   * @minItems 1
   */
  roles?: string[];
  /**
   * Open vocabulary identity-class-ov.
   */
  identity_class?: string;
  /**
   * Open vocabulary industry-sector-ov.
   *
   * @minItems 1
   */
  sectors?: string[];
  contact_information?: string;
  [k: string]: unknown | undefined;
}
/**
 * A stub object for a security incident.
 */
export interface Incident extends SdoSroCommon {
  type: 'incident';
  id: string;
  name: string;
  description?: string;
  /**
   * Kill chain phases.
   *
   * @minItems 1
   */
  kill_chain_phases?: KillChainPhase[];
  [k: string]: unknown | undefined;
}
/**
 * A pattern that can be used to detect suspicious or malicious activity.
 */
export interface Indicator extends SdoSroCommon {
  type: 'indicator';
  id: string;
  name?: string;
  description?: string;
  /**
   * Open vocabulary indicator-type-ov.
   *
   * @minItems 1
   */
  indicator_types?: string[];
  /**
   * The detection pattern, in the language named by pattern_type.
   */
  pattern: string;
  /**
   * The pattern language. Open vocabulary pattern-type-ov.
   */
  pattern_type: string;
  pattern_version?: string;
  valid_from: Timestamp;
  valid_until?: Timestamp;
  /**
   * Kill chain phases.
   *
   * @minItems 1
   */
  kill_chain_phases?: KillChainPhase[];
  [k: string]: unknown | undefined;
}
/**
 * Systems, software services and associated resources used by an adversary or a defender.
 */
export interface Infrastructure extends NamedActivityCommon {
  type: 'infrastructure';
  /**
   * Open vocabulary infrastructure-type-ov.
   *
   * @minItems 1
   */
  infrastructure_types?: string[];
  /**
   * Kill chain phases.
   *
   * @minItems 1
   */
  kill_chain_phases?: KillChainPhase[];
  [k: string]: unknown | undefined;
}
/**
 * A grouped set of adversarial behaviours and resources believed to be orchestrated by one organization.
 */
export interface IntrusionSet extends NamedActivityCommon {
  type: 'intrusion-set';
  /**
   * @minItems 1
   */
  goals?: string[];
  /**
   * Open vocabulary attack-resource-level-ov.
   */
  resource_level?: string;
  /**
   * Open vocabulary attack-motivation-ov.
   */
  primary_motivation?: string;
  /**
   * Open vocabulary attack-motivation-ov.
   *
   * @minItems 1
   */
  secondary_motivations?: string[];
  [k: string]: unknown | undefined;
}
/**
 * A geographic location.
 */
export interface Location extends SdoSroCommon {
  type: 'location';
  id: string;
  name?: string;
  description?: string;
  latitude?: number;
  longitude?: number;
  /**
   * Precision of the coordinates, in metres.
   */
  precision?: number;
  /**
   * Open vocabulary region-ov.
   */
  region?: string;
  /**
   * An ISO 3166-1 ALPHA-2 country code.
   */
  country?: string;
  administrative_area?: string;
  city?: string;
  street_address?: string;
  postal_code?: string;
  [k: string]: unknown | undefined;
}
/**
 * The metadata and results of a static or dynamic analysis of malware.
 */
export interface MalwareAnalysis extends SdoSroCommon {
  type: 'malware-analysis';
  id: string;
  product: string;
  version?: string;
  host_vm_ref?: string;
  operating_system_ref?: string;
  /**
   * @minItems 1
   */
  installed_software_refs?: string[];
  configuration_version?: string;
  /**
   * @minItems 1
   */
  modules?: string[];
  analysis_engine_version?: string;
  analysis_definition_version?: string;
  submitted?: Timestamp;
  analysis_started?: Timestamp;
  analysis_ended?: Timestamp;
  result_name?: string;
  /**
   * Open vocabulary malware-result-ov.
   */
  result?: string;
  /**
   * @minItems 1
   */
  analysis_sco_refs?: Identifier[];
  sample_ref?: string;
  [k: string]: unknown | undefined;
}
/**
 * Malicious code: a family or an instance.
 */
export interface Malware extends SdoSroCommon {
  type: 'malware';
  id: string;
  name?: string;
  description?: string;
  /**
   * Open vocabulary malware-type-ov.
   *
   * @minItems 1
   */
  malware_types?: string[];
  /**
   * True when this object represents a malware family, false for an instance.
   */
  is_family: boolean;
  /**
   * @minItems 1
   */
  aliases?: string[];
  /**
   * Kill chain phases.
   *
   * @minItems 1
   */
  kill_chain_phases?: KillChainPhase[];
  first_seen?: Timestamp;
  last_seen?: Timestamp;
  /**
   * @minItems 1
   */
  operating_system_refs?: string[];
  /**
   * Open vocabulary processor-architecture-ov.
   *
   * @minItems 1
   */
  architecture_execution_envs?: string[];
  /**
   * Open vocabulary implementation-language-ov.
   *
   * @minItems 1
   */
  implementation_languages?: string[];
  /**
   * Open vocabulary malware-capabilities-ov.
   *
   * @minItems 1
   */
  capabilities?: string[];
  /**
   * @minItems 1
   */
  sample_refs?: string[];
  [k: string]: unknown | undefined;
}
/**
 * Additional information or context about other STIX objects.
 */
export interface Note extends SdoSroCommon {
  type: 'note';
  id: string;
  abstract?: string;
  content: string;
  /**
   * @minItems 1
   */
  authors?: string[];
  /**
   * @minItems 1
   */
  object_refs: Identifier[];
  [k: string]: unknown | undefined;
}
/**
 * Raw information observed on systems and networks.
 */
export interface ObservedData extends SdoSroCommon {
  type: 'observed-data';
  id: string;
  first_observed: Timestamp;
  last_observed: Timestamp;
  /**
   * How many times the data was observed.
   */
  number_observed: number;
  /**
   * Deprecated in 2.1: observables embedded by local key.
   */
  objects?: {
    [k: string]: unknown | undefined;
  };
  /**
   * @minItems 1
   */
  object_refs?: Identifier[];
  [k: string]: unknown | undefined;
}
/**
 * An assessment of the correctness of other STIX objects.
 */
export interface Opinion extends SdoSroCommon {
  type: 'opinion';
  id: string;
  explanation?: string;
  /**
   * @minItems 1
   */
  authors?: string[];
  opinion: 'strongly-disagree' | 'disagree' | 'neutral' | 'agree' | 'strongly-agree';
  /**
   * @minItems 1
   */
  object_refs: Identifier[];
  [k: string]: unknown | undefined;
}
/**
 * A collection of threat intelligence on one or more topics.
 */
export interface Report extends SdoSroCommon {
  type: 'report';
  id: string;
  name: string;
  description?: string;
  /**
   * Open vocabulary report-type-ov.
   *
   * @minItems 1
   */
  report_types?: string[];
  published: Timestamp;
  /**
   * @minItems 1
   */
  object_refs: Identifier[];
  [k: string]: unknown | undefined;
}
/**
 * Individuals, groups or organizations believed to be operating with malicious intent.
 */
export interface ThreatActor extends NamedActivityCommon {
  type: 'threat-actor';
  /**
   * Open vocabulary threat-actor-type-ov.
   *
   * @minItems 1
   */
  threat_actor_types?: string[];
  /**
   * Open vocabulary threat-actor-role-ov.
   *
   * @minItems 1
   */
  roles?: string[];
  /**
   * @minItems 1
   */
  goals?: string[];
  /**
   * Open vocabulary threat-actor-sophistication-ov.
   */
  sophistication?: string;
  /**
   * Open vocabulary attack-resource-level-ov.
   */
  resource_level?: string;
  /**
   * Open vocabulary attack-motivation-ov.
   */
  primary_motivation?: string;
  /**
   * Open vocabulary attack-motivation-ov.
   *
   * @minItems 1
   */
  secondary_motivations?: string[];
  /**
   * Open vocabulary attack-motivation-ov.
   *
   * @minItems 1
   */
  personal_motivations?: string[];
  [k: string]: unknown | undefined;
}
/**
 * Legitimate software that can be used by threat actors to perform attacks.
 */
export interface Tool extends SdoSroCommon {
  type: 'tool';
  id: string;
  name: string;
  description?: string;
  /**
   * Open vocabulary tool-type-ov.
   *
   * @minItems 1
   */
  tool_types?: string[];
  /**
   * @minItems 1
   */
  aliases?: string[];
  /**
   * Kill chain phases.
   *
   * @minItems 1
   */
  kill_chain_phases?: KillChainPhase[];
  tool_version?: string;
  [k: string]: unknown | undefined;
}
/**
 * A mistake in software that can be used to gain unauthorized access.
 */
export interface Vulnerability extends SdoSroCommon {
  type: 'vulnerability';
  id: string;
  name: string;
  description?: string;
  [k: string]: unknown | undefined;
}
/**
 * A link between two SDOs or SCOs.
 */
export interface Relationship extends SdoSroCommon {
  type: 'relationship';
  id: string;
  /**
   * Lower-case ASCII letters, digits and hyphens.
   */
  relationship_type: string;
  description?: string;
  source_ref: Identifier;
  target_ref: Identifier;
  start_time?: Timestamp;
  stop_time?: Timestamp;
  [k: string]: unknown | undefined;
}
/**
 * The belief that something in CTI was seen.
 */
export interface Sighting extends SdoSroCommon {
  type: 'sighting';
  id: string;
  description?: string;
  first_seen?: Timestamp;
  last_seen?: Timestamp;
  count?: number;
  sighting_of_ref: Identifier;
  /**
   * @minItems 1
   */
  observed_data_refs?: string[];
  /**
   * @minItems 1
   */
  where_sighted_refs?: string[];
  summary?: boolean;
  [k: string]: unknown | undefined;
}
