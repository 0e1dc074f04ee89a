/**
 * The floors of the ingest design on this machine (issue 19: "where a target cannot be reached on two cores,
 * show the floor with a measurement"): the least CPU one posted object can cost in each process when that
 * process does only the work the design cannot skip.
 *
 *   npx tsx bench/floors.bench.ts [rounds=3] [objects=20000] [envelopes=60]
 *
 * (a) Redis: the ingest mix (bench/lib/data.ts), prepared once, stored in batches of 1000 on a private
 *     redis-server with AOF as `start` configures it (everysec, rewrite at 400 % growth; the data set stays under
 *     the rewrite's 64 MB minimum, so no rewrite lands: their cost is the separate item "AOF rewrite" in
 *     bench/RESULTS.md). Three variants, alternated, each on a fresh server, redis-server CPU (/proc) per posted
 *     object:
 *     - `script`: the real store call (RedisStore.storeBatch, src/store/lua/store-objects.lua), indicators then
 *       the other objects of each batch, as the worker calls it;
 *     - `writes`: a script that only writes what a new object needs (record, version list ending with the
 *       producer, the two index members, the dedup field and value index of an indicator), one HSET per hash and
 *       one ZADD per index per batch, for the objects the real script stores (exact duplicates are skipped);
 *     - `plain`: the same writes as plain commands in one MULTI per batch (no Lua).
 * (b) Worker: prepare alone (validation, pattern parse, normalization; `bench/prepare.bench.ts` on the compiled
 *     build), CPU per object, no Redis.
 * (c) API: the 202 path alone: one API process and no worker; 1 000-object envelopes POSTed one at a time; API
 *     and redis-server CPU per object and the POST → 202 time.
 * From these: the ingest ceiling on two cores (2 s of CPU per second / the sum of µs per object) and the
 * one-envelope floor for 1 000 objects. Writes bench/results/floors.json.
 *
 * FLOORS_PARTS=a (or b, c, any of them comma-separated) runs only those parts (no derived figures); FLOORS_VARIANTS=
 * script,writes limits part (a) to those variants (e.g. `script` alone, run in two trees one after the other to
 * compare two versions of the store script).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { toStoreItem, type TrustContext } from '../src/ingest/process-job';
import { DEFAULT_AOF_REWRITE_PERCENTAGE } from '../src/main/options';
import { startPrivateRedis } from '../src/main/redis-server';
import { createPrepareDeps, prepareObjects, type PreparedObject } from '../src/stix/prepare';
import { createKeyBuilder } from '../src/store/keys';
import { RedisStore } from '../src/store/redis-store';
import type { StoreItem } from '../src/store/types';
import { ingestEnvelopes, PRODUCER } from './lib/data';
import { API_ROOT, collectionId, processCpuSeconds, ROOT, startSystem } from './lib/gateway';
import { request } from './lib/http-client';
import { percentile, round, spread, type Spread } from './lib/stats';

const BATCH = 1000;
const VARIANTS = ['script', 'writes', 'plain'] as const;
type Variant = (typeof VARIANTS)[number];

/** The writes alone: ARGV = n, writer, then 8 values per object (see `packWrites`). */
const WRITES_ONLY = `
local n = tonumber(ARGV[1])
local writer = ARGV[2]
local t = redis.call('TIME')
local da = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
if da <= last then da = last + 1 end
local data, objects, idx, ikeys, values = {}, {}, {}, {}, {}
local typed = {}
local a = 3
for i = 1, n do
  local id, vmic, rank, k, json, dfield, digests, owned = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], ARGV[a + 6], ARGV[a + 7]
  a = a + 8
  local das = string.format('%d', da + i)
  data[#data + 1] = das
  data[#data + 1] = id .. '\\t' .. vmic .. '\\t' .. rank .. '\\t' .. json
  objects[#objects + 1] = id
  if owned == '1' then
    objects[#objects + 1] = vmic .. ':' .. das .. ':' .. rank .. ',@' .. writer
  else
    objects[#objects + 1] = vmic .. ':' .. das .. ':' .. rank
  end
  local member = das .. ':' .. rank
  idx[#idx + 1] = das
  idx[#idx + 1] = member
  local tk = KEYS[3 + tonumber(k)]
  local tl = typed[tk]
  if not tl then tl = {} typed[tk] = tl end
  tl[#tl + 1] = das
  tl[#tl + 1] = member
  if dfield ~= '' then
    ikeys[#ikeys + 1] = dfield
    ikeys[#ikeys + 1] = id
    for d in string.gmatch(digests, '[^,]+') do
      values[#values + 1] = d
      values[#values + 1] = id
    end
  end
end
local function put(cmd, key, list)
  for c = 1, #list, 2000 do redis.call(cmd, key, unpack(list, c, math.min(c + 1999, #list))) end
end
put('HSET', KEYS[2] .. ':data', data)
put('HSET', KEYS[2] .. ':objects', objects)
put('ZADD', KEYS[2] .. ':idx', idx)
for tk, tl in pairs(typed) do put('ZADD', tk, tl) end
put('HSET', KEYS[2] .. ':ikeys', ikeys)
put('HSET', KEYS[2] .. ':values', values)
redis.call('HSET', KEYS[1], 'last', string.format('%d', da + n))
return n
`;

