import { basic, COLL, indicator, startTestGateway, type TestGateway } from '../helpers/gateway';
import { expectRawTaxiiError, expectTaxiiError, idsOf, manifestPath, objectPath, objectsPath, ok, rawRequest, TAXII } from './support';

const PROTECTED = [
  '/exchange/collections/',
  `/exchange/collections/${COLL.us}/`,
  manifestPath(COLL.us),
  objectsPath(COLL.us),
  objectPath(COLL.us, indicator(1)['id'] as string),
  `/exchange/status/00000000-0000-4000-8000-000000000000/`,
  '/exchange/collections/00000000-0000-4000-8000-000000000000/objects/',
];

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** Authorization values that are not valid credentials of any kind. */
const MALFORMED = [
  'Basic',
  'Basic ',
  'Basic !!!not-base64',
  `Basic ${b64('no-colon-here')}`,
  `Basic ${b64(':empty-user')}`,
  'Digest username="us-cert"',
  'Bearer',
  'Bearer not a token',
  `Basic ${'A'.repeat(5000)}`,
  'us-cert:us-test-password',
];

describe('authentication', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ worker: false });
  });
  afterAll(async () => {
    await gw.close();
  });

  it.each(PROTECTED)('when GET %s has no Authorization header, then 401 with WWW-Authenticate and a TAXII error', async (path) => {
    const r = await gw.request('GET', path, { user: null });
    expectTaxiiError(r, 401, 'UNAUTHORIZED');
    expect(r.headers.get('www-authenticate')).toMatch(/Basic realm="[^"]+"/);
  });

  it('when POST objects has no Authorization header, then 401 before the body is looked at', async () => {
    const r = await gw.request('POST', objectsPath(COLL.us), { user: null, body: 'not json' });
    expectTaxiiError(r, 401);
  });

  it('when the password is wrong or the user unknown, then both 401 bodies are identical apart from error_id', async () => {
    const wrong = await gw.request('GET', '/exchange/collections/', { headers: { Authorization: basic('us-cert', 'wrong') } });
    const unknown = await gw.request('GET', '/exchange/collections/', { headers: { Authorization: basic('mallory', 'wrong') } });
    const a = expectTaxiiError(wrong, 401);
    const b = expectTaxiiError(unknown, 401);
    expect(a['error_id']).not.toBe(b['error_id']);
    expect({ ...a, error_id: 'x' }).toEqual({ ...b, error_id: 'x' });
    expect(wrong.headers.get('www-authenticate')).toBe(unknown.headers.get('www-authenticate'));
  });

  it('when an unknown bearer token is sent, then 401', async () => {
    const r = await gw.request('GET', '/exchange/collections/', { headers: { Authorization: 'Bearer abc.def' } });
    expectTaxiiError(r, 401);
  });

  it.each(MALFORMED.map((h) => [h.slice(0, 40), h]))(
    'when the Authorization header is malformed (%s), then 401 with WWW-Authenticate',
    async (_label, header) => {
      const r = await rawRequest(gw, 'GET', '/exchange/collections/', { Authorization: header, Accept: TAXII });
      expectRawTaxiiError(r, 401);
      expect(r.headers['www-authenticate']).toMatch(/Basic/);
    },
  );

  it('when the user name is upper-cased, then the credentials are not accepted', async () => {
    const r = await gw.request('GET', '/exchange/collections/', { headers: { Authorization: basic('US-CERT', 'us-test-password') } });
    expectTaxiiError(r, 401);
  });

  it('when unauthenticated and the collection does not exist, then 401 (existence is not revealed)', async () => {
    expectTaxiiError(await gw.request('GET', '/exchange/collections/does-not-exist/objects/', { user: null }), 401);
  });
});

