import { COLL, indicator, startTestGateway, type TestGateway } from '../helpers/gateway';
import { arrayOf, expectTaxiiError, ipv4, MICROS_TIMESTAMP, manifestPath, objectsPath, ok, statementMarking, str, ts } from './support';

const STIX = 'application/stix+json;version=2.1';
const I1 = indicator(1, { modified: ts(10) });
const I2 = indicator(1, { modified: ts(20) });
const J = indicator(2);
const S = ipv4(2, 2);
const M = statementMarking(2, '2024-02-02T02:02:02.500Z');

describe('GET /{root}/collections/{id}/manifest/', () => {
  let gw: TestGateway;
  let all: Record<string, unknown>[];

  beforeAll(async () => {
    gw = await startTestGateway();
    await gw.post(COLL.us, [I1]);
    await gw.post(COLL.us, [J]);
    await gw.post(COLL.us, [S]);
    await gw.post(COLL.us, [M]);
    await gw.post(COLL.us, [I2]);
    all = arrayOf(ok(await gw.request('GET', `${manifestPath(COLL.us)}?match[version]=all`)), 'objects');
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when every version is listed, then each record has exactly id, date_added, version and media_type', async () => {
    expect(all.map((r) => r['id'])).toEqual([I1['id'], J['id'], S['id'], M['id'], I2['id']]);
    for (const r of all) {
      expect(Object.keys(r).sort()).toEqual(['date_added', 'id', 'media_type', 'version']);
      expect(r['media_type']).toBe(STIX);
      expect(str(r, 'date_added')).toMatch(MICROS_TIMESTAMP);
    }
    const added = all.map((r) => str(r, 'date_added'));
    expect([...added].sort()).toEqual(added);
    expect(new Set(added).size).toBe(added.length);
  });

  it('when an object has modified, created or neither, then version is modified, else created, else date_added', async () => {
    expect(all.map((r) => r['version'])).toEqual([ts(10), J['modified'], all[2]?.['date_added'], '2024-02-02T02:02:02.500Z', ts(20)]);
  });

  it('when no match[version] is given, then only the latest version of each object is listed', async () => {
    const body = ok(await gw.request('GET', manifestPath(COLL.us)));
    expect(arrayOf(body, 'objects').map((r) => [r['id'], r['version']])).toEqual([
      [J['id'], J['modified']],
      [S['id'], all[2]?.['date_added']],
      [M['id'], M['created']],
      [I1['id'], ts(20)],
    ]);
  });

  it.each([
    ['match[version]=first', [0, 1, 2, 3]],
    [`match[version]=${ts(10)}`, [0]],
    ['match[type]=indicator&match[version]=all', [0, 1, 4]],
    ['match[type]=ipv4-addr', [2]],
    [`match[id]=${String(M['id'])}`, [3]],
    [`match[id]=${String(I1['id'])},${String(J['id'])}&match[version]=first`, [0, 1]],
    ['match[spec_version]=2.0', []],
  ] as [string, number[]][])('when the query is "%s", then the matching records are listed', async (query, expected) => {
    const body = ok(await gw.request('GET', `${manifestPath(COLL.us)}?${query}`));
    expect(arrayOf(body, 'objects')).toEqual(expected.map((i) => all[i]));
  });

  it('when the version of an SCO (its date_added) is used in match[version], then it selects that record', async () => {
    const body = ok(await gw.request('GET', `${manifestPath(COLL.us)}?match[version]=${str(all[2], 'date_added')}`));
    expect(arrayOf(body, 'objects')).toEqual([all[2]]);
  });

  it('when added_after is given, then records with a later date_added are listed, with matching headers', async () => {
    const r = await gw.request('GET', `${manifestPath(COLL.us)}?match[version]=all&added_after=${str(all[1], 'date_added')}&limit=2`);
    const body = ok(r);
    expect(arrayOf(body, 'objects')).toEqual([all[2], all[3]]);
    expect(body['more']).toBe(true);
    expect(r.headers.get('x-taxii-date-added-first')).toBe(all[2]?.['date_added']);
    expect(r.headers.get('x-taxii-date-added-last')).toBe(all[3]?.['date_added']);
  });

  it('when the manifest and the objects are read with the same filters, then they list the same records in the same order', async () => {
    for (const q of ['match[version]=all', '', 'match[version]=first', 'match[type]=indicator']) {
      const m = arrayOf(ok(await gw.request('GET', `${manifestPath(COLL.us)}?${q}`)), 'objects');
      const o = arrayOf(ok(await gw.request('GET', `${objectsPath(COLL.us)}?${q}`)), 'objects');
      expect(o.map((x) => [x['id'], x['modified'] ?? x['created'] ?? null])).toEqual(
        m.map((x) => [x['id'], x['version'] === x['date_added'] ? null : x['version']]),
      );
    }
  });

  it('when the collection is empty, then 200 with no records and no date headers', async () => {
    const r = await gw.request('GET', manifestPath(COLL.joint));
    expect(ok(r)).toEqual({ more: false });
    expect(r.headers.get('x-taxii-date-added-first')).toBeNull();
  });

  it('when a filter is malformed, then 400', async () => {
    expectTaxiiError(await gw.request('GET', `${manifestPath(COLL.us)}?match[version]=all,last`), 400, 'INVALID_FILTER');
  });

  it('when the trailing slash is missing, then the same manifest is served', async () => {
    expect(ok(await gw.request('GET', `/exchange/collections/${COLL.us}/manifest`))).toEqual(
      ok(await gw.request('GET', manifestPath(COLL.us))),
    );
  });

  it('when the method is POST, then 405 with Allow: GET', async () => {
    const r = await gw.request('POST', manifestPath(COLL.us), { body: '{}' });
    expectTaxiiError(r, 405);
    expect(r.headers.get('allow')).toBe('GET');
  });
});
