/**
 * An in-process gateway for the trust tests (policy, audit, TLS, rate limits, fuzz): like
 * test/helpers/gateway.ts, but with a config that carries clearances and write rules, the audit trail and the
 * rate limiter wired in, optional HTTPS, and every log line captured. Not a test file itself.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import type Redis from 'ioredis';
import { RedisAuditLog } from '../../src/audit/audit-log';
import { Authenticator } from '../../src/auth/authenticator';
import { buildCredentialIndex } from '../../src/auth/credentials';
import { hashSecret, parseSecretHash } from '../../src/auth/secret-hash';
import { loadConfigText } from '../../src/config/load-config';
import type { GatewayConfig } from '../../src/config/types';
import { BullIngestQueue, startIngestWorker } from '../../src/ingest/bullmq';
import { createRequestAuthenticator, type ClientCertMode } from '../../src/main/tls';
import { prepareObjects } from '../../src/stix/prepare';
import type { KeyBuilder } from '../../src/store/keys';
import { LookupIndex } from '../../src/store/lookup-index';
import { RedisStore } from '../../src/store/redis-store';
import { StatusStore } from '../../src/store/status-store';
import { createTaxiiApp } from '../../src/taxii/app';
import type { Logger } from '../../src/taxii/context';
import { RateLimiter } from '../../src/taxii/rate-limit';
import { connectTestRedis, isolatedKeys, testRedisUrl } from '../helpers/redis';

export const TAXII = 'application/taxii+json;version=2.1';

export const C = {
  us: '7b6a2876-79b0-4950-ab05-df1f09fd258b',
  ru: '8f292b94-eae6-426b-8b34-71567f20a928',
  joint: 'a91f964f-82f9-4504-810c-d8b1a5cb5894',
} as const;

export const ID = {
  us: 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc',
  ru: 'identity--5fa622d4-ac12-43f4-8db1-26837bd2b361',
  op: 'identity--9276fe0f-dfde-4ed0-9464-9d07e8442af0',
} as const;

export const PASSWORDS: Readonly<Record<string, string>> = {
  'us-cert': 'us-trust-password-7f3a',
  'ru-cert': 'ru-trust-password-91c2',
  operator: 'op-trust-password-55e0',
};

/**
 * us-cert owns `us` (ru-cert reads it up to AMBER) and may read `ru` without a cap; the joint collection
 * refuses anything above AMBER and requires created_by_ref to be the writer; ru-cert is capped at AMBER+STRICT
 * globally. `extra` is appended to the server section (rate_limit, tls, ...).
 */
export function trustYaml(h: Readonly<Record<string, string>>, o: { serverExtra?: string; principalExtra?: Record<string, string> } = {}): string {
  const extra = (name: string): string => o.principalExtra?.[name] ?? '';
  return `
server:
  title: Trust test gateway
  default_api_root: exchange
  max_page_size: 50
  default_page_size: 20
${o.serverExtra ?? ''}
api_roots:
  - name: exchange
    title: Exchange
    max_content_length: 2000000
collections:
  - id: ${C.us}
    api_root: exchange
    alias: us
    title: US-CERT indicators
    cert: ${ID.us}
    readers: [us-cert, { name: ru-cert, max_tlp: amber }]
    writers: [us-cert]
  - id: ${C.ru}
    api_root: exchange
    alias: ru
    title: RU-CERT indicators
    readers: [us-cert, ru-cert]
    writers: [ru-cert]
    default_tlp: green
  - id: ${C.joint}
    api_root: exchange
    alias: joint
    title: Joint
    readers: [us-cert, { name: ru-cert, max_tlp: green }]
    writers: [us-cert, ru-cert]
    max_tlp_accepted: amber
    require_own_identity: true
principals:
  - name: us-cert
    identity: ${ID.us}
    credentials:
      - basic: { hash: "${h['us-cert'] ?? ''}" }
${extra('us-cert')}
  - name: ru-cert
    identity: ${ID.ru}
    max_tlp: amber+strict
    credentials:
      - basic: { hash: "${h['ru-cert'] ?? ''}" }
${extra('ru-cert')}
  - name: operator
    identity: ${ID.op}
    admin: true
    credentials:
      - basic: { hash: "${h['operator'] ?? ''}" }
${extra('operator')}
audit:
  max_age_days: 30
  max_entries: 10000
`;
}

let cachedHashes: Record<string, string> | undefined;

export async function trustHashes(): Promise<Record<string, string>> {
  if (!cachedHashes) {
    const out: Record<string, string> = {};
    for (const [name, pw] of Object.entries(PASSWORDS)) out[name] = await hashSecret(pw);
    cachedHashes = out;
  }
  return cachedHashes;
}

export interface TrustGatewayOptions {
  readonly serverExtra?: string;
  readonly principalExtra?: Record<string, string>;
  /** HTTPS options; the server is plain HTTP without them. */
  readonly tls?: { readonly options: https.ServerOptions; readonly mode: ClientCertMode; readonly requirePasswordToo: boolean };
  readonly worker?: boolean;
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  json(): Record<string, unknown>;
}

