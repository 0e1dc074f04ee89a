/**
 * What the exchange counters' first-pull bookkeeping costs per served record (src/exchange/exchange-recorder.ts,
 * src/store/lua/first-pulls.lua): one reader walks a collection's records in pages of 1000 twice, with a flush
 * after each page (the API flushes every 50 ms). Reported per walk: Redis's time (INFO commandstats, all
 * commands, a script counted once with the commands it calls; and the server's CPU) and this process's CPU for the flushes, per page. The first walk records every first pull; on the
 * second, every record was pulled before.
 *
 *   [BENCH_AOF=1] npx tsx bench/first-pulls.bench.ts [records=100000] [walks=2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { loadConfigText } from '../src/config/load-config';
import { ExchangeRecorder, type ServedRecord } from '../src/exchange/exchange-recorder';
import { startPrivateRedis } from '../src/main/redis-server';
import { createKeyBuilder } from '../src/store/keys';
import { oneCollectionYaml } from './lib/gateway';

const RECORDS = Number(process.argv[2] ?? 100_000);
const WALKS = Number(process.argv[3] ?? 2);
const PAGE = 1000;
const COLL = '00000000-0000-4000-8000-000000000001';

const CONFIG = oneCollectionYaml('First pulls', COLL, 'reader', 'BENCH_FIRST_PULLS_PASSWORD');

/**
 * Redis's time since the last RESETSTAT: the top-level commands (a script's own entry includes the commands it
 * calls, which INFO also lists on their own: those are left out) and the server's CPU (INFO cpu, ms).
 */
async function redisCost(client: Redis): Promise<{ usec: number; cpuMs: number }> {
  const info = await client.info('commandstats');
  const inner = new Set(['hsetnx', 'hset', 'hmget']);
  let usec = 0;
  for (const m of info.matchAll(/cmdstat_(\w+):calls=(\d+),usec=(\d+)/g)) {
    if (m[1] !== 'info' && m[1] !== 'config' && !inner.has(m[1] ?? '')) usec += Number(m[3]);
  }
  const cpu = await client.info('cpu');
  const field = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(cpu)?.[1] ?? 0);
  return { usec, cpuMs: (field('used_cpu_sys') + field('used_cpu_user')) * 1000 };
}

async function main(): Promise<void> {
  process.env['BENCH_FIRST_PULLS_PASSWORD'] ??= 'first-pulls-bench-password';
  const loaded = loadConfigText(CONFIG, 'first-pulls.yaml');
  if (!loaded.config) throw new Error(`config: ${JSON.stringify(loaded.issues)}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-first-pulls-'));
  // BENCH_AOF=1: with the AOF on (appendfsync everysec), as `start` runs Redis
  const server = await startPrivateRedis({ dataDir: dir, appendonly: process.env['BENCH_AOF'] === '1', appendfsync: 'everysec' });
  const client = new Redis(server.url);
  try {
    const recorder = new ExchangeRecorder(client, createKeyBuilder('gw'), loaded.config, { intervalMs: 60_000 });
    const base = Date.now() * 1000 - RECORDS;
    const pages: ServedRecord[][] = [];
    for (let from = 0; from < RECORDS; from += PAGE) {
      pages.push(
        Array.from({ length: Math.min(PAGE, RECORDS - from) }, (_, i) => ({
          id: `indicator--00000000-0000-4000-8000-${String(from + i).padStart(12, '0')}`,
          dateAdded: base + from + i,
          tlpRank: 1,
        })),
      );
    }
    const rows: string[] = [];
    for (let w = 1; w <= WALKS; w++) {
      await client.config('RESETSTAT');
      const cpu0 = (await redisCost(client)).cpuMs;
      let cpu = 0;
      for (const page of pages) {
        const c0 = process.cpuUsage();
        recorder.pulled('reader', COLL, page);
        await recorder.flush();
        const c = process.cpuUsage(c0);
        cpu += c.user + c.system;
      }
      const redis = await redisCost(client);
      const perPage = (x: number): string => (x / pages.length).toFixed(0);
      rows.push(
        `walk ${w}: redis ${perPage(redis.usec)} us/page in commands, ${perPage((redis.cpuMs - cpu0) * 1000)} us/page of CPU; ` +
          `this process ${perPage(cpu)} us/page (pages of ${PAGE})`,
      );
    }
    await recorder.close();
    process.stdout.write(`${RECORDS} records, load ${os.loadavg()[0]?.toFixed(1)}\n${rows.join('\n')}\n`);
  } finally {
    await client.quit();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
