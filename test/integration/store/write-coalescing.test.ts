/**
 * coalesceWrites (src/store/write-coalescing.ts): the commands sent in one event-loop turn leave the socket in
 * one write, and every command still gets its own reply.
 */
import type { Socket } from 'node:net';
import Redis from 'ioredis';
import { coalesceWrites } from '../../../src/store/write-coalescing';
import { connectTestRedis, isolatedKeys, testRedisUrl } from '../../helpers/redis';

/** Counts the socket-level writes of a connection (one per `_write`, one per `_writev` of several chunks). */
function countWrites(redis: Redis): { writes: () => number; restore: () => void } {
  const stream = redis.stream as Socket;
  const single = jest.spyOn(stream, '_write');
  const many = jest.spyOn(stream, '_writev');
  return {
    writes: () => single.mock.calls.length + many.mock.calls.length,
    restore: () => {
      single.mockRestore();
      many.mockRestore();
    },
  };
}

describe('coalesceWrites', () => {
  let redis: Redis;
  const key = isolatedKeys().collection('11111111-2222-4333-8444-555555555555').data;

  beforeAll(async () => {
    redis = connectTestRedis();
    await redis.ping();
    await redis.hset(key, ...Array.from({ length: 20 }, (_, i) => [`f${i}`, `value ${i}`]).flat());
  });

  afterAll(async () => {
    await redis.del(key);
    redis.disconnect();
  });

  it('when twenty commands are sent in one turn after coalesceWrites, then they leave in one write and each gets its own reply', async () => {
    const count = countWrites(redis);
    try {
      coalesceWrites(redis);
      coalesceWrites(redis); // a second call in the same turn changes nothing
      const replies = Promise.all(Array.from({ length: 20 }, (_, i) => redis.hget(key, `f${i}`)));
      expect(count.writes()).toBe(0);
      expect(await replies).toEqual(Array.from({ length: 20 }, (_, i) => `value ${i}`));
      expect(count.writes()).toBe(1);
      expect((redis.stream as Socket).writableCorked).toBe(0);
    } finally {
      count.restore();
    }
  });

  it('when commands are sent without coalesceWrites, then each leaves in its own write', async () => {
    const count = countWrites(redis);
    try {
      const replies = await Promise.all(Array.from({ length: 5 }, (_, i) => redis.hget(key, `f${i}`)));
      expect(replies).toEqual(['value 0', 'value 1', 'value 2', 'value 3', 'value 4']);
      expect(count.writes()).toBe(5);
    } finally {
      count.restore();
    }
  });

  it('when the connection is not ready yet, then nothing is corked and the commands wait in the offline queue as before', async () => {
    const lazy = new Redis(testRedisUrl(), { lazyConnect: true });
    try {
      coalesceWrites(lazy);
      expect(lazy.status).toBe('wait');
      expect(await lazy.hget(key, 'f3')).toBe('value 3');
      expect((lazy.stream as Socket).writableCorked).toBe(0);
    } finally {
      lazy.disconnect();
    }
  });
});
