/**
 * One fixture per MUST rule code (test/fixtures/conformance/<CODE>.json: an invalid document, its valid
 * counterpart): strict `validate` reports the code and exits 1 on the first, exits 0 on the second; lenient
 * `validate` fails only where the worker rejects. Every code also has its row in docs/stix-conformance.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../../../../src/main/cli-types';
import { validateCommand } from '../../../../src/main/commands/validate';
import { CONFORMANCE_RULES } from '../../../../src/stix/conformance/rules';
import { validateDocument } from '../../../../src/stix/conformance/validate-document';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'conformance');
const MATRIX = join(__dirname, '..', '..', '..', '..', 'docs', 'stix-conformance.md');

interface Case {
  readonly rule: string;
  readonly invalid: unknown;
  readonly valid: unknown;
}

function readCase(file: string): Case {
  const parsed: unknown = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('rule' in parsed) || !('invalid' in parsed) || !('valid' in parsed)) {
    throw new Error(`${file} is not a conformance case`);
  }
  return { rule: String(parsed.rule), invalid: parsed.invalid, valid: parsed.valid };
}

/** `<CODE>.json` and `<CODE>--<case>.json`: the code of a fixture file. */
const codeOf = (file: string): string => file.replace(/(--[a-z0-9-]+)?\.json$/, '');
const FILES = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort();

async function validate(doc: unknown, argv: readonly string[] = []): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: () => undefined,
    env: {},
    readStdin: () => Promise.resolve(Buffer.from(JSON.stringify(doc), 'utf8')),
  };
  const code = await validateCommand(['-', ...argv], io);
  return { code, out: out.join('') };
}

describe('STIX 2.1 conformance rules', () => {
  it('when the fixture folder is listed, then every rule code has a case and every case a rule code', () => {
    expect([...new Set(FILES.map(codeOf))].sort()).toEqual(CONFORMANCE_RULES.map((r) => r.code).sort());
  });

  const matrix = existsSync(MATRIX) ? readFileSync(MATRIX, 'utf8') : '';

  const lenientOf = new Map(CONFORMANCE_RULES.map((r) => [r.code, r.lenient]));

  describe.each(FILES)('%s', (file) => {
    const code = codeOf(file);
    const lenient = lenientOf.get(code);

    it('when the invalid document is validated strictly, then the code is reported and the exit status is 1', async () => {
      const c = readCase(file);
      expect(c.rule).toBe(code);
      const r = await validate(c.invalid);
      expect(r.out).toContain(` ${code} `);
      expect(r.code).toBe(1);
    });

    it('when the valid counterpart is validated strictly, then it passes', async () => {
      const r = await validate(readCase(file).valid);
      expect(r.out).not.toContain(` ${code} `);
      expect(r.code).toBe(0);
    });

    it(`when the invalid document is validated with --lenient, then it ${lenient === 'reject' ? 'fails' : 'passes with a warning'}`, async () => {
      const r = await validate(readCase(file).invalid, ['--lenient']);
      expect(r.out).toContain(` ${code} `);
      expect(r.code).toBe(lenient === 'reject' ? 1 : 0);
    });

    it("when the documents are validated in memory (validateDocument), then the verdicts are the command's", () => {
      const c = readCase(file);
      const invalid = validateDocument(c.invalid);
      expect(invalid.ok).toBe(false);
      expect(invalid.issues.map((i) => i.code)).toContain(code);
      expect(validateDocument(c.valid).ok).toBe(true);
      expect(validateDocument(c.invalid, { lenient: true }).ok).toBe(lenient !== 'reject');
    });

    it('when the conformance matrix is read, then a row names this fixture under one of its codes, with the lenient action', () => {
      const rows = matrixRows(matrix).filter((r) => r.fixtures.includes(file));
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.codes).toContain(code);
        if (r.codes[0] === code) expect(r.lenient).toBe(lenient);
      }
    });
  });

  describe('the matrix rows', () => {
    const rows = matrixRows(matrix);
    it('when the matrix is parsed, then it has its rows (one per MUST of §2–§9)', () => {
      expect(rows.length).toBeGreaterThanOrEqual(70);
    });

    it.each(rows.map((r): [string, MatrixRow] => [r.line, r]))(
      'when row "%s" is read, then each code is a catalogued rule and a fixture of it exists',
      (_line, r) => {
        expect(r.codes.length).toBeGreaterThan(0);
        for (const c of r.codes) expect(lenientOf.has(c)).toBe(true);
        expect(r.fixtures.length).toBeGreaterThan(0);
        for (const f of r.fixtures) expect(FILES).toContain(f);
        expect(r.fixtures.some((f) => r.codes.includes(codeOf(f)))).toBe(true);
      },
    );
  });
});

interface MatrixRow {
  readonly line: string;
  readonly codes: readonly string[];
  readonly lenient: string;
  readonly fixtures: readonly string[];
}

/** The rule rows of docs/stix-conformance.md: `| § | rule | code(s) | lenient | fixture(s) |` under the § headings. */
function matrixRows(text: string): MatrixRow[] {
  const rows: MatrixRow[] = [];
  let inRules = false;
  const ticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) inRules = line.startsWith('## §');
    if (!inRules || !line.startsWith('| ') || line.startsWith('| § |')) continue;
    const cells = line.split(' | ');
    if (cells.length < 5) continue;
    const at = (i: number): string => cells[cells.length + i] ?? '';
    rows.push({
      line: `${(cells[0] ?? '').slice(2)} ${(cells[1] ?? '').slice(0, 60)}`,
      codes: ticked(at(-3)),
      lenient: at(-2).split(' ')[0] ?? '',
      fixtures: ticked(at(-1)).filter((f) => f.endsWith('.json')),
    });
  }
  return rows;
}
