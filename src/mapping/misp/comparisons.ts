/**
 * Pattern comparisons as data: `{ root, path, value }` triples that the importer renders into STIX patterns
 * and turns into SCOs, and that the exporter reads back from patterns and SCOs. Paths are segment lists where
 * `'*'` stands for a list index (`resolves_to_refs[*].value` → `['resolves_to_refs', '*', 'value']`).
 */
import { canonicalJson } from '../../stix/canonical-json';
import { deterministicScoId, SCO_ID_NAMESPACE, uuidV5 } from '../../stix/identifiers';
import { patternPathKey, quotePatternString } from '../../stix/pattern/quote';
import { canonicalDomain, canonicalEmail, canonicalHashValue, canonicalIpv4, canonicalIpv6, canonicalUrl, refang } from '../../stix/values';
import type { StixObject } from '../types';
import type { ValueKind } from './misp-tables';

export interface Comparison {
  readonly root: string;
  readonly path: readonly string[];
  readonly value: string | number;
}

/** `hashes.SHA-256` / `resolves_to_refs[*].value` → segments. Table paths use `.` only between keys. */
export function parsePath(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('.')) {
    if (part.endsWith('[*]')) out.push(part.slice(0, -3), '*');
    else out.push(part);
  }
  return out;
}

export function pathText(path: readonly string[]): string {
  let s = '';
  for (const seg of path) {
    if (seg === '*') s += '[*]';
    else s += s === '' ? patternPathKey(seg) : `.${patternPathKey(seg)}`;
  }
  return s;
}

function renderComparison(c: Comparison): string {
  const v = typeof c.value === 'number' ? String(c.value) : quotePatternString(c.value);
  return `${c.root}:${pathText(c.path)} = ${v}`;
}

/**
 * Renders comparisons as a pattern: one observation per root type (AND between observations only when the
 * input spans several roots), comparisons ANDed inside; several values for the same single-valued path are
 * alternatives (OR in parentheses), while list paths (`[*]`) keep AND (each value is some list element).
 */
export function renderPattern(comparisons: readonly Comparison[]): string {
  const byRoot = new Map<string, Map<string, Comparison[]>>();
  for (const c of comparisons) {
    const paths = byRoot.get(c.root) ?? new Map<string, Comparison[]>();
    byRoot.set(c.root, paths);
    const key = pathText(c.path);
    const list = paths.get(key) ?? [];
    if (!list.some((x) => x.value === c.value)) list.push(c);
    paths.set(key, list);
  }
  const observations: string[] = [];
  for (const paths of byRoot.values()) {
    const terms: string[] = [];
    for (const list of paths.values()) {
      const first = list[0];
      if (first === undefined) continue;
      if (list.length === 1 || first.path.includes('*')) terms.push(...list.map(renderComparison));
      else terms.push(`(${list.map(renderComparison).join(' OR ')})`);
    }
    observations.push(`[${terms.join(' AND ')}]`);
  }
  return observations.join(' AND ');
}

export type ValueResult = { ok: true; value: string | number; refanged: boolean } | { ok: false; reason: string };

/** Reads one native value into its canonical pattern form for a value kind (refanging network values). */
export function canonicalValue(kind: ValueKind, raw: string, path: readonly string[]): ValueResult {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, reason: 'empty value' };
  const network = kind === 'ip' || kind === 'domain' || kind === 'url' || kind === 'email';
  const r = network ? refang(trimmed) : { value: trimmed, changed: false };
  const v = r.value;
  const done = (value: string | number | undefined, what: string): ValueResult =>
    value === undefined ? { ok: false, reason: `not a valid ${what}: ${raw.slice(0, 100)}` } : { ok: true, value, refanged: r.changed };
  switch (kind) {
    case 'hash': {
      const hashName = path[path.length - 1] ?? '';
      return done(canonicalHashValue(hashName === 'imphash' ? 'MD5' : hashName, v), `${hashName} hash`);
    }
    case 'ip':
      return done(canonicalIpv4(v) ?? canonicalIpv6(v), 'IP address');
    case 'domain':
      return done(canonicalDomain(v), 'domain name');
    case 'url':
      return done(canonicalUrl(v) ?? (v.length <= 8192 ? v : undefined), 'URL');
    case 'email':
      return done(canonicalEmail(v), 'e-mail address');
    case 'mac': {
      const m = v.toLowerCase().replace(/-/g, ':');
      return done(/^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/.test(m) ? m : undefined, 'MAC address');
    }
    case 'int':
      return done(/^\d{1,10}$/.test(v) && Number(v) <= 4294967295 ? Number(v) : undefined, 'integer');
    case 'as-number': {
      const digits = /^(?:AS)?\s?(\d{1,10})$/i.exec(v)?.[1];
      return done(digits !== undefined && Number(digits) <= 4294967295 ? Number(digits) : undefined, 'AS number');
    }
    case 'float':
      return done(/^-?\d{1,12}(?:\.\d{1,12})?$/.test(v) ? Number(v) : undefined, 'number');
    case 'string':
      return done(v, 'value');
  }
}

/** The IP address type of a canonical value. */
export function ipType(value: string): 'ipv4-addr' | 'ipv6-addr' {
  return value.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
}

