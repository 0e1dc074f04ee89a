import { rmSync } from 'node:fs';
import type { PrivateRedis } from '../../src/main/redis-server';

export default async function globalTeardown(): Promise<void> {
  const redis = (globalThis as { __gwTestRedis?: PrivateRedis }).__gwTestRedis;
  if (redis) await redis.stop();
  const dir = process.env['TEST_REDIS_DIR'];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
