/**
 * The STIX 2.1 pattern AST (STIX 2.1 §9). Nodes are plain immutable data, discriminated on `kind`.
 * `span` holds `[start, end)` offsets into the parsed text; nodes built by code may leave it out.
 *
 * Chains of the same operator are n-ary (`operands`), so `a AND b AND c` is one node with three operands.
 * Parentheses are not nodes: the printer adds the ones the precedence needs.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A literal value (STIX 2.1 §9.3 "Constants"). */
export type Literal =
  | { readonly kind: 'string'; readonly value: string; readonly span?: Span }
  /** A safe integer (|n| ≤ 2^53 − 1). */
  | { readonly kind: 'int'; readonly value: number; readonly span?: Span }
  /** Canonical decimal text: no `+`, no leading zeros, no trailing fractional zeros (`0.5`, `-12.25`, `3.0`). */
  | { readonly kind: 'float'; readonly text: string; readonly span?: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span?: Span }
  /** `b'…'`: the base64 text as written. */
  | { readonly kind: 'binary'; readonly value: string; readonly span?: Span }
  /** `h'…'`: the hex digits, lower case. */
  | { readonly kind: 'hex'; readonly value: string; readonly span?: Span }
  /** `t'…'`: the RFC 3339 timestamp text as written (precision kept). */
  | { readonly kind: 'timestamp'; readonly value: string; readonly span?: Span };

/** One step of an object path after the `type:` prefix. The first step is always a key. */
export type PathStep =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  /** `[*]`: any element of a list. */
  | { readonly kind: 'any' };

export interface ObjectPath {
  readonly objectType: string;
  readonly steps: readonly PathStep[];
}

export type CompareOperator = '=' | '!=' | '>' | '<' | '>=' | '<=' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET';

/** `path [NOT] op literal`. */
export interface CompareTest {
  readonly kind: 'compare';
  readonly path: ObjectPath;
  readonly negated: boolean;
  readonly operator: CompareOperator;
  readonly value: Literal;
  readonly span?: Span;
}

/** `path [NOT] IN (v1, v2, …)`; the list keeps its written order. */
export interface InTest {
  readonly kind: 'in';
  readonly path: ObjectPath;
  readonly negated: boolean;
  readonly values: readonly Literal[];
  readonly span?: Span;
}

/** `[NOT] EXISTS path`. */
export interface ExistsTest {
  readonly kind: 'exists';
  readonly path: ObjectPath;
  readonly negated: boolean;
  readonly span?: Span;
}

export type PropTest = CompareTest | InTest | ExistsTest;

/** Comparison expressions inside one `[...]`: AND binds tighter than OR. */
export type ComparisonExpression =
  PropTest | { readonly kind: 'and' | 'or'; readonly operands: readonly ComparisonExpression[]; readonly span?: Span };

export type Qualifier =
  /** `WITHIN n SECONDS`; `seconds` is canonical decimal text (int or float, > 0). */
  | { readonly kind: 'within'; readonly seconds: string; readonly span?: Span }
  /** `REPEATS n TIMES`, n a positive integer. */
  | { readonly kind: 'repeats'; readonly times: number; readonly span?: Span }
  /** `START t'…' STOP t'…'`. */
  | { readonly kind: 'startstop'; readonly start: string; readonly stop: string; readonly span?: Span };

/** Observation expressions: AND binds tighter than OR, OR tighter than FOLLOWEDBY; qualifiers tightest. */
export type ObservationExpression =
  | { readonly kind: 'observation'; readonly comparison: ComparisonExpression; readonly span?: Span }
  | { readonly kind: 'qualified'; readonly expression: ObservationExpression; readonly qualifier: Qualifier; readonly span?: Span }
  | {
      readonly kind: 'obs-and' | 'obs-or' | 'followedby';
      readonly operands: readonly ObservationExpression[];
      readonly span?: Span;
    };

/** A whole pattern. */
export type Pattern = ObservationExpression;

/** Keywords of the pattern language; a path key equal to one of them (any case) is printed quoted. */
export const PATTERN_KEYWORDS: ReadonlySet<string> = new Set([
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUPERSET',
  'ISSUBSET',
  'EXISTS',
  'LAST',
  'IN',
  'START',
  'STOP',
  'SECONDS',
  'TRUE',
  'FALSE',
  'WITHIN',
  'REPEATS',
  'TIMES',
]);
