import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportMisp } from '../../../../src/mapping/misp/export';
import type { StixObject } from '../../../../src/mapping/types';

/**
 * STIX 2.1 from producers other than MISP (no `misp:` labels) → MISP: single values become attributes,
 * several properties of one object become the MISP object template that holds them, and no value is lost
 * without a trace (every observable value is in the event or named in an issue).
 */
const DIR = join(__dirname, '../../../fixtures/mapping/misp-export');

interface Expected {
  readonly attributes: [string, string, boolean][];
  readonly objects: [string, string[]][];
  readonly toIds: boolean;
  readonly issueCodes: string[];
  readonly orgc?: string;
}

interface MispAttr {
  type: string;
  value: string;
  to_ids: boolean;
  object_relation?: string;
}

interface MispEvent {
  Attribute: MispAttr[];
  Object: { name: string; comment: string; Attribute: MispAttr[] }[];
  Orgc?: { name: string };
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.input.json'))
  .map((f) => f.slice(0, -'.input.json'.length))
  .sort();

const NOT_VALUES = new Set(['type', 'id', 'spec_version', 'is_multipart', 'defanged']);

/** The observable values a bundle states: pattern literals and the scalar properties of SCOs. */
function statedValues(objects: readonly StixObject[]): string[] {
  const out: string[] = [];
  const leaves = (node: unknown, key: string): void => {
    if (NOT_VALUES.has(key) || key.endsWith('_ref') || key.endsWith('_refs')) return;
    if (typeof node === 'string' || typeof node === 'number') out.push(String(node));
    else if (Array.isArray(node)) for (const x of node) leaves(x, '');
    else if (typeof node === 'object' && node !== null) for (const [k, v] of Object.entries(node)) leaves(v, k);
  };
  for (const o of objects) {
    if (o.type === 'indicator') {
      for (const m of String(o['pattern']).matchAll(/= '((?:[^'\\]|\\.)*)'|= (\d+)/g)) {
        const v = m[1] === undefined ? m[2] : m[1].replace(/\\(.)/g, '$1');
        if (v !== undefined && !/^(?:ipv4-addr|ipv6-addr|domain-name|email-addr)$/.test(v)) out.push(v);
      }
    } else if (!['identity', 'observed-data', 'relationship', 'report', 'grouping'].includes(o.type)) {
      leaves(o, '');
    }
  }
  return out;
}

describe('exportMisp fixtures (STIX 2.1 from other producers)', () => {
  it('when the fixture folder is read, then it holds cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(2);
  });

  it.each(cases)('when %s is exported, then attributes, objects and issues match the expected file', (name) => {
    const bundle = JSON.parse(readFileSync(join(DIR, `${name}.input.json`), 'utf8')) as { objects: StixObject[] };
    const expected = JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), 'utf8')) as Expected;
    const result = exportMisp(bundle.objects);
    const event = (JSON.parse(result.output) as { Event: MispEvent }).Event;

    expect(event.Attribute.map((a) => [a.type, a.value, a.to_ids])).toEqual(expected.attributes);
    const objects = event.Object.map((o) => [o.name, o.Attribute.map((a) => `${a.object_relation ?? ''}=${a.value}`).sort()]);
    expect(objects).toEqual(expected.objects);
    for (const o of event.Object) for (const a of o.Attribute) if (a.type !== 'text') expect(a.to_ids).toBe(expected.toIds);
    expect([...new Set(result.issues.map((i) => i.code))].sort()).toEqual([...expected.issueCodes].sort());
    if (expected.orgc !== undefined) expect(event.Orgc?.name).toBe(expected.orgc);
  });

  it.each(cases)('when %s is exported, then every stated value is in the event or named in an issue', (name) => {
    const bundle = JSON.parse(readFileSync(join(DIR, `${name}.input.json`), 'utf8')) as { objects: StixObject[] };
    const result = exportMisp(bundle.objects);
    const kept = `${result.output}\n${result.issues.map((i) => i.message).join('\n')}`;
    const lost = statedValues(bundle.objects).filter((v) => !kept.includes(JSON.stringify(v).slice(1, -1)) && !kept.includes(v));
    expect(lost).toEqual([]);
  });
});
