import { exportStix1 } from '../../../../src/mapping/stix1/export';
import { importStix1 } from '../../../../src/mapping/stix1/import';
import type { StixObject } from '../../../../src/mapping/types';

const T = '2024-03-01T10:00:00.000Z';
const ACME = {
  type: 'identity',
  spec_version: '2.1',
  id: 'identity--0f3e1a52-7a7c-4c1e-9d53-3d1f8f2b6a01',
  created: T,
  modified: T,
  name: 'ACME CERT',
  identity_class: 'organization',
};
const CAMPAIGN = {
  type: 'campaign',
  spec_version: '2.1',
  id: 'campaign--5c2b6a4e-1f0d-4a6b-8e6c-2a9e0b7c1d02',
  created: T,
  modified: T,
  name: 'Compromise of ATM machines',
  created_by_ref: ACME.id,
  external_references: [
    { source_name: 'ACME', url: 'https://acme.example/reports/atm' },
    { source_name: 'ACME Bugzilla', external_id: '1370' },
  ],
};

describe('STIX 1 export: information sources', () => {
  it('when an SDO has a producer and external references, then they are written in its Information_Source and the URL-less one is kept as its description', () => {
    const out = exportStix1([ACME, CAMPAIGN]);
    expect(out.output).toContain(
      '<campaign:Information_Source><stixCommon:Description>SOURCE: ACME Bugzilla 1370</stixCommon:Description>' +
        '<stixCommon:Identity><stixCommon:Name>ACME CERT</stixCommon:Name></stixCommon:Identity>' +
        '<stixCommon:References><stixCommon:Reference>https://acme.example/reports/atm</stixCommon:Reference></stixCommon:References></campaign:Information_Source>',
    );
    expect(out.issues.filter((i) => i.code === 'STIX1_EXPORT_PROPERTY_UNMAPPED')).toEqual([]);
  });

  it('when an indicator has external references with URLs, then a re-import of its Producer gives them back', () => {
    const ind = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--3a1c6d2e-8b4f-4e0a-9c7d-1e2f3a4b5c03',
      created: T,
      modified: T,
      pattern: "[domain-name:value = 'c2.example.net']",
      pattern_type: 'stix',
      valid_from: T,
      created_by_ref: ACME.id,
      external_references: [{ source_name: 'ACME', url: 'https://acme.example/ioc/1' }],
    };
    const back = importStix1(exportStix1([ACME, ind]).output, { now: T });
    const again = back.objects.find((o) => o.id === ind.id);
    expect(again?.['external_references']).toEqual([{ source_name: 'ACME CERT', url: 'https://acme.example/ioc/1' }]);
  });
});

