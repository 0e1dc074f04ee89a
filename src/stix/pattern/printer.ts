/**
 * Canonical printer. What is canonicalized (so semantically equal patterns written differently print the same,
 * and `printPattern(parsePattern(printPattern(p)).value)` is a fixed point):
 *
 * - spacing: one space around operators and AND/OR/FOLLOWEDBY, none inside brackets and parentheses,
 *   `, ` between IN items: `[file:hashes.'SHA-256' = 'abc' AND file:size > 10]`;
 * - operators `==` → `=`, `<>` → `!=`; keywords upper case; booleans `true`/`false`;
 * - strings single-quoted with only `\` and `'` escaped; numbers without `+` or leading zeros; hex lower case;
 *   START/STOP timestamps as `t'…'`;
 * - path keys quoted only when they are not plain identifiers or are keywords (`hashes.'SHA-256'`, `'AND'`);
 * - parentheses only where precedence needs them; nested chains of the same AND/OR are flattened, and a
 *   FOLLOWEDBY chain is flattened from the left (its grammar associativity);
 * - order: the operands of every AND and OR chain (inside an observation and between observations) are sorted
 *   by their printed form; inside an observation duplicate operands of an AND/OR are removed. FOLLOWEDBY order,
 *   IN list order and qualifier order are kept (they carry meaning or are cheap to compare as written).
 */
import type { ComparisonExpression, Literal, ObjectPath, ObservationExpression, Pattern, PropTest, Qualifier } from './ast';
import { patternPathKey, quotePatternString } from './quote';

export { patternPathKey, quotePatternString };

export function printLiteral(l: Literal): string {
  switch (l.kind) {
    case 'string':
      return quotePatternString(l.value);
    case 'int':
      return String(l.value);
    case 'float':
      return l.text;
    case 'bool':
      return l.value ? 'true' : 'false';
    case 'binary':
      return `b'${l.value}'`;
    case 'hex':
      return `h'${l.value}'`;
    case 'timestamp':
      return `t'${l.value}'`;
  }
}

/** `type:key.key[0][*]` with keys quoted only when needed. */
export function printObjectPath(p: ObjectPath): string {
  let out = `${p.objectType}:`;
  let first = true;
  for (const s of p.steps) {
    if (s.kind === 'key') out += first ? patternPathKey(s.key) : `.${patternPathKey(s.key)}`;
    else if (s.kind === 'index') out += `[${s.index}]`;
    else out += '[*]';
    first = false;
  }
  return out;
}

/** The path without the `type:` prefix, as printed (`hashes.'SHA-256'`). */
export function printPropertyPath(p: ObjectPath): string {
  return printObjectPath(p).slice(p.objectType.length + 1);
}

function printTest(t: PropTest): string {
  const not = t.negated ? 'NOT ' : '';
  switch (t.kind) {
    case 'compare':
      return `${printObjectPath(t.path)} ${not}${t.operator} ${printLiteral(t.value)}`;
    case 'in':
      return `${printObjectPath(t.path)} ${not}IN (${t.values.map(printLiteral).join(', ')})`;
    case 'exists':
      return `${not}EXISTS ${printObjectPath(t.path)}`;
  }
}

function collect<T extends { readonly kind: string }>(
  kind: string,
  operands: readonly T[],
  out: T[],
  operandsOf: (node: T) => readonly T[] | undefined,
): void {
  for (const o of operands) {
    const inner = o.kind === kind ? operandsOf(o) : undefined;
    if (inner) collect(kind, inner, out, operandsOf);
    else out.push(o);
  }
}

function cmpOperands(node: ComparisonExpression): readonly ComparisonExpression[] | undefined {
  return node.kind === 'and' || node.kind === 'or' ? node.operands : undefined;
}

/**
 * Prints a comparison expression; `parentAnd` wraps an OR in parentheses. With `tests`, also appends the
 * property tests (leaves) in the order they appear in the printed text, without the printed duplicates.
 */
