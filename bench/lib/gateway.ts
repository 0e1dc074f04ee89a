/**
 * The system under test: a private redis-server (src/main/redis-server.ts) and the real CLI roles in child
 * processes (`serve` replicas and `worker` replicas, started by test/helpers/cli-process.ts as the process
 * tests start theirs), on a config with several collections so that every run writes into an empty one. The
 * roles run what the image runs: `node dist/main/cli.js` after `npm run build` (built once per benchmark
 * process); BENCH_FROM_SOURCES=1 runs src/ through tsx instead.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { freePort, startPrivateRedis, type PrivateRedis } from '../../src/main/redis-server';
import { DEFAULT_AOF_REWRITE_MIN_MB, DEFAULT_AOF_REWRITE_PERCENTAGE } from '../../src/main/options';
import { spawnCliRole, stopCliRole, type CliProcess } from '../../test/helpers/cli-process';

export const ROOT = path.resolve(__dirname, '../..');
export const API_ROOT = 'bench';
export const USER = 'bench';
export const PASSWORD = 'bench-password-not-secret';
/** An admin principal (same password), for the operator pages of the console benchmark. */
export const OPERATOR = 'bench-operator';
export const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
export const TAXII = 'application/taxii+json;version=2.1';

/** Collection ids c(0) .. c(19): one per benchmark run. */
export function collectionId(i: number): string {
  return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
}

/** The server and API root sections of the benchmarks' configurations. */
function serverYaml(title: string, maxContentLength: number): string {
  return `server:
  title: ${title}
  default_api_root: ${API_ROOT}
  max_page_size: 1000
  default_page_size: 100
api_roots:
  - name: ${API_ROOT}
    title: Bench
    max_content_length: ${maxContentLength}
`;
}

/** One collection entry read and written by `principal`. */
function collectionYaml(id: string, title: string, principal: string): string {
  return `  - id: ${id}
    api_root: ${API_ROOT}
    title: ${title}
    readers: [${principal}]
    writers: [${principal}]
    default_tlp: green`;
}

/** A principal with a Basic credential whose password is in env `secretEnv`. */
function principalYaml(name: string, identity: string, secretEnv: string, admin = false): string {
  return `  - name: ${name}
    identity: ${identity}${admin ? '\n    admin: true' : ''}
    credentials:
      - basic: { secret_env: ${secretEnv} }`;
}

const BENCH_IDENTITY = 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc';

/** The benchmark gateway's config (20 collections; bench/envelope-timeline.bench.ts runs the worker on it in-process). */
export function configYaml(): string {
  const colls = Array.from({ length: 20 }, (_, i) => collectionYaml(collectionId(i), `Bench ${i}`, USER)).join('\n');
  return `${serverYaml('Benchmark', 104857600)}collections:
${colls}
principals:
${principalYaml(USER, BENCH_IDENTITY, 'BENCH_PASSWORD')}
${principalYaml(OPERATOR, 'identity--9276fe0f-dfde-4ed0-9464-9d07e8442af0', 'BENCH_PASSWORD', true)}
`;
}

/** A configuration of one collection, read and written by `principal` (Basic, password in env `secretEnv`). */
export function oneCollectionYaml(title: string, collection: string, principal: string, secretEnv: string): string {
  return `${serverYaml(title, 1048576)}collections:
${collectionYaml(collection, 'Bench', principal)}
principals:
${principalYaml(principal, BENCH_IDENTITY, secretEnv)}
`;
}

/** A role in its child process (test/helpers/cli-process.ts). */
export type Proc = CliProcess;

export interface BenchSystem {
  /** CPU seconds (user + system) used so far by each process: redis, api0.., worker0.., bench (this one). */
  cpuSeconds(): Record<string, number>;
  readonly redis: PrivateRedis;
  /** The URL the roles reach Redis by (its Unix socket, or loopback TCP with BENCH_REDIS_TCP=1). */
  readonly redisUrl: string;
  readonly client: Redis;
  readonly apis: Proc[];
  readonly workers: Proc[];
  readonly dir: string;
  stop(): Promise<void>;
}

export interface SystemOptions {
  readonly apis: number;
  readonly workers: number;
  readonly workerConcurrency?: number;
  /** Directory for `node --cpu-prof` profiles of every child; none when undefined. */
  readonly profileDir?: string;
  readonly appendfsync?: 'everysec' | 'always';
}

