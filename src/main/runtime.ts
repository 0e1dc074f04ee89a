/**
 * The composition root: loads the config, resolves credentials, connects (or starts) Redis, and runs the
 * TAXII API and/or the ingest worker, with a graceful shutdown.
 */
import http from 'node:http';
import https from 'node:https';
import { RedisAuditLog } from '../audit/audit-log';
import { BatchedAuditLog } from '../audit/batched-audit-log';
import { RateLimiter } from '../taxii/rate-limit';
import { FailedLoginThrottle } from '../auth/failed-logins';
import { createRequestAuthenticator, resolveTls } from './tls';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import pino from 'pino';
import { Authenticator } from '../auth/authenticator';
import { resolveCredentials } from '../auth/credentials';
import { formatConfigIssue, loadConfigFile } from '../config/load-config';
import type { GatewayConfig } from '../config/types';
import { BullIngestQueue, startIngestWorker } from '../ingest/bullmq';
import { createPrepareDeps, prepareObjects } from '../stix/prepare';
import { FederationRunner } from '../federation/federation-runner';
import { startFederationScheduler } from '../federation/federation-scheduler';
import { createKeyBuilder } from '../store/keys';
import { LookupIndex } from '../store/lookup-index';
import { RedisStore } from '../store/redis-store';
import { StatusStore } from '../store/status-store';
import { createTaxiiApp } from '../taxii/app';
import { serverClassesFor } from '../taxii/server-classes';
import { installClientErrorHandler } from '../taxii/client-error';
import { redisPingCheck, type ReadinessCheck } from '../observability/health';
import { observabilityListener } from '../observability/http';
import { GatewayMetrics } from '../observability/metrics';
import { instrumentWorker, watchRedisErrors } from '../observability/instrument';
import { connectRedis, parseRedisTarget, redactRedisUrl, whenReady } from './redis-connect';
import type { CliIo } from './cli-types';
import type { ServerOptions } from './options';
import { startPrivateRedis, type PrivateRedis } from './redis-server';
import { ExchangeRecorder } from '../exchange/exchange-recorder';
import { consoleServices } from './console-services';

export type Role = 'start' | 'serve' | 'worker';

