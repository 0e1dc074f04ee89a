/**
 * Mapping throughput in indicators/s: a generated 100k-row CSV and a generated 10k-attribute MISP event,
 * each converted several times (median and spread reported). Writes bench/results/mapping.json.
 * Run: `npx tsx bench/mapping.bench.ts`.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { importCsv } from '../src/mapping/csv/import';
import { importMisp } from '../src/mapping/misp/import';

const RUNS = 5;
const NOW = '2024-01-01T00:00:00.000Z';

function hex(n: number, len: number): string {
  return n.toString(16).padStart(len, '0').slice(-len);
}

function csv100k(): string {
  const rows = ['type,value,description'];
  for (let i = 0; i < 100_000; i++) {
    const k = i % 4;
    if (k === 0) rows.push(`ip,10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255},c2`);
    else if (k === 1) rows.push(`domain,host${i}.example.com,phishing`);
    else if (k === 2) rows.push(`sha256,${hex(i, 8).repeat(8)},dropper`);
    else rows.push(`url,http://dl${i}.example.net/p.bin,payload`);
  }
  return `${rows.join('\n')}\n`;
}

function misp10k(): string {
  const attrs = [];
  for (let i = 0; i < 10_000; i++) {
    const uuid = `${hex(i, 8)}-0000-4000-8000-${hex(i, 12)}`;
    const k = i % 3;
    const [type, value] =
      k === 0 ? ['ip-dst', `10.1.${(i >> 8) & 255}.${i & 255}`] : k === 1 ? ['domain', `d${i}.example.org`] : ['md5', hex(i, 32)];
    attrs.push({ uuid, type, category: 'Network activity', to_ids: true, value, timestamp: '1700000000' });
  }
  return JSON.stringify({
    Event: {
      uuid: '11111111-2222-4333-8444-555555555555',
      info: 'bench',
      date: '2024-01-01',
      timestamp: '1700000000',
      published: true,
      Orgc: { name: 'BENCH' },
      Attribute: attrs,
    },
  });
}

function measure(name: string, run: () => number): Record<string, unknown> {
  const rates: number[] = [];
  let indicators = 0;
  run(); // warm-up
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    indicators = run();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(indicators / s);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)] ?? 0;
  const result = {
    name,
    indicators,
    runs: RUNS,
    median_indicators_per_s: Math.round(median),
    min_indicators_per_s: Math.round(rates[0] ?? 0),
    max_indicators_per_s: Math.round(rates[rates.length - 1] ?? 0),
  };
  process.stdout.write(
    `${name}: ${result.median_indicators_per_s} indicators/s (min ${result.min_indicators_per_s}, max ${result.max_indicators_per_s}, ${indicators} indicators)\n`,
  );
  return result;
}

const csv = csv100k();
const misp = misp10k();
const results = [
  measure('csv-100k-rows', () => importCsv(csv, { now: NOW, source: { name: 'bench' } }).stats.indicators),
  measure('misp-10k-attributes', () => importMisp(misp, { now: NOW }).stats.indicators),
];
const out = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  note: 'conversion only (importer), no pipeline or Redis; median of runs after one warm-up',
  results,
};
writeFileSync(join(__dirname, 'results', 'mapping.json'), `${JSON.stringify(out, null, 2)}\n`);
