import { ADDRESS_FACTOR, FailedLoginThrottle } from '../../src/auth/failed-logins';
import { loginAccount } from '../../src/auth/authenticator';
import { basic, startTestGateway, type TestGateway } from '../helpers/gateway';
import { expectTaxiiError } from './support';

const acct = (name: string) => (): string => name;

describe('FailedLoginThrottle', () => {
  it('refuses an account from an address after the allowed failures until its window ends, and forgets old keys', () => {
    let now = 1_000_000;
    const t = new FailedLoginThrottle({ maxFailures: 2, windowMs: 60_000, maxAddresses: 2, now: () => now });
    t.failed('a', 'u');
    expect(t.retryAfterSeconds('a', acct('u'))).toBe(0);
    t.failed('a', 'u');
    expect(t.retryAfterSeconds('a', acct('u'))).toBe(60);
    expect(t.retryAfterSeconds('b', acct('u'))).toBe(0);
    now += 59_500;
    expect(t.retryAfterSeconds('a', acct('u'))).toBe(1);
    now += 500;
    expect(t.retryAfterSeconds('a', acct('u'))).toBe(0);
    t.failed('a', 'u');
    t.failed('a', 'u');
    t.failed('b', 'u');
    t.failed('c', 'u'); // a third address: the oldest (a) is forgotten
    expect(t.retryAfterSeconds('a', acct('u'))).toBe(0);
  });

  it('keeps other accounts tried from the same address (a shared NAT) usable', () => {
    const t = new FailedLoginThrottle({ maxFailures: 3, now: () => 0 });
    for (let i = 0; i < 3; i++) t.failed('nat', 'basic:us-cert');
    expect(t.retryAfterSeconds('nat', acct('basic:us-cert'))).toBeGreaterThan(0);
    expect(t.retryAfterSeconds('nat', acct('basic:ru-cert'))).toBe(0);
    expect(t.retryAfterSeconds('nat', acct('bearer'))).toBe(0);
  });

  it('bounds an address that cycles through account names', () => {
    const t = new FailedLoginThrottle({ maxFailures: 2, now: () => 0 });
    // one failure under each of many names stays under every per-account bound...
    for (let i = 0; i < 2 * ADDRESS_FACTOR - 1; i++) t.failed('guesser', `basic:user${i}`);
    expect(t.retryAfterSeconds('guesser', acct('basic:fresh'))).toBe(0);
    // ...until the address-wide bound (maxFailures x ADDRESS_FACTOR) refuses every account from it
    t.failed('guesser', 'basic:one-more');
    expect(t.retryAfterSeconds('guesser', acct('basic:fresh'))).toBeGreaterThan(0);
    expect(t.retryAfterSeconds('elsewhere', acct('basic:fresh'))).toBe(0);
  });

  it('reads the account only for an address that has failed before', () => {
    const t = new FailedLoginThrottle({ maxFailures: 2, now: () => 0 });
    const account = jest.fn(() => 'basic:u');
    expect(t.retryAfterSeconds('clean', account)).toBe(0);
    expect(account).not.toHaveBeenCalled();
  });

  it('counts nothing when turned off', () => {
    const t = new FailedLoginThrottle({ maxFailures: 0 });
    for (let i = 0; i < 100; i++) t.failed('a', 'u');
    expect(t.retryAfterSeconds('a', acct('u'))).toBe(0);
  });
});

describe('loginAccount', () => {
  it('names the Basic user, one account for bearer tokens and one for unreadable headers', () => {
    expect(loginAccount(basic('us-cert', 'x'))).toBe('basic:us-cert');
    expect(loginAccount('Bearer abc.def')).toBe('bearer');
    expect(loginAccount('Basic !!!')).toBe('malformed');
    expect(loginAccount(undefined)).toBe('none');
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

  it('when an address sends wrong credentials for an account too often, then that account gets 429 with Retry-After (before any secret is checked) until the window ends, and other accounts from the address do not', async () => {
    // requests without credentials are not failures
    for (let i = 0; i < 5; i++) expectTaxiiError(await gw.request('GET', '/exchange/collections/', { user: null }), 401, 'UNAUTHORIZED');
    expect((await gw.request('GET', '/exchange/collections/')).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const r = await gw.request('GET', '/exchange/collections/', {
        user: null,
        headers: { Authorization: basic('us-cert', `wrong-${i}`) },
      });
      expectTaxiiError(r, 401, 'UNAUTHORIZED');
    }
    const refused = await gw.request('GET', '/exchange/collections/', {
      user: null,
      headers: { Authorization: basic('us-cert', 'wrong-again') },
    });
    expectTaxiiError(refused, 429, 'TOO_MANY_REQUESTS');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // the guessed account is refused even with valid credentials while the window runs...
    expectTaxiiError(await gw.request('GET', '/exchange/collections/'), 429, 'TOO_MANY_REQUESTS');
    // ...while another CERT behind the same address keeps working
    expect((await gw.request('GET', '/exchange/collections/', { user: 'ru-cert' })).status).toBe(200);
    now += 60_000;
    expect((await gw.request('GET', '/exchange/collections/')).status).toBe(200);
  });
});
