import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { expectTaxiiError, ok, TAXII } from './support';

describe('GET /taxii2/', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ worker: false });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when an authenticated client asks, then returns the discovery resource with every API root', async () => {
    const body = ok(await gw.request('GET', '/taxii2/'));
    expect(body['title']).toBe('Test gateway');
    expect(body['description']).toBe('API tests');
    expect(body['contact']).toBe('test@example.org');
    expect(body['default']).toBe(`${gw.base}/exchange/`);
    expect(body['api_roots']).toEqual([`${gw.base}/exchange/`, `${gw.base}/other-root/`]);
  });

  it('when the trailing slash is missing, then serves the same resource', async () => {
    const a = ok(await gw.request('GET', '/taxii2/'));
    const b = ok(await gw.request('GET', '/taxii2'));
    expect(b).toEqual(a);
  });

  it('when the request has no credentials and discovery is not public, then 401 with WWW-Authenticate', async () => {
    const r = await gw.request('GET', '/taxii2/', { user: null });
    expectTaxiiError(r, 401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('when the method is POST, then 405 with Allow: GET', async () => {
    const r = await gw.request('POST', '/taxii2/', { body: '{}' });
    expectTaxiiError(r, 405);
    expect(r.headers.get('allow')).toBe('GET');
  });

  it('when the Accept header asks for HTML, then 406 as a TAXII error', async () => {
    const r = await gw.request('GET', '/taxii2/', { headers: { Accept: 'text/html' } });
    expectTaxiiError(r, 406);
  });

  it('when an error is answered, then error_id is the request id also sent in X-Request-Id', async () => {
    const r = await gw.request('GET', '/taxii2/', { user: null });
    const body = expectTaxiiError(r, 401);
    expect(body['error_id']).toBe(r.headers.get('x-request-id'));
    expect(Object.keys(body).sort()).toEqual(['description', 'error_code', 'error_id', 'http_status', 'title']);
  });

  it('when the request is HEAD, then the headers of the GET answer come without a body', async () => {
    const r = await gw.request('HEAD', '/taxii2/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(TAXII);
    expect(r.text).toBe('');
  });

  it.each(['/', '/taxii/', '/taxii2/extra/', '/exchange/collections/x/objects/y/z/w/', '/favicon.ico'])(
    'when the path %s names no TAXII resource, then 404 as a TAXII error',
    async (path) => {
      const r = await gw.request('GET', path);
      expectTaxiiError(r, 404);
      expect(r.headers.get('content-type')).toBe(TAXII);
    },
  );
});
