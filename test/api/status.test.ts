import { COLL, indicator, startTestGateway, type TestGateway } from '../helpers/gateway';
import { arrayOf, expectTaxiiError, MICROS_TIMESTAMP, objectsPath, ok } from './support';

describe('GET /{root}/status/{status-id}/', () => {
  let gw: TestGateway;
  let statusId = '';
  let jointStatusId = '';

  beforeAll(async () => {
    gw = await startTestGateway();
    const r = await gw.request('POST', objectsPath(COLL.us), {
      user: 'us-cert',
      body: JSON.stringify({ objects: [indicator(1), indicator(2), indicator(3, { id: 'indicator--bad' })] }),
    });
    statusId = String(r.json()['id']);
    await gw.waitStatus(statusId, 'us-cert');
    const j = await gw.request('POST', objectsPath(COLL.joint), { user: 'ru-cert', body: JSON.stringify({ objects: [indicator(4)] }) });
    jointStatusId = String(j.json()['id']);
    await gw.waitStatus(jointStatusId, 'ru-cert');
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when the poster reads its status, then it has every required field and consistent counts', async () => {
    const s = ok(await gw.request('GET', `/exchange/status/${statusId}/`));
    expect(s['id']).toBe(statusId);
    expect(s['status']).toBe('complete');
    expect(s['request_timestamp']).toMatch(MICROS_TIMESTAMP);
    expect([s['total_count'], s['success_count'], s['failure_count'], s['pending_count']]).toEqual([3, 2, 1, 0]);
    expect(arrayOf(s, 'successes').map((d) => d['id'])).toEqual([indicator(1)['id'], indicator(2)['id']]);
    for (const d of arrayOf(s, 'successes'))
      expect(d).toEqual({ id: expect.any(String), version: expect.any(String), message: expect.any(String) });
    expect(arrayOf(s, 'failures')).toEqual([expect.objectContaining({ id: 'indicator--bad', message: expect.any(String) })]);
    expect(s['pendings']).toEqual([]);
  });

  it('when an object with a bad id fails, then its failure detail still carries the posted version', async () => {
    const s = ok(await gw.request('GET', `/exchange/status/${statusId}/`));
    expect(arrayOf(s, 'failures')).toEqual([{ id: 'indicator--bad', version: '2024-01-01T00:00:00.000Z', message: expect.any(String) }]);
  });

  it("when an admin reads another principal's status, then 200", async () => {
    expect(ok(await gw.request('GET', `/exchange/status/${statusId}/`, { user: 'operator' }))['id']).toBe(statusId);
  });

  it.each(['ru-cert', 'nobody'])('when %s reads a status it did not post, then 404', async (user) => {
    expectTaxiiError(await gw.request('GET', `/exchange/status/${statusId}/`, { user }), 404);
  });

  it("when a writer of a shared collection reads the other writer's status, then 404", async () => {
    expectTaxiiError(await gw.request('GET', `/exchange/status/${jointStatusId}/`, { user: 'us-cert' }), 404);
    expect(ok(await gw.request('GET', `/exchange/status/${jointStatusId}/`, { user: 'ru-cert' }))['status']).toBe('complete');
  });

  it.each([
    ['an unknown status id', '/exchange/status/00000000-0000-4000-8000-000000000000/'],
    ['a status id that is not a UUID', '/exchange/status/not-a-uuid/'],
    ['an upper-cased status id', () => `/exchange/status/${statusId.toUpperCase()}/`],
    ['the status under another API root', () => `/other-root/status/${statusId}/`],
    ['the status under an unknown API root', () => `/nowhere/status/${statusId}/`],
  ])('when asking for %s, then 404', async (_what, path) => {
    expectTaxiiError(await gw.request('GET', typeof path === 'string' ? path : path()), 404, 'NOT_FOUND');
  });

  it('when the status is unknown or belongs to someone else, then the two 404 bodies look alike', async () => {
    const a = expectTaxiiError(await gw.request('GET', '/exchange/status/00000000-0000-4000-8000-000000000000/', { user: 'ru-cert' }), 404);
    const b = expectTaxiiError(await gw.request('GET', `/exchange/status/${statusId}/`, { user: 'ru-cert' }), 404);
    expect(a['title']).toBe(b['title']);
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  });

  it('when the trailing slash is missing, then the status is served', async () => {
    expect(ok(await gw.request('GET', `/exchange/status/${statusId}`))['id']).toBe(statusId);
  });

  it('when the method is DELETE, then 405 with Allow: GET', async () => {
    const r = await gw.request('DELETE', `/exchange/status/${statusId}/`);
    expectTaxiiError(r, 405);
    expect(r.headers.get('allow')).toBe('GET');
  });
});

describe('GET /{root}/status/{status-id}/ while the worker has not run', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ worker: false });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when the job is still queued, then the status is pending and lists every object in pendings', async () => {
    const objs = [indicator(10), indicator(11, { modified: '2024-05-05T05:05:05.555555Z' })];
    const r = await gw.request('POST', objectsPath(COLL.us), { body: JSON.stringify({ objects: objs }) });
    expect(r.status).toBe(202);
    const s = ok(await gw.request('GET', `/exchange/status/${String(r.json()['id'])}/`));
    expect(s).toEqual({ ...r.json(), status: 'pending' });
    expect([s['total_count'], s['success_count'], s['failure_count'], s['pending_count']]).toEqual([2, 0, 0, 2]);
    expect(s['pendings']).toEqual([
      { id: objs[0]?.['id'], version: objs[0]?.['modified'] },
      { id: objs[1]?.['id'], version: '2024-05-05T05:05:05.555555Z' },
    ]);
  });
});
