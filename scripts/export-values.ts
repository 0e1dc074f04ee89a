/**
 * Values of STIX 2.1 bundles found again after an export, run as `convert` runs it: every literal of every
 * indicator pattern, and the name and description of every object other than relationships, looked for in the
 * written document (as written, JSON-escaped or XML-escaped). Lists the values not found per file.
 *
 *   npx tsx scripts/export-values.ts --to misp|csv|openioc|stix1 DIR
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertCommand } from '../src/main/commands/convert';

function valuesOf(bundle: unknown): string[] {
  const objects =
    typeof bundle === 'object' && bundle !== null && 'objects' in bundle && Array.isArray(bundle.objects) ? bundle.objects : [];
  const out = new Set<string>();
  for (const o of objects as unknown[]) {
    if (typeof o !== 'object' || o === null) continue;
    const r = o as Record<string, unknown>;
    if (r['type'] === 'indicator' && typeof r['pattern'] === 'string') {
      for (const m of r['pattern'].matchAll(/'((?:[^'\\]|\\.)*)'/g)) if (m[1] !== undefined) out.add(m[1].replace(/\\(.)/g, '$1'));
    }
    if (r['type'] === 'relationship') continue;
    for (const k of ['name', 'description']) if (typeof r[k] === 'string' && r[k] !== '') out.add(r[k]);
  }
  return [...out];
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const to = args[args.indexOf('--to') + 1];
  const dir = args[args.length - 1];
  if (args.indexOf('--to') < 0 || to === undefined || dir === undefined) {
    process.stderr.write('usage: npx tsx scripts/export-values.ts --to FORMAT DIR\n');
    process.exit(2);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'export-values-'));
  let found = 0;
  let total = 0;
  for (const f of readdirSync(dir).filter((x) => !x.startsWith('.'))) {
    const out = join(tmp, 'out');
    const io = { stdout: (): void => undefined, stderr: (): void => undefined, env: {}, readStdin: async () => Buffer.alloc(0) };
    const code = await convertCommand(['--from', 'stix21', '--to', to, '--out', out, join(dir, f)], io);
    const text = code === 0 ? readFileSync(out, 'utf8') : '';
    const values = valuesOf(JSON.parse(readFileSync(join(dir, f), 'utf8')));
    const missing = values.filter(
      (v) => !text.includes(v) && !text.includes(JSON.stringify(v).slice(1, -1)) && !text.includes(xmlEscape(v)),
    );
    found += values.length - missing.length;
    total += values.length;
    process.stdout.write(
      `${f}: ${values.length - missing.length} / ${values.length}${missing.length > 0 ? `  missing: ${missing.slice(0, 10).join(' | ')}` : ''}\n`,
    );
  }
  rmSync(tmp, { recursive: true, force: true });
  process.stdout.write(`stix21 → ${to}: ${found} / ${total} values found\n`);
}

void main();
