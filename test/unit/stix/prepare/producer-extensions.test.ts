/**
 * What producers that extend STIX 2.1 send, as they send it: extension definitions, objects of types defined by
 * one (new-sdo / new-sco, named without the x- prefix, as MISP's and OpenCTI's are), property extensions,
 * indicators on such types, and custom properties named without the x_ prefix (a `title` on a Unit 42 report).
 * STIX says SHOULD for the prefixes: these objects are kept, with warnings, and stored as posted.
 * The objects are synthetic; the shapes follow the STIX 2.1 extension-definition rules.
 */
import { createPrepareDeps, type PrepareOutcome, prepareObjects } from '../../../../src/stix/prepare';

const PRODUCER = 'identity--7d1f2c3b-5a6e-4f70-8a91-b2c3d4e5f601';
const NEW_SDO_EXT = 'extension-definition--0b1c2d3e-4f50-4a61-8b72-c3d4e5f60718';
const PROPERTY_EXT = 'extension-definition--1c2d3e4f-5061-4b72-9c83-d4e5f6071829';
const NEW_SCO_EXT = 'extension-definition--2d3e4f50-6172-4c83-ad94-e5f60718293a';
const TOPLEVEL_EXT = 'extension-definition--3e4f5061-7283-4d94-bea5-f60718293a4b';
const T = '2026-11-20T10:00:00.000Z';

const common = { spec_version: '2.1', created: T, modified: T, created_by_ref: PRODUCER };

function definition(id: string, name: string, type: string): Record<string, unknown> {
  return {
    type: 'extension-definition',
    id,
    ...common,
    name,
    schema: 'https://example.org/ext.json',
    version: '1.0',
    extension_types: [type],
  };
}

const objects: Record<string, unknown>[] = [
  { type: 'identity', id: PRODUCER, ...common, name: 'Producer CERT', identity_class: 'organization' },
  definition(NEW_SDO_EXT, 'attribute object', 'new-sdo'),
  definition(PROPERTY_EXT, 'attribute fields', 'property-extension'),
  definition(NEW_SCO_EXT, 'host names', 'new-sco'),
  definition(TOPLEVEL_EXT, 'scores', 'toplevel-property-extension'),
  // a new SDO type named without x-
  {
    type: 'cert-attribute',
    id: 'cert-attribute--4f506172-8394-4ea5-bfb6-0718293a4b5c',
    ...common,
    category: 'Network activity',
    value: 'something worth keeping',
    extensions: { [NEW_SDO_EXT]: { extension_type: 'new-sdo' } },
  },
  // a standard indicator with a property extension
  {
    type: 'indicator',
    id: 'indicator--50617283-94a5-4fb6-8c07-18293a4b5c6d',
    ...common,
    name: 'C2 domain',
    pattern: "[domain-name:value = 'c2.example.net']",
    pattern_type: 'stix',
    valid_from: '2026-11-20T10:00:00Z',
    extensions: { [PROPERTY_EXT]: { extension_type: 'property-extension', category: 'Network activity', to_ids: true } },
  },
  // a new SCO type without x-, and an indicator whose pattern uses it
  {
    type: 'hostname',
    spec_version: '2.1',
    id: 'hostname--61728394-a5b6-5c07-9d18-293a4b5c6d7e',
    value: 'relay.example.net',
    extensions: { [NEW_SCO_EXT]: { extension_type: 'new-sco' } },
  },
  {
    type: 'indicator',
    id: 'indicator--728394a5-b6c7-4d18-ae29-3a4b5c6d7e8f',
    ...common,
    name: 'Relay host',
    pattern: "[hostname:value = 'relay.example.net']",
    pattern_type: 'stix',
    valid_from: '2026-11-20T10:00:00Z',
  },
  // the properties of a top-level extension, at the top level
  {
    type: 'indicator',
    id: 'indicator--8394a5b6-c7d8-4e29-bf3a-4b5c6d7e8f90',
    ...common,
    name: 'Scored address',
    pattern: "[ipv4-addr:value = '198.51.100.23']",
    pattern_type: 'stix',
    valid_from: '2026-11-20T10:00:00Z',
    score: 80,
    extensions: { [TOPLEVEL_EXT]: { extension_type: 'toplevel-property-extension' } },
  },
  // a report with a custom property named without x_
  {
    type: 'report',
    id: 'report--94a5b6c7-d8e9-4f3a-8b4c-5d6e7f8091a2',
    ...common,
    name: 'Weekly digest',
    title: 'Weekly digest, week 47',
    published: '2026-11-20T10:00:00Z',
    report_types: ['threat-report'],
    object_refs: ['indicator--50617283-94a5-4fb6-8c07-18293a4b5c6d'],
  },
];

