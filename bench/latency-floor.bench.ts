/**
 * The floor under the latency target: what p50/p99 10 closed-loop clients see on this machine when the server
 * does no work at all (a bare node:http server answering every GET with a fixed 61 000-byte body, the size of
 * a gateway page of 100 indicators), next to the gateway itself (1 API, 100 000 stored, pages of 100 at
 * random added_after positions, sampled as the latency benchmark samples them), and between the two a minimal
 * page server: node:http doing only the gateway's two Redis calls for a page and the concatenation of the stored
 * JSON (no TAXII routing, authentication, audit, metrics...). Each is measured with the
 * benchmarks' Node client and, when `wrk` is installed (Debian package wrk), with wrk, whose client costs far
 * less CPU.
 *
 *   npx tsx bench/latency-floor.bench.ts [seconds=8]     → bench/results/latency-floor.json
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { createKeyBuilder } from '../src/store/keys';
import { parseTimestamp } from '../src/stix/time';
import { API_ROOT, AUTH, collectionId, startSystem, TAXII } from './lib/gateway';
import { closedLoopGets } from './lib/http-client';
import { loadObjects } from './lib/loader';
import { samplePositions } from './read.bench';

const PAGE_BYTES = 61_000;
const CLIENTS = 10;

interface Latency {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The benchmarks' Node client (closedLoopGets, as the latency benchmark uses it), figures rounded. */
async function nodeClient(base: string, paths: readonly string[], seconds: number): Promise<Latency> {
  const l = await closedLoopGets([base], paths, seconds, CLIENTS);
  return { rps: Math.round(l.rps), p50: round(l.p50), p99: round(l.p99) };
}

function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk --version exits 1 after printing its version
    return typeof err === 'object' && err !== null && 'status' in err && (err as { status: unknown }).status === 1;
  }
}

