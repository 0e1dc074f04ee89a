/**
 * Federation pull: gateway A pulls a 100k-object collection from gateway B over TAXII 2.1 (loopback HTTP,
 * pages of 1000) through its normal ingest pipeline. Both gateways run in this process on one private
 * redis-server under different key roots. Reports objects/s for the pull itself (pages fetched and handed
 * to A's queue) and end to end (until A's worker has stored every object). Run: `npx tsx bench/federation.bench.ts`
 * (FED_BENCH_OBJECTS overrides the count). Writes bench/results/federation.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { hashSecret } from '../src/common/secret-hash';
import { loadConfigText } from '../src/config/load-config';
import type { GatewayConfig } from '../src/config/types';
import { composeAuthentication, composeFederationRunner, composeWorker, serveApi } from '../src/main/compose';
import { startPrivateRedis } from '../src/main/redis-server';
import { createKeyBuilder } from '../src/store/keys';
import { styledIndicator } from '../test/helpers/stix-fixtures';

const N = Number(process.env['FED_BENCH_OBJECTS'] ?? '100000');
const COLL = '00000000-0000-4000-8000-00000000fed1';
const PASSWORD = 'bench-password-not-secret';
const AUTH = `Basic ${Buffer.from(`bench:${PASSWORD}`).toString('base64')}`;
const TAXII = 'application/taxii+json;version=2.1';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function configText(extra: string): Promise<string> {
  return `server:
  title: Federation bench
  default_api_root: api
  max_page_size: 1000
api_roots:
  - name: api
    title: API
    max_content_length: 104857600
collections:
  - id: ${COLL}
    api_root: api
    title: Bench
    readers: [bench]
    writers: [bench]
principals:
  - name: bench
    identity: identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc
    credentials:
      - basic: { hash: "${await hashSecret(PASSWORD)}" }
${extra}`;
}

function load(text: string): GatewayConfig {
  const r = loadConfigText(text, 'bench.yaml');
  if (!r.config) throw new Error(JSON.stringify(r.issues));
  return r.config;
}

function indicator(n: number): Record<string, unknown> {
  return styledIndicator(n, { name: `bench indicator ${n}`, createdBy: 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc' });
}

/** One in-process gateway (API listening and ingest worker) built by the composition root, under key root `root`. */
async function gateway(redisUrl: string, root: string, config: GatewayConfig) {
  const keys = createKeyBuilder(root);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const authentication = await composeAuthentication(config, { dataDir: os.tmpdir(), env: {}, announce: () => undefined });
  const served = await serveApi(
    { config, redis, connection, keys, log: silent, ...authentication },
    { port: 0, host: '127.0.0.1', checkIntervalMs: 1000, headersTimeoutMs: 20_000, requestTimeoutMs: 120_000 },
  );
  const { store, statuses, queue } = served.api;
  const worker = composeWorker({ config, redis, keys, options: { connection, concurrency: 2 } });
  const waitAll = async (ids: readonly string[]): Promise<void> => {
    for (const id of ids) {
      while ((await statuses.get(id))?.resource.status !== 'complete') await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    base: served.url,
    redis,
    keys,
    store,
    statuses,
    queue,
    waitAll,
    close: async () => {
      await served.stopAccepting({ force: true });
      await worker.close();
      await served.close();
      await redis.quit();
    },
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fed-bench-'));
  const redisServer = await startPrivateRedis({ dataDir: dir, appendonly: false });
  try {
    const plain = load(await configText(''));
    const b = await gateway(redisServer.url, 'benchb', plain);
    const fill0 = Date.now();
    const ids: string[] = [];
    for (let start = 0; start < N; start += 5000) {
      const objects = Array.from({ length: Math.min(5000, N - start) }, (_, i) => indicator(start + i + 1));
      const res = await fetch(`${b.base}/api/collections/${COLL}/objects/`, {
        method: 'POST',
        headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: AUTH },
        body: JSON.stringify({ objects }),
      });
      ids.push(String(((await res.json()) as Record<string, unknown>)['id']));
    }
    await b.waitAll(ids);
    process.stderr.write(`B filled with ${N} objects in ${((Date.now() - fill0) / 1000).toFixed(1)} s\n`);

    const aConfig = load(
      await configText(`sources:
  - name: from-b
    url: ${b.base}/api/
    collection: ${COLL}
    into: ${COLL}
    schedule: 3600
    page_size: 1000
    max_objects_per_run: ${N * 2}
    auth: { basic: { username: bench, password_env: BENCH_PW } }
`),
    );
    const a = await gateway(redisServer.url, 'bencha', plain);
    const runner = composeFederationRunner({
      config: aConfig,
      redis: a.redis,
      keys: a.keys,
      store: a.store,
      statuses: a.statuses,
      queue: a.queue,
      log: silent,
      env: { BENCH_PW: PASSWORD },
    });
    const t0 = process.hrtime.bigint();
    const result = await runner.run('source', 'from-b');
    const t1 = process.hrtime.bigint();
    if (!result.ran || !result.ok) throw new Error(JSON.stringify(result));
    await a.waitAll(result.summary.statuses);
    const t2 = process.hrtime.bigint();
    const pullS = Number(t1 - t0) / 1e9;
    const e2eS = Number(t2 - t0) / 1e9;
    const out = {
      machine: {
        date: new Date().toISOString(),
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? '',
        node: process.version,
        loadAverageAtStart: os.loadavg(),
      },
      objects: N,
      pageSize: 1000,
      pulled: result.summary.objects,
      pages: result.summary.pages,
      pullSeconds: pullS,
      pullObjectsPerSecond: result.summary.objects / pullS,
      endToEndSeconds: e2eS,
      endToEndObjectsPerSecond: result.summary.objects / e2eS,
      note: "pull = pages fetched from B over loopback HTTP and handed to A's ingest queue; end to end = until A's worker (concurrency 2) has validated, normalized, deduplicated and stored every object. Both gateways and both workers share this process and one redis-server.",
    };
    writeFileSync(path.join(__dirname, 'results', 'federation.json'), `${JSON.stringify(out, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    await a.close();
    await b.close();
  } finally {
    await redisServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
