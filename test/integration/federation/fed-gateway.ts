/**
 * A gateway for federation tests: the shared harness (test/helpers/gateway.ts) on a federation config, with
 * a key root and port the test chooses (so a "restart" comes back on the same data at the same URL), plus
 * a FederationRunner built on the same Redis.
 */
import type Redis from 'ioredis';
import type { GatewayConfig } from '../../../src/config/types';
import type { FederationRunner, FederationRunnerDeps } from '../../../src/federation/federation-runner';
import { composeFederationRunner } from '../../../src/main/compose';
import { createKeyBuilder, type KeyBuilder } from '../../../src/store/keys';
import type { RedisStore } from '../../../src/store/redis-store';
import type { StatusStore } from '../../../src/store/status-store';
import type { BullIngestQueue } from '../../../src/ingest/bullmq';
import type { Logger } from '../../../src/common/logger';
import { passwordHashes, startGatewayFromConfig, testConfig } from '../../helpers/gateway';
import { styledIndicator } from '../../helpers/stix-fixtures';

export const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const FED_COLL = {
  outbox: '1a2b3c4d-0000-4000-8000-000000000001',
  inbox: '1a2b3c4d-0000-4000-8000-000000000002',
  pushed: '1a2b3c4d-0000-4000-8000-000000000003',
} as const;

export const FED_IDENT = {
  local: 'identity--1a2b3c4d-0000-4000-8000-0000000000a1',
  partner: 'identity--1a2b3c4d-0000-4000-8000-0000000000a2',
} as const;

/** Test-only password of the `partner` principal each gateway knows (the other side logs in with it). */
export const PARTNER_PASSWORD = 'partner-test-password';

/** A config with three collections: outbox (local writes, partner reads up to AMBER), inbox, pushed (partner writes). */
export async function fedConfigYaml(extra = ''): Promise<string> {
  const h = (await passwordHashes({ partner: PARTNER_PASSWORD }))['partner'];
  return `
server:
  title: Federation test gateway
  default_api_root: api
  max_page_size: 1000
  default_page_size: 100
api_roots:
  - name: api
    title: API
    max_content_length: 50000000
collections:
  - id: ${FED_COLL.outbox}
    api_root: api
    alias: outbox
    title: Outbox
    readers: [{ name: partner, max_tlp: amber }, local]
    writers: [local]
  - id: ${FED_COLL.inbox}
    api_root: api
    alias: inbox
    title: Inbox
    readers: [local]
    writers: [local]
  - id: ${FED_COLL.pushed}
    api_root: api
    alias: pushed
    title: Pushed by the partner
    readers: [local]
    writers: [partner]
principals:
  - name: local
    identity: ${FED_IDENT.local}
    credentials:
      - basic: { hash: "${h}" }
  - name: partner
    identity: ${FED_IDENT.partner}
    credentials:
      - basic: { hash: "${h}" }
${extra}`;
}

export interface FedGateway {
  readonly base: string;
  readonly port: number;
  readonly config: GatewayConfig;
  readonly keys: KeyBuilder;
  readonly redis: Redis;
  readonly store: RedisStore;
  readonly statuses: StatusStore;
  readonly queue: BullIngestQueue;
  /** A runner on this gateway's Redis; `config` adds sources/sinks (loaded from YAML with them appended). */
  runner(config: GatewayConfig, extra?: Pick<FederationRunnerDeps, 'clientFor' | 'afterEnqueue'>): FederationRunner;
  /** Waits until no ingest status of this gateway is pending. */
  settle(statusIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export function loadYaml(text: string): GatewayConfig {
  return testConfig(text, 'fed-test.yaml');
}

export async function startFedGateway(root: string, opts: { port?: number; worker?: boolean } = {}): Promise<FedGateway> {
  const config = loadYaml(await fedConfigYaml());
  const gw = await startGatewayFromConfig(config, {
    passwords: { partner: PARTNER_PASSWORD },
    keys: createKeyBuilder(root),
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.worker === undefined ? {} : { worker: opts.worker }),
  });
  const { redis, keys, store, statuses, queue } = gw;
  return {
    ...gw,
    runner: (cfg, extra = {}) =>
      composeFederationRunner({
        config: cfg,
        redis,
        keys,
        store,
        statuses,
        queue,
        log: silent,
        env: { FED_PW: PARTNER_PASSWORD },
        runner: extra,
      }),
    settle: async (ids) => {
      for (const id of ids) {
        for (let i = 0; ; i++) {
          const s = await statuses.get(id);
          if (s?.resource.status === 'complete') break;
          if (i > 2000) throw new Error(`status ${id} still pending`);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    },
  };
}

const TAXII = 'application/taxii+json;version=2.1';

/** POSTs objects to the gateway's outbox as `local` (the way its users publish) and waits until they are stored. */
export async function publish(gw: FedGateway, objects: Record<string, unknown>[]): Promise<void> {
  const auth = `Basic ${Buffer.from(`local:${PARTNER_PASSWORD}`).toString('base64')}`;
  const res = await fetch(`${gw.base}/api/collections/${FED_COLL.outbox}/objects/`, {
    method: 'POST',
    headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: auth },
    body: JSON.stringify({ objects }),
  });
  expect(res.status).toBe(202);
  const status = (await res.json()) as Record<string, unknown>;
  await gw.settle([String(status['id'])]);
}

/** Every stored record of a collection (all versions), in date_added order. */
export async function allRecords(
  store: RedisStore,
  collectionId: string,
): Promise<{ id: string; version: string; json: Record<string, unknown> }[]> {
  const out: { id: string; version: string; json: Record<string, unknown> }[] = [];
  let after = 0;
  for (;;) {
    const page = await store.read(
      collectionId,
      { after, limit: 1000, types: [], ids: [], versions: { all: true, first: false, last: false, exact: [] } },
      true,
    );
    for (const r of page.records) out.push({ id: r.id, version: r.version, json: JSON.parse(r.json ?? '{}') as Record<string, unknown> });
    const last = page.records[page.records.length - 1];
    if (!page.more || last === undefined) return out;
    after = page.continueAfter ?? last.dateAdded;
  }
}

/** A valid STIX 2.1 indicator with a deterministic id from `n`, produced by `producer`. */
export function fedIndicator(n: number, producer: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return styledIndicator(n, { name: `federated indicator ${n}`, createdBy: producer }, extra);
}
