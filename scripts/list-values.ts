/**
 * Figures of CSV / TXT → STIX 2.1 over a folder of IOC lists: every IPv4 address, hash, URL, domain and e-mail
 * address found in each input (refanged: `[.]`, `(.)`, `[dot]`, `hxxp`, `[:]`, `[@]`, `[at]`) is looked for in the
 * output of `convert --from csv|txt --to stix21`, run as the CLI runs; the values not found are listed per file.
 * A rough check by regular expressions (mail relays in e-mail headers count too): it names candidates to look at.
 *
 *   npx tsx scripts/list-values.ts DIR
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../src/main/cli-types';
import { convertCommand } from '../src/main/commands/convert';

const PATTERNS: readonly RegExp[] = [
  /\b\d{1,3}(?:\[?\.\]?\d{1,3}){3}\b/g,
  /\b[a-fA-F0-9]{64}\b/g,
  /\b[a-fA-F0-9]{40}\b/g,
  /\b[a-fA-F0-9]{32}\b/g,
  /\b(?:hxxps?|https?|ftp)\[?:\]?\/\/[^\s,"'<>]+/g,
  /\b(?:[a-zA-Z0-9-]+(?:\[\.\]|\(\.\)|\[dot\]|\.))+(?:com|net|org|info|ru|biz|top|xyz|io|us|cc|uk|de|in|tk|pw|club|online|site|me|co)\b/g,
  /\b[\w.+-]+(?:@|\[@\]|\[at\])[\w-]+(?:\.|\[\.\])[\w.[\]-]+/g,
];

const refang = (s: string): string =>
  s
    .replace(/\[\.\]|\(\.\)|\[dot\]/g, '.')
    .replace(/hxxp/gi, 'http')
    .replace(/\[:\]/g, ':')
    .replace(/\[@\]|\[at\]/g, '@');

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: npx tsx scripts/list-values.ts DIR\n');
    process.exit(2);
  }
  let total = 0;
  let missing = 0;
  for (const f of readdirSync(dir).sort()) {
    const format = f.endsWith('.csv') ? 'csv' : f.endsWith('.txt') ? 'txt' : undefined;
    if (format === undefined) continue;
    const out: string[] = [];
    const io: CliIo = { stdout: (t) => void out.push(t), stderr: () => undefined, env: {}, readStdin: async () => Buffer.alloc(0) };
    const code = await convertCommand(['--from', format, '--to', 'stix21', '--quiet', join(dir, f)], io);
    const output = out.join('').toLowerCase();
    const input = readFileSync(join(dir, f), 'utf8');
    const found = new Set<string>();
    for (const re of PATTERNS) for (const m of input.matchAll(re)) found.add(refang(m[0]).replace(/\.$/, '').toLowerCase());
    const lost = [...found].filter((v) => !output.includes(v) && !output.includes(v.replace(/\/$/, ''))).sort();
    total += found.size;
    missing += lost.length;
    process.stdout.write(
      `${f}: exit ${code}, ${found.size} values, ${lost.length} not found${lost.length > 0 ? `: ${lost.slice(0, 5).join(', ')}` : ''}\n`,
    );
  }
  process.stdout.write(`\ncsv/txt → stix21: ${missing} of ${total} values not found\n`);
}

void main();
