/**
 * CPU cost per read request, measured per process (/proc/<pid>/stat utime+stime of every API process and of
 * redis-server, process.cpuUsage() of this client), so that the figures mean something on a machine shared
 * with other work, where wall-clock throughput does not.
 *
 *   npx tsx bench/read-cpu.bench.ts [apis=2] [stored=100000] [seconds=10] [phases=latency,paging]
 *
 * Phases: latency (10 closed-loop clients, GET pages of 100 at random added_after positions) and paging
 * (10 clients each walking the whole collection with limit=1000). Linux only. BENCH_PROFILE=<dir> as for
 * run-all.ts. BENCH_CLIENTS=<n> runs the latency phase with n closed-loop clients instead of 10 (1: no queueing
 * in the API, so the CPU per request without contention for the cores).
 */
import { readFileSync } from 'node:fs';
import { formatMicros } from '../src/stix/time';
import { createKeyBuilder } from '../src/store/keys';
import { collectionId, startSystem, type BenchSystem } from './lib/gateway';
import { loadObjects } from './lib/loader';
import { latencyOnce, walk } from './read.bench';

const TICKS_PER_SECOND = 100;
const CLIENTS = Math.max(1, Number(process.env['BENCH_CLIENTS'] ?? 10));

/** utime + stime of a process (all its threads), in ms. */
function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the command name (which may contain spaces) start after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Read and write system calls of a process so far (/proc/<pid>/io syscr, syscw): load does not change them. */
function procSyscalls(pid: number): { reads: number; writes: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? 0);
  return { reads: field('syscr'), writes: field('syscw') };
}

function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface CpuSnapshot {
  readonly api: number;
  readonly redis: number;
  readonly client: number;
  readonly wall: bigint;
  /** System calls of the API processes and of redis-server: [api reads, api writes, redis reads, redis writes]. */
  readonly calls: readonly [number, number, number, number];
}

function snapshot(sys: BenchSystem): CpuSnapshot {
  const api = sys.apis.reduce((sum, a) => sum + procCpuMs(a.child.pid ?? 0), 0);
  const apiCalls = sys.apis.map((a) => procSyscalls(a.child.pid ?? 0));
  const redisCalls = procSyscalls(sys.redis.pid);
  const calls: CpuSnapshot['calls'] = [
    apiCalls.reduce((sum, c) => sum + c.reads, 0),
    apiCalls.reduce((sum, c) => sum + c.writes, 0),
    redisCalls.reads,
    redisCalls.writes,
  ];
  return { api, redis: procCpuMs(sys.redis.pid), client: selfCpuMs(), wall: process.hrtime.bigint(), calls };
}

/** Redis's own time per request by command (INFO commandstats), since the last CONFIG RESETSTAT. */
async function commandTimes(sys: BenchSystem, requests: number): Promise<string> {
  const info = await sys.client.info('commandstats');
  const out: string[] = [];
  for (const m of info.matchAll(/cmdstat_(\w+):calls=(\d+),usec=(\d+)/g)) {
    const usec = Number(m[3]);
    if (usec / requests >= 1) out.push(`${m[1]} ${(usec / requests).toFixed(0)} us (${m[2]} calls)`);
  }
  await sys.client.config('RESETSTAT');
  return `redis per request: ${out.join(', ')}`;
}

function report(label: string, a: CpuSnapshot, b: CpuSnapshot, requests: number, extra: string): void {
  const per = (x: number): string => (x / requests).toFixed(3);
  const per2 = (x: number): string => (x / requests).toFixed(2);
  const seconds = Number(b.wall - a.wall) / 1e9;
  process.stdout.write(
    `${label}: ${requests} requests in ${seconds.toFixed(1)} s (${Math.round(requests / seconds)} req/s); CPU ms/request: ` +
      `api ${per(b.api - a.api)}, redis ${per(b.redis - a.redis)}, client ${per(b.client - a.client)}; ${extra}\n` +
      `  system calls per request: api read ${per2(b.calls[0] - a.calls[0])}, write ${per2(b.calls[1] - a.calls[1])}; ` +
      `redis read ${per2(b.calls[2] - a.calls[2])}, write ${per2(b.calls[3] - a.calls[3])}\n`,
  );
}

