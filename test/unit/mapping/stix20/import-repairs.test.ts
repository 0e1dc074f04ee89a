import { repairStix20Object } from '../../../../src/mapping/stix20/import-repairs';
import type { StixObject } from '../../../../src/mapping/types';
import { importStix20 } from '../../../../src/mapping/stix21/import';

const observed = (artifact: Record<string, unknown>): StixObject => ({
  type: 'observed-data',
  id: 'observed-data--9a28189d-2670-4ba6-b968-d3c475b1ec0a',
  created: '2017-05-22T13:03:55.429Z',
  modified: '2017-05-22T13:03:55.429Z',
  first_observed: '2017-05-22T13:03:55.429Z',
  last_observed: '2017-05-22T13:03:55.429Z',
  number_observed: 1,
  objects: { '0': { type: 'file', name: 'tabby.png' }, '1': artifact },
});
const HASHES = { 'SHA-256': 'effb46bba03f6c8aea5c653f9cf984f170dcdd3bbbe2ff6843c3e5da0e698766' };

describe('repairStix20Object: artifacts in observed-data', () => {
  it('when payload_bin is not base64, then it is removed, named in the issue, and the hashes and MIME type stay', () => {
    const r = repairStix20Object(
      observed({ type: 'artifact', mime_type: 'image/png', payload_bin: 'VBORw0KGgo== ...', hashes: HASHES }),
      '/objects/0',
    );
    expect(r.object['objects']).toEqual({
      '0': { type: 'file', name: 'tabby.png' },
      '1': { type: 'artifact', mime_type: 'image/png', hashes: HASHES },
    });
    expect(r.issues.map((i) => [i.code, i.path, i.message])).toEqual([
      [
        'STIX20_VALUE_REPAIRED',
        '/objects/0/objects/1/payload_bin',
        'artifact payload_bin "VBORw0KGgo== ..." is not base64: removed, the artifact keeps its other properties',
      ],
    ]);
  });

  it('when payload_bin is base64 wrapped on several lines, then the white space is removed and the payload kept', () => {
    const r = repairStix20Object(observed({ type: 'artifact', payload_bin: 'aGVsbG8g\r\nd29ybGQ=' }), '/objects/0');
    expect(r.object['objects']).toMatchObject({ '1': { payload_bin: 'aGVsbG8gd29ybGQ=' } });
    expect(r.issues.map((i) => i.code)).toEqual(['STIX20_VALUE_REPAIRED']);
  });

  it('when payload_bin is valid base64, then the object is returned unchanged', () => {
    const o = observed({ type: 'artifact', payload_bin: 'aGVsbG8gd29ybGQ=' });
    const r = repairStix20Object(o, '/objects/0');
    expect(r.object).toBe(o);
    expect(r.issues).toEqual([]);
  });
});

