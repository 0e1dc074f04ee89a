/**
 * CPU cost per read request, measured per process (/proc/<pid>/stat utime+stime of every API process and of
 * redis-server, process.cpuUsage() of this client), so that the figures mean something on a machine shared
 * with other work, where wall-clock throughput does not.
 *
 *   npx tsx bench/read-cpu.bench.ts [apis=2] [stored=100000] [seconds=10] [phases=latency,paging]
 *
 * Phases: latency (10 closed-loop clients, GET pages of 100 at random added_after positions) and paging
 * (10 clients each walking the whole collection with limit=1000). Linux only. BENCH_PROFILE=<dir> as for
 * run-all.ts.
 */
import { readFileSync } from 'node:fs';
import { formatMicros } from '../src/stix/time';
import { createKeyBuilder } from '../src/store/keys';
import { API_ROOT, collectionId, startSystem, type BenchSystem } from './lib/gateway';
import { countObjects, pageHead, request } from './lib/http-client';
import { loadObjects } from './lib/loader';
import { percentile } from './lib/stats';

const TICKS_PER_SECOND = 100;

/** utime + stime of a process (all its threads), in ms. */
function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the command name (which may contain spaces) start after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
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
}

function snapshot(sys: BenchSystem): CpuSnapshot {
  const api = sys.apis.reduce((sum, a) => sum + procCpuMs(a.child.pid ?? 0), 0);
  return { api, redis: procCpuMs(sys.redis.pid), client: selfCpuMs(), wall: process.hrtime.bigint() };
}

function report(label: string, a: CpuSnapshot, b: CpuSnapshot, requests: number, extra: string): void {
  const per = (x: number): string => (x / requests).toFixed(3);
  const seconds = Number(b.wall - a.wall) / 1e9;
  process.stdout.write(
    `${label}: ${requests} requests in ${seconds.toFixed(1)} s (${Math.round(requests / seconds)} req/s); CPU ms/request: ` +
      `api ${per(b.api - a.api)}, redis ${per(b.redis - a.redis)}, client ${per(b.client - a.client)}; ${extra}\n`,
  );
}

function objectsPath(coll: string): string {
  return `/${API_ROOT}/collections/${coll}/objects/`;
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
  const apis = sys.apis.map((a) => a.base ?? '');
  const times: number[] = [];
  const end = Date.now() + seconds * 1000;
  const before = snapshot(sys);
  await Promise.all(
    Array.from({ length: 10 }, async (_, c) => {
      let i = c * 37;
      while (Date.now() < end) {
        const after = pos[i++ % pos.length] ?? '';
        const t = process.hrtime.bigint();
        const r = await request(apis[c % apis.length] ?? '', 'GET', `${objectsPath(coll)}?limit=100&added_after=${encodeURIComponent(after)}`);
        if (r.status !== 200) throw new Error(`GET answered ${r.status}`);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const after = snapshot(sys);
  times.sort((a, b) => a - b);
  report('latency (limit=100, 10 clients)', before, after, times.length, `p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms`);
}

async function paging(sys: BenchSystem, coll: string, stored: number): Promise<void> {
  const apis = sys.apis.map((a) => a.base ?? '');
  let requests = 0;
  const walk = async (base: string): Promise<number> => {
    let next: string | undefined;
    let n = 0;
    for (;;) {
      const r = await request(base, 'GET', `${objectsPath(coll)}?limit=1000${next ? `&next=${next}` : ''}`);
      requests++;
      if (r.status !== 200) throw new Error(`GET answered ${r.status}`);
      n += countObjects(r.body);
      const h = pageHead(r.body);
      if (!h.more || !h.next) return n;
      next = h.next;
    }
  };
  const before = snapshot(sys);
  const counts = await Promise.all(Array.from({ length: 10 }, (_, c) => walk(apis[c % apis.length] ?? '')));
  const after = snapshot(sys);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== stored * 10) throw new Error(`walked ${total}, expected ${stored * 10}`);
  const seconds = Number(after.wall - before.wall) / 1e9;
  report('paging (limit=1000, 10 clients)', before, after, requests, `${Math.round(total / seconds)} objects/s`);
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
    // warm-up: JIT, auth cache, connections
    await latency(sys, coll, pos, 2);
    process.stdout.write(`-- measured (${apis} API, ${stored} stored, load average ${(await import('node:os')).loadavg()[0]?.toFixed(2)})\n`);
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