function printComparison(e: ComparisonExpression, parentAnd: boolean, tests?: PropTest[]): string {
  if (e.kind === 'compare' || e.kind === 'in' || e.kind === 'exists') {
    tests?.push(e);
    return printTest(e);
  }
  const leaves: ComparisonExpression[] = [];
  collect(e.kind, e.operands, leaves, cmpOperands);
  // The tests of each printed operand, to re-emit them in sorted order (the first of equal prints wins).
  const testsByText = tests === undefined ? undefined : new Map<string, PropTest[]>();
  const printed = leaves.map((l) => {
    if (testsByText === undefined) return printComparison(l, e.kind === 'and');
    const own: PropTest[] = [];
    const text = printComparison(l, e.kind === 'and', own);
    if (!testsByText.has(text)) testsByText.set(text, own);
    return text;
  });
  const unique = [...new Set(printed)].sort();
  // After removing duplicates a single operand stands for the whole chain, in the parent's context.
  if (unique.length === 1) {
    const only = leaves[0];
    return only === undefined ? '' : printComparison(only, parentAnd, tests);
  }
  if (tests !== undefined && testsByText !== undefined) for (const text of unique) tests.push(...(testsByText.get(text) ?? []));
  const joined = unique.join(e.kind === 'and' ? ' AND ' : ' OR ');
  return e.kind === 'or' && parentAnd ? `(${joined})` : joined;
}

function printQualifier(q: Qualifier): string {
  switch (q.kind) {
    case 'within':
      return `WITHIN ${q.seconds} SECONDS`;
    case 'repeats':
      return `REPEATS ${q.times} TIMES`;
    case 'startstop':
      return `START t'${q.start}' STOP t'${q.stop}'`;
  }
}

function obsOperands(node: ObservationExpression): readonly ObservationExpression[] | undefined {
  return node.kind === 'obs-and' || node.kind === 'obs-or' || node.kind === 'followedby' ? node.operands : undefined;
}

/** Binding strength: the tighter, the higher. */
const LEVEL = { followedby: 1, 'obs-or': 2, 'obs-and': 3, qualified: 4, observation: 5 } as const;

function printObservation(e: ObservationExpression, minLevel: number, tests?: PropTest[]): string {
  let text: string;
  switch (e.kind) {
    case 'observation':
      return `[${printComparison(e.comparison, false, tests)}]`;
    case 'qualified':
      text = `${printObservation(e.expression, LEVEL.qualified, tests)} ${printQualifier(e.qualifier)}`;
      break;
    case 'followedby': {
      // Left-associative: a FOLLOWEDBY chain in first position is the same chain.
      const parts: string[] = [];
      e.operands.forEach((o, i) => {
        if (i === 0 && o.kind === 'followedby') parts.push(printObservation(o, LEVEL.followedby, tests));
        else parts.push(printObservation(o, LEVEL.followedby + 1, tests));
      });
      text = parts.join(' FOLLOWEDBY ');
      break;
    }
    case 'obs-and':
    case 'obs-or': {
      const leaves: ObservationExpression[] = [];
      collect(e.kind, e.operands, leaves, obsOperands);
      if (leaves.length === 1) return printObservation(leaves[0] ?? e, minLevel, tests);
      // With `tests`: each operand's tests, re-emitted in the sorted order of the printed operands.
      const printed = leaves.map((l) => {
        const own: PropTest[] | undefined = tests === undefined ? undefined : [];
        return { text: printObservation(l, LEVEL[e.kind] + 1, own), tests: own };
      });
      printed.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
      if (tests !== undefined) for (const p of printed) tests.push(...(p.tests ?? []));
      text = printed.map((p) => p.text).join(e.kind === 'obs-and' ? ' AND ' : ' OR ');
      break;
    }
  }
  return LEVEL[e.kind] < minLevel ? `(${text})` : text;
}

/** Prints a pattern in canonical form (see the module comment for what is canonicalized). */
export function printPattern(p: Pattern): string {
  return printObservation(p, 0);
}

/**
 * printPattern, plus the property tests of the printed text in the order they appear in it (duplicates that
 * printing removed are left out): what parsing the printed text again would yield, without parsing it.
 */
export function printPatternWithTests(p: Pattern): { readonly text: string; readonly tests: readonly PropTest[] } {
  const tests: PropTest[] = [];
  const text = printObservation(p, 0, tests);
  return { text, tests };
}