interface Floors {
  readonly objects: number;
  readonly rounds: number;
  /** redis-server CPU µs per posted object, per variant. */
  readonly redisMicrosPerObject: Record<Variant, Spread>;
  /** Redis's own time per posted object by command (INFO commandstats), per variant, last round. */
  readonly redisCommandsPerObject: Record<Variant, Record<string, number>>;
  /** One AOF rewrite after each `script` run (see rewriteCost). */
  readonly aofRewrite: readonly RewriteCost[];
  readonly prepareMicrosPerObject: Spread;
  readonly api: {
    readonly apiMicrosPerObject: Spread;
    readonly redisMicrosPerObject: Spread;
    readonly answerMs: { p50: number; p99: number };
  };
}

/** The ingest mix prepared as the worker prepares it, in batches of 1000: the store items of each batch. */
function preparedBatches(objects: number): StoreItem[][] {
  const deps = createPrepareDeps();
  const { envelopes } = ingestEnvelopes([objects], 'floors');
  const posted = (JSON.parse(envelopes[0] ?? '{"objects":[]}') as { objects: unknown[] }).objects;
  const trust: TrustContext = {
    writer: { identity: PRODUCER, admin: false, clearance: 5 },
    publicIds: new Set([PRODUCER]),
    withheld: new Set<PreparedObject>(),
  };
  const batches: StoreItem[][] = [];
  for (let i = 0; i < posted.length; i += BATCH) {
    const items: StoreItem[] = [];
    for (const o of prepareObjects(posted.slice(i, i + BATCH), { defaultTlp: 'green' }, deps)) {
      if (!o.ok) throw new Error(`the floor's data must prepare: ${JSON.stringify(o.issues[0])}`);
      items.push(toStoreItem(o.object, trust));
    }
    batches.push(items);
  }
  return batches;
}

/** The writes-only script's arguments for one batch (objects the real script would store: first sight of an id). */
function packWrites(items: readonly StoreItem[], seen: Set<string>, typeKeys: Map<string, number>): (string | number)[] {
  const args: (string | number)[] = [0, PRODUCER];
  let n = 0;
  for (const it of items) {
    if (seen.has(it.id)) continue;
    seen.add(it.id);
    n++;
    let k = typeKeys.get(it.type);
    if (k === undefined) {
      k = typeKeys.size;
      typeKeys.set(it.type, k);
    }
    args.push(
      it.id,
      String(it.versionMicros ?? ''),
      it.tlpRank ?? 0,
      k,
      it.json,
      it.dedupField ?? '',
      it.valueDigests?.join(',') ?? '',
      it.owned === true ? '1' : '0',
    );
  }
  args[0] = n;
  return args;
}

