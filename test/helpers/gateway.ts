/**
 * An in-process gateway for API tests: the real config loader, credentials, express app on port 0, BullMQ
 * queue and worker, all on the test run's Redis under a fresh key prefix. Every test gateway (trust, inquiry,
 * federation, console, adversary harnesses) starts here; the parts are wired by src/main/compose.ts, and this
 * file adds only test plumbing (a test config, captured logs, a request helper, forced teardown).
 */
import type https from 'node:https';
import os from 'node:os';
import type Redis from 'ioredis';
import type { BatchedAuditLog } from '../../src/audit/batched-audit-log';
import { hashSecret } from '../../src/common/secret-hash';
import { loadConfigText } from '../../src/config/load-config';
import type { GatewayConfig } from '../../src/config/types';
import type { BullIngestQueue } from '../../src/ingest/bullmq';
import {
  composeAuthentication,
  composeInquiryKeys,
  composeWorker,
  serveApi,
  type ComposedApi,
  type InquiryParts,
} from '../../src/main/compose';
import type { ClientCertMode } from '../../src/main/tls';
import type { RedisStore } from '../../src/store/redis-store';
import type { StatusStore } from '../../src/store/status-store';
import type { KeyBuilder } from '../../src/store/keys';
import type { FailedLoginThrottle } from '../../src/auth/failed-logins';
import type { Logger } from '../../src/common/logger';
import { connectTestRedis, isolatedKeys, testRedisUrl } from './redis';
import { styledIndicator } from './stix-fixtures';
import { generateKeyPairSync } from 'node:crypto';
import type { InquiryService } from '../../src/inquiries/inquiry-service';
import { type Signer, signerFor } from '../../src/inquiries/signature';
import type { ExchangeRecorder } from '../../src/exchange/exchange-recorder';

export const COLL = {
  us: '7b6a2876-79b0-4950-ab05-df1f09fd258b',
  ru: '8f292b94-eae6-426b-8b34-71567f20a928',
  joint: 'a91f964f-82f9-4504-810c-d8b1a5cb5894',
  other: 'c4d2a0e3-1111-4222-8333-444455556666',
} as const;

export const IDENT = {
  us: 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc',
  ru: 'identity--5fa622d4-ac12-43f4-8db1-26837bd2b361',
  op: 'identity--9276fe0f-dfde-4ed0-9464-9d07e8442af0',
  nobody: 'identity--0e6c2f57-5c4d-4e0b-9b0a-2a3b4c5d6e7f',
} as const;

/** Test-only passwords (generated per run would hide nothing: these exist only inside the test process). */
export const PASSWORDS: Record<string, string> = {
  'us-cert': 'us-test-password',
  'ru-cert': 'ru-test-password',
  operator: 'op-test-password',
  nobody: 'nobody-test-password',
};

function yaml(h: Record<string, string>, maxContentLength: number, publicDiscovery = false): string {
  return `
server:
  title: Test gateway
  description: API tests
  contact: test@example.org
  default_api_root: exchange
  public_discovery: ${publicDiscovery}
  max_page_size: 50
  default_page_size: 20
api_roots:
  - name: exchange
    title: Exchange
    description: Test root
    max_content_length: ${maxContentLength}
  - name: other-root
    title: Other
    max_content_length: 4096
collections:
  - id: ${COLL.us}
    api_root: exchange
    alias: us-cert-indicators
    title: US-CERT indicators
    country: US
    cert: ${IDENT.us}
    readers: [ru-cert, us-cert]
    writers: [us-cert]
  - id: ${COLL.ru}
    api_root: exchange
    alias: ru-cert-indicators
    title: RU-CERT indicators
    country: RU
    cert: ${IDENT.ru}
    readers: [us-cert]
    writers: [ru-cert]
  - id: ${COLL.joint}
    api_root: exchange
    alias: joint
    title: Joint
    readers: [us-cert, ru-cert]
    writers: [us-cert, ru-cert]
  - id: ${COLL.other}
    api_root: other-root
    alias: joint
    title: Same alias, other root
    readers: [us-cert]
    writers: [us-cert]
principals:
  - name: us-cert
    identity: ${IDENT.us}
    credentials:
      - basic: { hash: "${h['us-cert']}" }
      - bearer: { hash: "${h['us-cert-bearer']}" }
  - name: ru-cert
    identity: ${IDENT.ru}
    credentials:
      - basic: { hash: "${h['ru-cert']}" }
  - name: operator
    identity: ${IDENT.op}
    admin: true
    credentials:
      - basic: { hash: "${h['operator']}" }
  - name: nobody
    identity: ${IDENT.nobody}
    credentials:
      - basic: { hash: "${h['nobody']}" }
`;
}

