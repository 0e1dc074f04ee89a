/**
 * The trust tests' gateway (policy, audit, TLS, rate limits, fuzz): the shared harness of
 * test/helpers/gateway.ts on a config that carries clearances, write rules and audit retention. Not a test file.
 */
import type https from 'node:https';
import type { ClientCertMode } from '../../src/main/tls';
import { basic, passwordHashes, startGatewayFromConfig, testConfig, type HarnessGateway, type TestResponse } from '../helpers/gateway';
import { styledIndicator } from '../helpers/stix-fixtures';

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
export function trustYaml(
  h: Readonly<Record<string, string>>,
  o: { serverExtra?: string; principalExtra?: Record<string, string> } = {},
): string {
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

export function trustHashes(): Promise<Record<string, string>> {
  return passwordHashes(PASSWORDS);
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

export type Answer = TestResponse;

/** The shared harness gateway (test/helpers/gateway.ts), on the trust config. */
export type TrustGateway = HarnessGateway;

export function basicAuth(user: string, password = PASSWORDS[user] ?? ''): string {
  return basic(user, password);
}

export async function startTrustGateway(opts: TrustGatewayOptions = {}): Promise<TrustGateway> {
  const h = await trustHashes();
  return startGatewayFromConfig(testConfig(trustYaml(h, opts), 'trust.yaml'), {
    passwords: PASSWORDS,
    ...(opts.tls === undefined ? {} : { tls: opts.tls }),
    ...(opts.worker === undefined ? {} : { worker: opts.worker }),
    ...(opts.headersTimeoutMs === undefined ? {} : { headersTimeoutMs: opts.headersTimeoutMs }),
    ...(opts.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: opts.requestTimeoutMs }),
  });
}

/** TLP marking ids by level. */
export { TLP } from '../helpers/stix-fixtures';

/** A valid indicator with a deterministic id from `n`. */
export function ind(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return styledIndicator(n, { name: `trust indicator ${n}`, net: '10.77' }, extra);
}
