import { COLL, startTestGateway, type TestGateway } from '../helpers/gateway';
import { arrayOf, expectTaxiiError, ok } from './support';

const STIX = 'application/stix+json;version=2.1';

/** Who sees which collection of the `exchange` root, with can_read / can_write. */
const VISIBILITY: Record<string, Record<string, [boolean, boolean]>> = {
  'us-cert': { [COLL.us]: [true, true], [COLL.ru]: [true, false], [COLL.joint]: [true, true] },
  'ru-cert': { [COLL.us]: [true, false], [COLL.ru]: [false, true], [COLL.joint]: [true, true] },
  operator: { [COLL.us]: [true, false], [COLL.ru]: [true, false], [COLL.joint]: [true, false] },
  nobody: {},
};

const ALIAS: Record<string, string> = { [COLL.us]: 'us-cert-indicators', [COLL.ru]: 'ru-cert-indicators', [COLL.joint]: 'joint' };

describe('GET /{root}/collections/', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ worker: false });
  });
  afterAll(async () => {
    await gw.close();
  });

  it.each(Object.entries(VISIBILITY))(
    'when %s lists the collections, then sees exactly its collections with its permissions',
    async (user, expected) => {
      const body = ok(await gw.request('GET', '/exchange/collections/', { user }));
      const got: Record<string, [unknown, unknown]> = {};
      for (const c of arrayOf(body, 'collections')) got[String(c['id'])] = [c['can_read'], c['can_write']];
      expect(got).toEqual(expected);
    },
  );

  it('when a collection is listed, then it carries id, title, alias and the STIX media type', async () => {
    const body = ok(await gw.request('GET', '/exchange/collections/'));
    const us = arrayOf(body, 'collections').find((c) => c['id'] === COLL.us);
    expect(us).toEqual({
      id: COLL.us,
      title: 'US-CERT indicators',
      alias: 'us-cert-indicators',
      can_read: true,
      can_write: true,
      media_types: [STIX],
    });
  });

  it('when the trailing slash is missing, then serves the same list', async () => {
    expect(ok(await gw.request('GET', '/exchange/collections'))).toEqual(ok(await gw.request('GET', '/exchange/collections/')));
  });

  it('when the other API root is listed, then only its own collection appears', async () => {
    const body = ok(await gw.request('GET', '/other-root/collections/'));
    expect(arrayOf(body, 'collections').map((c) => [c['id'], c['alias']])).toEqual([[COLL.other, 'joint']]);
  });

  it('when the API root does not exist, then 404', async () => {
    expectTaxiiError(await gw.request('GET', '/nowhere/collections/'), 404);
  });

  it('when the method is POST, then 405 with Allow: GET', async () => {
    const r = await gw.request('POST', '/exchange/collections/', { body: '{}' });
    expectTaxiiError(r, 405);
    expect(r.headers.get('allow')).toBe('GET');
  });
});

describe('GET /{root}/collections/{id}/', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ worker: false });
  });
  afterAll(async () => {
    await gw.close();
  });

  const cases = Object.entries(VISIBILITY).flatMap(([user, seen]) =>
    [COLL.us, COLL.ru, COLL.joint].map((id) => ({ user, id, perms: seen[id] })),
  );

  it.each(cases)('when $user asks for $id by id and by alias, then both answer alike', async ({ user, id, perms }) => {
    const byId = await gw.request('GET', `/exchange/collections/${id}/`, { user });
    const byAlias = await gw.request('GET', `/exchange/collections/${ALIAS[id] ?? ''}/`, { user });
    if (perms === undefined) {
      expectTaxiiError(byId, 404);
      expectTaxiiError(byAlias, 404);
      return;
    }
    const a = ok(byId);
    expect(ok(byAlias)).toEqual(a);
    expect([a['id'], a['can_read'], a['can_write']]).toEqual([id, ...perms]);
  });

  it("when the alias joint is used under other-root, then it resolves to that root's collection", async () => {
    const body = ok(await gw.request('GET', '/other-root/collections/joint/'));
    expect(body['id']).toBe(COLL.other);
    expect(ok(await gw.request('GET', '/exchange/collections/joint/'))['id']).toBe(COLL.joint);
  });

  it('when a collection id of one root is used under another root, then 404', async () => {
    expectTaxiiError(await gw.request('GET', `/other-root/collections/${COLL.us}/`), 404);
    expectTaxiiError(await gw.request('GET', `/exchange/collections/${COLL.other}/`), 404);
  });

  it('when the collection does not exist, then 404 with the same body shape as an invisible one', async () => {
    const missing = expectTaxiiError(await gw.request('GET', '/exchange/collections/00000000-0000-4000-8000-000000000000/'), 404);
    const hidden = expectTaxiiError(await gw.request('GET', `/exchange/collections/${COLL.us}/`, { user: 'nobody' }), 404);
    expect(Object.keys(hidden).sort()).toEqual(Object.keys(missing).sort());
    expect(hidden['title']).toBe(missing['title']);
  });

  it('when the trailing slash is missing, then serves the same resource', async () => {
    expect(ok(await gw.request('GET', `/exchange/collections/${COLL.us}`))).toEqual(
      ok(await gw.request('GET', `/exchange/collections/${COLL.us}/`)),
    );
  });
});
