import { FailedLoginThrottle } from '../../src/auth/failed-logins';
import { basic, startTestGateway, type TestGateway } from '../helpers/gateway';
import { expectTaxiiError } from './support';

describe('FailedLoginThrottle', () => {
  it('refuses an address after the allowed failures until its window ends, and forgets old addresses', () => {
    let now = 1_000_000;
    const t = new FailedLoginThrottle({ maxFailures: 2, windowMs: 60_000, maxAddresses: 2, now: () => now });
    t.failed('a');
    expect(t.retryAfterSeconds('a')).toBe(0);
    t.failed('a');
    expect(t.retryAfterSeconds('a')).toBe(60);
    expect(t.retryAfterSeconds('b')).toBe(0);
    now += 59_500;
    expect(t.retryAfterSeconds('a')).toBe(1);
    now += 500;
    expect(t.retryAfterSeconds('a')).toBe(0);
    t.failed('a');
    t.failed('a');
    t.failed('b');
    t.failed('c'); // a third address: the oldest (a) is forgotten
    expect(t.retryAfterSeconds('a')).toBe(0);
  });

  it('counts nothing when turned off', () => {
    const t = new FailedLoginThrottle({ maxFailures: 0 });
    for (let i = 0; i < 100; i++) t.failed('a');
    expect(t.retryAfterSeconds('a')).toBe(0);
  });
});

describe('failed logins over HTTP', () => {
  let gw: TestGateway;
  let now = 5_000_000;
  beforeAll(async () => {
    gw = await startTestGateway({ worker: false, failedLogins: new FailedLoginThrottle({ maxFailures: 3, now: () => now }) });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when an address sends wrong credentials too often, then it gets 429 with Retry-After (before any secret is checked) until the window ends', async () => {
    // requests without credentials are not failures
    for (let i = 0; i < 5; i++) expectTaxiiError(await gw.request('GET', '/exchange/collections/', { user: null }), 401, 'UNAUTHORIZED');
    expect((await gw.request('GET', '/exchange/collections/')).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const r = await gw.request('GET', '/exchange/collections/', { user: null, headers: { Authorization: basic('us-cert', `wrong-${i}`) } });
      expectTaxiiError(r, 401, 'UNAUTHORIZED');
    }
    const refused = await gw.request('GET', '/exchange/collections/', { user: null, headers: { Authorization: basic('us-cert', 'wrong-again') } });
    expectTaxiiError(refused, 429, 'TOO_MANY_REQUESTS');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // the same address is refused even with valid credentials while the window runs
    expectTaxiiError(await gw.request('GET', '/exchange/collections/'), 429, 'TOO_MANY_REQUESTS');
    now += 60_000;
    expect((await gw.request('GET', '/exchange/collections/')).status).toBe(200);
  });
});