export interface TrustGateway {
  readonly base: string;
  readonly port: number;
  readonly config: GatewayConfig;
  readonly keys: KeyBuilder;
  readonly redis: Redis;
  readonly audit: RedisAuditLog;
  /** Every log line written (JSON of the object and message). */
  readonly logs: string[];
  request(method: string, path: string, o?: { user?: string | null; headers?: Record<string, string>; body?: string | Buffer }): Promise<Answer>;
  post(collection: string, objects: unknown[], user: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export function basicAuth(user: string, password = PASSWORDS[user] ?? ''): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export async function startTrustGateway(opts: TrustGatewayOptions = {}): Promise<TrustGateway> {
  const h = await trustHashes();
  const loaded = loadConfigText(trustYaml(h, opts), 'trust.yaml');
  if (!loaded.config) throw new Error(`trust config invalid: ${JSON.stringify(loaded.issues)}`);
  const config = loaded.config;
  const keys = isolatedKeys();
  const redis = connectTestRedis();
  const store = new RedisStore(redis, keys);
  const statuses = new StatusStore(redis, keys, config.server.status_ttl_seconds);
  const connection = { url: testRedisUrl(), maxRetriesPerRequest: null };
  const queue = new BullIngestQueue({ connection, prefix: keys.queuePrefix });
  const index = buildCredentialIndex(
    config.principals.map((p) => ({
      principal: { name: p.name, identity: p.identity, admin: p.admin },
      kind: 'basic' as const,
      hash: parseSecretHash(h[p.name] ?? ''),
    })),
  );
  const auth = new Authenticator(index);
  const lookup = new LookupIndex(redis, keys);
  const audit = new RedisAuditLog(redis, keys, config.audit);
  const logs: string[] = [];
  const capture = (obj: Record<string, unknown>, msg?: string): void => void logs.push(`${JSON.stringify(obj)} ${msg ?? ''}`);
  const log: Logger = { info: capture, warn: capture, error: capture };
  const authenticate = (a: string | undefined): ReturnType<Authenticator['authenticate']> => auth.authenticate(a);
  const tls = opts.tls;
  const app = createTaxiiApp({
    config,
    store,
    statuses,
    queue,
    lookup,
    authenticate,
    log,
    audit,
    rateLimiter: new RateLimiter(redis, keys, config),
    ...(tls === undefined || tls.mode === 'none'
      ? {}
      : { authenticateRequest: createRequestAuthenticator({ mode: tls.mode, requirePasswordToo: tls.requirePasswordToo, principals: config.principals }, authenticate) }),
  });
  // Check header/request timeouts every 250 ms (Node's default is 30 s) so slow-client tests end quickly.
  const server = tls === undefined ? http.createServer({ connectionsCheckingInterval: 250 }, app) : https.createServer({ ...tls.options, connectionsCheckingInterval: 250 }, app);
  server.headersTimeout = opts.headersTimeoutMs ?? 5_000;
  server.requestTimeout = opts.requestTimeoutMs ?? 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const base = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;
  let worker: Worker | undefined;
  if (opts.worker !== false) {
    worker = startIngestWorker({ connection, prefix: keys.queuePrefix, concurrency: 2 }, { config, store, statuses, lookup, prepare: prepareObjects, audit });
  }
  const request: TrustGateway['request'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { Accept: TAXII, ...o.headers };
    const user = o.user === undefined ? 'us-cert' : o.user;
    if (user !== null && headers['Authorization'] === undefined) headers['Authorization'] = basicAuth(user);
    if (o.body !== undefined && headers['Content-Type'] === undefined) headers['Content-Type'] = TAXII;
    const res = await fetch(base + path, { method, headers, body: o.body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };
  const post: TrustGateway['post'] = async (collection, objects, user) => {
    const r = await request('POST', `/exchange/collections/${collection}/objects/`, { user, body: JSON.stringify({ objects }) });
    if (r.status !== 202) throw new Error(`POST answered ${r.status}: ${r.text}`);
    const id = String(r.json()['id']);
    for (let i = 0; i < 400; i++) {
      const s = (await request('GET', `/exchange/status/${id}/`, { user })).json();
      if (s['status'] === 'complete') return s;
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error(`status ${id} did not complete`);
  };
  return {
    base,
    port,
    config,
    keys,
    redis,
    audit,
    logs,
    request,
    post,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (worker) await worker.close();
      await queue.close();
      await redis.quit();
    },
  };
}

/** TLP 2.0 marking ids by level. */
export const TLP = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  amberStrict: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
  white1: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  red1: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
} as const;

/** A valid indicator with a deterministic id from `n`. */
export function ind(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    name: `trust indicator ${n}`,
    pattern: `[ipv4-addr:value = '10.77.${(n >> 8) & 255}.${n & 255}']`,
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
    ...extra,
  };
}
