/**
 * No function in src/ (generated code aside) grows past 120 lines: the figure of scripts/structure-figures.ts,
 * kept as a rule. A long function is split into named steps, not listed here; the exception list names what is
 * still waiting for its split, and why.
 */
import { longFunctionsIn, MAX_FUNCTION_LINES, structureFigures } from '../../../scripts/structure-figures';

/** `file:name` → why it may still be long. Each entry must still be long: a stale one fails the test. */
const WAITING_FOR_SPLIT: Readonly<Record<string, string>> = {};

describe('function length in src/', () => {
  const figures = structureFigures();
  const found = new Set(figures.longFunctions.map((f) => `${f.file}:${f.name}`));

  it(`when src/ is read, then no function outside the exception list is over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(figures.files).toBeGreaterThan(100);
    const unexpected = figures.longFunctions
      .filter((f) => WAITING_FOR_SPLIT[`${f.file}:${f.name}`] === undefined)
      .map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`);
    expect(unexpected).toEqual([]);
  });

  it('when an exception is listed, then that function is still over the limit (the list never goes stale)', () => {
    const stale = Object.keys(WAITING_FOR_SPLIT).filter((key) => !found.has(key));
    expect(stale).toEqual([]);
  });

  it('when a function spans 121 lines, then the counter reports it with its name, line and length', () => {
    const body = Array.from({ length: 119 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const text = `const x = 1;\nexport function tooLong(): void {\n${body}\n}\nconst short = (): number => 1;\n`;
    expect(longFunctionsIn('a.ts', text)).toEqual([{ file: 'a.ts', name: 'tooLong', line: 2, lines: 121 }]);
    const fits = `function fits(): void {\n${body.split('\n').slice(1).join('\n')}\n}\n`;
    expect(longFunctionsIn('b.ts', fits)).toEqual([]);
  });

  it('when a long function is an arrow or a method, then it is named after its variable or method', () => {
    const body = Array.from({ length: 125 }, (_, i) => `    f(${i});`).join('\n');
    const text = `const arrow = () => {\n${body}\n};\nclass K {\n  method(): void {\n${body}\n  }\n}\n`;
    expect(longFunctionsIn('c.ts', text).map((f) => f.name)).toEqual(['arrow', 'method']);
  });
});
