/**
 * Where the worker's time goes: one 20 000-object envelope (the ingest benchmark's mix) through
 * processIngestJob with every dependency timed: locating and parsing the posted objects, prepare (pre-screen, schema and
 * semantic validation, pattern parse, normalization), the store's Lua call, the lookup-index/fold phase, and
 * the status writes; plus Redis's own time per command (INFO commandstats) and the CPU time of the worker and of
 * redis-server per object. No HTTP, no BullMQ. The job stores batch k while it prepares batch k+1, so the wall
 * times of prepare and store overlap: their sum exceeds the job's total, and the CPU split is the firmer figure.
 */
import Redis from 'ioredis';
import { loadConfigText } from '../src/config/load-config';
import { lazyObjects, objectsSpans } from '../src/ingest/envelope-spans';
import { processIngestJob } from '../src/ingest/process-job';
import { startPrivateRedis } from '../src/main/redis-server';
import { createPrepareDeps, prepareObjects } from '../src/stix/prepare';
import { createKeyBuilder } from '../src/store/keys';
import { RedisStore } from '../src/store/redis-store';
import { StatusStore } from '../src/store/status-store';
import { ingestEnvelopes } from './lib/data';
import { spread, type Spread } from './lib/stats';
import { processCpuSeconds } from './lib/gateway';

const PARSE = 'locate and parse the posted objects (scanner + JSON.parse per object)';

const CONFIG = `server:
  title: phases
api_roots:
  - name: r
    title: r
    max_content_length: 104857600
collections:
  - id: 00000000-0000-4000-8000-000000000001
    api_root: r
    title: c
    readers: [p]
    writers: [p]
    default_tlp: green
principals:
  - name: p
    identity: identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc
    credentials:
      - basic: { hash_env: UNUSED_HASH }
`;

export interface PhasesResult {
  readonly objects: number;
  /** µs per posted object, per phase (median over runs). */
  readonly microsPerObject: Record<string, Spread>;
  readonly objectsPerSecond: Spread;
  /** Redis server time per posted object (µs) by command, over all runs. */
  readonly redisMicrosPerObject: Record<string, number>;
  /** CPU µs per object of the worker (this process, during the job) and of redis-server (median over runs). */
  readonly cpuMicrosPerObject: { readonly worker: Spread; readonly redis: Spread };
}

export async function benchWorkerPhases(runs: number, dataDir: string, objects = 20_000): Promise<PhasesResult> {
  const loaded = loadConfigText(CONFIG, 'phases.yaml');
  if (!loaded.config) throw new Error(`phases config: ${JSON.stringify(loaded.issues)}`);
  const config = loaded.config;
  const collection = config.collections[0]?.id ?? '';
  createPrepareDeps();
  const server = await startPrivateRedis({ dataDir, appendfsync: 'everysec' });
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  const per: Record<string, number[]> = {};
  const rates: number[] = [];
  const workerCpu: number[] = [];
  const redisCpu: number[] = [];
  try {
    await redis.config('RESETSTAT');
    for (let run = 0; run < runs; run++) {
      const t: Record<string, number> = {};
      const timed =
        <A extends unknown[], R>(name: string, f: (...a: A) => Promise<R>) =>
        async (...a: A): Promise<R> => {
          const s = process.hrtime.bigint();
          try {
            return await f(...a);
          } finally {
            t[name] = (t[name] ?? 0) + Number(process.hrtime.bigint() - s) / 1e3;
          }
        };
      const keys = createKeyBuilder(`ph${run}`);
      const store = new RedisStore(redis, keys);
      const statuses = new StatusStore(redis, keys, 86400);
      store.storeBatch = timed('store (Lua call, wall)', store.storeBatch.bind(store));
      statuses.record = timed('status writes', statuses.record.bind(statuses));
      const { envelopes } = ingestEnvelopes([objects], `phases${run}`);
      const body = envelopes[0] ?? '{"objects":[]}';
      // What the worker does batch by batch (src/ingest/envelope-spans.ts), timed here once over the envelope.
      const parseStart = process.hrtime.bigint();
      const spans = objectsSpans(body);
      const count = spans ? lazyObjects(body, spans).slice(0, spans.starts.length).length : 0;
      t[PARSE] = Number(process.hrtime.bigint() - parseStart) / 1e3;
      await statuses.create(
        {
          id: `s${run}`,
          owner: 'p',
          apiRoot: 'r',
          collectionId: collection,
          requestTimestamp: '2025-01-01T00:00:00.000000Z',
          totalCount: count,
        },
        '',
        body,
      );
      const cpuStart = process.cpuUsage();
      const redisStart = processCpuSeconds(server.pid);
      const start = process.hrtime.bigint();
      await processIngestJob(
        {
          statusId: `s${run}`,
          collectionId: collection,
          apiRoot: 'r',
          principal: 'p',
          identity: 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc',
        },
        {
          config,
          store,
          statuses,
          prepare: (objs, opts) => {
            const s = process.hrtime.bigint();
            try {
              return prepareObjects(objs, opts);
            } finally {
              t['prepare (validate, pattern parse, normalize)'] =
                (t['prepare (validate, pattern parse, normalize)'] ?? 0) + Number(process.hrtime.bigint() - s) / 1e3;
            }
          },
        },
      );
      const total = Number(process.hrtime.bigint() - start) / 1e3;
      const cpu = process.cpuUsage(cpuStart);
      workerCpu.push((cpu.user + cpu.system) / count);
      redisCpu.push(((processCpuSeconds(server.pid) - redisStart) * 1e6) / count);
      const known = Object.entries(t)
        .filter(([k]) => k !== PARSE)
        .reduce((a, [, v]) => a + v, 0);
      // processIngestJob parses the objects itself: their parse time is inside `total`, counted once under its name.
      t['rest (overlaps excluded; 0 when prepare and store overlap more than the rest costs)'] = Math.max(
        0,
        total - known - (t[PARSE] ?? 0),
      );
      t['total (job)'] = total;
      for (const [k, v] of Object.entries(t)) (per[k] ??= []).push(v / count);
      rates.push(count / (total / 1e6));
      process.stderr.write(
        `  worker phases run ${run + 1}/${runs}: ${Math.round(count / (total / 1e6))} objects/s; CPU µs/object worker ${workerCpu.at(-1)?.toFixed(1)}, redis ${redisCpu.at(-1)?.toFixed(1)}\n`,
      );
    }
    const info = await redis.info('commandstats');
    const redisMicros: Record<string, number> = {};
    for (const line of info.split('\n')) {
      const m = /^cmdstat_([a-z|_-]+):calls=\d+,usec=(\d+)/.exec(line.trim());
      if (m && m[1] !== 'info' && m[1] !== 'config|resetstat')
        redisMicros[m[1] ?? ''] = Math.round((Number(m[2]) / (objects * runs)) * 10) / 10;
    }
    return {
      objects,
      microsPerObject: Object.fromEntries(Object.entries(per).map(([k, v]) => [k, spread(v)])),
      objectsPerSecond: spread(rates),
      redisMicrosPerObject: redisMicros,
      cpuMicrosPerObject: { worker: spread(workerCpu), redis: spread(redisCpu) },
    };
  } finally {
    redis.disconnect();
    await server.stop();
  }
}
