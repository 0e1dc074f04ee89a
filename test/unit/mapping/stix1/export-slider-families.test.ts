/**
 * STIX 2.1 → STIX 1 families found by comparing our output with the reference slider's outputs for its 2.1
 * idiom inputs (docs/mapping/stix1.md, "Measured against the reference slider"). Each case is synthetic.
 */
import { exportStix1 } from '../../../../src/mapping/stix1/export';
import { importStix1 } from '../../../../src/mapping/stix1/import';
import { importOpenioc } from '../../../../src/mapping/openioc/import';
import { importStix21 } from '../../../../src/mapping/stix21/import';
import type { StixObject } from '../../../../src/mapping/types';

const T = '2024-03-01T10:00:00.000Z';
const base = (type: string, n: number): { type: string; spec_version: string; id: string; created: string; modified: string } => ({
  type,
  spec_version: '2.1',
  id: `${type}--6b1e3c2a-4d5f-4a6b-8c7d-${String(n).padStart(12, '0')}`,
  created: T,
  modified: T,
});
const indicator = (n: number, pattern: string): StixObject => ({ ...base('indicator', n), pattern, pattern_type: 'stix', valid_from: T });
const observed = (n: number, refs: readonly string[]): StixObject => ({
  ...base('observed-data', n),
  first_observed: T,
  last_observed: T,
  number_observed: 1,
  object_refs: refs,
});

