/**
 * OpenIOC → STIX 2.1 value figures over a folder of `.ioc` files, run as `convert --from openioc --to stix21` runs:
 * each `<Content>` value of an `IndicatorItem` is looked up in the output (as written, JSON-escaped, with quotes
 * and backslashes escaped as in a pattern, or lower-cased) or in the report on stderr. Prints the values found
 * nowhere.
 *
 *   npx tsx scripts/openioc-values.ts DIR
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../src/main/cli-types';
import { convertCommand } from '../src/main/commands/convert';

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_m, e: string) => ENTITIES[e] ?? '');
}

function forms(v: string): string[] {
  const json = (s: string): string => JSON.stringify(s).slice(1, -1);
  return [v, json(v), v.toLowerCase(), json(v.toLowerCase()), json(v.replace(/\\/g, '\\\\').replace(/'/g, "\\'"))];
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: npx tsx scripts/openioc-values.ts DIR\n');
    process.exit(2);
  }
  let total = 0;
  let notFound = 0;
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.ioc'))
    .sort()) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, readStdin: async () => Buffer.alloc(0) };
    await convertCommand(['--from', 'openioc', '--to', 'stix21', join(dir, f)], io);
    const output = out.join('');
    const report = err.join('');
    const source = readFileSync(join(dir, f), 'utf8');
    const missing: string[] = [];
    let count = 0;
    for (const m of source.matchAll(/<Context[^>]*search="([^"]*)"[^>]*\/>\s*<Content[^>]*>([\s\S]*?)<\/Content>/g)) {
      count++;
      const value = unescapeXml(m[2] ?? '').trim();
      if (!forms(value).some((x) => output.includes(x) || report.includes(x))) missing.push(`${m[1] ?? ''} ${value.slice(0, 80)}`);
    }
    total += count;
    notFound += missing.length;
    process.stdout.write(`${f}: ${count} values, ${missing.length} not found\n${missing.map((x) => `    ${x}\n`).join('')}`);
  }
  process.stdout.write(`openioc → stix21: ${notFound} of ${total} values not found as written\n`);
}

void main();
