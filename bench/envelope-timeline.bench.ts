/**
 * The timeline of one 1 000-object envelope in the worker: processIngestJob in this process on a private Redis,
 * with the worker's real dependencies (store, status store, audit log, exchange counters: composeWorker's set,
 * without BullMQ) on the benchmark gateway's config, every dependency call stamped (start and end, ms from the
 * job's start). One envelope at a time, 20 ms apart, after uncounted warm-up jobs; the median job's timeline is
 * printed with the medians of each step over all measured jobs, and the share of the job the event loop was busy
 * (the worker's own CPU on the critical path) against the time it waited for Redis.
 *
 *   npx tsx bench/envelope-timeline.bench.ts [jobs=40] [warm=30]
 *
 * What the envelope benchmark (bench/envelope.bench.ts) adds around it: POST → 202 (`accept` + `answer`) and
 * the queue's pickup; the `work` phase it reports is this job plus BullMQ's own steps (job lock, moving the job).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { RedisAuditLog } from '../src/audit/audit-log';
import { loadConfigText } from '../src/config/load-config';
import { ExchangeRecorder } from '../src/exchange/exchange-recorder';
import { processIngestJob, type ProcessDeps } from '../src/ingest/process-job';
import { startPrivateRedis } from '../src/main/redis-server';
import { createPrepareDeps, prepareObjects } from '../src/stix/prepare';
import { createKeyBuilder } from '../src/store/keys';
import { RedisStore } from '../src/store/redis-store';
import { StatusStore } from '../src/store/status-store';
import { ingestEnvelopes } from './lib/data';
import { collectionId, configYaml, processCpuSeconds } from './lib/gateway';
import { percentile, round } from './lib/stats';

interface Stamp {
  readonly step: string;
  readonly start: number;
  readonly end: number;
}

const IDENTITY = 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc';

/** Replaces `obj[name]` by a wrapper that stamps each call's start and end into `into()`. */
function stampMethod<T extends object>(obj: T, name: keyof T & string, label: string, into: () => Stamp[], t0: () => number): void {
  const original: unknown = obj[name];
  if (typeof original !== 'function') throw new Error(`${name} is not a method`);
  const f = original as (...a: unknown[]) => unknown;
  const wrapped = (...a: unknown[]): unknown => {
    const start = performance.now() - t0();
    const out = f.apply(obj, a);
    const done = (): void => void into().push({ step: label, start, end: performance.now() - t0() });
    if (out instanceof Promise) return out.finally(done);
    done();
    return out;
  };
  Object.defineProperty(obj, name, { value: wrapped, configurable: true, writable: true });
}

