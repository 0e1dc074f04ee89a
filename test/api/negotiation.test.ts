import { COLL, indicator, startTestGateway, type TestGateway } from '../helpers/gateway';
import { expectRawTaxiiError, expectTaxiiError, objectsPath, ok, rawRequest, TAXII } from './support';
import { basic } from '../helpers/gateway';

/** Accept headers a TAXII 2.1 server must honour. */
const ACCEPTED = [
  'application/taxii+json;version=2.1',
  'application/taxii+json',
  'application/taxii+json; version=2.1',
  'application/taxii+json ;  version = 2.1',
  'APPLICATION/TAXII+JSON;VERSION=2.1',
  'application/taxii+json;version="2.1"',
  '*/*',
  'application/*',
  'text/html;q=0.9, application/taxii+json;version=2.1;q=0.8',
  'application/json, */*;q=0.1',
  'application/taxii+json;version=2.0, application/taxii+json;version=2.1',
  'application/taxii+json;q=0, application/taxii+json;version=2.1',
];

/** Accept headers that exclude the only type the server produces. */
const REFUSED = [
  'application/taxii+json;version=2.0',
  'text/html',
  'application/json',
  'application/stix+json;version=2.1',
  'application/taxii+json;version=2.1;q=0',
  '*/*;q=0',
  'application/taxii+json;q=0, */*',
  'application/taxii+json;version=2.1;q=0, application/*',
  'text/*',
  'not a media type',
];

/** Content-Types a POST may carry. */
const POST_ACCEPTED = [
  'application/taxii+json;version=2.1',
  'application/taxii+json',
  'application/taxii+json; version=2.1',
  'Application/TAXII+json;Version=2.1',
];
const POST_REFUSED = [
  'application/taxii+json;version=2.0',
  'application/json',
  'application/stix+json;version=2.1',
  'text/plain',
  'application/*',
  'garbage',
];

describe('content negotiation (Accept)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ worker: false });
  });
  afterAll(async () => {
    await gw.close();
  });

  const paths = ['/taxii2/', '/exchange/', '/exchange/collections/', `/exchange/collections/${COLL.us}/manifest/`, objectsPath(COLL.us)];

  it.each(ACCEPTED)('when Accept is "%s", then every endpoint answers 200 with the full TAXII media type', async (accept) => {
    for (const path of paths) {
      const r = await gw.request('GET', path, { headers: { Accept: accept } });
      ok(r);
    }
  });

  it.each(REFUSED)('when Accept is "%s", then 406 as a TAXII error with the TAXII media type', async (accept) => {
    for (const path of paths) {
      const r = await gw.request('GET', path, { headers: { Accept: accept } });
      expectTaxiiError(r, 406, 'NOT_ACCEPTABLE');
    }
  });

  it('when the Accept header is absent, then the server answers with TAXII (clients may omit it)', async () => {
    const r = await rawRequest(gw, 'GET', '/exchange/', { Authorization: basic('us-cert') });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(TAXII);
  });

  it('when a 406 is also unauthenticated, then the answer still carries the TAXII media type', async () => {
    const r = await gw.request('GET', '/exchange/', { user: null, headers: { Accept: 'text/html' } });
    expect([401, 406]).toContain(r.status);
    expect(r.headers.get('content-type')).toBe(TAXII);
  });
});

describe('content negotiation (POST Content-Type)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ worker: false });
  });
  afterAll(async () => {
    await gw.close();
  });

  it.each(POST_ACCEPTED.map((ct, i) => [ct, i] as const))('when Content-Type is "%s", then 202', async (ct, i) => {
    const r = await gw.request('POST', objectsPath(COLL.us), {
      headers: { 'Content-Type': ct },
      body: JSON.stringify({ objects: [indicator(100 + i)] }),
    });
    expect(r.status).toBe(202);
    expect(r.headers.get('content-type')).toBe(TAXII);
    expect(r.json()['status']).toBe('pending');
  });

  it.each(POST_REFUSED)('when Content-Type is "%s", then 415 as a TAXII error', async (ct) => {
    const r = await gw.request('POST', objectsPath(COLL.us), {
      headers: { 'Content-Type': ct },
      body: JSON.stringify({ objects: [indicator(200)] }),
    });
    expectTaxiiError(r, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('when Content-Type is missing, then 415', async () => {
    const r = await rawRequest(gw, 'POST', objectsPath(COLL.us), { Authorization: basic('us-cert'), Accept: TAXII }, [
      JSON.stringify({ objects: [indicator(201)] }),
    ]);
    expectRawTaxiiError(r, 415);
  });
});
