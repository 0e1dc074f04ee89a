/**
 * A gateway for the console tests: the shipped exchange's shape (US and RU collections, each reader of the
 * other's collection capped at AMBER, a joint collection, an operator), test-only passwords, and a seed of
 * objects at every TLP with pulls, duplicates and refusals, so each page has something to show.
 */
import { createPrepareDeps } from '../../src/stix/prepare';
import { passwordHashes, startGatewayFromConfig, testConfig, type HarnessGateway } from '../helpers/gateway';
import { TLP } from '../helpers/stix-fixtures';

export const CONSOLE_COLL = {
  us: '7b6a2876-79b0-4950-ab05-df1f09fd258b',
  ru: '8f292b94-eae6-426b-8b34-71567f20a928',
  joint: 'a91f964f-82f9-4504-810c-d8b1a5cb5894',
} as const;

export const CONSOLE_IDENT = {
  us: 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc',
  ru: 'identity--5fa622d4-ac12-43f4-8db1-26837bd2b361',
  op: 'identity--9276fe0f-dfde-4ed0-9464-9d07e8442af0',
} as const;

export const CONSOLE_PASSWORDS: Readonly<Record<string, string>> = {
  'us-cert': 'us-console-test-password',
  'ru-cert': 'ru-console-test-password',
  operator: 'op-console-test-password',
};

export { TLP };

async function configText(): Promise<string> {
  const h = await passwordHashes(CONSOLE_PASSWORDS);
  return `
server:
  title: Console test gateway
  default_api_root: exchange
  max_page_size: 1000
  default_page_size: 100
api_roots:
  - name: exchange
    title: Bilateral CERT exchange
    max_content_length: 1000000
collections:
  - id: ${CONSOLE_COLL.us}
    api_root: exchange
    alias: us-cert-indicators
    title: US-CERT indicators
    country: US
    cert: ${CONSOLE_IDENT.us}
    readers: [us-cert, { name: ru-cert, max_tlp: amber }]
    writers: [us-cert]
    default_tlp: amber
    max_tlp_accepted: red
    require_own_identity: true
  - id: ${CONSOLE_COLL.ru}
    api_root: exchange
    alias: ru-cert-indicators
    title: RU-CERT indicators
    country: RU
    cert: ${CONSOLE_IDENT.ru}
    readers: [ru-cert, { name: us-cert, max_tlp: amber }]
    writers: [ru-cert]
    default_tlp: amber
    native_format: csv
  - id: ${CONSOLE_COLL.joint}
    api_root: exchange
    alias: joint-exchange
    title: Joint exchange
    readers: [us-cert, ru-cert]
    writers: [us-cert, ru-cert]
    default_tlp: green
  - id: 3b2c1d0e-9f8a-4b7c-8d6e-5f4a3b2c1d0e
    api_root: exchange
    alias: us-ru-inquiries
    title: Inquiries between US-CERT and RU-CERT
    readers: [us-cert, ru-cert]
    writers: []
principals:
  - name: us-cert
    identity: ${CONSOLE_IDENT.us}
    credentials:
      - basic: { hash: "${h['us-cert']}" }
  - name: ru-cert
    identity: ${CONSOLE_IDENT.ru}
    credentials:
      - basic: { hash: "${h['ru-cert']}" }
  - name: operator
    identity: ${CONSOLE_IDENT.op}
    admin: true
    credentials:
      - basic: { hash: "${h['operator']}" }
inquiries:
  urgency:
    urgent: { acknowledge_within: 30m, answer_within: 4h, remind_before: 10m }
  channels:
    - collection: us-ru-inquiries
      authorities: [us-cert, ru-cert]
`;
}

export async function startConsoleGateway(): Promise<HarnessGateway> {
  // Compile the schemas before any request: a first compile inside the worker holds the event loop for seconds.
  createPrepareDeps();
  return startGatewayFromConfig(testConfig(await configText(), 'console-test.yaml'), { passwords: CONSOLE_PASSWORDS });
}

function uuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

export function ipIndicator(n: number, ip: string, producer: string, marking: string, name = `indicator ${n}`): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${uuid(n)}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name,
    pattern: `[ipv4-addr:value = '${ip}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    created_by_ref: producer,
    object_marking_refs: [marking],
  };
}

/** The id of the RU indicator marked RED, which the AMBER-capped us-cert must never see. */
export const RED_RU_ID = `indicator--${uuid(2004)}`;
export const RED_RU_VALUE = '198.51.100.204';

/** Objects on both sides at every TLP, one overlap, one duplicate, one refusal, and pulls by the partner. */
export async function seedExchange(gw: HarnessGateway): Promise<void> {
  const us = [
    ipIndicator(1001, '203.0.113.1', CONSOLE_IDENT.us, TLP.clear, 'Scanner'),
    ipIndicator(1002, '203.0.113.2', CONSOLE_IDENT.us, TLP.green, 'C2 server'),
    ipIndicator(1003, '203.0.113.3', CONSOLE_IDENT.us, TLP.amber, 'Phishing relay'),
    ipIndicator(1004, '198.51.100.9', CONSOLE_IDENT.us, TLP.amber, 'Seen by both'),
    // refused: published in RU-CERT's name (require_own_identity)
    ipIndicator(1005, '203.0.113.5', CONSOLE_IDENT.ru, TLP.green, 'Wrong producer'),
  ];
  const ru = [
    ipIndicator(2001, '192.0.2.1', CONSOLE_IDENT.ru, TLP.clear, 'Botnet node'),
    ipIndicator(2002, '192.0.2.2', CONSOLE_IDENT.ru, TLP.green, 'Mail relay'),
    ipIndicator(2003, '198.51.100.9', CONSOLE_IDENT.ru, TLP.amber, 'Seen by both'),
    ipIndicator(2004, RED_RU_VALUE, CONSOLE_IDENT.ru, TLP.red, 'Restricted source'),
  ];
  await gw.post(CONSOLE_COLL.us, us, 'us-cert');
  await gw.post(CONSOLE_COLL.ru, ru, 'ru-cert');
  await gw.post(CONSOLE_COLL.ru, [ru[0]], 'ru-cert'); // an exact duplicate
  // The partners pull each other's collections (us-cert is capped at AMBER in RU's collection).
  await gw.request('GET', `/exchange/collections/${CONSOLE_COLL.us}/objects/`, { user: 'ru-cert' });
  await gw.request('GET', `/exchange/collections/${CONSOLE_COLL.ru}/objects/`, { user: 'us-cert' });
  await gw.exchange.flush();
  // An inquiry from US-CERT to RU-CERT, waiting for RU-CERT's acknowledgement.
  await gw.inquiries?.open(
    { name: 'us-cert', identity: CONSOLE_IDENT.us, admin: false },
    {
      asked: 'ru-cert',
      subject: 'Scanner 203.0.113.1: source host?',
      description: 'Which host behind 203.0.113.1 scanned our networks on 2026-12-01?',
      lang: 'en',
      urgency: 'urgent',
      requestedAction: 'information',
      evidenceRefs: [],
      translations: {},
    },
  );
}
