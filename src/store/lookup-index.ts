/**
 * The cross-collection index behind "which CERTs reported this value": canonical indicator key → the
 * collections and indicator ids holding it, and digest of each compared value → the same. Maintained by the
 * worker on store and by DELETE; sets live outside collection hash tags (one slot per key), so updates are
 * separate idempotent commands rather than part of the collection's atomic write.
 */
import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { KeyBuilder } from './keys';

export interface LookupEntry {
  readonly collectionId: string;
  readonly indicatorId: string;
}

/** Digest of a compared value, case-folded (hashes, domains and e-mail addresses compare case-insensitively). */
export function valueDigest(value: string): string {
  return createHash('sha256').update(value.toLowerCase(), 'utf8').digest('hex').slice(0, 32);
}

/** One indicator to add to the index (see LookupIndex.add). */
export interface LookupAddition {
  readonly collectionId: string;
  readonly indicatorId: string;
  readonly indicatorKey: string;
  readonly values: readonly string[];
}

export class LookupIndex {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
  ) {}

  async add(collectionId: string, indicatorId: string, indicatorKey: string, values: readonly string[]): Promise<void> {
    const member = `${collectionId}|${indicatorId}`;
    const ops: Promise<number>[] = [this.redis.sadd(this.keys.lookup(indicatorKey), member)];
    for (const v of new Set(values)) ops.push(this.redis.sadd(this.keys.lookupValue(valueDigest(v)), member));
    await Promise.all(ops);
  }

  /**
   * add() for many indicators at once: on a single Redis one pipeline (one write, one round trip); on a
   * cluster, where a pipeline must stay within one slot, every command is sent at once and awaited together.
   */
  async addMany(entries: readonly LookupAddition[]): Promise<void> {
    if (entries.length === 0) return;
    if (this.redis.isCluster) {
      await Promise.all(entries.map((e) => this.add(e.collectionId, e.indicatorId, e.indicatorKey, e.values)));
      return;
    }
    const pipeline = this.redis.pipeline();
    for (const e of entries) {
      const member = `${e.collectionId}|${e.indicatorId}`;
      pipeline.sadd(this.keys.lookup(e.indicatorKey), member);
      for (const v of new Set(e.values)) pipeline.sadd(this.keys.lookupValue(valueDigest(v)), member);
    }
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([err]) => err !== null);
    if (failed?.[0]) throw failed[0];
  }

  async remove(collectionId: string, indicatorId: string, indicatorKey: string, values: readonly string[]): Promise<void> {
    const member = `${collectionId}|${indicatorId}`;
    const ops: Promise<number>[] = [this.redis.srem(this.keys.lookup(indicatorKey), member)];
    for (const v of new Set(values)) ops.push(this.redis.srem(this.keys.lookupValue(valueDigest(v)), member));
    await Promise.all(ops);
  }

  async byKey(indicatorKey: string): Promise<LookupEntry[]> {
    return parse(await this.redis.smembers(this.keys.lookup(indicatorKey)));
  }

  async byValue(value: string): Promise<LookupEntry[]> {
    return parse(await this.redis.smembers(this.keys.lookupValue(valueDigest(value))));
  }
}

function parse(members: readonly string[]): LookupEntry[] {
  return members
    .map((m) => {
      const bar = m.indexOf('|');
      return { collectionId: m.slice(0, bar), indicatorId: m.slice(bar + 1) };
    })
    .filter((e) => e.collectionId !== '' && e.indicatorId !== '');
}
