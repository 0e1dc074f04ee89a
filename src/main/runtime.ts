/**
 * The runtime of the gateway's roles (start, serve, worker): loads the config, resolves credentials, connects
 * (or starts) Redis, builds the API, the ingest worker and federation through the composition root
 * (compose.ts), listens, and shuts down gracefully.
 */
import http from 'node:http';
import { FailedLoginThrottle } from '../auth/failed-logins';
import { createRequestAuthenticator, resolveTls } from './tls';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import pino from 'pino';
import { Authenticator } from '../auth/authenticator';
import { resolveCredentials } from '../auth/credentials';
import { formatConfigIssue, loadConfigFile } from '../config/load-config';
import type { GatewayConfig } from '../config/types';
import { BullIngestQueue } from '../ingest/bullmq';
import { createPrepareDeps } from '../stix/prepare';
import { createKeyBuilder } from '../store/keys';
import { redisPingCheck, type ReadinessCheck } from '../observability/health';
import { observabilityListener } from '../http/health';
import { GatewayMetrics } from '../observability/metrics';
import { instrumentWorker, watchRedisErrors } from '../observability/instrument';
import { connectRedis, parseRedisTarget, redactRedisUrl, whenReady } from './redis-connect';
import type { CliIo } from './cli-types';
import { composeApi, composeFederation, composeInquiryWorker, composeWorker, listen, type InquiryParts } from './compose';
import { keyringFor, loadOrCreateSigningKey } from '../inquiries/signing-key';
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
async function inquiryKeys(
  config: GatewayConfig,
  dataDir: string,
  announce: (text: string) => void,
): Promise<Pick<InquiryParts, 'signer' | 'keyring'> | undefined> {
  if (config.inquiries.channels.length === 0) return undefined;
  try {
    const { signer, created, publicKeyFile } = await loadOrCreateSigningKey(dataDir);
    if (created) announce(`inquiry signing key created (${signer.keyId}); give the partner gateway its public key: ${publicKeyFile}`);
    return { signer, keyring: await keyringFor(config, signer.publicKey) };
  } catch (err) {
    throw new StartupError(`inquiries: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function runGateway(role: Role, opts: ServerOptions, io: CliIo): Promise<RunningGateway> {
  const log = pino({ level: io.env['LOG_LEVEL'] ?? 'info', base: { role }, redact: ['req.headers.authorization'] }, logDestination(io));
  const notices: string[] = [];
  const config = await loadConfig(opts.config);
  const cleanups: (() => Promise<void>)[] = [];
  const stopAccepting: (() => void)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const s of stopAccepting) s();
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'error during shutdown');
      }
    }
  };

  try {
    let redisUrl = opts.redisUrl;
    let privateRedis: PrivateRedis | undefined;
    if (redisUrl === undefined) {
      if (role !== 'start') throw new StartupError(`${role} needs REDIS_URL (or --redis-url); only start runs a private Redis`);
      // One start per data dir: a second one refuses here; a crashed one's lock is stale and taken over.
      mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
      let unlock: () => void;
      try {
        unlock = lockDataDir(opts.dataDir);
      } catch (err) {
        if (err instanceof DataDirLockedError) throw new StartupError(err.message);
        throw err;
      }
      cleanups.push(async () => unlock());
      privateRedis = await startPrivateRedis({
        dataDir: path.join(opts.dataDir, 'redis'),
        owned: true,
        ...(opts.redisPort > 0 ? { port: opts.redisPort } : {}),
        appendfsync: opts.redisFsync,
        extraArgs: ['--auto-aof-rewrite-percentage', String(opts.redisAofRewritePercentage)],
      });
      // Same host: the Unix socket (no TCP port, mode 700, a generated password); TCP only when asked or when
      // the socket path is too long, still behind the password.
      redisUrl = privateRedis.socketUrl ?? privateRedis.url;
      const pr = privateRedis;
      cleanups.push(() => pr.stop());
      for (const pid of pr.orphansStopped) {
        notices.push(`A redis-server left running on this data dir by an earlier crash (pid ${pid}) was stopped first.`);
        log.warn({ pid }, 'orphaned private redis-server stopped');
      }
      log.info(
        { redis: redactRedisUrl(redisUrl), redisPort: pr.port, pid: pr.pid, dir: path.join(opts.dataDir, 'redis') },
        'private redis-server started',
      );
    }
    const keys = createKeyBuilder(opts.keyPrefix);
    let target;
    try {
      target = parseRedisTarget(redisUrl);
    } catch (err) {
      throw new StartupError(`REDIS_URL: ${err instanceof Error ? err.message : String(err)}`);
    }
    const metrics = new GatewayMetrics();
    const readiness: ReadinessCheck[] = [{ name: 'config', check: () => config.collections.length > 0 }];
    // BullMQ's connection: waits while Redis is away (queue and worker retry by themselves). Shared by the
    // queue and the worker of this process; BullMQ duplicates it for its blocking reads.
    const connection = connectRedis(target, { mode: 'wait', name: 'gw-queue' });
    watchRedisErrors(connection, 'queue', metrics, log);
    cleanups.push(async () => {
      connection.disconnect();
    });
    log.info({ redis: redactRedisUrl(redisUrl), kind: target.kind }, 'redis target');

    let url: string | undefined;
    if (role === 'start' || role === 'serve') {
      const index = await resolveCredentials(config, { dataDir: opts.dataDir, env: io.env, announce: (t) => notices.push(t) });
      const authenticator = new Authenticator(index);
      // The API's own connection fails fast while Redis is down, so requests get 503 rather than hanging.
      const redis = connectRedis(target, { mode: 'fail-fast', name: 'gw-api' });
      watchRedisErrors(redis, 'api', metrics, log);
      cleanups.push(async () => {
        redis.disconnect();
      });
      await waitReady(redis);
      readiness.push(redisPingCheck('redis', redis));
      let tls;
      try {
        tls = await resolveTls(config.server.tls, config.file, opts);
      } catch (err) {
        throw new StartupError(`TLS: ${err instanceof Error ? err.message : String(err)}`);
      }
      const authenticate = (a: string | undefined): ReturnType<Authenticator['authenticate']> => authenticator.authenticate(a);
      const authenticateRequest =
        tls === undefined || tls.mode === 'none'
          ? undefined
          : createRequestAuthenticator(
              { mode: tls.mode, requirePasswordToo: tls.requirePasswordToo, principals: config.principals },
              authenticate,
            );
      const inquiryParts = await inquiryKeys(config, opts.dataDir, (t) => notices.push(t));
      // Requests' audit entries are appended in batches (GATEWAY_AUDIT_FLUSH_MS); they are written after the
      // in-flight requests finish and before the connection closes (cleanups run in reverse order).
      const api = composeApi({
        config,
        redis,
        connection,
        keys,
        log,
        authenticate,
        failedLogins: new FailedLoginThrottle({ maxFailures: opts.authFailuresPerMinute }),
        auditFlushMs: opts.auditFlushMs,
        ...(authenticateRequest === undefined ? {} : { authenticateRequest }),
        ...(inquiryParts === undefined ? {} : { inquiries: { ...inquiryParts, metrics } }),
      });
      cleanups.push(() => api.close());
      metrics.watchQueueDepth(() => api.queue.depth());
      const app = api.app;
      app.set('trust proxy', io.env['GATEWAY_TRUST_PROXY'] === '1' ? 1 : false);
      const listener = observabilityListener({ metrics, exposeMetrics: false, readiness, log }, app);
      // Timeouts (headers, request) are checked every second rather than Node's default 30 s: slow clients go sooner.
      const server = await listen(listener, app, {
        port: opts.port,
        host: opts.host,
        ...(tls === undefined ? {} : { tls: tls.serverOptions }),
        checkIntervalMs: 1000,
        headersTimeoutMs: 20_000,
        requestTimeoutMs: 120_000,
        keepAliveTimeoutMs: 5_000,
      });
      const addr = server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      url = `${tls === undefined ? 'http' : 'https'}://${host}:${addr.port}`;
      // Stop accepting at the very start of the shutdown (before the worker finishes its job), then wait for
      // the in-flight requests.
      const closed = new Promise<void>((resolve) =>
        stopAccepting.push(() => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
      );
      cleanups.push(() => closed);
      log.info({ url: `${url}/taxii2/`, console: `${url}/console/` }, 'TAXII 2.1 API listening');
    }

    if (role === 'start' || role === 'worker') {
      createPrepareDeps(); // compile every schema now, not on the first job
      const redis = connectRedis(target, { mode: 'wait', name: 'gw-worker' });
      watchRedisErrors(redis, 'worker', metrics, log);
      cleanups.push(async () => {
        await redis.quit();
      });
      await waitReady(redis);
      // Inquiry keys (src/inquiries/): the ingest gate verifies what partners send; the deadline worker signs.
      const inquiryWorkerKeys = await inquiryKeys(config, opts.dataDir, (t) => notices.push(t));
      const composed = composeWorker({
        config,
        redis,
        keys,
        ...(inquiryWorkerKeys === undefined ? {} : { inquiryKeyring: inquiryWorkerKeys.keyring }),
        options: {
          connection,
          concurrency: opts.concurrency,
          lockDurationMs: opts.lockMs,
          stalledIntervalMs: Math.max(1000, Math.floor(opts.lockMs / 2)),
          onCompleted: (data, s) => log.info({ statusId: data.statusId, collection: data.collectionId, ...s }, 'ingest job complete'),
          onFailed: (statusId, err) => log.warn({ statusId, err: err.message }, 'ingest job failed; BullMQ retries it'),
        },
      });
      const { worker, store, statuses } = composed;
      instrumentWorker(worker, metrics);
      readiness.push({ name: 'worker', check: async () => worker.isRunning() && (await redis.ping()) === 'PONG' });
      if (role === 'worker') {
        const queue = new BullIngestQueue({ connection, prefix: keys.queuePrefix });
        cleanups.push(() => queue.close());
        metrics.watchQueueDepth(() => queue.depth());
      }
      cleanups.push(() => composed.close());
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
      cleanups.push(() => federation.close());
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
        cleanups.push(() => inquiries.close());
      }
    }

    if (opts.metricsPort !== undefined) {
      const privateServer = http.createServer(observabilityListener({ metrics, exposeMetrics: true, readiness }));
      await new Promise<void>((resolve, reject) => {
        privateServer.once('error', reject);
        privateServer.listen(opts.metricsPort, opts.metricsHost, () => resolve());
      });
      cleanups.push(
        () =>
          new Promise<void>((resolve) => {
            privateServer.close(() => resolve());
            privateServer.closeIdleConnections(); // a scraper's keep-alive connection must not hold the exit
          }),
      );
      const a = privateServer.address() as AddressInfo;
      log.info({ host: a.address, port: a.port }, 'health and metrics listener');
    }
    const base = { redisUrl, notices, privateRedis: privateRedis !== undefined, stop: stopAll };
    return url === undefined ? base : { ...base, url, consoleUrl: `${url}/console/` };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
