import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importStix1 } from '../../../../src/mapping/stix1/import';

interface Expected {
  readonly counts: Record<string, number>;
  readonly objects?: Record<string, unknown>[];
  readonly issues?: string[];
  readonly errors?: string[];
}

const DIR = join(__dirname, '../../../fixtures/mapping/stix1');
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.input.xml'))
  .map((f) => f.replace('.input.xml', ''));

describe('importStix1 fixtures', () => {
  it.each(cases)('when importing %s, then the objects, ids, patterns, markings and issues match the expectation', (name) => {
    const input = readFileSync(join(DIR, `${name}.input.xml`));
    const expected = JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), 'utf8')) as Expected;
    const result = importStix1(input, { now: '2024-01-01T00:00:00Z' });
    const counts: Record<string, number> = {};
    for (const o of result.objects) counts[o.type] = (counts[o.type] ?? 0) + 1;
    expect(counts).toEqual(expected.counts);
    for (const want of expected.objects ?? []) {
      const candidates = result.objects.filter(
        (o) => (want['id'] === undefined || o.id === want['id']) && (want['type'] === undefined || o.type === want['type']),
      );
      expect(candidates.some((o) => Object.entries(want).every(([k, v]) => JSON.stringify(o[k]) === JSON.stringify(v)))).toBe(true);
    }
    const codes = new Set(result.issues.map((i) => i.code));
    for (const code of expected.issues ?? []) expect(codes).toContain(code);
    const errors = result.issues.filter((i) => i.severity === 'error').map((i) => i.code);
    expect(errors).toEqual(expected.errors ?? []);
  });
});
