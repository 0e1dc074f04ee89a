import { prescreen } from '../../../../src/stix/semantic';

const ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';

function nested(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < depth; i++) v = { x: v };
  return v;
}

describe('prescreen', () => {
  it.each([
    ['a string', 'indicator', 'NOT_AN_OBJECT'],
    ['an array', [], 'NOT_AN_OBJECT'],
    ['null', null, 'NOT_AN_OBJECT'],
    ['no type', { id: ID }, 'MISSING_TYPE'],
    ['a bad type', { type: 'Indicator', id: ID }, 'INVALID_TYPE'],
    ['a nested bundle', { type: 'bundle', id: 'bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }, 'BUNDLE_NOT_ALLOWED'],
    ['no id', { type: 'indicator' }, 'MISSING_ID'],
    ['an upper-case uuid', { type: 'indicator', id: ID.toUpperCase() }, 'INVALID_ID'],
    ['an id of another type', { type: 'malware', id: ID }, 'ID_TYPE_MISMATCH'],
  ])('when the element is %s, then it is rejected with the right code', (_name, value, code) => {
    const r = prescreen(value);
    expect(r.issues.map((i) => i.code)).toContain(code);
    expect(r.issues.every((i) => i.severity === 'error')).toBe(true);
  });

  it('when the object is larger than the limit, then OBJECT_TOO_LARGE', () => {
    const r = prescreen({ type: 'indicator', id: ID, description: 'x'.repeat(2000) }, { maxObjectBytes: 1000 });
    expect(r.issues.map((i) => i.code)).toEqual(['OBJECT_TOO_LARGE']);
    expect(r.issues[0]?.objectId).toBe(ID);
  });

  it('when the object nests deeper than 64 levels, then OBJECT_TOO_DEEP', () => {
    expect(prescreen({ type: 'indicator', id: ID, x_deep: nested(64) }).issues.map((i) => i.code)).toEqual(['OBJECT_TOO_DEEP']);
    expect(prescreen({ type: 'indicator', id: ID, x_deep: nested(62) }).issues).toEqual([]);
  });

  it('when multi-byte strings bring the object to exactly the limit, then the UTF-8 size decides, to the byte', () => {
    const text = 'é€😀a'.repeat(50);
    const obj = { type: 'indicator', id: ID, description: text };
    // braces + each property: key bytes + quotes, colon, comma (4) + value bytes + quotes (2)
    const size = 2 + Object.entries(obj).reduce((n, [k, v]) => n + Buffer.byteLength(k) + 4 + Buffer.byteLength(v) + 2, 0);
    expect(prescreen(obj, { maxObjectBytes: size }).issues).toEqual([]);
    expect(prescreen(obj, { maxObjectBytes: size - 1 }).issues.map((i) => i.code)).toEqual(['OBJECT_TOO_LARGE']);
  });

  it('when a deep part follows multi-byte text, then too deep and too large are told apart by the exact size', () => {
    const text = 'é'.repeat(1000); // 2000 bytes, 3000 by the 3-bytes-per-unit bound
    const deep = { type: 'indicator', id: ID, description: text, x_deep: nested(70) };
    expect(prescreen(deep, { maxObjectBytes: 2600 }).issues.map((i) => i.code)).toEqual(['OBJECT_TOO_DEEP']);
    expect(prescreen(deep, { maxObjectBytes: 2400 }).issues.map((i) => i.code)).toEqual(['OBJECT_TOO_LARGE']);
  });

  it('when the object is fine, then no issue and the object is returned', () => {
    const obj = { type: 'indicator', id: ID };
    expect(prescreen(obj)).toEqual({ object: obj, id: ID, issues: [] });
  });
});
