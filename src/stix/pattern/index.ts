/**
 * The STIX 2.1 patterning engine: lexer → parser → AST → normalizer → canonical printer. Pure, no I/O.
 */
import type { ContentIssue } from '../issues';
import { type ParseOptions, parsePattern } from './parser';
import { normalizePattern } from './normalize';
import { printPattern } from './printer';

export type * from './ast';
export { PATTERN_KEYWORDS } from './ast';
export { parsePattern, patternSpanPath, DEFAULT_MAX_PATTERN_DEPTH, DEFAULT_MAX_PATTERN_LENGTH } from './parser';
export type { ParseOptions, ParseResult } from './parser';
export { printPattern, printLiteral, printObjectPath, printPropertyPath, patternPathKey, quotePatternString } from './printer';
export { normalizePattern } from './normalize';
export type { NormalizeResult } from './normalize';
export { patternComparisons } from './comparisons';
export type { PatternComparison } from './comparisons';
export { SCO_TYPES, INTEGER_PROPERTIES, scoHasProperty, isCustomObjectType } from '../sco-properties';

export interface CanonicalizeResult {
  /**
   * The canonical pattern text whenever the input is syntactically a pattern (it may still carry error issues,
   * e.g. an unknown object type: check `hasErrors(issues)`). Absent on a syntax error.
   */
  readonly value?: string;
  /** Parse issues followed by the normalization changes. */
  readonly issues: ContentIssue[];
}

/** Parse + normalize + print: the canonical text of a pattern and everything found or changed on the way. */
export function canonicalizePattern(text: string, options?: ParseOptions): CanonicalizeResult {
  const parsed = parsePattern(text, options);
  if (parsed.value === undefined) return { issues: parsed.issues };
  const normalized = normalizePattern(parsed.value);
  return { value: printPattern(normalized.value), issues: [...parsed.issues, ...normalized.changes] };
}
