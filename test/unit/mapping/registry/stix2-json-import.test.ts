import { importStix20, importStix21 } from '../../../../src/mapping/stix21/import';

const IND = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--00000000-0000-4000-8000-000000000001',
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  pattern: "[ipv4-addr:value = '198.51.100.1']",
  pattern_type: 'stix',
  valid_from: '2024-01-01T00:00:00Z',
};

describe('importStix21 / importStix20', () => {
  const cases: [string, string, (t: string) => ReturnType<typeof importStix21>, string[], number][] = [
    [
      'a 2.1 bundle',
      JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000009', objects: [IND] }),
      importStix21,
      [],
      1,
    ],
    ['a TAXII envelope', JSON.stringify({ objects: [IND] }), importStix21, [], 1],
    ['a bare array', JSON.stringify([IND]), importStix21, [], 1],
    ['a single object', JSON.stringify(IND), importStix21, [], 1],
    [
      'a 2.0 bundle declared as 2.1',
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--00000000-0000-4000-8000-000000000009',
        spec_version: '2.0',
        objects: [{ ...IND, spec_version: undefined }],
      }),
      importStix21,
      ['STIX_VERSION_MISMATCH'],
      1,
    ],
    [
      'a 2.1 bundle declared as 2.0',
      JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000009', objects: [IND] }),
      importStix20,
      ['STIX_VERSION_MISMATCH'],
      1,
    ],
    ['an element that is not an object', JSON.stringify({ objects: [IND, 42] }), importStix21, ['STIX_NOT_AN_OBJECT'], 1],
    ['a MISP event', JSON.stringify({ Event: { info: 'x' } }), importStix21, ['STIX_NOT_A_BUNDLE'], 0],
    ['truncated JSON', JSON.stringify({ objects: [IND] }).slice(0, 40), importStix21, ['STIX21_INVALID_JSON'], 0],
    ['binary garbage', '\u0000\u0001\u0002', importStix20, ['STIX20_INVALID_JSON'], 0],
  ];

  it.each(cases)('when given %s, then the issue codes and object count match', (_name, text, run, codes, count) => {
    const r = run(text);
    expect(r.issues.map((i) => i.code)).toEqual(codes);
    expect(r.objects).toHaveLength(count);
  });

  it('when a 2.1 draft indicator has no pattern_type and a STIX pattern, then pattern_type "stix" is added with a warning', () => {
    const draft: Record<string, unknown> = { ...IND };
    delete draft['pattern_type'];
    const r = importStix21(JSON.stringify({ objects: [draft] }));
    expect(r.objects[0]?.['pattern_type']).toBe('stix');
    expect(r.issues.map((i) => [i.code, i.severity, i.objectId])).toEqual([['STIX21_PATTERN_TYPE_DEFAULTED', 'warning', IND.id]]);
  });

  it('when a 2.1 indicator without pattern_type has a pattern that is not STIX, then it is left for the pipeline to reject', () => {
    const draft: Record<string, unknown> = { ...IND, pattern: 'alert tcp any any -> any 80 (msg:"x";)' };
    delete draft['pattern_type'];
    const r = importStix21(JSON.stringify({ objects: [draft] }));
    expect(r.objects[0]?.['pattern_type']).toBeUndefined();
    expect(r.issues).toEqual([]);
  });

  it('when JSON is truncated, then the error names the format, says truncated and gives line and column', () => {
    const r = importStix21('{\n  "objects": [\n    {"type": "indicator"');
    expect(r.issues[0]?.message).toMatch(/^STIX 2\.1: the document is truncated/);
    expect(r.issues[0]?.path).toBe('line 3, column 25');
  });
});