/** Redis's forks so far (AOF rewrites, snapshots): a fork's child competes with the measured processes for the cores. */
async function forks(sys: BenchSystem): Promise<number> {
  return Number(/total_forks:(\d+)/.exec(await sys.client.info('stats'))?.[1] ?? 0);
}

/**
 * Waits (at most 5 minutes) until Redis has no AOF rewrite or snapshot running or scheduled: loading 1M objects
 * grows the AOF past the rewrite threshold, and the rewrite's child (a fork of the whole data set) would otherwise
 * run during the measurement and take CPU from the API and Redis.
 */
async function settle(sys: BenchSystem): Promise<void> {
  const t0 = Date.now();
  for (let i = 0; i < 600; i++) {
    const info = await sys.client.info('persistence');
    const busy = /aof_rewrite_in_progress:1|aof_rewrite_scheduled:1|rdb_bgsave_in_progress:1/.test(info);
    if (!busy) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const waited = (Date.now() - t0) / 1000;
  if (waited >= 0.5) process.stdout.write(`-- waited ${waited.toFixed(1)} s for Redis's AOF rewrite to end\n`);
}

async function positions(sys: BenchSystem, coll: string, count: number): Promise<string[]> {
  const idx = createKeyBuilder('gw').collection(coll).index;
  const size = await sys.client.zcard(idx);
  const out: string[] = [];
  let x = 3;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const rank = Math.floor((x / 2147483648) * Math.max(1, size - 1100));
    const [member] = await sys.client.zrange(idx, rank, rank);
    out.push(formatMicros(Number(String(member).split(':')[0])));
  }
  return out;
}

async function latency(sys: BenchSystem, coll: string, pos: readonly string[], seconds: number): Promise<void> {
  const forksBefore = await forks(sys);
  const before = snapshot(sys);
  const l = await latencyOnce(sys, coll, pos, seconds, CLIENTS);
  const after = snapshot(sys);
  const forked = (await forks(sys)) - forksBefore;
  const requests = Math.round(l.rps * (Number(after.wall - before.wall) / 1e9));
  const note = forked > 0 ? ` (Redis forked ${forked}x meanwhile: an AOF rewrite ran)` : '';
  report(
    `latency (limit=100, ${CLIENTS} clients)`,
    before,
    after,
    requests,
    `p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms${note}`,
  );
  process.stdout.write(`  ${await commandTimes(sys, requests)}\n`);
}

async function paging(sys: BenchSystem, coll: string, stored: number): Promise<void> {
  const apis = sys.apis.map((a) => a.base ?? '');
  const before = snapshot(sys);
  const counts = await Promise.all(Array.from({ length: 10 }, (_, c) => walk(apis[c % apis.length] ?? '', coll, 1000)));
  const after = snapshot(sys);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== stored * 10) throw new Error(`walked ${total}, expected ${stored * 10}`);
  const seconds = Number(after.wall - before.wall) / 1e9;
  // each walk reads ceil(stored / 1000) pages
  report('paging (limit=1000, 10 clients)', before, after, 10 * Math.ceil(stored / 1000), `${Math.round(total / seconds)} objects/s`);
  process.stdout.write(`  ${await commandTimes(sys, 10 * Math.ceil(stored / 1000))}\n`);
}

async function main(): Promise<void> {
  const apis = Number(process.argv[2] ?? 2);
  const stored = Number(process.argv[3] ?? 100_000);
  const seconds = Number(process.argv[4] ?? 10);
  const phases = new Set((process.argv[5] ?? 'latency,paging').split(','));
  const profileDir = process.env['BENCH_PROFILE'];
  const sys = await startSystem({ apis, workers: 0, ...(profileDir ? { profileDir } : {}) });
  try {
    const coll = collectionId(10);
    await loadObjects(sys.client, coll, 'cpu', 0, stored);
    const pos = await positions(sys, coll, 2000);
    await settle(sys);
    await sys.client.config('RESETSTAT');
    // warm-up: JIT, auth cache, connections
    await latency(sys, coll, pos, 2);
    process.stdout.write(
      `-- measured (${apis} API, ${stored} stored, load average ${(await import('node:os')).loadavg()[0]?.toFixed(2)})\n`,
    );
    if (phases.has('latency')) await latency(sys, coll, pos, seconds);
    if (phases.has('paging')) await paging(sys, coll, stored);
  } finally {
    await sys.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
