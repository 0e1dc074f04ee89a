/**
 * The lean read route (src/http/lean-reads.ts) against express, in one API process, in alternation: the process
 * composes the API once and listens twice, on its request listener (lean) and on the express app alone; the
 * client sends blocks of closed-loop page requests (pages of 100 at random positions) to one listener, then the
 * other, and reads the API process's CPU (/proc/<pid>/stat) around each block. Both listeners share the process,
 * the stores and the moment, so the ratio holds on a machine loaded by other work, where absolute figures do not.
 *
 *   npx tsx bench/lean-reads.bench.ts [stored=20000] [blocks=8] [seconds per block=3] [clients=10]
 *
 * Linux only. The API child is this file run with `--serve` (through tsx, like BENCH_FROM_SOURCES=1).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { loadConfigFile, loadConfigText } from '../src/config/load-config';
import { composeApi, composeAuthentication, listen } from '../src/main/compose';
import { observabilityListener } from '../src/http/health';
import { startPrivateRedis } from '../src/main/redis-server';
import { createKeyBuilder } from '../src/store/keys';
import { PASSWORD, USER, oneCollectionYaml, processCpuSeconds } from './lib/gateway';
import { closedLoopGets } from './lib/http-client';
import { loadObjects } from './lib/loader';
import { samplePositions } from './read.bench';

const COLL = '00000000-0000-4000-8000-000000000001';
const CONFIG = oneCollectionYaml('Lean reads', COLL, USER, 'BENCH_PASSWORD');

/** The child: the API composed once, served on two ports; prints `{"lean":port,"plain":port}`. */
async function serve(redisUrl: string, configFile: string, dataDir: string): Promise<void> {
  const loaded = await loadConfigFile(configFile);
  if (!loaded.config) throw new Error(`config: ${JSON.stringify(loaded.issues)}`);
  const config = loaded.config;
  const silent = (): void => undefined;
  const log = { info: silent, warn: silent, error: silent };
  const auth = await composeAuthentication(config, { dataDir, env: process.env, announce: silent });
  const api = composeApi({
    config,
    redis: new Redis(redisUrl),
    connection: { url: redisUrl, maxRetriesPerRequest: null },
    keys: createKeyBuilder('gw'),
    log,
    ...auth,
  });
  const o = { port: 0, host: '127.0.0.1', checkIntervalMs: 1000, headersTimeoutMs: 20_000, requestTimeoutMs: 120_000 };
  const front = { exposeMetrics: false, readiness: [], log };
  const lean = await listen(observabilityListener(front, api.listener), api.app, o);
  const plain = await listen(observabilityListener(front, api.app), api.app, o);
  const port = (s: typeof lean): number => {
    const a = s.address();
    return typeof a === 'object' && a !== null ? a.port : 0;
  };
  process.stdout.write(`${JSON.stringify({ lean: port(lean), plain: port(plain) })}\n`);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  const stored = Number(process.argv[2] ?? 20_000);
  const blocks = Number(process.argv[3] ?? 8);
  const seconds = Number(process.argv[4] ?? 3);
  const clients = Number(process.argv[5] ?? 10);
  if (!loadConfigText(CONFIG, 'lean-reads.yaml').config) throw new Error('bench config invalid');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-lean-reads-'));
  const configFile = path.join(dir, 'collections.yaml');
  writeFileSync(configFile, CONFIG);
  const redis = await startPrivateRedis({ dataDir: path.join(dir, 'redis'), appendfsync: 'everysec' });
  const client = new Redis(redis.url);
  const env = { ...process.env, BENCH_PASSWORD: PASSWORD };
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--serve', redis.url, configFile, dir], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await loadObjects(client, COLL, 'lean', 0, stored);
    const ports = await new Promise<{ lean: number; plain: number }>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`API child exited (${code})`)));
      child.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString('utf8')) as { lean: number; plain: number }));
    });
    const pos = await samplePositions(client, COLL, 1000, 3);
    const paths = pos.map((after) => `/bench/collections/${COLL}/objects/?limit=100&added_after=${encodeURIComponent(after)}`);
    const pid = child.pid ?? 0;
    const per: Record<'lean' | 'plain', number[]> = { lean: [], plain: [] };
    // warm-up on both
    for (const side of ['lean', 'plain'] as const) await closedLoopGets([`http://127.0.0.1:${ports[side]}`], paths, 2, clients);
    for (let b = 0; b < blocks; b++) {
      // order reversed every other block
      const order = b % 2 === 0 ? (['lean', 'plain'] as const) : (['plain', 'lean'] as const);
      for (const side of order) {
        const c0 = processCpuSeconds(pid);
        const t0 = process.hrtime.bigint();
        const r = await closedLoopGets([`http://127.0.0.1:${ports[side]}`], paths, seconds, clients);
        const requests = Math.round((r.rps * Number(process.hrtime.bigint() - t0)) / 1e9);
        const ms = ((processCpuSeconds(pid) - c0) * 1000) / Math.max(1, requests);
        per[side].push(ms);
        process.stdout.write(`block ${b} ${side}: ${requests} requests, API CPU ${ms.toFixed(3)} ms/request, p99 ${r.p99.toFixed(1)} ms\n`);
      }
    }
    const lean = median(per.lean);
    const plain = median(per.plain);
    process.stdout.write(
      `median API CPU ms/request: lean ${lean.toFixed(3)}, express ${plain.toFixed(3)}, ratio ${(lean / plain).toFixed(3)} ` +
        `(${stored} stored, ${clients} clients, load ${os.loadavg()[0]?.toFixed(1)})\n`,
    );
  } finally {
    child.kill('SIGTERM');
    await client.quit();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') {
  serve(process.argv[3] ?? '', process.argv[4] ?? '', process.argv[5] ?? '').catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
} else {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
