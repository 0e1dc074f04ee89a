/** What the lookup index records for an indicator: its canonical key and the values its pattern compares. */
import { createHash } from 'node:crypto';
import { parsePattern, patternComparisons } from '../stix/pattern';

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

/** The canonical indicator key: the same digest prepare computes (sha256 of `<pattern_type>\0<canonical pattern>`). */
export function indicatorKeyOf(patternType: string, canonicalPattern: string): string {
  return createHash('sha256').update(`${patternType}\u0000${canonicalPattern}`, 'utf8').digest('hex');
}
