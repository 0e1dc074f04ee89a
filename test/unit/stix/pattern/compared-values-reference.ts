/**
 * The compared-values rule as src/store/indicator-entries.ts implemented it before prepare handed the values
 * over (parse, patternComparisons, filter): the reference the faster paths must agree with, since stored
 * value digests depend on it.
 */
import { parsePattern, patternComparisons } from '../../../../src/stix/pattern';

export function referenceComparedValues(pattern: string): string[] {
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
