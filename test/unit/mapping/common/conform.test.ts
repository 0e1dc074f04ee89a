import { conformObjects, isUri } from '../../../../src/mapping/common/conform';
import { formatDefinition } from '../../../../src/mapping/registry';
import { isRfc4122Uuid } from '../../../../src/stix/identifiers';
import type { StixObject } from '../../../../src/mapping/types';

const T = '2024-01-01T00:00:00.000Z';
const uuidOf = (id: string): string => id.slice(id.length - 36);

describe('conformObjects', () => {
  it('when a source UUID has a wrong variant digit, then the object gets an RFC 4122 id and references follow', () => {
    const bad = 'observed-data--c8c32b6e-4ea8-51c4-6446-0a6c1e0f9d21';
    const r = conformObjects([
      { type: 'observed-data', id: bad, created: T, modified: T },
      { type: 'report', id: 'report--0b8bb1e4-8a4a-4d3c-9f5e-2c1d0e9f8a7b', object_refs: [bad] },
    ]);
    const id = r.objects[0]?.id ?? '';
    expect(id).not.toBe(bad);
    expect(isRfc4122Uuid(uuidOf(id))).toBe(true);
    expect(r.objects[1]?.['object_refs']).toEqual([id]);
    expect(r.issues.map((i) => i.code)).toEqual(['ID_REMINTED']);
    expect(r.issues[0]?.message).toContain(bad);
  });

  it('when one UUID names an incident and a report, then the report gets a UUID of its own', () => {
    const u = '0b8bb1e4-8a4a-4d3c-9f5e-2c1d0e9f8a7b';
    const r = conformObjects([
      { type: 'incident', id: `incident--${u}` },
      { type: 'report', id: `report--${u}`, object_refs: [`incident--${u}`] },
    ]);
    expect(r.objects[0]?.id).toBe(`incident--${u}`);
    expect(uuidOf(r.objects[1]?.id ?? '')).not.toBe(u);
  });

  it('when an SCO without ID-contributing properties carries a UUIDv5, then it gets a UUIDv4', () => {
    const r = conformObjects([{ type: 'process', id: 'process--8e2e2d2b-17d4-5cbf-938f-98ee46b3cd3f', pid: 4 }]);
    expect(r.objects[0]?.id.charAt('process--'.length + 14)).toBe('4');
  });

  it('when a url value has no scheme or holds spaces, then it is repaired to a URI, and what cannot be is dropped and named', () => {
    const urls: StixObject[] = [
      { type: 'url', id: 'url--0b8bb1e4-8a4a-4d3c-9f5e-2c1d0e9f8a71', value: 'evil.example.com/a b.php' },
      { type: 'url', id: 'url--0b8bb1e4-8a4a-4d3c-9f5e-2c1d0e9f8a72', value: 'not a url at all' },
      { type: 'url', id: 'url--0b8bb1e4-8a4a-4d3c-9f5e-2c1d0e9f8a73', value: 'https://ok.example/' },
    ];
    const r = conformObjects(urls);
    expect(r.objects.map((o) => o['value'])).toEqual(['http://evil.example.com/a%20b.php', 'https://ok.example/']);
    expect(r.issues.map((i) => i.code).sort()).toEqual(['URL_NOT_A_URI', 'URL_REPAIRED']);
    expect(r.objects.every((o) => isUri(String(o['value'])))).toBe(true);
  });

  it('when two copies of one id and modified differ, then the second is dropped and reported', () => {
    const id = 'indicator--0b8bb1e4-8a4a-4d3c-9f5e-2c1d0e9f8a7b';
    const r = conformObjects([
      { type: 'indicator', id, modified: T, name: 'a' },
      { type: 'indicator', id, modified: T, name: 'b' },
      { type: 'indicator', id, modified: T, name: 'a' },
    ]);
    expect(r.objects.map((o) => o['name'])).toEqual(['a', 'a']);
    expect(r.issues.map((i) => i.code)).toEqual(['CONFLICTING_COPY_DROPPED']);
  });
});

describe('registry imports', () => {
  it('when a STIX 2.1 document holds a non-RFC 4122 id, then the import (any format goes through the same step) repairs it', () => {
    const doc = JSON.stringify({
      type: 'bundle',
      id: 'bundle--0b8bb1e4-8a4a-4d3c-9f5e-2c1d0e9f8a7b',
      objects: [{ type: 'url', spec_version: '2.1', id: 'url--c8c32b6e-4ea8-51c4-6446-0a6c1e0f9d21', value: 'http://a.example/' }],
    });
    const r = formatDefinition('stix21')?.import(doc, { now: T });
    expect(r?.objects.every((o) => isRfc4122Uuid(uuidOf(o.id)))).toBe(true);
    expect(r?.issues.map((i) => i.code)).toContain('ID_REMINTED');
  });
});

describe('STIX exports', () => {
  it('when nothing is exported, then the bundle has no objects property', () => {
    for (const f of ['stix21', 'stix20']) {
      const out = formatDefinition(f)?.export([], {});
      const bundle: unknown = JSON.parse(out?.output ?? '{}');
      expect(typeof bundle === 'object' && bundle !== null && 'objects' in bundle).toBe(false);
      expect(out?.issues.map((i) => i.code)).toEqual(['EMPTY_BUNDLE']);
    }
  });

  it('when a streamed STIX 2.1 export has no page, then the bundle has no objects property', () => {
    const s = formatDefinition('stix21')?.streaming;
    const ctx = { bundleId: 'bundle--0b8bb1e4-8a4a-4d3c-9f5e-2c1d0e9f8a7b' };
    const text = (s?.begin(ctx) ?? '') + (s?.end(ctx, true) ?? '');
    expect(JSON.parse(text)).toEqual({ type: 'bundle', id: ctx.bundleId });
  });
});
