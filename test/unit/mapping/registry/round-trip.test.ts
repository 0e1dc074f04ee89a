/**
 * Every format through the registry: export(STIX 2.1) then import keeps the indicator values the mapping
 * promises (one comparison per indicator for the simple types every format carries), and the re-imported
 * objects pass the gateway's pipeline.
 */
import { FORMATS, formatDefinition } from '../../../../src/mapping/registry';
import type { StixObject } from '../../../../src/mapping/types';
import { prepareObjects } from '../../../../src/stix/prepare';

const T = '2024-02-01T10:00:00.000Z';
const PATTERNS = [
  "[ipv4-addr:value = '198.51.100.7']",
  "[domain-name:value = 'c2-relay.example.com']",
  "[url:value = 'http://203.0.113.8/gate.php']",
  "[file:hashes.MD5 = '44d88612fea8a8f36de82e1278abb02f']",
  "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
];

function indicators(): StixObject[] {
  return PATTERNS.map((pattern, i) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-00000000000${i + 1}`,
    created: T,
    modified: T,
    pattern,
    pattern_type: 'stix',
    valid_from: T,
    indicator_types: ['malicious-activity'],
  }));
}

/** The canonical patterns of the indicators the pipeline accepts. */
function canonicalPatterns(objects: readonly StixObject[]): string[] {
  const out: string[] = [];
  for (const o of prepareObjects(objects, {})) {
    if (!o.ok) throw new Error(`pipeline rejected ${o.id ?? o.index}: ${JSON.stringify(o.issues)}`);
    const obj = JSON.parse(o.object.json) as Record<string, unknown>;
    if (obj['type'] === 'indicator') out.push(String(obj['pattern']));
  }
  return out.sort();
}

describe('format registry round trips', () => {
  it('when the registry is listed, then every native format has an importer, an exporter, a media type and an extension', () => {
    expect(FORMATS).toEqual(['misp', 'stix1', 'openioc', 'csv', 'txt', 'stix20', 'stix21']);
    for (const f of FORMATS) {
      const d = formatDefinition(f);
      expect(d?.mediaType).toMatch(/^[a-z]+\/[a-z0-9.+-]+/);
      expect(d?.extension.length).toBeGreaterThan(0);
    }
    expect(formatDefinition(' MISP ')?.format).toBe('misp');
    expect(formatDefinition('yara')).toBeUndefined();
  });

  it.each(FORMATS)('when indicators are exported to %s and imported back, then their patterns are kept', (format) => {
    const def = formatDefinition(format);
    if (!def) throw new Error(format);
    const expected = canonicalPatterns(indicators());
    const exported = def.export(indicators(), { title: 'round trip' });
    const back = def.import(exported.output, { now: T, source: { name: 'round-trip' } });
    expect(back.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(canonicalPatterns(back.objects)).toEqual(expected);
  });

  it('when a streamed STIX 2.1 export is assembled from pages, then it is one valid bundle holding every object', () => {
    const def = formatDefinition('stix21');
    const s = def?.streaming;
    if (!s) throw new Error('stix21 streams');
    const all = indicators();
    const ctx = { bundleId: 'bundle--00000000-0000-4000-8000-0000000000aa' };
    const text = s.begin(ctx) + s.page(all.slice(0, 2), true, ctx).output + s.page(all.slice(2), false, ctx).output + s.end(ctx, false);
    const bundle = JSON.parse(text) as { id: string; objects: { id: string }[] };
    expect(bundle.id).toBe(ctx.bundleId);
    expect(bundle.objects.map((o) => o.id)).toEqual(all.map((o) => o.id));
  });

  it('when a streamed CSV export spans pages, then the header row is written once', () => {
    const s = formatDefinition('csv')?.streaming;
    if (!s) throw new Error('csv streams');
    const all = indicators();
    const text = s.begin({}) + s.page(all.slice(0, 2), true, {}).output + s.page(all.slice(2), false, {}).output + s.end({}, false);
    const lines = text.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('type,value'))).toHaveLength(1);
    expect(lines).toHaveLength(1 + all.length);
  });
});
