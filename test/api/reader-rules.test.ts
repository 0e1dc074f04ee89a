/**
 * Sharing rules beyond TLP on the read side: a reader entry may refuse markings and accept only some producers;
 * the store skips what the reader may not receive inside its queries, on every read path.
 */
import { hashSecret } from '../../src/common/secret-hash';
import { loadConfigText } from '../../src/config/load-config';
import { startGatewayFromConfig, type HarnessGateway } from '../helpers/gateway';

const COLL = '0f0e0d0c-0b0a-4909-8807-060504030201';
/** A second collection, same readers, for the reference rule. */
const REFS = '0f0e0d0c-0b0a-4909-8807-060504030202';
const US = 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc';
const THIRD = 'identity--7d3a9f1e-2b4c-4d5e-8f60-718293a4b5c6';
const EMBARGO = 'marking-definition--1a2b3c4d-5e6f-4a0b-9c1d-2e3f4a5b6c7d';
const PASSWORDS = { 'us-cert': 'us-rules-password', 'ru-cert': 'ru-rules-password', watcher: 'watcher-rules-password' };

/** A relationship (its id ends with `tail`) from `source` to `target`. */
function rel(tail: string, source: string, target: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: `relationship--00000000-0000-4000-8000-00000000000${tail}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    relationship_type: 'indicates',
    source_ref: source,
    target_ref: target,
    created_by_ref: US,
    ...extra,
  };
}

function indId(n: number): string {
  return `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function ind(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    pattern: `[ipv4-addr:value = '192.0.2.${n}']`,
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
    created_by_ref: US,
    ...extra,
  };
}

