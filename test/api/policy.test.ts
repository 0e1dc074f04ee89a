/**
 * Sharing policy end to end: two CERT principals with different clearances see exactly what their clearance
 * allows on every read path, pages stay full, and collections refuse what their write rules forbid.
 */
import { C, ID, TLP, ind, startTrustGateway, type TrustGateway } from './trust-gateway';

let gw: TrustGateway;

const own = { created_by_ref: ID.us };
/** Objects in the US collection, by the name of their marking; `visibleToRu` = within AMBER. */
const CASES: readonly { name: string; n: number; extra: Record<string, unknown>; visibleToRu: boolean }[] = [
  { name: 'clear', n: 1, extra: { object_marking_refs: [TLP.clear] }, visibleToRu: true },
  { name: 'green', n: 2, extra: { object_marking_refs: [TLP.green] }, visibleToRu: true },
  { name: 'amber', n: 3, extra: { object_marking_refs: [TLP.amber] }, visibleToRu: true },
  { name: 'amber+strict', n: 4, extra: { object_marking_refs: [TLP.amberStrict] }, visibleToRu: false },
  { name: 'red', n: 5, extra: { object_marking_refs: [TLP.red] }, visibleToRu: false },
  { name: 'unmarked (ranks as AMBER)', n: 6, extra: {}, visibleToRu: true },
  { name: 'TLP 1.0 WHITE (= CLEAR)', n: 7, extra: { object_marking_refs: [TLP.white1] }, visibleToRu: true },
  { name: 'TLP 1.0 RED', n: 8, extra: { object_marking_refs: [TLP.red1] }, visibleToRu: false },
  {
    name: 'green with a RED granular marking',
    n: 9,
    extra: { object_marking_refs: [TLP.green], granular_markings: [{ marking_ref: TLP.red, selectors: ['name'] }] },
    visibleToRu: false,
  },
  { name: 'green 2', n: 10, extra: { object_marking_refs: [TLP.green] }, visibleToRu: true },
  { name: 'red 2', n: 11, extra: { object_marking_refs: [TLP.red] }, visibleToRu: false },
  { name: 'clear 2', n: 12, extra: { object_marking_refs: [TLP.clear] }, visibleToRu: true },
];
const idOf = (n: number): string => String(ind(n)['id']);
const visible = CASES.filter((c) => c.visibleToRu).map((c) => idOf(c.n));
const all = CASES.map((c) => idOf(c.n));

async function pageThrough(path: string, user: string, key = 'objects'): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined;
  for (let i = 0; i < 50; i++) {
    const r = await gw.request('GET', `${path}?limit=2${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`, { user });
    expect(r.status).toBe(200);
    const body = r.json();
    const items = (body[key] as Record<string, unknown>[] | undefined) ?? [];
    if (body['more'] === true) expect(items).toHaveLength(2); // pages stay full
    ids.push(...items.map((o) => String(o['id'])));
    if (body['more'] !== true) return ids;
    next = String(body['next']);
  }
  throw new Error('paging did not end');
}

beforeAll(async () => {
  gw = await startTrustGateway();
  const s = await gw.post(
    C.us,
    CASES.map((c) => ind(c.n, { ...own, ...c.extra })),
    'us-cert',
  );
  expect(s['success_count']).toBe(CASES.length);
  // A second version of the green object, now RED: readers cleared for AMBER keep only the first version.
  const v2 = await gw.post(C.us, [ind(2, { ...own, modified: '2024-02-01T00:00:00.000Z', object_marking_refs: [TLP.red] })], 'us-cert');
  expect(v2['success_count']).toBe(1);
}, 30_000);

afterAll(async () => {
  await gw.close();
});

