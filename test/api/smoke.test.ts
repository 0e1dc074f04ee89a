import { COLL, indicator, startTestGateway, type TestGateway } from '../helpers/gateway';

describe('TAXII smoke', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when a client posts an envelope, then the status completes and the objects page back', async () => {
    const status = await gw.post(COLL.us, [indicator(1), indicator(2)]);
    expect(status['success_count']).toBe(2);
    const r = await gw.request('GET', `/exchange/collections/${COLL.us}/objects/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/taxii+json;version=2.1');
    const body = r.json();
    expect((body['objects'] as unknown[]).length).toBe(2);
  });
});