/** NODE_OPTIONS of the worker service in docker-compose.yml (and of `npm start`, which runs a worker too). */
export const WORKER_NODE_OPTIONS = '--max-semi-space-size=64';

async function spawnRole(role: 'serve' | 'worker', redisUrl: string, config: string, dir: string, o: SystemOptions): Promise<Proc> {
  const metricsPort = await freePort();
  // One directory per process: the main thread and tsx's loader thread each write a profile (default names).
  const tag = `${role}-${metricsPort}`;
  const nodeFlags = o.profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(o.profileDir, tag)] : [];
  // BENCH_NODE_FLAGS: extra node/V8 flags for the roles, for experiments (e.g. GC settings)
  nodeFlags.push(...(process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter((f) => f !== ''));
  // BENCH_CHILD_LOGS=<dir>: every role's output also goes to <dir>/<role>-<metrics port>.log (e.g. with --trace-gc)
  const logDir = process.env['BENCH_CHILD_LOGS'];
  if (logDir) mkdirSync(logDir, { recursive: true });
  return spawnCliRole(role, {
    config,
    dataDir: dir,
    built: !FROM_SOURCES,
    nodeFlags,
    args: role === 'worker' ? ['--concurrency', String(o.workerConcurrency ?? 2)] : [],
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      BENCH_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
      GATEWAY_KEY_PREFIX: 'gw',
      // as docker-compose.yml runs its workers
      ...(role === 'worker' ? { NODE_OPTIONS: WORKER_NODE_OPTIONS } : {}),
    },
    metricsPort,
    readyMs: 30_000,
    keepOutput: 20_000,
    ...(logDir ? { logFile: path.join(logDir, `${tag}.log`) } : {}),
  });
}

const FROM_SOURCES = process.env['BENCH_FROM_SOURCES'] === '1';
let built = false;

/** `npm run build`, once per benchmark process, so the roles run the current sources compiled. */
function ensureBuilt(): void {
  if (FROM_SOURCES || built) return;
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  built = true;
}

/**
 * CPU seconds of a process from /proc (Linux): its own user + system time and that of its children that have
 * exited (for redis-server: the forked AOF-rewrite children), 0 when unreadable.
 */
export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? ticks / 100 : 0;
  } catch {
    return 0;
  }
}

export async function startSystem(o: SystemOptions): Promise<BenchSystem> {
  ensureBuilt();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-bench-'));
  const config = path.join(dir, 'collections.yaml');
  writeFileSync(config, configYaml());
  const redis = await startPrivateRedis({
    dataDir: path.join(dir, 'redis'),
    appendfsync: o.appendfsync ?? 'everysec',
    // `start`'s default (src/main/options.ts); BENCH_REDIS_ARGS comes after it and wins
    extraArgs: [
      '--auto-aof-rewrite-percentage',
      String(DEFAULT_AOF_REWRITE_PERCENTAGE),
      '--auto-aof-rewrite-min-size',
      `${DEFAULT_AOF_REWRITE_MIN_MB}mb`,
      ...(process.env['BENCH_REDIS_ARGS'] ?? '').split(' ').filter((a) => a !== ''),
    ],
  });
  // The roles reach Redis as `start` does: through its Unix socket (BENCH_REDIS_TCP=1: loopback TCP instead).
  const redisUrl = process.env['BENCH_REDIS_TCP'] === '1' ? redis.url : (redis.socketUrl ?? redis.url);
  const client = new Redis(redis.url, { maxRetriesPerRequest: null });
  const apis: Proc[] = [];
  const workers: Proc[] = [];
  for (let i = 0; i < o.apis; i++) apis.push(await spawnRole('serve', redisUrl, config, dir, o));
  for (let i = 0; i < o.workers; i++) workers.push(await spawnRole('worker', redisUrl, config, dir, o));
  return {
    cpuSeconds: () => {
      const self = process.cpuUsage();
      const out: Record<string, number> = { redis: processCpuSeconds(redis.pid) };
      apis.forEach((a, i) => (out[`api${i}`] = processCpuSeconds(a.child.pid)));
      workers.forEach((w, i) => (out[`worker${i}`] = processCpuSeconds(w.child.pid)));
      out['bench'] = (self.user + self.system) / 1e6;
      return out;
    },
    redis,
    redisUrl,
    client,
    apis,
    workers,
    dir,
    stop: async () => {
      for (const p of [...apis, ...workers]) await stopCliRole(p);
      client.disconnect();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