describe('repairStix20Object: empty lists, unnamed reports, boolean socket options', () => {
  const identity: StixObject = {
    type: 'identity',
    id: 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5',
    created: '2017-06-01T00:00:00.000Z',
    modified: '2017-06-01T00:00:00.000Z',
    name: 'Example Corporation',
    identity_class: 'organization',
    roles: [],
    sectors: [],
    external_references: [],
    x_example_contributors: [],
  };

  it('when spec-defined properties hold empty lists, then they are removed and custom ones are left as written', () => {
    const r = repairStix20Object(identity, '/objects/3');
    expect(Object.keys(r.object).sort()).toEqual(['created', 'id', 'identity_class', 'modified', 'name', 'type', 'x_example_contributors']);
    expect(r.issues.map((i) => [i.code, i.path, i.severity])).toEqual([
      ['STIX20_VALUE_REPAIRED', '/objects/3/roles', 'info'],
      ['STIX20_VALUE_REPAIRED', '/objects/3/sectors', 'info'],
      ['STIX20_VALUE_REPAIRED', '/objects/3/external_references', 'info'],
    ]);
  });

  it('when a report has no name, then it is named after the first non-blank line of its description', () => {
    const report: StixObject = {
      type: 'report',
      id: 'report--a3659263-14f2-4bfa-9343-f6bd7d1a6323',
      created: '2022-09-13T12:03:33.060Z',
      modified: '2022-09-13T12:03:33.060Z',
      published: '2022-09-13T12:03:33.061Z',
      labels: ['threat-report'],
      description: '\n\n  Generated IOC document for sample 42  \nmore',
      object_refs: ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
    };
    const r = repairStix20Object(report, '/objects/0');
    expect(r.object['name']).toBe('Generated IOC document for sample 42');
    expect(r.object['description']).toBe(report['description']);
    expect(r.issues.map((i) => [i.code, i.path, i.severity])).toEqual([['STIX20_VALUE_REPAIRED', '/objects/0/name', 'warning']]);
    const bare = repairStix20Object({ ...report, description: undefined, labels: undefined }, '/objects/0');
    expect(bare.object['name']).toBeUndefined();
  });

  it('when a report has neither name nor description, then it is named after its labels and publication day', () => {
    const report: StixObject = {
      type: 'report',
      id: 'report--6b1f2a5e-2f47-4c55-9d1c-3f1a2b4c5d6e',
      created: '2020-12-31T00:00:00.000Z',
      modified: '2020-12-31T00:00:00.000Z',
      published: '2022-09-13T12:44:14.112Z',
      labels: ['threat-report', 'indicator'],
      object_refs: ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
    };
    const r = repairStix20Object(report, '/objects/2');
    expect(r.object['name']).toBe('Report (threat-report, indicator) published 2022-09-13');
    expect(r.object['labels']).toEqual(['threat-report', 'indicator']);
    expect(r.issues.map((i) => [i.code, i.path, i.severity, i.objectId])).toEqual([
      ['STIX20_VALUE_REPAIRED', '/objects/2/name', 'warning', report.id],
    ]);
    expect(r.issues[0]?.message).toContain('labels');
  });

  it('when a 2.0 document holds an unnamed, undescribed report, then the import names it before the pipeline validates it', () => {
    const doc = {
      type: 'bundle',
      id: 'bundle--d0b7f0e5-5c1d-4a59-9b1b-0f6f3c2d1e4a',
      spec_version: '2.0',
      objects: [
        {
          type: 'report',
          id: 'report--6b1f2a5e-2f47-4c55-9d1c-3f1a2b4c5d6e',
          created: '2020-12-31T00:00:00.000Z',
          modified: '2020-12-31T00:00:00.000Z',
          published: '2022-09-13T12:44:14.112Z',
          labels: ['threat-report'],
          object_refs: ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
        },
      ],
    };
    const result = importStix20(JSON.stringify(doc));
    const report = result.objects.find((o) => o.type === 'report');
    expect(report?.['name']).toBe('Report (threat-report) published 2022-09-13');
  });

  it('when socket-ext options are booleans, then they become 1 and 0 and integer options stay', () => {
    const o = observed({
      type: 'network-traffic',
      src_ref: '0',
      protocols: ['tcp'],
      extensions: { 'socket-ext': { is_listening: true, options: { IP_MULTICAST_LOOP: true, SO_KEEPALIVE: false, SO_RCVBUF: 8192 } } },
    });
    const r = repairStix20Object(o, '/objects/0');
    expect(r.object['objects']).toMatchObject({
      '1': { extensions: { 'socket-ext': { is_listening: true, options: { IP_MULTICAST_LOOP: 1, SO_KEEPALIVE: 0, SO_RCVBUF: 8192 } } } },
    });
    expect(r.issues.map((i) => i.path)).toEqual(['/objects/0/objects/1/extensions/socket-ext/options']);
  });
});

