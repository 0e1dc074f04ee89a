/** Connections to the test run's Redis, each test file under its own key root. */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { createKeyBuilder, type KeyBuilder } from '../../src/store/keys';

export function testRedisUrl(): string {
  const url = process.env['TEST_REDIS_URL'];
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the tests through jest (test/helpers/global-setup.ts)');
  return url;
}

export function connectTestRedis(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: null, lazyConnect: false });
}

/** A key builder under a root no other test uses. */
export function isolatedKeys(): KeyBuilder {
  return createKeyBuilder(`t${randomBytes(5).toString('hex')}`);
}
