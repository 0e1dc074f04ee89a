/**
 * Families of STIX 1.x idioms found missing when the importer was measured against the reference elevator's
 * idiom files (docs/mapping/stix1.md, "Measured"). Each case is a small synthetic package of that shape.
 */
import { importStix1 } from '../../../../src/mapping/stix1/import';
import type { StixObject } from '../../../../src/mapping/types';
import { stixOutputProblems } from '../../../helpers/stix-output';

const OPTS = { now: '2024-01-01T00:00:00Z' };

const NAMESPACES = [
  'xmlns:stix="http://stix.mitre.org/stix-1"',
  'xmlns:cybox="http://cybox.mitre.org/cybox-2"',
  'xmlns:indicator="http://stix.mitre.org/Indicator-2"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
  'xmlns:URIObj="http://cybox.mitre.org/objects#URIObject-2"',
  'xmlns:HTTPSessionObj="http://cybox.mitre.org/objects#HTTPSessionObject-2"',
  'xmlns:UnixUserAccountObj="http://cybox.mitre.org/objects#UnixUserAccountObject-2"',
  'xmlns:WinRegistryKeyObj="http://cybox.mitre.org/objects#WinRegistryKeyObject-2"',
  'xmlns:AddressObj="http://cybox.mitre.org/objects#AddressObject-2"',
  'xmlns:ASObj="http://cybox.mitre.org/objects#ASObject-1"',
  'xmlns:PacketObj="http://cybox.mitre.org/objects#PacketObject-2"',
  'xmlns:FileObj="http://cybox.mitre.org/objects#FileObject-2"',
  'xmlns:ArchiveFileObj="http://cybox.mitre.org/objects#ArchiveFileObject-2"',
  'xmlns:cyboxCommon="http://cybox.mitre.org/common-2"',
  'xmlns:marking="http://data-marking.mitre.org/Marking-1"',
  'xmlns:tlpMarking="http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1"',
  'xmlns:AIS="http://www.us-cert.gov/STIXMarkingStructure#AISConsentMarking-2"',
  'xmlns:stixCommon="http://stix.mitre.org/common-1"',
  'xmlns:DomainNameObj="http://cybox.mitre.org/objects#DomainNameObject-1"',
  'xmlns:NetworkSocketObj="http://cybox.mitre.org/objects#NetworkSocketObject-2"',
  'xmlns:SocketAddressObj="http://cybox.mitre.org/objects#SocketAddressObject-1"',
  'xmlns:PortObj="http://cybox.mitre.org/objects#PortObject-2"',
  'xmlns:X509CertificateObj="http://cybox.mitre.org/objects#X509CertificateObject-2"',
  'xmlns:ta="http://stix.mitre.org/ThreatActor-1"',
  'xmlns:ttp="http://stix.mitre.org/TTP-1"',
  'xmlns:incident="http://stix.mitre.org/Incident-1"',
  'xmlns:campaign="http://stix.mitre.org/Campaign-1"',
  'xmlns:coa="http://stix.mitre.org/CourseOfAction-1"',
  'xmlns:et="http://stix.mitre.org/ExploitTarget-1"',
  'xmlns:stixVocabs="http://stix.mitre.org/default_vocabularies-1"',
  'xmlns:EmailMessageObj="http://cybox.mitre.org/objects#EmailMessageObject-2"',
  'xmlns:MutexObj="http://cybox.mitre.org/objects#MutexObject-2"',
  'xmlns:stix-maec="http://stix.mitre.org/extensions/Malware#MAEC4.1-1"',
  'xmlns:maecPackage="http://maec.mitre.org/XMLSchema/maec-package-2"',
  'xmlns:maecBundle="http://maec.mitre.org/XMLSchema/maec-bundle-4"',
  'xmlns:WinExecutableFileObj="http://cybox.mitre.org/objects#WinExecutableFileObject-2"',
  'xmlns:ArtifactObj="http://cybox.mitre.org/objects#ArtifactObject-2"',
  'xmlns:CustomObj="http://cybox.mitre.org/objects#CustomObject-1"',
  'xmlns:NetworkConnectionObj="http://cybox.mitre.org/objects#NetworkConnectionObject-2"',
  'xmlns:ProcessObj="http://cybox.mitre.org/objects#ProcessObject-2"',
  'xmlns:WinProcessObj="http://cybox.mitre.org/objects#WinProcessObject-2"',
  'xmlns:stix-openioc="http://stix.mitre.org/extensions/TestMechanism#OpenIOC2010-1"',
  'xmlns:TOUMarking="http://data-marking.mitre.org/extensions/MarkingStructure#Terms_Of_Use-1"',
  'xmlns:t="http://t.example"',
].join(' ');

function pkg(body: string): string {
  return `<stix:STIX_Package ${NAMESPACES} id="t:Package-7c000000-0000-4000-8000-000000000000" version="1.2" timestamp="2021-03-03T03:03:03Z">${body}</stix:STIX_Package>`;
}

function indicator(n: number, inner: string): string {
  return `<stix:Indicator id="t:indicator-7c000000-0000-4000-8000-00000000010${n}" xsi:type="indicator:IndicatorType">${inner}</stix:Indicator>`;
}

function patterns(objects: readonly StixObject[]): unknown[] {
  return objects.filter((o) => o.type === 'indicator').map((o) => o['pattern']);
}

