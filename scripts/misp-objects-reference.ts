/**
 * MISP objects → STIX 2.1 against misp-stix's documented object mapping. Takes a file in the layout of
 * misp-stix's `documentation/mapping/misp_objects_to_stix21.json` (case name → `MISP`: one object or a list,
 * `STIX`: `Indicator` {pattern}, `Observed Data` [observed-data, SCOs...] and/or one SDO by name), converts each
 * case's objects once with every attribute `to_ids: true` (compared with the Indicator) and once with `false`
 * (compared with the observed SCOs, or the SDO), the way `convert --from misp --to stix21` does, and reports:
 * - strict: every expected (path, value) of the pattern / the SCOs found at the same path, SDO properties equal;
 * - values kept: every expected value found at some path (a relation kept as `x_misp_<relation>`, say);
 * - invalid: outputs the strict validator rejects.
 * Attachment payloads (`data`) are left out of the inputs and of the comparison: the gateway never carries them.
 * Run: `npx tsx scripts/misp-objects-reference.ts FILE [--failures]`.
 */
import { readFileSync } from 'node:fs';
import { importMisp } from '../src/mapping/misp/import';
import { validateDocument } from '../src/stix/conformance/validate-document';
import { prepareForExport } from '../src/main/commands/convert';
import type { CliIo } from '../src/main/cli-types';

type Json = Record<string, unknown>;
type Pair = readonly [string, string];

const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const HASH_NAMES: Record<string, string> = { SHA1: 'SHA-1', SHA224: 'SHA-224', SHA256: 'SHA-256', SHA384: 'SHA-384', SHA512: 'SHA-512' };

/** Paths compared without list positions, quotes or hash-name spelling differences. */
function normPath(p: string): string {
  return p
    .replace(/'/g, '')
    .replace(/\[(?:\d+|\*)\]/g, '')
    .replace(/hashes\.([A-Za-z0-9-]+)/g, (_m, h: string) => `hashes.${HASH_NAMES[h.toUpperCase()] ?? h.toUpperCase()}`);
}

function normValue(v: unknown): string {
  const s = String(v).trim();
  if (/^(true|false)$/i.test(s)) return s.toLowerCase();
  const t = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.0+)?Z?$/.exec(s);
  if (t?.[1] !== undefined) return t[1];
  const unescaped = s.replace(/\\\\/g, '\\');
  return /^[0-9a-fA-F]{32,128}$/.test(unescaped) ? unescaped.toLowerCase() : unescaped;
}

/** Attachment payloads (an artifact's bytes, `x_misp_<attachment>.data`): never carried by the gateway. */
const PAYLOAD = /payload_bin$|x_misp_[a-z_]+\.data$/;

