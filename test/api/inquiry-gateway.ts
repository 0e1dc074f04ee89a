/**
 * The inquiry tests' gateway: the shared harness (test/helpers/gateway.ts) on a config with an inquiry channel
 * between us-cert and ru-cert, a shared collection that ru-cert reads only up to GREEN, a collection ru-cert
 * does not read at all, an admin and an outsider. Not a test file.
 */
import type { GatewayConfig } from '../../src/config/types';
import { TLP2_IDS } from '../../src/stix/markings';
import {
  basic,
  passwordHashes,
  startGatewayFromConfig,
  testConfig,
  type HarnessGateway,
  type HarnessOptions,
  type TestResponse,
} from '../helpers/gateway';

export const C = {
  shared: '1f0c8a1e-2b3c-4d5e-8f70-0a1b2c3d4e5f',
  usOnly: '2a1b0c9d-8e7f-4a6b-9c5d-4e3f2a1b0c9d',
  inquiries: '3b2c1d0e-9f8a-4b7c-8d6e-5f4a3b2c1d0e',
} as const;

export const ID = {
  us: 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc',
  ru: 'identity--5fa622d4-ac12-43f4-8db1-26837bd2b361',
  op: 'identity--9276fe0f-dfde-4ed0-9464-9d07e8442af0',
  outsider: 'identity--0e6c2f57-5c4d-4e0b-9b0a-2a3b4c5d6e7f',
} as const;

export const PASSWORDS: Readonly<Record<string, string>> = {
  'us-cert': 'us-inquiry-password-1a2b',
  'ru-cert': 'ru-inquiry-password-3c4d',
  operator: 'op-inquiry-password-5e6f',
  outsider: 'outsider-inquiry-password-7a8b',
};

export function inquiryYaml(h: Readonly<Record<string, string>>, extra = ''): string {
  return `
server:
  title: Inquiry test gateway
  default_api_root: exchange
api_roots:
  - name: exchange
    title: Exchange
    max_content_length: 2000000
collections:
  - id: ${C.shared}
    api_root: exchange
    alias: shared
    title: Shared indicators
    readers: [us-cert, { name: ru-cert, max_tlp: green }]
    writers: [us-cert]
  - id: ${C.usOnly}
    api_root: exchange
    alias: us-only
    title: US only
    readers: [us-cert]
    writers: [us-cert]
  - id: ${C.inquiries}
    api_root: exchange
    alias: us-ru-inquiries
    title: Inquiries between US-CERT and RU-CERT
    readers: [us-cert, ru-cert]
    writers: []
principals:
  - name: us-cert
    identity: ${ID.us}
    credentials: [{ basic: { hash: "${h['us-cert']}" } }]
  - name: ru-cert
    identity: ${ID.ru}
    credentials: [{ basic: { hash: "${h['ru-cert']}" } }]
  - name: operator
    identity: ${ID.op}
    admin: true
    credentials: [{ basic: { hash: "${h['operator']}" } }]
  - name: outsider
    identity: ${ID.outsider}
    credentials: [{ basic: { hash: "${h['outsider']}" } }]
inquiries:
  urgency:
    urgent: { acknowledge_within: 30m, answer_within: 4h, remind_before: 10m }
  channels:
    - collection: us-ru-inquiries
      authorities: [us-cert, ru-cert]
${extra}`;
}

export async function inquiryConfig(extra = '', file = 'inquiry-test.yaml'): Promise<GatewayConfig> {
  return testConfig(inquiryYaml(await passwordHashes(PASSWORDS), extra), file);
}

export async function startInquiryGateway(opts: Partial<HarnessOptions> = {}, extra = ''): Promise<HarnessGateway> {
  return startGatewayFromConfig(await inquiryConfig(extra), { passwords: PASSWORDS, ...opts });
}

/** A STIX indicator marked with the given TLP 2.0 level, created by us-cert. */
export function markedIndicator(n: number, tlp: keyof typeof TLP2_IDS): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    created_by_ref: ID.us,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: `evidence ${n}`,
    pattern: `[ipv4-addr:value = '198.51.100.${n}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    object_marking_refs: [TLP2_IDS[tlp]],
  };
}

/** JSON request to the inquiry API as `user`. */
export function inquiryRequest(gw: HarnessGateway, method: string, path: string, user: string, body?: unknown): Promise<TestResponse> {
  return gw.request(method, `/gateway/v1/inquiries${path}`, {
    user,
    headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export function auth(user: string): string {
  return basic(user, PASSWORDS[user] ?? '');
}
