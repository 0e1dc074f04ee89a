/**
 * The STIX 2.1 patterning engine: lexer → parser → AST → normalizer → canonical printer. Pure, no I/O.
 */
import type { ContentIssue } from '../issues';
import { comparedValuesOf, comparedValuesOfText } from './comparisons';
import { DEFAULT_MAX_PATTERN_LENGTH, type ParseOptions, parsePattern } from './parser';
import { normalizePattern } from './normalize';
import { printPatternWithTests } from './printer';

export type * from './ast';
export { PATTERN_KEYWORDS } from './ast';
export { parsePattern, patternSpanPath, DEFAULT_MAX_PATTERN_DEPTH, DEFAULT_MAX_PATTERN_LENGTH } from './parser';
export type { ParseOptions, ParseResult } from './parser';
export {
  printPattern,
  printPatternWithTests,
  printLiteral,
  printObjectPath,
  printPropertyPath,
  patternPathKey,
  quotePatternString,
} from './printer';
export { normalizePattern } from './normalize';
export type { NormalizeResult } from './normalize';
export { comparedValuesOf, comparedValuesOfText, MAX_COMPARED_VALUES, patternComparisons, patternTests } from './comparisons';
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
  /**
   * With `value`: `comparedValuesOfText(value)` (the values the value index keeps), taken from the normalized
   * AST in printed order instead of by parsing `value` again.
   */
  readonly comparedValues?: readonly string[];
}

/** Parse + normalize + print: the canonical text of a pattern and everything found or changed on the way. */
export function canonicalizePattern(text: string, options?: ParseOptions): CanonicalizeResult {
  const parsed = parsePattern(text, options);
  if (parsed.value === undefined) return { issues: parsed.issues };
  const normalized = normalizePattern(parsed.value);
  const printed = printPatternWithTests(normalized.value);
  // Printing may lengthen a pattern (quoted keys): past the parser's limit a re-parse finds no values.
  const comparedValues =
    printed.text.length > DEFAULT_MAX_PATTERN_LENGTH ? comparedValuesOfText(printed.text) : comparedValuesOf(printed.tests);
  return { value: printed.text, issues: [...parsed.issues, ...normalized.changes], comparedValues };
}