describe('permissions', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
    await gw.post(COLL.us, [indicator(10)], 'us-cert');
    await gw.post(COLL.ru, [indicator(11)], 'ru-cert');
  });
  afterAll(async () => {
    await gw.close();
  });

  const readPaths = (c: string): string[] => [
    objectsPath(c),
    manifestPath(c),
    objectPath(c, indicator(11)['id'] as string),
    `${objectPath(c, indicator(11)['id'] as string)}versions/`,
  ];

  it('when a principal with write but not read access reads, then 403 on every read endpoint', async () => {
    for (const path of readPaths(COLL.ru)) expectTaxiiError(await gw.request('GET', path, { user: 'ru-cert' }), 403, 'FORBIDDEN');
    for (const path of readPaths('ru-cert-indicators')) expectTaxiiError(await gw.request('GET', path, { user: 'ru-cert' }), 403);
  });

  it('when a reader reads the same collection, then 200', async () => {
    expect(idsOf(ok(await gw.request('GET', objectsPath(COLL.ru), { user: 'us-cert' })))).toEqual([indicator(11)['id']]);
  });

  it.each([
    ['ru-cert', COLL.us],
    ['operator', COLL.us],
    ['us-cert', COLL.ru],
  ])('when %s posts to a collection it may only read (%s), then 403', async (user, c) => {
    const r = await gw.request('POST', objectsPath(c), { user, body: JSON.stringify({ objects: [indicator(12)] }) });
    expectTaxiiError(r, 403, 'FORBIDDEN');
  });

  it('when a principal that sees no collection uses id or alias, then 404 on every endpoint and method', async () => {
    for (const c of [COLL.us, 'us-cert-indicators', COLL.joint, 'joint']) {
      for (const path of [`/exchange/collections/${c}/`, ...readPaths(c)]) {
        expectTaxiiError(await gw.request('GET', path, { user: 'nobody' }), 404);
      }
      expectTaxiiError(await gw.request('POST', objectsPath(c), { user: 'nobody', body: JSON.stringify({ objects: [] }) }), 404);
      expectTaxiiError(await gw.request('DELETE', objectPath(c, indicator(10)['id'] as string), { user: 'nobody' }), 404);
    }
  });

  it('when the admin reads any collection, then 200 (admins read everything)', async () => {
    expect(idsOf(ok(await gw.request('GET', objectsPath(COLL.ru), { user: 'operator' })))).toEqual([indicator(11)['id']]);
    expect(idsOf(ok(await gw.request('GET', objectsPath(COLL.us), { user: 'operator' })))).toEqual([indicator(10)['id']]);
  });

  it('when objects are posted and read through the alias, then the alias and the id address the same collection', async () => {
    await gw.post('joint', [indicator(13)], 'ru-cert');
    expect(idsOf(ok(await gw.request('GET', objectsPath(COLL.joint), { user: 'us-cert' })))).toContain(indicator(13)['id']);
    expect(idsOf(ok(await gw.request('GET', objectsPath('joint'), { user: 'ru-cert' })))).toContain(indicator(13)['id']);
  });

  it('when the same alias exists in another API root, then each root resolves it to its own collection', async () => {
    const r = await gw.request('POST', objectsPath('joint', 'other-root'), {
      user: 'us-cert',
      body: JSON.stringify({ objects: [indicator(14)] }),
    });
    expect(r.status).toBe(202);
    const statusId = String(r.json()['id']);
    // The status lives in the API root it was posted to.
    let status: Record<string, unknown> = {};
    for (let i = 0; i < 200 && status['status'] !== 'complete'; i++) {
      status = ok(await gw.request('GET', `/other-root/status/${statusId}/`));
      if (status['status'] !== 'complete') await new Promise((res) => setTimeout(res, 25));
    }
    expect(status['success_count']).toBe(1);
    expect(idsOf(ok(await gw.request('GET', objectsPath('joint', 'other-root'))))).toEqual([indicator(14)['id']]);
    expect(idsOf(ok(await gw.request('GET', objectsPath(COLL.other, 'other-root'))))).toEqual([indicator(14)['id']]);
    expect(idsOf(ok(await gw.request('GET', objectsPath('joint'))))).not.toContain(indicator(14)['id']);
    expectTaxiiError(await gw.request('GET', objectsPath('joint', 'other-root'), { user: 'ru-cert' }), 404);
  });
});
