/**
 * Per-principal rate and concurrency limits, counted in Redis: 429 with Retry-After and a TAXII error body,
 * one principal's excess never limits another, and in-flight slots are given back.
 */
import { RateLimiter } from '../../src/taxii/rate-limit';
import { startTrustGateway, type TrustGateway } from './trust-gateway';

let gw: TrustGateway;

beforeAll(async () => {
  gw = await startTrustGateway({
    worker: false,
    serverExtra: '  rate_limit: { requests_per_minute: 5 }',
    principalExtra: { operator: '    rate_limit: { requests_per_minute: 1000, max_concurrent: 2 }' },
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
});
