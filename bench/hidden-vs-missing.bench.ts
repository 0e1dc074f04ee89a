/**
 * The timing side channel of Get an Object (docs/security.md, "Threat model"): how long the store takes to
 * answer "nothing" for an id that is held but above the reader's clearance, against an id that is not held
 * at all. Both answers are 404 over HTTP; the HTTP part is the same code for both, so the store call is the
 * only place they can differ. The two kinds of read are interleaved (hidden, missing, hidden, ...) so drift
 * of the machine affects both alike; the first 2 000 of each are warm-up.
 *
 *   npx tsx bench/hidden-vs-missing.bench.ts [reads=20000]     → prints p50/p90/p99 in µs for each kind
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { startPrivateRedis } from '../src/main/redis-server';
import { createKeyBuilder } from '../src/store/keys';
import { RedisStore } from '../src/store/redis-store';
import { ALL_VERSIONS } from '../src/store/types';
import { percentile } from './lib/stats';

const READS = Number(process.argv[2] ?? '20000');
const WARMUP = 2000;
const C = '00000000-0000-4000-8000-0000000000aa';

function id(n: number): string {
  return `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-hidden-'));
  const redis = await startPrivateRedis({ dataDir: dir, appendonly: false });
  const client = new Redis(redis.url);
  const store = new RedisStore(client, createKeyBuilder('bench'));
  try {
    // 1 000 RED indicators with two versions each (the hidden ones), in one collection.
    const items = [];
    for (let n = 0; n < 1000; n++) {
      for (const v of ['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z']) {
        const json = JSON.stringify({
          type: 'indicator',
          spec_version: '2.1',
          id: id(n),
          created: v,
          modified: v,
          pattern: "[ipv4-addr:value = '10.0.0.1']",
          pattern_type: 'stix',
          valid_from: v,
        });
        items.push({ id: id(n), type: 'indicator', specVersion: '2.1', tlpRank: 4, json, version: v, versionMicros: Date.parse(v) * 1000 });
      }
    }
    await store.storeBatch(C, items);
    const times: Record<'hidden' | 'missing', number[]> = { hidden: [], missing: [] };
    for (let i = 0; i < READS + WARMUP; i++) {
      for (const kind of ['hidden', 'missing'] as const) {
        const target = kind === 'hidden' ? id(i % 1000) : id(100000 + (i % 1000));
        const t0 = process.hrtime.bigint();
        const page = await store.read(C, { after: 0, limit: 100, types: [], ids: [target], versions: ALL_VERSIONS, maxTlpRank: 2 }, true);
        const dt = Number(process.hrtime.bigint() - t0) / 1000;
        if (page.records.length !== 0) throw new Error('a hidden record was served');
        if (i >= WARMUP) times[kind].push(dt);
      }
    }
    for (const kind of ['hidden', 'missing'] as const) {
      const s = [...times[kind]].sort((a, b) => a - b);
      console.log(
        `${kind.padEnd(8)} p50 ${percentile(s, 50).toFixed(1)} µs  p90 ${percentile(s, 90).toFixed(1)} µs  p99 ${percentile(s, 99).toFixed(1)} µs  (${s.length} reads)`,
      );
    }
  } finally {
    client.disconnect();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
