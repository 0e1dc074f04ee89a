import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseXml } from '../../../../src/mapping/common/xml';
import { exportStix1 } from '../../../../src/mapping/stix1/export';
import { importStix1 } from '../../../../src/mapping/stix1/import';
import type { StixObject } from '../../../../src/mapping/types';

const OPTS = { now: '2024-01-01T00:00:00Z' };
const AMBER_STRICT = 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003';
const TLP2_RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';

function ind(id: string, pattern: string, extra: Record<string, unknown> = {}): StixObject {
  return { type: 'indicator', spec_version: '2.1', id, created: '2021-01-01T00:00:00Z', modified: '2021-01-01T00:00:00Z', pattern, pattern_type: 'stix', valid_from: '2021-01-01T00:00:00Z', ...extra };
}

describe('exportStix1', () => {
  it('when a package is imported, exported and re-imported, then indicator ids, patterns and TLP are kept', () => {
    const input = readFileSync(join(__dirname, '../../../fixtures/mapping/stix1/indicators-prefixes-tlp.input.xml'));
    const first = importStix1(input, OPTS);
    const exported = exportStix1(first.objects, { prefix: 'cert', namespace: 'https://cert.example/stix' });
    expect(parseXml(exported.output, { format: 'STIX 1.x' }).issues).toEqual([]);
    const again = importStix1(exported.output, OPTS);
    const before = first.objects.filter((o) => o.type === 'indicator');
    for (const o of before) {
      const back = again.objects.find((x) => x.id === o.id);
      expect(back?.['pattern']).toBe(o['pattern']);
      expect(back?.['object_marking_refs']).toEqual(o['object_marking_refs']);
    }
  });

  it('when an indicator is TLP:AMBER+STRICT, then it is written as RED (never widened) with an issue', () => {
    const out = exportStix1([ind('indicator--6a0b1e1c-1d0b-4d5e-9a77-1c2d3e4f5a6b', "[url:value = 'http://x.example/a']", { object_marking_refs: [AMBER_STRICT] })]);
    expect(out.output).toContain('color="RED"');
    expect(out.issues.map((i) => i.code)).toContain('STIX1_EXPORT_TLP_NARROWED');
    const back = importStix1(out.output, OPTS).objects.find((o) => o.type === 'indicator');
    expect(back?.['object_marking_refs']).toEqual([TLP2_RED]);
  });

  it('when a pattern uses a qualifier, then the pattern goes to the description and an issue is reported', () => {
    const pattern = "[file:name = 'a.exe'] REPEATS 5 TIMES";
    const out = exportStix1([ind('indicator--7a0b1e1c-1d0b-4d5e-9a77-1c2d3e4f5a6b', pattern)]);
    expect(out.issues.map((i) => i.code)).toEqual(['STIX1_EXPORT_PATTERN_UNSUPPORTED']);
    expect(out.output).toContain('REPEATS 5 TIMES');
  });

  it('when values need escaping, then the XML stays well-formed and values survive the round trip', () => {
    const pattern = "[file:name = 'a<b>&\\'c.exe' AND file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']";
    const out = exportStix1([ind('indicator--8a0b1e1c-1d0b-4d5e-9a77-1c2d3e4f5a6b', pattern)]);
    const back = importStix1(out.output, OPTS).objects.find((o) => o.type === 'indicator');
    expect(back?.['pattern']).toBe(pattern);
  });
});