/** wrk with CLIENTS connections on one thread, cycling through the paths; latencies from --latency. */
function wrkClient(base: string, paths: readonly string[], seconds: number, dir: string): Latency {
  const script = path.join(dir, 'paths.lua');
  writeFileSync(
    script,
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}\nlocal i = 0\n` +
      `wrk.headers["Accept"] = "${TAXII}"\nwrk.headers["Authorization"] = "${AUTH}"\n` +
      'request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end\n',
  );
  const out = execFileSync('wrk', ['-t1', `-c${CLIENTS}`, `-d${seconds}s`, '--latency', '-s', script, `${base}/`]).toString();
  const ms = (label: string): number => {
    const m = new RegExp(`^\\s*${label}\\s+([0-9.]+)(us|ms|s)`, 'm').exec(out);
    if (!m) return NaN;
    const v = Number(m[1]);
    return round(m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v);
  };
  const rps = Number(/Requests\/sec:\s+([0-9.]+)/.exec(out)?.[1] ?? NaN);
  if (/Non-2xx/.test(out)) throw new Error(`wrk saw non-2xx answers:\n${out}`);
  return { rps: Math.round(rps), p50: ms('50%'), p99: ms('99%') };
}

/** A bare HTTP server in a child process (so that it has its own event loop, like the API). */
async function bareServer(): Promise<{ base: string; stop: () => void }> {
  const child = fork(__filename, ['--bare-server'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
  return { base: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

function serveBare(): void {
  const body = Buffer.alloc(PAGE_BYTES, 'x');
  const srv = http.createServer((_req, res) => {
    res.setHeader('Content-Type', TAXII);
    res.setHeader('Content-Length', body.length);
    res.end(body);
  });
  srv.listen(0, '127.0.0.1', () => {
    const addr = srv.address();
    process.send?.(typeof addr === 'object' && addr ? addr.port : 0);
  });
}

/**
 * The least any server can do for a page of 100 on this machine with this Redis layout: node:http, the two
 * Redis calls of the gateway's read path (ZRANGEBYSCORE on the collection's index, HMGET of the records as
 * bytes over the same socket) and the concatenation of the stored JSON, with nothing else: no TAXII routing,
 * authentication, content negotiation, rate limits, audit trail, metrics or error handling.
 * Paths are `/?after=<date_added in µs>`.
 */
function serveMinimalPages(redisUrl: string, coll: string): void {
  const k = createKeyBuilder('gw').collection(coll);
  const redis = redisUrl.startsWith('unix://') ? new Redis({ path: redisUrl.slice('unix://'.length) }) : new Redis(redisUrl);
  const head = Buffer.from('{"more":true,"objects":[');
  const comma = Buffer.from(',');
  const tail = Buffer.from(']}');
  // exit normally on SIGTERM, so that a --cpu-prof profile is written
  process.once('SIGTERM', () => process.exit(0));
  const srv = http.createServer((req, res) => {
    const after = (req.url ?? '').slice('/?after='.length);
    void (async (): Promise<void> => {
      const members = await redis.zrangebyscore(k.index, `(${after}`, '+inf', 'LIMIT', 0, 101);
      const das = members.slice(0, 100).map((m) => m.slice(0, m.indexOf(':')));
      const values = das.length === 0 ? [] : await redis.hmgetBuffer(k.data, ...das);
      const parts: Buffer[] = [head];
      for (const v of values) {
        if (!v) continue;
        // the JSON follows the 5th tab of the stored header (src/store/lua/store-objects.lua)
        let p = -1;
        for (let i = 0; i < 5; i++) p = v.indexOf(9, p + 1);
        if (parts.length > 1) parts.push(comma);
        parts.push(v.subarray(p + 1));
      }
      parts.push(tail);
      const body = Buffer.concat(parts);
      res.writeHead(200, { 'Content-Type': TAXII, 'Content-Length': body.length });
      res.end(body);
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  srv.listen(0, '127.0.0.1', () => {
    const addr = srv.address();
    process.send?.(typeof addr === 'object' && addr ? addr.port : 0);
  });
}

/** The minimal page server in a child process. */
async function minimalServer(redisUrl: string, coll: string): Promise<{ base: string; stop: () => void }> {
  const profileDir = process.env['BENCH_PROFILE'];
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(profileDir, 'minimal')] : [];
  const child = fork(__filename, ['--minimal-server', redisUrl, coll], { execArgv: [...profile, '--import', 'tsx'], stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
  return { base: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 8);
  const wrk = hasWrk();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-floor-'));
  const result: Record<string, unknown> = {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    node: process.version,
    clients: CLIENTS,
    seconds,
  };
  try {
    const bare = await bareServer();
    try {
      await nodeClient(bare.base, ['/'], 2); // warm-up
      result['bare server, node client'] = await nodeClient(bare.base, ['/'], seconds);
      if (wrk) result['bare server, wrk'] = wrkClient(bare.base, ['/'], seconds, dir);
    } finally {
      bare.stop();
    }
    const profileDir = process.env['BENCH_PROFILE'];
    const sys = await startSystem({ apis: 1, workers: 0, ...(profileDir ? { profileDir } : {}) });
    try {
      const coll = collectionId(10);
      await loadObjects(sys.client, coll, 'floor', 0, 100_000);
      const positions = await samplePositions(sys.client, coll, 500, 3);
      const paths = positions.map(
        (after) => `/${API_ROOT}/collections/${coll}/objects/?limit=100&added_after=${encodeURIComponent(after)}`,
      );
      {
        const minimal = await minimalServer(sys.redisUrl, coll);
        try {
          const minimalPaths = positions.map((after) => `/?after=${parseTimestamp(after)?.micros ?? 0}`);
          await nodeClient(minimal.base, minimalPaths, 2); // warm-up
          result['minimal page server, node client'] = await nodeClient(minimal.base, minimalPaths, seconds);
          if (wrk) result['minimal page server, wrk'] = wrkClient(minimal.base, minimalPaths, seconds, dir);
        } finally {
          minimal.stop();
        }
      }
      const base = sys.apis[0]?.base ?? '';
      await nodeClient(base, paths, 2); // warm-up
      result['gateway, node client'] = await nodeClient(base, paths, seconds);
      if (wrk) result['gateway, wrk'] = wrkClient(base, paths, seconds, dir);
    } finally {
      await sys.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!wrk) result['wrk'] = 'not installed (apt-get install wrk): Node client only';
  const out = path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'latency-floor.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

if (process.argv.includes('--bare-server')) {
  serveBare();
} else if (process.argv[2] === '--minimal-server') {
  serveMinimalPages(process.argv[3] ?? '', process.argv[4] ?? '');
} else {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