describe('repairStix20Object: unnamed vulnerabilities, network traffic without protocols (third round)', () => {
  const vulnerability = (extra: Record<string, unknown>): StixObject => ({
    type: 'vulnerability',
    id: 'vulnerability--0d9a952d-aca5-4134-b399-5760a3ab2392',
    created: '2019-08-23T13:10:55.465Z',
    modified: '2019-08-23T13:10:55.465Z',
    ...extra,
  });

  it('when a vulnerability has no name, then it is named after its CVE id, else another external id, else its description', () => {
    const cve = repairStix20Object(
      vulnerability({
        external_references: [
          { source_name: 'osvdb', external_id: '1' },
          { source_name: 'cve', external_id: 'CVE-2015-2808' },
        ],
      }),
      '/objects/2',
    );
    expect(cve.object['name']).toBe('CVE-2015-2808');
    expect(cve.issues.map((i) => [i.code, i.path, i.message])).toEqual([
      ['STIX20_VALUE_REPAIRED', '/objects/2/name', 'vulnerability has no name: named "CVE-2015-2808" after its CVE id'],
    ]);
    const other = repairStix20Object(vulnerability({ external_references: [{ source_name: 'osvdb', external_id: '1' }] }), '/o');
    expect(other.object['name']).toBe('1');
    const described = repairStix20Object(vulnerability({ description: 'Heap overflow in the RC4 code' }), '/o');
    expect(described.object['name']).toBe('Heap overflow in the RC4 code');
    expect(repairStix20Object(vulnerability({}), '/o').object['name']).toBeUndefined();
  });

  it('when a vulnerability already has a name, or the type requires none, then no name is added', () => {
    const named = vulnerability({ name: 'RC4 bias', external_references: [{ source_name: 'cve', external_id: 'CVE-2015-2808' }] });
    expect(repairStix20Object(named, '/o').object).toBe(named);
    const indicator: StixObject = { ...vulnerability({ description: 'text' }), type: 'indicator' };
    expect(repairStix20Object(indicator, '/o').object['name']).toBeUndefined();
  });

  it('when a network-traffic has no protocols, then it gets those its addresses and extensions name, outer to inner', () => {
    const o: StixObject = {
      ...observed({ type: 'ipv4-addr', value: '198.49.123.10' }),
      objects: {
        '0': {
          type: 'network-traffic',
          dst_ref: '1',
          dst_port: 80,
          extensions: { 'http-request-ext': { request_method: 'get', request_value: '/' } },
        },
        '1': { type: 'ipv4-addr', value: '198.49.123.10' },
        '2': { type: 'network-traffic', src_ref: '3', dst_ref: '1', extensions: { 'tcp-ext': { src_flags_hex: '02' } } },
        '3': { type: 'ipv6-addr', value: '2001:db8::1' },
        '4': { type: 'network-traffic', dst_ref: '5', dst_port: 53 },
        '5': { type: 'domain-name', value: 'example.com' },
      },
    };
    const r = repairStix20Object(o, '/objects/0');
    expect(r.object['objects']).toMatchObject({
      '0': { protocols: ['ipv4', 'http'] },
      '2': { protocols: ['ipv6', 'ipv4', 'tcp'] },
    });
    expect((r.object['objects'] as Record<string, Record<string, unknown>>)['4']?.['protocols']).toBeUndefined();
    expect(r.issues.map((i) => [i.code, i.path])).toEqual([
      ['STIX20_VALUE_REPAIRED', '/objects/0/objects/0/protocols'],
      ['STIX20_VALUE_REPAIRED', '/objects/0/objects/2/protocols'],
    ]);
  });
});

describe('STIX 2.0 import: lone observed-data, section-labelled descriptions (third round)', () => {
  it('when the document is one observed-data object, then its objects dictionary is read as SCOs, not as a bundle list', () => {
    const lone = {
      type: 'observed-data',
      id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf',
      created: '2016-04-06T19:58:16.000Z',
      modified: '2016-04-06T19:58:16.000Z',
      first_observed: '2015-12-21T19:00:00Z',
      last_observed: '2015-12-21T19:00:00Z',
      number_observed: 50,
      objects: { '0': { type: 'file', name: 'foo.zip' } },
    };
    const result = importStix20(JSON.stringify(lone));
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.objects.map((o) => o.id)).toEqual([lone.id]);
    expect(result.objects[0]?.['objects']).toEqual(lone.objects);
  });

  it('when the description opens with an elevator section label (TITLE:), then the name is the line after it', () => {
    const identity: StixObject = {
      type: 'identity',
      id: 'identity--4fde045a-b25f-4035-a8d0-29c9d5130cd9',
      created: '2014-05-08T09:00:00.000Z',
      modified: '2014-05-08T09:00:00.000Z',
      identity_class: 'unknown',
      description:
        '\n\nTITLE:\n\tVictim Targeting: Customer PII and Financial Data\n\nTARGETED_INFORMATION:\nInformation Assets - Customer PII',
    };
    expect(repairStix20Object(identity, '/objects/1').object['name']).toBe('Victim Targeting: Customer PII and Financial Data');
  });
});

