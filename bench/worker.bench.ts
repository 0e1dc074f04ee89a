/**
 * Worker throughput for one 100k-indicator envelope (issue: "the worker's brain"): validate (schemas, semantic
 * rules, pattern parse), normalize, deduplicate and store, measured on processIngestJob directly (no HTTP, no
 * BullMQ overhead), against a private redis-server with AOF everysec. Also times the pure prepare stage alone,
 * to split CPU in the pipeline from Redis.
 *
 *   npx tsx bench/worker.bench.ts [objects=100000] [runs=3]
 *
 * Writes bench/results/worker.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { loadConfigFile } from '../src/config/load-config';
import { processIngestJob } from '../src/ingest/process-job';
import { startPrivateRedis } from '../src/main/redis-server';
import { createPrepareDeps, prepareObjects } from '../src/stix/prepare';
import { createKeyBuilder } from '../src/store/keys';
import { RedisStore } from '../src/store/redis-store';
import { pendingsText, StatusStore } from '../src/store/status-store';

const N = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 3);
const PRODUCER = 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc';

function hex(n: number, len: number): string {
  let s = '';
  let x = n + 1;
  while (s.length < len) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += x.toString(16).padStart(8, '0');
  }
  return s.slice(0, len);
}

/** Realistic indicators (~540 bytes): IPs, domains, URLs and hashes; 10 % repeat an earlier pattern under a new id, 5 % defanged or upper-case. */
function envelope(n: number, seed: number): string {
  const objects: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 10 === 9 ? i - 7 : i; // duplicates of an earlier value
    let pattern: string;
    switch (k % 4) {
      case 0:
        pattern = `[ipv4-addr:value = '${10 + (k % 200)}.${(k >> 8) & 255}.${(k >> 16) & 255}.${k & 255}']`;
        break;
      case 1:
        pattern = i % 20 === 1 ? `[domain-name:value = 'host${k}-bench[.]example']` : `[domain-name:value = 'host${k}-bench.example']`;
        break;
      case 2:
        pattern = `[url:value = 'http://host${k}.bench.example/path/${k}/payload.bin']`;
        break;
      default:
        pattern = i % 20 === 3 ? `[file:hashes.SHA256 = '${hex(k, 64).toUpperCase()}']` : `[file:hashes.'SHA-256' = '${hex(k, 64)}']`;
    }
    objects.push({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${hex(seed * 1_000_000 + i, 8)}-${hex(i, 4)}-4${hex(i + 1, 3)}-8${hex(i + 2, 3)}-${hex(i + 3, 12)}`,
      created_by_ref: PRODUCER,
      created: '2024-05-01T10:00:00.000Z',
      modified: '2024-05-01T10:00:00.000Z',
      name: `Bench indicator ${i}`,
      description: 'Infrastructure observed in a phishing campaign; shared under the bilateral agreement.',
      indicator_types: ['malicious-activity'],
      pattern,
      pattern_type: 'stix',
      valid_from: '2024-05-01T10:00:00Z',
      labels: ['phishing'],
      confidence: 70,
      object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'],
    });
  }
  return JSON.stringify({ objects });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const loaded = await loadConfigFile(path.join(__dirname, '..', 'collections.yaml'));
  if (!loaded.config) throw new Error('collections.yaml does not load');
  const config = loaded.config;
  const collection = config.collections[0];
  if (!collection) throw new Error('no collection');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-bench-worker-'));
  const server = await startPrivateRedis({ dataDir: dir, appendfsync: 'everysec' });
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  createPrepareDeps();
  const results: { run: number; seconds: number; objectsPerSecond: number; prepareSeconds: number; summary: unknown }[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const body = envelope(N, run);
      const objects = (JSON.parse(body) as { objects: unknown[] }).objects;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < objects.length; i += 1000) prepareObjects(objects.slice(i, i + 1000), {});
      const prepareSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

      const keys = createKeyBuilder(`bench${run}`);
      const store = new RedisStore(redis, keys);
      const statuses = new StatusStore(redis, keys, 86400);
      const statusId = `00000000-0000-4000-8000-${String(run).padStart(12, '0')}`;
      await statuses.create(
        {
          id: statusId,
          owner: 'us-cert',
          apiRoot: collection.api_root,
          collectionId: collection.id,
          requestTimestamp: '2024-05-01T10:00:00.000000Z',
          totalCount: N,
        },
        pendingsText(objects.map((_, i) => ({ id: `x${i}` }))),
        body,
      );
      const t1 = process.hrtime.bigint();
      const summary = await processIngestJob(
        { statusId, collectionId: collection.id, apiRoot: collection.api_root, principal: 'us-cert', identity: PRODUCER },
        { config, store, statuses, prepare: prepareObjects },
      );
      const seconds = Number(process.hrtime.bigint() - t1) / 1e9;
      results.push({ run, seconds, objectsPerSecond: N / seconds, prepareSeconds, summary });
      process.stdout.write(
        `run ${run}: ${N} objects in ${seconds.toFixed(2)} s = ${Math.round(N / seconds)} objects/s (prepare alone ${prepareSeconds.toFixed(2)} s) ${JSON.stringify(summary)}\n`,
      );
    }
  } finally {
    await redis.quit();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const rates = results.map((r) => r.objectsPerSecond);
  const out = {
    benchmark: 'worker: one 100k-indicator envelope, validate + normalize + dedup + store',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
    node: process.version,
    objects: N,
    runs: results,
    medianObjectsPerSecond: Math.round(median(rates)),
    minObjectsPerSecond: Math.round(Math.min(...rates)),
    maxObjectsPerSecond: Math.round(Math.max(...rates)),
    medianPrepareObjectsPerSecond: Math.round(median(results.map((r) => N / r.prepareSeconds))),
  };
  writeFileSync(path.join(__dirname, 'results', 'worker.json'), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(
    `median ${out.medianObjectsPerSecond} objects/s (min ${out.minObjectsPerSecond}, max ${out.maxObjectsPerSecond}); prepare alone ${out.medianPrepareObjectsPerSecond} objects/s\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
