import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasErrors } from '../../../../src/stix/issues';
import { canonicalizePattern, parsePattern, printPattern } from '../../../../src/stix/pattern';

const FIXTURES = join(__dirname, '../../../fixtures/pattern');

interface ValidCase {
  readonly name: string;
  readonly input: string;
  readonly print: string;
  readonly codes?: readonly string[];
}
interface InvalidCase {
  readonly name: string;
  readonly input: string;
  readonly code: string;
  readonly start: number;
  readonly end: number;
  readonly message?: string;
}
interface NormalizedCase {
  readonly name: string;
  readonly input: string;
  readonly canonical: string;
  readonly codes: readonly string[];
}

function load<T>(file: string): T[] {
  const data: unknown = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
  if (!Array.isArray(data)) throw new Error(`${file} must hold an array`);
  return data as T[];
}

describe('parsePattern + printPattern (fixtures/pattern/valid.json)', () => {
  it.each(load<ValidCase>('valid.json').map((c) => [c.name, c] as const))('when given %s, then prints the canonical form', (_n, c) => {
    const r = parsePattern(c.input);
    expect(r.value).toBeDefined();
    expect(hasErrors(r.issues)).toBe(false);
    expect(r.issues.map((i) => i.code)).toEqual(c.codes ?? []);
    const printed = r.value ? printPattern(r.value) : '';
    expect(printed).toBe(c.print);
    const again = parsePattern(printed);
    expect(again.value ? printPattern(again.value) : undefined).toBe(printed);
    expect(again.issues.filter((i) => i.code === 'PATTERN_NONSTANDARD')).toEqual([]);
  });
});

describe('parsePattern (fixtures/pattern/invalid.json)', () => {
  it.each(load<InvalidCase>('invalid.json').map((c) => [c.name, c] as const))(
    'when given %s, then reports the code at its offsets',
    (_n, c) => {
      const r = parsePattern(c.input);
      const found = r.issues.find((i) => i.code === c.code);
      expect(found).toMatchObject({ severity: 'error', path: `/pattern@[${c.start},${c.end}]` });
      if (c.message !== undefined) expect(found?.message).toContain(c.message);
      expect(hasErrors(r.issues)).toBe(true);
    },
  );
});

describe('canonicalizePattern (fixtures/pattern/normalized.json)', () => {
  it.each(load<NormalizedCase>('normalized.json').map((c) => [c.name, c] as const))(
    'when given %s, then canonicalizes the values',
    (_n, c) => {
      const r = canonicalizePattern(c.input);
      expect(r.value).toBe(c.canonical);
      expect(r.issues.map((i) => i.code)).toEqual(c.codes);
      expect(hasErrors(r.issues)).toBe(false);
      const again = canonicalizePattern(c.canonical);
      expect(again.value).toBe(c.canonical);
      expect(again.issues.filter((i) => i.severity === 'info' || i.code === 'REFANGED')).toEqual([]);
    },
  );
});