/** The same writes as plain commands: one MULTI per batch. */
async function plainWrites(redis: Redis, prefix: string, items: readonly StoreItem[], seen: Set<string>, base: number): Promise<void> {
  const data: string[] = [];
  const objects: string[] = [];
  const idx: string[] = [];
  const typed = new Map<string, string[]>();
  const ikeys: string[] = [];
  const values: string[] = [];
  let i = 0;
  for (const it of items) {
    if (seen.has(it.id)) continue;
    seen.add(it.id);
    const das = String(base + i++);
    const rank = String(it.tlpRank ?? 0);
    const vmic = String(it.versionMicros ?? '');
    data.push(das, `${it.id}\t${vmic}\t${rank}\t${it.json}`);
    objects.push(it.id, it.owned === true ? `${vmic}:${das}:${rank},@${PRODUCER}` : `${vmic}:${das}:${rank}`);
    idx.push(das, `${das}:${rank}`);
    const tl = typed.get(it.type) ?? [];
    tl.push(das, `${das}:${rank}`);
    typed.set(it.type, tl);
    if (it.dedupField !== undefined) {
      ikeys.push(it.dedupField, it.id);
      for (const d of it.valueDigests ?? []) values.push(d, it.id);
    }
  }
  const m = redis.multi();
  if (data.length > 0) m.hset(`${prefix}:data`, ...data);
  if (objects.length > 0) m.hset(`${prefix}:objects`, ...objects);
  if (idx.length > 0) m.zadd(`${prefix}:idx`, ...idx);
  for (const [t, tl] of typed) m.zadd(`${prefix}:idx:t:${t}`, ...tl);
  if (ikeys.length > 0) m.hset(`${prefix}:ikeys`, ...ikeys);
  if (values.length > 0) m.hset(`${prefix}:values`, ...values);
  await m.exec();
}

function commandsPerObject(info: string, objects: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of info.split('\n')) {
    const m = /^cmdstat_([a-z|_-]+):calls=\d+,usec=(\d+)/.exec(line.trim());
    if (m && m[1] !== 'info' && m[1] !== 'config|resetstat' && m[1] !== 'script|load') out[m[1] ?? ''] = round(Number(m[2]) / objects, 1);
  }
  return out;
}

