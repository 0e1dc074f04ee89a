/**
 * The runtime of the gateway's roles (start, serve, worker): loads the config, resolves credentials, connects
 * (or starts) Redis, builds the API, the ingest worker and federation through the composition root
 * (compose.ts), listens, and shuts down gracefully.
 */
import http from 'node:http';
import { FailedLoginThrottle } from '../auth/failed-logins';
import { resolveTls, type ResolvedTls } from './tls';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import pino from 'pino';
import { formatConfigIssue, loadConfigFile } from '../config/load-config';
import type { GatewayConfig } from '../config/types';
import { createPrepareDeps } from '../stix/prepare';
import { createKeyBuilder, type KeyBuilder } from '../store/keys';
import { redisPingCheck, type ReadinessCheck } from '../observability/health';
import { observabilityListener } from '../http/health';
import { GatewayMetrics } from '../observability/metrics';
import { instrumentWorker, watchRedisErrors } from '../observability/instrument';
import { connectRedis, parseRedisTarget, redactRedisUrl, whenReady, type RedisTarget } from './redis-connect';
import type { CliIo } from './cli-types';
import {
  composeAuthentication,
  composeFederation,
  composeInquiryKeys,
  composeInquiryWorker,
  composeWorker,
  serveApi,
  type InquiryKeys,
} from './compose';
import { loadOrCreateSigningKey } from '../inquiries/signing-key';
import type { ServerOptions } from './options';
import { startPrivateRedis, type PrivateRedis } from './redis-server';
import { DataDirLockedError, lockDataDir } from './data-dir';

export type Role = 'start' | 'serve' | 'worker';

export interface RunningGateway {
  /** Base URL of the API (roles start and serve). */
  readonly url?: string;
  readonly redisUrl: string;
  /** For the start banner: what the operator must see once (generated credentials, orphans stopped). */
  readonly notices: readonly string[];
  /** The operator console's URL, when this build serves one. */
  readonly consoleUrl?: string;
  /** True when this process runs the private Redis of its data dir (start without REDIS_URL). */
  readonly privateRedis: boolean;
  /** Graceful stop: stop accepting, finish in-flight requests and the current job, close Redis. */
  stop(): Promise<void>;
}

/** Thrown for start-up problems the operator must fix (printed without a stack trace). */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

async function loadConfig(file: string): Promise<GatewayConfig> {
  const loaded = await loadConfigFile(file);
  if (!loaded.config) {
    throw new StartupError(`${file} has problems:\n${loaded.issues.map(formatConfigIssue).join('\n')}`);
  }
  return loaded.config;
}

