/**
 * Per-principal rate and concurrency limits, counted in Redis: 429 with Retry-After and a TAXII error body,
 * one principal's excess never limits another, and in-flight slots are given back.
 */
import { RateLimiter, leaseSize } from '../../src/http/rate-limit';
import { startGatewayFromConfig } from '../helpers/gateway';
import { PASSWORDS, startTrustGateway, type TrustGateway } from './trust-gateway';

let gw: TrustGateway;

beforeAll(async () => {
  gw = await startTrustGateway({
    worker: false,
    serverExtra: '  rate_limit: { requests_per_minute: 5 }',
    principalExtra: {
      operator: '    rate_limit: { requests_per_minute: 1000, max_concurrent: 2 }',
      // a rate limit alone, large enough for replicas to take leases of several requests
      'us-cert': '    rate_limit: { requests_per_minute: 400 }',
    },
  });
});

afterAll(async () => {
  await gw.close();
});

describe('rate limits', () => {
  it('when a principal exceeds requests_per_minute, then it gets 429 with Retry-After and a TAXII error', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await gw.request('GET', '/exchange/collections/', { user: 'ru-cert' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const r = await gw.request('GET', '/exchange/collections/', { user: 'ru-cert' });
    expect(r.status).toBe(429);
    const retry = Number(r.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(r.headers.get('content-type')).toMatch(/^application\/taxii\+json/);
    expect(r.json()).toMatchObject({ http_status: '429', error_code: 'TOO_MANY_REQUESTS' });
    expect(r.text).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('when one principal is limited, then another principal is not', async () => {
    expect((await gw.request('GET', '/exchange/collections/', { user: 'us-cert' })).status).toBe(200);
  });

  it('when a second replica shares the Redis, then it sees the same count', async () => {
    const replica = new RateLimiter(gw.redis, gw.keys, gw.config);
    const a = await replica.acquire('ru-cert');
    expect(a.ok).toBe(false);
  });

  it('when max_concurrent requests are in flight, then the next one is refused until a slot is released', async () => {
    const limiter = new RateLimiter(gw.redis, gw.keys, gw.config);
    const first = await limiter.acquire('operator');
    const second = await limiter.acquire('operator');
    expect(first.ok && second.ok).toBe(true);
    const third = await limiter.acquire('operator');
    expect(third).toEqual({ ok: false, retryAfterSeconds: 1 });
    const r = await gw.request('GET', '/exchange/collections/', { user: 'operator' });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('1');
    if (first.ok) await first.release();
    expect((await gw.request('GET', '/exchange/collections/', { user: 'operator' })).status).toBe(200);
    if (second.ok) await second.release();
    // Slots of finished HTTP requests were released too: three sequential requests all pass.
    for (let i = 0; i < 3; i++) expect((await gw.request('GET', '/exchange/collections/', { user: 'operator' })).status).toBe(200);
  });

  it('when a principal has no limit anywhere, then acquire admits without touching Redis', async () => {
    const limiter = new RateLimiter(gw.redis, gw.keys, { ...gw.config, server: { ...gw.config.server, rate_limit: {} } });
    const a = await limiter.acquire('unlisted-principal');
    expect(a.ok).toBe(true);
    expect(await gw.redis.exists(gw.keys.rateWindow('unlisted-principal'))).toBe(0);
  });

  it('when two replicas take leases of one window, then together they admit no more than the limit', async () => {
    const rpm = 1000;
    const config = { ...gw.config, server: { ...gw.config.server, rate_limit: { requests_per_minute: rpm } } };
    const a = new RateLimiter(gw.redis, gw.keys, config);
    const b = new RateLimiter(gw.redis, gw.keys, config);
    let admitted = 0;
    const refusals: number[] = [];
    for (let i = 0; i < 1200; i++) {
      const r = await (i % 3 === 0 ? b : a).acquire('leased-principal');
      if (r.ok) admitted++;
      else refusals.push(r.retryAfterSeconds);
    }
    expect(admitted).toBeLessThanOrEqual(rpm);
    expect(admitted).toBeGreaterThanOrEqual(rpm - 2 * leaseSize(rpm));
    for (const s of refusals) {
      expect(s).toBeGreaterThanOrEqual(1);
      expect(s).toBeLessThanOrEqual(60);
    }
    // one INCRBY per lease, not one INCR per request: the counter moved by whole leases
    expect(Number(await gw.redis.get(gw.keys.rateWindow('leased-principal'))) % leaseSize(rpm)).toBe(0);
    // a third replica starting now is refused too
    expect((await new RateLimiter(gw.redis, gw.keys, config).acquire('leased-principal')).ok).toBe(false);
  });

  it('when concurrent requests wait for one lease, then each is admitted or refused once', async () => {
    const config = { ...gw.config, server: { ...gw.config.server, rate_limit: { requests_per_minute: 250 } } };
    const limiter = new RateLimiter(gw.redis, gw.keys, config);
    const answers = await Promise.all(Array.from({ length: 300 }, () => limiter.acquire('concurrent-principal')));
    expect(answers.filter((x) => x.ok).length).toBe(250);
  });

  it('when two app instances share the Redis, then together they answer 429 with Retry-After past the limit', async () => {
    const second = await startGatewayFromConfig(gw.config, { passwords: PASSWORDS, keys: gw.keys, worker: false });
    try {
      const statuses: number[] = [];
      let last = await gw.request('GET', '/exchange/collections/', { user: 'us-cert' });
      for (let i = 0; i < 420; i++) {
        last = await (i % 2 === 0 ? gw : second).request('GET', '/exchange/collections/', { user: 'us-cert' });
        statuses.push(last.status);
      }
      const ok = statuses.filter((s) => s === 200).length + 1; // the first request above
      expect(ok).toBeLessThanOrEqual(400);
      expect(ok).toBeGreaterThanOrEqual(400 - 2 * leaseSize(400));
      expect(new Set(statuses)).toEqual(new Set([200, 429]));
      for (const g of [gw, second]) {
        const r = await g.request('GET', '/exchange/collections/', { user: 'us-cert' });
        expect(r.status).toBe(429);
        const retry = Number(r.headers.get('retry-after'));
        expect(retry).toBeGreaterThanOrEqual(1);
        expect(retry).toBeLessThanOrEqual(60);
        expect(r.json()).toMatchObject({ http_status: '429', error_code: 'TOO_MANY_REQUESTS' });
      }
    } finally {
      await second.close();
    }
  });
});