describe('STIX 2.0 import: objects a 2.0 document labels 2.1 by mistake', () => {
  it('when a document read as 2.0 holds an unnamed identity that says spec_version 2.1, then the 2.0 repairs still name it', () => {
    const doc = {
      type: 'bundle',
      id: 'bundle--bf35a4b5-e102-463d-9105-4d7a6e2d78bc',
      objects: [
        {
          type: 'identity',
          spec_version: '2.1',
          id: 'identity--4fde045a-b25f-4035-a8d0-29c9d5130cd9',
          created: '2014-05-08T09:00:00.000Z',
          modified: '2014-05-08T09:00:00.000Z',
          description: '\n\nTITLE:\n\tVictim Targeting: Customer PII and Financial Data',
        },
      ],
    };
    const result = importStix20(JSON.stringify(doc));
    expect(result.objects[0]?.['name']).toBe('Victim Targeting: Customer PII and Financial Data');
    expect(result.issues.map((i) => i.code)).toContain('STIX20_VALUE_REPAIRED');
  });
});

describe('STIX 2.0 import: patterns naming observable properties 2.1 renamed or removed', () => {
  const indicator = (pattern: string): StixObject => ({
    type: 'indicator',
    id: 'indicator--6116d730-a7e9-11e3-a82f-000c29b241af',
    created: '2014-03-10T13:56:05.000Z',
    modified: '2014-03-10T13:56:05.000Z',
    labels: ['malicious-activity'],
    valid_from: '2014-03-10T13:56:05.000Z',
    pattern,
  });

  it('when a pattern names process name, binary_ref, file created and an archive-ext version, then they get the SCO upgrade names', () => {
    const r = repairStix20Object(
      indicator(
        "[process:name = 'process:name' AND process:binary_ref.name = 'a.exe'] OR [file:extensions.'archive-ext'.version = '5.0' AND file:created > t'2016-01-01T00:00:00Z']",
      ),
      '/objects/4',
    );
    expect(r.object['pattern']).toBe(
      "[process:x_stix20_name = 'process:name' AND process:image_ref.name = 'a.exe'] OR [file:x_stix20_archive_ext_version = '5.0' AND file:ctime > t'2016-01-01T00:00:00Z']",
    );
    expect(r.issues.map((i) => [i.code, i.path, i.severity])).toEqual([['STIX20_VALUE_REPAIRED', '/objects/4/pattern', 'info']]);
    expect(r.issues[0]?.message).toContain('process:binary_ref → image_ref');
  });

  it('when a pattern names only 2.1 properties, then it is left as written with no issue', () => {
    const o = indicator("[process:image_ref.name = 'name' AND file:name = 'created']");
    const r = repairStix20Object(o, '/objects/0');
    expect(r.object).toBe(o);
    expect(r.issues).toEqual([]);
  });
});

describe('STIX 2.0 import: cve and capec references whose external_id is not in the 2.1 form', () => {
  const pattern = (refs: Record<string, unknown>[]): StixObject => ({
    type: 'attack-pattern',
    id: 'attack-pattern--1a9c3244-cc05-4d6c-8355-5fd9c681ffa9',
    created: '2019-08-23T13:10:55.465Z',
    modified: '2019-08-23T13:10:55.465Z',
    name: 'Privilege escalation',
    external_references: refs,
  });

  it('when a capec reference holds an ATT&CK id, then the value is kept and the source name no longer claims CAPEC', () => {
    const r = repairStix20Object(pattern([{ source_name: 'capec', external_id: 'T1068' }]), '/objects/3');
    expect(r.object['external_references']).toEqual([{ source_name: 'capec (not a CAPEC id)', external_id: 'T1068' }]);
    expect(r.issues.map((i) => [i.code, i.path, i.severity])).toEqual([
      ['STIX20_VALUE_REPAIRED', '/objects/3/external_references/0/source_name', 'warning'],
    ]);
  });

  it('when cve and capec ids are bare or lower case, then they are written in the CVE-/CAPEC- form and well-formed ones stay', () => {
    const r = repairStix20Object(
      pattern([
        { source_name: 'capec', external_id: '66' },
        { source_name: 'cve', external_id: 'cve-2015-2808' },
        { source_name: 'cve', external_id: 'CVE-2014-0160' },
      ]),
      '/objects/0',
    );
    expect(r.object['external_references']).toEqual([
      { source_name: 'capec', external_id: 'CAPEC-66' },
      { source_name: 'cve', external_id: 'CVE-2015-2808' },
      { source_name: 'cve', external_id: 'CVE-2014-0160' },
    ]);
    expect(r.issues.map((i) => i.path)).toEqual([
      '/objects/0/external_references/0/external_id',
      '/objects/0/external_references/1/external_id',
    ]);
  });
});

