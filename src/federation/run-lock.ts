/**
 * One runner at a time per source or sink, across every worker process: a Redis string taken with
 * SET NX PX (a random token as value), kept alive while the run lasts, and released in `finally` only by its
 * holder. A crashed holder's lock expires after its TTL.
 */
import { randomUUID } from 'node:crypto';
import type { Cluster, Redis, Result } from 'ioredis';
import { luaSource } from '../store/lua-source';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** KEYS[1] lock, ARGV[1] token → 1 deleted, 0 held by someone else (or gone). */
    gwFedUnlock(key: string, token: string): Result<number, Context>;
    /** KEYS[1] lock, ARGV[1] token, ARGV[2] ttl ms → 1 extended, 0 not the holder. */
    gwFedExtendLock(key: string, token: string, ttlMs: number): Result<number, Context>;
  }
}

function defineLockScripts(redis: Redis | Cluster): void {
  if (typeof (redis as Partial<Pick<Redis, 'gwFedUnlock'>>).gwFedUnlock === 'function') return;
  redis.defineCommand('gwFedUnlock', { numberOfKeys: 1, lua: luaSource('run-lock-release.lua') });
  redis.defineCommand('gwFedExtendLock', { numberOfKeys: 1, lua: luaSource('run-lock-extend.lua') });
}

/**
 * Runs `fn` while holding the lock; resolves to `{ ran: false }` at once when another process holds it.
 * The TTL is renewed every third of its length, so a long run keeps the lock and a dead one loses it soon.
 */
export async function withRunLock<T>(
  redis: Redis | Cluster,
  key: string,
  ttlMs: number,
  fn: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  defineLockScripts(redis);
  const token = randomUUID();
  const got = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (got !== 'OK') return { ran: false };
  const timer = setInterval(
    () => {
      redis.gwFedExtendLock(key, token, ttlMs).catch(() => undefined);
    },
    Math.max(100, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  try {
    return { ran: true, value: await fn() };
  } finally {
    clearInterval(timer);
    await redis.gwFedUnlock(key, token);
  }
}
