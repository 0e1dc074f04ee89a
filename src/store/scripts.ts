/**
 * The store's Lua scripts, registered as typed ioredis commands. Each script documents its
 * KEYS/ARGV/return contract in its header (src/store/lua/*.lua).
 */
import type { Cluster, Redis, Result } from 'ioredis';
import { luaSource } from './lua-source';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** store-objects.lua: (numKeys, ...keys, ...args) → one integer per object. */
    gwStoreObjects(numKeys: number, ...keysAndArgs: (string | number)[]): Result<(number | string)[], Context>;
    /** read-records.lua, the read engine: (numKeys, ...keys, ...args) → [more, next, ...]. */
    gwReadRecords(numKeys: number, ...keysAndArgs: (string | number)[]): Result<(string | number)[], Context>;
    /** The same script with bulk replies as Buffers (pages served without decoding and re-encoding JSON). */
    gwReadRecordsBuffer(numKeys: number, ...keysAndArgs: (string | number)[]): Result<(Buffer | number)[], Context>;
    /** delete-versions.lua: (7 keys, id, dedup field, value digests, ...dateAdded) → number removed. */
    gwDeleteVersions(numKeys: number, ...keysAndArgs: (string | number)[]): Result<number, Context>;
    /** first-pulls.lua: (1, first-pull hash, ...id/time pairs) → 1 or 0 per pair (1 = first pull). */
    gwFirstPulls(numKeys: number, ...keysAndArgs: (string | number)[]): Result<number[], Context>;
    /** set-add-each.lua: (1, set, ...members) → 1 or 0 per member (1 = added by this call). */
    gwSetAddEach(numKeys: number, ...keysAndArgs: (string | number)[]): Result<number[], Context>;
  }
}

/** Registers the scripts on a connection (idempotent per connection). */
export function defineStoreScripts(redis: Redis | Cluster): void {
  if (typeof (redis as Partial<Pick<Redis, 'gwStoreObjects'>>).gwStoreObjects === 'function') return;
  redis.defineCommand('gwStoreObjects', { lua: luaSource('store-objects.lua') });
  redis.defineCommand('gwReadRecords', { lua: luaSource('read-records.lua') });
  redis.defineCommand('gwDeleteVersions', { lua: luaSource('delete-versions.lua') });
  redis.defineCommand('gwFirstPulls', { lua: luaSource('first-pulls.lua') });
  redis.defineCommand('gwSetAddEach', { lua: luaSource('set-add-each.lua') });
}
