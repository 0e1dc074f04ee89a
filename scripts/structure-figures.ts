/**
 * Structure figures of src/ (issue 13 in docs/architecture.md): every function longer than 120 lines and the
 * number of lines wider than 140 columns, counted with the TypeScript compiler's own parser so the figure can
 * be repeated. Generated code (src/stix/generated/) is left out.
 *
 *   npx tsx scripts/structure-figures.ts          prints the figures
 *   npx tsx scripts/structure-figures.ts --json   the same as JSON
 *
 * A function's length runs from the line of its first token (its name, or `async`, or the first parameter of
 * an arrow) to the line of its closing brace, both included; a nested function counts on its own and inside
 * its parent.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const SRC_DIR = path.join(__dirname, '..', 'src');
export const MAX_FUNCTION_LINES = 120;
export const MAX_LINE_COLUMNS = 140;
/** Folders of src/ whose code is generated, not written: not counted. */
const GENERATED_DIRS = [path.join('stix', 'generated')];

export interface LongFunction {
  /** Path relative to src/, with forward slashes. */
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly lines: number;
}

export interface StructureFigures {
  readonly files: number;
  readonly longFunctions: readonly LongFunction[];
  readonly wideLines: number;
}

function sourceFiles(dir: string, root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const rel = path.relative(root, full);
    if (GENERATED_DIRS.some((g) => rel === g || rel.startsWith(g + path.sep))) continue;
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full, root));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The name a reader would look for: the declaration's own name, or the variable/property it is assigned to. */
function functionName(node: ts.FunctionLikeDeclaration, sf: ts.SourceFile): string {
  if (node.name !== undefined) return node.name.getText(sf);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) &&
    parent.name !== undefined
  ) {
    return parent.name.getText(sf);
  }
  return '(anonymous)';
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** Functions of one source text longer than `maxLines`. */
export function longFunctionsIn(file: string, text: string, maxLines = MAX_FUNCTION_LINES): LongFunction[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) && node.body !== undefined) {
      const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > maxLines) out.push({ file, name: functionName(node, sf), line: first + 1, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export function wideLinesIn(text: string, maxColumns = MAX_LINE_COLUMNS): number {
  let count = 0;
  for (const line of text.split('\n')) if (line.length > maxColumns) count += 1;
  return count;
}

export function structureFigures(root = SRC_DIR): StructureFigures {
  const files = sourceFiles(root, root);
  const longFunctions: LongFunction[] = [];
  let wideLines = 0;
  for (const full of files) {
    const text = readFileSync(full, 'utf8');
    const rel = path.relative(root, full).split(path.sep).join('/');
    longFunctions.push(...longFunctionsIn(rel, text));
    wideLines += wideLinesIn(text);
  }
  return { files: files.length, longFunctions, wideLines };
}

if (require.main === module) {
  const figures = structureFigures();
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
  } else {
    process.stdout.write(`files read: ${figures.files} (src/ without ${GENERATED_DIRS.join(', ')})\n`);
    process.stdout.write(`functions over ${MAX_FUNCTION_LINES} lines: ${figures.longFunctions.length}\n`);
    for (const f of figures.longFunctions) process.stdout.write(`  ${f.file}:${f.line} ${f.name} ${f.lines} lines\n`);
    process.stdout.write(`lines over ${MAX_LINE_COLUMNS} columns: ${figures.wideLines}\n`);
  }
}
