import { COLL, indicator, startTestGateway, type TestGateway } from '../helpers/gateway';
import { arrayOf, expectTaxiiError, MICROS_TIMESTAMP, manifestPath, objectPath, ok, str, ts } from './support';

const V = [indicator(1, { modified: ts(1) }), indicator(1, { modified: ts(2) }), indicator(1, { modified: ts(3) })];
const OTHER = indicator(2);
const ID = String(V[0]?.['id']);

describe('GET /{root}/collections/{id}/objects/{object-id}/', () => {
  let gw: TestGateway;
  let added: string[];

  beforeAll(async () => {
    gw = await startTestGateway();
    for (const v of V) await gw.post(COLL.us, [v]);
    await gw.post(COLL.us, [OTHER]);
    const m = ok(await gw.request('GET', `${manifestPath(COLL.us)}?match[id]=${ID}&match[version]=all`));
    added = arrayOf(m, 'objects').map((r) => str(r, 'date_added'));
  });
  afterAll(async () => {
    await gw.close();
  });

  const modifiedOf = (body: Record<string, unknown>): unknown[] => arrayOf(body, 'objects').map((o) => o['modified']);

  it.each([
    ['', [ts(3)]],
    ['match[version]=last', [ts(3)]],
    ['match[version]=first', [ts(1)]],
    ['match[version]=all', [ts(1), ts(2), ts(3)]],
    [`match[version]=${ts(2)}`, [ts(2)]],
    [`match[version]=first,${ts(2)}`, [ts(1), ts(2)]],
    ['match[spec_version]=2.1', [ts(3)]],
    ['match[type]=malware', [ts(3)]],
  ])('when the query is "%s", then the selected versions of that object only come back', async (query, expected) => {
    const body = ok(await gw.request('GET', `${objectPath(COLL.us, ID)}?${query}`));
    expect(modifiedOf(body)).toEqual(expected);
    expect(arrayOf(body, 'objects').every((o) => o['id'] === ID)).toBe(true);
  });

  it('when all versions are paged with limit=1, then next walks them in date_added order with exact headers', async () => {
    const seen: unknown[] = [];
    let url = `${objectPath(COLL.us, ID)}?match[version]=all&limit=1`;
    for (let i = 0; i < 5; i++) {
      const r = await gw.request('GET', url);
      const body = ok(r);
      seen.push(...modifiedOf(body));
      expect(r.headers.get('x-taxii-date-added-first')).toBe(added[i]);
      expect(r.headers.get('x-taxii-date-added-last')).toBe(added[i]);
      if (body['more'] !== true) break;
      url = `${objectPath(COLL.us, ID)}?match[version]=all&limit=1&next=${encodeURIComponent(String(body['next']))}`;
    }
    expect(seen).toEqual([ts(1), ts(2), ts(3)]);
  });

  it("when added_after is the first version's date_added, then the later versions come back", async () => {
    const body = ok(await gw.request('GET', `${objectPath(COLL.us, ID)}?match[version]=all&added_after=${added[0] ?? ''}`));
    expect(modifiedOf(body)).toEqual([ts(2), ts(3)]);
  });

  it('when an object is returned, then the date headers have µs precision', async () => {
    const r = await gw.request('GET', objectPath(COLL.us, ID));
    ok(r);
    expect(r.headers.get('x-taxii-date-added-first')).toMatch(MICROS_TIMESTAMP);
    expect(r.headers.get('x-taxii-date-added-last')).toBe(added[2]);
  });

  it.each([
    ['an unknown object id', objectPath(COLL.us, 'indicator--99999999-9999-4999-8999-999999999999')],
    ['a malformed object id', objectPath(COLL.us, 'not-an-id')],
    ['a version that does not exist', `${objectPath(COLL.us, ID)}?match[version]=2001-01-01T00:00:00Z`],
    ['a spec_version that does not exist', `${objectPath(COLL.us, ID)}?match[spec_version]=2.0`],
    ['an object of another collection', objectPath(COLL.joint, ID)],
  ])('when asking for %s, then 404', async (_what, url) => {
    expectTaxiiError(await gw.request('GET', url), 404, 'NOT_FOUND');
  });

  it('when added_after is past the last version of an existing object, then 200 with an empty page', async () => {
    const r = await gw.request('GET', `${objectPath(COLL.us, ID)}?added_after=${added[2] ?? ''}`);
    expect(ok(r)).toEqual({ more: false });
  });

  it('when added_after is given for an object that does not exist, then 404', async () => {
    const r = await gw.request(
      'GET',
      `${objectPath(COLL.us, 'indicator--99999999-9999-4999-8999-999999999999')}?added_after=2020-01-01T00:00:00Z`,
    );
    expectTaxiiError(r, 404);
  });

  it('when a filter is malformed, then 400', async () => {
    expectTaxiiError(await gw.request('GET', `${objectPath(COLL.us, ID)}?match[version]=all,last`), 400, 'INVALID_FILTER');
    expectTaxiiError(await gw.request('GET', `${objectPath(COLL.us, ID)}?limit=0`), 400, 'INVALID_FILTER');
  });

  it('when the trailing slash is missing, then the object is served', async () => {
    const body = ok(await gw.request('GET', `/exchange/collections/${COLL.us}/objects/${ID}`));
    expect(modifiedOf(body)).toEqual([ts(3)]);
  });

  it('when the method is POST, then 405 with Allow: GET, DELETE', async () => {
    const r = await gw.request('POST', objectPath(COLL.us, ID), { body: '{}' });
    expectTaxiiError(r, 405);
    expect(r.headers.get('allow')).toBe('GET, DELETE');
  });
});
