/**
 * What the store indexes for an indicator: its dedup field (producer + canonical pattern) and the digests of
 * the values its pattern compares (the "which CERTs reported this value" index). Both are short digests, so
 * the per-collection hashes that hold them stay small.
 */
import { createHash } from 'node:crypto';
import { indicatorKey } from '../stix/indicator-key';
import { parsePattern, patternComparisons } from '../stix/pattern';

function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 22);
}

/** Values compared with `=` or `IN` in a STIX pattern (strings and numbers), at most 100. */
export function comparedValues(pattern: string): string[] {
  const parsed = parsePattern(pattern);
  if (!parsed.value) return [];
  const out: string[] = [];
  for (const c of patternComparisons(parsed.value)) {
    if ((c.operator === '=' || c.operator === 'IN') && (typeof c.value === 'string' || typeof c.value === 'number')) {
      out.push(String(c.value));
      if (out.length >= 100) break;
    }
  }
  return out;
}

/** The canonical indicator key (src/stix/indicator-key.ts), as prepare computes it. */
export const indicatorKeyOf = indicatorKey;

/** Digest of a compared value, case-folded (hashes, domains and e-mail addresses compare case-insensitively). */
export function valueDigest(value: string): string {
  return digest(value.toLowerCase());
}

/** The dedup field of an indicator: same producer and same canonical indicator key → same field. */
export function dedupField(producer: string | undefined, indicatorKey: string): string {
  return digest(`${producer ?? ''}|${indicatorKey}`);
}

/** Digests of the distinct values a pattern compares. */
export function valueDigests(pattern: string): string[] {
  return [...new Set(comparedValues(pattern).map(valueDigest))];
}

/** The index entries of a stored indicator's JSON (for clean-up on delete), or undefined for other objects. */
export function indexEntriesOf(json: string): { dedupField: string; valueDigests: string[] } | undefined {
  const obj: unknown = JSON.parse(json);
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
  const rec = obj as Record<string, unknown>;
  const pattern = rec['pattern'];
  if (rec['type'] !== 'indicator' || typeof pattern !== 'string') return undefined;
  const patternType = typeof rec['pattern_type'] === 'string' ? rec['pattern_type'] : 'stix';
  const producer = typeof rec['created_by_ref'] === 'string' ? rec['created_by_ref'] : undefined;
  return {
    dedupField: dedupField(producer, indicatorKeyOf(patternType, pattern)),
    valueDigests: patternType === 'stix' ? valueDigests(pattern) : [],
  };
}