describe('STIX 2.1 → 1: CybOX object types', () => {
  it('when three user-account observations are joined by AND, then they stay three UnixUserAccount objects', () => {
    const out = exportStix1([
      indicator(
        1,
        "[user-account:account_type = 'unix' AND user-account:account_login = 'Peter'] AND [user-account:account_type = 'unix' AND user-account:account_login = 'Paul'] AND [user-account:user_id = '1009' AND user-account:extensions.'unix-account-ext'.gid = 1003]",
      ),
    ]);
    expect(out.issues).toEqual([]);
    expect(out.output.match(/xsi:type="UnixUserAccountObj:UnixUserAccountObjectType"/g)).toHaveLength(3);
    expect(out.output).toContain('<cybox:Observable_Composition operator="AND">');
    expect(out.output).toContain('<UnixUserAccountObj:Group_ID condition="Equals">1003</UnixUserAccountObj:Group_ID>');
    const back = importStix1(out.output, { now: T }).objects.find((o) => o.type === 'indicator');
    expect(back?.['pattern']).toContain("user-account:extensions.'unix-account-ext'.gid = 1003");
    expect(back?.['pattern']).toContain("user-account:account_login = 'Paul'");
  });

  it('when a pattern compares socket-ext properties, then they become a NetworkSocket with its options', () => {
    const out = exportStix1([
      indicator(
        2,
        "[network-traffic:extensions.'socket-ext'.address_family = 'AF_INET' AND network-traffic:extensions.'socket-ext'.options.SO_LINGER = 5]",
      ),
    ]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain(
      '<cybox:Properties xsi:type="NetworkSocketObj:NetworkSocketObjectType"><NetworkSocketObj:Address_Family condition="Equals">AF_INET</NetworkSocketObj:Address_Family>' +
        '<NetworkSocketObj:Options><NetworkSocketObj:SO_LINGER condition="Equals">5</NetworkSocketObj:SO_LINGER></NetworkSocketObj:Options></cybox:Properties>',
    );
  });

  it('when a merged file/PE indicator has an imphash and section hashes, then it is a WinExecutableFile, not pattern text', () => {
    const out = exportStix1([
      indicator(
        4,
        "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' AND file:extensions.'windows-pebinary-ext'.imphash = '0123456789abcdef0123456789abcdef' AND file:extensions.'windows-pebinary-ext'.sections[*].hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427f']",
      ),
    ]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain('xsi:type="WinExecutableFileObj:WindowsExecutableFileObjectType"');
    expect(out.output).toContain(
      '<cyboxCommon:Hash><cyboxCommon:Type>IMPHASH</cyboxCommon:Type><cyboxCommon:Simple_Hash_Value condition="Equals">0123456789abcdef0123456789abcdef</cyboxCommon:Simple_Hash_Value></cyboxCommon:Hash>',
    );
    expect(out.output).toContain(
      '<WinExecutableFileObj:Section><WinExecutableFileObj:Header_Hashes><cyboxCommon:Hash><cyboxCommon:Type xsi:type="cyboxVocabs:HashNameVocab-1.0">MD5</cyboxCommon:Type>' +
        '<cyboxCommon:Simple_Hash_Value condition="Equals">d41d8cd98f00b204e9800998ecf8427f</cyboxCommon:Simple_Hash_Value></cyboxCommon:Hash></WinExecutableFileObj:Header_Hashes></WinExecutableFileObj:Section>',
    );
    expect(out.output).not.toContain('STIX 2.1 pattern:');
  });

  it('when observed SCOs carry rir, service descriptions, software languages and Received headers, then a re-import gives them back', () => {
    const as = { type: 'autonomous-system', id: 'autonomous-system--1d3f7c2a-0b4e-5c6d-8e9f-0a1b2c3d4e5f', number: 15139, rir: 'ARIN' };
    const sw = { type: 'software', id: 'software--2d3f7c2a-0b4e-5c6d-8e9f-0a1b2c3d4e5f', name: 'Word', languages: ['en'] };
    const svc = {
      type: 'process',
      id: 'process--3d3f7c2a-0b4e-4c6d-8e9f-0a1b2c3d4e5f',
      pid: 2217,
      extensions: { 'windows-service-ext': { service_name: 'sirvizio', descriptions: ['A service', 'Second line'] } },
    };
    const mail = {
      type: 'email-message',
      id: 'email-message--4d3f7c2a-0b4e-5c6d-8e9f-0a1b2c3d4e5f',
      is_multipart: false,
      subject: 'Hello',
      additional_header_fields: { Received: ['from a.example by b.example'], 'X-Priority': '1' },
    };
    const objects = [as, sw, svc, mail, observed(3, [as.id, sw.id, svc.id, mail.id])];
    const out = exportStix1(objects);
    expect(out.issues).toEqual([]);
    const back = importStix1(out.output, { now: T }).objects;
    const find = (type: string): StixObject | undefined => back.find((o) => o.type === type);
    expect(find('autonomous-system')?.['rir']).toBe('ARIN');
    expect(find('software')?.['languages']).toEqual(['en']);
    expect(find('process')?.['extensions']).toEqual({
      'windows-service-ext': { service_name: 'sirvizio', descriptions: ['A service', 'Second line'] },
    });
    expect(JSON.stringify(find('email-message'))).toContain('from a.example by b.example');
  });
});

describe('STIX 2.1 → 1: constructs, markings and relationships', () => {
  const acme = { ...base('identity', 10), name: 'ACME', identity_class: 'organization', sectors: ['technology'] };
  const ais = {
    type: 'marking-definition',
    spec_version: '2.1',
    id: 'marking-definition--3e64bb4f-9b5c-4a39-8b7f-3dcfacda0334',
    created: T,
    definition_type: 'ais',
    definition: { consent: 'everyone', is_proprietary: 'false', is_cisa_proprietary: 'false', tlp: 'white' },
  };

  it('when the producer has sectors and an object an AIS marking definition, then the CIQ identity and the AIS structure carry them', () => {
    const ind = { ...indicator(11, "[ipv4-addr:value = '198.51.100.7']"), created_by_ref: acme.id, object_marking_refs: [ais.id] };
    const out = exportStix1([acme, ais, ind]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain('<xpil:OrganisationInfo xpil:IndustryType="Information Technology Sector"/>');
    expect(out.output).toContain(
      '<AIS:Not_Proprietary CISA_Proprietary="false"><AIS:AISConsent consent="EVERYONE"/><AIS:TLPMarking color="WHITE"/></AIS:Not_Proprietary>',
    );
    const back = importStix1(out.output, { now: T }).objects;
    expect(back.find((o) => o.type === 'identity')?.['sectors']).toEqual(['technology']);
  });

  it('when a marking has no STIX 1 form, then it is reported, not dropped in silence', () => {
    const odd = { ...ais, id: 'marking-definition--9e64bb4f-9b5c-4a39-8b7f-3dcfacda0335', definition_type: 'x-acme', definition: {} };
    const ind = { ...indicator(12, "[ipv4-addr:value = '198.51.100.8']"), object_marking_refs: [odd.id] };
    const issues = exportStix1([odd, ind]).issues;
    expect(issues.map((i) => [i.code, i.severity, i.objectId])).toEqual([['STIX1_EXPORT_PROPERTY_UNMAPPED', 'warning', ind.id]]);
    expect(issues[0]?.message).toContain(odd.id);
  });

  it('when a vulnerability has an OSVDB reference, then it is the OSVDB_ID and a re-import gives the reference back', () => {
    const vuln = {
      ...base('vulnerability', 13),
      name: 'Javascript vulnerability in MSIE 6-11',
      external_references: [
        { source_name: 'cve', external_id: 'CVE-2013-3893' },
        { source_name: 'OSVDB_ID', external_id: 'OSVDB-97380' },
      ],
    };
    const out = exportStix1([vuln]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain('<et:CVE_ID>CVE-2013-3893</et:CVE_ID><et:OSVDB_ID>97380</et:OSVDB_ID>');
    const back = importStix1(out.output, { now: T }).objects.find((o) => o.type === 'vulnerability');
    expect(back?.['external_references']).toEqual(expect.arrayContaining([{ source_name: 'osvdb', external_id: '97380' }]));
  });

  it('when an attack pattern uses a malware and a course of action investigates an indicator, then Related_TTPs and Suggested_COAs hold them', () => {
    const ap = { ...base('attack-pattern', 20), name: 'Phishing' };
    const mw = { ...base('malware', 21), name: 'Poison Ivy', is_family: false };
    const coa = { ...base('course-of-action', 22), name: 'Bricked Computer' };
    const ind = indicator(23, "[mutex:name = 'To0o0o0o0o0o0o0o0ooLate']");
    const rel = (n: number, type: string, src: string, tgt: string): StixObject => ({
      ...base('relationship', n),
      relationship_type: type,
      source_ref: src,
      target_ref: tgt,
    });
    const objects = [ap, mw, coa, ind, rel(24, 'uses', ap.id, mw.id), rel(25, 'investigates', coa.id, ind.id)];
    const out = exportStix1(objects);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain(
      '<ttp:Related_TTPs><ttp:Related_TTP><stixCommon:Relationship>uses</stixCommon:Relationship>' +
        '<stixCommon:TTP idref="gateway:ttp-6b1e3c2a-4d5f-4a6b-8c7d-000000000021" xsi:type="ttp:TTPType"/></ttp:Related_TTP></ttp:Related_TTPs>',
    );
    expect(out.output).toContain('<stixCommon:Course_Of_Action idref="gateway:coa-6b1e3c2a-4d5f-4a6b-8c7d-000000000022"/>');
  });

  it('when an incident is attributed to a campaign, then the campaign lists it as a Related_Incident', () => {
    const camp = { ...base('campaign', 26), name: 'Compromise of ATM Machines' };
    const inc = { ...base('incident', 27), name: 'ATM 17' };
    const rel = { ...base('relationship', 28), relationship_type: 'attributed-to', source_ref: inc.id, target_ref: camp.id };
    const out = exportStix1([camp, inc, rel]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain(
      '<campaign:Related_Incidents><campaign:Related_Incident><stixCommon:Incident idref="gateway:incident-6b1e3c2a-4d5f-4a6b-8c7d-000000000027" xsi:type="incident:IncidentType"/></campaign:Related_Incident></campaign:Related_Incidents>',
    );
  });

  it('when a 2.1-draft malware has no is_family, then the import adds is_family false with a warning', () => {
    const draft = { ...base('malware', 30), name: 'Poison Ivy' };
    const r = importStix21(JSON.stringify({ type: 'bundle', id: 'bundle--6b1e3c2a-4d5f-4a6b-8c7d-000000000031', objects: [draft] }));
    expect(r.objects[0]?.['is_family']).toBe(false);
    expect(r.issues.map((i) => [i.code, i.severity, i.objectId])).toEqual([['STIX21_IS_FAMILY_DEFAULTED', 'warning', draft.id]]);
  });
});

describe('OpenIOC → STIX 1: PE version-info terms', () => {
  const ioc = (operator: string): string =>
    `<?xml version="1.0"?><ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="3a1f6c2e-8b4d-4e0a-9c7d-1e2f3a4b5c60" last-modified="2024-01-01T00:00:00">` +
    `<definition><Indicator operator="${operator}" id="5c3b8e4a-0d6f-4a2c-9e9f-3a4b5c6d7e82">` +
    `<IndicatorItem id="6d4c9f5b-1e7a-4b3d-8f0a-4b5c6d7e8f93" condition="is"><Context document="FileItem" search="FileItem/FileName" type="mir"/><Content type="string">exampleshell.dll</Content></IndicatorItem>` +
    `<IndicatorItem id="7e5d0a6c-2f8b-4c4e-9a1b-5c6d7e8f9aa4" condition="contains"><Context document="FileItem" search="FileItem/PEInfo/VersionInfoList/VersionInfoItem/CompanyName" type="mir"/><Content type="string">Example Corp</Content></IndicatorItem>` +
    `</Indicator></definition></ioc>`;
  const toStix1 = (text: string): string => exportStix1(importOpenioc(text, { now: T }).objects).output;

  it('when a version-info term is ANDed with a file term, then both are one WinExecutableFile with a PEVersionInfoResource', () => {
    const out = toStix1(ioc('AND'));
    expect(out).toContain(
      '<cybox:Properties xsi:type="WinExecutableFileObj:WindowsExecutableFileObjectType"><FileObj:File_Name condition="Equals">exampleshell.dll</FileObj:File_Name>' +
        '<WinExecutableFileObj:Resources><WinExecutableFileObj:Resource xsi:type="WinExecutableFileObj:PEVersionInfoResourceType">' +
        '<WinExecutableFileObj:CompanyName condition="Contains">Example Corp</WinExecutableFileObj:CompanyName>',
    );
    expect(out).not.toContain('OpenIOC terms without a STIX form');
  });

  it('when a version-info term is ORed with a file term, then it is not narrowed into the file object and stays in the description', () => {
    const out = toStix1(ioc('OR'));
    expect(out).not.toContain('PEVersionInfoResourceType');
    expect(out).toContain('FileItem/PEInfo/VersionInfoList/VersionInfoItem/CompanyName contains "Example Corp"');
  });
});

describe('STIX 2.1 → 1: archives', () => {
  it('when a pattern names an archive member, then it is an ArchiveFile with an Archived_File and a re-import gives the pattern back', () => {
    const out = exportStix1([
      indicator(42, "[file:name = 'iprip32.zip' AND file:extensions.'archive-ext'.contains_refs[*].name = 'fred.doc']"),
    ]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain(
      '<ArchiveFileObj:Archived_File><FileObj:File_Name condition="Equals">fred.doc</FileObj:File_Name></ArchiveFileObj:Archived_File>',
    );
    const back = importStix1(out.output, { now: T }).objects.find((o) => o.type === 'indicator');
    expect(back?.['pattern']).toContain("file:extensions.'archive-ext'.contains_refs[*].name = 'fred.doc'");
  });
});

describe('STIX 2.1 → 1: process image directory', () => {
  it('when a pattern compares the directory of a process image, then it is the Image_Info Path (was pattern text)', () => {
    const out = exportStix1([indicator(41, "[process:image_ref.parent_directory_ref.path = 'C:\\\\Windows\\\\Temp']")]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain(
      '<ProcessObj:Image_Info><ProcessObj:Path condition="Equals">C:\\Windows\\Temp</ProcessObj:Path></ProcessObj:Image_Info>',
    );
  });
});

describe('STIX 2.1 → 1: custom object types in patterns', () => {
  it('when a pattern compares a custom object type (Amnesty app ids), then it is a CybOX Custom object, not pattern text', () => {
    const out = exportStix1([indicator(40, "[app:id = 'com.gu.activity']")]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain(
      '<cybox:Properties xsi:type="CustomObj:CustomObjectType" custom_name="app"><cyboxCommon:Custom_Properties>' +
        '<cyboxCommon:Property name="id" condition="Equals">com.gu.activity</cyboxCommon:Property></cyboxCommon:Custom_Properties></cybox:Properties>',
    );
  });
});

describe('STIX 2.1 → 1: relationships (second round)', () => {
  const rel = (n: number, type: string, source: string, target: string): StixObject => ({
    ...base('relationship', n),
    relationship_type: type,
    source_ref: source,
    target_ref: target,
  });
  const gov = { ...base('identity', 50), name: 'Example Gov', identity_class: 'government' };

  it('when an indicator indicates a malware the bundle does not hold, then it is an Indicated_TTP idref, not reported lost', () => {
    const ind = indicator(51, "[ipv4-addr:value = '198.51.100.9']");
    const absent = 'malware--73fe3b22-0201-47cf-85d0-97c02164528d';
    const out = exportStix1([ind, rel(52, 'indicates', ind.id, absent)]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain(
      '<indicator:Indicated_TTP><stixCommon:TTP idref="gateway:ttp-73fe3b22-0201-47cf-85d0-97c02164528d" xsi:type="ttp:TTPType"/></indicator:Indicated_TTP>',
    );
  });

  it('when a threat actor is attributed to an identity the bundle does not hold, then its Identity is an idref (not the actor’s own name)', () => {
    const ta = { ...base('threat-actor', 53), name: 'Adversary Bravo', threat_actor_types: ['unknown'] };
    const absent = 'identity--1621d4d4-b67d-11e3-9670-f01faf20d111';
    const out = exportStix1([ta, rel(54, 'attributed-to', ta.id, absent)]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain('<ta:Identity idref="gateway:identity-1621d4d4-b67d-11e3-9670-f01faf20d111"/>');
    expect(out.output).not.toContain('<stixCommon:Name>Adversary Bravo</stixCommon:Name>');
  });

  it('when an attack pattern targets an identity, then the TTP names it in Victim_Targeting', () => {
    const ap = { ...base('attack-pattern', 55), name: 'Content Spoofing' };
    const out = exportStix1([ap, gov, rel(56, 'targets', ap.id, gov.id)]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain(
      '<ttp:Victim_Targeting><ttp:Identity id="gateway:identity-6b1e3c2a-4d5f-4a6b-8c7d-000000000050"><stixCommon:Name>Example Gov</stixCommon:Name></ttp:Identity></ttp:Victim_Targeting>',
    );
  });

  it('when a threat actor and a campaign target an identity, then each lists a Victim_Targeting TTP of the package with the relationship targets', () => {
    const ta = { ...base('threat-actor', 57), name: 'Disco Team', threat_actor_types: ['crime-syndicate'] };
    const camp = { ...base('campaign', 58), name: 'Operation Disco' };
    const other = { ...base('identity', 59), name: 'Example Bank', identity_class: 'organization' };
    const out = exportStix1([
      ta,
      camp,
      gov,
      other,
      rel(60, 'targets', ta.id, gov.id),
      rel(61, 'targets', ta.id, other.id),
      rel(62, 'targets', camp.id, gov.id),
    ]);
    expect(out.issues).toEqual([]);
    const ttpOf = (n: number): string => `gateway:ttp-6b1e3c2a-4d5f-4a6b-8c7d-${String(n).padStart(12, '0')}`;
    expect(out.output).toContain(
      `<ta:Observed_TTPs><ta:Observed_TTP><stixCommon:Relationship>targets</stixCommon:Relationship><stixCommon:TTP idref="${ttpOf(60)}" xsi:type="ttp:TTPType"/></ta:Observed_TTP></ta:Observed_TTPs>`,
    );
    expect(out.output).toContain(
      `<campaign:Related_TTP><stixCommon:Relationship>targets</stixCommon:Relationship><stixCommon:TTP idref="${ttpOf(62)}" xsi:type="ttp:TTPType"/></campaign:Related_TTP>`,
    );
    // The actor's TTP names both victims: the first as its Identity, the second as a related identity.
    expect(out.output).toContain(
      `<stix:TTP id="${ttpOf(60)}" timestamp="${T}" xsi:type="ttp:TTPType" version="1.2"><ttp:Title>Victims targeted by Disco Team</ttp:Title>` +
        `<ttp:Victim_Targeting><ttp:Identity id="gateway:identity-6b1e3c2a-4d5f-4a6b-8c7d-000000000050"><stixCommon:Name>Example Gov</stixCommon:Name><stixCommon:Related_Identities><stixCommon:Related_Identity>` +
        '<stixCommon:Identity id="gateway:identity-6b1e3c2a-4d5f-4a6b-8c7d-000000000059"><stixCommon:Name>Example Bank</stixCommon:Name></stixCommon:Identity></stixCommon:Related_Identity></stixCommon:Related_Identities>' +
        '</ttp:Identity></ttp:Victim_Targeting></stix:TTP>',
    );
  });
});

describe('STIX 2.1 → 1: email headers and display names', () => {
  const addr = (n: number, value: string, display?: string): StixObject => ({
    type: 'email-addr',
    id: `email-addr--5d3f7c2a-0b4e-5c6d-8e9f-${String(n).padStart(12, '0')}`,
    value,
    ...(display === undefined ? {} : { display_name: display }),
  });
  const from = addr(1, 'joe@example.com', 'Joe Smith');
  const to = addr(2, 'bob@example.com');
  const mail = (extra: Record<string, unknown>): StixObject => ({
    type: 'email-message',
    id: 'email-message--6d3f7c2a-0b4e-5c6d-8e9f-0a1b2c3d4e5f',
    is_multipart: false,
    from_ref: from.id,
    to_refs: [to.id],
    ...extra,
  });

  it('when a received line (MISP email-header) is made of trace clauses, then it is a structured CybOX Received line', () => {
    const line =
      'from mail.example.com ([198.51.100.3]) by mx.example.org with ESMTPS id 4711ab (TLS) for <bob@example.com>; Tue, 19 Jul 2016 07:20:40 -0700 (PDT)';
    const m = mail({ received_lines: [line] });
    const out = exportStix1([from, to, m, observed(70, [m.id, from.id, to.id])]);
    expect(out.output).toContain(
      '<EmailMessageObj:Received_Lines><EmailMessageObj:Received><EmailMessageObj:From>mail.example.com ([198.51.100.3])</EmailMessageObj:From>' +
        '<EmailMessageObj:By>mx.example.org</EmailMessageObj:By><EmailMessageObj:With>ESMTPS</EmailMessageObj:With>' +
        '<EmailMessageObj:For>&lt;bob@example.com&gt;</EmailMessageObj:For><EmailMessageObj:ID>4711ab (TLS)</EmailMessageObj:ID>' +
        '<EmailMessageObj:Timestamp>2016-07-19T14:20:40.000Z</EmailMessageObj:Timestamp></EmailMessageObj:Received></EmailMessageObj:Received_Lines>',
    );
    expect(out.output).not.toContain('name="received_lines[*]"');
  });

  it('when a received line has text outside the trace clauses, then it is kept whole as a custom property and reported with its value', () => {
    const m = mail({ received_lines: ['(qmail 4711 invoked by uid 89)', 'from a.example by b.example; 19 Jul 2016 07:20:40 -0700'] });
    const out = exportStix1([from, to, m, observed(71, [m.id, from.id, to.id])]);
    expect(out.output).toContain('<cyboxCommon:Property name="received_lines[*]">(qmail 4711 invoked by uid 89)</cyboxCommon:Property>');
    expect(out.output).toContain(
      '<EmailMessageObj:Received><EmailMessageObj:From>a.example</EmailMessageObj:From><EmailMessageObj:By>b.example</EmailMessageObj:By>',
    );
    const custom = out.issues.find((i) => i.code === 'STIX1_EXPORT_PROPERTY_CUSTOM');
    expect(custom?.message).toContain('received_lines[*] = "(qmail 4711 invoked by uid 89)"');
  });

  it('when the sender has a display name and Reply-To lists two addresses, then the first is Reply_To and the rest are custom properties named by value', () => {
    const m = mail({ additional_header_fields: { 'Reply-To': ['steve@example.com', 'jane@example.com'] } });
    const out = exportStix1([from, to, m, observed(72, [m.id, from.id, to.id])]);
    expect(out.output).toContain(
      '<EmailMessageObj:Reply_To category="e-mail"><AddressObj:Address_Value>steve@example.com</AddressObj:Address_Value></EmailMessageObj:Reply_To>',
    );
    expect(out.output).toContain('<cyboxCommon:Property name="from_ref.display_name">Joe Smith</cyboxCommon:Property>');
    expect(out.output).toContain(
      '<cyboxCommon:Property name="additional_header_fields.\'Reply-To\'[*]">jane@example.com</cyboxCommon:Property>',
    );
    const custom = out.issues.find((i) => i.code === 'STIX1_EXPORT_PROPERTY_CUSTOM');
    expect(custom?.message).toContain('from_ref.display_name = "Joe Smith"');
    expect(custom?.message).toContain('additional_header_fields.\'Reply-To\'[*] = "jane@example.com"');
  });
});

describe('STIX 2.1 → 1: pattern values (second round)', () => {
  it('when a pattern compares a property CybOX has no element for, then the object keeps it as a custom property with its condition and the pattern text is kept', () => {
    const pattern =
      "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:mime_type = 'application/x-pdf']";
    const out = exportStix1([indicator(80, pattern)]);
    expect(out.issues.map((i) => i.code)).toEqual(['STIX1_EXPORT_PROPERTY_CUSTOM']);
    expect(out.issues[0]?.message).toContain('file:mime_type = "application/x-pdf"');
    expect(out.output).toContain('<cyboxCommon:Property name="mime_type" condition="Equals">application/x-pdf</cyboxCommon:Property>');
    expect(out.output).toContain(
      '<cyboxCommon:Simple_Hash_Value condition="Equals">aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f',
    );
    expect(out.output).toContain(`STIX 2.1 pattern: ${pattern}`);
  });

  it('when a STIX 2.0 pattern compares email references with addresses, then they are the header From and To recipients', () => {
    const out = exportStix1([indicator(81, "[email-message:from_ref = 'fred@abc.com' AND email-message:to_refs[*] = 'barney@abc.com']")]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain(
      '<EmailMessageObj:Header><EmailMessageObj:To><EmailMessageObj:Recipient category="e-mail"><AddressObj:Address_Value condition="Equals">barney@abc.com</AddressObj:Address_Value></EmailMessageObj:Recipient></EmailMessageObj:To>' +
        '<EmailMessageObj:From category="e-mail"><AddressObj:Address_Value condition="Equals">fred@abc.com</AddressObj:Address_Value></EmailMessageObj:From></EmailMessageObj:Header>',
    );
  });

  it('when a pattern gives an artifact MIME type, a 2.0 process created time and an IPv4 destination type, then each has its CybOX form', () => {
    const out = exportStix1([
      indicator(82, "[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin = 'AAEC']"),
      indicator(83, "[process:created = t'2010-12-09T20:17:34.934295Z' AND process:pid = 1700]"),
      indicator(84, "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']"),
    ]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain(
      '<cybox:Properties xsi:type="ArtifactObj:ArtifactObjectType" content_type="application/vnd.tcpdump.pcap">',
    );
    expect(out.output).toContain('<ProcessObj:Creation_Time condition="Equals">2010-12-09T20:17:34.934295Z</ProcessObj:Creation_Time>');
    expect(out.output).toContain(
      '<SocketAddressObj:IP_Address category="ipv4-addr"><AddressObj:Address_Value condition="Equals">203.0.113.33/32',
    );
    expect(out.output).not.toContain('STIX 2.1 pattern:');
  });
});

describe('STIX 2.1 → 1: SDO extras', () => {
  it('when a vulnerability carries a CVSS score and vector and CWE ids (MISP vulnerability object), then they are its CVSS_Score and Weakness elements, not unmapped', () => {
    const vuln = {
      ...base('vulnerability', 90),
      name: 'CVE-2021-44228',
      external_references: [
        { source_name: 'cve', external_id: 'CVE-2021-44228' },
        { source_name: 'cwe', external_id: 'CWE-502' },
      ],
      x_misp_cvss_score: '10.0',
      x_misp_cvss_string: 'AV:N/AC:L/Au:N/C:C/I:C/A:C',
      x_misp_cwe: 'CWE-917',
      x_misp_credit: 'Chen Zhaojun',
    };
    const out = exportStix1([vuln]);
    expect(out.output).toContain(
      '<et:CVE_ID>CVE-2021-44228</et:CVE_ID><et:CVSS_Score><et:Overall_Base_Score>10.0</et:Overall_Base_Score>' +
        '<et:Base_Vector>AV:N/AC:L/Au:N/C:C/I:C/A:C</et:Base_Vector></et:CVSS_Score></et:Vulnerability>' +
        '<et:Weakness><et:CWE_ID>CWE-917</et:CWE_ID></et:Weakness><et:Weakness><et:CWE_ID>CWE-502</et:CWE_ID></et:Weakness>',
    );
    // What has no element is still reported with its value, never dropped in silence.
    expect(out.issues.map((i) => i.message)).toEqual(['custom properties without a STIX 1.x place: x_misp_credit = "Chen Zhaojun"']);
  });

  it('when a YARA indicator has a rule version, then it is the test mechanism Version', () => {
    const ind = {
      ...base('indicator', 91),
      pattern: 'rule a { condition: true }',
      pattern_type: 'yara',
      pattern_version: '4.2',
      valid_from: T,
    };
    const out = exportStix1([ind]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain(
      '<indicator:Test_Mechanism xsi:type="yaraTM:YaraTestMechanismType"><yaraTM:Version>4.2</yaraTM:Version><yaraTM:Rule>',
    );
  });

  it('when a note annotates an indicator and a report, then it is a Report of its own with its text, authors and the annotated constructs', () => {
    const ind = indicator(92, "[domain-name:value = 'bad.example']");
    const rep = { ...base('report', 93), name: 'Weekly', published: T, object_refs: [ind.id] };
    const note = {
      ...base('note', 94),
      abstract: 'Analyst view',
      content: 'Seen in phishing since May.',
      authors: ['A. Analyst'],
      object_refs: [ind.id, rep.id],
    };
    const out = exportStix1([ind, rep, note]);
    expect(out.issues).toEqual([]);
    expect(out.output).toContain(
      '<report:Header><report:Title>Analyst view</report:Title><report:Intent>Note</report:Intent><report:Description>Seen in phishing since May.</report:Description>' +
        '<report:Information_Source><stixCommon:Contributing_Sources><stixCommon:Source><stixCommon:Identity><stixCommon:Name>A. Analyst</stixCommon:Name>' +
        '</stixCommon:Identity></stixCommon:Source></stixCommon:Contributing_Sources></report:Information_Source></report:Header>' +
        `<report:Indicators><report:Indicator idref="gateway:indicator-6b1e3c2a-4d5f-4a6b-8c7d-000000000092"/></report:Indicators>` +
        '<report:Related_Reports><report:Related_Report><stixCommon:Report idref="gateway:report-6b1e3c2a-4d5f-4a6b-8c7d-000000000093"/></report:Related_Report></report:Related_Reports>',
    );
  });
});

describe('STIX 2.1 → 1: custom SCO types in observed-data', () => {
  it('when an observed-data holds a custom SCO type, then it is a CybOX Custom object and not also reported as left out', () => {
    const fooz = { type: 'fooz', id: 'fooz--6fcd8459-e491-4281-a427-1706c2e8e3f3', ftp_command: 'fp1.bin' };
    const out = exportStix1([fooz, observed(95, [fooz.id])]);
    expect(out.output).toContain('<cybox:Properties xsi:type="CustomObj:CustomObjectType" custom_name="fooz">');
    expect(out.output).toContain('<cyboxCommon:Property name="ftp_command">fp1.bin</cyboxCommon:Property>');
    expect(out.issues.filter((i) => i.code === 'STIX1_EXPORT_UNSUPPORTED_OBJECT')).toEqual([]);
  });
});

describe('STIX 2.1 → 1: referenced SCOs with values of their own', () => {
  it('when a process names its creator account and image file and an address its AS, then those are objects of their own (were dropped silently)', () => {
    const file = {
      type: 'file',
      id: 'file--7d3f7c2a-0b4e-5c6d-8e9f-0a1b2c3d4e5f',
      name: 'some.file',
      hashes: { 'SHA-256': 'a'.repeat(64) },
    };
    const user = { type: 'user-account', id: 'user-account--8d3f7c2a-0b4e-5c6d-8e9f-0a1b2c3d4e5f', user_id: '1002', account_login: 'fred' };
    const proc = {
      type: 'process',
      id: 'process--9d3f7c2a-0b4e-4c6d-8e9f-0a1b2c3d4e5f',
      pid: 1221,
      image_ref: file.id,
      creator_user_ref: user.id,
    };
    const as = {
      type: 'autonomous-system',
      id: 'autonomous-system--ad3f7c2a-0b4e-5c6d-8e9f-0a1b2c3d4e5f',
      number: 15139,
      name: 'Slime Industries',
    };
    const ip = {
      type: 'ipv4-addr',
      id: 'ipv4-addr--bd3f7c2a-0b4e-5c6d-8e9f-0a1b2c3d4e5f',
      value: '219.90.112.203',
      belongs_to_refs: [as.id],
    };
    const out = exportStix1([file, user, proc, as, ip, observed(96, [proc.id, file.id, user.id]), observed(97, [ip.id, as.id])]);
    for (const v of [
      'a'.repeat(64),
      '<UserAccountObj:Username>fred</UserAccountObj:Username>',
      '<ASObj:Name>Slime Industries</ASObj:Name>',
      '<ASObj:Number>15139</ASObj:Number>',
    ]) {
      expect(out.output).toContain(v);
    }
    expect(out.output).toContain('<ProcessObj:Name>some.file</ProcessObj:Name>');
  });
});

describe('STIX 2.1 → 1: observation times and motivations', () => {
  it('when observed-data has a count and first/last observation times, then the Observable has sighting_count and an Observable_Source time (were dropped silently)', () => {
    const url = { type: 'url', id: 'url--cd3f7c2a-0b4e-5c6d-8e9f-0a1b2c3d4e5f', value: 'https://example.com/research/index.html' };
    const od = {
      ...observed(98, [url.id]),
      first_observed: '2017-05-22T13:03:55.429Z',
      last_observed: '2017-05-23T13:03:55.429Z',
      number_observed: 3,
    };
    const out = exportStix1([url, od]);
    expect(out.output).toContain(
      '<cybox:Observable id="gateway:Observable-6b1e3c2a-4d5f-4a6b-8c7d-000000000098" sighting_count="3"><cybox:Observable_Source><cyboxCommon:Time>' +
        '<cyboxCommon:Start_Time>2017-05-22T13:03:55.429Z</cyboxCommon:Start_Time><cyboxCommon:End_Time>2017-05-23T13:03:55.429Z</cyboxCommon:End_Time></cyboxCommon:Time></cybox:Observable_Source><cybox:Object',
    );
  });

  it('when a threat actor has secondary motivations, then each is one more Motivation after the primary one', () => {
    const ta = { ...base('threat-actor', 99), name: 'Fake BPP', primary_motivation: 'ideology', secondary_motivations: ['dominance'] };
    const out = exportStix1([ta]);
    expect(out.output).toContain(
      '<ta:Motivation><stixCommon:Value>ideology</stixCommon:Value></ta:Motivation><ta:Motivation><stixCommon:Value>dominance</stixCommon:Value></ta:Motivation>',
    );
  });
});
