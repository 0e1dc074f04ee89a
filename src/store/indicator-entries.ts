/**
 * What the store indexes for an indicator: its dedup field (producer + canonical pattern) and the digests of
 * the values its pattern compares (the "which CERTs reported this value" index). Both are short digests, so
 * the per-collection hashes that hold them stay small.
 */
import { indicatorKey } from '../stix/indicator-key';
import { comparedValuesOfText } from '../stix/pattern';
import { sha256 } from '../stix/sha256';

function digest(text: string): string {
  return sha256(text, 'base64url').slice(0, 22);
}

/**
 * Values compared with `=` or `IN` in a STIX pattern (strings and numbers), at most 100 (the rule lives in
 * src/stix/pattern/comparisons.ts). Prepare hands the same list over as `PreparedObject.comparedValues`.
 */
export function comparedValues(pattern: string): string[] {
  return comparedValuesOfText(pattern);
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
  return valueDigestsOf(comparedValues(pattern));
}

/** valueDigests from the compared values (e.g. `PreparedObject.comparedValues`, without parsing the pattern). */
export function valueDigestsOf(values: readonly string[]): string[] {
  return [...new Set(values.map(valueDigest))];
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
