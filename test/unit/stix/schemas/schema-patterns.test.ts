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

/** 30-character strings that almost match typical patterns, each spoiled by a final character. */
function nearMisses(pattern: string): string[] {
  const literal = [...new Set(pattern.replace(/[^A-Za-z0-9_:.\-/]/g, ''))].join('') || 'a';
  const cycle = (chars: string): string => Array.from({ length: 30 }, (_, i) => chars[i % chars.length] ?? 'a').join('');
  const bases = [cycle('a'), cycle('0'), cycle('-'), cycle('a-'), cycle('x_a'), cycle('0a:'), cycle(literal), `indicator--${cycle('0-')}`];
  return bases.flatMap((b) => [`${b}!`, `${b}\u0000`, `${b} `, b.slice(0, 29)]);
}

const patterns = new Map<string, string>();
for (const s of loadStixSchemas()) collectPatterns(s.schema, s.path, patterns);

describe('STIX schema patterns', () => {
  it('when the schemas are scanned, then patterns are found (timestamp, identifier, custom properties)', () => {
    expect(patterns.size).toBeGreaterThan(10);
    expect([...patterns.keys()].some((p) => p.startsWith('^x_'))).toBe(true);
  });

  it.each([...patterns.keys()].map((p) => [p]))('when %s meets 30-character near misses, then it answers in under 50 ms', (pattern) => {
    // ajv compiles patterns with the `u` flag.
    const re = new RegExp(pattern, 'u');
    const inputs = nearMisses(pattern);
    const start = performance.now();
    for (const input of inputs) re.test(input);
    expect(performance.now() - start).toBeLessThan(50);
  });

  it('when a pattern has a quantified group that itself contains a quantifier, then the group cannot repeat ambiguously', () => {
    // Heuristic guard: `(x+)+`, `(x*)*` or `(a|a)+` style groups are the catastrophic ones; flag any group
    // containing + or * that is itself followed by + or *.
    const nested = [...patterns.keys()].filter((p) => /\([^()]*[+*][^()]*\)[+*]/.test(p));
    expect(nested).toEqual([]);
  });
});
