import fc from 'fast-check';
import type {
  CompareOperator,
  ComparisonExpression,
  Literal,
  ObjectPath,
  ObservationExpression,
  PathStep,
  Qualifier,
} from '../../../../src/stix/pattern';
import { canonicalizePattern, comparedValuesOfText, parsePattern, printPattern } from '../../../../src/stix/pattern';
import { canonicalNumberText } from '../../../../src/stix/pattern/parser';
import { referenceComparedValues } from './compared-values-reference';

const stringLit = fc.string({ maxLength: 12, unit: fc.constantFrom('a', 'Z', ' ', "'", '\\', '%', '.', 'é', '[', ']', '0') });

const literal: fc.Arbitrary<Literal> = fc.oneof(
  stringLit.map((value): Literal => ({ kind: 'string', value })),
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map((value): Literal => ({ kind: 'int', value: value === 0 ? 0 : value })),
  fc
    .tuple(fc.integer({ min: -999, max: 999 }), fc.nat({ max: 9999 }))
    .map(([i, f]): Literal => ({ kind: 'float', text: canonicalNumberText(`${i}.${f}`) })),
  fc.boolean().map((value): Literal => ({ kind: 'bool', value })),
  fc.uint8Array({ maxLength: 8 }).map((b): Literal => ({ kind: 'binary', value: Buffer.from(b).toString('base64') })),
  fc.uint8Array({ maxLength: 8 }).map((b): Literal => ({ kind: 'hex', value: Buffer.from(b).toString('hex') })),
  fc.constantFrom('2020-01-01T00:00:00Z', '2021-06-30T12:34:56.123456Z').map((value): Literal => ({ kind: 'timestamp', value })),
);

const key = fc.constantFrom('name', 'value', 'hashes', 'SHA-256', 'x_custom', 'AND', 'true', 'a b', "it's", '');
const step: fc.Arbitrary<PathStep> = fc.oneof(
  key.map((k): PathStep => ({ kind: 'key', key: k })),
  fc.integer({ min: -3, max: 20 }).map((index): PathStep => ({ kind: 'index', index: index === 0 ? 0 : index })),
  fc.constant<PathStep>({ kind: 'any' }),
);
const path: fc.Arbitrary<ObjectPath> = fc
  .tuple(fc.constantFrom('file', 'ipv4-addr', 'network-traffic', 'x-acme'), key, fc.array(step, { maxLength: 3 }))
  .map(([objectType, first, rest]) => ({ objectType, steps: [{ kind: 'key', key: first }, ...rest] }));

const ORDER_OPS: readonly CompareOperator[] = ['>', '<', '>=', '<='];
const STRING_OPS: readonly CompareOperator[] = ['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'];

const test: fc.Arbitrary<ComparisonExpression> = fc.oneof(
  fc
    .tuple(path, fc.boolean(), fc.constantFrom<CompareOperator>('=', '!='), literal)
    .map(([p, negated, operator, value]): ComparisonExpression => ({ kind: 'compare', path: p, negated, operator, value })),
  fc
    .tuple(
      path,
      fc.boolean(),
      fc.constantFrom(...ORDER_OPS),
      literal.filter((l) => l.kind !== 'bool'),
    )
    .map(([p, negated, operator, value]): ComparisonExpression => ({ kind: 'compare', path: p, negated, operator, value })),
  fc
    .tuple(path, fc.boolean(), fc.constantFrom(...STRING_OPS), fc.constantFrom('a%', '^x$', '10.0.0.0/8'))
    .map(([p, negated, operator, value]): ComparisonExpression => ({
      kind: 'compare',
      path: p,
      negated,
      operator,
      value: { kind: 'string', value },
    })),
  fc
    .tuple(path, fc.boolean(), fc.array(literal, { maxLength: 4 }))
    .map(([p, negated, values]): ComparisonExpression => ({ kind: 'in', path: p, negated, values })),
  fc.tuple(path, fc.boolean()).map(([p, negated]): ComparisonExpression => ({ kind: 'exists', path: p, negated })),
);

const { comparison } = fc.letrec<{ comparison: ComparisonExpression }>((tie) => ({
  comparison: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    test,
    fc
      .tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), fc.array(tie('comparison'), { minLength: 2, maxLength: 3 }))
      .map(([kind, operands]): ComparisonExpression => ({ kind, operands })),
  ),
}));

const qualifier: fc.Arbitrary<Qualifier> = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 999 }), fc.nat({ max: 99 })).map(([i, f]): Qualifier => ({
    kind: 'within',
    seconds: canonicalNumberText(`${i + 1}.${f}`),
  })),
  fc.integer({ min: 1, max: 1000 }).map((times): Qualifier => ({ kind: 'repeats', times })),
  fc.constant<Qualifier>({ kind: 'startstop', start: '2020-01-01T00:00:00Z', stop: '2020-02-01T00:00:00.5Z' }),
);