describe('STIX 1 export: CybOX coverage', () => {
  const observed = (refs: string[]): StixObject => ({
    type: 'observed-data',
    spec_version: '2.1',
    id: 'observed-data--7b1d0c2e-4f3a-4b5c-8d6e-9f0a1b2c3d04',
    created: T,
    modified: T,
    first_observed: T,
    last_observed: T,
    number_observed: 1,
    object_refs: refs,
  });

  it('when a PE file has header and optional header values, then each is a CybOX element and nothing is reported unmapped', () => {
    const file = {
      type: 'file',
      spec_version: '2.1',
      id: 'file--1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a05',
      hashes: { 'SHA-256': '35a01331e9ad96f751278b891b6ea09699806faedfa237d40513d92ad1b7100f' },
      extensions: {
        'windows-pebinary-ext': {
          pe_type: 'exe',
          machine_hex: '014c',
          number_of_symbols: 4542568,
          characteristics_hex: '818f',
          optional_header: { magic_hex: '010b', size_of_image: 299008, loader_flags_hex: 'abdbffde' },
        },
      },
    };
    const out = exportStix1([observed([file.id]), file]);
    for (const xml of [
      '<WinExecutableFileObj:Machine>014c</WinExecutableFileObj:Machine>',
      '<WinExecutableFileObj:Number_Of_Symbols>4542568</WinExecutableFileObj:Number_Of_Symbols>',
      '<WinExecutableFileObj:Characteristics>818f</WinExecutableFileObj:Characteristics>',
      '<WinExecutableFileObj:Optional_Header><WinExecutableFileObj:Magic>010b</WinExecutableFileObj:Magic>' +
        '<WinExecutableFileObj:Size_Of_Image>299008</WinExecutableFileObj:Size_Of_Image>' +
        '<WinExecutableFileObj:Loader_Flags>abdbffde</WinExecutableFileObj:Loader_Flags></WinExecutableFileObj:Optional_Header>',
    ])
      expect(out.output).toContain(xml);
    expect(out.issues.filter((i) => i.code === 'STIX1_EXPORT_PROPERTY_UNMAPPED')).toEqual([]);
    const back = importStix1(out.output, { now: T }).objects.find((o) => o.type === 'file');
    expect(back?.['extensions']).toMatchObject({ 'windows-pebinary-ext': { machine_hex: '014c', characteristics_hex: '818f' } });
  });

  it('when an HTTP request has Accept-Encoding and From headers, then they are Parsed_Header fields', () => {
    const dom = { type: 'domain-name', spec_version: '2.1', id: 'domain-name--2c3d4e5f-6071-4829-9bac-1d2e3f4a5b06', value: 'example.com' };
    const nt = {
      type: 'network-traffic',
      spec_version: '2.1',
      id: 'network-traffic--3d4e5f60-7182-493a-8cbd-2e3f4a5b6c07',
      dst_ref: dom.id,
      protocols: ['tcp', 'http'],
      extensions: {
        'http-request-ext': {
          request_method: 'get',
          request_value: '/download.html',
          request_header: { 'Accept-Encoding': 'gzip,deflate', From: 'foo@bar.example', 'User-Agent': 'Mozilla/5.0' },
        },
      },
    };
    const out = exportStix1([observed([dom.id, nt.id]), dom, nt]);
    expect(out.output).toContain(
      '<HTTPSessionObj:Parsed_Header><HTTPSessionObj:Accept_Encoding>gzip,deflate</HTTPSessionObj:Accept_Encoding>' +
        '<HTTPSessionObj:From category="e-mail"><AddressObj:Address_Value>foo@bar.example</AddressObj:Address_Value></HTTPSessionObj:From>' +
        '<HTTPSessionObj:User_Agent>Mozilla/5.0</HTTPSessionObj:User_Agent></HTTPSessionObj:Parsed_Header>',
    );
    expect(out.issues.filter((i) => i.code === 'STIX1_EXPORT_PROPERTY_UNMAPPED')).toEqual([]);
  });

  it('when a pattern compares a process name and its opened connections, then it becomes CybOX process objects, not a description', () => {
    const ind = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--4e5f6071-8293-4a4b-9dce-3f4a5b6c7d08',
      created: T,
      modified: T,
      valid_from: T,
      pattern_type: 'stix',
      pattern: "[process:name = 'fooproc'] OR [process:opened_connection_refs[*].dst_port = 25]",
    };
    const out = exportStix1([ind]);
    expect(out.issues.filter((i) => i.code === 'STIX1_EXPORT_PATTERN_UNSUPPORTED')).toEqual([]);
    expect(out.output).toContain('<ProcessObj:Name condition="Equals">fooproc</ProcessObj:Name>');
    expect(out.output).toContain(
      '<ProcessObj:Network_Connection_List><ProcessObj:Network_Connection><NetworkConnectionObj:Destination_Socket_Address>' +
        '<SocketAddressObj:Port><PortObj:Port_Value condition="Equals">25</PortObj:Port_Value></SocketAddressObj:Port>',
    );
  });
});

describe('STIX 1 export: values without a STIX 2.1 form', () => {
  const ind: StixObject = {
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--5f607182-93a4-4b5c-8def-4a5b6c7d8e09',
    created: T,
    modified: T,
    valid_from: T,
    pattern_type: 'stix',
    pattern: "[file:name = 'coreshell.dll']",
    x_openioc_terms: [
      { search: 'FileItem/PEInfo/VersionInfoList/VersionInfoItem/FileDescription', condition: 'is', value: 'Core Shell Runtime' },
    ],
  };

  it('when an indicator carries OpenIOC terms the import could not map, then each term is in its Description', () => {
    const out = exportStix1([ind]);
    expect(out.output).toContain(
      'OpenIOC terms without a STIX form:\nFileItem/PEInfo/VersionInfoList/VersionInfoItem/FileDescription is "Core Shell Runtime"',
    );
    expect(out.issues.filter((i) => i.code === 'STIX1_EXPORT_PROPERTY_UNMAPPED')).toEqual([]);
  });

  it('when an SDO has other custom properties, then they are reported with their values', () => {
    const out = exportStix1([{ ...CAMPAIGN, external_references: undefined, x_acme_priority: 'high' }]);
    expect(out.issues.filter((i) => i.code === 'STIX1_EXPORT_PROPERTY_UNMAPPED').map((i) => i.message)).toEqual([
      'custom properties without a STIX 1.x place: x_acme_priority = "high"',
    ]);
  });
});

