/** The flat list of comparisons in a pattern, for the "which CERTs reported this value" index. */
import type { ComparisonExpression, Literal, ObservationExpression, Pattern } from './ast';
import { printPropertyPath } from './printer';

export interface PatternComparison {
  readonly objectType: string;
  /** The property path as printed, without the type (`value`, `hashes.'SHA-256'`, `src_ref.value`). */
  readonly path: string;
  /** The operator as printed, with `NOT ` when negated (`=`, `NOT LIKE`, `IN`). */
  readonly operator: string;
  /** Strings, binary/hex/timestamp literals as their text; ints and floats as numbers; booleans. */
  readonly value: string | number | boolean;
}

function literalValue(l: Literal): string | number | boolean {
  switch (l.kind) {
    case 'float':
      return Number(l.text);
    default:
      return l.value;
  }
}

function walkComparison(e: ComparisonExpression, out: PatternComparison[]): void {
  switch (e.kind) {
    case 'and':
    case 'or':
      for (const o of e.operands) walkComparison(o, out);
      return;
    case 'exists':
      // EXISTS carries no value to index.
      return;
    case 'in': {
      const base = { objectType: e.path.objectType, path: printPropertyPath(e.path), operator: e.negated ? 'NOT IN' : 'IN' };
      for (const v of e.values) out.push({ ...base, value: literalValue(v) });
      return;
    }
    case 'compare':
      out.push({
        objectType: e.path.objectType,
        path: printPropertyPath(e.path),
        operator: e.negated ? `NOT ${e.operator}` : e.operator,
        value: literalValue(e.value),
      });
  }
}

function walkObservation(e: ObservationExpression, out: PatternComparison[]): void {
  switch (e.kind) {
    case 'observation':
      walkComparison(e.comparison, out);
      return;
    case 'qualified':
      walkObservation(e.expression, out);
      return;
    default:
      for (const o of e.operands) walkObservation(o, out);
  }
}

/**
 * Every comparison of the pattern in written order; an IN list yields one entry per item (operator `IN`);
 * EXISTS tests are left out (no value).
 */
export function patternComparisons(p: Pattern): PatternComparison[] {
  const out: PatternComparison[] = [];
  walkObservation(p, out);
  return out;
}