async function waitReady(redis: Redis | Cluster): Promise<void> {
  try {
    await whenReady(redis, 15_000);
  } catch (err) {
    throw new StartupError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * Where the JSON logs go: standard output, as JSON lines (for machines). GATEWAY_LOG_FORMAT=pretty, or a
 * terminal on stdout with GATEWAY_LOG_FORMAT unset, writes one readable line per entry instead.
 */
function logDestination(io: CliIo): pino.DestinationStream {
  const format = io.env['GATEWAY_LOG_FORMAT'] ?? (io.stdoutIsTty === true ? 'pretty' : 'json');
  if (format !== 'pretty') return { write: (line: string) => io.stdout(line) };
  return { write: (line: string) => io.stdout(prettyLogLine(line)) };
}

const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** One pino JSON line as `HH:MM:SS.mmm LEVEL message key=value ...` (the JSON line itself when it is not JSON). */
export function prettyLogLine(line: string): string {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return line;
  const rest: string[] = [];
  let time = '';
  let level = '';
  let msg = '';
  for (const [k, v] of Object.entries(entry)) {
    if (k === 'time' && typeof v === 'number') time = new Date(v).toISOString().slice(11, 23);
    else if (k === 'level' && typeof v === 'number') level = LEVELS[v] ?? String(v);
    else if (k === 'msg') msg = String(v);
    else if (k !== 'pid' && k !== 'hostname') rest.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return `${time} ${level.padEnd(5)} ${msg}${rest.length > 0 ? `  ${rest.join(' ')}` : ''}\n`;
}

/**
 * The inquiry signing key of the data directory (created on first start, announced with the path of its
 * public key) and the keyring of the partner keys; undefined when the config declares no inquiry channel.
 */
async function inquiryKeys(config: GatewayConfig, dataDir: string, announce: (text: string) => void): Promise<InquiryKeys | undefined> {
  try {
    return await composeInquiryKeys(config, async () => {
      const { signer, created, publicKeyFile } = await loadOrCreateSigningKey(dataDir);
      if (created) announce(`inquiry signing key created (${signer.keyId}); give the partner gateway its public key: ${publicKeyFile}`);
      return signer;
    });
  } catch (err) {
    throw new StartupError(`inquiries: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** What the roles' start steps register: how to stop accepting requests, and what to close, in reverse order. */
class Shutdown {
  private readonly cleanups: (() => Promise<void>)[] = [];
  private readonly stopAccepting: (() => void)[] = [];

  constructor(private readonly log: pino.Logger) {}

  /** Runs at shutdown, after everything registered later. */
  onStop(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  /** Runs first at shutdown, before any cleanup (a listener stops accepting connections). */
  onStopAccepting(stop: () => void): void {
    this.stopAccepting.push(stop);
  }

  async run(): Promise<void> {
    for (const s of this.stopAccepting) s();
    for (const c of this.cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'error during shutdown');
      }
    }
  }
}

/** What every role's start step shares. */
interface RoleContext {
  readonly role: Role;
  readonly opts: ServerOptions;
  readonly io: CliIo;
  readonly config: GatewayConfig;
  readonly log: pino.Logger;
  /** Lines for the start banner. */
  readonly notices: string[];
  readonly shutdown: Shutdown;
  readonly target: RedisTarget;
  readonly keys: KeyBuilder;
  readonly metrics: GatewayMetrics;
  readonly readiness: ReadinessCheck[];
  /** BullMQ's connection, shared by the queue and the worker of this process. */
  readonly connection: Redis | Cluster;
}

/**
 * start without REDIS_URL: locks the data dir (a second start refuses; a crashed one's lock is taken over),
 * starts its private redis-server and answers its URL.
 */
async function startOwnRedis(opts: ServerOptions, shutdown: Shutdown, notices: string[], log: pino.Logger): Promise<string> {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  let unlock: () => void;
  try {
    unlock = lockDataDir(opts.dataDir);
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new StartupError(err.message);
    throw err;
  }
  shutdown.onStop(async () => unlock());
  const pr: PrivateRedis = await startPrivateRedis({
    dataDir: path.join(opts.dataDir, 'redis'),
    owned: true,
    ...(opts.redisPort > 0 ? { port: opts.redisPort } : {}),
    appendfsync: opts.redisFsync,
    extraArgs: [
      '--auto-aof-rewrite-percentage',
      String(opts.redisAofRewritePercentage),
      '--auto-aof-rewrite-min-size',
      `${opts.redisAofRewriteMinMb}mb`,
    ],
  });
  // Same host: the Unix socket (no TCP port, mode 700, a generated password); TCP only when asked or when
  // the socket path is too long, still behind the password.
  const redisUrl = pr.socketUrl ?? pr.url;
  shutdown.onStop(() => pr.stop());
  for (const pid of pr.orphansStopped) {
    notices.push(`A redis-server left running on this data dir by an earlier crash (pid ${pid}) was stopped first.`);
    log.warn({ pid }, 'orphaned private redis-server stopped');
  }
  log.info(
    { redis: redactRedisUrl(redisUrl), redisPort: pr.port, pid: pr.pid, dir: path.join(opts.dataDir, 'redis') },
    'private redis-server started',
  );
  return redisUrl;
}

function redisTarget(redisUrl: string): RedisTarget {
  try {
    return parseRedisTarget(redisUrl);
  } catch (err) {
    throw new StartupError(`REDIS_URL: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The TLS options of the API listener (server.tls or the command line), undefined for plain HTTP. */
async function apiTls(ctx: RoleContext): Promise<ResolvedTls | undefined> {
  try {
    return await resolveTls(ctx.config.server.tls, ctx.config.file, ctx.opts);
  } catch (err) {
    throw new StartupError(`TLS: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Roles start and serve: the TAXII API and the gateway endpoints, listening; answers the base URL. */
async function startApi(ctx: RoleContext): Promise<string> {
  const { config, opts, io, log, shutdown, metrics, readiness, connection, keys } = ctx;
  const tls = await apiTls(ctx);
  // Passwords and tokens, plus the client certificate when TLS asks for one.
  const authentication = await composeAuthentication(
    config,
    { dataDir: opts.dataDir, env: io.env, announce: (t) => ctx.notices.push(t) },
    tls,
  );
  // The API's own connection fails fast while Redis is down, so requests get 503 rather than hanging.
  const redis = connectRedis(ctx.target, { mode: 'fail-fast', name: 'gw-api' });
  watchRedisErrors(redis, 'api', metrics, log);
  shutdown.onStop(async () => {
    redis.disconnect();
  });
  await waitReady(redis);
  readiness.push(redisPingCheck('redis', redis));
  const inquiryParts = await inquiryKeys(config, opts.dataDir, (t) => ctx.notices.push(t));
  // Requests' audit entries are appended in batches (GATEWAY_AUDIT_FLUSH_MS); they are written after the
  // in-flight requests finish and before the connection closes (cleanups run in reverse order).
  // Timeouts (headers, request) are checked every second rather than Node's default 30 s: slow clients go sooner.
  const served = await serveApi(
    {
      config,
      redis,
      connection,
      keys,
      log,
      ...authentication,
      failedLogins: new FailedLoginThrottle({ maxFailures: opts.authFailuresPerMinute }),
      auditFlushMs: opts.auditFlushMs,
      ...(inquiryParts === undefined ? {} : { inquiries: { ...inquiryParts, metrics } }),
    },
    {
      port: opts.port,
      host: opts.host,
      ...(tls === undefined ? {} : { tls: tls.serverOptions }),
      checkIntervalMs: 1000,
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 120_000,
      keepAliveTimeoutMs: 5_000,
      trustProxy: io.env['GATEWAY_TRUST_PROXY'] === '1',
      listener: (app) => observabilityListener({ metrics, exposeMetrics: false, readiness, log }, app),
    },
  );
  // Stop accepting at the very start of the shutdown (before the worker finishes its job), then wait for
  // the in-flight requests and close the API.
  shutdown.onStopAccepting(() => void served.stopAccepting());
  shutdown.onStop(() => served.close());
  metrics.watchQueueDepth(() => served.api.queue.depth());
  const url = served.url;
  log.info({ url: `${url}/taxii2/`, console: `${url}/console/` }, 'TAXII 2.1 API listening');
  return url;
}

/** Roles start and worker: the ingest worker, federation and the inquiry deadlines. */
async function startWorker(ctx: RoleContext): Promise<void> {
  const { config, opts, io, log, shutdown, metrics, readiness, connection, keys } = ctx;
  createPrepareDeps(); // compile every schema now, not on the first job
  const redis = connectRedis(ctx.target, { mode: 'wait', name: 'gw-worker' });
  watchRedisErrors(redis, 'worker', metrics, log);
  shutdown.onStop(async () => {
    await redis.quit();
  });
  await waitReady(redis);
  // Inquiry keys (src/inquiries/): the ingest gate verifies what partners send; the deadline worker signs.
  const inquiryWorkerKeys = await inquiryKeys(config, opts.dataDir, (t) => ctx.notices.push(t));
  const composed = composeWorker({
    config,
    redis,
    keys,
    ...(inquiryWorkerKeys === undefined ? {} : { inquiryKeyring: inquiryWorkerKeys.keyring }),
    log,
    options: {
      connection,
      concurrency: opts.concurrency,
      lockDurationMs: opts.lockMs,
      stalledIntervalMs: Math.max(1000, Math.floor(opts.lockMs / 2)),
    },
  });
  const { worker, store, statuses } = composed;
  instrumentWorker(worker, metrics);
  readiness.push({ name: 'worker', check: async () => worker.isRunning() && (await redis.ping()) === 'PONG' });
  if (ctx.role === 'worker') metrics.watchQueueDepth(() => composed.queueDepth());
  shutdown.onStop(() => composed.close());
  log.info({ concurrency: opts.concurrency }, 'ingest worker running');
  // Federation (src/federation/): scheduled pulls and pushes, run by the worker processes.
  const federation = await composeFederation({ config, redis, connection, keys, store, statuses, log, env: io.env });
  const fedRunner = federation.runner;
  metrics.watchFederation(async () =>
    (await fedRunner.states()).map((s) => ({
      kind: s.kind,
      name: s.name,
      ...(s.lastRunFinished === undefined ? {} : { lastRunFinished: s.lastRunFinished }),
      // a successful run clears the last error, so an error on record means the last run failed
      failing: s.lastErrorAt !== undefined,
      objectsTotal: s.objectsTotal,
    })),
  );
  shutdown.onStop(() => federation.close());
  // Inquiry deadlines and notifications (src/inquiries/deadline-scheduler.ts), run by the worker processes.
  if (inquiryWorkerKeys !== undefined) {
    const inquiries = await composeInquiryWorker({
      config,
      redis,
      connection,
      keys,
      store,
      log,
      env: io.env,
      metrics,
      ...inquiryWorkerKeys,
      lockMs: opts.lockMs,
      notifier: { claimLeaseMs: opts.inquiryLeaseMs },
      reconcileEveryMs: opts.inquiryReconcileMs,
    });
    shutdown.onStop(() => inquiries.close());
  }
}

/** The private health and metrics listener (--metrics-port). */
async function startMetricsListener(ctx: RoleContext, port: number): Promise<void> {
  const privateServer = http.createServer(observabilityListener({ metrics: ctx.metrics, exposeMetrics: true, readiness: ctx.readiness }));
  await new Promise<void>((resolve, reject) => {
    privateServer.once('error', reject);
    privateServer.listen(port, ctx.opts.metricsHost, () => resolve());
  });
  ctx.shutdown.onStop(
    () =>
      new Promise<void>((resolve) => {
        privateServer.close(() => resolve());
        privateServer.closeIdleConnections(); // a scraper's keep-alive connection must not hold the exit
      }),
  );
  const a = privateServer.address() as AddressInfo;
  ctx.log.info({ host: a.address, port: a.port }, 'health and metrics listener');
}

/** Starts one role: Redis (the private one for start without REDIS_URL), then the API and/or the worker. */
export async function runGateway(role: Role, opts: ServerOptions, io: CliIo): Promise<RunningGateway> {
  const log = pino({ level: io.env['LOG_LEVEL'] ?? 'info', base: { role }, redact: ['req.headers.authorization'] }, logDestination(io));
  const notices: string[] = [];
  const config = await loadConfig(opts.config);
  const shutdown = new Shutdown(log);
  const stop = (): Promise<void> => shutdown.run();
  try {
    if (opts.redisUrl === undefined && role !== 'start') {
      throw new StartupError(`${role} needs REDIS_URL (or --redis-url); only start runs a private Redis`);
    }
    const redisUrl = opts.redisUrl ?? (await startOwnRedis(opts, shutdown, notices, log));
    const target = redisTarget(redisUrl);
    const metrics = new GatewayMetrics();
    // BullMQ's connection: waits while Redis is away (queue and worker retry by themselves). Shared by the
    // queue and the worker of this process; BullMQ duplicates it for its blocking reads.
    const connection = connectRedis(target, { mode: 'wait', name: 'gw-queue' });
    watchRedisErrors(connection, 'queue', metrics, log);
    shutdown.onStop(async () => {
      connection.disconnect();
    });
    log.info({ redis: redactRedisUrl(redisUrl), kind: target.kind }, 'redis target');
    const ctx: RoleContext = {
      role,
      opts,
      io,
      config,
      log,
      notices,
      shutdown,
      target,
      keys: createKeyBuilder(opts.keyPrefix),
      metrics,
      readiness: [{ name: 'config', check: () => config.collections.length > 0 }],
      connection,
    };
    const url = role === 'start' || role === 'serve' ? await startApi(ctx) : undefined;
    if (role === 'start' || role === 'worker') await startWorker(ctx);
    if (opts.metricsPort !== undefined) await startMetricsListener(ctx, opts.metricsPort);
    const base = { redisUrl, notices, privateRedis: opts.redisUrl === undefined, stop };
    return url === undefined ? base : { ...base, url, consoleUrl: `${url}/console/` };
  } catch (err) {
    await stop();
    throw err;
  }
}
