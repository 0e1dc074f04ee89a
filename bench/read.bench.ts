/**
 * Read-side benchmarks on a gateway serving preloaded collections: paging throughput (one client, ten
 * clients), page cost growth from 10k to 1M stored objects, latency of 100-object pages under ten clients,
 * the TAXII filters at 1M, and Redis memory per stored object version.
 */
import type Redis from 'ioredis';
import { createKeyBuilder } from '../src/store/keys';
import { formatMicros } from '../src/stix/time';
import { API_ROOT, collectionId, type BenchSystem } from './lib/gateway';
import { closedLoopGets, countObjects, pageHead, request } from './lib/http-client';
import { loadObjects } from './lib/loader';
import { spread, type Spread } from './lib/stats';

const keys = createKeyBuilder('gw');

function objectsPath(coll: string): string {
  return `/${API_ROOT}/collections/${coll}/objects/`;
}

/** Walks a whole collection with `limit`-object pages; returns the objects received. */
export async function walk(base: string, coll: string, limit: number): Promise<number> {
  let next: string | undefined;
  let n = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    const r = await request(base, 'GET', `${objectsPath(coll)}?limit=${limit}${next ? `&next=${next}` : ''}`);
    if (r.status !== 200) throw new Error(`GET objects answered ${r.status}: ${r.body.toString().slice(0, 200)}`);
    n += countObjects(r.body);
    const h = pageHead(r.body);
    if (!h.more || !h.next) break;
    next = h.next;
  }
  return n;
}

export interface PagingResult {
  readonly storedObjects: number;
  readonly oneClient: Spread;
  readonly tenClients: Spread;
}

export async function benchPaging(sys: BenchSystem, coll: string, stored: number, runs: number): Promise<PagingResult> {
  const apis = sys.apis.map((a) => a.base ?? '');
  const one: number[] = [];
  const ten: number[] = [];
  for (let r = 0; r < runs; r++) {
    let t = process.hrtime.bigint();
    const n = await walk(apis[r % apis.length] ?? '', coll, 1000);
    if (n !== stored) throw new Error(`one client walked ${n} objects, expected ${stored}`);
    one.push(n / (Number(process.hrtime.bigint() - t) / 1e9));
    t = process.hrtime.bigint();
    const counts = await Promise.all(Array.from({ length: 10 }, (_, c) => walk(apis[c % apis.length] ?? '', coll, 1000)));
    const total = counts.reduce((a, b) => a + b, 0);
    if (total !== stored * 10) throw new Error(`ten clients walked ${total} objects, expected ${stored * 10}`);
    ten.push(total / (Number(process.hrtime.bigint() - t) / 1e9));
    process.stderr.write(
      `  paging run ${r + 1}/${runs}: one client ${Math.round(one[r] ?? 0)}/s, ten clients ${Math.round(ten[r] ?? 0)}/s\n`,
    );
  }
  return { storedObjects: stored, oneClient: spread(one), tenClients: spread(ten) };
}

/**
 * Waits until Redis is not rewriting its AOF (loading 1M objects triggers a rewrite: a fork and a large
 * write that would otherwise be measured as page cost), at most 5 minutes.
 */
async function quiet(redis: Redis): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const info = await redis.info('persistence');
    if (!/aof_rewrite_in_progress:1|aof_rewrite_scheduled:1/.test(info)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** `count` date_added values spread uniformly over the collection (as added_after query values). */
export async function samplePositions(redis: Redis, coll: string, count: number, seed: number): Promise<string[]> {
  const idx = keys.collection(coll).index;
  const size = await redis.zcard(idx);
  const out: string[] = [];
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    // leave room for a full page after the position
    const rank = Math.floor((x / 2147483648) * Math.max(1, size - 1100));
    const [member] = await redis.zrange(idx, rank, rank);
    // members are `<date_added>:<rank><flags>` (src/store/keys.ts)
    out.push(formatMicros(Number(String(member).split(':')[0])));
  }
  return out;
}

