/**
 * Pattern comparisons as data: `{ root, path, value }` triples that the importer renders into STIX patterns
 * and turns into SCOs, and that the exporter reads back from patterns and SCOs. Paths are segment lists where
 * `'*'` stands for a list index (`resolves_to_refs[*].value` → `['resolves_to_refs', '*', 'value']`).
 */
import { patternPathKey, quotePatternString } from '../../stix/pattern/quote';
import { canonicalDomain, canonicalEmail, canonicalHashValue, canonicalIpv4, canonicalIpv6, canonicalUrl, refang } from '../../stix/values';
import type { ValueKind } from './misp-tables';
import { isoToStixTimestamp } from './misp-json';

export interface Comparison {
  readonly root: string;
  readonly path: readonly string[];
  readonly value: string | number | boolean;
  /** The value is a timestamp: rendered as a `t'...'` literal. */
  readonly timestamp?: boolean;
  /** The MISP object relation it came from: an SCO that cannot hold it keeps it as `x_misp_<relation>`. */
  readonly relation?: string;
  /** The list position of the path's `*` (the sections of a file merged with its pe-section objects). */
  readonly index?: number;
}

/** The path as a pattern writes it, with the list position when the comparison has one (`sections[1].name`). */
export function comparisonPath(c: Comparison): string {
  const text = pathText(c.path);
  return c.index === undefined ? text : text.replace('[*]', `[${c.index}]`);
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
  const v =
    typeof c.value === 'number' || typeof c.value === 'boolean'
      ? String(c.value)
      : c.timestamp === true
        ? `t${quotePatternString(c.value)}`
        : quotePatternString(c.value);
  return `${c.root}:${comparisonPath(c)} = ${v}`;
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
    const key = comparisonPath(c);
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

export type ValueResult = { ok: true; value: string | number | boolean; refanged: boolean } | { ok: false; reason: string };

/** Reads one native value into its canonical pattern form for a value kind (refanging network values). */
export function canonicalValue(kind: ValueKind, raw: string, path: readonly string[]): ValueResult {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, reason: 'empty value' };
  const network = kind === 'ip' || kind === 'domain' || kind === 'url' || kind === 'email';
  const r = network ? refang(trimmed) : { value: trimmed, changed: false };
  const v = r.value;
  const done = (value: string | number | boolean | undefined, what: string): ValueResult =>
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
    case 'long':
      return done(/^\d{1,16}$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : undefined, 'integer');
    case 'as-number': {
      const digits = /^(?:AS)?\s?(\d{1,10})$/i.exec(v)?.[1];
      return done(digits !== undefined && Number(digits) <= 4294967295 ? Number(digits) : undefined, 'AS number');
    }
    case 'float':
      // Up to 17 significant fraction digits: a double's full precision (MISP writes entropies like 7.836462238824369).
      return done(/^-?\d{1,12}(?:\.\d{1,17})?$/.test(v) ? Number(v) : undefined, 'number');
    case 'string':
      return done(v, 'value');
    case 'protocol':
      return done(/^[A-Za-z0-9][A-Za-z0-9_.+-]{0,39}$/.test(v) ? v.toLowerCase() : undefined, 'protocol name');
    case 'language':
      // Read from other producers as written; the importer keeps a non-code as a custom property (import.ts).
      return done(/^[A-Za-z]{3}$/.test(v) ? v.toLowerCase() : v, 'language');
    case 'bool': {
      const b = v.toLowerCase();
      return done(['true', '1', 'yes'].includes(b) ? true : ['false', '0', 'no'].includes(b) ? false : undefined, 'boolean');
    }
    case 'timestamp':
      return done(isoToStixTimestamp(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?$/.test(v) ? `${v}Z` : v), 'date-time');
  }
}

/** The IP address type of a canonical value. */
export function ipType(value: string): 'ipv4-addr' | 'ipv6-addr' {
  return value.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
}

/** The SCO type a `*_ref` value points at, from the value's shape. */
export function refTargetType(value: string | number | boolean): string {
  if (typeof value !== 'string') return 'unknown';
  if (canonicalIpv4(value) !== undefined) return 'ipv4-addr';
  if (canonicalIpv6(value) !== undefined) return 'ipv6-addr';
  if (value.includes('@')) return 'email-addr';
  if (canonicalDomain(value) !== undefined) return 'domain-name';
  return 'file';
}
