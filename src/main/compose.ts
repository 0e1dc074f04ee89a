/**
 * The one composition root: how the API, the ingest worker and federation are built from their parts. The
 * CLI's runtime (src/main/runtime.ts), the test harness (test/helpers/gateway.ts) and the benchmarks all call
 * these functions, so what they run is what production runs. Connections, credentials, TLS and the choice of
 * role stay with the caller; everything built here comes with the `close` that undoes it.
 */
import http, { type Server } from 'node:http';
import https from 'node:https';
import type { Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { RedisAuditLog } from '../audit/audit-log';
import { BatchedAuditLog } from '../audit/batched-audit-log';
import type { FailedLoginThrottle } from '../auth/failed-logins';
import type { AuthOutcome } from '../auth/types';
import type { Logger } from '../common/logger';
import type { GatewayConfig } from '../config/types';
import { FederationRunner, type FederationRunnerDeps } from '../federation/federation-runner';
import { startFederationScheduler } from '../federation/federation-scheduler';
import { createTaxiiApp } from '../http/app';
import { installClientErrorHandler } from '../http/client-error';
import { RateLimiter } from '../http/rate-limit';
import { serverClassesFor } from '../http/server-classes';
import { BullIngestQueue, startIngestWorker, type WorkerSettings } from '../ingest/bullmq';
import { prepareObjects } from '../stix/prepare';
import type { KeyBuilder } from '../store/keys';
import { LookupIndex } from '../store/lookup-index';
import { RedisStore } from '../store/redis-store';
import { StatusStore } from '../store/status-store';
import type { Request } from 'express';
import type { InquiryService } from '../inquiries/inquiry-service';
import { ExchangeRecorder } from '../exchange/exchange-recorder';
import { consoleServices } from './console-services';

/** A BullMQ connection: an ioredis client to share, or options BullMQ connects with. */
export type QueueConnection = WorkerSettings['connection'];

/** What the API is built from. */
export interface ApiParts {
  readonly config: GatewayConfig;
  /** The API's own Redis connection (fail-fast in production, so requests get 503 while Redis is away). */
  readonly redis: Redis | Cluster;
  readonly connection: QueueConnection;
  readonly keys: KeyBuilder;
  readonly log: Logger;
  readonly authenticate: (authorization: string | undefined) => Promise<AuthOutcome>;
  /** Whole-request authentication (mutual TLS); absent = the Authorization header alone. */
  readonly authenticateRequest?: (req: Request) => Promise<AuthOutcome>;
  readonly failedLogins?: FailedLoginThrottle;
  /** How often the batched audit trail is written (ms); absent = its default. */
  readonly auditFlushMs?: number;
  /** Builds the inquiry use cases on the API's store (absent, or undefined returned: no inquiry channels). */
  readonly inquiries?: (store: RedisStore) => InquiryService | undefined;
}

/** The API's express app and the stores behind it. */
export interface ComposedApi {
  readonly app: ReturnType<typeof createTaxiiApp>;
  readonly store: RedisStore;
  readonly statuses: StatusStore;
  readonly queue: BullIngestQueue;
  readonly lookup: LookupIndex;
  readonly audit: BatchedAuditLog;
  readonly inquiries?: InquiryService;
  /** The exchange counters of the reads (src/exchange/); flush() writes what is gathered. */
  readonly exchange: ExchangeRecorder;
  /** Writes the pending audit entries and closes the queue (the Redis connection is the caller's). */
  close(): Promise<void>;
}

export function composeApi(p: ApiParts): ComposedApi {
  const store = new RedisStore(p.redis, p.keys);
  const statuses = new StatusStore(p.redis, p.keys, p.config.server.status_ttl_seconds);
  const queue = new BullIngestQueue({ connection: p.connection, prefix: p.keys.queuePrefix });
  const lookup = new LookupIndex(p.redis, p.keys);
  const audit = new BatchedAuditLog(
    new RedisAuditLog(p.redis, p.keys, p.config.audit),
    p.auditFlushMs === undefined ? {} : { intervalMs: p.auditFlushMs },
  );
  const inquiries = p.inquiries?.(store);
  // The exchange counters of the reads and the operator console under /console/ (src/http/console/).
  const exchange = new ExchangeRecorder(p.redis, p.keys, p.config);
  const app = createTaxiiApp({
    config: p.config,
    store,
    statuses,
    queue,
    lookup,
    authenticate: p.authenticate,
    log: p.log,
    audit,
    exchange,
    console: consoleServices(p.redis, p.keys, p.config),
    rateLimiter: new RateLimiter(p.redis, p.keys, p.config),
    ...(p.failedLogins === undefined ? {} : { failedLogins: p.failedLogins }),
    ...(p.authenticateRequest === undefined ? {} : { authenticateRequest: p.authenticateRequest }),
    ...(inquiries === undefined ? {} : { inquiries }),
  });
  return {
    app,
    store,
    statuses,
    queue,
    lookup,
    audit,
    ...(inquiries === undefined ? {} : { inquiries }),
    exchange,
    close: async () => {
      await audit.close();
      await exchange.close();
      await queue.close();
    },
  };
}

/** How the HTTP(S) server in front of the app behaves. */
export interface ListenOptions {
  readonly port: number;
  readonly host: string;
  /** HTTPS server options; absent = plain HTTP. */
  readonly tls?: https.ServerOptions;
  /** How often header and request timeouts are checked (ms). */
  readonly checkIntervalMs: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs?: number;
}

/**
 * Starts the node:http(s) server for a request listener; requests and responses are born with the express
 * app's prototypes (src/http/server-classes.ts). Resolves once listening.
 */
export async function listen(listener: http.RequestListener, app: object, o: ListenOptions): Promise<Server> {
  const classes = serverClassesFor(app);
  const server: Server =
    o.tls === undefined
      ? http.createServer({ connectionsCheckingInterval: o.checkIntervalMs, ...classes }, listener)
      : https.createServer({ ...o.tls, connectionsCheckingInterval: o.checkIntervalMs, ...classes }, listener);
  installClientErrorHandler(server);
  server.headersTimeout = o.headersTimeoutMs;
  server.requestTimeout = o.requestTimeoutMs;
  if (o.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = o.keepAliveTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** What the ingest worker is built from. */
export interface WorkerParts {
  readonly config: GatewayConfig;
  /** The worker's own Redis connection (waits while Redis is away). */
  readonly redis: Redis | Cluster;
  readonly keys: KeyBuilder;
  readonly options: Omit<WorkerSettings, 'prefix'>;
}

export interface ComposedWorker {
  readonly worker: Worker;
  readonly store: RedisStore;
  readonly statuses: StatusStore;
  /** Lets the current job finish (or hands it back) and stops taking new ones. */
  close(): Promise<void>;
}

export function composeWorker(p: WorkerParts): ComposedWorker {
  const store = new RedisStore(p.redis, p.keys);
  const statuses = new StatusStore(p.redis, p.keys, p.config.server.status_ttl_seconds);
  const worker = startIngestWorker(
    { ...p.options, prefix: p.keys.queuePrefix },
    {
      config: p.config,
      store,
      statuses,
      prepare: prepareObjects,
      audit: new RedisAuditLog(p.redis, p.keys, p.config.audit),
      exchange: new ExchangeRecorder(p.redis, p.keys, p.config, { store }),
    },
  );
  return { worker, store, statuses, close: () => worker.close() };
}

/** What federation (scheduled pulls and pushes) is built from. */
export interface FederationParts {
  readonly config: GatewayConfig;
  readonly redis: Redis | Cluster;
  readonly connection: QueueConnection;
  readonly keys: KeyBuilder;
  readonly store: RedisStore;
  readonly statuses: StatusStore;
  readonly log: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Test hooks of the runner (remote clients, a pause after each page). */
  readonly runner?: Pick<FederationRunnerDeps, 'clientFor' | 'afterEnqueue'>;
}

export interface ComposedFederation {
  readonly runner: FederationRunner;
  close(): Promise<void>;
}

/** The runner alone (no schedule): what tests and `sync` drive by hand. */
export function composeFederationRunner(p: Omit<FederationParts, 'connection'> & { readonly queue: BullIngestQueue }): FederationRunner {
  return new FederationRunner({
    config: p.config,
    redis: p.redis,
    keys: p.keys,
    store: p.store,
    ingest: { statuses: p.statuses, queue: p.queue, log: p.log },
    env: p.env,
    ...(p.runner ?? {}),
  });
}

/** The runner and its BullMQ schedule (run by worker processes). */
export async function composeFederation(p: FederationParts): Promise<ComposedFederation> {
  const queue = new BullIngestQueue({ connection: p.connection, prefix: p.keys.queuePrefix });
  const runner = composeFederationRunner({ ...p, queue });
  const schedule = await startFederationScheduler({ connection: p.connection, prefix: p.keys.queuePrefix, config: p.config, runner, log: p.log });
  return {
    runner,
    close: async () => {
      await schedule.close();
      await queue.close();
    },
  };
}
