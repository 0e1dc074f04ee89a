/**
 * STIX 2.1 → 2.0: the SCOs folded into an observed-data's `objects` dictionary keep their markings (as granular
 * markings of their entries) and get their 2.0 property names back, including the values the 2.0 import kept
 * as `x_stix20_*` (round trip).
 */
import { exportStix20 } from '../../../../src/mapping/stix20/export';
import type { StixObject } from '../../../../src/mapping/types';

const RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
const AMBER = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82';

const FILE: StixObject = {
  type: 'file',
  spec_version: '2.1',
  id: 'file--34be8b96-b83e-5f9a-bdf1-2b2285b58534',
  name: 'bundle.zip',
  ctime: '2020-01-01T00:00:00Z',
  x_stix20_is_encrypted: true,
  x_stix20_archive_ext_version: '2.0',
  extensions: { 'archive-ext': { contains_refs: [], comment: 'c' } },
  object_marking_refs: [RED],
};
const PROCESS: StixObject = {
  type: 'process',
  spec_version: '2.1',
  id: 'process--82c252e8-8155-4f9c-bd8f-2e26a0c11f46',
  pid: 7,
  x_stix20_name: 'dropper.exe',
  image_ref: FILE.id,
  granular_markings: [{ marking_ref: AMBER, selectors: ['x_stix20_name'] }],
};
const OBSERVED: StixObject = {
  type: 'observed-data',
  spec_version: '2.1',
  id: 'observed-data--2e4d3c5b-6f70-4b8c-9dae-1f203b4c5d6e',
  created: '2020-01-02T00:00:00.000Z',
  modified: '2020-01-02T00:00:00.000Z',
  first_observed: '2020-01-02T00:00:00Z',
  last_observed: '2020-01-02T00:00:00Z',
  number_observed: 1,
  object_refs: [PROCESS.id, FILE.id],
};

type Json = Record<string, unknown>;

function exported(): Json {
  const bundle = JSON.parse(exportStix20([OBSERVED, PROCESS, FILE]).output) as { objects: Json[] };
  const observed = bundle.objects.find((o) => o['type'] === 'observed-data');
  if (observed === undefined) throw new Error('no observed-data exported');
  return observed;
}

describe('STIX 2.1 → 2.0 observed-data objects', () => {
  it('when a folded SCO is marked, then its entry carries the marking as a granular marking of the observed-data', () => {
    const observed = exported();
    expect(observed['granular_markings']).toEqual([
      { marking_ref: AMBER, selectors: ['objects.0.name'] },
      { marking_ref: RED, selectors: ['objects.1'] },
    ]);
  });

  it('when a folded SCO has 2.1 names or x_stix20_ values, then its entry has the 2.0 properties back', () => {
    const objects = exported()['objects'] as Record<string, Json>;
    expect(objects['0']).toEqual({ type: 'process', pid: 7, name: 'dropper.exe', binary_ref: '1' });
    expect(objects['1']).toEqual({
      type: 'file',
      name: 'bundle.zip',
      created: '2020-01-01T00:00:00Z',
      is_encrypted: true,
      extensions: { 'archive-ext': { contains_refs: [], comment: 'c', version: '2.0' } },
    });
  });
});

describe('STIX 2.1 → 2.0 indicator patterns', () => {
  const indicator = (pattern: string): StixObject => ({
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a',
    created: '2014-03-10T13:56:05.000Z',
    modified: '2014-03-10T13:56:05.000Z',
    indicator_types: ['malicious-activity'],
    pattern_type: 'stix',
    valid_from: '2014-03-10T13:56:05.000Z',
    object_marking_refs: [AMBER],
    pattern,
  });
  const patternOf = (pattern: string): unknown => {
    const bundle = JSON.parse(exportStix20([indicator(pattern)]).output) as { objects: Json[] };
    return bundle.objects.find((o) => o['type'] === 'indicator')?.['pattern'];
  };

  it('when a pattern names 2.1 or x_stix20_ properties, then the 2.0 pattern names them as 2.0 did (round trip of the import)', () => {
    expect(
      patternOf(
        "[process:x_stix20_name = 'x_stix20_name' AND process:image_ref.name = 'a.exe'] OR [file:x_stix20_archive_ext_version = '5.0' AND file:ctime > t'2016-01-01T00:00:00Z']",
      ),
    ).toBe(
      "[process:name = 'x_stix20_name' AND process:binary_ref.name = 'a.exe'] OR [file:extensions.'archive-ext'.version = '5.0' AND file:created > t'2016-01-01T00:00:00Z']",
    );
  });

  it('when a pattern names only properties 2.0 has, then it is exported as written', () => {
    expect(patternOf("[file:name = 'ctime' AND ipv4-addr:value = '198.51.100.1']")).toBe(
      "[file:name = 'ctime' AND ipv4-addr:value = '198.51.100.1']",
    );
  });
});

describe('STIX 2.1 → 2.0 granular markings of renamed, dropped and pruned content', () => {
  const base = {
    spec_version: '2.1',
    created: '2020-01-01T00:00:00.000Z',
    modified: '2020-01-01T00:00:00.000Z',
  };
  const exportedOf = (objects: StixObject[], id: string): Json => {
    const bundle = JSON.parse(exportStix20(objects).output) as { objects: Json[] };
    const found = bundle.objects.find((o) => o['id'] === id);
    if (found === undefined) throw new Error(`${id} not exported`);
    return found;
  };

  it('when indicator_types is marked, then the labels it becomes are marked; a marked dropped property marks the whole object', () => {
    const id = 'indicator--3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a';
    const o = exportedOf(
      [
        {
          ...base,
          type: 'indicator',
          id,
          indicator_types: ['malicious-activity'],
          pattern_type: 'stix',
          pattern: "[ipv4-addr:value = '198.51.100.1']",
          valid_from: '2020-01-01T00:00:00Z',
          confidence: 90,
          granular_markings: [{ marking_ref: RED, selectors: ['indicator_types', 'confidence'] }],
        },
      ],
      id,
    );
    expect(o['granular_markings']).toEqual([{ marking_ref: RED, selectors: ['labels'] }]);
    expect(o['object_marking_refs']).toEqual([RED]);
  });

  it('when a report entry after a dropped grouping is marked, then the marking follows it to its new index', () => {
    const id = 'report--2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f';
    const grouping = 'grouping--5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c';
    const a = 'malware--3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a';
    const b = 'malware--4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b';
    const malware = (mid: string): StixObject => ({ ...base, type: 'malware', id: mid, name: mid, is_family: false });
    const o = exportedOf(
      [
        { ...base, type: 'grouping', id: grouping, context: 'x', object_refs: [a] },
        malware(a),
        malware(b),
        {
          ...base,
          type: 'report',
          id,
          name: 'R',
          published: '2020-01-01T00:00:00Z',
          report_types: ['threat-report'],
          object_refs: [a, grouping, b],
          granular_markings: [{ marking_ref: AMBER, selectors: ['object_refs.[2]'] }],
        },
      ],
      id,
    );
    expect(o['object_refs']).toEqual([a, b]);
    expect(o['granular_markings']).toEqual([{ marking_ref: AMBER, selectors: ['object_refs.[1]'] }]);
  });
});
