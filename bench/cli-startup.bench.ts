/**
 * Start-up cost of the offline CLI commands on a small file: `convert` (CSV → STIX 2.1), `validate` and
 * `normalize` (a 5-object bundle), each run as a whole process from the build (`node bin/taxii-gateway …`),
 * interleaved with a bare `node -e 0`, median wall time of RUNS runs each (default 9).
 *
 *   npm run build && npx tsx bench/cli-startup.bench.ts [RUNS]
 *
 * Target (issue "The first hour of a CERT operator"): ≤ 300 ms wall on this machine for each command.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const RUNS = Math.max(3, Math.min(100, Number(process.argv[2] ?? '9') || 9));

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

function timeRun(args: readonly string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${String(r.status)}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function main(): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-bench-'));
  try {
    const csv = path.join(dir, 'small.csv');
    writeFileSync(
      csv,
      [
        'indicator,type,first_seen,comment',
        ...Array.from({ length: 30 }, (_, i) => `192.0.2.${i},ip,2025-03-01 10:00:00,c2 server ${i}`),
      ].join('\n'),
    );
    const bundle = path.join(dir, 'small.json');
    const objects = Array.from({ length: 5 }, (_, i) => ({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      pattern: `[ipv4-addr:value = '192.0.2.${i}']`,
      pattern_type: 'stix',
      valid_from: '2024-01-01T00:00:00Z',
    }));
    writeFileSync(bundle, JSON.stringify({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects }));
    const bin = path.join(ROOT, 'bin', 'taxii-gateway');
    const commands: Record<string, string[]> = {
      'convert csv→stix21': [bin, 'convert', '--from', 'csv', '--to', 'stix21', csv],
      validate: [bin, 'validate', bundle],
      normalize: [bin, 'normalize', bundle],
    };
    const results: Record<string, { median_ms: number; node_median_ms: number; runs: number }> = {};
    for (const [name, args] of Object.entries(commands)) {
      timeRun(args); // warm-up (file cache)
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        a.push(timeRun(args));
        b.push(timeRun(['-e', '0']));
      }
      results[name] = { median_ms: Math.round(median(a)), node_median_ms: Math.round(median(b)), runs: RUNS };
      console.log(`${name.padEnd(20)} median ${results[name]?.median_ms} ms   bare node -e 0: ${results[name]?.node_median_ms} ms`);
    }
    mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(
      path.join(ROOT, 'bench', 'results', 'cli-startup.json'),
      `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
