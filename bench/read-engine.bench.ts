/**
 * Redis's own CPU per page read: the read engine as Get Objects uses it (src/store/lua/read-records.lua picks
 * the page, then one HMGET of the records) against the two plain commands an unfiltered page needs at least
 * (ZRANGEBYSCORE of the index + HMGET of the records), on the same data, in alternation. Figures are Redis's INFO commandstats (µs of the server per call, Lua's nested
 * commands included in EVALSHA's time), so a loaded machine shifts both sides alike; the API's side is
 * `bench/read-cpu.bench.ts`.
 *
 *   npx tsx bench/read-engine.bench.ts [stored=100000] [pages=2000] [limit=100]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { startPrivateRedis } from '../src/main/redis-server';
import { createKeyBuilder } from '../src/store/keys';
import { RedisStore } from '../src/store/redis-store';
import { LATEST_VERSION } from '../src/store/types';
import { collectionId } from './lib/gateway';
import { loadObjects } from './lib/loader';

const STORED = Number(process.argv[2] ?? 100_000);
const PAGES = Number(process.argv[3] ?? 2000);
const LIMIT = Number(process.argv[4] ?? 100);
const ROUNDS = 4;

async function usec(client: Redis, cmds: readonly string[]): Promise<number> {
  const info = await client.info('commandstats');
  let total = 0;
  for (const m of info.matchAll(/cmdstat_(\w+):calls=(\d+),usec=(\d+)/g)) if (cmds.includes(m[1] ?? '')) total += Number(m[3]);
  return total;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-read-engine-'));
  const server = await startPrivateRedis({ dataDir: dir, appendonly: false });
  const client = new Redis(server.url);
  const keys = createKeyBuilder('gw');
  const store = new RedisStore(client, keys);
  try {
    const coll = collectionId(10);
    await loadObjects(client, coll, 'engine', 0, STORED);
    const k = keys.collection(coll);
    const size = await client.zcard(k.index);
    const starts: number[] = [];
    let x = 7;
    for (let i = 0; i < PAGES; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const pos = Math.floor((x / 2147483648) * (size - LIMIT - 1));
      const [member] = await client.zrange(k.index, pos, pos);
      starts.push(Number(String(member).split(':')[0]) - 1);
    }
    const engine = async (): Promise<void> => {
      for (const after of starts) {
        await store.readObjectsPage(coll, {
          after,
          limit: LIMIT,
          types: [],
          ids: [],
          versions: LATEST_VERSION,
          maxTlpRank: 4,
        });
      }
    };
    const plain = async (): Promise<void> => {
      for (const after of starts) {
        const members = await client.zrangebyscore(k.index, `(${after}`, '+inf', 'LIMIT', 0, LIMIT + 1);
        await client.hmgetBuffer(k.data, ...members.slice(0, LIMIT).map((m) => m.slice(0, m.indexOf(':'))));
      }
    };
    await engine();
    await plain();
    const rows: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const [label, run, cmds] of [
        ['engine (read-records.lua, then HMGET)', engine, ['evalsha', 'hmget']],
        ['plain (ZRANGEBYSCORE + HMGET)', plain, ['zrangebyscore', 'hmget']],
      ] as const) {
        await client.config('RESETSTAT');
        const t0 = process.hrtime.bigint();
        await run();
        const wall = Number(process.hrtime.bigint() - t0) / 1e3 / PAGES;
        const us = (await usec(client, cmds)) / PAGES;
        rows.push(`${label}: redis ${us.toFixed(0)} us/page, wall ${wall.toFixed(0)} us/page`);
      }
    }
    process.stdout.write(
      `${STORED} stored, pages of ${LIMIT}, ${PAGES} pages per row, load ${os.loadavg()[0]?.toFixed(1)}\n${rows.join('\n')}\n`,
    );
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