/** The SCO type a `*_ref` value points at, from the value's shape. */
export function refTargetType(value: string | number): string {
  if (typeof value === 'number') return 'unknown';
  if (canonicalIpv4(value) !== undefined) return 'ipv4-addr';
  if (canonicalIpv6(value) !== undefined) return 'ipv6-addr';
  if (value.includes('@')) return 'email-addr';
  if (canonicalDomain(value) !== undefined) return 'domain-name';
  return 'file';
}

const REF_VALUE_KEY: Readonly<Record<string, string>> = { file: 'name', artifact: 'url' };

export interface ScoBuild {
  /** The SCOs, root first, then the ones it references. */
  readonly objects: StixObject[];
  /** Paths that could not be placed in an SCO (already rendered in patterns, lost in observed-data). */
  readonly unplaced: string[];
}

type Mutable = Record<string, unknown>;

function withId(o: Mutable): StixObject {
  // SCOs without ID-contributing properties get a UUIDv5 over all their properties instead of a random
  // UUIDv4, so a re-import still yields the same id.
  const id = deterministicScoId(o) ?? `${String(o['type'])}--${uuidV5(canonicalJson(o), SCO_ID_NAMESPACE)}`;
  const full: Mutable = { type: o['type'], spec_version: '2.1', id, ...o };
  return full as StixObject;
}

/**
 * Builds the SCOs of one root type from its comparisons (observed-data). `x_ref.value` and `x_refs[*].value`
 * create referenced SCOs whose type follows from the value; other paths become nested properties; list paths
 * with `[*]` create one-element lists. Several values for one plain path keep the first (the rest are reported).
 */
export function buildScos(root: string, comparisons: readonly Comparison[]): ScoBuild {
  const rootObj: Mutable = { type: root };
  const refs: StixObject[] = [];
  const unplaced: string[] = [];
  const lists = new Map<string, Mutable>();
  for (const c of comparisons) {
    const [head, second, third, ...rest] = c.path;
    if (head === undefined) continue;
    // `x_ref.type` only constrains the pattern; the referenced SCO's type follows from its value.
    if (head.endsWith('_ref') && second === 'type' && third === undefined) continue;
    if (head.endsWith('_ref') && second === 'value' && third === undefined) {
      if (rootObj[head] !== undefined) {
        unplaced.push(pathText(c.path));
        continue;
      }
      const ref = refSco(c.value);
      refs.push(ref);
      rootObj[head] = ref.id;
    } else if (head.endsWith('_refs') && second === '*' && third === 'value' && rest.length === 0) {
      const ref = refSco(c.value);
      refs.push(ref);
      const list = Array.isArray(rootObj[head]) ? (rootObj[head] as unknown[]) : [];
      list.push(ref.id);
      rootObj[head] = list;
    } else if (c.path.includes('*') || (head.endsWith('_ref') && second !== undefined)) {
      // List of dictionaries (values[*].data) or deeper refs: one list element per distinct list path.
      const star = c.path.indexOf('*');
      if (star < 0 || c.path.slice(0, star).some((s) => s.endsWith('_ref') || s.endsWith('_refs'))) {
        unplaced.push(pathText(c.path));
        continue;
      }
      const listPath = c.path.slice(0, star);
      const key = listPath.join('.');
      let element = lists.get(key);
      if (element === undefined) {
        element = {};
        lists.set(key, element);
        setNested(rootObj, listPath, [element]);
      }
      if (!setNested(element, c.path.slice(star + 1), c.value)) unplaced.push(pathText(c.path));
    } else if (!setNested(rootObj, c.path, c.value)) {
      unplaced.push(pathText(c.path));
    }
  }
  if (root === 'email-message' && rootObj['is_multipart'] === undefined) rootObj['is_multipart'] = false;
  if (root === 'network-traffic' && rootObj['protocols'] === undefined) {
    // STIX requires protocols; MISP ip|port values name no transport, only the address family is known.
    const family = refs.some((r) => r.type === 'ipv6-addr') ? 'ipv6' : 'ipv4';
    rootObj['protocols'] = [family];
  }
  return { objects: [withId(rootObj), ...dedupe(refs)], unplaced };
}

function refSco(value: string | number): StixObject {
  const type = refTargetType(value);
  const key = REF_VALUE_KEY[type] ?? 'value';
  return withId({ type, [key]: value });
}

function dedupe(objects: StixObject[]): StixObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => (seen.has(o.id) ? false : (seen.add(o.id), true)));
}

/** Sets a nested property; false when something is already there (first value wins). */
function setNested(target: Mutable, path: readonly string[], value: unknown): boolean {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i] ?? '';
    const next = node[seg];
    if (next === undefined) {
      const created: Mutable = {};
      node[seg] = created;
      node = created;
    } else if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as Mutable;
    } else {
      return false;
    }
  }
  const last = path[path.length - 1];
  if (last === undefined || node[last] !== undefined) return false;
  node[last] = value;
  return true;
}

/** Minimal shape rules of SCOs that STIX requires beyond the type (so an invalid SCO is never emitted). */
export function scoIsComplete(sco: StixObject): boolean {
  switch (sco.type) {
    case 'network-traffic':
      return sco['src_ref'] !== undefined || sco['dst_ref'] !== undefined;
    case 'email-message':
      return true;
    case 'file':
      return sco['name'] !== undefined || sco['hashes'] !== undefined;
    case 'windows-registry-key':
      return sco['key'] !== undefined;
    default:
      return true;
  }
}
