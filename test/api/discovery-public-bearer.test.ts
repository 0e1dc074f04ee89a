import { startTestGateway, TAXII, US_BEARER_TOKEN, type TestGateway } from '../helpers/gateway';

describe('public discovery (server.public_discovery: true)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ publicDiscovery: true, worker: false });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when an anonymous client asks for discovery and the API root, then both are served', async () => {
    const d = await gw.request('GET', '/taxii2/', { user: null });
    expect(d.status).toBe(200);
    expect(d.json()['api_roots']).toEqual([`${gw.base}/exchange/`, `${gw.base}/other-root/`]);
    expect((await gw.request('GET', '/exchange/', { user: null })).status).toBe(200);
  });

  it('when an anonymous client asks for collections, then it still gets 401', async () => {
    const r = await gw.request('GET', '/exchange/collections/', { user: null });
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toBe(TAXII);
  });

  it('when a client sends wrong credentials to public discovery, then it gets 401 rather than an anonymous answer', async () => {
    const r = await gw.request('GET', '/taxii2/', { user: null, headers: { Authorization: 'Basic d3Jvbmc6d3Jvbmc=' } });
    expect(r.status).toBe(401);
  });
});

describe('bearer tokens', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ worker: false });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when a client presents its bearer token, then it acts as its principal', async () => {
    const r = await gw.request('GET', '/exchange/collections/', { user: null, headers: { Authorization: `Bearer ${US_BEARER_TOKEN}` } });
    expect(r.status).toBe(200);
    const ids = (r.json()['collections'] as { alias?: string; can_write: boolean }[]).filter((c) => c.can_write).map((c) => c.alias);
    expect(ids).toContain('us-cert-indicators');
  });

  it('when the bearer token is wrong, then 401 with WWW-Authenticate', async () => {
    const r = await gw.request('GET', '/exchange/collections/', { user: null, headers: { Authorization: `Bearer ${US_BEARER_TOKEN}x` } });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/Bearer/);
  });
});