describe('sharing policy: reads', () => {
  it('when ru-cert (AMBER) pages through objects, then it gets exactly the objects within AMBER and full pages', async () => {
    const ids = await pageThrough(`/exchange/collections/${C.us}/objects/`, 'ru-cert');
    // The green object's latest version is RED, so its latest is hidden from ru-cert.
    expect(ids.sort()).toEqual(visible.filter((id) => id !== idOf(2)).sort());
  });

  it('when us-cert (no cap) and the operator read, then they get every object', async () => {
    expect((await pageThrough(`/exchange/collections/${C.us}/objects/`, 'us-cert')).sort()).toEqual([...all].sort());
    expect((await pageThrough(`/exchange/collections/${C.us}/objects/`, 'operator')).sort()).toEqual([...all].sort());
  });

  it('when ru-cert reads the manifest, then it lists the same objects as Get Objects', async () => {
    const ids = await pageThrough(`/exchange/collections/${C.us}/manifest/`, 'ru-cert');
    expect(ids.sort()).toEqual(visible.filter((id) => id !== idOf(2)).sort());
  });

  it.each(CASES.map((c) => [c.name, c.n, c.visibleToRu] as const))(
    'when ru-cert gets the %s object by id, then it is served only within its clearance',
    async (_name, n, ok) => {
      const r = await gw.request('GET', `/exchange/collections/${C.us}/objects/${idOf(n)}/?match[version]=all`, { user: 'ru-cert' });
      expect(r.status).toBe(ok ? 200 : 404);
      const versions = await gw.request('GET', `/exchange/collections/${C.us}/objects/${idOf(n)}/versions/`, { user: 'ru-cert' });
      expect(versions.status).toBe(ok ? 200 : 404);
    },
  );

  it('when an object has a GREEN and a RED version, then ru-cert sees only the GREEN version', async () => {
    const v = await gw.request('GET', `/exchange/collections/${C.us}/objects/${idOf(2)}/versions/`, { user: 'ru-cert' });
    expect(v.json()['versions']).toEqual(['2024-01-01T00:00:00.000Z']);
    const latest = await gw.request('GET', `/exchange/collections/${C.us}/objects/${idOf(2)}/`, { user: 'ru-cert' });
    expect(latest.status).toBe(404);
    const usView = await gw.request('GET', `/exchange/collections/${C.us}/objects/${idOf(2)}/versions/`, { user: 'us-cert' });
    expect(usView.json()['versions']).toEqual(['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z']);
  });

  it('when ru-cert looks up values, then indicators above its clearance are not reported', async () => {
    const amber = await gw.request('GET', '/gateway/v1/indicators/lookup?value=10.77.0.3', { user: 'ru-cert' });
    expect(amber.json()['match_count']).toBe(1);
    const red = await gw.request('GET', '/gateway/v1/indicators/lookup?value=10.77.0.5', { user: 'ru-cert' });
    expect(red.json()['match_count']).toBe(0);
    const redForOwner = await gw.request('GET', '/gateway/v1/indicators/lookup?value=10.77.0.5', { user: 'us-cert' });
    expect(redForOwner.json()['match_count']).toBe(1);
  });

  it('when ru-cert exports the collection, then the export holds only objects within its clearance', async () => {
    const r = await gw.request('GET', '/gateway/v1/collections/us/export?format=stix21', { user: 'ru-cert', headers: { Accept: '*/*' } });
    expect(r.status).toBe(200);
    const leaked = all.filter((id) => !visible.includes(id));
    for (const id of leaked) expect(r.text).not.toContain(id);
    for (const id of visible.filter((x) => x !== idOf(2))) expect(r.text).toContain(id);
  });
});

describe('sharing policy: writes', () => {
  it.each([
    ['own AMBER indicator', 'success', '', 101, { created_by_ref: ID.us, object_marking_refs: [TLP.amber] }],
    ['RED indicator', 'failure', 'TLP_ABOVE_ACCEPTED', 102, { created_by_ref: ID.us, object_marking_refs: [TLP.red] }],
    ['AMBER+STRICT indicator', 'failure', 'TLP_ABOVE_ACCEPTED', 103, { created_by_ref: ID.us, object_marking_refs: [TLP.amberStrict] }],
    [
      'GREEN indicator with a RED granular marking',
      'failure',
      'TLP_ABOVE_ACCEPTED',
      104,
      { created_by_ref: ID.us, object_marking_refs: [TLP.green], granular_markings: [{ marking_ref: TLP.red, selectors: ['name'] }] },
    ],
    ["indicator in RU-CERT's name", 'failure', 'NOT_OWN_IDENTITY', 105, { created_by_ref: ID.ru, object_marking_refs: [TLP.green] }],
    ['indicator without created_by_ref', 'failure', 'NOT_OWN_IDENTITY', 106, { object_marking_refs: [TLP.green] }],
  ] as const)('when us-cert posts a %s to the joint collection, then the outcome is %s %s', async (_name, outcome, code, n, extra) => {
    const s = await gw.post(C.joint, [ind(n, extra)], 'us-cert');
    if (outcome === 'success') {
      expect(s['success_count']).toBe(1);
    } else {
      expect(s['failure_count']).toBe(1);
      const f = (s['failures'] as Record<string, unknown>[])[0];
      expect(String(f?.['message'])).toContain(code);
      const stored = await gw.request('GET', `/exchange/collections/${C.joint}/objects/${idOf(n)}/`, { user: 'us-cert' });
      expect(stored.status).toBe(404);
    }
  });

  it('when one object of an envelope is refused, then the others are stored', async () => {
    const s = await gw.post(
      C.joint,
      [
        ind(110, { created_by_ref: ID.ru, object_marking_refs: [TLP.green] }),
        ind(111, { created_by_ref: ID.us, object_marking_refs: [TLP.green] }),
      ],
      'us-cert',
    );
    expect(s['success_count']).toBe(1);
    expect(s['failure_count']).toBe(1);
  });

  it('when ru-cert (GREEN in the joint collection) reads it, then it sees the GREEN objects only', async () => {
    const ids = await pageThrough(`/exchange/collections/${C.joint}/objects/`, 'ru-cert');
    expect(ids).toEqual([idOf(111)]);
  });
});
