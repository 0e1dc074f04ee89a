/** The flat list of comparisons in a pattern, for the "which CERTs reported this value" index. */
import type { ComparisonExpression, Literal, ObservationExpression, Pattern, PropTest } from './ast';
import { parsePattern } from './parser';
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

/** Most values taken from one pattern for the value index. */
export const MAX_COMPARED_VALUES = 100;

/**
 * The values of the value index ("which CERTs reported this value"), from property tests in order: the
 * values compared with `=` or `IN` (not negated) that are strings or numbers (as text), at most
 * MAX_COMPARED_VALUES. Binary, hex and timestamp literals count as strings; booleans and EXISTS do not count.
 */
export function comparedValuesOf(tests: readonly PropTest[]): string[] {
  const out: string[] = [];
  for (const t of tests) {
    if (t.negated) continue;
    if (t.kind === 'compare' && t.operator === '=') {
      if (addComparedValue(t.value, out)) break;
    } else if (t.kind === 'in') {
      let full = false;
      for (const v of t.values) if ((full = addComparedValue(v, out))) break;
      if (full) break;
    }
  }
  return out;
}

/** Adds a literal's value when it is a string or a number; true when `out` is full. */
function addComparedValue(l: Literal, out: string[]): boolean {
  const v = literalValue(l);
  if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
  return out.length >= MAX_COMPARED_VALUES;
}

function collectTests(e: ComparisonExpression, out: PropTest[]): void {
  if (e.kind === 'compare' || e.kind === 'in' || e.kind === 'exists') out.push(e);
  else for (const o of e.operands) collectTests(o, out);
}

function collectObservationTests(e: ObservationExpression, out: PropTest[]): void {
  if (e.kind === 'observation') collectTests(e.comparison, out);
  else if (e.kind === 'qualified') collectObservationTests(e.expression, out);
  else for (const o of e.operands) collectObservationTests(o, out);
}

/** The property tests of a pattern in written order. */
export function patternTests(p: Pattern): PropTest[] {
  const out: PropTest[] = [];
  collectObservationTests(p, out);
  return out;
}

/** comparedValuesOf the tests of a pattern's text (none when it does not parse). */
export function comparedValuesOfText(pattern: string): string[] {
  const parsed = parsePattern(pattern);
  return parsed.value === undefined ? [] : comparedValuesOf(patternTests(parsed.value));
}
