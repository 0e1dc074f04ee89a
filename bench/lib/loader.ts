/**
 * Fills a collection directly through RedisStore.storeBatch with the dedup field and value digests the worker
 * passes for each indicator, without the HTTP and validation stages: the fast way to reach 1M objects.
 */
import type Redis from 'ioredis';
import { dedupField, indicatorKeyOf, valueDigests } from '../../src/store/indicator-entries';
import { createKeyBuilder } from '../../src/store/keys';
import { RedisStore } from '../../src/store/redis-store';
import type { StoreItem } from '../../src/store/types';
import { parseTimestamp } from '../../src/stix/time';
import { PRODUCER, defangedDomain, indicator } from './data';

const BATCH = 1000;

function itemOf(obj: Record<string, unknown>): StoreItem {
  const json = JSON.stringify(obj);
  const id = String(obj['id']);
  const type = String(obj['type']);
  const version = typeof obj['modified'] === 'string' ? obj['modified'] : undefined;
  const ts = version ? parseTimestamp(version) : undefined;
  const base: StoreItem = {
    id,
    type,
    specVersion: '2.1',
    tlpRank: 1,
    json,
    ...(version && ts ? { version, versionMicros: ts.micros } : {}),
  };
  if (type !== 'indicator') return base;
  const pattern = String(obj['pattern']);
  return { ...base, dedupField: dedupField(PRODUCER, indicatorKeyOf('stix', pattern)), valueDigests: valueDigests(pattern) };
}

/**
 * Stores objects [from, to) of data set `run` in `collection` (every 50th a domain-name observable, the rest
 * indicators). `parallel` batches are in flight at once.
 */
export async function loadObjects(redis: Redis, collection: string, run: string, from: number, to: number, parallel = 4): Promise<void> {
  const keys = createKeyBuilder('gw');
  const store = new RedisStore(redis, keys);
  let next = from;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < to) {
        const start = next;
        const end = Math.min(to, start + BATCH);
        next = end;
        const built: StoreItem[] = [];
        for (let n = start; n < end; n++) built.push(itemOf(n % 50 === 49 ? defangedDomain(n, run) : indicator(n, run)));
        await store.storeBatch(collection, built);
      }
    }),
  );
}
