/**
 * The API appends audit entries in batches: on a graceful shutdown (SIGTERM) the queued entries are written
 * before the process exits, even when the flush interval has not come.
 */
import path from 'node:path';
import Redis from 'ioredis';
import { startPrivateRedis, type PrivateRedis } from '../../../src/main/redis-server';
import { createKeyBuilder } from '../../../src/store/keys';
import { objectsPath, spawnGateway, stopProcess, taxii, tempDir, writeConfig, type GatewayProcess } from './processes';

jest.setTimeout(120_000);

describe('API audit entries on shutdown (CLI process)', () => {
  const tmp = tempDir('gw-shutdown-audit-');
  let redis: PrivateRedis;
  let api: GatewayProcess | undefined;

  beforeAll(async () => {
    redis = await startPrivateRedis({ dataDir: path.join(tmp.dir, 'redis'), appendonly: false });
  });

  afterAll(async () => {
    if (api) await stopProcess(api, 5000);
    await redis.stop();
    tmp.remove();
  });

  it('when SIGTERM arrives before the audit flush interval, then the entries of the requests served are in the stream', async () => {
    api = await spawnGateway('serve', {
      redisUrl: redis.url,
      config: writeConfig(tmp.dir),
      dataDir: tmp.dir,
      keyPrefix: 'gwa',
      env: { GATEWAY_AUDIT_FLUSH_MS: '60000' },
    });
    const client = new Redis(redis.url);
    try {
      const key = createKeyBuilder('gwa').audit;
      const before = await client.xlen(key);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await taxii(api.base ?? '', 'GET', `${objectsPath}?limit=5`);
        expect(r.status).toBe(200);
        ids.push(r.headers.get('x-request-id') ?? '');
      }
      // queued, not yet appended: the interval is a minute
      expect(await client.xlen(key)).toBe(before);
      api.kill('SIGTERM');
      expect(await api.exited).toBe(0);
      const entries = await client.xrange(key, '-', '+');
      const events = entries.map(([, fields]) => JSON.parse(fields[1] ?? '{}') as Record<string, unknown>);
      expect(events.filter((e) => e['action'] === 'get_objects').map((e) => e['request_id'])).toEqual(ids);
    } finally {
      client.disconnect();
    }
  });
});
