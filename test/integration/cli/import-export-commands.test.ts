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
import { RedisAuditLog } from '../../../src/audit/audit-log';
import type { GatewayConfig } from '../../../src/config/types';
import { ExchangeReader } from '../../../src/exchange/exchange-reader';

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
  let config: GatewayConfig;
  const keys = isolatedKeys();
  const prefix = keys.root;

  beforeAll(async () => {
    const loaded = await loadConfigFile('collections.yaml');
    if (!loaded.config) throw new Error('collections.yaml does not load');
    config = loaded.config;
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

  it('when a collection is exported for a partner, then it is that partner’s pull in the counters and the audit trail', async () => {
    const joint = config.collections.find((c) => c.alias === 'joint-exchange');
    const base = ['export', '--collection', 'joint-exchange', '--format', 'stix21', '--redis-url', testRedisUrl(), '--key-prefix', prefix];
    const refused = io();
    expect(await main([...base, '--for', 'nobody'], refused)).toBe(2);
    expect(refused.err()).toContain('not a (non-operator) reader');

    const exp = io();
    expect(await main([...base, '--for', 'ru-cert'], exp)).toBe(0);
    const bundle = JSON.parse(exp.out()) as { objects: { id: string }[] };
    const ids = bundle.objects.map((o) => o.id).sort();
    expect(ids.length).toBeGreaterThan(0);

    const audit = await new RedisAuditLog(redis, keys, config.audit).query({ sinceMs: 0, limit: 1000 });
    const exported = audit.entries.filter((e) => e.action === 'export' && e.principal === 'ru-cert' && e.collection === joint?.id);
    expect(exported.flatMap((e) => e.ids).sort()).toEqual(ids);
    const operator = { name: 'operator', identity: '', admin: true };
    const f = await new ExchangeReader(redis, keys, config).figures(operator, 7, Date.now());
    const pull = f.collections.find((c) => c.id === joint?.id)?.pulls.find((p) => p.reader === 'ru-cert');
    expect(pull?.firstPulls).toBe(ids.length);
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
