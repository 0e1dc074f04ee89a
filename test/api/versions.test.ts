import { COLL, indicator, startTestGateway, type TestGateway } from '../helpers/gateway';
import {
  arrayOf,
  expectTaxiiError,
  ipv4,
  MICROS_TIMESTAMP,
  manifestPath,
  objectPath,
  objectsPath,
  ok,
  statementMarking,
  str,
  ts,
  versionsPath,
} from './support';

const MICRO = '2024-01-01T00:00:00.123456Z';
const NANO = '2024-01-01T00:00:00.987654321Z';

describe('GET /{root}/collections/{id}/objects/{object-id}/versions/', () => {
  let gw: TestGateway;
  const X = [indicator(1, { modified: ts(5) }), indicator(1, { modified: ts(9) }), indicator(1, { modified: ts(7) })];
  const XID = String(X[0]?.['id']);
  const S = ipv4(3, 3);
  const M = statementMarking(3);
  const P = indicator(2, { created: MICRO, modified: MICRO, valid_from: MICRO });
  const N = indicator(3, { created: NANO, modified: NANO });

  beforeAll(async () => {
    gw = await startTestGateway();
    // Posted out of version order: ts(5), ts(9), then ts(7).
    await gw.post(COLL.us, [X[0], X[1]]);
    await gw.post(COLL.us, [X[2], S, M, P, N]);
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when an object has several versions, then versions lists them all, ascending by date_added', async () => {
    const r = await gw.request('GET', versionsPath(COLL.us, XID));
    const body = ok(r);
    expect(body).toEqual({ more: false, versions: [ts(5), ts(9), ts(7)] });
    const m = arrayOf(ok(await gw.request('GET', `${manifestPath(COLL.us)}?match[id]=${XID}&match[version]=all`)), 'objects');
    expect(r.headers.get('x-taxii-date-added-first')).toBe(m[0]?.['date_added']);
    expect(r.headers.get('x-taxii-date-added-last')).toBe(m[2]?.['date_added']);
    expect(r.headers.get('x-taxii-date-added-last')).toMatch(MICROS_TIMESTAMP);
  });

  it('when the latest is asked for, then the highest version wins, not the last added', async () => {
    const body = ok(await gw.request('GET', objectPath(COLL.us, XID)));
    expect(arrayOf(body, 'objects').map((o) => o['modified'])).toEqual([ts(9)]);
  });

  it('when versions are paged with limit=1, then next walks every version once', async () => {
    const seen: unknown[] = [];
    let url = `${versionsPath(COLL.us, XID)}?limit=1`;
    for (let i = 0; i < 5; i++) {
      const body = ok(await gw.request('GET', url));
      seen.push(...(body['versions'] as unknown[]));
      if (body['more'] !== true) break;
      expect(typeof body['next']).toBe('string');
      url = `${versionsPath(COLL.us, XID)}?limit=1&next=${encodeURIComponent(String(body['next']))}`;
    }
    expect(seen).toEqual([ts(5), ts(9), ts(7)]);
  });

  it('when added_after is the first date_added, then only the later versions are listed', async () => {
    const m = arrayOf(ok(await gw.request('GET', `${manifestPath(COLL.us)}?match[id]=${XID}&match[version]=all`)), 'objects');
    const body = ok(await gw.request('GET', `${versionsPath(COLL.us, XID)}?added_after=${str(m[0], 'date_added')}`));
    expect(body['versions']).toEqual([ts(9), ts(7)]);
  });

  it('when the object is an SCO, then its only version is its date_added', async () => {
    const body = ok(await gw.request('GET', versionsPath(COLL.us, String(S['id']))));
    const m = arrayOf(ok(await gw.request('GET', `${manifestPath(COLL.us)}?match[id]=${String(S['id'])}`)), 'objects');
    expect(body['versions']).toEqual([str(m[0], 'date_added')]);
    expect(m[0]?.['version']).toBe(m[0]?.['date_added']);
  });

  it('when the object is a marking-definition, then its version is created', async () => {
    const body = ok(await gw.request('GET', versionsPath(COLL.us, String(M['id']))));
    expect(body['versions']).toEqual([M['created']]);
  });

  it('when timestamps carry microseconds, then the stored object, its version and the manifest keep them unchanged', async () => {
    const r = await gw.request('GET', objectPath(COLL.us, String(P['id'])));
    ok(r);
    expect(r.text).toContain(`"modified":"${MICRO}"`);
    expect(r.text).toContain(`"created":"${MICRO}"`);
    expect(r.text).toContain(`"valid_from":"${MICRO}"`);
    expect(ok(await gw.request('GET', versionsPath(COLL.us, String(P['id']))))['versions']).toEqual([MICRO]);
    const m = arrayOf(ok(await gw.request('GET', `${manifestPath(COLL.us)}?match[id]=${String(P['id'])}`)), 'objects');
    expect(m[0]?.['version']).toBe(MICRO);
    const exact = ok(await gw.request('GET', `${objectsPath(COLL.us)}?match[version]=${MICRO}`));
    expect(arrayOf(exact, 'objects').map((o) => o['id'])).toEqual([P['id']]);
  });

  it('when a timestamp carries nanoseconds, then the object is served with it unchanged', async () => {
    const r = await gw.request('GET', objectPath(COLL.us, String(N['id'])));
    ok(r);
    expect(r.text).toContain(`"modified":"${NANO}"`);
    expect(ok(await gw.request('GET', versionsPath(COLL.us, String(N['id']))))['versions']).toEqual([NANO]);
  });

  it('when objects are served, then each is the stored text byte for byte inside the envelope', async () => {
    const r = await gw.request('GET', `${objectsPath(COLL.us)}?match[id]=${String(P['id'])}`);
    const stored = await gw.store.read(
      COLL.us,
      {
        after: 0,
        limit: 10,
        ids: [String(P['id'])],
        types: [],
        versions: { all: true, first: false, last: false, exact: [] },
      },
      true,
    );
    expect(r.text).toBe(`{"more":false,"objects":[${stored.records[0]?.json ?? ''}]}`);
  });

  it.each([
    ['an unknown object', versionsPath(COLL.us, 'indicator--99999999-9999-4999-8999-999999999999')],
    ['a malformed object id', versionsPath(COLL.us, 'indicator--x')],
    ['a spec_version the object does not have', `${versionsPath(COLL.us, XID)}?match[spec_version]=2.0`],
  ])('when asking for %s, then 404', async (_what, url) => {
    expectTaxiiError(await gw.request('GET', url), 404);
  });

  it('when limit is malformed, then 400', async () => {
    expectTaxiiError(await gw.request('GET', `${versionsPath(COLL.us, XID)}?limit=-1`), 400, 'INVALID_FILTER');
  });

  it('when next is reused with another added_after, then 400', async () => {
    const body = ok(await gw.request('GET', `${versionsPath(COLL.us, XID)}?limit=1`));
    const e = await gw.request(
      'GET',
      `${versionsPath(COLL.us, XID)}?limit=1&added_after=2020-01-01T00:00:00Z&next=${encodeURIComponent(String(body['next']))}`,
    );
    expectTaxiiError(e, 400, 'INVALID_NEXT');
  });

  it('when the trailing slash is missing, then versions are served', async () => {
    const body = ok(await gw.request('GET', `/exchange/collections/${COLL.us}/objects/${XID}/versions`));
    expect(body['versions']).toEqual([ts(5), ts(9), ts(7)]);
  });

  it('when the method is DELETE, then 405 with Allow: GET', async () => {
    const r = await gw.request('DELETE', versionsPath(COLL.us, XID));
    expectTaxiiError(r, 405);
    expect(r.headers.get('allow')).toBe('GET');
  });
});
