/**
 * Figures of one conversion direction over a folder of inputs, run exactly as `convert` runs it (import, the
 * gateway's pipeline, export): per file, whether a document was written, the objects the pipeline rejected and
 * the export issues that mean something was not carried as structure (a pattern or property without a place,
 * an object or relationship without a form). A file is "complete" when it was written with none of these.
 *
 *   npx tsx scripts/export-figures.ts --from stix21 --to stix1 DIR
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertCommand } from '../src/main/commands/convert';

const LOSS =
  /\b([A-Z0-9]*_?EXPORT_(?:PATTERN_UNSUPPORTED|PROPERTY_UNMAPPED|UNSUPPORTED_OBJECT|VALUE_UNSUPPORTED|OBJECT_SKIPPED|NO_COLUMN))\b/;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const from = args[args.indexOf('--from') + 1];
  const to = args[args.indexOf('--to') + 1];
  const dir = args[args.length - 1];
  if (args.indexOf('--from') < 0 || args.indexOf('--to') < 0 || from === undefined || to === undefined || dir === undefined) {
    process.stderr.write('usage: npx tsx scripts/export-figures.ts --from FORMAT --to FORMAT DIR\n');
    process.exit(2);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'export-figures-'));
  const files = readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort();
  let complete = 0;
  const rows: string[] = [];
  for (const f of files) {
    const err: string[] = [];
    const io = {
      stdout: (): void => undefined,
      stderr: (t: string): void => void err.push(t),
      env: {},
      readStdin: async () => Buffer.alloc(0),
    };
    const code = await convertCommand(['--from', from, '--to', to, '--out', join(tmp, 'out'), join(dir, f)], io);
    const lines = err.join('').split('\n');
    const rejected = lines.filter((l) => /^\s*rejected /.test(l)).length;
    const losses = lines.filter((l) => LOSS.test(l)).map((l) => LOSS.exec(l)?.[1] ?? '');
    const byCode = [...new Set(losses)].map((c) => `${c}×${losses.filter((x) => x === c).length}`).join(', ');
    const ok = code === 0 && rejected === 0 && losses.length === 0;
    if (ok) complete++;
    rows.push(`| ${f} | ${code === 0 ? 'yes' : 'no'} | ${rejected} | ${byCode} |`);
  }
  rmSync(tmp, { recursive: true, force: true });
  process.stdout.write(`| file | written | rejected | not carried as structure |\n|---|---|---:|---|\n${rows.join('\n')}\n\n`);
  process.stdout.write(`${from} → ${to}: ${complete} / ${files.length} complete (written, nothing rejected, nothing reported lost)\n`);
}

void main();