describe('STIX 2.0 import: granular markings on content the repairs move or remove', () => {
  const RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
  const AMBER = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82';
  const A = 'indicator--3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a';
  const B = 'indicator--4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b';
  const report = (extra: Record<string, unknown>): StixObject => ({
    type: 'report',
    id: 'report--2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
    created: '2020-01-01T00:00:00.000Z',
    modified: '2020-01-01T00:00:00.000Z',
    name: 'R',
    labels: ['threat-report'],
    published: '2020-01-01T00:00:00Z',
    ...extra,
  });

  it('when a malformed object_refs entry is removed, then a marking of a later entry follows it to its new index', () => {
    const r = repairStix20Object(
      report({ object_refs: [A, 'not-an-id', B], granular_markings: [{ marking_ref: RED, selectors: ['object_refs.[2]', 'name'] }] }),
      '/objects/0',
    );
    expect(r.object['object_refs']).toEqual([A, B]);
    expect(r.object['granular_markings']).toEqual([{ marking_ref: RED, selectors: ['object_refs.[1]', 'name'] }]);
    expect(r.object['object_marking_refs']).toBeUndefined();
  });

  it('when the marked entry itself is removed, then the marking covers the whole list (more marked, never less)', () => {
    const r = repairStix20Object(
      report({ object_refs: [A, 'not-an-id', B], granular_markings: [{ marking_ref: RED, selectors: ['object_refs.[1]'] }] }),
      '/objects/0',
    );
    expect(r.object['granular_markings']).toEqual([{ marking_ref: RED, selectors: ['object_refs'] }]);
  });

  it('when a marked optional reference is removed, then the marking moves onto the whole object, next to its own markings', () => {
    const r = repairStix20Object(
      report({
        object_refs: [A],
        created_by_ref: 'ACME',
        object_marking_refs: [AMBER],
        granular_markings: [{ marking_ref: RED, selectors: ['created_by_ref'] }],
      }),
      '/objects/0',
    );
    expect(r.object['created_by_ref']).toBeUndefined();
    expect(r.object['granular_markings']).toBeUndefined();
    expect(r.object['object_marking_refs']).toEqual([AMBER, RED]);
    expect(r.issues.map((i) => i.path)).toContain('/objects/0/granular_markings/0/selectors');
  });

  it('when a marked payload_bin of an embedded artifact is removed, then the marking covers that artifact entry', () => {
    const o: StixObject = {
      ...observed({ type: 'artifact', payload_bin: 'not base64 !!', hashes: HASHES }),
      granular_markings: [{ marking_ref: RED, selectors: ['objects.1.payload_bin', 'objects.0.name'] }],
    };
    const r = repairStix20Object(o, '/objects/1');
    expect(r.object['granular_markings']).toEqual([{ marking_ref: RED, selectors: ['objects.1', 'objects.0.name'] }]);
  });

  it('when a marked identity_class list becomes a string, then the marking of any of its entries marks the property', () => {
    const identity: StixObject = {
      type: 'identity',
      id: 'identity--4fde045a-b25f-4035-a8d0-29c9d5130cd9',
      created: '2014-05-08T09:00:00.000Z',
      modified: '2014-05-08T09:00:00.000Z',
      name: 'ACME',
      identity_class: ['organization', 'group'],
      granular_markings: [{ marking_ref: RED, selectors: ['identity_class.[1]'] }],
    };
    const r = repairStix20Object(identity, '/objects/0');
    expect(r.object['identity_class']).toBe('organization');
    expect(r.object['granular_markings']).toEqual([{ marking_ref: RED, selectors: ['identity_class'] }]);
  });
});