const { observation } = fc.letrec<{ observation: ObservationExpression }>((tie) => ({
  observation: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison.map((c): ObservationExpression => ({ kind: 'observation', comparison: c })),
    fc
      .tuple(tie('observation'), qualifier)
      .map(([expression, q]): ObservationExpression => ({ kind: 'qualified', expression, qualifier: q })),
    fc
      .tuple(
        fc.constantFrom<'obs-and' | 'obs-or' | 'followedby'>('obs-and', 'obs-or', 'followedby'),
        fc.array(tie('observation'), { minLength: 2, maxLength: 3 }),
      )
      .map(([kind, operands]): ObservationExpression => ({ kind, operands })),
  ),
}));

/** The text of an AST in its own operand order (not sorted, duplicates kept), every operand in parentheses. */
function writtenAsIs(e: ObservationExpression): string {
  const cmp = (c: ComparisonExpression): string =>
    c.kind === 'and' || c.kind === 'or'
      ? c.operands.map((o) => `(${cmp(o)})`).join(c.kind === 'and' ? ' AND ' : ' OR ')
      : printPattern({ kind: 'observation', comparison: c }).slice(1, -1);
  switch (e.kind) {
    case 'observation':
      return `[${cmp(e.comparison)}]`;
    case 'qualified': {
      const q = e.qualifier;
      const text =
        q.kind === 'within'
          ? `WITHIN ${q.seconds} SECONDS`
          : q.kind === 'repeats'
            ? `REPEATS ${q.times} TIMES`
            : `START t'${q.start}' STOP t'${q.stop}'`;
      return `(${writtenAsIs(e.expression)}) ${text}`;
    }
    default:
      return e.operands
        .map((o) => `(${writtenAsIs(o)})`)
        .join(e.kind === 'obs-and' ? ' AND ' : e.kind === 'obs-or' ? ' OR ' : ' FOLLOWEDBY ');
  }
}

describe('pattern engine properties', () => {
  it('when a random AST is printed, parsed and printed again, then both prints are the same string', () => {
    fc.assert(
      fc.property(observation, (ast) => {
        const printed = printPattern(ast);
        const parsed = parsePattern(printed);
        expect(parsed.issues.filter((i) => i.code === 'PATTERN_SYNTAX' || i.code === 'PATTERN_NONSTANDARD')).toEqual([]);
        expect(parsed.value ? printPattern(parsed.value) : undefined).toBe(printed);
      }),
      { numRuns: 500 },
    );
  });

  it('when a canonical pattern is canonicalized again, then it is unchanged', () => {
    let checked = 0;
    fc.assert(
      fc.property(observation, (ast) => {
        const once = canonicalizePattern(printPattern(ast));
        if (once.value === undefined) return;
        checked++;
        expect(canonicalizePattern(once.value).value).toBe(once.value);
      }),
      { numRuns: 300 },
    );
    // Generated ASTs are valid, so nearly every case has a canonical form: require that, so the early return
    // cannot make the property vacuous. Mutation that made this fail once: canonicalizePattern always
    // returning value undefined (src/stix/pattern/index.ts).
    expect(checked).toBeGreaterThanOrEqual(285);
  });

  it('when a pattern is canonicalized, then its comparedValues are those of parsing the canonical text again', () => {
    let checked = 0;
    fc.assert(
      fc.property(observation, (ast) => {
        const r = canonicalizePattern(writtenAsIs(ast));
        if (r.value === undefined) return;
        checked++;
        expect(r.comparedValues).toEqual(referenceComparedValues(r.value));
      }),
      { numRuns: 1000 },
    );
    // As above: the early return may not empty the property (same mutation).
    expect(checked).toBeGreaterThanOrEqual(950);
  });

  it('when a pattern is written in any order, then comparedValuesOfText agrees with the rule as the store had it', () => {
    fc.assert(
      fc.property(observation, (ast) => {
        const text = printPattern(ast);
        expect(comparedValuesOfText(text)).toEqual(referenceComparedValues(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('when an IN list or a chain passes 100 values, then both stop at the same 100', () => {
    const values = Array.from({ length: 130 }, (_, i) => `'v${String(i).padStart(3, '0')}'`);
    const text = `[x-a:b IN (${values.slice(0, 60).join(', ')}) AND x-a:c NOT = 'n' AND x-a:d IN (${values.slice(60).join(', ')}) OR x-a:e = 7]`;
    const r = canonicalizePattern(text);
    expect(r.value).toBeDefined();
    expect(r.comparedValues).toHaveLength(100);
    expect(r.comparedValues).toEqual(referenceComparedValues(r.value ?? ''));
    expect(comparedValuesOfText(text)).toEqual(referenceComparedValues(text));
  });

  it('when given random text, then it never throws and returns either a value or an error', () => {
    const alphabet = fc.constantFrom(
      '[',
      ']',
      '(',
      ')',
      "'",
      '\\',
      ':',
      '.',
      ' ',
      'a',
      'file',
      'AND',
      'OR',
      '=',
      '1',
      '-',
      'b',
      "t'",
      'NOT',
      'IN',
      ',',
      '*',
      '/*',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')),
        ),
        (text) => {
          const r = canonicalizePattern(text);
          if (r.value === undefined) expect(r.issues.some((i) => i.severity === 'error')).toBe(true);
          for (const i of r.issues) expect(i.path).toMatch(/^\/pattern(@\[\d+,\d+\])?$/);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