describe('reader rules: refused_markings and accepted_producers', () => {
  let gw: HarnessGateway;
  beforeAll(async () => {
    const h = Object.fromEntries(await Promise.all(Object.entries(PASSWORDS).map(async ([n, p]) => [n, await hashSecret(p)] as const)));
    const yaml = `
server: { title: Rules, default_api_root: exchange }
api_roots:
  - { name: exchange, title: Exchange, max_content_length: 1048576 }
collections:
  - id: ${COLL}
    api_root: exchange
    alias: shared
    title: Shared
    readers:
      - us-cert
      - { name: ru-cert, refused_markings: [${EMBARGO}] }
      - { name: watcher, accepted_producers: [${THIRD}] }
    writers: [us-cert]
  - id: ${REFS}
    api_root: exchange
    alias: references
    title: References
    readers:
      - us-cert
      - { name: ru-cert, refused_markings: [${EMBARGO}] }
      - { name: watcher, accepted_producers: [${THIRD}] }
    writers: [us-cert]
principals:
  - { name: us-cert, identity: ${US}, credentials: [{ basic: { hash: "${h['us-cert'] ?? ''}" } }] }
  - { name: ru-cert, identity: identity--5fa622d4-ac12-43f4-8db1-26837bd2b361, credentials: [{ basic: { hash: "${h['ru-cert'] ?? ''}" } }] }
  - { name: watcher, identity: identity--9276fe0f-dfde-4ed0-9464-9d07e8442af0, credentials: [{ basic: { hash: "${h['watcher'] ?? ''}" } }] }
`;
    const loaded = loadConfigText(yaml, 'rules.yaml');
    if (!loaded.config) throw new Error(JSON.stringify(loaded.issues));
    gw = await startGatewayFromConfig(loaded.config, { passwords: PASSWORDS });
    // The embargo marking is defined in the collection: an undefined marking would be refused (UNKNOWN_MARKING).
    const embargo = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: EMBARGO,
      created: '2024-01-01T00:00:00.000Z',
      definition_type: 'statement',
      definition: { statement: 'embargoed' },
    };
    await gw.post(COLL, [
      embargo,
      ind(1),
      ind(2, { object_marking_refs: [EMBARGO] }),
      ind(3, { created_by_ref: THIRD }),
      ind(4, { description: 'partly embargoed', granular_markings: [{ marking_ref: EMBARGO, selectors: ['description'] }] }),
    ]);
    const report = (tail: string, refs: string[]): Record<string, unknown> => ({
      type: 'report',
      spec_version: '2.1',
      id: `report--00000000-0000-4000-8000-00000000000${tail}`,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      name: `report ${tail}`,
      published: '2024-01-01T00:00:00Z',
      object_refs: refs,
      created_by_ref: THIRD,
    });
    await gw.post(REFS, [
      embargo,
      ind(11),
      ind(12, { object_marking_refs: [EMBARGO] }),
      ind(13, { created_by_ref: THIRD }),
      // names the embargoed indicator 12 / the plain indicator 11
      rel('a', indId(12), indId(11)),
      rel('b', indId(11), indId(11)),
      // THIRD's relationships: to US's indicator 11 / to THIRD's indicator 13
      rel('c', indId(13), indId(11), { created_by_ref: THIRD }),
      rel('e', indId(13), indId(13), { created_by_ref: THIRD }),
      // THIRD's reports, one level further: through relationship e / through relationship c
      report('f', ['relationship--00000000-0000-4000-8000-00000000000e']),
      report('9', ['relationship--00000000-0000-4000-8000-00000000000c']),
    ]);
  });
  afterAll(async () => {
    await gw.close();
  });

  async function ids(user: string, path: string): Promise<string[]> {
    const r = await gw.request('GET', path, { user });
    const body = r.json();
    const list = (body['objects'] as { id: string }[] | undefined) ?? [];
    return list.map((o) => o.id.slice(-1)).sort();
  }

  it('when a reader refuses a marking, then objects carrying it (object or granular) are invisible on objects and manifest, with full pages', async () => {
    // 'd': the embargo marking-definition itself (ru-cert refuses it too: it carries the refused id)
    expect(await ids('us-cert', `/exchange/collections/${COLL}/objects/`)).toEqual(['1', '2', '3', '4', 'd']);
    expect(await ids('ru-cert', `/exchange/collections/${COLL}/objects/`)).toEqual(['1', '3']);
    expect(await ids('ru-cert', `/exchange/collections/${COLL}/manifest/`)).toEqual(['1', '3']);
    const page = await gw.request('GET', `/exchange/collections/${COLL}/objects/?limit=1`, { user: 'ru-cert' });
    expect((page.json()['objects'] as unknown[]).length).toBe(1);
  });

  it('when a reader accepts only some producers, then it sees only their objects', async () => {
    expect(await ids('watcher', `/exchange/collections/${COLL}/objects/`)).toEqual(['3']);
  });

  it('when a refused object is asked for by id, then it is 404 for that reader only', async () => {
    const path = `/exchange/collections/${COLL}/objects/indicator--00000000-0000-4000-8000-000000000002/`;
    expect((await gw.request('GET', path, { user: 'ru-cert' })).status).toBe(404);
    expect((await gw.request('GET', `${path}versions/`, { user: 'ru-cert' })).status).toBe(404);
    expect((await gw.request('GET', path, { user: 'us-cert' })).status).toBe(200);
  });

  it('when a reader looks a refused value up, then the lookup does not report it', async () => {
    const r = await gw.request('GET', '/gateway/v1/indicators/lookup?value=192.0.2.2', { user: 'ru-cert' });
    expect(r.json()['match_count']).toBe(0);
    const mine = await gw.request('GET', '/gateway/v1/indicators/lookup?value=192.0.2.1', { user: 'ru-cert' });
    expect(mine.json()['match_count']).toBe(1);
  });

  it('when a record references an object carrying a refused marking, then that reader does not receive the record', async () => {
    expect(await ids('us-cert', `/exchange/collections/${REFS}/objects/`)).toEqual(['1', '2', '3', '9', 'a', 'b', 'c', 'd', 'e', 'f']);
    // 'a' names the embargoed indicator 12; 'b' names only indicator 11; THIRD's objects name no embargoed one
    expect(await ids('ru-cert', `/exchange/collections/${REFS}/objects/`)).toEqual(['1', '3', '9', 'b', 'c', 'e', 'f']);
    expect(await ids('ru-cert', `/exchange/collections/${REFS}/manifest/`)).toEqual(['1', '3', '9', 'b', 'c', 'e', 'f']);
    const path = `/exchange/collections/${REFS}/objects/relationship--00000000-0000-4000-8000-00000000000a/`;
    expect((await gw.request('GET', path, { user: 'ru-cert' })).status).toBe(404);
    expect((await gw.request('GET', `${path}versions/`, { user: 'ru-cert' })).status).toBe(404);
    expect((await gw.request('GET', path, { user: 'us-cert' })).status).toBe(200);
    const byId = `/exchange/collections/${REFS}/objects/?match[id]=relationship--00000000-0000-4000-8000-00000000000a`;
    expect(await ids('ru-cert', byId)).toEqual([]);
  });

  it('when a record references, directly or through another record, an object of a producer the reader does not accept, then it is hidden', async () => {
    // c names US's indicator 11; report 9 names c; e and report f lead only to THIRD's indicator 13
    expect(await ids('watcher', `/exchange/collections/${REFS}/objects/`)).toEqual(['3', 'e', 'f']);
    const path = `/exchange/collections/${REFS}/objects/report--00000000-0000-4000-8000-000000000009/`;
    expect((await gw.request('GET', path, { user: 'watcher' })).status).toBe(404);
    expect((await gw.request('GET', path, { user: 'us-cert' })).status).toBe(200);
  });
});