describe('STIX 1 export: threat actor identities', () => {
  const ident = (id: string, name: string): StixObject => ({
    type: 'identity',
    spec_version: '2.1',
    id,
    created: T,
    modified: T,
    name,
    identity_class: 'organization',
  });
  const rel = (id: string, type: string, source: string, target: string): StixObject => ({
    type: 'relationship',
    spec_version: '2.1',
    id,
    created: T,
    modified: T,
    relationship_type: type,
    source_ref: source,
    target_ref: target,
  });
  const ta: StixObject = {
    type: 'threat-actor',
    spec_version: '2.1',
    id: 'threat-actor--dfaa8d77-07e2-4e28-b2c8-92e9f7b04428',
    created: T,
    modified: T,
    name: 'Disco Team',
  };
  const disco = ident('identity--733c5838-34d9-4fbf-949c-62aba761184c', 'Disco Team Org');
  const alias = ident('identity--8a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d', 'Disco Front Company');
  const gov = ident('identity--89e7c57d-0664-4ab4-8866-3f7d92eb26fd', 'Example Gov');

  it('when a threat actor is attributed to identities, then they are its Identity and the first one’s related identities', () => {
    const out = exportStix1([
      ta,
      disco,
      alias,
      rel('relationship--1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e', 'attributed-to', ta.id, disco.id),
      rel('relationship--2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f', 'attributed-to', ta.id, alias.id),
    ]);
    expect(out.output).toContain(
      '<ta:Title>Disco Team</ta:Title><ta:Identity><stixCommon:Name>Disco Team Org</stixCommon:Name><stixCommon:Related_Identities>' +
        '<stixCommon:Related_Identity><stixCommon:Identity><stixCommon:Name>Disco Front Company</stixCommon:Name></stixCommon:Identity>' +
        '</stixCommon:Related_Identity></stixCommon:Related_Identities></ta:Identity>',
    );
    expect(out.issues.filter((i) => i.code === 'STIX1_EXPORT_UNSUPPORTED_OBJECT')).toEqual([]);
  });

  it('when a relationship has no STIX 1 form, then the issue names both ends', () => {
    const out = exportStix1([ta, gov, rel('relationship--0f2efb66-ca8d-4786-ba36-1464c2c73196', 'impersonates', ta.id, gov.id)]);
    expect(out.issues.filter((i) => i.code === 'STIX1_EXPORT_UNSUPPORTED_OBJECT').map((i) => i.message)).toEqual([
      'relationship \'impersonates\' has no STIX 1.x form between these constructs (threat-actor "Disco Team" → identity "Example Gov")',
    ]);
  });
});

describe('STIX 1 export: OpenIOC branches without any STIX form', () => {
  it('when a report carries OpenIOC terms of a whole unmapped branch, then they are in its Header Description', () => {
    const report: StixObject = {
      type: 'report',
      spec_version: '2.1',
      id: 'report--ec3b97c8-5de7-444d-9bd9-8f868ca04748',
      created: T,
      modified: T,
      published: T,
      name: 'Example IOC',
      object_refs: [ACME.id],
      x_openioc_terms: [{ search: 'Network/String', condition: 'contains', value: '198.51.100.31' }],
    };
    const out = exportStix1([ACME, report]);
    expect(out.output).toContain(
      '<report:Description>OpenIOC terms without a STIX form:\nNetwork/String contains "198.51.100.31"</report:Description>',
    );
    expect(out.issues.filter((i) => i.code === 'STIX1_EXPORT_PROPERTY_UNMAPPED')).toEqual([]);
  });
});

describe('STIX 1 export: email attachments', () => {
  it('when an email part is a file of the same observed-data, then the email lists it in Attachments by its object id', () => {
    const file: StixObject = {
      type: 'file',
      spec_version: '2.1',
      id: 'file--741ed95f-e16e-5c97-8c38-8f610cf1f0e8',
      name: 'Final Report.doc.exe',
    };
    const email: StixObject = {
      type: 'email-message',
      spec_version: '2.1',
      id: 'email-message--3ccde5f8-82e1-5781-b354-26b800df3692',
      is_multipart: true,
      subject: 'Please review',
      body_multipart: [{ body_raw_ref: file.id, content_type: 'application/zip' }],
    };
    const od: StixObject = {
      type: 'observed-data',
      spec_version: '2.1',
      id: 'observed-data--2305f359-ab46-4932-acaf-953c31cd8b22',
      created: T,
      modified: T,
      first_observed: T,
      last_observed: T,
      number_observed: 1,
      object_refs: [email.id, file.id],
    };
    const out = exportStix1([od, email, file]);
    expect(out.output).toContain(
      '<EmailMessageObj:Header><EmailMessageObj:Subject>Please review</EmailMessageObj:Subject></EmailMessageObj:Header>' +
        '<EmailMessageObj:Attachments><EmailMessageObj:File object_reference="gateway:Object-741ed95f-e16e-5c97-8c38-8f610cf1f0e8"/>' +
        '</EmailMessageObj:Attachments></cybox:Properties>',
    );
    expect(out.output).toContain('<cybox:Object id="gateway:Object-741ed95f-e16e-5c97-8c38-8f610cf1f0e8">');
    expect(out.issues.map((i) => i.message).join('\n')).not.toContain('body_raw_ref');
  });
});
