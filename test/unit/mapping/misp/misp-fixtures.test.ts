import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportMisp } from '../../../../src/mapping/misp/export';
import { importMisp } from '../../../../src/mapping/misp/import';
import type { StixObject } from '../../../../src/mapping/types';

const DIR = join(__dirname, '../../../fixtures/mapping/misp');
const NOW = '2024-01-01T00:00:00.000Z';

interface Expected {
  readonly counts: Record<string, number>;
  readonly issueCodes?: string[];
  readonly issueCount?: Record<string, number>;
  readonly error?: boolean;
  readonly noErrors?: boolean;
  readonly absent?: string[];
  readonly objects?: Record<string, Record<string, unknown>>;
  readonly relationships?: [string, string, string][];
  readonly roundTrip?: [string, string, boolean][];
  readonly roundTripObjects?: [string, string[]][];
  readonly eventTags?: string[];
}

interface MispAttribute {
  type: string;
  value: string;
  to_ids: boolean;
  object_relation?: string;
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.input.json'))
  .map((f) => f.slice(0, -'.input.json'.length))
  .sort();

function countByType(objects: readonly StixObject[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of objects) out[o.type] = (out[o.type] ?? 0) + 1;
  return out;
}

describe('importMisp fixtures', () => {
  it('when the fixture folder is read, then it holds cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases)('when %s is imported, then objects, ids, patterns and issues match the expected file', (name) => {
    const input = readFileSync(join(DIR, `${name}.input.json`));
    const expected = JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), 'utf8')) as Expected;
    const result = importMisp(input, { now: NOW });
    const codes = result.issues.map((i) => i.code);

    expect(countByType(result.objects)).toEqual(expected.counts);
    for (const code of expected.issueCodes ?? []) expect(codes).toContain(code);
    for (const [code, n] of Object.entries(expected.issueCount ?? {})) expect(codes.filter((c) => c === code)).toHaveLength(n);
    if (expected.error === true) {
      expect(result.objects).toHaveLength(0);
      expect(result.issues.filter((i) => i.severity === 'error')).toHaveLength(1);
      expect(result.issues[0]?.message).toMatch(/^MISP: /);
    }
    if (expected.noErrors === true) expect(result.issues.some((i) => i.severity === 'error')).toBe(false);
    const byId = new Map(result.objects.map((o) => [o.id, o]));
    for (const id of expected.absent ?? []) expect(byId.has(id)).toBe(false);
    for (const [id, props] of Object.entries(expected.objects ?? {})) {
      expect(byId.get(id)).toMatchObject(props);
    }
    for (const [source, type, target] of expected.relationships ?? []) {
      expect(result.objects).toContainEqual(expect.objectContaining({ type: 'relationship', source_ref: source, relationship_type: type, target_ref: target }));
    }
    for (const o of result.objects) {
      if (o.type !== 'indicator' || o['pattern_type'] !== 'stix') continue;
      expect(String(o['pattern'])).not.toMatch(/\[\.\]|hxxp|\[:\]/);
    }

    if (expected.roundTrip !== undefined || expected.eventTags !== undefined || expected.roundTripObjects !== undefined) {
      const exported = exportMisp(result.objects);
      const event = (JSON.parse(exported.output) as { Event: { Attribute: MispAttribute[]; Object: { name: string; Attribute: MispAttribute[] }[]; Tag: { name: string }[] } }).Event;
      const triples = event.Attribute.map((a) => [a.type, a.value, a.to_ids]);
      for (const t of expected.roundTrip ?? []) expect(triples).toContainEqual(t);
      for (const tag of expected.eventTags ?? []) expect(event.Tag.map((t) => t.name)).toContain(tag);
      for (const [objectName, relations] of expected.roundTripObjects ?? []) {
        const found = event.Object.find((o) => o.name === objectName);
        expect(found?.Attribute.map((a) => a.object_relation)).toEqual(relations);
      }
    }
  });

  it('when the same file is imported twice, then the ids are identical (idempotent re-import)', () => {
    for (const name of cases) {
      const input = readFileSync(join(DIR, `${name}.input.json`));
      const a = importMisp(input, { now: NOW }).objects.map((o) => o.id);
      const b = importMisp(input, { now: '2025-06-01T00:00:00.000Z' }).objects.map((o) => o.id);
      expect(b).toEqual(a);
    }
  });
});