/** Median time in ms of one GET page at the sampled positions (sequential, one client). */
async function medianPageMs(base: string, coll: string, positions: readonly string[], query: string): Promise<number> {
  const times: number[] = [];
  for (const after of positions) {
    const t = process.hrtime.bigint();
    const r = await request(base, 'GET', `${objectsPath(coll)}?added_after=${encodeURIComponent(after)}${query}`);
    if (r.status !== 200) throw new Error(`GET answered ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return spread(times).median;
}

export interface GrowthResult {
  /** Median page time (ms, limit=1000) per stored size. */
  readonly pageMs: Record<string, Spread>;
  readonly ratio1MTo10k: number;
  /** Median page time at 1M per filter (ms, limit=1000). */
  readonly filtersAt1M: Record<string, Spread>;
  readonly latency: LatencyResult;
  readonly memory: MemoryResult;
}

export interface LatencyResult {
  readonly clients: number;
  readonly limit: number;
  readonly seconds: number;
  readonly p50Ms: Spread;
  readonly p99Ms: Spread;
  readonly requestsPerSecond: Spread;
}

/** 10 clients GET pages of 100 at random positions for `seconds`; p50/p99 latency and req/s. */
export async function latencyOnce(
  sys: BenchSystem,
  coll: string,
  positions: readonly string[],
  seconds: number,
  clients = 10,
): Promise<{ p50: number; p99: number; rps: number }> {
  const paths = positions.map((after) => `${objectsPath(coll)}?limit=100&added_after=${encodeURIComponent(after)}`);
  return closedLoopGets(
    sys.apis.map((a) => a.base ?? ''),
    paths,
    seconds,
    clients,
  );
}

export interface MemoryResult {
  readonly objects: number;
  readonly usedMemoryBytes: number;
  readonly bytesPerObject: number;
  /** MEMORY USAGE of the collection's keys, bytes per object; `lookup+other` is the rest of the growth. */
  readonly breakdownPerObject: Record<string, number>;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const m = /used_memory:(\d+)/.exec(info);
  return Number(m?.[1] ?? 0);
}

async function memoryBreakdown(redis: Redis, coll: string, objects: number, grown: number): Promise<Record<string, number>> {
  const k = keys.collection(coll);
  const named: Record<string, string> = {
    'data (JSON + header)': k.data,
    'objects (version lists)': k.objects,
    idx: k.index,
    'idx:t:indicator': k.typeIndex('indicator'),
    'ikeys (dedup digests)': k.indicatorKeys,
    'values (lookup index)': k.values,
  };
  const out: Record<string, number> = {};
  let sum = 0;
  for (const [label, key] of Object.entries(named)) {
    const bytes = Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
    sum += bytes;
    out[label] = Math.round(bytes / objects);
  }
  out['domain-name type index + allocator'] = Math.round((grown - sum) / objects);
  return out;
}

/**
 * Loads three collections to 10k, 100k and 1M objects and measures one page's median time in each, the three
 * sizes taken in turn within every round (so that the machine's drift over minutes weighs on all sizes alike
 * instead of on whichever was measured last); at 1M also the filters, the latency under ten clients, and
 * memory (the growth of used_memory while the 1M collection loads).
 */
export async function benchGrowth(sys: BenchSystem, collIndex: number, runs: number, latencySeconds: number): Promise<GrowthResult> {
  const sizes = [10_000, 100_000, 1_000_000];
  const collOf = (i: number): string => collectionId(collIndex + i);
  const coll = collOf(sizes.length - 1);
  const base = sys.apis[0]?.base ?? '';
  let before = 0;
  for (const [i, size] of sizes.entries()) {
    const t = Date.now();
    await quiet(sys.client);
    if (size === 1_000_000) before = await usedMemory(sys.client);
    await loadObjects(sys.client, collOf(i), 'growth', 0, size);
    process.stderr.write(`  loaded ${size} objects (${Math.round((Date.now() - t) / 1000)} s)\n`);
  }
  const grown = (await usedMemory(sys.client)) - before;
  await quiet(sys.client);
  // One uncounted pass first: right after a load the first pages pay for cold caches and JIT (up to 2x).
  for (const i of sizes.keys()) await medianPageMs(base, collOf(i), await samplePositions(sys.client, collOf(i), 100, 5), '&limit=1000');
  const rounds: number[][] = sizes.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (const i of sizes.keys()) {
      rounds[i]?.push(await medianPageMs(base, collOf(i), await samplePositions(sys.client, collOf(i), 100, 7 + r), '&limit=1000'));
    }
  }
  const pageMs: Record<string, Spread> = {};
  sizes.forEach((size, i) => {
    pageMs[String(size)] = spread(rounds[i] ?? []);
    process.stderr.write(
      `  page of 1000 at ${size}: ${spread(rounds[i] ?? []).median.toFixed(2)} ms (rounds: ${(rounds[i] ?? []).map((x) => x.toFixed(2)).join(', ')})\n`,
    );
  });
  const loaded = 1_000_000;
  const memory: MemoryResult = {
    objects: loaded,
    usedMemoryBytes: grown,
    bytesPerObject: Math.round(grown / loaded),
    breakdownPerObject: await memoryBreakdown(sys.client, coll, loaded, grown),
  };
  const filters: Record<string, string> = {
    'plain (limit=1000)': '&limit=1000',
    'match[type]=indicator': '&limit=1000&match[type]=indicator',
    'match[type]=domain-name (2 % of objects)': '&limit=1000&match[type]=domain-name',
    'match[version]=first': '&limit=1000&match[version]=first',
    'match[version]=all': '&limit=1000&match[version]=all',
  };
  const filtersAt1M: Record<string, Spread> = {};
  for (const [label, q] of Object.entries(filters)) {
    const medians: number[] = [];
    for (let r = 0; r < runs; r++) medians.push(await medianPageMs(base, coll, await samplePositions(sys.client, coll, 100, 11 + r), q));
    filtersAt1M[label] = spread(medians);
    process.stderr.write(`  ${label} at 1M: ${spread(medians).median.toFixed(2)} ms\n`);
  }
  const positions = await samplePositions(sys.client, coll, 2000, 3);
  const p50: number[] = [];
  const p99: number[] = [];
  const rps: number[] = [];
  for (let r = 0; r < runs; r++) {
    const l = await latencyOnce(sys, coll, positions, latencySeconds);
    p50.push(l.p50);
    p99.push(l.p99);
    rps.push(l.rps);
    process.stderr.write(
      `  latency run ${r + 1}/${runs}: p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms, ${Math.round(l.rps)} req/s\n`,
    );
  }
  const at10k = pageMs['10000']?.median ?? NaN;
  const at1m = pageMs['1000000']?.median ?? NaN;
  return {
    pageMs,
    ratio1MTo10k: at1m / at10k,
    filtersAt1M,
    latency: { clients: 10, limit: 100, seconds: latencySeconds, p50Ms: spread(p50), p99Ms: spread(p99), requestsPerSecond: spread(rps) },
    memory,
  };
}
