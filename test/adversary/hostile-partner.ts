/**
 * The adversary suite's gateway: the SHIPPED collections.yaml (its collections, readers, writers and write
 * rules exactly as released), with test-only password hashes in place of `generate`, plus two collections the
 * tests need to reach rules that the shipped write policy would stop first:
 *  - `probe`: us-cert and ru-cert both write; ru-cert reads up to AMBER; no write rules at all (so the store's
 *    own rules — visibility of writes, producer ownership — are what answers);
 *  - `withhold`: like `probe`, with `unknown_markings: withhold`;
 *  - `mixed`: like `probe`, plus a third reader, `observer` (a principal added here), cleared for GREEN only.
 * Not a test file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { hashSecret } from '../../src/common/secret-hash';
import { startGatewayFromConfig, testConfig, type HarnessGateway, type TestResponse } from '../helpers/gateway';
import { styledIndicator } from '../helpers/stix-fixtures';

export const SHIPPED = join(__dirname, '../../collections.yaml');

export const COL = {
  us: '7b6a2876-79b0-4950-ab05-df1f09fd258b',
  ru: '8f292b94-eae6-426b-8b34-71567f20a928',
  joint: 'a91f964f-82f9-4504-810c-d8b1a5cb5894',
  probe: '3c0e8f1a-5b7d-4c2e-9a1f-6d4b2e8c0a17',
  withhold: '5d7e9a2b-3c4f-4e1a-8b6c-0f2d4a6e8c93',
  mixed: '6e1f0b3c-4d5a-4b6c-9d7e-8f9a0b1c2d3e',
} as const;

export const WHO = {
  us: 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc',
  ru: 'identity--5fa622d4-ac12-43f4-8db1-26837bd2b361',
  op: 'identity--9276fe0f-dfde-4ed0-9464-9d07e8442af0',
  observer: 'identity--7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
} as const;

export const PASSWORDS: Readonly<Record<string, string>> = {
  'us-cert': 'adversary-us-password-1',
  'ru-cert': 'adversary-ru-password-2',
  operator: 'adversary-op-password-3',
  observer: 'adversary-observer-password-4',
};

export { TLP } from '../helpers/stix-fixtures';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The shipped configuration text with test hashes and the two extra collections. */
export async function adversaryYaml(): Promise<string> {
  const doc: unknown = YAML.parse(readFileSync(SHIPPED, 'utf8'));
  if (!isRecord(doc) || !Array.isArray(doc['principals']) || !Array.isArray(doc['collections'])) throw new Error('collections.yaml shape');
  for (const p of doc['principals']) {
    if (!isRecord(p)) continue;
    const pw = PASSWORDS[String(p['name'])];
    if (pw === undefined) throw new Error(`no test password for ${String(p['name'])}`);
    p['credentials'] = [{ basic: { hash: await hashSecret(pw) } }];
  }
  const extra = (id: string, alias: string, more: Record<string, unknown>): Record<string, unknown> => ({
    id,
    api_root: 'cert-exchange',
    alias,
    title: alias,
    readers: ['us-cert', { name: 'ru-cert', max_tlp: 'amber' }],
    writers: ['us-cert', 'ru-cert'],
    ...more,
  });
  doc['collections'].push(
    extra(COL.probe, 'probe', {}),
    extra(COL.withhold, 'withhold', { unknown_markings: 'withhold' }),
    extra(COL.mixed, 'mixed', { readers: ['us-cert', { name: 'ru-cert', max_tlp: 'amber' }, { name: 'observer', max_tlp: 'green' }] }),
  );
  doc['principals'].push({
    name: 'observer',
    identity: WHO.observer,
    credentials: [{ basic: { hash: await hashSecret(PASSWORDS['observer'] ?? '') } }],
  });
  return YAML.stringify(doc);
}

export async function startAdversaryGateway(): Promise<HarnessGateway> {
  const config = testConfig(await adversaryYaml(), 'collections.yaml');
  // Generous timeouts: on a loaded machine the first job (schemas compiled in this process) can hold the event loop.
  return startGatewayFromConfig(config, { passwords: PASSWORDS, requestTimeoutMs: 120_000, headersTimeoutMs: 60_000 });
}

export const ROOT = '/cert-exchange';

export const objectsPath = (c: string): string => `${ROOT}/collections/${c}/objects/`;

/** A deterministic UUID tail from a number (version 4 shape). */
export function uuid(n: number, tag = 0): string {
  return `${String(tag).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** A valid indicator with a deterministic id. */
export function indicator(n: number, extra: Record<string, unknown> = {}, tag = 1): Record<string, unknown> {
  return styledIndicator(n, { name: `adversary indicator ${n}`, net: '10.66', idTag: tag }, extra);
}

export function relationship(n: number, source: string, target: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: `relationship--${uuid(n, 2)}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    relationship_type: 'related-to',
    source_ref: source,
    target_ref: target,
    ...extra,
  };
}

/** Every STIX id that appears anywhere in a text (bodies, headers, status messages). */
export function idsIn(text: string): Set<string> {
  return new Set(text.match(/[a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? []);
}

/** Everything a response shows: status line, headers and body. */
export function shown(r: TestResponse): string {
  const headers: string[] = [];
  r.headers.forEach((v, k) => headers.push(`${k}: ${v}`));
  return `${r.status}\n${headers.join('\n')}\n${r.text}`;
}

/** The status message of the first success/failure entry for `id`. */
export function detailOf(status: Record<string, unknown>, id: string): { outcome: string; message: string } | undefined {
  for (const outcome of ['successes', 'failures', 'pendings'] as const) {
    const list = status[outcome];
    if (!Array.isArray(list)) continue;
    for (const d of list) if (isRecord(d) && d['id'] === id) return { outcome, message: String(d['message'] ?? '') };
  }
  return undefined;
}

/** Raw stored records of a collection (date_added → stored value), for byte-identity checks. */
export async function storedBytes(gw: HarnessGateway, collection: string): Promise<Map<string, string>> {
  const all = await gw.redis.hgetall(gw.keys.collection(collection).data);
  return new Map(Object.entries(all));
}

/** GET a status until it is complete (bounded: 30 s, for a loaded machine). */
export async function waitStatus(gw: HarnessGateway, statusId: string, user: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 1500; i++) {
    const s = (await gw.request('GET', `${ROOT}/status/${statusId}/`, { user })).json();
    if (s['status'] === 'complete') return s;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error(`status ${statusId} did not complete in time`);
}

/** POSTs objects under the shipped API root and waits for the status to complete. */
export async function post(gw: HarnessGateway, collection: string, objects: unknown[], user: string): Promise<Record<string, unknown>> {
  const r = await gw.request('POST', objectsPath(collection), { user, body: JSON.stringify({ objects }) });
  if (r.status !== 202) throw new Error(`POST answered ${r.status}: ${r.text}`);
  return waitStatus(gw, String(r.json()['id']), user);
}
