/**
 * Runs sources and sinks by name: builds the TAXII client (transport, timeouts, credentials), takes the
 * per-endpoint Redis lock (one runner at a time across every worker), runs the pull or push, and records the
 * outcome (last run, last error) in the endpoint's state. Used by the scheduler's worker and by `sync`.
 */
import https from 'node:https';
import path from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import type { GatewayConfig, RemoteCollectionConfig, SinkConfig, SourceConfig } from '../config/types';
import { formatMicros, nowMicros } from '../stix/time';
import type { KeyBuilder } from '../store/keys';
import type { ObjectStore } from '../store/types';
import type { AcceptDeps } from '../ingest/accept';
import { FederationState, type EndpointKind, type EndpointState, type RunSummary } from './federation-state';
import { createHttpTransport } from './http-transport';
import { pullSource } from './pull-source';
import { pushSink } from './push-sink';
import { resolveRemoteAuth } from './remote-auth';
import { withRunLock } from './run-lock';
import { TaxiiClient } from './taxii-client';

/** Largest response accepted from a remote (a page of 10 000 large objects fits). */
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
/** TTL of the run lock; renewed while the run lasts. */
const LOCK_TTL_MS = 60_000;

export type RunResult =
  | { readonly kind: EndpointKind; readonly name: string; readonly ran: false; readonly reason: 'locked' }
  | { readonly kind: EndpointKind; readonly name: string; readonly ran: true; readonly ok: true; readonly summary: RunSummary }
  | { readonly kind: EndpointKind; readonly name: string; readonly ran: true; readonly ok: false; readonly error: string };

export interface FederationRunnerDeps {
  readonly config: GatewayConfig;
  readonly redis: Redis | Cluster;
  readonly keys: KeyBuilder;
  readonly store: ObjectStore;
  readonly ingest: AcceptDeps;
  /** Where secrets named by `*_env` are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Builds the client of a remote (tests inject waits or transports); default: node:http(s) with the config's auth. */
  readonly clientFor?: (remote: RemoteCollectionConfig) => Promise<TaxiiClient>;
  /** Test hook of sources: called after each page's job is enqueued, before the cursor moves. */
  readonly afterEnqueue?: (pageIndex: number) => Promise<void>;
}

/** The default client of a remote: credentials resolved now (env or files), mTLS through an https.Agent. */
export async function createRemoteClient(
  remote: RemoteCollectionConfig,
  env: Readonly<Record<string, string | undefined>>,
  configFile: string,
): Promise<TaxiiClient> {
  const auth = await resolveRemoteAuth(remote.auth, { env, baseDir: path.dirname(path.resolve(configFile)) });
  const httpsAgent = auth.tls === undefined ? undefined : new https.Agent({ keepAlive: true, ...auth.tls });
  const transport = createHttpTransport({
    connectTimeoutMs: remote.connect_timeout_seconds * 1000,
    timeoutMs: remote.timeout_seconds * 1000,
    maxBytes: MAX_RESPONSE_BYTES,
    ...(httpsAgent === undefined ? {} : { httpsAgent }),
  });
  return new TaxiiClient({
    apiRoot: remote.url,
    transport,
    maxRetries: remote.max_retries,
    ...(auth.authorization === undefined ? {} : { authorization: auth.authorization }),
  });
}

export class FederationRunner {
  readonly state: FederationState;

  constructor(private readonly deps: FederationRunnerDeps) {
    this.state = new FederationState(deps.redis, deps.keys);
  }

  source(name: string): SourceConfig | undefined {
    return this.deps.config.sources.find((s) => s.name === name);
  }

  sink(name: string): SinkConfig | undefined {
    return this.deps.config.sinks.find((s) => s.name === name);
  }

  async run(kind: EndpointKind, name: string): Promise<RunResult> {
    const endpoint = kind === 'source' ? this.source(name) : this.sink(name);
    if (endpoint === undefined) return { kind, name, ran: true, ok: false, error: `no ${kind} named "${name}" in the config` };
    const lock = this.deps.keys.federation(kind, name).lock;
    const log = this.deps.ingest.log;
    const outcome = await withRunLock(this.deps.redis, lock, LOCK_TTL_MS, async (): Promise<RunResult> => {
      await this.state.runStarted(kind, name, formatMicros(nowMicros()));
      try {
        const client = await (this.deps.clientFor ?? ((r) => createRemoteClient(r, this.deps.env, this.deps.config.file)))(endpoint);
        const summary =
          kind === 'source'
            ? await pullSource(endpoint as SourceConfig, {
                config: this.deps.config,
                client,
                state: this.state,
                ingest: this.deps.ingest,
                ...(this.deps.afterEnqueue === undefined ? {} : { afterEnqueue: this.deps.afterEnqueue }),
              })
            : await pushSink(endpoint as SinkConfig, { config: this.deps.config, store: this.deps.store, client, state: this.state });
        await this.state.runSucceeded(kind, name, formatMicros(nowMicros()), summary);
        log.info({ [kind]: name, ...summary, statuses: summary.statuses.length }, `federation ${kind} run complete`);
        return { kind, name, ran: true, ok: true, summary };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await this.state.runFailed(kind, name, formatMicros(nowMicros()), message, {
          objects: 0,
          pages: 0,
          statuses: [],
          truncated: false,
        });
        log.warn({ [kind]: name, err: message }, `federation ${kind} run failed`);
        return { kind, name, ran: true, ok: false, error: message };
      }
    });
    return outcome.ran ? outcome.value : { kind, name, ran: false, reason: 'locked' };
  }

  /** The state of every configured source and sink. */
  async states(): Promise<EndpointState[]> {
    const out: EndpointState[] = [];
    for (const s of this.deps.config.sources) out.push(await this.state.state('source', s.name));
    for (const s of this.deps.config.sinks) out.push(await this.state.state('sink', s.name));
    return out;
  }
}
