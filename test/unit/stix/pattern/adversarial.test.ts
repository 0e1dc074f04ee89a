import { canonicalizePattern, parsePattern } from '../../../../src/stix/pattern';

/** Generous bounds: these only catch super-linear behaviour and stack overflows, they are not benchmarks. */
function timed<T>(f: () => T): { result: T; ms: number } {
  const t0 = Date.now();
  const result = f();
  return { result, ms: Date.now() - t0 };
}

describe('pattern engine on adversarial input', () => {
  it('when given 10,000 nested observation parentheses, then reports PATTERN_TOO_DEEP without overflowing the stack', () => {
    const text = '('.repeat(10_000) + "[file:name = 'x']" + ')'.repeat(10_000);
    const { result, ms } = timed(() => parsePattern(text));
    expect(result.value).toBeUndefined();
    expect(result.issues.map((i) => i.code)).toEqual(['PATTERN_TOO_DEEP']);
    expect(ms).toBeLessThan(5000);
  });

  it('when given 10,000 nested comparison parentheses, then reports PATTERN_TOO_DEEP', () => {
    const text = '[' + '('.repeat(10_000) + "file:name = 'x'" + ')'.repeat(10_000) + ']';
    expect(parsePattern(text).issues.map((i) => i.code)).toEqual(['PATTERN_TOO_DEEP']);
  });

  it('when given a chain of 50,000 qualifiers, then reports PATTERN_TOO_DEEP instead of overflowing the stack', () => {
    const text = "[file:name = 'a']" + ' REPEATS 2 TIMES'.repeat(50_000);
    const r = canonicalizePattern(text);
    expect(r.value).toBeUndefined();
    expect(r.issues.map((i) => i.code)).toEqual(['PATTERN_TOO_DEEP']);
  });

  it('when nesting is exactly at the bound, then the pattern parses', () => {
    const text = '('.repeat(199) + "[file:name = 'x']" + ')'.repeat(199);
    expect(canonicalizePattern(text).value).toBe("[file:name = 'x']");
  });

  it('when given a 1 MB string literal, then finishes with a result', () => {
    const text = "[file:name = '" + "a\\'".repeat(300_000) + "']";
    const { result, ms } = timed(() => canonicalizePattern(text));
    expect(result.value?.length).toBe(text.length);
    expect(ms).toBeLessThan(10_000);
  });

  it('when the pattern is longer than the limit, then reports PATTERN_TOO_LONG at once', () => {
    const r = parsePattern('x'.repeat(2_000_000));
    expect(r.issues).toMatchObject([{ code: 'PATTERN_TOO_LONG', path: '/pattern@[0,2000000]' }]);
  });

  it('when given 100,000 comparisons, then finishes with a result in linear time', () => {
    const text = '[' + Array.from({ length: 100_000 }, (_, i) => `file:name = 'f${i}'`).join(' OR ') + ']';
    const { result, ms } = timed(() => canonicalizePattern(text, { maxLength: 10_000_000 }));
    expect(result.value?.startsWith("[file:name = 'f0' OR file:name = 'f1' OR")).toBe(true);
    expect(ms).toBeLessThan(60_000);
  });

  it('when given an unterminated literal after a long input, then reports the opening offset', () => {
    const text = "[file:name = '" + 'a'.repeat(500_000);
    expect(parsePattern(text).issues).toMatchObject([{ code: 'PATTERN_SYNTAX', path: `/pattern@[13,${text.length}]` }]);
  });
});
