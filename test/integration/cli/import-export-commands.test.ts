/**
 * The `import` and `export` CLI commands against a real Redis: a native file goes through the queue and the
 * worker into a collection, and comes back out in another native format.
 */
import type Redis from 'ioredis';
import { loadConfigFile } from '../../../src/config/load-config';
import { composeWorker, type ComposedWorker } from '../../../src/main/compose';
import { main } from '../../../src/main/cli';
import type { CliIo } from '../../../src/main/cli-types';
import { connectTestRedis, isolatedKeys, testRedisUrl } from '../../helpers/redis';

function io(stdin = ''): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    env: {},
    readStdin: async () => Buffer.from(stdin),
    out: () => out,
    err: () => err,
  };
}

describe('taxii-gateway import / export (through Redis and the worker)', () => {
  let redis: Redis;
  let worker: ComposedWorker;
  const keys = isolatedKeys();
  const prefix = keys.root;

  beforeAll(async () => {
    const loaded = await loadConfigFile('collections.yaml');
    if (!loaded.config) throw new Error('collections.yaml does not load');
    const config = loaded.config;
    redis = connectTestRedis();
    worker = composeWorker({ config, redis, keys, options: { connection: { url: testRedisUrl(), maxRetriesPerRequest: null } } });
  });
  afterAll(async () => {
    await worker.close();
    await redis.quit();
  });

  it('when a plain-text list is imported, then its indicators are stored and export to CSV lists them', async () => {
    const list = 'evil-cli-example.com\n198.51.100.23\nhxxp://bad-cli-example[.]net/x\n';
    const imp = io(list);
    const code = await main(
      [
        'import',
        '--collection',
        'joint-exchange',
        '--format',
        'txt',
        '--redis-url',
        testRedisUrl(),
        '--key-prefix',
        prefix,
        '--timeout',
        '60',
        '-',
      ],
      imp,
    );
    expect(imp.err()).not.toMatch(/Error:/);
    expect(code).toBe(0);
    const status = JSON.parse(imp.out()) as Record<string, unknown>;
    expect(status['status']).toBe('complete');
    expect(status['success_count']).toBe(4); // three indicators and the importing CERT's identity

    const exp = io();
    expect(
      await main(
        ['export', '--collection', 'joint-exchange', '--format', 'csv', '--redis-url', testRedisUrl(), '--key-prefix', prefix],
        exp,
      ),
    ).toBe(0);
    const csv = exp.out();
    expect(csv).toContain('evil-cli-example.com');
    expect(csv).toContain('198.51.100.23');
    expect(csv).toContain('http://bad-cli-example.net/x');
  }, 90_000);

  it('when the input is not in the declared format, then import fails with the position and stores nothing', async () => {
    const imp = io('{"Event": {"info": "truncated"');
    const code = await main(
      ['import', '--collection', 'joint-exchange', '--format', 'misp', '--redis-url', testRedisUrl(), '--key-prefix', prefix, '-'],
      imp,
    );
    expect(code).toBe(1);
    expect(imp.err()).toMatch(/line 1, column \d+/);
    const exp = io();
    await main(['export', '--collection', 'joint-exchange', '--format', 'txt', '--redis-url', testRedisUrl(), '--key-prefix', prefix], exp);
    expect(exp.out()).not.toContain('truncated');
  }, 60_000);
});
