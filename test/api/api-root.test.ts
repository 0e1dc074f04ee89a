import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { expectTaxiiError, ok } from './support';

describe('GET /{root}/', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ worker: false, maxContentLength: 123456 });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when the root exists, then returns title, versions and max_content_length', async () => {
    const body = ok(await gw.request('GET', '/exchange/'));
    expect(body).toEqual({
      title: 'Exchange',
      description: 'Test root',
      versions: ['application/taxii+json;version=2.1'],
      max_content_length: 123456,
    });
  });

  it('when another root is asked for, then its own max_content_length is advertised', async () => {
    const body = ok(await gw.request('GET', '/other-root/'));
    expect(body['title']).toBe('Other');
    expect(body['max_content_length']).toBe(4096);
    expect(body['description']).toBeUndefined();
  });

  it('when the trailing slash is missing, then serves the same resource', async () => {
    expect(ok(await gw.request('GET', '/exchange'))).toEqual(ok(await gw.request('GET', '/exchange/')));
  });

  it('when the root does not exist, then 404 as a TAXII error', async () => {
    expectTaxiiError(await gw.request('GET', '/no-such-root/'), 404, 'NOT_FOUND');
  });

  it('when the request has no credentials, then 401', async () => {
    expectTaxiiError(await gw.request('GET', '/exchange/', { user: null }), 401, 'UNAUTHORIZED');
  });

  it('when the method is DELETE, then 405 with Allow: GET', async () => {
    const r = await gw.request('DELETE', '/exchange/');
    expectTaxiiError(r, 405, 'METHOD_NOT_ALLOWED');
    expect(r.headers.get('allow')).toBe('GET');
  });
});