describe('STIX 2.0 import: values the repairs copy are marked as their source', () => {
  const RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';

  it('when a report is named after a marked description, then the name carries the marking too', () => {
    const r = repairStix20Object(
      {
        type: 'report',
        id: 'report--a3659263-14f2-4bfa-9343-f6bd7d1a6323',
        created: '2022-09-13T12:03:33.060Z',
        modified: '2022-09-13T12:03:33.060Z',
        published: '2022-09-13T12:03:33.061Z',
        labels: ['threat-report'],
        description: 'Operation Secret against Example Corp',
        object_refs: ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
        granular_markings: [{ marking_ref: RED, selectors: ['description'] }],
      },
      '/objects/0',
    );
    expect(r.object['name']).toBe('Operation Secret against Example Corp');
    expect(r.object['granular_markings']).toEqual([{ marking_ref: RED, selectors: ['description', 'name'] }]);
  });

  it('when a marked source name is copied into a description, then the description carries the marking too', () => {
    const r = repairStix20Object(
      {
        type: 'attack-pattern',
        id: 'attack-pattern--1a9c3244-cc05-4d6c-8355-5fd9c681ffa9',
        created: '2019-08-23T13:10:55.465Z',
        modified: '2019-08-23T13:10:55.465Z',
        name: 'x',
        external_references: [{ source_name: 'public' }, { source_name: 'Internal case 4711' }],
        granular_markings: [{ marking_ref: RED, selectors: ['external_references.[1].source_name'] }],
      },
      '/objects/0',
    );
    expect(r.object['granular_markings']).toEqual([
      { marking_ref: RED, selectors: ['external_references.[1].source_name', 'external_references.[1].description'] },
    ]);
  });

  it('when the marking selects only content the copy was not made from, then nothing more is marked', () => {
    const o: StixObject = {
      type: 'report',
      id: 'report--a3659263-14f2-4bfa-9343-f6bd7d1a6323',
      created: '2022-09-13T12:03:33.060Z',
      modified: '2022-09-13T12:03:33.060Z',
      published: '2022-09-13T12:03:33.061Z',
      labels: ['threat-report'],
      description: 'Public summary',
      object_refs: ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
      granular_markings: [{ marking_ref: RED, selectors: ['object_refs'] }],
    };
    expect(repairStix20Object(o, '/objects/0').object['granular_markings']).toEqual([{ marking_ref: RED, selectors: ['object_refs'] }]);
  });
});

describe('STIX 2.0 import: markings of extension properties 2.1 removed', () => {
  const RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
  const zip = (selectors: string[]): StixObject => ({
    ...observed({ type: 'file', name: 'in.txt' }),
    objects: {
      '0': { type: 'file', name: 'z.zip', extensions: { 'archive-ext': { contains_refs: ['1'], version: '5.0' } } },
      '1': { type: 'file', name: 'in.txt' },
    },
    granular_markings: [{ marking_ref: RED, selectors }],
  });

  it('when archive-ext version is marked, then the marking selects the property it moves to', () => {
    const r = repairStix20Object(zip(['objects.0.extensions.archive-ext.version', 'objects.1.name']), '/objects/0');
    expect(r.object['granular_markings']).toEqual([
      { marking_ref: RED, selectors: ['objects.0.x_stix20_archive_ext_version', 'objects.1.name'] },
    ]);
  });

  it('when the whole archive-ext is marked, then the moved version is marked as well', () => {
    const r = repairStix20Object(zip(['objects.0.extensions.archive-ext']), '/objects/0');
    expect(r.object['granular_markings']).toEqual([
      { marking_ref: RED, selectors: ['objects.0.extensions.archive-ext', 'objects.0.x_stix20_archive_ext_version'] },
    ]);
  });
});