/** One variant on a fresh private Redis: redis-server CPU µs per posted object and its command times. */
async function redisRun(
  variant: Variant,
  batches: readonly StoreItem[][],
): Promise<{ micros: number; clientMicros: number; commands: Record<string, number>; rewrite?: RewriteCost }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-bench-floors-'));
  const server = await startPrivateRedis({
    dataDir: dir,
    appendfsync: 'everysec',
    extraArgs: ['--auto-aof-rewrite-percentage', String(DEFAULT_AOF_REWRITE_PERCENTAGE)],
  });
  const redis = new Redis(server.socketUrl ?? server.url, { maxRetriesPerRequest: null });
  try {
    const keys = createKeyBuilder('fl');
    const k = keys.collection(collectionId(0));
    const store = new RedisStore(redis, keys);
    const sha = String(await redis.script('LOAD', WRITES_ONLY));
    const typeKeys = new Map<string, number>();
    for (const b of batches) for (const it of b) if (!typeKeys.has(it.type)) typeKeys.set(it.type, typeKeys.size);
    const typeKeyNames = [...typeKeys.keys()].map((t) => k.typeIndex(t));
    // the scripts are loaded and the connection is warm before the measured part
    await store.storeBatch(collectionId(1), batches[0]?.slice(0, 10) ?? [], { identity: PRODUCER, admin: false, clearance: 5 });
    await redis.config('RESETSTAT');
    const seen = new Set<string>();
    const cpu0 = processCpuSeconds(server.pid);
    const client0 = process.cpuUsage();
    let base = Date.now() * 1000;
    let posted = 0;
    for (const b of batches) {
      posted += b.length;
      if (variant === 'script') {
        const writer = { identity: PRODUCER, admin: false, clearance: 5 };
        await store.storeBatch(
          collectionId(0),
          b.filter((it) => it.dedupField !== undefined),
          writer,
        );
        await store.storeBatch(
          collectionId(0),
          b.filter((it) => it.dedupField === undefined),
          writer,
        );
      } else if (variant === 'writes') {
        await redis.evalsha(
          sha,
          2 + typeKeyNames.length,
          k.meta,
          `fl:{c:${collectionId(0)}}:w`,
          ...typeKeyNames,
          ...packWrites(b, seen, typeKeys),
        );
      } else {
        await plainWrites(redis, `fl:{c:${collectionId(0)}}:p`, b, seen, base);
        base += b.length;
      }
    }
    // the caller's side: building the call, ioredis encoding it, reading the reply
    const client = process.cpuUsage(client0);
    // everything reached the AOF's buffer; everysec writes it within the second
    await new Promise((r) => setTimeout(r, 1200));
    const micros = ((processCpuSeconds(server.pid) - cpu0) * 1e6) / posted;
    const commands = commandsPerObject(await redis.info('commandstats'), posted);
    return {
      micros,
      clientMicros: (client.user + client.system) / posted,
      commands,
      ...(variant === 'script' ? { rewrite: await rewriteCost(redis, server.pid, posted) } : {}),
    };
  } finally {
    redis.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What an AOF rewrite costs per ingested object: one BGREWRITEAOF of the data set just stored (redis-server's CPU
 * with its forked child's), per stored object, and the AOF sizes before and after. Redis rewrites each time the
 * AOF has grown by the rewrite percentage P since the last rewrite, i.e. after P/100 × (rewritten bytes) / (AOF
 * bytes per ingested object) more objects, and the rewrite's work grows with the data set, so its cost per
 * ingested object is the same at every size: c × a / (P/100 × d).
 */
interface RewriteCost {
  readonly cpuMicrosPerStoredObject: number;
  readonly aofBytesPerObject: number;
  readonly rewrittenBytesPerObject: number;
  readonly amortizedMicrosPerObject: number;
}

async function aofInfo(redis: Redis): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const line of (await redis.info('persistence')).split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

async function rewriteCost(redis: Redis, pid: number, objects: number): Promise<RewriteCost> {
  const before = Number((await aofInfo(redis))['aof_current_size'] ?? 0);
  const cpu0 = processCpuSeconds(pid);
  await redis.bgrewriteaof();
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const p = await aofInfo(redis);
    if (p['aof_rewrite_in_progress'] === '0' && p['aof_rewrite_scheduled'] === '0') break;
  }
  // the child's CPU is counted once it has been reaped
  await new Promise((r) => setTimeout(r, 300));
  const c = ((processCpuSeconds(pid) - cpu0) * 1e6) / objects;
  const after = Number((await aofInfo(redis))['aof_current_size'] ?? 0);
  const a = before / objects;
  const d = after / objects;
  const share = DEFAULT_AOF_REWRITE_PERCENTAGE / 100;
  return {
    cpuMicrosPerStoredObject: round(c, 1),
    aofBytesPerObject: Math.round(a),
    rewrittenBytesPerObject: Math.round(d),
    amortizedMicrosPerObject: d > 0 ? round((c * a) / (share * d), 1) : NaN,
  };
}

/** (b): prepare alone on the compiled build, through bench/prepare.bench.ts. */
async function prepareFloor(rounds: number, objects: number): Promise<Spread> {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  process.env['PREPARE_FROM_DIST'] = '1';
  const { benchPrepare } = await import('./prepare.bench');
  return (await benchPrepare(Math.max(rounds, 3), objects)).cpuMicrosPerObject;
}

/** (c): the API's 202 path alone (no worker): CPU of the API and of Redis per posted object, POST → 202. */
async function apiFloor(envelopes: number): Promise<Floors['api']> {
  const sys = await startSystem({ apis: 1, workers: 0 });
  try {
    const base = sys.apis[0]?.base ?? '';
    const bodies = Array.from({ length: envelopes + 20 }, (_, i) => Buffer.from(ingestEnvelopes([1000], `api${i}`).envelopes[0] ?? ''));
    const post = async (body: Buffer, coll: number): Promise<number> => {
      const t0 = performance.now();
      const r = await request(base, 'POST', `/${API_ROOT}/collections/${collectionId(coll)}/objects/`, body);
      if (r.status !== 202) throw new Error(`POST answered ${r.status}: ${r.body.toString().slice(0, 300)}`);
      return performance.now() - t0;
    };
    for (const b of bodies.slice(0, 20)) await post(b, 1);
    const c0 = sys.cpuSeconds();
    const times: number[] = [];
    for (const b of bodies.slice(20)) times.push(await post(b, 2));
    const c1 = sys.cpuSeconds();
    const per = (k: string): number => (((c1[k] ?? 0) - (c0[k] ?? 0)) * 1e6) / (envelopes * 1000);
    times.sort((a, b) => a - b);
    return {
      apiMicrosPerObject: spread([per('api0')]),
      redisMicrosPerObject: spread([per('redis')]),
      answerMs: { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)) },
    };
  } finally {
    await sys.stop();
  }
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  const objects = Number(process.argv[3] ?? 20_000);
  const envelopes = Number(process.argv[4] ?? 60);
  const parts = new Set((process.env['FLOORS_PARTS'] ?? 'a,b,c').split(','));
  const variants = (process.env['FLOORS_VARIANTS'] ?? VARIANTS.join(','))
    .split(',')
    .filter((v): v is Variant => VARIANTS.some((x) => x === v));
  if (!(parts.has('a') && parts.has('b') && parts.has('c'))) return partial(parts, variants, rounds, objects, envelopes);
  const loadAverageAtStart = os.loadavg().map((l) => round(l));
  const batches = preparedBatches(objects);
  const redisMicros: Record<Variant, number[]> = { script: [], writes: [], plain: [] };
  const commands: Record<Variant, Record<string, number>> = { script: {}, writes: {}, plain: {} };
  const rewrites: RewriteCost[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      const m = await redisRun(v, batches);
      redisMicros[v].push(m.micros);
      commands[v] = m.commands;
      if (m.rewrite) rewrites.push(m.rewrite);
      process.stderr.write(`  (a) redis ${v} round ${r + 1}/${rounds}: ${m.micros.toFixed(1)} µs/object\n`);
    }
  }
  const prepare = await prepareFloor(rounds, objects);
  process.stderr.write(`  (b) prepare: ${prepare.median.toFixed(1)} µs/object\n`);
  const api = await apiFloor(envelopes);
  process.stderr.write(
    `  (c) API 202 path: API ${api.apiMicrosPerObject.median.toFixed(1)} µs/object, Redis ${api.redisMicrosPerObject.median.toFixed(1)}, POST→202 p50 ${api.answerMs.p50} ms\n`,
  );
  const result: Floors = {
    objects,
    rounds,
    redisMicrosPerObject: {
      script: spread(redisMicros.script),
      writes: spread(redisMicros.writes),
      plain: spread(redisMicros.plain),
    },
    redisCommandsPerObject: commands,
    aofRewrite: rewrites,
    prepareMicrosPerObject: prepare,
    api,
  };
  const derived = derive(result);
  process.stdout.write(`${JSON.stringify({ ...result, derived }, null, 2)}\n`);
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'floors.json'),
    `${JSON.stringify({ machine: { date: new Date().toISOString(), cpus: os.cpus().length, loadAverageAtStart }, ...result, derived }, null, 2)}\n`,
  );
}

