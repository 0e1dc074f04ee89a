/**
 * Importing the same CSV or text file again is a no-op (issue: three imports of one CSV created three versions
 * of every indicator and of the identity): ids and versions come from the file (its dates, else its
 * modification time), so the second import stores nothing.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Redis from 'ioredis';
import { loadConfigFile } from '../../../src/config/load-config';
import { main } from '../../../src/main/cli';
import type { CliIo } from '../../../src/main/cli-types';
import type { RedisStore } from '../../../src/store/redis-store';
import { composeWorker, type ComposedWorker } from '../../../src/main/compose';
import { connectTestRedis, isolatedKeys, testRedisUrl } from '../../helpers/redis';

const JOINT = 'a91f964f-82f9-4504-810c-d8b1a5cb5894';

function io(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    env: {},
    readStdin: async () => Buffer.alloc(0),
    out: () => out,
    err: () => err,
  };
}

describe('re-importing an unchanged native file', () => {
  let redis: Redis;
  let worker: ComposedWorker;
  let store: RedisStore;
  let dir: string;
  const keys = isolatedKeys();

  beforeAll(async () => {
    const loaded = await loadConfigFile('collections.yaml');
    if (!loaded.config) throw new Error('collections.yaml does not load');
    redis = connectTestRedis();
    // The ingest worker as the worker role builds it (src/main/compose.ts).
    worker = composeWorker({
      config: loaded.config,
      redis,
      keys,
      options: { connection: { url: testRedisUrl(), maxRetriesPerRequest: null } },
    });
    store = worker.store;
    dir = mkdtempSync(path.join(os.tmpdir(), 'gw-reimport-'));
  });
  afterAll(async () => {
    await worker.close();
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  });

  async function versions(): Promise<string[]> {
    const page = await store.read(
      JOINT,
      { after: 0, limit: 1000, types: [], ids: [], versions: { all: true, first: false, last: false, exact: [] } },
      false,
    );
    return page.records.map((r) => `${r.id}|${r.version}`).sort();
  }

  async function importFile(format: string, file: string): Promise<void> {
    const t = io();
    const args = [
      'import',
      '--collection',
      'joint-exchange',
      '--format',
      format,
      '--redis-url',
      testRedisUrl(),
      '--key-prefix',
      keys.root,
      '--timeout',
      '60',
      file,
    ];
    expect(await main(args, t)).toBe(0);
  }

  it.each([
    [
      'csv',
      'feed.csv',
      'indicator,type,first_seen,comment\n192.0.2.201,ip,2026-01-06 08:15:00,scanner\nreimport-example.com,domain,,no date on this row\n',
    ],
    ['csv', 'nodates.csv', 'indicator,comment\n192.0.2.202,no dates anywhere\n'],
    ['txt', 'list.txt', 'reimport-list-example.net\n198.51.100.202\n'],
  ])(
    'when a %s file (%s) is imported twice, then the second import stores no new version',
    async (format, name, content) => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      utimesSync(file, new Date('2026-02-01T10:00:00Z'), new Date('2026-02-01T10:00:00Z'));
      await importFile(format, file);
      const first = await versions();
      await new Promise((r) => setTimeout(r, 20)); // the clock moves on; the file's times do not
      await importFile(format, file);
      expect(await versions()).toEqual(first);
    },
    60_000,
  );
});