/** `type:path = value` comparisons of a STIX pattern (payloads left out). */
function patternPairs(pattern: string): Pair[] {
  const out: Pair[] = [];
  const re = /([a-z0-9-]+:[A-Za-z0-9_.\-[\]*']+)\s*=\s*(?:t?'((?:[^'\\]|\\.)*)'|(true|false|-?\d+(?:\.\d+)?))/g;
  for (const m of pattern.matchAll(re)) {
    const path = m[1] ?? '';
    if (PAYLOAD.test(path)) continue;
    out.push([normPath(path), normValue(m[2] ?? m[3])]);
  }
  return out;
}

/** An SCO's properties as (path, value) pairs, following references (their type too). */
function scoPairs(byId: ReadonlyMap<string, Json>, sco: Json, prefix: string, out: Pair[], depth = 0): void {
  if (depth > 3) return;
  if (depth > 0) out.push([normPath(`${prefix}.type`), String(sco['type'])]);
  const add = (path: string, v: unknown): void => {
    if (isJson(v)) for (const [k, x] of Object.entries(v)) add(`${path}.${k}`, x);
    else if (Array.isArray(v)) for (const x of v) add(path, x);
    else if (!PAYLOAD.test(path)) out.push([normPath(path), normValue(v)]);
  };
  for (const [k, v] of Object.entries(sco)) {
    if (['type', 'id', 'spec_version', 'object_marking_refs', 'defanged'].includes(k)) continue;
    const sep = prefix.endsWith(':') ? '' : '.';
    const refs = k.endsWith('_ref') && typeof v === 'string' ? [v] : k.endsWith('_refs') && Array.isArray(v) ? v : undefined;
    if (refs !== undefined) {
      for (const r of refs) {
        const target = typeof r === 'string' ? byId.get(r) : undefined;
        if (target !== undefined) scoPairs(byId, target, `${prefix}${sep}${k}`, out, depth + 1);
      }
    } else if (Array.isArray(v) && v.some(isJson)) {
      for (const x of v.filter(isJson)) scoPairs(byId, x, `${prefix}${sep}${k}`, out, depth);
    } else if (isJson(v) && k === 'extensions') {
      for (const [e, x] of Object.entries(v)) {
        if (isJson(x)) scoPairs(byId, x, `${prefix}${sep}${k}.${e}`, out, depth);
      }
    } else {
      add(`${prefix}${sep}${k}`, v);
    }
  }
}

/** The case's MISP objects as one event, every attribute with the given to_ids, payloads dropped. */
function eventOf(objects: Json[], toIds: boolean): string {
  const Object_ = objects.map((o) => ({
    ...o,
    Attribute: (Array.isArray(o['Attribute']) ? o['Attribute'] : []).filter(isJson).map((a) => {
      const { data: _data, ...rest } = a;
      return { ...rest, to_ids: toIds };
    }),
  }));
  return JSON.stringify({
    Event: {
      uuid: 'a6ef17d6-91cb-4a05-b10b-2f045daf874c',
      info: 'misp-stix documented objects',
      date: '2020-10-25',
      timestamp: '1603642920',
      Orgc: { name: 'MISP-Project', uuid: 'a0c22599-9e58-4da4-96ac-7051603fa951' },
      Object: Object_,
    },
  });
}

interface Outcome {
  readonly strictMissing: string[];
  readonly lost: string[];
  invalid: boolean;
}

const QUIET_IO: CliIo = { stdout: () => undefined, stderr: () => undefined, env: {}, readStdin: () => Promise.resolve(Buffer.alloc(0)) };

function convert(objects: Json[], toIds: boolean): { byId: Map<string, Json>; invalid: boolean } {
  const imported = importMisp(eventOf(objects, toIds), { now: '2024-01-01T00:00:00.000Z' }).objects;
  // The objects `convert` writes: what the gateway's prepare stage keeps, then the strict validator on the bundle.
  const kept = prepareForExport(imported, QUIET_IO, true).objects;
  const invalid = !validateDocument({ type: 'bundle', id: 'bundle--a6ef17d6-91cb-4a05-b10b-2f045daf874c', objects: kept }).ok;
  return { byId: new Map(kept.map((o): [string, Json] => [o.id, o])), invalid };
}

function compare(expected: readonly Pair[], got: readonly Pair[]): { strict: string[]; lost: string[] } {
  const have = new Set(got.map(([p, v]) => `${p}\u0000${v}`));
  const values = new Set(got.map(([, v]) => v));
  const strict = expected.filter(([p, v]) => !have.has(`${p}\u0000${v}`)).map(([p, v]) => `${p} = ${v}`);
  const lost = expected.filter(([, v]) => !values.has(v)).map(([p, v]) => `${p} = ${v}`);
  return { strict, lost };
}

/** One case: the indicator, the observed SCOs and the SDOs misp-stix documents, each compared. */
function runCase(misp: Json[], stix: Json): Outcome {
  const uuid = String(misp[0]?.['uuid'] ?? '');
  const out: Outcome = { strictMissing: [], lost: [], invalid: false };
  const push = (what: string, r: { strict: string[]; lost: string[] }): void => {
    out.strictMissing.push(...r.strict.map((x) => `${what}: ${x}`));
    out.lost.push(...r.lost.map((x) => `${what}: ${x}`));
  };
  const indicator = stix['Indicator'];
  if (isJson(indicator) && typeof indicator['pattern'] === 'string') {
    const { byId, invalid } = convert(misp, true);
    out.invalid ||= invalid;
    const ours = [...byId.values()].find((o) => o['type'] === 'indicator' && String(o['id']).endsWith(uuid));
    push('indicator', compare(patternPairs(indicator['pattern']), ours === undefined ? [] : patternPairs(String(ours['pattern']))));
  }
  const observed = stix['Observed Data'];
  const sdos = Object.entries(stix).filter(([k, v]) => k !== 'Indicator' && k !== 'Observed Data' && isJson(v));
  const pattern = isJson(indicator) && typeof indicator['pattern'] === 'string' ? indicator['pattern'] : undefined;
  if (!Array.isArray(observed) && sdos.length === 0 && pattern === undefined) return out;
  const { byId, invalid } = convert(misp, false);
  out.invalid ||= invalid;
  if (Array.isArray(observed)) push('observed', compareObserved(observed.filter(isJson), byId, uuid));
  // No documented SCOs: the observed SCO must say what the documented pattern says.
  else if (pattern !== undefined) push('observed', compare(patternPairs(pattern), ourObservedPairs(byId, uuid, pattern)));
  for (const [, sdo] of sdos) push(String((sdo as Json)['type']), compareSdo(sdo as Json, byId, uuid));
  return out;
}

function compareObserved(expected: Json[], byId: ReadonlyMap<string, Json>, uuid: string): { strict: string[]; lost: string[] } {
  const expById = new Map(expected.map((o) => [String(o['id']), o]));
  const od = expected.find((o) => o['type'] === 'observed-data');
  const rootId = Array.isArray(od?.['object_refs']) ? String(od['object_refs'][0]) : undefined;
  const root = rootId === undefined ? undefined : expById.get(rootId);
  if (root === undefined) return { strict: [], lost: [] };
  const want: Pair[] = [];
  scoPairs(expById, root, `${String(root['type'])}:`, want);
  const ours = byId.get(`observed-data--${uuid}`);
  const refs = Array.isArray(ours?.['object_refs']) ? ours['object_refs'] : [];
  const mine = refs.map((r) => byId.get(String(r))).find((o) => o?.['type'] === root['type']);
  const got: Pair[] = [];
  if (mine !== undefined) scoPairs(byId, mine, `${String(mine['type'])}:`, got);
  return compare(want, got);
}

function ourObservedPairs(byId: ReadonlyMap<string, Json>, uuid: string, pattern: string): Pair[] {
  const rootType = /\[\(?([a-z0-9-]+):/.exec(pattern)?.[1];
  const ours = byId.get(`observed-data--${uuid}`);
  const refs = Array.isArray(ours?.['object_refs']) ? ours['object_refs'] : [];
  const mine = refs.map((r) => byId.get(String(r))).find((o) => o?.['type'] === rootType);
  const got: Pair[] = [];
  if (mine !== undefined) scoPairs(byId, mine, `${String(mine['type'])}:`, got);
  return got;
}

const SDO_SKIP = new Set(['id', 'spec_version', 'created', 'modified', 'created_by_ref', 'labels', 'kill_chain_phases', 'object_refs']);

function compareSdo(expected: Json, byId: ReadonlyMap<string, Json>, uuid: string): { strict: string[]; lost: string[] } {
  const ours = [...byId.values()].find((o) => o['type'] === expected['type'] && String(o['id']).endsWith(uuid));
  const want: Pair[] = [];
  const got: Pair[] = [];
  const flat = (o: Json, out: Pair[]): void => {
    for (const [k, v] of Object.entries(o)) {
      if (SDO_SKIP.has(k) || (isJson(v) && 'data' in v)) continue;
      for (const x of Array.isArray(v) ? v : [v]) {
        if (isJson(x)) for (const [k2, x2] of Object.entries(x)) out.push([`${k}.${k2}`, normValue(x2)]);
        else out.push([k, typeof x === 'number' ? String(x) : normValue(x)]);
      }
    }
  };
  flat(expected, want);
  if (ours !== undefined) flat(ours, got);
  return compare(want, got);
}

function main(): void {
  const [file, flag] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: npx tsx scripts/misp-objects-reference.ts FILE [--failures]');
  const doc: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isJson(doc)) throw new Error(`${file}: not a JSON object`);
  let strict = 0;
  let kept = 0;
  let invalid = 0;
  const names = Object.keys(doc);
  for (const name of names) {
    const c = doc[name];
    if (!isJson(c) || !isJson(c['STIX'])) continue;
    const misp = (Array.isArray(c['MISP']) ? c['MISP'] : [c['MISP']]).filter(isJson);
    const r = runCase(misp, c['STIX']);
    strict += r.strictMissing.length === 0 && !r.invalid ? 1 : 0;
    kept += r.lost.length === 0 && !r.invalid ? 1 : 0;
    invalid += r.invalid ? 1 : 0;
    if (flag === '--failures' && (r.strictMissing.length > 0 || r.invalid)) {
      console.log(`${name}${r.invalid ? ' INVALID' : ''}\n  ${r.strictMissing.join('\n  ')}`);
    }
  }
  console.log(`misp objects → stix21: ${strict}/${names.length} strict, ${kept}/${names.length} values kept, ${invalid} invalid`);
}

main();