/** A test-only bearer token of us-cert, in the `<token id>.<secret>` form the gateway issues. */
export const US_BEARER_TOKEN = 'testtokenid1.us-cert-test-bearer-secret-0123456789';

const hashed = new Map<string, Promise<string>>();

/** The hash of each test password by principal (each password is hashed once per test process). */
export async function passwordHashes(passwords: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, pw] of Object.entries(passwords)) {
    let h = hashed.get(pw);
    if (h === undefined) {
      h = hashSecret(pw);
      hashed.set(pw, h);
    }
    out[name] = await h;
  }
  return out;
}

/** A test config from YAML text (`file` names it in messages); throws with the issues when it does not load. */
export function testConfig(text: string, file: string): GatewayConfig {
  const loaded = loadConfigText(text, file);
  if (!loaded.config) throw new Error(`${file} invalid: ${JSON.stringify(loaded.issues)}`);
  return loaded.config;
}

let bearerHash: Promise<string> | undefined;

async function testHashes(): Promise<Record<string, string>> {
  bearerHash ??= hashSecret(US_BEARER_TOKEN, { bearer: true });
  return { ...(await passwordHashes(PASSWORDS)), 'us-cert-bearer': await bearerHash };
}

export interface TestGateway {
  readonly base: string;
  readonly config: GatewayConfig;
  readonly keys: KeyBuilder;
  readonly redis: Redis;
  readonly store: RedisStore;
  request(method: string, path: string, opts?: RequestOpts): Promise<TestResponse>;
  /** POSTs objects and waits until the status is complete; returns the final status resource. */
  post(collection: string, objects: unknown[], user?: string): Promise<Record<string, unknown>>;
  waitStatus(statusId: string, user?: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface RequestOpts {
  readonly user?: string | null;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  json(): Record<string, unknown>;
}

export const TAXII = 'application/taxii+json;version=2.1';

export function basic(user: string, password = PASSWORDS[user] ?? ''): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** How the harness wires a gateway around a loaded config. */
export interface HarnessOptions {
  /** Run an ingest worker in the process (default true). */
  readonly worker?: boolean;
  /** Listen port (default 0: any free one); a fixed port lets a test restart a gateway at the same URL. */
  readonly port?: number;
  /** Key root (default a fresh one); the same root lets a restarted gateway find its data. */
  readonly keys?: KeyBuilder;
  /** Passwords by principal, for `request({ user })`. */
  readonly passwords: Readonly<Record<string, string>>;
  /** HTTPS (with optional client certificates) instead of plain HTTP. */
  readonly tls?: { readonly options: https.ServerOptions; readonly mode: ClientCertMode; readonly requirePasswordToo: boolean };
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Rejected credentials per source address before 429 (production: 20 a minute); absent = not throttled. */
  readonly failedLogins?: FailedLoginThrottle;
  /** The inquiry signing key (default: a fresh one); used when the config declares inquiry channels. */
  readonly inquirySigner?: Signer;
  /** The inquiry use cases' clock (ms), message hook and the metrics that observe their messages. */
  readonly inquiryHooks?: Pick<InquiryParts, 'now' | 'onMessage' | 'metrics'>;
}

/** A running in-process gateway with everything production wires: audit trail, rate limiter, captured logs. */
export interface HarnessGateway extends TestGateway {
  readonly port: number;
  readonly statuses: StatusStore;
  readonly queue: BullIngestQueue;
  /** The API's audit trail (batched as in production; the worker appends to `auditLog` directly). */
  readonly audit: BatchedAuditLog;
  /** Every log line written (JSON of the object and message). */
  readonly logs: string[];
  /** The inquiry use cases, when the config declares inquiry channels. */
  readonly inquiries?: InquiryService;
  /** The API's exchange counters (flush() writes the reads gathered so far). */
  readonly exchange: ExchangeRecorder;
  /** The express app and the request listener in front of it (src/http/lean-reads.ts) that the server runs. */
  readonly api: Pick<ComposedApi, 'app' | 'listener'>;
}

/**
 * Starts the real app, queue and worker for a config on the test Redis under a fresh key prefix, through the
 * composition root (src/main/compose.ts) as the runtime does. Credentials go through the real resolution (hash
 * credentials only: nothing is generated or written).
 */
export async function startGatewayFromConfig(config: GatewayConfig, opts: HarnessOptions): Promise<HarnessGateway> {
  const keys = opts.keys ?? isolatedKeys();
  const redis = connectTestRedis();
  const connection = { url: testRedisUrl(), maxRetriesPerRequest: null };
  const tls = opts.tls;
  const authentication = await composeAuthentication(config, { dataDir: os.tmpdir(), env: {}, announce: () => undefined }, tls);
  const logs: string[] = [];
  const capture = (obj: Record<string, unknown>, msg?: string): void => void logs.push(`${JSON.stringify(obj)} ${msg ?? ''}`);
  const log: Logger = { info: capture, warn: capture, error: capture };
  const inquiryKeys = await composeInquiryKeys(
    config,
    async () => opts.inquirySigner ?? signerFor(generateKeyPairSync('ed25519').privateKey),
  );
  const served = await serveApi(
    {
      config,
      redis,
      connection,
      keys,
      log,
      ...authentication,
      ...(opts.failedLogins === undefined ? {} : { failedLogins: opts.failedLogins }),
      ...(inquiryKeys === undefined ? {} : { inquiries: { ...inquiryKeys, ...opts.inquiryHooks } }),
    },
    {
      port: opts.port ?? 0,
      host: '127.0.0.1',
      ...(tls === undefined ? {} : { tls: tls.options }),
      // Check header/request timeouts every 250 ms (Node's default is 30 s) so slow-client tests end quickly.
      checkIntervalMs: 250,
      headersTimeoutMs: opts.headersTimeoutMs ?? 5_000,
      requestTimeoutMs: opts.requestTimeoutMs ?? 10_000,
    },
  );
  const { store, statuses, queue, audit, inquiries, exchange } = served.api;
  const { port, url: base } = served;
  // Jobs are logged as the runtime logs them, so tests can see worker exceptions (BullMQ retries them).
  const worker =
    opts.worker === false
      ? undefined
      : composeWorker({
          config,
          redis,
          keys,
          log,
          options: { connection, concurrency: 2 },
          ...(inquiryKeys === undefined ? {} : { inquiryKeyring: inquiryKeys.keyring }),
        });

  const request = async (method: string, path: string, o: RequestOpts = {}): Promise<TestResponse> => {
    const headers: Record<string, string> = { Accept: TAXII, ...o.headers };
    const user = o.user === undefined ? 'us-cert' : o.user;
    if (user !== null && headers['Authorization'] === undefined) headers['Authorization'] = basic(user, opts.passwords[user] ?? '');
    if (o.body !== undefined && headers['Content-Type'] === undefined) headers['Content-Type'] = TAXII;
    const res = await fetch(base + path, { method, headers, body: o.body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };

  const waitStatus = async (statusId: string, user = 'us-cert'): Promise<Record<string, unknown>> => {
    for (let i = 0; i < 400; i++) {
      const s = (await request('GET', `/exchange/status/${statusId}/`, { user })).json();
      if (s['status'] === 'complete') return s;
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error(`status ${statusId} did not complete in time`);
  };

  return {
    base,
    port,
    config,
    keys,
    redis,
    store,
    statuses,
    queue,
    audit,
    logs,
    ...(inquiries === undefined ? {} : { inquiries }),
    exchange,
    api: served.api,
    request,
    waitStatus,
    post: async (collection, objects, user = 'us-cert') => {
      const r = await request('POST', `/exchange/collections/${collection}/objects/`, { user, body: JSON.stringify({ objects }) });
      if (r.status !== 202) throw new Error(`POST answered ${r.status}: ${r.text}`);
      return waitStatus(String(r.json()['id']), user);
    },
    close: async () => {
      await served.close({ force: true });
      if (worker) await worker.close();
      await redis.quit();
    },
  };
}

export async function startTestGateway(
  opts: { worker?: boolean; maxContentLength?: number; publicDiscovery?: boolean; failedLogins?: FailedLoginThrottle } = {},
): Promise<TestGateway> {
  const h = await testHashes();
  return startGatewayFromConfig(testConfig(yaml(h, opts.maxContentLength ?? 1_000_000, opts.publicDiscovery), 'test.yaml'), {
    passwords: PASSWORDS,
    ...(opts.worker === undefined ? {} : { worker: opts.worker }),
    ...(opts.failedLogins === undefined ? {} : { failedLogins: opts.failedLogins }),
  });
}

/** A valid STIX 2.1 indicator with a deterministic id from `n`. */
export function indicator(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return styledIndicator(n, { name: `test indicator ${n}` }, extra);
}
