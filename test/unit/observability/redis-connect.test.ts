import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseRedisTarget, redactRedisUrl } from '../../../src/main/redis-connect';
import { parseServerOptions } from '../../../src/main/options';

interface Cases {
  valid: { url: string; expect: Record<string, unknown> }[];
  invalid: { url: string; message: string }[];
}

const cases = JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/redis-urls/cases.json'), 'utf8')) as Cases;

describe('parseRedisTarget', () => {
  it.each(cases.valid)('when given $url, then it names the right topology and credentials', ({ url, expect: want }) => {
    expect(parseRedisTarget(url)).toMatchObject(want);
  });

  it.each(cases.invalid)('when given $url, then it throws a message naming the problem', ({ url, message }) => {
    expect(() => parseRedisTarget(url)).toThrow(message);
  });

  it('when a single-server URL has no password, then no password is set', () => {
    expect(parseRedisTarget('redis://cache:6379')).not.toHaveProperty('password');
  });
});

describe('redactRedisUrl', () => {
  it('when a URL carries a password, then the log form hides it', () => {
    expect(redactRedisUrl('redis+cluster://user:topsecret@a:7000,b:7001')).toBe('redis+cluster://user:***@a:7000,b:7001');
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactRedisUrl('unix://gw:topsecret@/run/redis.sock')).toBe('unix://gw:***@/run/redis.sock');
  });
});

describe('parseServerOptions (Redis and metrics)', () => {
  it('when REDIS_CLUSTER_NODES is set without REDIS_URL, then the Redis URL is a cluster URL', () => {
    const o = parseServerOptions([], { REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001' });
    expect(o.redisUrl).toBe('redis+cluster://127.0.0.1:7000,127.0.0.1:7001');
  });

  it('when both REDIS_URL and REDIS_CLUSTER_NODES are set, then REDIS_URL wins', () => {
    const o = parseServerOptions([], { REDIS_URL: 'redis://h:1', REDIS_CLUSTER_NODES: 'a:2' });
    expect(o.redisUrl).toBe('redis://h:1');
  });

  it('when --metrics-port is given, then the metrics listener is configured on loopback by default', () => {
    const o = parseServerOptions(['--metrics-port', '9464'], {});
    expect({ port: o.metricsPort, host: o.metricsHost }).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(parseServerOptions([], {}).metricsPort).toBeUndefined();
    expect(() => parseServerOptions(['--metrics-port', 'x'], {})).toThrow('--metrics-port');
  });

  it('when the private Redis rewrite percentage, its minimum size or the failed-login limit is set, then they are read and bounded', () => {
    const d = parseServerOptions([], {});
    expect([d.redisAofRewritePercentage, d.redisAofRewriteMinMb, d.authFailuresPerMinute]).toEqual([400, 1024, 20]);
    const o = parseServerOptions([], {
      GATEWAY_REDIS_AOF_REWRITE_PERCENTAGE: '300',
      GATEWAY_REDIS_AOF_REWRITE_MIN_MB: '64',
      GATEWAY_AUTH_FAILURES_PER_MINUTE: '0',
    });
    expect([o.redisAofRewritePercentage, o.redisAofRewriteMinMb, o.authFailuresPerMinute]).toEqual([300, 64, 0]);
    expect(() => parseServerOptions([], { GATEWAY_REDIS_AOF_REWRITE_PERCENTAGE: '5' })).toThrow('GATEWAY_REDIS_AOF_REWRITE_PERCENTAGE');
    expect(() => parseServerOptions([], { GATEWAY_REDIS_AOF_REWRITE_MIN_MB: '0' })).toThrow('GATEWAY_REDIS_AOF_REWRITE_MIN_MB');
  });
});