function accepted(o: PrepareOutcome): Extract<PrepareOutcome, { ok: true }> {
  if (!o.ok) throw new Error(`${o.id ?? '?'} rejected: ${o.issues.map((i) => `${i.code} ${i.path} ${i.message}`).join('; ')}`);
  return o;
}

describe('prepareObjects: objects of producers that extend STIX 2.1', () => {
  const outcomes = prepareObjects(objects, {}, createPrepareDeps());

  it('when a bundle uses extension definitions and unprefixed custom names, then every object is accepted', () => {
    expect(outcomes).toHaveLength(objects.length);
    for (const o of outcomes) accepted(o);
  });

  it('when an object is accepted, then its custom parts are stored as posted', () => {
    const byId = new Map(outcomes.map((o) => [accepted(o).object.id, JSON.parse(accepted(o).object.json) as Record<string, unknown>]));
    expect(byId.get('report--94a5b6c7-d8e9-4f3a-8b4c-5d6e7f8091a2')?.['title']).toBe('Weekly digest, week 47');
    expect(byId.get('cert-attribute--4f506172-8394-4ea5-bfb6-0718293a4b5c')?.['value']).toBe('something worth keeping');
    expect(byId.get('indicator--50617283-94a5-4fb6-8c07-18293a4b5c6d')?.['extensions']).toEqual({
      [PROPERTY_EXT]: { extension_type: 'property-extension', category: 'Network activity', to_ids: true },
    });
    expect(byId.get('indicator--8394a5b6-c7d8-4e29-bf3a-4b5c6d7e8f90')?.['score']).toBe(80);
  });

  it('when a custom name lacks its prefix, then a warning names the object and the property', () => {
    const report = accepted(outcomes[outcomes.length - 1] as PrepareOutcome);
    expect(report.object.changes).toContainEqual(
      expect.objectContaining({
        code: 'CUSTOM_PROPERTY_NAME',
        path: '/title',
        severity: 'warning',
        objectId: 'report--94a5b6c7-d8e9-4f3a-8b4c-5d6e7f8091a2',
      }),
    );
    const hostIndicator = outcomes.map(accepted).find((o) => o.object.id === 'indicator--728394a5-b6c7-4d18-ae29-3a4b5c6d7e8f');
    expect(hostIndicator?.object.changes).toContainEqual(
      expect.objectContaining({ code: 'PATTERN_CUSTOM_OBJECT_TYPE', severity: 'warning' }),
    );
  });

  it('when a name breaks the MUST rules (upper case, too short), then the object is still rejected with the property named', () => {
    const [upper, short] = prepareObjects(
      [
        { ...objects[objects.length - 1], id: 'report--a5b6c7d8-e9f0-4a4b-9c5d-6e7f8091a2b3', Title: 'x' },
        { ...objects[objects.length - 1], id: 'report--b6c7d8e9-f0a1-4b5c-8d6e-7f8091a2b3c4', ab: 'x' },
      ],
      {},
      createPrepareDeps(),
    );
    expect(upper?.ok).toBe(false);
    expect(short?.ok).toBe(false);
    if (upper && !upper.ok) expect(upper.issues).toContainEqual(expect.objectContaining({ path: '/Title', severity: 'error' }));
    if (short && !short.ok) expect(short.issues).toContainEqual(expect.objectContaining({ path: '/ab', severity: 'error' }));
  });

  it('when a pattern names a malformed type, then the indicator is rejected with a hint', () => {
    const [o] = prepareObjects(
      [{ ...objects[6], id: 'indicator--c7d8e9f0-a1b2-4c6d-9e7f-8091a2b3c4d5', pattern: "[URL:value = 'http://a.example/']" }],
      {},
      createPrepareDeps(),
    );
    expect(o?.ok).toBe(false);
    if (o && !o.ok)
      expect(o.issues).toContainEqual(
        expect.objectContaining({ code: 'PATTERN_UNKNOWN_OBJECT_TYPE', message: expect.stringContaining("did you mean 'url'?") }),
      );
  });
});