async function main(): Promise<void> {
  const jobs = Number(process.argv[2] ?? 40);
  const warm = Number(process.argv[3] ?? 30);
  const loaded = loadConfigText(configYaml().replaceAll(/secret_env: BENCH_PASSWORD/g, 'hash_env: UNUSED_HASH'), 'bench.yaml');
  if (!loaded.config) throw new Error(`config: ${JSON.stringify(loaded.issues)}`);
  const config = loaded.config;
  createPrepareDeps();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-bench-timeline-'));
  const server = await startPrivateRedis({ dataDir: path.join(dir, 'redis'), appendfsync: 'everysec' });
  const redis = new Redis(server.socketUrl ?? server.url, { maxRetriesPerRequest: null });
  const keys = createKeyBuilder('gw');
  const store = new RedisStore(redis, keys);
  const statuses = new StatusStore(redis, keys, 86400);
  let stamps: Stamp[] = [];
  let jobStart = 0;
  const into = (): Stamp[] => stamps;
  const t0 = (): number => jobStart;
  for (const m of ['storeBatch', 'latestOf', 'aliases', 'heldIds', 'sent'] as const) stampMethod(store, m, `store.${m}`, into, t0);
  for (const m of ['body', 'settledIndexes', 'record', 'meta', 'complete'] as const) stampMethod(statuses, m, `status.${m}`, into, t0);
  const audit = new RedisAuditLog(redis, keys, config.audit);
  const exchange = new ExchangeRecorder(redis, keys, config, { store });
  stampMethod(audit, 'record', 'audit.record', into, t0);
  stampMethod(exchange, 'jobDone', 'exchange.jobDone', into, t0);
  const deps: ProcessDeps = {
    config,
    store,
    statuses,
    audit,
    exchange,
    prepare: (objs, opts) => {
      const start = performance.now() - jobStart;
      const out = prepareObjects(objs, opts);
      stamps.push({ step: `prepare ${objs.length}`, start, end: performance.now() - jobStart });
      return out;
    },
  };
  const coll = collectionId(17);
  const timelines: { total: number; busy: number; cpu: number; stamps: Stamp[]; resultBytes: number }[] = [];
  let redisCpuMs = 0;
  try {
    for (let i = 0; i < warm + jobs; i++) {
      const { envelopes } = ingestEnvelopes([1000], `tl${i}`);
      const body = envelopes[0] ?? '{"objects":[]}';
      const id = `tl-${i}`;
      const pendings = (JSON.parse(body) as { objects: { id: string; modified: string }[] }).objects
        .map((o) => JSON.stringify({ id: o.id, version: o.modified }))
        .join('\n');
      await statuses.create(
        { id, owner: 'bench', apiRoot: 'bench', collectionId: coll, requestTimestamp: new Date().toISOString(), totalCount: 1000 },
        pendings,
        body,
      );
      await new Promise((res) => setTimeout(res, 20));
      stamps = [];
      const elu = performance.eventLoopUtilization();
      const redisCpu = processCpuSeconds(server.pid);
      const cpu = process.cpuUsage();
      jobStart = performance.now();
      await processIngestJob({ statusId: id, collectionId: coll, apiRoot: 'bench', principal: 'bench', identity: IDENTITY }, deps);
      const total = performance.now() - jobStart;
      const used = performance.eventLoopUtilization(elu);
      const cpuUsed = process.cpuUsage(cpu);
      if (i >= warm) {
        // /proc counts in clock ticks (10 ms): summed over the jobs, not per job
        redisCpuMs += (processCpuSeconds(server.pid) - redisCpu) * 1000;
        // the bytes of the recorded results (the status's `r:` fields), after the job
        const fields = await redis.hgetall(keys.status(id));
        const resultBytes = Object.entries(fields).reduce((a, [f, v]) => a + (f.startsWith('r:') ? Buffer.byteLength(v) : 0), 0);
        timelines.push({ total, busy: used.active, cpu: (cpuUsed.user + cpuUsed.system) / 1000, stamps, resultBytes });
      }
    }
  } finally {
    redis.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = [...timelines].sort((a, b) => a.total - b.total);
  const med = (xs: number[]): number =>
    round(
      percentile(
        [...xs].sort((a, b) => a - b),
        50,
      ),
      2,
    );
  const median = sorted[Math.floor(sorted.length / 2)];
  process.stdout.write(
    `job (processIngestJob, 1 000 objects): p50 ${med(timelines.map((t) => t.total))} ms, ` +
      `p90 ${round(
        percentile(
          sorted.map((t) => t.total),
          90,
        ),
        2,
      )} ms; event loop busy p50 ${med(timelines.map((t) => t.busy))} ms; ` +
      `worker CPU p50 ${med(timelines.map((t) => t.cpu))} ms; redis-server CPU ${round(redisCpuMs / jobs, 1)} ms per job; recorded results ${med(timelines.map((t) => t.resultBytes))} ` +
      `bytes per job (${jobs} jobs after ${warm})\n`,
  );
  process.stdout.write(`\nthe median job's timeline (ms from its start):\n`);
  for (const s of [...(median?.stamps ?? [])].sort((a, b) => a.start - b.start)) {
    process.stdout.write(`  ${s.start.toFixed(2).padStart(7)} → ${s.end.toFixed(2).padStart(7)}  ${s.step}\n`);
  }
  const byStep = new Map<string, number[]>();
  for (const t of timelines) {
    const sums = new Map<string, number>();
    for (const s of t.stamps) {
      const key = s.step.startsWith('prepare') ? 'prepare (all batches)' : s.step;
      sums.set(key, (sums.get(key) ?? 0) + (s.end - s.start));
    }
    for (const [k, v] of sums) (byStep.get(k) ?? byStep.set(k, []).get(k) ?? []).push(v);
  }
  process.stdout.write(`\nmedian over jobs of each step's summed wall time (steps overlap: prepare runs while a store call is out):\n`);
  for (const [k, v] of [...byStep].sort((a, b) => med(b[1]) - med(a[1])))
    process.stdout.write(`  ${String(med(v)).padStart(7)} ms  ${k}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