/**
 * The ingest ceiling on two cores and the lone envelope's work floor from the measured floors (bench/RESULTS.md,
 * "Floors"): µs per object summed over Redis (writes alone in Lua, or today's script), the amortized AOF rewrite,
 * prepare and the API (with its Redis share); the envelope's work for 1 000 objects with prepare and store
 * overlapping: the first batch's prepare (250 objects), then the longer of prepare and store for all 1 000. The
 * POST → 202 time comes on top (api.answerMs, measured separately).
 */
function derive(r: Floors): Record<string, number> {
  const rewrite = r.aofRewrite.map((x) => x.amortizedMicrosPerObject).sort((a, b) => a - b)[0] ?? 0;
  const rest = rewrite + r.prepareMicrosPerObject.median + r.api.apiMicrosPerObject.median + r.api.redisMicrosPerObject.median;
  const writes = r.redisMicrosPerObject.writes.median;
  const script = r.redisMicrosPerObject.script.median;
  const prep = r.prepareMicrosPerObject.median;
  const workMs = (store: number): number => round((250 * prep + 1000 * Math.max(prep, store)) / 1000, 1);
  return {
    floorMicrosPerObject: round(writes + rest, 1),
    ceilingObjectsPerSecond: Math.round(2e6 / (writes + rest)),
    ceilingWithTodaysScript: Math.round(2e6 / (script + rest)),
    envelopeWorkFloorMs: workMs(writes),
    envelopeWorkWithTodaysScriptMs: workMs(script),
  };
}

/** Some parts only, printed (no result file). */
async function partial(
  parts: ReadonlySet<string>,
  variants: readonly Variant[],
  rounds: number,
  objects: number,
  envelopes: number,
): Promise<void> {
  if (parts.has('a')) {
    const batches = preparedBatches(objects);
    for (let r = 0; r < rounds; r++) {
      for (const v of variants) {
        const m = await redisRun(v, batches);
        process.stdout.write(
          `(a) ${v} round ${r + 1}/${rounds}: redis ${m.micros.toFixed(1)} µs/object, caller ${m.clientMicros.toFixed(1)}; ${JSON.stringify(m.commands)}${m.rewrite ? `; AOF rewrite ${JSON.stringify(m.rewrite)}` : ''}\n`,
        );
      }
    }
  }
  if (parts.has('b')) process.stdout.write(`(b) prepare: ${(await prepareFloor(rounds, objects)).median.toFixed(1)} µs/object\n`);
  if (parts.has('c')) process.stdout.write(`(c) API 202 path: ${JSON.stringify(await apiFloor(envelopes))}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
