import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportMisp } from '../../../../src/mapping/misp/export';
import { importMisp } from '../../../../src/mapping/misp/import';
import type { StixObject } from '../../../../src/mapping/types';
import { strictestTlp, tlpRank } from '../../../../src/stix/markings';
import { prepareObjects } from '../../../../src/stix/prepare';

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
  /** SCOs (ids left out: they are deterministic) that must be among the output, matched by type and properties. */
  readonly scos?: Record<string, unknown>[];
  /** Every MISP object of the input comes back from a MISP → STIX → MISP round trip with its name and relations. */
  readonly objectsRoundTrip?: boolean;
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

function markingRank(o: StixObject | undefined): number {
  const refs = Array.isArray(o?.['object_marking_refs']) ? (o['object_marking_refs'] as string[]) : [];
  const level = strictestTlp(refs);
  return level === undefined ? -1 : tlpRank(level);
}

/** What every import must satisfy: the gateway's own validator accepts every object, ids are not reused across
 * types, url SCOs hold URIs, and no container lists an object with a stricter TLP than its own. */
function expectValidOutput(objects: readonly StixObject[]): void {
  const rejected = prepareObjects(objects, {}).filter((o) => !o.ok);
  expect(rejected).toEqual([]);
  const typeByUuid = new Map<string, string>();
  for (const o of objects) {
    const [type, uuid] = o.id.split('--');
    if (uuid === undefined || type === undefined) continue;
    expect([o.id, typeByUuid.get(uuid) ?? type]).toEqual([o.id, type]);
    typeByUuid.set(uuid, type);
    if (o.type === 'url') expect(String(o['value'])).toMatch(/^[a-z][a-z0-9+.-]*:\S+$/i);
    // RFC 4122 ids everywhere (variant 8-b); SCOs without ID-contributing properties (a process) carry a UUIDv4.
    expect([o.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(uuid)]).toEqual([o.id, true]);
    if (o.type === 'process') expect(uuid.charAt(14)).toBe('4');
  }
  const byId = new Map(objects.map((o) => [o.id, o]));
  for (const c of objects.filter((o) => o.type === 'report' || o.type === 'grouping')) {
    for (const ref of (c['object_refs'] as string[]) ?? []) {
      expect([c.id, ref, markingRank(byId.get(ref)) <= markingRank(c)]).toEqual([c.id, ref, true]);
    }
  }
}

interface MispObjectIn {
  uuid: string;
  name: string;
  Attribute: { object_relation: string }[];
}

function relationsOf(o: MispObjectIn | undefined): string[] {
  return (o?.Attribute ?? []).map((a) => a.object_relation).sort();
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
    if (expected.error !== true) expectValidOutput(result.objects);
    for (const sco of expected.scos ?? []) expect(result.objects).toContainEqual(expect.objectContaining(sco));
    if (expected.objectsRoundTrip === true) {
      const source = JSON.parse(input.toString('utf8')) as { Event: { Object: MispObjectIn[] } };
      const back = (JSON.parse(exportMisp(result.objects).output) as { Event: { Object: MispObjectIn[] } }).Event.Object;
      for (const o of source.Event.Object) {
        const found = back.find((b) => b.uuid === o.uuid);
        expect([o.name, found?.name, relationsOf(found)]).toEqual([o.name, o.name, relationsOf(o)]);
      }
    }
    const byId = new Map(result.objects.map((o) => [o.id, o]));
    for (const id of expected.absent ?? []) expect(byId.has(id)).toBe(false);
    for (const [id, props] of Object.entries(expected.objects ?? {})) {
      expect(byId.get(id)).toMatchObject(props);
    }
    for (const [source, type, target] of expected.relationships ?? []) {
      expect(result.objects).toContainEqual(
        expect.objectContaining({ type: 'relationship', source_ref: source, relationship_type: type, target_ref: target }),
      );
    }
    for (const o of result.objects) {
      if (o.type !== 'indicator' || o['pattern_type'] !== 'stix') continue;
      expect(String(o['pattern'])).not.toMatch(/\[\.\]|hxxp|\[:\]/);
    }

    if (expected.roundTrip !== undefined || expected.eventTags !== undefined || expected.roundTripObjects !== undefined) {
      const exported = exportMisp(result.objects);
      const event = (
        JSON.parse(exported.output) as {
          Event: { Attribute: MispAttribute[]; Object: { name: string; Attribute: MispAttribute[] }[]; Tag: { name: string }[] };
        }
      ).Event;
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
