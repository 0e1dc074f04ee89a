/**
 * Query and header errors say what is wrong (issue: "The first hour of a CERT operator"): a limit above the
 * maximum is lowered at any size, Content-Encoding and charset problems are named as such, collection ids
 * match whatever their case, and /original answers an object that normalization did not change.
 */
import { COLL, indicator, startTestGateway, type TestGateway } from '../helpers/gateway';
import { arrayOf, expectTaxiiError, objectsPath, ok } from './support';

describe('operator-facing errors of the TAXII API', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
    await gw.post(COLL.joint, [indicator(7001), indicator(7002)]);
  });
  afterAll(async () => {
    await gw.close();
  });

  it.each(['51', '1000000', '1000000000', '99999999999999999999999999'])(
    'when limit=%s is above the maximum, then it is lowered, not refused',
    async (limit) => {
      const body = ok(await gw.request('GET', `${objectsPath(COLL.joint)}?limit=${limit}`));
      expect(arrayOf(body, 'objects').length).toBeGreaterThanOrEqual(2);
    },
  );

  it.each(['0', '-1', '1.5', 'ten', '000'])('when limit=%s is not a positive integer, then 400 says so', async (limit) => {
    const e = expectTaxiiError(await gw.request('GET', `${objectsPath(COLL.joint)}?limit=${limit}`), 400);
    expect(String(e['description'])).toContain('is not a positive integer');
  });

  it('when the body is gzip-compressed, then 415 names Content-Encoding (not Content-Type) and says what to send', async () => {
    const r = await gw.request('POST', objectsPath(COLL.us), { headers: { 'Content-Encoding': 'gzip' }, body: '{"objects":[]}' });
    const e = expectTaxiiError(r, 415);
    expect(String(e['description'])).toBe('Content-Encoding gzip is not supported: send the body uncompressed (no Content-Encoding).');
    expect(String(e['description'])).not.toContain('Content-Type');
    expect(r.headers.get('accept-encoding')).toBe('identity');
  });

  it('when the charset is not UTF-8, then 415 names the charset; utf-8 in any spelling is accepted', async () => {
    const latin1 = await gw.request('POST', objectsPath(COLL.us), {
      headers: { 'Content-Type': 'application/taxii+json;version=2.1;charset=latin1' },
      body: JSON.stringify({ objects: [indicator(7003)] }),
    });
    const e = expectTaxiiError(latin1, 415);
    expect(String(e['description'])).toContain('charset=latin1 is not accepted');
    for (const cs of ['utf-8', 'UTF-8', 'utf8', '"utf-8"']) {
      const r = await gw.request('POST', objectsPath(COLL.us), {
        headers: { 'Content-Type': `application/taxii+json;version=2.1;charset=${cs}` },
        body: JSON.stringify({ objects: [indicator(7004)] }),
      });
      expect(r.status).toBe(202);
    }
  });

  it('when the TAXII version or the media type is wrong, then the message names which', async () => {
    const v20 = await gw.request('POST', objectsPath(COLL.us), {
      headers: { 'Content-Type': 'application/taxii+json;version=2.0' },
      body: '{"objects":[]}',
    });
    expect(String(expectTaxiiError(v20, 415)['description'])).toContain('TAXII version 2.0 is not served here');
    const json = await gw.request('POST', objectsPath(COLL.us), {
      headers: { 'Content-Type': 'application/json' },
      body: '{"objects":[]}',
    });
    expect(String(expectTaxiiError(json, 415)['description'])).toContain('not "application/json"');
  });

  it('when a collection id is written in upper case, then it names the same collection (TAXII and /gateway/v1)', async () => {
    const lower = ok(await gw.request('GET', objectsPath(COLL.joint)));
    const upper = ok(await gw.request('GET', objectsPath(COLL.joint.toUpperCase())));
    expect(arrayOf(upper, 'objects').map((o) => o['id'])).toEqual(arrayOf(lower, 'objects').map((o) => o['id']));
    ok(await gw.request('GET', `/exchange/collections/${COLL.joint.toUpperCase()}/`));
    const id = String(indicator(7001)['id']);
    const original = await gw.request('GET', `/gateway/v1/collections/${COLL.joint.toUpperCase()}/objects/${id}/original`);
    expect(original.status).toBe(200);
    // an alias stays a name: its case matters
    expectTaxiiError(await gw.request('GET', '/exchange/collections/JOINT/'), 404);
  });

  it('when normalization changed nothing, then /original answers 200 with the stored object, marked identical', async () => {
    const id = String(indicator(7002)['id']);
    const r = await gw.request('GET', `/gateway/v1/collections/joint/objects/${id}/original`);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-gateway-original')).toBe('identical');
    expect(r.json()['id']).toBe(id);
  });
});
