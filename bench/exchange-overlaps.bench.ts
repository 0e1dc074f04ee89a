/**
 * The exchange counters' cost at the end of an ingest job when collections share values (src/exchange/
 * exchange-recorder.ts, overlaps): six collections receive, one after the other, the same 2 000 IPv4 indicators,
 * as the ingest benchmark's runs do (their IPv4 values do not depend on the run), so the k-th shares every value
 * with k-1 others. Each collection's objects are stored first (not measured), then reported to the recorder and
 * flushed, 1 000 per job as the worker does; measured: this process's CPU (the recorder) and redis-server's CPU
 * per object, and Redis's command counts (INFO commandstats, nested script calls included).
 *
 *   npx tsx bench/exchange-overlaps.bench.ts
 *
 * To compare with another tree, copy this file into that tree's bench/ and run it there, one after the other.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { loadConfigText } from '../src/config/load-config';
import { ExchangeRecorder } from '../src/exchange/exchange-recorder';
import { startPrivateRedis } from '../src/main/redis-server';
import { createPrepareDeps, prepareObjects, type PreparedObject } from '../src/stix/prepare';
import { valueDigests } from '../src/store/indicator-entries';
import { createKeyBuilder } from '../src/store/keys';
import { RedisStore } from '../src/store/redis-store';
import type { StoreItem, StoreOutcome } from '../src/store/types';

const PRODUCER = 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc';
const COLLECTIONS = Array.from({ length: 20 }, (_, i) => `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`);
const SHARING = 6;
const N = 2000;
const JOB = 1000;

const CONFIG = `server:
  title: overlaps
api_roots:
  - name: r
    title: r
    max_content_length: 104857600
collections:
${COLLECTIONS.map((c) => `  - id: ${c}\n    api_root: r\n    title: ${c}\n    readers: [p]\n    writers: [p]\n    default_tlp: green\n`).join('')}principals:
  - name: p
    identity: ${PRODUCER}
    credentials:
      - basic: { hash_env: UNUSED_HASH }
`;

function indicator(run: number, n: number): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${String(run).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`,
    created: '2025-02-01T08:15:30.123Z',
    modified: '2025-02-01T08:15:30.123Z',
    pattern: `[ipv4-addr:value = '10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}']`,
    pattern_type: 'stix',
    valid_from: '2025-02-01T08:15:30Z',
    created_by_ref: PRODUCER,
  };
}

function processCpu(pid: number): number {
  const f = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function main(): Promise<void> {
  const config = loadConfigText(CONFIG, 'overlaps.yaml').config;
  if (!config) throw new Error('config');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-bench-overlaps-'));
  const server = await startPrivateRedis({ dataDir: dir, appendfsync: 'everysec' });
  const redis = new Redis(server.url);
  const keys = createKeyBuilder('gw');
  const store = new RedisStore(redis, keys);
  const deps = createPrepareDeps();
  const writer = { identity: PRODUCER, clearance: 4, admin: false };
  let recorderSeconds = 0;
  let redisSeconds = 0;
  try {
    for (let c = 0; c < SHARING; c++) {
      const coll = COLLECTIONS[c] ?? '';
      const prepared: PreparedObject[] = [];
      for (const o of prepareObjects(
        Array.from({ length: N }, (_, n) => indicator(c + 1, n)),
        { defaultTlp: 'green' },
        deps,
      ))
        if (o.ok) prepared.push(o.object);
      const items: StoreItem[] = prepared.map((p) => ({
        id: p.id,
        type: p.type,
        specVersion: '2.1',
        json: p.json,
        tlpRank: 1,
        owned: true,
        refs: [],
        valueDigests: valueDigests(p.stixPattern ?? ''),
      }));
      const outcomes: StoreOutcome[] = [];
      for (let b = 0; b < items.length; b += JOB) outcomes.push(...(await store.storeBatch(coll, items.slice(b, b + JOB), writer)));
      const recorder = new ExchangeRecorder(redis, keys, config, { store });
      await redis.config('RESETSTAT');
      const cpu0 = process.cpuUsage();
      const redis0 = processCpu(server.pid);
      for (let b = 0; b < items.length; b += JOB) {
        for (let i = b; i < Math.min(b + JOB, items.length); i++) {
          const p = prepared[i];
          if (p) recorder.stored(coll, p, outcomes[i], items[i]?.valueDigests);
        }
        await recorder.jobDone(coll, undefined);
      }
      const cpu = process.cpuUsage(cpu0);
      const redisCpu = processCpu(server.pid) - redis0;
      recorderSeconds += (cpu.user + cpu.system) / 1e6;
      redisSeconds += redisCpu;
      const info = await redis.info('commandstats');
      const calls = [...info.matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)]
        .filter((m) => !(m[1] ?? '').startsWith('config'))
        .map((m) => `${m[1]}=${m[2]}`)
        .join(' ');
      process.stdout.write(
        `collection ${c + 1} (shares its values with ${c}): recorder ${((cpu.user + cpu.system) / N).toFixed(1)} µs/object, redis ${((redisCpu * 1e6) / N).toFixed(1)} µs/object; ${calls}\n`,
      );
    }
    const objects = SHARING * N;
    process.stdout.write(
      `all: recorder ${((recorderSeconds * 1e6) / objects).toFixed(1)} µs/object, redis ${((redisSeconds * 1e6) / objects).toFixed(1)} µs/object\n`,
    );
  } finally {
    redis.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