describe('STIX 1 idiom families', () => {
  it('when an HTTP session gives parsed headers (a Referer as a URI object, a Date, any other header), then each becomes a request_header of the pattern', () => {
    const session =
      '<cybox:Properties xsi:type="HTTPSessionObj:HTTPSessionObjectType"><HTTPSessionObj:HTTP_Request_Response><HTTPSessionObj:HTTP_Client_Request>' +
      '<HTTPSessionObj:HTTP_Request_Line><HTTPSessionObj:HTTP_Method>POST</HTTPSessionObj:HTTP_Method></HTTPSessionObj:HTTP_Request_Line>' +
      '<HTTPSessionObj:HTTP_Request_Header><HTTPSessionObj:Parsed_Header>' +
      '<HTTPSessionObj:Referer xsi:type="URIObj:URIObjectType"><URIObj:Value>http://ref.example/p</URIObj:Value></HTTPSessionObj:Referer>' +
      '<HTTPSessionObj:Accept_Language>ru</HTTPSessionObj:Accept_Language>' +
      '<HTTPSessionObj:Date>2020-02-02T02:02:02Z</HTTPSessionObj:Date>' +
      '</HTTPSessionObj:Parsed_Header></HTTPSessionObj:HTTP_Request_Header></HTTPSessionObj:HTTP_Client_Request></HTTPSessionObj:HTTP_Request_Response></cybox:Properties>';
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(1, `<indicator:Observable><cybox:Object>${session}</cybox:Object></indicator:Observable>`)}</stix:Indicators>`,
      ),
      OPTS,
    );
    const ext = "network-traffic:extensions.'http-request-ext'";
    expect(patterns(r.objects)).toEqual([
      `[network-traffic:protocols[*] = 'http' AND ${ext}.request_method = 'POST' AND ${ext}.request_header.Referer = 'http://ref.example/p' AND ` +
        `${ext}.request_header.'Accept-Language' = 'ru' AND ${ext}.request_header.Date = t'2020-02-02T02:02:02Z']`,
    ]);
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an indicator refers to an OR composition of top-level observables through a cybox:Observable idref, then the indicator keeps every alternative', () => {
    const uri = (n: number, v: string): string =>
      `<cybox:Observable id="t:Observable-7c000000-0000-4000-8000-00000000000${n}"><cybox:Object><cybox:Properties xsi:type="URIObj:URIObjectType" type="URL"><URIObj:Value>${v}</URIObj:Value></cybox:Properties></cybox:Object></cybox:Observable>`;
    const comp =
      '<cybox:Observable id="t:Observable-7c000000-0000-4000-8000-000000000009"><cybox:Observable_Composition operator="OR">' +
      '<cybox:Observable idref="t:Observable-7c000000-0000-4000-8000-000000000001"/><cybox:Observable idref="t:Observable-7c000000-0000-4000-8000-000000000002"/>' +
      '</cybox:Observable_Composition></cybox:Observable>';
    const r = importStix1(
      pkg(
        `<stix:Observables cybox_major_version="2" cybox_minor_version="1">${uri(1, 'http://a.example/1')}${uri(2, 'http://b.example/2')}${comp}</stix:Observables>` +
          `<stix:Indicators>${indicator(1, '<cybox:Observable idref="t:Observable-7c000000-0000-4000-8000-000000000009"/>')}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual(["[url:value = 'http://a.example/1' OR url:value = 'http://b.example/2']"]);
    expect(r.issues.map((i) => i.code)).not.toContain('STIX1_INDICATOR_EMPTY');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when a Unix account writes some properties without a namespace prefix, then they are read and the account is typed unix', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables cybox_major_version="2" cybox_minor_version="1"><cybox:Observable id="t:Observable-7c000000-0000-4000-8000-000000000003"><cybox:Object>' +
          '<cybox:Properties xsi:type="UnixUserAccountObj:UnixUserAccountObjectType" disabled="false"><Username>wilma</Username>' +
          '<UnixUserAccountObj:User_ID>1002</UnixUserAccountObj:User_ID></cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>',
      ),
      OPTS,
    );
    const account = r.objects.find((o) => o.type === 'user-account');
    expect(account).toMatchObject({ account_login: 'wilma', user_id: '1002', account_type: 'unix', is_disabled: false });
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when a registry key names its creator, then the key refers to a user-account holding that name', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables cybox_major_version="2" cybox_minor_version="1"><cybox:Observable id="t:Observable-7c000000-0000-4000-8000-000000000004"><cybox:Object>' +
          '<cybox:Properties xsi:type="WinRegistryKeyObj:WindowsRegistryKeyObjectType"><WinRegistryKeyObj:Key>HKEY_LOCAL_MACHINE\\Software\\T</WinRegistryKeyObj:Key>' +
          '<WinRegistryKeyObj:Creator_Username>barney</WinRegistryKeyObj:Creator_Username></cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>',
      ),
      OPTS,
    );
    const key = r.objects.find((o) => o.type === 'windows-registry-key');
    const user = r.objects.find((o) => o.type === 'user-account');
    expect(user).toMatchObject({ user_id: 'barney' });
    expect(key?.['creator_user_ref']).toBe(user?.id);
    expect(r.issues.map((i) => i.code)).not.toContain('STIX1_PROPERTY_UNMAPPED');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when conditions are written in lower case or as ranges, then they keep their meaning (equals is =, an address InclusiveBetween is its CIDR blocks, a number range is > AND <)', () => {
    const obj = (props: string): string => `<indicator:Observable><cybox:Object>${props}</cybox:Object></indicator:Observable>`;
    const r = importStix1(
      pkg(
        '<stix:Indicators>' +
          indicator(
            1,
            obj(
              '<cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr"><AddressObj:Address_Value condition="equals">10.1.1.1</AddressObj:Address_Value></cybox:Properties>',
            ),
          ) +
          indicator(
            2,
            obj(
              '<cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr"><AddressObj:Address_Value condition="InclusiveBetween">10.0.0.0##comma##10.0.255.255</AddressObj:Address_Value></cybox:Properties>',
            ),
          ) +
          indicator(
            3,
            obj(
              '<cybox:Properties xsi:type="ASObj:ASObjectType"><ASObj:Number condition="ExclusiveBetween">100##comma##200</ASObj:Number><ASObj:Regional_Internet_Registry>RIPE</ASObj:Regional_Internet_Registry></cybox:Properties>',
            ),
          ) +
          '</stix:Indicators>',
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual([
      "[ipv4-addr:value = '10.1.1.1']",
      "[ipv4-addr:value ISSUBSET '10.0.0.0/16']",
      "[autonomous-system:number > 100 AND autonomous-system:number < 200 AND autonomous-system:rir = 'RIPE']",
    ]);
    expect(r.issues.map((i) => i.code)).not.toContain('STIX1_CONDITION_UNSUPPORTED');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when a network packet gives an ICMP type and code, then they become the icmp-ext hex properties', () => {
    const packet =
      '<cybox:Properties xsi:type="PacketObj:NetworkPacketObjectType"><PacketObj:Internet_Layer><PacketObj:ICMPv4><PacketObj:ICMPv4_Header>' +
      '<PacketObj:Type>0B</PacketObj:Type><PacketObj:Code>01</PacketObj:Code></PacketObj:ICMPv4_Header></PacketObj:ICMPv4></PacketObj:Internet_Layer></cybox:Properties>';
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(1, `<indicator:Observable><cybox:Object>${packet}</cybox:Object></indicator:Observable>`)}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual([
      "[network-traffic:extensions.'icmp-ext'.icmp_type_hex = h'0b' AND network-traffic:extensions.'icmp-ext'.icmp_code_hex = h'01']",
    ]);
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an archive file lists archived files, then the pattern tests contains_refs and an observed archive refers to a file object per archived file', () => {
    const archive =
      '<cybox:Properties xsi:type="ArchiveFileObj:ArchiveFileObjectType"><FileObj:File_Name>b.zip</FileObj:File_Name>' +
      '<ArchiveFileObj:Archived_File><FileObj:File_Name>in.doc</FileObj:File_Name></ArchiveFileObj:Archived_File>' +
      '<ArchiveFileObj:Archived_File><FileObj:Hashes><cyboxCommon:Hash><cyboxCommon:Type>MD5</cyboxCommon:Type>' +
      '<cyboxCommon:Simple_Hash_Value>0123456789abcdef0123456789abcdef</cyboxCommon:Simple_Hash_Value></cyboxCommon:Hash></FileObj:Hashes></ArchiveFileObj:Archived_File></cybox:Properties>';
    const r = importStix1(
      pkg(
        `<stix:Observables cybox_major_version="2" cybox_minor_version="1"><cybox:Observable id="t:Observable-7c000000-0000-4000-8000-000000000005"><cybox:Object>${archive}</cybox:Object></cybox:Observable></stix:Observables>` +
          `<stix:Indicators>${indicator(1, `<indicator:Observable><cybox:Object>${archive}</cybox:Object></indicator:Observable>`)}</stix:Indicators>`,
      ),
      OPTS,
    );
    const inside = "file:extensions.'archive-ext'.contains_refs[*]";
    expect(patterns(r.objects)).toEqual([
      `[file:name = 'b.zip' AND ${inside}.name = 'in.doc' AND ${inside}.hashes.MD5 = '0123456789abcdef0123456789abcdef']`,
    ]);
    const files = r.objects.filter((o) => o.type === 'file');
    const zip = files.find((o) => o['name'] === 'b.zip');
    const contained = files.filter((o) => o !== zip).map((o) => o.id);
    expect(contained).toHaveLength(2);
    expect(zip?.['extensions']).toEqual({ 'archive-ext': { contains_refs: contained } });
    const observed = r.objects.find((o) => o.type === 'observed-data');
    expect(observed?.['object_refs']).toEqual(expect.arrayContaining([...contained, zip?.id]));
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when a package is marked TLP (directly or through AIS), then the objects carry the TLP 1.0 marking of STIX 2.1 and the AIS submitter its consent label', () => {
    const handling = (structure: string): string =>
      `<stix:STIX_Header><stix:Handling><marking:Marking><marking:Controlled_Structure>//node()</marking:Controlled_Structure>${structure}</marking:Marking></stix:Handling>` +
      '<stix:Information_Source><stixCommon:Identity><stixCommon:Name>Submitter</stixCommon:Name></stixCommon:Identity></stix:Information_Source></stix:STIX_Header>';
    const body = (structure: string): string =>
      handling(structure) +
      `<stix:Indicators>${indicator(
        1,
        '<indicator:Observable><cybox:Object><cybox:Properties xsi:type="URIObj:URIObjectType" type="URL"><URIObj:Value>http://m.example/</URIObj:Value></cybox:Properties></cybox:Object></indicator:Observable>',
      )}</stix:Indicators>`;
    const tlp = importStix1(pkg(body('<marking:Marking_Structure xsi:type="tlpMarking:TLPMarkingStructureType" color="WHITE"/>')), OPTS);
    expect(tlp.objects.find((o) => o.type === 'indicator')?.['object_marking_refs']).toEqual([
      'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
    ]);
    const ais = importStix1(
      pkg(
        body(
          '<marking:Marking_Structure xsi:type="AIS:AISMarkingStructure"><AIS:Is_Proprietary CISA_Proprietary="true"><AIS:AISConsent consent="USG"/>' +
            '<AIS:TLPMarking color="AMBER"/></AIS:Is_Proprietary></marking:Marking_Structure>',
        ),
      ),
      OPTS,
    );
    const marks = ais.objects.find((o) => o.type === 'indicator')?.['object_marking_refs'];
    expect(marks).toContain('marking-definition--f88d31f6-486f-44da-b317-01333bde0b82');
    const statement = ais.objects.find((o) => o.type === 'marking-definition');
    expect(statement?.['definition']).toEqual({ statement: 'AIS consent: USG (proprietary; CISA proprietary: true)' });
    expect(marks).toContain(statement?.id);
    expect(ais.objects.find((o) => o.type === 'identity')?.['labels']).toEqual(['ais-consent-usg']);
    expect(stixOutputProblems(ais.objects)).toEqual([]);
  });

  it('when a domain name has Resolved_To related addresses (inline or by idref), then they become resolves_to_refs in one comparison bracket and in the observed domain', () => {
    const address = (v: string): string =>
      `<cybox:Properties category="ipv4-addr" xsi:type="AddressObj:AddressObjectType"><AddressObj:Address_Value>${v}</AddressObj:Address_Value></cybox:Properties>`;
    const resolved = '<cybox:Relationship>Resolved_To</cybox:Relationship>';
    const domain =
      '<cybox:Object id="t:object-7c000000-0000-4000-8000-000000000020"><cybox:Properties xsi:type="DomainNameObj:DomainNameObjectType"><DomainNameObj:Value>r.example</DomainNameObj:Value></cybox:Properties>' +
      `<cybox:Related_Objects><cybox:Related_Object>${address('192.0.2.1')}${resolved}</cybox:Related_Object>` +
      `<cybox:Related_Object idref="t:object-7c000000-0000-4000-8000-000000000021">${resolved}</cybox:Related_Object></cybox:Related_Objects></cybox:Object>`;
    const r = importStix1(
      pkg(
        '<stix:Observables cybox_major_version="2" cybox_minor_version="1">' +
          `<cybox:Observable id="t:Observable-7c000000-0000-4000-8000-000000000006">${domain}</cybox:Observable>` +
          `<cybox:Observable id="t:Observable-7c000000-0000-4000-8000-000000000007"><cybox:Object id="t:object-7c000000-0000-4000-8000-000000000021">${address('192.0.2.2')}</cybox:Object></cybox:Observable>` +
          '</stix:Observables>' +
          `<stix:Indicators>${indicator(1, '<indicator:Observable idref="t:Observable-7c000000-0000-4000-8000-000000000006"/>')}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual([
      "[domain-name:value = 'r.example' AND domain-name:resolves_to_refs[*].value = '192.0.2.1' AND domain-name:resolves_to_refs[*].value = '192.0.2.2']",
    ]);
    const dom = r.objects.find((o) => o.type === 'domain-name');
    const addresses = r.objects.filter((o) => o.type === 'ipv4-addr');
    expect(addresses.map((a) => a['value']).sort()).toEqual(['192.0.2.1', '192.0.2.2']);
    expect([...(dom?.['resolves_to_refs'] as string[])].sort()).toEqual(addresses.map((a) => a.id).sort());
    expect(r.issues.map((i) => i.code)).not.toContain('STIX1_RELATED_OBJECT_FLATTENED');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when a network socket gives its family, flags, options and addresses, then they become socket-ext properties (boolean options as 1/0) and endpoints', () => {
    const socket = (family: string): string =>
      `<cybox:Properties xsi:type="NetworkSocketObj:NetworkSocketObjectType" is_blocking="false">${family}` +
      '<NetworkSocketObj:Options><NetworkSocketObj:SO_REUSEADDR>true</NetworkSocketObj:SO_REUSEADDR></NetworkSocketObj:Options>' +
      '<NetworkSocketObj:Protocol>udp</NetworkSocketObj:Protocol><NetworkSocketObj:Remote_Address><SocketAddressObj:IP_Address><AddressObj:Address_Value>198.51.100.7</AddressObj:Address_Value></SocketAddressObj:IP_Address>' +
      '<SocketAddressObj:Port><PortObj:Port_Value>53</PortObj:Port_Value></SocketAddressObj:Port></NetworkSocketObj:Remote_Address></cybox:Properties>';
    const family = '<NetworkSocketObj:Address_Family>AF_INET</NetworkSocketObj:Address_Family>';
    const r = importStix1(
      pkg(
        '<stix:Observables cybox_major_version="2" cybox_minor_version="1">' +
          `<cybox:Observable id="t:Observable-7c000000-0000-4000-8000-000000000008"><cybox:Object>${socket(family)}</cybox:Object></cybox:Observable>` +
          `<cybox:Observable id="t:Observable-7c000000-0000-4000-8000-000000000009"><cybox:Object>${socket('')}</cybox:Object></cybox:Observable>` +
          '</stix:Observables>' +
          `<stix:Indicators>${indicator(1, `<indicator:Observable><cybox:Object>${socket(family)}</cybox:Object></indicator:Observable>`)}</stix:Indicators>`,
      ),
      OPTS,
    );
    const ext = "network-traffic:extensions.'socket-ext'";
    expect(patterns(r.objects)).toEqual([
      `[${ext}.is_blocking = false AND ${ext}.options.SO_REUSEADDR = 1 AND ${ext}.address_family = 'AF_INET' AND network-traffic:protocols[*] = 'udp' AND ` +
        "network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:dst_port = 53]",
    ]);
    const traffic = r.objects.filter((o) => o.type === 'network-traffic');
    expect(traffic.map((t) => t['extensions'])).toEqual([
      { 'socket-ext': { is_blocking: false, options: { SO_REUSEADDR: 1 }, address_family: 'AF_INET' } },
      undefined,
    ]);
    expect(r.issues.some((i) => i.code === 'STIX1_PROPERTY_UNMAPPED' && i.message.includes('address family'))).toBe(true);
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an X.509 certificate gives standard extensions, then they become x509_v3_extensions', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables cybox_major_version="2" cybox_minor_version="1"><cybox:Observable id="t:Observable-7c000000-0000-4000-8000-00000000000a"><cybox:Object>' +
          '<cybox:Properties xsi:type="X509CertificateObj:X509CertificateObjectType"><X509CertificateObj:Certificate>' +
          '<X509CertificateObj:Serial_Number>01:02</X509CertificateObj:Serial_Number><X509CertificateObj:Standard_Extensions>' +
          '<X509CertificateObj:Basic_Constraints>critical,CA:TRUE</X509CertificateObj:Basic_Constraints>' +
          '<X509CertificateObj:Subject_Key_Identifier>HASH</X509CertificateObj:Subject_Key_Identifier>' +
          '<X509CertificateObj:Private_Key_Usage_Period><X509CertificateObj:Not_After>2030-01-01T00:00:00Z</X509CertificateObj:Not_After></X509CertificateObj:Private_Key_Usage_Period>' +
          '</X509CertificateObj:Standard_Extensions></X509CertificateObj:Certificate></cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>',
      ),
      OPTS,
    );
    expect(r.objects.find((o) => o.type === 'x509-certificate')).toMatchObject({
      serial_number: '01:02',
      x509_v3_extensions: {
        basic_constraints: 'critical,CA:TRUE',
        subject_key_identifier: 'HASH',
        private_key_usage_period_not_after: '2030-01-01T00:00:00Z',
      },
    });
    expect(r.issues.map((i) => i.code)).not.toContain('STIX1_PROPERTY_UNMAPPED');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when STIX 1 timestamps are written to the second, then created and modified get millisecond precision and valid_from keeps its value', () => {
    const r = importStix1(
      pkg(
        `<stix:Indicators><stix:Indicator id="t:indicator-7c000000-0000-4000-8000-000000000199" timestamp="2019-09-09T09:09:09+02:00" xsi:type="indicator:IndicatorType">` +
          '<indicator:Observable><cybox:Object><cybox:Properties xsi:type="URIObj:URIObjectType" type="URL"><URIObj:Value>http://s.example/</URIObj:Value></cybox:Properties></cybox:Object></indicator:Observable>' +
          '</stix:Indicator></stix:Indicators>',
      ),
      OPTS,
    );
    const ind = r.objects.find((o) => o.type === 'indicator');
    expect(ind).toMatchObject({
      created: '2019-09-09T07:09:09.000Z',
      modified: '2019-09-09T07:09:09.000Z',
      valid_from: '2019-09-09T07:09:09Z',
    });
    expect(r.objects.find((o) => o.type === 'report')).toMatchObject({ created: '2021-03-03T03:03:03.000Z' });
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when top-level observables are written as stix:Observable, then they are converted like cybox:Observable', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables cybox_major_version="2" cybox_minor_version="1"><stix:Observable id="t:Observable-7c000000-0000-4000-8000-00000000000b"><cybox:Object>' +
          '<cybox:Properties xsi:type="URIObj:URIObjectType" type="URL"><URIObj:Value>http://stixns.example/x</URIObj:Value></cybox:Properties></cybox:Object></stix:Observable></stix:Observables>',
      ),
      OPTS,
    );
    expect(r.objects.find((o) => o.type === 'url')?.['value']).toBe('http://stixns.example/x');
    expect(r.objects.find((o) => o.type === 'observed-data')?.id).toBe('observed-data--7c000000-0000-4000-8000-00000000000b');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an IP address has a Resolved_To MAC address, then it becomes the address resolves_to_refs (pattern and observed)', () => {
    const ip =
      '<cybox:Object><cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr"><AddressObj:Address_Value>192.0.2.9</AddressObj:Address_Value></cybox:Properties>' +
      '<cybox:Related_Objects><cybox:Related_Object><cybox:Properties xsi:type="AddressObj:AddressObjectType" category="mac"><AddressObj:Address_Value>00:11:22:33:44:55</AddressObj:Address_Value></cybox:Properties>' +
      '<cybox:Relationship>Resolved_To</cybox:Relationship></cybox:Related_Object></cybox:Related_Objects></cybox:Object>';
    const r = importStix1(
      pkg(
        `<stix:Observables cybox_major_version="2" cybox_minor_version="1"><cybox:Observable id="t:Observable-7c000000-0000-4000-8000-00000000000c">${ip}</cybox:Observable></stix:Observables>` +
          `<stix:Indicators>${indicator(1, `<indicator:Observable>${ip}</indicator:Observable>`)}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual(["[ipv4-addr:value = '192.0.2.9' AND ipv4-addr:resolves_to_refs[*].value = '00:11:22:33:44:55']"]);
    const mac = r.objects.find((o) => o.type === 'mac-addr');
    expect(r.objects.find((o) => o.type === 'ipv4-addr')?.['resolves_to_refs']).toEqual([mac?.id]);
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });
});

describe('STIX 1 idiom families (second round)', () => {
  it('when a STIX 1 id ends in a UUID without RFC 4122 version and variant digits, then the 2.1 id is derived and valid', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables cybox_major_version="2" cybox_minor_version="1"><cybox:Observable id="t:observable-c8c32b6e-4ea8-51c4-6446-7f5218072f27"><cybox:Object>' +
          '<cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr"><AddressObj:Address_Value>198.51.100.2</AddressObj:Address_Value></cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>',
      ),
      OPTS,
    );
    const od = r.objects.find((o) => o.type === 'observed-data');
    expect(od?.id).toMatch(/^observed-data--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(od?.id).not.toContain('c8c32b6e-4ea8-51c4-6446');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an indicator confidence is a percentage, then confidence keeps the number', () => {
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(
          1,
          '<indicator:Title>pct</indicator:Title><indicator:Observable><cybox:Object><cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr"><AddressObj:Address_Value>192.0.2.75</AddressObj:Address_Value></cybox:Properties></cybox:Object></indicator:Observable>' +
            '<indicator:Confidence><stixCommon:Value vocab_name="Percentage">75</stixCommon:Value></indicator:Confidence>',
        )}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(r.objects.find((o) => o.type === 'indicator')?.['confidence']).toBe(75);
  });

  it('when a threat actor names its identity, then the actor is attributed-to an identity of that name', () => {
    const r = importStix1(
      pkg(
        '<stix:Threat_Actors><stix:Threat_Actor id="t:threatactor-7c000000-0000-4000-8000-000000000201" xsi:type="ta:ThreatActorType"><ta:Title>Adversary Charlie</ta:Title>' +
          '<ta:Identity id="t:Identity-7c000000-0000-4000-8000-000000000202"><stixCommon:Name>Charlie Group</stixCommon:Name></ta:Identity></stix:Threat_Actor></stix:Threat_Actors>',
      ),
      OPTS,
    );
    const identity = r.objects.find((o) => o.type === 'identity' && o['name'] === 'Charlie Group');
    expect(identity).toMatchObject({ id: 'identity--7c000000-0000-4000-8000-000000000202', identity_class: 'unknown' });
    expect(r.objects.find((o) => o.type === 'relationship')).toMatchObject({
      relationship_type: 'attributed-to',
      source_ref: 'threat-actor--7c000000-0000-4000-8000-000000000201',
      target_ref: identity?.id,
    });
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when exploit targets are written stixCommon:Exploit_Target with references, then each becomes a vulnerability named by its title with CVE and URL references', () => {
    const r = importStix1(
      pkg(
        '<stix:Exploit_Targets><stixCommon:Exploit_Target xsi:type="et:ExploitTargetType" id="t:et-7c000000-0000-4000-8000-000000000301"><et:Title>Script flaw</et:Title>' +
          '<et:Vulnerability><et:CVE_ID>CVE-2013-0001</et:CVE_ID><et:References><stixCommon:Reference>https://ref.example/cve</stixCommon:Reference></et:References></et:Vulnerability>' +
          '</stixCommon:Exploit_Target></stix:Exploit_Targets>',
      ),
      OPTS,
    );
    const v = r.objects.find((o) => o.type === 'vulnerability');
    expect(v).toMatchObject({ id: 'vulnerability--7c000000-0000-4000-8000-000000000301', name: 'Script flaw' });
    expect(v?.['external_references']).toEqual([
      { source_name: 'cve', external_id: 'CVE-2013-0001' },
      { source_name: 'internet_resource', url: 'https://ref.example/cve' },
    ]);
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when a campaign gives Information_Source references, then the campaign carries them as external references (its relationships do not)', () => {
    const r = importStix1(
      pkg(
        '<stix:Campaigns><stix:Campaign id="t:Campaign-7c000000-0000-4000-8000-000000000401" xsi:type="campaign:CampaignType"><campaign:Title>ATM</campaign:Title>' +
          '<campaign:Attribution><campaign:Attributed_Threat_Actor><stixCommon:Threat_Actor id="t:threatactor-7c000000-0000-4000-8000-000000000402" xsi:type="ta:ThreatActorType"><ta:Title>Crew</ta:Title></stixCommon:Threat_Actor></campaign:Attributed_Threat_Actor></campaign:Attribution>' +
          '<campaign:Information_Source><stixCommon:References><stixCommon:Reference>http://src.example/bar</stixCommon:Reference></stixCommon:References></campaign:Information_Source>' +
          '</stix:Campaign></stix:Campaigns>',
      ),
      OPTS,
    );
    expect(r.objects.find((o) => o.type === 'campaign')?.['external_references']).toEqual([
      { source_name: 'information-source', url: 'http://src.example/bar' },
    ]);
    expect(r.objects.find((o) => o.type === 'relationship')).not.toHaveProperty('external_references');
    expect(r.objects.find((o) => o.type === 'threat-actor')).not.toHaveProperty('external_references');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an observed object gives StartsWith/EndsWith values (a file name and its extension), then the joined value is kept and reported', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables cybox_major_version="2" cybox_minor_version="1"><cybox:Observable id="t:Observable-7c000000-0000-4000-8000-000000000501"><cybox:Object>' +
          '<cybox:Properties xsi:type="FileObj:FileObjectType"><FileObj:File_Name condition="StartsWith">Quarterly</FileObj:File_Name><FileObj:File_Extension condition="Equals">pdf.exe</FileObj:File_Extension></cybox:Properties>' +
          '</cybox:Object></cybox:Observable></stix:Observables>',
      ),
      OPTS,
    );
    expect(r.objects.find((o) => o.type === 'file')?.['name']).toBe('Quarterly.pdf.exe');
    expect(r.issues.map((i) => i.code)).toContain('STIX1_CONDITION_DROPPED');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an e-mail indicator names its attachment by object_reference, then the attachment terms are body_multipart[*].body_raw_ref terms', () => {
    const file =
      '<cybox:Related_Object id="t:File-7c000000-0000-4000-8000-000000000601"><cybox:Properties xsi:type="FileObj:FileObjectType"><FileObj:File_Name>invoice.js</FileObj:File_Name></cybox:Properties>' +
      '<cybox:Relationship>Contains</cybox:Relationship></cybox:Related_Object>';
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(
          1,
          '<indicator:Observable><cybox:Object><cybox:Properties xsi:type="EmailMessageObj:EmailMessageObjectType"><EmailMessageObj:Header><EmailMessageObj:Subject>Invoice</EmailMessageObj:Subject></EmailMessageObj:Header>' +
            '<EmailMessageObj:Attachments><EmailMessageObj:File object_reference="t:File-7c000000-0000-4000-8000-000000000601"/></EmailMessageObj:Attachments></cybox:Properties>' +
            `<cybox:Related_Objects>${file}</cybox:Related_Objects></cybox:Object></indicator:Observable>`,
        )}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual([
      "[email-message:subject = 'Invoice' AND email-message:body_multipart[*].body_raw_ref.name = 'invoice.js'] AND [file:name = 'invoice.js']",
    ]);
  });

  it('when the package source is only the marking Information_Source (AIS submitter), then it is the producer, and a suggested COA investigates the indicator', () => {
    const r = importStix1(
      pkg(
        '<stix:STIX_Header><stix:Handling><marking:Marking><marking:Controlled_Structure>//node()</marking:Controlled_Structure>' +
          '<marking:Marking_Structure xsi:type="tlpMarking:TLPMarkingStructureType" color="GREEN"/>' +
          '<marking:Information_Source><stixCommon:Identity><stixCommon:Name>Submitter Co</stixCommon:Name></stixCommon:Identity></marking:Information_Source></marking:Marking></stix:Handling></stix:STIX_Header>' +
          `<stix:Indicators>${indicator(
            1,
            '<indicator:Observable><cybox:Object><cybox:Properties xsi:type="MutexObj:MutexObjectType"><MutexObj:Name>m-1</MutexObj:Name></cybox:Properties></cybox:Object></indicator:Observable>' +
              '<indicator:Suggested_COAs><indicator:Suggested_COA><stixCommon:Course_Of_Action idref="t:coa-7c000000-0000-4000-8000-000000000701"/></indicator:Suggested_COA></indicator:Suggested_COAs>',
          )}</stix:Indicators>` +
          '<stix:Courses_Of_Action><stix:Course_Of_Action id="t:coa-7c000000-0000-4000-8000-000000000701" xsi:type="coa:CourseOfActionType"><coa:Title>Reimage</coa:Title></stix:Course_Of_Action></stix:Courses_Of_Action>',
      ),
      OPTS,
    );
    const producer = r.objects.find((o) => o.type === 'identity');
    expect(producer?.['name']).toBe('Submitter Co');
    expect(r.objects.find((o) => o.type === 'indicator')?.['created_by_ref']).toBe(producer?.id);
    expect(r.objects.find((o) => o.type === 'relationship')).toMatchObject({
      relationship_type: 'investigates',
      source_ref: 'course-of-action--7c000000-0000-4000-8000-000000000701',
      target_ref: 'indicator--7c000000-0000-4000-8000-000000000101',
    });
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when a MAEC malware instance lists anti-virus classifications of its subject, then each becomes a malware-analysis av-analysis-of the malware with the sample', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables cybox_major_version="2" cybox_minor_version="1"><cybox:Observable><cybox:Object id="t:File-7c000000-0000-4000-8000-000000000801">' +
          '<cybox:Properties xsi:type="FileObj:FileObjectType"><FileObj:File_Name>drop.exe</FileObj:File_Name></cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>' +
          '<stix:TTPs><stix:TTP id="t:ttp-7c000000-0000-4000-8000-000000000802" xsi:type="ttp:TTPType"><ttp:Title>MAEC Characterization</ttp:Title><ttp:Behavior><ttp:Malware>' +
          '<ttp:Malware_Instance xsi:type="stix-maec:MAEC4.1InstanceType"><stix-maec:MAEC><maecPackage:Malware_Subjects><maecPackage:Malware_Subject>' +
          '<maecPackage:Malware_Instance_Object_Attributes idref="t:File-7c000000-0000-4000-8000-000000000801"/>' +
          '<maecPackage:Findings_Bundles><maecPackage:Bundle><maecBundle:AV_Classifications>' +
          '<maecBundle:AV_Classification><cyboxCommon:Vendor>ClamAV</cyboxCommon:Vendor><maecBundle:Classification_Name>Win.Trojan.Test-1</maecBundle:Classification_Name></maecBundle:AV_Classification>' +
          '<maecBundle:AV_Classification><cyboxCommon:Vendor>Sophos</cyboxCommon:Vendor><maecBundle:Classification_Name>Troj/Test-A</maecBundle:Classification_Name></maecBundle:AV_Classification>' +
          '</maecBundle:AV_Classifications></maecPackage:Bundle></maecPackage:Findings_Bundles></maecPackage:Malware_Subject></maecPackage:Malware_Subjects></stix-maec:MAEC>' +
          '</ttp:Malware_Instance></ttp:Malware></ttp:Behavior></stix:TTP></stix:TTPs>',
      ),
      OPTS,
    );
    const malware = r.objects.find((o) => o.type === 'malware');
    const file = r.objects.find((o) => o.type === 'file');
    const analyses = r.objects.filter((o) => o.type === 'malware-analysis');
    expect(analyses.map((a) => [a['product'], a['result_name'], a['sample_ref']])).toEqual([
      ['ClamAV', 'Win.Trojan.Test-1', file?.id],
      ['Sophos', 'Troj/Test-A', file?.id],
    ]);
    const rels = r.objects.filter((o) => o.type === 'relationship' && o['relationship_type'] === 'av-analysis-of');
    expect(rels.map((x) => [x['source_ref'], x['target_ref']])).toEqual(analyses.map((a) => [a.id, malware?.id]));
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  const TLP1: Readonly<Record<string, string>> = {
    WHITE: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
    GREEN: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
    AMBER: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  };
  const AIS_CASES = ['WHITE', 'GREEN', 'AMBER'].flatMap((color) =>
    ['EVERYONE', 'USG', 'NONE'].flatMap((consent) => [true, false].map((proprietary) => ({ color, consent, proprietary }))),
  );

  it.each(AIS_CASES)(
    'when an AIS marking is $color / consent $consent / proprietary $proprietary, then objects carry that TLP and the submitter its consent label',
    ({ color, consent, proprietary }) => {
      const wrapper = proprietary ? 'Is_Proprietary' : 'Not_Proprietary';
      const r = importStix1(
        pkg(
          '<stix:STIX_Header><stix:Handling><marking:Marking><marking:Controlled_Structure>//node() | //@*</marking:Controlled_Structure>' +
            `<marking:Marking_Structure xsi:type="AIS:AISMarkingStructure"><AIS:${wrapper} CISA_Proprietary="${String(proprietary)}"><AIS:AISConsent consent="${consent}"/>` +
            `<AIS:TLPMarking color="${color}"/></AIS:${wrapper}></marking:Marking_Structure></marking:Marking></stix:Handling>` +
            '<stix:Information_Source><stixCommon:Identity><stixCommon:Name>ACME</stixCommon:Name></stixCommon:Identity></stix:Information_Source></stix:STIX_Header>' +
            `<stix:Indicators>${indicator(
              1,
              '<indicator:Observable><cybox:Object><cybox:Properties xsi:type="FileObj:FileObjectType"><FileObj:Hashes><cyboxCommon:Hash><cyboxCommon:Type>MD5</cyboxCommon:Type>' +
                '<cyboxCommon:Simple_Hash_Value>d41d8cd98f00b204e9800998ecf8427e\n    </cyboxCommon:Simple_Hash_Value></cyboxCommon:Hash></FileObj:Hashes></cybox:Properties></cybox:Object></indicator:Observable>',
            )}</stix:Indicators>`,
        ),
        OPTS,
      );
      const ind = r.objects.find((o) => o.type === 'indicator');
      expect(ind?.['pattern']).toBe("[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']");
      expect(ind?.['object_marking_refs']).toContain(TLP1[color]);
      const submitter = r.objects.find((o) => o.type === 'identity');
      // EVERYONE + CISA proprietary is the AIS profile's EVERYONE-CISA-PROPRIETARY (the elevator's ais-marking-*-e-t).
      const label =
        consent === 'EVERYONE' && proprietary ? 'ais-consent-everyone-cisa-proprietary' : `ais-consent-${consent.toLowerCase()}`;
      expect(submitter).toMatchObject({ name: 'ACME', labels: [label] });
      expect(submitter?.['object_marking_refs']).toContain(TLP1[color]);
      const statement = r.objects.find((o) => o.type === 'marking-definition');
      expect(JSON.stringify(statement?.['definition'])).toContain(`CISA proprietary: ${String(proprietary)}`);
      expect(stixOutputProblems(r.objects)).toEqual([]);
    },
  );

  it('when an AND composition joins observables of one type (two files, three accounts), then each is its own observation', () => {
    const hash = (t: string, v: string): string =>
      `<cybox:Observable><cybox:Object><cybox:Properties xsi:type="FileObj:FileObjectType"><FileObj:Hashes><cyboxCommon:Hash><cyboxCommon:Type>${t}</cyboxCommon:Type><cyboxCommon:Simple_Hash_Value>${v}</cyboxCommon:Simple_Hash_Value></cyboxCommon:Hash></FileObj:Hashes></cybox:Properties></cybox:Object></cybox:Observable>`;
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(
          1,
          '<indicator:Observable><cybox:Observable_Composition operator="AND"><cybox:Observable><cybox:Observable_Composition operator="OR">' +
            hash('SHA256', 'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c') +
            hash('MD5', 'cead3f77f6cda6ec00f57d76c9a6879f') +
            '</cybox:Observable_Composition></cybox:Observable>' +
            hash('SHA256', 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f') +
            '</cybox:Observable_Composition></indicator:Observable>',
        )}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual([
      "[file:hashes.'SHA-256' = 'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c' OR file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f'] AND [file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
    ]);
  });

  it('when registry keys and paths carry doubled backslashes (as the slider writes them) or a Full_Path, then separators are single and the path is split', () => {
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(
          1,
          '<indicator:Observable><cybox:Object><cybox:Properties xsi:type="WinRegistryKeyObj:WindowsRegistryKeyObjectType"><WinRegistryKeyObj:Key condition="Equals">HKEY_CURRENT_USER\\\\Software\\\\Locker</WinRegistryKeyObj:Key></cybox:Properties></cybox:Object></indicator:Observable>',
        )}${indicator(
          2,
          '<indicator:Observable><cybox:Object><cybox:Properties xsi:type="FileObj:FileObjectType"><FileObj:File_Name condition="Equals">foo.dll</FileObj:File_Name><FileObj:Full_Path>C:\\\\Windows\\\\System32/foo.dll</FileObj:Full_Path></cybox:Properties></cybox:Object></indicator:Observable>',
        )}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual([
      "[windows-registry-key:key = 'HKEY_CURRENT_USER\\\\Software\\\\Locker']",
      "[file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\\\Windows\\\\System32']",
    ]);
    expect(r.issues.map((i) => i.code)).not.toContain('STIX1_PROPERTY_UNMAPPED');
  });

  it('when a PE pattern does not state its type, then the guessed pe_type is not a pattern term', () => {
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(
          1,
          '<indicator:Observable><cybox:Object><cybox:Properties xsi:type="WinExecutableFileObj:WindowsExecutableFileObjectType"><WinExecutableFileObj:Sections><WinExecutableFileObj:Section><WinExecutableFileObj:Entropy><WinExecutableFileObj:Value condition="GreaterThan">7.0</WinExecutableFileObj:Value></WinExecutableFileObj:Entropy></WinExecutableFileObj:Section></WinExecutableFileObj:Sections></cybox:Properties></cybox:Object></indicator:Observable>',
        )}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual(["[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7]"]);
  });

  it('when a raw artifact is not base64 (escaped bytes as the slider writes them), then it is reported by name, never dropped silently', () => {
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(
          1,
          '<indicator:Observable><cybox:Object><cybox:Properties xsi:type="ArtifactObj:ArtifactObjectType"><ArtifactObj:Raw_Artifact>\\\\xd4\\\\xc3</ArtifactObj:Raw_Artifact></cybox:Properties></cybox:Object></indicator:Observable>',
        )}</stix:Indicators>`,
      ),
      OPTS,
    );
    const unmapped = r.issues.find((i) => i.code === 'STIX1_PROPERTY_UNMAPPED');
    expect(unmapped?.message).toContain('Raw_Artifact');
    expect(r.objects.filter((o) => o.type === 'indicator')).toEqual([]);
  });
});

describe('STIX 1 idiom families, third round', () => {
  const address = (v: string): string =>
    `<cybox:Object><cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr"><AddressObj:Address_Value>${v}</AddressObj:Address_Value></cybox:Properties></cybox:Object>`;

  it('when a composition holds an inline indicator:Observable beside a cybox:Observable idref, then both are terms of the pattern', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables><cybox:Observable id="t:Observable-7c000000-0000-4000-8000-000000000301">' +
          address('10.0.0.1') +
          '</cybox:Observable></stix:Observables>' +
          `<stix:Indicators>${indicator(
            1,
            '<indicator:Observable><cybox:Observable_Composition operator="OR">' +
              '<cybox:Observable idref="t:Observable-7c000000-0000-4000-8000-000000000301"/>' +
              `<indicator:Observable>${address('20.0.0.2')}</indicator:Observable>` +
              '<cybox:Keywords/>' +
              '</cybox:Observable_Composition></indicator:Observable>',
          )}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual(["[ipv4-addr:value = '10.0.0.1' OR ipv4-addr:value = '20.0.0.2']"]);
    // A member that is no Observable is reported, not skipped silently.
    expect(r.issues.some((i) => i.code === 'STIX1_PROPERTY_UNMAPPED' && i.message.includes('Keywords'))).toBe(true);
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an OR composition has a member that cannot be mapped, then the narrower pattern is reported', () => {
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(
          1,
          '<indicator:Observable><cybox:Observable_Composition operator="OR">' +
            `<cybox:Observable>${address('10.0.0.1')}</cybox:Observable>` +
            '<cybox:Observable><cybox:Object><cybox:Properties xsi:type="t:UnknownObjectType"/></cybox:Object></cybox:Observable>' +
            '</cybox:Observable_Composition></indicator:Observable>',
        )}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual(["[ipv4-addr:value = '10.0.0.1']"]);
    expect(r.issues.find((i) => i.code === 'STIX1_COMPOSITION_PARTIAL')?.message).toContain('OR composition');
  });

  it('when a CybOX Custom object is in an indicator and in an observable, then its properties become a custom observable type in the pattern and an observed custom object', () => {
    const custom = (prop: string): string =>
      '<cybox:Object><cybox:Properties xsi:type="CustomObj:CustomObjectType" custom_name="Beacon Config">' +
      `<cyboxCommon:Custom_Properties>${prop}<cyboxCommon:Property name="id">7</cyboxCommon:Property></cyboxCommon:Custom_Properties>` +
      '</cybox:Properties></cybox:Object>';
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(
          1,
          `<indicator:Observable>${custom('<cyboxCommon:Property name="C2-Host" condition="FitsPattern">^c2\\.[a-z]+\\.example$</cyboxCommon:Property>')}</indicator:Observable>`,
        )}</stix:Indicators>` +
          `<stix:Observables><cybox:Observable>${custom('<cyboxCommon:Property name="C2-Host">c2.bad.example</cyboxCommon:Property>')}</cybox:Observable></stix:Observables>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual(["[x-beacon-config:c2_host MATCHES '^c2\\\\.[a-z]+\\\\.example$' AND x-beacon-config:x_id = '7']"]);
    const observed = r.objects.find((o) => o.type === 'x-beacon-config');
    expect(observed).toMatchObject({ spec_version: '2.1', c2_host: 'c2.bad.example', x_id: '7' });
    expect(observed?.id).toMatch(/^x-beacon-config--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.objects.find((o) => o.type === 'observed-data')?.['object_refs']).toEqual([observed?.id]);
    expect(r.issues.map((i) => i.code)).not.toContain('STIX1_OBJECT_UNSUPPORTED');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when a Custom object has no usable name or names a standard type, then the type stays a valid custom one', () => {
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(
          1,
          '<indicator:Observable><cybox:Object><cybox:Properties xsi:type="CustomObj:CustomObjectType" custom_name="File">' +
            '<cyboxCommon:Custom_Properties><cyboxCommon:Property name="tag">a</cyboxCommon:Property></cyboxCommon:Custom_Properties></cybox:Properties></cybox:Object></indicator:Observable>',
        )}${indicator(
          2,
          '<indicator:Observable><cybox:Object><cybox:Properties xsi:type="CustomObj:CustomObjectType">' +
            '<cyboxCommon:Custom_Properties><cyboxCommon:Property name="tag">b</cyboxCommon:Property></cyboxCommon:Custom_Properties></cybox:Properties></cybox:Object></indicator:Observable>',
        )}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual(["[x-file:tag = 'a']", "[x-cybox-custom-object:tag = 'b']"]);
  });

  it('when a network connection names its HTTP session by object_reference, then the session request, body, port protocols and creation time are kept in the traffic', () => {
    const session =
      '<cybox:Observable><cybox:Object id="t:Object-7c000000-0000-4000-8000-000000000401"><cybox:Properties xsi:type="HTTPSessionObj:HTTPSessionObjectType">' +
      '<HTTPSessionObj:HTTP_Request_Response><HTTPSessionObj:HTTP_Client_Request>' +
      '<HTTPSessionObj:HTTP_Request_Line><HTTPSessionObj:HTTP_Method>GET</HTTPSessionObj:HTTP_Method><HTTPSessionObj:Value>/get.php</HTTPSessionObj:Value></HTTPSessionObj:HTTP_Request_Line>' +
      '<HTTPSessionObj:HTTP_Message_Body><HTTPSessionObj:Length>3</HTTPSessionObj:Length><HTTPSessionObj:Message_Body>abc</HTTPSessionObj:Message_Body></HTTPSessionObj:HTTP_Message_Body>' +
      '</HTTPSessionObj:HTTP_Client_Request></HTTPSessionObj:HTTP_Request_Response></cybox:Properties></cybox:Object></cybox:Observable>';
    const connection = (body: string): string =>
      '<cybox:Object><cybox:Properties xsi:type="NetworkConnectionObj:NetworkConnectionObjectType">' +
      body +
      '<NetworkConnectionObj:Destination_Socket_Address><SocketAddressObj:IP_Address><AddressObj:Address_Value>198.51.100.7</AddressObj:Address_Value></SocketAddressObj:IP_Address>' +
      '<SocketAddressObj:Port><PortObj:Port_Value>80</PortObj:Port_Value><PortObj:Layer4_Protocol>TCP</PortObj:Layer4_Protocol></SocketAddressObj:Port></NetworkConnectionObj:Destination_Socket_Address>' +
      '<NetworkConnectionObj:Layer7_Connections><NetworkConnectionObj:HTTP_Session object_reference="t:Object-7c000000-0000-4000-8000-000000000401"/></NetworkConnectionObj:Layer7_Connections>' +
      '</cybox:Properties></cybox:Object>';
    const r = importStix1(
      pkg(
        `<stix:Observables><cybox:Observable>${connection('<NetworkConnectionObj:Creation_Time>2011-08-05T07:14:55Z</NetworkConnectionObj:Creation_Time>')}</cybox:Observable>${session}</stix:Observables>` +
          `<stix:Indicators>${indicator(1, `<indicator:Observable>${connection('')}</indicator:Observable>`)}</stix:Indicators>`,
      ),
      OPTS,
    );
    const traffic = r.objects.find((o) => o.type === 'network-traffic');
    const artifact = r.objects.find((o) => o.type === 'artifact');
    expect(artifact?.['payload_bin']).toBe('YWJj');
    expect(traffic).toMatchObject({
      dst_port: 80,
      start: '2011-08-05T07:14:55Z',
      protocols: expect.arrayContaining(['tcp', 'http']),
      extensions: {
        'http-request-ext': {
          request_method: 'GET',
          request_value: '/get.php',
          message_body_length: 3,
          message_body_data_ref: artifact?.id,
        },
      },
    });
    const pattern = String(patterns(r.objects)[0]);
    expect(pattern).toContain("network-traffic:extensions.'http-request-ext'.request_value = '/get.php'");
    expect(pattern).toContain("network-traffic:extensions.'http-request-ext'.message_body_data_ref.payload_bin = b'YWJj'");
    expect(pattern).toContain("network-traffic:protocols[*] = 'tcp'");
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an observable carries an idref that resolves nowhere and its own object, then the object is the pattern (the dangling idref reported)', () => {
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(1, `<indicator:Observable idref="t:Observable-7c000000-0000-4000-8000-00000000ffff">${address('1.1.1.4')}</indicator:Observable>`)}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual(["[ipv4-addr:value = '1.1.1.4']"]);
    expect(r.issues.find((i) => i.code === 'STIX1_UNRESOLVED_IDREF')?.message).toContain('inline content is used');
  });

  it('when a TTP is titled otherwise than the malware instance it describes, then the title is kept in the malware description', () => {
    const r = importStix1(
      pkg(
        '<stix:TTPs><stix:TTP id="t:ttp-7c000000-0000-4000-8000-000000000501" xsi:type="ttp:TTPType"><ttp:Title>Remote access kit, 2014 wave</ttp:Title>' +
          '<ttp:Behavior><ttp:Malware><ttp:Malware_Instance><ttp:Name>PlugX</ttp:Name></ttp:Malware_Instance></ttp:Malware></ttp:Behavior></stix:TTP></stix:TTPs>',
      ),
      OPTS,
    );
    const malware = r.objects.find((o) => o.type === 'malware');
    expect(malware).toMatchObject({ name: 'PlugX', description: 'TTP title: Remote access kit, 2014 wave' });
  });

  it('when an AIS package names its submitter only as a contributing source, then that identity is the producer with its AIS consent label', () => {
    const source = (name: string): string =>
      `<stixCommon:Source><stixCommon:Identity><stixCommon:Name>${name}</stixCommon:Name></stixCommon:Identity></stixCommon:Source>`;
    const r = importStix1(
      pkg(
        '<stix:STIX_Header><stix:Handling><marking:Marking><marking:Controlled_Structure>//node() | //@*</marking:Controlled_Structure>' +
          '<marking:Marking_Structure xsi:type="AIS:AISMarkingStructure"><AIS:Not_Proprietary CISA_Proprietary="false"><AIS:AISConsent consent="EVERYONE"/><AIS:TLPMarking color="WHITE"/></AIS:Not_Proprietary></marking:Marking_Structure>' +
          '</marking:Marking></stix:Handling><stix:Information_Source><stixCommon:Contributing_Sources>' +
          source('Submitter One') +
          source('Submitter Two') +
          '</stixCommon:Contributing_Sources></stix:Information_Source></stix:STIX_Header>' +
          `<stix:Indicators>${indicator(1, `<indicator:Observable>${address('192.0.2.9')}</indicator:Observable>`)}</stix:Indicators>`,
      ),
      OPTS,
    );
    const producer = r.objects.find((o) => o.type === 'identity');
    expect(producer).toMatchObject({ name: 'Submitter One', labels: ['ais-consent-everyone'] });
    expect(r.objects.find((o) => o.type === 'indicator')?.['created_by_ref']).toBe(producer?.id);
    expect(r.issues.find((i) => i.code === 'STIX1_PROPERTY_DROPPED')?.message).toContain('Submitter Two');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when a Windows executable gives an optional header, then its fields become the optional_header (hex fields as _hex), other header parts are reported', () => {
    const w = (el: string, v: string): string => `<WinExecutableFileObj:${el}>${v}</WinExecutableFileObj:${el}>`;
    const r = importStix1(
      pkg(
        '<stix:Observables><cybox:Observable><cybox:Object><cybox:Properties xsi:type="WinExecutableFileObj:WindowsExecutableFileObjectType">' +
          '<FileObj:File_Name>a.exe</FileObj:File_Name><WinExecutableFileObj:Headers>' +
          `<WinExecutableFileObj:Optional_Header>${w('Magic', '010b')}${w('Address_Of_Entry_Point', '4096')}${w('Image_Base', '14548992')}${w('Loader_Flags', 'abdbffde')}</WinExecutableFileObj:Optional_Header>` +
          `<WinExecutableFileObj:Entropy>${w('Value', '7.1')}</WinExecutableFileObj:Entropy>` +
          '</WinExecutableFileObj:Headers></cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>',
      ),
      OPTS,
    );
    const file = r.objects.find((o) => o.type === 'file');
    expect(file?.['extensions']).toMatchObject({
      'windows-pebinary-ext': {
        optional_header: { magic_hex: '010b', address_of_entry_point: 4096, image_base: 14548992, loader_flags_hex: 'abdbffde' },
      },
    });
    // The header entropy has no STIX 2.1 property: the observed file keeps it as a custom property, said by an issue.
    expect(file?.['x_headers_entropy']).toEqual({ value: '7.1' });
    expect(r.issues.some((i) => i.code === 'STIX1_PROPERTY_CUSTOM' && i.message.includes('Headers/Entropy → x_headers_entropy'))).toBe(
      true,
    );
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an observed x509 certificate has no serial number or hash, then it is kept with a UUIDv4 id (was dropped)', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables><cybox:Observable><cybox:Object><cybox:Properties xsi:type="X509CertificateObj:X509CertificateObjectType"><X509CertificateObj:Certificate>' +
          '<X509CertificateObj:Issuer>CN=Test CA</X509CertificateObj:Issuer><X509CertificateObj:Subject>CN=www.example.org</X509CertificateObj:Subject>' +
          '</X509CertificateObj:Certificate></cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>',
      ),
      OPTS,
    );
    const cert = r.objects.find((o) => o.type === 'x509-certificate');
    expect(cert).toMatchObject({ issuer: 'CN=Test CA', subject: 'CN=www.example.org' });
    expect(cert?.id).toMatch(/^x509-certificate--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab]/);
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when a process pattern lists network connections, then they are opened_connection_refs terms', () => {
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(
          1,
          '<indicator:Observable><cybox:Object><cybox:Properties xsi:type="ProcessObj:ProcessObjectType"><ProcessObj:Name>svc.exe</ProcessObj:Name>' +
            '<ProcessObj:Network_Connection_List><ProcessObj:Network_Connection><NetworkConnectionObj:Destination_Socket_Address>' +
            '<SocketAddressObj:IP_Address><AddressObj:Address_Value>203.0.113.5</AddressObj:Address_Value></SocketAddressObj:IP_Address>' +
            '<SocketAddressObj:Port><PortObj:Port_Value>443</PortObj:Port_Value></SocketAddressObj:Port>' +
            '</NetworkConnectionObj:Destination_Socket_Address></ProcessObj:Network_Connection></ProcessObj:Network_Connection_List>' +
            '</cybox:Properties></cybox:Object></indicator:Observable>',
        )}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual([
      "[process:image_ref.name = 'svc.exe' AND process:opened_connection_refs[*].dst_ref.value = '203.0.113.5' AND process:opened_connection_refs[*].dst_port = 443]",
    ]);
    expect(r.issues.map((i) => i.code)).not.toContain('STIX1_PROPERTY_UNMAPPED');
  });

  it('when an observed Windows process lists child PIDs, a window title and network connections, then they become child_refs, windows-process-ext and opened_connection_refs', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables><cybox:Observable><cybox:Object><cybox:Properties xsi:type="WinProcessObj:WindowsProcessObjectType">' +
          '<ProcessObj:PID>1700</ProcessObj:PID><ProcessObj:Child_PID_List><ProcessObj:Child_PID>4567</ProcessObj:Child_PID></ProcessObj:Child_PID_List>' +
          '<ProcessObj:Network_Connection_List><ProcessObj:Network_Connection><NetworkConnectionObj:Layer4_Protocol>TCP</NetworkConnectionObj:Layer4_Protocol>' +
          '<NetworkConnectionObj:Destination_Socket_Address><SocketAddressObj:IP_Address><AddressObj:Address_Value>198.51.100.10</AddressObj:Address_Value></SocketAddressObj:IP_Address>' +
          '<SocketAddressObj:Port><PortObj:Port_Value>80</PortObj:Port_Value></SocketAddressObj:Port></NetworkConnectionObj:Destination_Socket_Address>' +
          '</ProcessObj:Network_Connection></ProcessObj:Network_Connection_List><WinProcessObj:Window_Title>Some Title</WinProcessObj:Window_Title>' +
          '</cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>',
      ),
      OPTS,
    );
    const byId = new Map(r.objects.map((o) => [o.id, o]));
    const proc = r.objects.find((o) => o.type === 'process' && o['pid'] === 1700);
    expect(proc?.['extensions']).toEqual({ 'windows-process-ext': { window_title: 'Some Title' } });
    const children = proc?.['child_refs'];
    expect(Array.isArray(children) ? children.map((c) => byId.get(String(c))?.['pid']) : undefined).toEqual([4567]);
    const conns = proc?.['opened_connection_refs'];
    const traffic = Array.isArray(conns) ? byId.get(String(conns[0])) : undefined;
    expect(traffic).toMatchObject({ type: 'network-traffic', dst_port: 80, protocols: ['tcp'] });
    expect(byId.get(String(traffic?.['dst_ref']))?.['value']).toBe('198.51.100.10');
    expect(r.issues.map((i) => i.code)).not.toContain('STIX1_PROPERTY_UNMAPPED');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an indicator has an OpenIOC test mechanism, then its terms become the STIX pattern and unmapped terms stay in x_openioc_terms', () => {
    const item = (search: string, type: string, value: string, condition = 'is'): string =>
      `<IndicatorItem condition="${condition}"><Context document="${search.split('/')[0] ?? ''}" search="${search}" type="mir"/><Content type="${type}">${value}</Content></IndicatorItem>`;
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(
          1,
          '<indicator:Title>Zeus</indicator:Title><indicator:Test_Mechanisms><indicator:Test_Mechanism xsi:type="stix-openioc:OpenIOC2010TestMechanismType">' +
            '<stix-openioc:ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="6d2a1b03-b216-4cd8-9a9e-8827af6ebf93" last-modified="2011-10-28T19:28:20">' +
            '<short_description>Zeus</short_description><definition><Indicator operator="OR">' +
            item('FileItem/Md5sum', 'md5', 'd41d8cd98f00b204e9800998ecf8427e') +
            item('ProcessItem/HandleList/Handle/Type', 'string', 'Mutant', 'contains') +
            '</Indicator></definition></stix-openioc:ioc></indicator:Test_Mechanism></indicator:Test_Mechanisms>',
        )}</stix:Indicators>`,
      ),
      OPTS,
    );
    const ind = r.objects.find((o) => o.type === 'indicator');
    expect(ind).toMatchObject({ name: 'Zeus', pattern_type: 'stix', pattern: "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']" });
    expect(JSON.stringify(ind?.['x_openioc_terms'])).toContain('Mutant');
    expect(r.issues.map((i) => i.code)).not.toContain('STIX1_TEST_MECHANISM_UNSUPPORTED');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when a malware instance gives several names, then the first is the name and the others are aliases', () => {
    const r = importStix1(
      pkg(
        '<stix:TTPs><stix:TTP id="t:ttp-7c000000-0000-4000-8000-000000000601" xsi:type="ttp:TTPType"><ttp:Title>Zeus</ttp:Title><ttp:Behavior><ttp:Malware><ttp:Malware_Instance>' +
          '<ttp:Name>Zeus</ttp:Name><ttp:Name>twexts</ttp:Name><ttp:Name>sdra64</ttp:Name></ttp:Malware_Instance></ttp:Malware></ttp:Behavior></stix:TTP></stix:TTPs>',
      ),
      OPTS,
    );
    expect(r.objects.find((o) => o.type === 'malware')).toMatchObject({ name: 'Zeus', aliases: ['twexts', 'sdra64'] });
  });

  it('when a standard CybOX object carries Custom_Properties, then each becomes an x_ property in the pattern and on the observed object', () => {
    const props = (name: string, extra: string): string =>
      `<cybox:Object><cybox:Properties xsi:type="FileObj:FileObjectType"><FileObj:File_Name>${name}</FileObj:File_Name>` +
      `<cyboxCommon:Custom_Properties>${extra}</cyboxCommon:Custom_Properties></cybox:Properties></cybox:Object>`;
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(1, `<indicator:Observable>${props('b.exe', '<cyboxCommon:Property name="Campaign ID">77</cyboxCommon:Property>')}</indicator:Observable>`)}</stix:Indicators>` +
          `<stix:Observables><cybox:Observable>${props('a.exe', '<cyboxCommon:Property name="ID">2.0110705E7</cyboxCommon:Property>')}</cybox:Observable></stix:Observables>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual(["[file:name = 'b.exe' AND file:x_campaign_id = '77']"]);
    expect(r.objects.find((o) => o.type === 'file')).toMatchObject({ name: 'a.exe', x_id: '2.0110705E7' });
    expect(r.issues.map((i) => i.code)).not.toContain('STIX1_PROPERTY_UNMAPPED');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an observed HTTP session has no address, then the traffic is reported but its body is still an observed artifact', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables><cybox:Observable><cybox:Object><cybox:Properties xsi:type="HTTPSessionObj:HTTPSessionObjectType"><HTTPSessionObj:HTTP_Request_Response><HTTPSessionObj:HTTP_Client_Request>' +
          '<HTTPSessionObj:HTTP_Message_Body><HTTPSessionObj:Message_Body>abc</HTTPSessionObj:Message_Body></HTTPSessionObj:HTTP_Message_Body>' +
          '</HTTPSessionObj:HTTP_Client_Request></HTTPSessionObj:HTTP_Request_Response></cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>',
      ),
      OPTS,
    );
    expect(r.objects.filter((o) => o.type === 'artifact').map((o) => o['payload_bin'])).toEqual(['YWJj']);
    expect(r.objects.some((o) => o.type === 'network-traffic')).toBe(false);
    expect(r.issues.some((i) => i.code === 'STIX1_OBSERVABLE_EMPTY' && i.message.includes('network traffic'))).toBe(true);
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an observable writes its object as stix:Object, then it is read like cybox:Object', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables><stix:Observable><stix:Object><cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr">' +
          '<AddressObj:Address_Value>192.0.2.77</AddressObj:Address_Value></cybox:Properties></stix:Object></stix:Observable></stix:Observables>',
      ),
      OPTS,
    );
    expect(r.objects.find((o) => o.type === 'ipv4-addr')?.['value']).toBe('192.0.2.77');
    expect(r.objects.some((o) => o.type === 'observed-data')).toBe(true);
  });

  it('when an indicator has several Description elements (the slider writes one per paragraph), then all are kept in ordinality order', () => {
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(
          1,
          '<indicator:Description ordinality="2">SOURCE: URLhaus - https://urlhaus.example/url/51331/</indicator:Description>' +
            '<indicator:Description ordinality="1">A known malware URL.</indicator:Description>' +
            '<indicator:Observable><cybox:Object><cybox:Properties xsi:type="URIObj:URIObjectType" type="URL"><URIObj:Value>http://writer.example/Payments/</URIObj:Value></cybox:Properties></cybox:Object></indicator:Observable>',
        )}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(r.objects.find((o) => o.type === 'indicator')?.['description']).toBe(
      'A known malware URL.\n\nSOURCE: URLhaus - https://urlhaus.example/url/51331/',
    );
  });

  it('when an archive file states its version, then it is kept as x_archive_version and the output stays valid (2.1 archive-ext has no version)', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables><cybox:Observable><cybox:Object><cybox:Properties xsi:type="ArchiveFileObj:ArchiveFileObjectType">' +
          '<FileObj:File_Name>a.zip</FileObj:File_Name><ArchiveFileObj:Version>1.2</ArchiveFileObj:Version>' +
          '<ArchiveFileObj:Archived_File><FileObj:File_Name>b.doc</FileObj:File_Name></ArchiveFileObj:Archived_File>' +
          '</cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>',
      ),
      OPTS,
    );
    const zip = r.objects.find((o) => o.type === 'file' && o['name'] === 'a.zip');
    expect(zip?.['x_archive_version']).toBe('1.2');
    expect(JSON.stringify(zip?.['extensions'])).not.toContain('version');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an indicator marks itself with a marking structure given by idref, then that structure is its marking (not reported unmapped)', () => {
    const r = importStix1(
      pkg(
        '<stix:STIX_Header><stix:Handling><marking:Marking><marking:Marking_Structure id="t:markingstructure-7c000000-0000-4000-8000-000000000701" xsi:type="TOUMarking:TermsOfUseMarkingStructureType">' +
          '<TOUMarking:Terms_Of_Use>Classification: PROTECTED</TOUMarking:Terms_Of_Use></marking:Marking_Structure></marking:Marking></stix:Handling></stix:STIX_Header>' +
          `<stix:Indicators>${indicator(
            1,
            `<indicator:Observable>${address('192.0.2.88')}</indicator:Observable>` +
              '<indicator:Handling><marking:Marking><marking:Marking_Structure idref="t:markingstructure-7c000000-0000-4000-8000-000000000701"/></marking:Marking></indicator:Handling>',
          )}</stix:Indicators>`,
      ),
      OPTS,
    );
    const statement = r.objects.find((o) => o.type === 'marking-definition');
    expect(JSON.stringify(statement?.['definition'])).toContain('Classification: PROTECTED');
    expect(r.objects.find((o) => o.type === 'indicator')?.['object_marking_refs']).toContain(statement?.id);
    expect(r.issues.map((i) => i.code)).not.toContain('STIX1_MARKING_UNSUPPORTED');
  });
});
