/**
 * The one composition root: how authentication, the API (served on its listener), the ingest worker, federation
 * and the inquiry deadline worker are built from their parts. The CLI's runtime (src/main/runtime.ts), the test
 * harness (test/helpers/gateway.ts, which every test gateway goes through) and the in-process benchmarks all
 * call these functions, so what they run is what production runs; what differs (a clock, ports, timeouts, a
 * signing key, limits) is an option here. Connections, where credentials and keys come from, and the choice of
 * role stay with the caller; everything built here comes with the `close` that undoes it.
 */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import https from 'node:https';
import type { Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { RedisAuditLog } from '../audit/audit-log';
import { BatchedAuditLog } from '../audit/batched-audit-log';
import { Authenticator } from '../auth/authenticator';
import { resolveCredentials, type ResolveCredentialsOptions } from '../auth/credentials';
import type { FailedLoginThrottle } from '../auth/failed-logins';
import type { AuthOutcome } from '../auth/types';
import type { Logger } from '../common/logger';
import type { GatewayConfig } from '../config/types';
import { FederationRunner, type FederationRunnerDeps } from '../federation/federation-runner';
import { startFederationScheduler } from '../federation/federation-scheduler';
import { createTaxiiApp, sharedHandlers } from '../http/app';
import { leanReads } from '../http/lean-reads';
import type { TaxiiDeps } from '../http/context';
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
import { type DeadlineJob, DeadlineScheduler, startDeadlineWorker } from '../inquiries/deadline-scheduler';
import type { InquiryThread } from '../inquiries/thread';
import { observeInquiryMessage, overdueByAuthority } from '../inquiries/inquiry-metrics';
import { InquiryService, type InquiryEvent, type InquiryServiceDeps } from '../inquiries/inquiry-service';
import { Notifier, type NotifierOptions } from '../inquiries/notifier';
import { InquiryIngestGate } from '../inquiries/ingest-gate';
import { Keyring, type Signer } from '../inquiries/signature';
import { keyringFor } from '../inquiries/signing-key';
import type { GatewayMetrics } from '../observability/metrics';
import { ExchangeRecorder } from '../exchange/exchange-recorder';
import { consoleServices } from './console-services';
import { createRequestAuthenticator, type ResolvedTls } from './tls';
import { RedisImportClock } from '../import-export/first-seen';

/** A BullMQ connection: an ioredis client to share, or options BullMQ connects with. */
export type QueueConnection = WorkerSettings['connection'];

/** How requests authenticate: the Authorization header, and the whole request when client certificates count. */
export interface Authentication {
  readonly authenticate: (authorization: string | undefined) => Promise<AuthOutcome>;
  /** Whole-request authentication (mutual TLS); absent = the Authorization header alone. */
  readonly authenticateRequest?: (req: Request) => Promise<AuthOutcome>;
}

/**
 * Resolves the config's credentials (`credentials` says where generated ones are kept and announced) and builds
 * the authenticator; with `clientCerts` (TLS asking for client certificates) a certificate names the principal too.
 */
export async function composeAuthentication(
  config: GatewayConfig,
  credentials: ResolveCredentialsOptions,
  clientCerts?: Pick<ResolvedTls, 'mode' | 'requirePasswordToo'>,
): Promise<Authentication> {
  const authenticator = new Authenticator(await resolveCredentials(config, credentials));
  const authenticate = (a: string | undefined): Promise<AuthOutcome> => authenticator.authenticate(a);
  if (clientCerts === undefined || clientCerts.mode === 'none') return { authenticate };
  const byRequest = createRequestAuthenticator(
    { mode: clientCerts.mode, requirePasswordToo: clientCerts.requirePasswordToo, principals: config.principals },
    authenticate,
  );
  return { authenticate, authenticateRequest: byRequest };
}

/** This gateway's inquiry signing key and the keyring of every authority's public key. */
export type InquiryKeys = Pick<InquiryParts, 'signer' | 'keyring'>;

/**
 * The inquiry keys, from this gateway's signer (`signer` is asked only when the config declares an inquiry
 * channel) and the partner keys the config names; undefined without channels.
 */
export async function composeInquiryKeys(config: GatewayConfig, signer: () => Promise<Signer>): Promise<InquiryKeys | undefined> {
  if (config.inquiries.channels.length === 0) return undefined;
  const own = await signer();
  return { signer: own, keyring: await keyringFor(config, own.publicKey) };
}

/** What the API is built from. */
export interface ApiParts extends Authentication {
  readonly config: GatewayConfig;
  /** The API's own Redis connection (fail-fast in production, so requests get 503 while Redis is away). */
  readonly redis: Redis | Cluster;
  readonly connection: QueueConnection;
  readonly keys: KeyBuilder;
  readonly log: Logger;
  /** Rejected credentials per source address before 429; absent = not throttled. */
  readonly failedLogins?: FailedLoginThrottle;
  /** How often the batched audit trail is written (ms); absent = its default. */
  readonly auditFlushMs?: number;
  /** Formal inquiries (served when the config declares channels): this gateway's key and the keyring. */
  readonly inquiries?: InquiryParts;
}

/** What the inquiry use cases are built from, beyond the config and the store. */
export interface InquiryParts {
  readonly signer: Signer;
  readonly keyring: Keyring;
  /** Receives the time-to-acknowledge and time-to-answer observations. */
  readonly metrics?: GatewayMetrics;
  /** Test hooks: the clock, and a callback after each recorded message (after scheduling). */
  readonly now?: InquiryServiceDeps['now'];
  readonly onMessage?: InquiryServiceDeps['onMessage'];
}

/** The API's express app and the stores behind it. */
export interface ComposedApi {
  readonly app: ReturnType<typeof createTaxiiApp>;
  /** The request listener: the collection reads taken before express (src/http/lean-reads.ts), the rest by `app`. */
  readonly listener: http.RequestListener;
  readonly store: RedisStore;
  readonly statuses: StatusStore;
  readonly queue: BullIngestQueue;
  readonly lookup: LookupIndex;
  readonly audit: BatchedAuditLog;
  /** The inquiry use cases, when the config declares channels and inquiry parts were given. */
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
  // The exchange counters of the reads and the operator console under /console/ (src/http/console/).
  const exchange = new ExchangeRecorder(p.redis, p.keys, p.config);
  const inquiries = composeInquiries(p, store, exchange);
  const deps: TaxiiDeps = {
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
    importClock: new RedisImportClock(p.redis, p.keys),
    rateLimiter: new RateLimiter(p.redis, p.keys, p.config),
    ...(p.failedLogins === undefined ? {} : { failedLogins: p.failedLogins }),
    ...(p.authenticateRequest === undefined ? {} : { authenticateRequest: p.authenticateRequest }),
    ...(inquiries === undefined ? {} : { inquiries: inquiries.service }),
  };
  const shared = sharedHandlers(deps);
  const app = createTaxiiApp(deps, shared);
  return {
    app,
    listener: leanReads(app, shared),
    store,
    statuses,
    queue,
    lookup,
    audit,
    ...(inquiries === undefined ? {} : { inquiries: inquiries.service }),
    exchange,
    close: async () => {
      await audit.close();
      await exchange.close();
      await queue.close();
      await inquiries?.scheduler.close();
    },
  };
}

/** The inquiry use cases of the API: each recorded message is measured and schedules its deadline jobs. */
function composeInquiries(
  p: ApiParts,
  store: RedisStore,
  exchange: ExchangeRecorder,
): { service: InquiryService; scheduler: DeadlineScheduler } | undefined {
  const parts = p.inquiries;
  if (parts === undefined || p.config.inquiries.channels.length === 0) return undefined;
  const scheduler = new DeadlineScheduler({
    connection: p.connection,
    prefix: p.keys.queuePrefix,
    config: p.config,
    ...(parts.now === undefined ? {} : { now: parts.now }),
  });
  const service = new InquiryService({
    config: p.config,
    store,
    redis: p.redis,
    keys: p.keys,
    signer: parts.signer,
    keyring: parts.keyring,
    ...(parts.now === undefined ? {} : { now: parts.now }),
    onMessage: (e) => {
      if (parts.metrics !== undefined) observeInquiryMessage(parts.metrics, e);
      countInquiryEvent(exchange, p.config, e);
      scheduler.schedule(e.collection, e.thread).catch((err: unknown) => {
        p.log.error(
          { err: err instanceof Error ? err.message : String(err), inquiry: e.inquiryId },
          'inquiry deadlines not scheduled; workers reconcile at start',
        );
      });
      parts.onMessage?.(e);
    },
  });
  return { service, scheduler };
}

/**
 * The exchange report's inquiry figures: an inquiry opened (counted for the asking authority), and an
 * acknowledgement or answer made before its deadline (counted for the asked authority).
 */
function countInquiryEvent(exchange: ExchangeRecorder, config: GatewayConfig, e: InquiryEvent): void {
  const nameOf = (identity: string): string => config.principals.find((x) => x.identity === identity)?.name ?? identity;
  const t = e.thread;
  if (e.action === 'open') exchange.inquiry(e.collection, nameOf(t.head.asking), 'opened');
  else if (e.action === 'acknowledge' && t.acknowledgedAt !== undefined && t.acknowledgedAt <= t.acknowledgeBy) {
    exchange.inquiry(e.collection, nameOf(t.head.asked), 'acked_in_time');
  } else if (e.action === 'answer' && t.answeredAt !== undefined && t.answeredAt <= t.answerBy) {
    exchange.inquiry(e.collection, nameOf(t.head.asked), 'answered_in_time');
  }
}

/**
 * The deadline worker's hook for the exchange report: an escalation runs at a deadline that still stands, so the
 * inquiry is overdue (counted once per inquiry and deadline, for the asked authority). Reminders and messages are not.
 */
export function countOverdue(
  exchange: ExchangeRecorder,
  config: GatewayConfig,
): (
  job: Pick<DeadlineJob, 'kind' | 'deadline' | 'collection' | 'inquiryId'>,
  t: { readonly head: Pick<InquiryThread['head'], 'asked'> },
) => Promise<void> {
  return async (job, t) => {
    if (job.kind !== 'escalation' || job.deadline === undefined) return;
    const asked = config.principals.find((x) => x.identity === t.head.asked)?.name ?? t.head.asked;
    await exchange.overdue(job.collection, job.inquiryId, job.deadline, asked);
  };
}

/** What the inquiry deadline worker is built from (worker processes). */
export interface InquiryWorkerParts {
  readonly config: GatewayConfig;
  readonly redis: Redis | Cluster;
  readonly connection: QueueConnection;
  readonly keys: KeyBuilder;
  readonly store: RedisStore;
  readonly signer: Signer;
  readonly keyring: Keyring;
  readonly log: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly metrics?: GatewayMetrics;
  /** Test settings of the notifier (webhook backoff, claim lease). */
  readonly notifier?: Pick<NotifierOptions, 'webhookAttempts' | 'webhookBackoffMs' | 'claimLeaseMs'>;
  /** How often the stored threads are reconciled with the schedule (ms; default 30 s). */
  readonly reconcileEveryMs?: number;
  /** Deadline job lock (ms; a dead worker's job runs again after it); default BullMQ's 30 s. */
  readonly lockMs?: number;
}

export interface ComposedInquiryWorker {
  readonly service: InquiryService;
  readonly scheduler: DeadlineScheduler;
  readonly notifier: Notifier;
  readonly worker: Worker;
  close(): Promise<void>;
}

/**
 * The deadline worker: runs reminder, escalation and message jobs, and schedules at start whatever the stored
 * threads still need (jobs lost with a Redis that lost data, threads that arrived from a partner).
 */
export async function composeInquiryWorker(p: InquiryWorkerParts): Promise<ComposedInquiryWorker> {
  const service = new InquiryService({
    config: p.config,
    store: p.store,
    redis: p.redis,
    keys: p.keys,
    signer: p.signer,
    keyring: p.keyring,
  });
  const notifier = new Notifier({ config: p.config, redis: p.redis, keys: p.keys, env: p.env, log: p.log, ...(p.notifier ?? {}) });
  const exchange = new ExchangeRecorder(p.redis, p.keys, p.config);
  const onDue = countOverdue(exchange, p.config);
  const worker = startDeadlineWorker({
    connection: p.connection,
    prefix: p.keys.queuePrefix,
    service,
    notifier,
    onDue,
    ...(p.lockMs === undefined ? {} : { lockMs: p.lockMs }),
  });
  const scheduler = new DeadlineScheduler({ connection: p.connection, prefix: p.keys.queuePrefix, config: p.config });
  const scheduled = await scheduler.reconcile(service);
  // The outbox: deliveries a dead worker left `sending` are finished (resent with the same Message-ID).
  const resent = await notifier.reconcile();
  p.log.info({ inquiries: scheduled, resent: resent.length }, 'inquiry deadlines and deliveries reconciled');
  // Threads also arrive without a local message (pulled from a partner gateway): reconcile them regularly.
  // Idempotent (deterministic job ids), so several workers doing it is harmless.
  const timer = setInterval(() => {
    Promise.all([scheduler.reconcile(service), notifier.reconcile()]).catch((err: unknown) => {
      p.log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'inquiry deadline reconciliation failed; retried at the next interval',
      );
    });
  }, p.reconcileEveryMs ?? 30_000);
  timer.unref();
  p.metrics?.watchInquiries(() => overdueByAuthority(service, Date.now()));
  return {
    service,
    scheduler,
    notifier,
    worker,
    close: async () => {
      clearInterval(timer);
      await worker.close();
      await scheduler.close();
      await notifier.close();
      await exchange.close();
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

/** How the API is served: where and with which timeouts, and what stands in front of the app. */
export interface ServeOptions extends ListenOptions {
  /** The request listener around the API's own (health and metrics routes); default the API's listener itself. */
  readonly listener?: (inner: http.RequestListener) => http.RequestListener;
  /** Take the client address from X-Forwarded-For set by one proxy hop (express 'trust proxy'); default false. */
  readonly trustProxy?: boolean;
}

/** The API listening: its parts, the server and the base URL it answers on. */
export interface ServedApi {
  readonly api: ComposedApi;
  readonly server: Server;
  /** `http(s)://host:port`, the host in brackets when it is IPv6. */
  readonly url: string;
  readonly port: number;
  /**
   * Stops accepting connections and closes the idle ones (every one with `force`: the in-flight requests are
   * cut); resolves once the server has closed. Repeated calls share the first one's closing.
   */
  stopAccepting(o?: { readonly force?: boolean }): Promise<void>;
  /** stopAccepting, then closes the API's parts (pending audit entries written, queue closed). */
  close(o?: { readonly force?: boolean }): Promise<void>;
}

/** Builds the API (composeApi) and starts its listener; when listening fails, what was built is closed again. */
export async function serveApi(p: ApiParts, o: ServeOptions): Promise<ServedApi> {
  const api = composeApi(p);
  const app = api.app;
  app.set('trust proxy', o.trustProxy === true ? 1 : false);
  let server: Server;
  try {
    server = await listen(o.listener === undefined ? api.listener : o.listener(api.listener), app, o);
  } catch (err) {
    await api.close();
    throw err;
  }
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closing: Promise<void> | undefined;
  const stopAccepting = (c: { readonly force?: boolean } = {}): Promise<void> => {
    if (c.force === true) server.closeAllConnections();
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    return closing;
  };
  return {
    api,
    server,
    url: `${o.tls === undefined ? 'http' : 'https'}://${host}:${addr.port}`,
    port: addr.port,
    stopAccepting,
    close: async (c) => {
      await stopAccepting(c);
      await api.close();
    },
  };
}

/** What the ingest worker is built from. */
export interface WorkerParts {
  readonly config: GatewayConfig;
  /** The worker's own Redis connection (waits while Redis is away). */
  readonly redis: Redis | Cluster;
  readonly keys: KeyBuilder;
  readonly options: Omit<WorkerSettings, 'prefix'>;
  /** Where each job's completion (info) and failure (warn) is logged, unless `options` has its own hooks. */
  readonly log?: Logger;
  /**
   * The inquiry keyring (this gateway's and the partner's keys): what is pulled into an inquiry collection is
   * stored only when it verifies and continues a thread. Without it every signed inquiry object is refused.
   */
  readonly inquiryKeyring?: Keyring;
}

export interface ComposedWorker {
  readonly worker: Worker;
  readonly store: RedisStore;
  readonly statuses: StatusStore;
  /** Jobs waiting in the ingest queue (for the metrics of a worker process that serves no API). */
  queueDepth(): Promise<number>;
  /** Lets the current job finish (or hands it back) and stops taking new ones. */
  close(): Promise<void>;
}

export function composeWorker(p: WorkerParts): ComposedWorker {
  const store = new RedisStore(p.redis, p.keys);
  const statuses = new StatusStore(p.redis, p.keys, p.config.server.status_ttl_seconds);
  const log = p.log;
  const worker = startIngestWorker(
    {
      ...(log === undefined
        ? {}
        : {
            onCompleted: (data, s) => log.info({ statusId: data.statusId, collection: data.collectionId, ...s }, 'ingest job complete'),
            onFailed: (statusId, err) => log.warn({ statusId, err: err.message }, 'ingest job failed; BullMQ retries it'),
          }),
      ...p.options,
      prefix: p.keys.queuePrefix,
    },
    {
      config: p.config,
      store,
      statuses,
      prepare: prepareObjects,
      audit: new RedisAuditLog(p.redis, p.keys, p.config.audit),
      exchange: new ExchangeRecorder(p.redis, p.keys, p.config, { store }),
      ...(p.config.inquiries.channels.length === 0
        ? {}
        : { gate: new InquiryIngestGate({ config: p.config, store, keyring: p.inquiryKeyring ?? new Keyring([]) }) }),
    },
  );
  // The queue is opened only when its depth is asked for.
  let queue: BullIngestQueue | undefined;
  return {
    worker,
    store,
    statuses,
    queueDepth: () => (queue ??= new BullIngestQueue({ connection: p.options.connection, prefix: p.keys.queuePrefix })).depth(),
    close: async () => {
      await worker.close();
      await queue?.close();
    },
  };
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

/** Federation run by hand (the `sync` command): the runner on its own store, status store and ingest queue. */
export function composeManualFederation(p: Omit<FederationParts, 'store' | 'statuses'>): ComposedFederation {
  const queue = new BullIngestQueue({ connection: p.connection, prefix: p.keys.queuePrefix });
  const runner = composeFederationRunner({
    ...p,
    store: new RedisStore(p.redis, p.keys),
    statuses: new StatusStore(p.redis, p.keys, p.config.server.status_ttl_seconds),
    queue,
  });
  return { runner, close: () => queue.close() };
}

/** The runner and its BullMQ schedule (run by worker processes). */
export async function composeFederation(p: FederationParts): Promise<ComposedFederation> {
  const queue = new BullIngestQueue({ connection: p.connection, prefix: p.keys.queuePrefix });
  const runner = composeFederationRunner({ ...p, queue });
  const schedule = await startFederationScheduler({
    connection: p.connection,
    prefix: p.keys.queuePrefix,
    config: p.config,
    runner,
    log: p.log,
  });
  return {
    runner,
    close: async () => {
      await schedule.close();
      await queue.close();
    },
  };
}
