/**
 * The floor under the latency target: what p50/p99 10 closed-loop clients see on this machine when the server
 * does no work at all (a bare node:http server answering every GET with a fixed 61 000-byte body, the size of
 * a gateway page of 100 indicators), next to the gateway itself (1 API, 100 000 stored, pages of 100 at
 * random added_after positions, sampled as the latency benchmark samples them). Each is measured with the
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

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 8);
  const wrk = hasWrk();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-floor-'));
  const result: Record<string, unknown> = { date: new Date().toISOString(), cpus: os.cpus().length, node: process.version, clients: CLIENTS, seconds };
  try {
    const bare = await bareServer();
    try {
      await nodeClient(bare.base, ['/'], 2); // warm-up
      result['bare server, node client'] = await nodeClient(bare.base, ['/'], seconds);
      if (wrk) result['bare server, wrk'] = wrkClient(bare.base, ['/'], seconds, dir);
    } finally {
      bare.stop();
    }
    const sys = await startSystem({ apis: 1, workers: 0 });
    try {
      const coll = collectionId(10);
      await loadObjects(sys.client, coll, 'floor', 0, 100_000);
      const paths = (await samplePositions(sys.client, coll, 500, 3)).map(
        (after) => `/${API_ROOT}/collections/${coll}/objects/?limit=100&added_after=${encodeURIComponent(after)}`,
      );
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
} else {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