export interface RunningGateway {
  /** Base URL of the API (roles start and serve). */
  readonly url?: string;
  readonly redisUrl: string;
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

export async function runGateway(role: Role, opts: ServerOptions, io: CliIo): Promise<RunningGateway> {
  const log = pino({ level: io.env['LOG_LEVEL'] ?? 'info', base: { role }, redact: ['req.headers.authorization'] });
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
      privateRedis = await startPrivateRedis({
        dataDir: path.join(opts.dataDir, 'redis'),
        port: opts.redisPort,
        appendfsync: opts.redisFsync,
        extraArgs: ['--auto-aof-rewrite-percentage', String(opts.redisAofRewritePercentage)],
      });
      // Same host: the Unix socket (no TCP stack; only this user can connect); TCP when the path is too long.
      redisUrl = privateRedis.socketUrl ?? privateRedis.url;
      const pr = privateRedis;
      cleanups.push(() => pr.stop());
      log.info({ redis: redisUrl, redisPort: pr.port, dir: path.join(opts.dataDir, 'redis') }, 'private redis-server started');
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
      const index = await resolveCredentials(config, { dataDir: opts.dataDir, env: io.env, announce: (t) => io.stdout(`${t}\n`) });
      const authenticator = new Authenticator(index);
      // The API's own connection fails fast while Redis is down, so requests get 503 rather than hanging.
      const redis = connectRedis(target, { mode: 'fail-fast', name: 'gw-api' });
      watchRedisErrors(redis, 'api', metrics, log);
      cleanups.push(async () => {
        redis.disconnect();
      });
      await waitReady(redis);
      readiness.push(redisPingCheck('redis', redis));
      // Requests' audit entries are appended in batches (GATEWAY_AUDIT_FLUSH_MS); the queue is written after
      // the in-flight requests finish and before the connection closes (cleanups run in reverse order).
      const audit = new BatchedAuditLog(new RedisAuditLog(redis, keys, config.audit), { intervalMs: opts.auditFlushMs });
      cleanups.push(() => audit.close());
      const queue = new BullIngestQueue({ connection, prefix: keys.queuePrefix });
      metrics.watchQueueDepth(() => queue.depth());
      cleanups.push(() => queue.close());
      const store = new RedisStore(redis, keys);
      const statuses = new StatusStore(redis, keys, config.server.status_ttl_seconds);
      const lookup = new LookupIndex(redis, keys);
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
          : createRequestAuthenticator({ mode: tls.mode, requirePasswordToo: tls.requirePasswordToo, principals: config.principals }, authenticate);
      // The exchange counters of the reads (src/exchange/) and the operator console (src/http/console/).
      const exchange = new ExchangeRecorder(redis, keys, config);
      cleanups.push(() => exchange.close());
      const app = createTaxiiApp({
        config,
        store,
        statuses,
        queue,
        lookup,
        authenticate,
        log,
        audit,
        exchange,
        console: consoleServices(redis, keys, config),
        rateLimiter: new RateLimiter(redis, keys, config),
        failedLogins: new FailedLoginThrottle({ maxFailures: opts.authFailuresPerMinute }),
        ...(authenticateRequest === undefined ? {} : { authenticateRequest }),
      });
      app.set('trust proxy', io.env['GATEWAY_TRUST_PROXY'] === '1' ? 1 : false);
      const listener = observabilityListener({ metrics, exposeMetrics: false, readiness, log }, app);
      // Timeouts (headers, request) are checked every second rather than Node's default 30 s: slow clients go sooner.
      // Requests and responses are born with the app's prototypes (src/taxii/server-classes.ts).
      const classes = serverClassesFor(app);
      const server =
        tls === undefined
          ? http.createServer({ connectionsCheckingInterval: 1000, ...classes }, listener)
          : https.createServer({ ...tls.serverOptions, connectionsCheckingInterval: 1000, ...classes }, listener);
      installClientErrorHandler(server);
      server.headersTimeout = 20_000;
      server.requestTimeout = 120_000;
      server.keepAliveTimeout = 5_000;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port, opts.host, () => resolve());
      });
      const addr = server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      url = `${tls === undefined ? 'http' : 'https'}://${host}:${addr.port}`;
      // Stop accepting at the very start of the shutdown (before the worker finishes its job), then wait for
      // the in-flight requests.
      const closed = new Promise<void>((resolve) => stopAccepting.push(() => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }));
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
      const store = new RedisStore(redis, keys);
      const statuses = new StatusStore(redis, keys, config.server.status_ttl_seconds);
      const worker: Worker = startIngestWorker(
        {
          connection,
          prefix: keys.queuePrefix,
          concurrency: opts.concurrency,
          lockDurationMs: opts.lockMs,
          stalledIntervalMs: Math.max(1000, Math.floor(opts.lockMs / 2)),
          onCompleted: (data, s) => log.info({ statusId: data.statusId, collection: data.collectionId, ...s }, 'ingest job complete'),
          onFailed: (statusId, err) => log.warn({ statusId, err: err.message }, 'ingest job failed; BullMQ retries it'),
        },
        { config, store, statuses, prepare: prepareObjects, audit: new RedisAuditLog(redis, keys, config.audit), exchange: new ExchangeRecorder(redis, keys, config, { store }) },
      );
      instrumentWorker(worker, metrics);
      readiness.push({ name: 'worker', check: async () => worker.isRunning() && (await redis.ping()) === 'PONG' });
      if (role === 'worker') {
        const queue = new BullIngestQueue({ connection, prefix: keys.queuePrefix });
        cleanups.push(() => queue.close());
        metrics.watchQueueDepth(() => queue.depth());
      }
      cleanups.push(() => worker.close());
      log.info({ concurrency: opts.concurrency }, 'ingest worker running');
      // Federation (src/federation/): scheduled pulls and pushes, run by the worker processes.
      const fedQueue = new BullIngestQueue({ connection, prefix: keys.queuePrefix });
      const fedRunner = new FederationRunner({
        config,
        redis,
        keys,
        store,
        ingest: { statuses, queue: fedQueue, log },
        env: io.env,
      });
      const federation = await startFederationScheduler({ connection, prefix: keys.queuePrefix, config, runner: fedRunner, log });
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
      cleanups.push(async () => {
        await federation.close();
        await fedQueue.close();
      });
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
    return url === undefined ? { redisUrl, stop: stopAll } : { url, redisUrl, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
