import { COLL, indicator, startTestGateway, type TestGateway } from '../helpers/gateway';
import { arrayOf, expectTaxiiError, idsOf, ipv4, manifestPath, objectPath, objectsPath, ok, str, ts, versionsPath } from './support';

const threeVersions = (n: number): Record<string, unknown>[] => [1, 2, 3].map((k) => indicator(n, { modified: ts(k) }));

describe('DELETE /{root}/collections/{id}/objects/{object-id}/', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  /** What every read endpoint reports for one object. */
  const views = async (c: string, id: string) => {
    const all = ok(await gw.request('GET', `${objectsPath(c)}?match[version]=all&match[id]=${id}`));
    const byType = ok(await gw.request('GET', `${objectsPath(c)}?match[version]=all&match[type]=${id.split('--')[0] ?? ''}&limit=50`));
    const latest = ok(await gw.request('GET', `${objectsPath(c)}?match[type]=${id.split('--')[0] ?? ''}&limit=50`));
    const first = ok(await gw.request('GET', `${objectsPath(c)}?match[version]=first&limit=50`));
    const manifest = ok(await gw.request('GET', `${manifestPath(c)}?match[version]=all&limit=50`));
    const versions = await gw.request('GET', versionsPath(c, id));
    const object = await gw.request('GET', objectPath(c, id));
    const mod = (b: Record<string, unknown>): unknown[] =>
      arrayOf(b, 'objects')
        .filter((o) => o['id'] === id)
        .map((o) => o['modified'] ?? o['id']);
    return {
      all: mod(all),
      byType: mod(byType),
      latest: mod(latest),
      first: mod(first),
      manifest: arrayOf(manifest, 'objects')
        .filter((o) => o['id'] === id)
        .map((o) => o['version']),
      versions: versions.status === 200 ? versions.json()['versions'] : versions.status,
      object: object.status === 200 ? mod(object.json()) : object.status,
    };
  };

  it('when no match[version] is given, then every version and every index entry is removed', async () => {
    const v = threeVersions(1);
    const id = String(v[0]?.['id']);
    await gw.post(COLL.us, v);
    await gw.post(COLL.us, [indicator(2)]);
    const r = await gw.request('DELETE', objectPath(COLL.us, id));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/taxii+json;version=2.1');
    expect(await views(COLL.us, id)).toEqual({ all: [], byType: [], latest: [], first: [], manifest: [], versions: 404, object: 404 });
    expect(idsOf(ok(await gw.request('GET', objectsPath(COLL.us))))).toContain(indicator(2)['id']);
  });

  it.each([
    ['last', [ts(1), ts(2)], ts(2), ts(1)],
    ['first', [ts(2), ts(3)], ts(3), ts(2)],
    [ts(2), [ts(1), ts(3)], ts(3), ts(1)],
    [`first,${ts(3)}`, [ts(2)], ts(2), ts(2)],
  ])('when match[version]=%s, then only those versions go and latest/first are recomputed', async (sel, left, latest, first) => {
    const n = 10 + sel.length;
    const v = threeVersions(n);
    const id = String(v[0]?.['id']);
    await gw.post(COLL.joint, v);
    const r = await gw.request('DELETE', `${objectPath(COLL.joint, id)}?match[version]=${sel}`);
    expect(r.status).toBe(200);
    expect(await views(COLL.joint, id)).toEqual({
      all: left,
      byType: left,
      latest: [latest],
      first: [first],
      manifest: left,
      versions: left,
      object: [latest],
    });
  });

  it('when match[version] names no stored version, then 404 and nothing is removed', async () => {
    const v = threeVersions(30);
    const id = String(v[0]?.['id']);
    await gw.post(COLL.us, v);
    expectTaxiiError(await gw.request('DELETE', `${objectPath(COLL.us, id)}?match[version]=2001-01-01T00:00:00Z`), 404);
    expect((await views(COLL.us, id)).all).toEqual([ts(1), ts(2), ts(3)]);
  });

  it('when match[spec_version] matches nothing, then 404; when it matches, then the versions go', async () => {
    const v = threeVersions(31);
    const id = String(v[0]?.['id']);
    await gw.post(COLL.us, v);
    expectTaxiiError(await gw.request('DELETE', `${objectPath(COLL.us, id)}?match[spec_version]=2.0`), 404);
    expect((await gw.request('DELETE', `${objectPath(COLL.us, id)}?match[spec_version]=2.1`)).status).toBe(200);
    expect((await views(COLL.us, id)).all).toEqual([]);
  });

  it('when an SCO is deleted by its date_added version, then it is gone', async () => {
    const s = ipv4(4, 4);
    const id = String(s['id']);
    await gw.post(COLL.us, [s]);
    const m = arrayOf(ok(await gw.request('GET', `${manifestPath(COLL.us)}?match[id]=${id}`)), 'objects');
    expect((await gw.request('DELETE', `${objectPath(COLL.us, id)}?match[version]=${str(m[0], 'version')}`)).status).toBe(200);
    expectTaxiiError(await gw.request('GET', objectPath(COLL.us, id)), 404);
  });

  it('when a deleted object is posted again, then it is stored anew (not a duplicate)', async () => {
    const obj = indicator(40);
    await gw.post(COLL.us, [obj]);
    expect((await gw.request('DELETE', objectPath(COLL.us, String(obj['id'])))).status).toBe(200);
    const s = await gw.post(COLL.us, [obj]);
    expect(String(arrayOf(s, 'successes')[0]?.['message'])).not.toMatch(/duplicate/i);
    expect(idsOf(ok(await gw.request('GET', objectPath(COLL.us, String(obj['id'])))))).toEqual([obj['id']]);
  });

  it.each([
    ['a reader without write permission', 'us-cert', COLL.ru, 403],
    ['a writer without read permission', 'ru-cert', COLL.ru, 403],
    ['an admin, who reads but does not write', 'operator', COLL.ru, 403],
    ['a principal that does not see the collection', 'nobody', COLL.ru, 404],
  ])('when %s deletes, then %s answers %i and nothing is removed', async (_who, user, c, status) => {
    const obj = indicator(50);
    await gw.post(COLL.ru, [obj], 'ru-cert').catch(() => undefined);
    expectTaxiiError(await gw.request('DELETE', objectPath(c, String(obj['id'])), { user }), status);
    expect(idsOf(ok(await gw.request('GET', objectsPath(COLL.ru), { user: 'us-cert' })))).toContain(obj['id']);
  });

  it('when a principal with read and write deletes its own object through the alias, then 200', async () => {
    const obj = indicator(60);
    await gw.post(COLL.joint, [obj], 'us-cert');
    expect((await gw.request('DELETE', objectPath('joint', String(obj['id'])), { user: 'us-cert' })).status).toBe(200);
    expectTaxiiError(await gw.request('GET', objectPath('joint', String(obj['id']))), 404);
  });

  it.each(['match[version]=all,first', 'match[version]=yesterday', 'match[spec_version]=x'])(
    'when the filter %s is malformed, then 400',
    async (q) => {
      expectTaxiiError(await gw.request('DELETE', `${objectPath(COLL.us, String(indicator(2)['id']))}?${q}`), 400, 'INVALID_FILTER');
    },
  );

  it("when a writer deletes another producer's object, then 403 NOT_PRODUCER and the object stays", async () => {
    const obj = indicator(61);
    await gw.post(COLL.joint, [obj], 'ru-cert');
    const r = await gw.request('DELETE', objectPath('joint', String(obj['id'])), { user: 'us-cert' });
    expectTaxiiError(r, 403);
    expect(r.text).toContain('NOT_PRODUCER');
    expect(idsOf(ok(await gw.request('GET', objectPath('joint', String(obj['id'])))))).toEqual([obj['id']]);
  });

  it('when the object does not exist, then 404', async () => {
    expectTaxiiError(await gw.request('DELETE', objectPath(COLL.us, 'indicator--99999999-9999-4999-8999-999999999999')), 404);
  });

  it('when the trailing slash is missing, then the delete works', async () => {
    const obj = indicator(70);
    await gw.post(COLL.us, [obj]);
    expect((await gw.request('DELETE', `/exchange/collections/${COLL.us}/objects/${String(obj['id'])}`)).status).toBe(200);
    expectTaxiiError(await gw.request('GET', objectPath(COLL.us, String(obj['id']))), 404);
  });
});
