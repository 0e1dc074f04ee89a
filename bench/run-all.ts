/**
 * Runs every benchmark of the gateway and writes bench/results/<name>.json plus bench/results/summary.json:
 *
 *   npx tsx bench/run-all.ts            all benchmarks (about 10 minutes on 2 cores)
 *   npx tsx bench/run-all.ts ingest     only some: ingest, envelope, phases, paging, growth (growth: latency, filters, memory)
 *   BENCH_ENVELOPE_REPS=200              repetitions of the one-envelope benchmark (default 100, after 30 uncounted)
 *   BENCH_RUNS=5 BENCH_PROFILE=dir ...  more runs; write `node --cpu-prof` profiles of every gateway process
 *   BENCH_REDIS_ARGS='--auto-aof-rewrite-percentage 0'   extra redis-server arguments, for experiments
 *   BENCH_FROM_SOURCES=1                 run the roles from src/ through tsx instead of the built dist/
 *   BENCH_POLL_MS=1000                   how often the ingest benchmark polls each status (default 250 ms)
 *   BENCH_READ_APIS=2 ...               API replicas for paging and growth (default 1: on 2 cores one API process pages faster than two)
 *
 * Each benchmark starts its own private redis-server (src/main/redis-server.ts, AOF everysec like `start`)
 * and the real CLI roles in child processes (serve, worker), and stops them afterwards.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRedisServer } from '../src/main/redis-server';
import { benchEnvelope } from './envelope.bench';
import { benchIngest } from './ingest.bench';
import { benchWorkerPhases } from './worker-phases.bench';
import { collectionId, startSystem } from './lib/gateway';
import { loadObjects } from './lib/loader';
import { benchGrowth, benchPaging } from './read.bench';

const RESULTS = path.join(__dirname, 'results');

function machine(): Record<string, unknown> {
  const redisBin = findRedisServer();
  let redisVersion = 'unknown';
  if (redisBin) {
    const v = /v=([0-9.]+)/.exec(execFileSync(redisBin, ['--version']).toString());
    redisVersion = v?.[1] ?? redisVersion;
  }
  return {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    ramGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    redis: redisVersion,
    platform: `${os.type()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

function previousSummary(): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(readFileSync(path.join(RESULTS, 'summary.json'), 'utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function save(name: string, value: unknown): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, `${name}.json`), `${JSON.stringify(value, null, 2)}\n`);
}

async function main(): Promise<void> {
  const which = new Set(process.argv.slice(2));
  const all = which.size === 0;
  const runs = Number(process.env['BENCH_RUNS'] ?? 3);
  const profileDir = process.env['BENCH_PROFILE'];
  const readApis = Number(process.env['BENCH_READ_APIS'] ?? 1);
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const env = machine();
  // A partial run (e.g. `run-all.ts growth`) updates its part of the summary and keeps the others.
  const summary: Record<string, unknown> = { ...previousSummary(), machine: env };
  process.stderr.write(`machine: ${JSON.stringify(env)}\n`);

  if (all || which.has('ingest')) {
    process.stderr.write('ingest: 1 API + 2 workers (concurrency 2), 50 000 objects per run\n');
    const sys = await startSystem({ apis: 1, workers: 2, workerConcurrency: 2, ...(profileDir ? { profileDir } : {}) });
    try {
      // 5 runs by default: an AOF rewrite lands in one run of a few (Redis CPU x2 there); the median absorbs it
      const r = await benchIngest(sys, Math.max(runs, 5), 0);
      save('ingest', { machine: env, ...r });
      summary['ingest'] = r;
    } finally {
      await sys.stop();
    }
  }

  if (all || which.has('envelope')) {
    const reps = Number(process.env['BENCH_ENVELOPE_REPS'] ?? 100);
    process.stderr.write(`envelope: one 1 000-object envelope at a time, POST to complete, ${reps} repetitions\n`);
    const sys = await startSystem({ apis: 1, workers: 2, workerConcurrency: 2, ...(profileDir ? { profileDir } : {}) });
    try {
      const r = await benchEnvelope(sys, reps, 30);
      process.stderr.write(`  ${JSON.stringify(r)}\n`);
      save('envelope', { machine: env, ...r });
      summary['envelope'] = r;
    } finally {
      await sys.stop();
    }
  }

  if (all || which.has('phases')) {
    process.stderr.write('worker phases: one 20 000-object envelope through processIngestJob, every stage timed\n');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-bench-phases-'));
    try {
      const r = await benchWorkerPhases(runs, dir);
      save('worker-phases', { machine: env, ...r });
      summary['workerPhases'] = r;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  if (all || which.has('paging')) {
    process.stderr.write(`paging: ${readApis} API replica(s), 100 000 stored objects\n`);
    const sys = await startSystem({ apis: readApis, workers: 0, ...(profileDir ? { profileDir } : {}) });
    try {
      await loadObjects(sys.client, collectionId(10), 'paging', 0, 100_000);
      const r = await benchPaging(sys, collectionId(10), 100_000, runs);
      save('paging', { machine: env, apiReplicas: readApis, ...r });
      summary['paging'] = r;
    } finally {
      await sys.stop();
    }
  }

  if (all || which.has('growth')) {
    process.stderr.write(`growth: ${readApis} API replica(s), one collection loaded to 10k, 100k and 1M objects\n`);
    const sys = await startSystem({ apis: readApis, workers: 0, ...(profileDir ? { profileDir } : {}) });
    try {
      const r = await benchGrowth(sys, 11, runs, 10);
      save('growth', { machine: env, apiReplicas: readApis, ...r });
      summary['growth'] = r;
    } finally {
      await sys.stop();
    }
  }
  save('summary', summary);
  process.stderr.write(`results in ${RESULTS}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
