/**
 * Starts one real redis-server on a free loopback port for the whole test run (no Redis mock). Each test file
 * isolates itself under its own key prefix (see test/helpers/redis.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPrivateRedis } from '../../src/main/redis-server';

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-test-redis-'));
  const redis = await startPrivateRedis({ dataDir: dir, appendonly: false });
  process.env['TEST_REDIS_URL'] = redis.url;
  process.env['TEST_REDIS_DIR'] = dir;
  writeFileSync(path.join(os.tmpdir(), `gw-test-redis-${process.pid}.pid`), String(redis.pid));
  (globalThis as { __gwTestRedis?: typeof redis }).__gwTestRedis = redis;
}
