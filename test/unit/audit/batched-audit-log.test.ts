/**
 * The batched audit trail: events are appended in order within the interval, at once when the batch is full,
 * on query and on close; a failed append is reported to every event of its batch.
 */
import type Redis from 'ioredis';
import type { AuditEvent } from '../../../src/audit/audit-event';
import { RedisAuditLog } from '../../../src/audit/audit-log';
import { BatchedAuditLog } from '../../../src/audit/batched-audit-log';
import { connectTestRedis, isolatedKeys } from '../../helpers/redis';

let redis: Redis;

beforeAll(() => {
  redis = connectTestRedis();
});

afterAll(async () => {
  await redis.quit();
});

function event(n: number): AuditEvent {
  return {
    time: new Date().toISOString(),
    principal: `p${n}`,
    source: '127.0.0.1',
    action: 'get_objects',
    count: 1,
    ids: [`indicator--${n}`],
  };
}

function setup(opts: { intervalMs?: number; maxEntries?: number } = {}): { log: RedisAuditLog; batched: BatchedAuditLog; key: string } {
  const keys = isolatedKeys();
  const log = new RedisAuditLog(redis, keys, { max_age_days: 30, max_entries: 10_000 });
  return { log, batched: new BatchedAuditLog(log, opts), key: keys.audit };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('BatchedAuditLog', () => {
  it('when events are recorded, then they are appended in order within the interval, with one round trip', async () => {
    const { log, batched, key } = setup({ intervalMs: 50 });
    const calls = jest.spyOn(log, 'appendSerialized');
    const done = [1, 2, 3].map((n) => batched.record(event(n)));
    expect(await redis.xlen(key)).toBe(0);
    await Promise.all(done);
    expect(calls).toHaveBeenCalledTimes(1);
    const page = await log.query({ sinceMs: 0, limit: 10 });
    expect(page.entries.map((e) => e.principal)).toEqual(['p1', 'p2', 'p3']);
    expect(page.entries[0]).toMatchObject({ action: 'get_objects', count: 1, ids: ['indicator--1'], source: '127.0.0.1' });
  });

  it('when nothing flushes it explicitly, then the timer writes the batch', async () => {
    const { batched, key } = setup({ intervalMs: 30 });
    void batched.record(event(1));
    for (let i = 0; i < 50 && (await redis.xlen(key)) === 0; i++) await sleep(10);
    expect(await redis.xlen(key)).toBe(1);
  });

  it('when maxEntries are queued, then they are appended without waiting for the interval', async () => {
    const { batched, key } = setup({ intervalMs: 60_000, maxEntries: 4 });
    const done = [1, 2, 3, 4].map((n) => batched.record(event(n)));
    await Promise.all(done);
    expect(await redis.xlen(key)).toBe(4);
    void batched.record(event(5));
    await sleep(20);
    expect(await redis.xlen(key)).toBe(4); // the fifth waits for its interval
    await batched.close();
  });

  it('when closed, then the queue is written and later events are appended at once', async () => {
    const { batched, key } = setup({ intervalMs: 60_000 });
    void batched.record(event(1));
    void batched.record(event(2));
    await batched.close();
    expect(await redis.xlen(key)).toBe(2);
    await batched.record(event(3));
    expect(await redis.xlen(key)).toBe(3);
  });

  it('when queried, then the events queued on this replica are part of the answer', async () => {
    const { batched } = setup({ intervalMs: 60_000 });
    void batched.record(event(7));
    const page = await batched.query({ sinceMs: 0, limit: 10 });
    expect(page.entries.map((e) => e.principal)).toEqual(['p7']);
    await batched.close();
  });

  it('when an append fails, then every event of that batch reports the error and the next batch is written', async () => {
    const { log, batched, key } = setup({ intervalMs: 10 });
    jest.spyOn(log, 'appendSerialized').mockRejectedValueOnce(new Error('redis down'));
    const failed = [batched.record(event(1)), batched.record(event(2))];
    for (const p of failed) await expect(p).rejects.toThrow('redis down');
    await batched.record(event(3));
    expect(await redis.xlen(key)).toBe(1);
  });
});
