import { performance } from 'node:perf_hooks';
import { loadStixSchemas } from '../../../../src/stix/schema-validator';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every regular expression of a schema: `pattern` values and `patternProperties` keys, depth-bounded. */
function collectPatterns(node: unknown, where: string, out: Map<string, string>, depth = 0): void {
  if (depth > 40) throw new Error(`schema too deep at ${where}`);
  if (Array.isArray(node)) {
    node.forEach((n, i) => collectPatterns(n, `${where}/${i}`, out, depth + 1));
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pattern' && typeof value === 'string') out.set(value, where);
    if (key === 'patternProperties' && isRecord(value)) for (const p of Object.keys(value)) out.set(p, `${where}/patternProperties`);
    collectPatterns(value, `${where}/${key}`, out, depth + 1);
  }
}

/** `n`-character strings that almost match typical patterns, each spoiled by a final character. */
function nearMisses(pattern: string, n: number): string[] {
  const literal = [...new Set(pattern.replace(/[^A-Za-z0-9_:.\-/]/g, ''))].join('') || 'a';
  const cycle = (chars: string): string => Array.from({ length: n }, (_, i) => chars[i % chars.length] ?? 'a').join('');
  const bases = [cycle('a'), cycle('0'), cycle('-'), cycle('a-'), cycle('x_a'), cycle('0a:'), cycle(literal), `indicator--${cycle('0-')}`];
  return bases.flatMap((b) => [`${b}!`, `${b}\u0000`, `${b} `, b.slice(0, n - 1)]);
}

/**
 * The least time (ms) of one pass of `re` over `inputs`, over five trials of up to 20 passes (the least: a busy
 * machine only ever adds time). A trial stops after 100 ms, and the trials once a pass takes over 100 ms: a
 * catastrophic pattern is known by then, and must not hold the suite for minutes.
 */
function leastTime(re: RegExp, inputs: readonly string[]): number {
  let least = Infinity;
  for (let trial = 0; trial < 5 && (trial === 0 || least < 100); trial++) {
    const start = performance.now();
    let passes = 0;
    while (passes < 20 && (passes === 0 || performance.now() - start < 100)) {
      for (const input of inputs) re.test(input);
      passes++;
    }
    least = Math.min(least, (performance.now() - start) / passes);
  }
  return least;
}

/**
 * How the matching time grows with the input: the ratio of times at `large` and `small` characters, or 1 when
 * a pass over the large inputs takes under 0.1 ms (too fast to tell, and too fast to matter). A ratio, not a time: a
 * slow machine changes both times alike. Linear matching grows like large/small; quadratic like its square.
 */
function growth(re: RegExp, pattern: string, small: number, large: number): number {
  // A stalled process (a loaded machine) can inflate one measurement; a real blow-up shows every time, so the
  // least of three measurements counts.
  let least = Infinity;
  for (let attempt = 0; attempt < 3 && least >= 64; attempt++) {
    const tLarge = leastTime(re, nearMisses(pattern, large));
    least = Math.min(least, tLarge < 0.1 ? 1 : tLarge / Math.max(leastTime(re, nearMisses(pattern, small)), 0.0005));
  }
  return least;
}

const patterns = new Map<string, string>();
for (const s of loadStixSchemas()) collectPatterns(s.schema, s.path, patterns);

describe('STIX schema patterns', () => {
  it('when the schemas are scanned, then patterns are found (timestamp, identifier, custom properties)', () => {
    expect(patterns.size).toBeGreaterThan(10);
    expect([...patterns.keys()].some((p) => p.startsWith('^x_'))).toBe(true);
  });

  // ReDoS by input size, not by a time limit. Mutations that made this test fail once: a schema pattern
  // changed to `^([a-z0-9_]+)+$` (exponential: the 12→24 step grows about 4000-fold) and to
  // `^[a-z0-9_]*[a-z0-9_]*[a-z0-9_]*x$` (cubic: the 32→512 step grows about 4000-fold).
  it.each([...patterns.keys()].map((p) => [p]))('when %s meets near misses of growing length, then its matching time grows at most linearly', (pattern) => {
    // ajv compiles patterns with the `u` flag.
    const re = new RegExp(pattern, 'u');
    // Exponential backtracking first, on short inputs (doubling 12 → 24 characters: linear ×2, exponential ×4096).
    expect(growth(re, pattern, 12, 24)).toBeLessThan(64);
    // Then polynomial (32 → 512 characters, ×16: linear ×16, quadratic ×256, cubic ×4096).
    expect(growth(re, pattern, 32, 512)).toBeLessThan(64);
  });

  it('when a pattern has a quantified group that itself contains a quantifier, then the group cannot repeat ambiguously', () => {
    // Heuristic guard: `(x+)+`, `(x*)*` or `(a|a)+` style groups are the catastrophic ones; flag any group
    // containing + or * that is itself followed by + or *.
    const nested = [...patterns.keys()].filter((p) => /\([^()]*[+*][^()]*\)[+*]/.test(p));
    expect(nested).toEqual([]);
  });
});
