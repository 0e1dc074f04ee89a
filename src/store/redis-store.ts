/**
 * ObjectStore on Redis (docs/architecture.md). Records are kept as JSON strings behind a small tab-separated header so
 * pages are assembled without parsing objects; every multi-key change is one Lua script on keys that share the
 * collection's hash tag. This file is the write side; reads are src/store/redis-reader.ts.
 */
import { randomBytes } from 'node:crypto';
import Redis, { type Cluster } from 'ioredis';
import { indexEntriesOf } from './indicator-entries';
import type { KeyBuilder } from './keys';
import { parseVersionList, producerOfEntry, typeOfId } from './record-codec';
import { RedisReader } from './redis-reader';
import { defineStoreScripts } from './scripts';
import {
  LATEST_VERSION,
  type ObjectsPage,
  type ObjectStore,
  type Page,
  type ReadQuery,
  type StoreItem,
  type StoreOutcome,
  type StoredRecord,
  type WriterContext,
} from './types';

/** The highest rank a record can carry (5: above every clearance, see src/policy/record-rank.ts). */
const MAX_RANK = 5;

/** Longest wait for a store call to leave the process before the worker goes on anyway. */
const SENT_WAIT_MS = 1000;

export class RedisStore implements ObjectStore {
  private readonly reader: RedisReader;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
  ) {
    defineStoreScripts(redis);
    this.reader = new RedisReader(redis, keys);
  }

  async storeBatch(collectionId: string, items: readonly StoreItem[], writer?: WriterContext): Promise<StoreOutcome[]> {
    if (items.length === 0) return [];
    const k = this.keys.collection(collectionId);
    const typeIndex = new Map<string, number>();
    const typeKeys: string[] = [];
    const args: (string | number)[] = [
      items.length,
      writer?.identity ?? '',
      writer?.clearance ?? MAX_RANK,
      writer?.admin === true ? '1' : '0',
      // the random part of each step of the collection clock (store-objects.lua)
      randomBytes(items.length).toString('hex'),
      k.typeIndexPrefix,
      k.referrerSetPrefix,
    ];
    for (const item of items) {
      let ti = typeIndex.get(item.type);
      if (ti === undefined) {
        ti = typeIndex.size;
        typeIndex.set(item.type, ti);
        typeKeys.push(k.typeIndex(item.type));
      }
      // The header's fields are joined by tabs: the ones taken from the object must not hold one (its id and
      // version are validated STIX, its spec_version is checked here; digests and reference ids never do).
      const version = item.version ?? '';
      if (item.specVersion.includes('\t') || item.id.includes('\t') || version.includes('\t')) {
        throw new Error(`store item ${JSON.stringify(item.id)}: a header field holds a tab`);
      }
      args.push(
        `${item.id}\t${version}\t${item.versionMicros ?? ''}\t${item.specVersion}\t${item.tlpRank ?? 0}\t${ti}\t${item.dedupField ?? ''}\t${item.valueDigests?.join(',') ?? ''}\t${item.owned === true ? '1' : '0'}\t${item.refs?.join(',') ?? ''}`,
        item.json,
        item.originalJson ?? '',
      );
    }
    const keys = [
      k.meta,
      k.data,
      k.objects,
      k.index,
      k.originals,
      k.indicatorKeys,
      k.aliases,
      k.values,
      k.owners,
      k.referrers,
      ...typeKeys,
    ];
    const raw = await this.redis.gwStoreObjects(keys.length, ...keys, ...args);
    return raw.map((r): StoreOutcome => {
      if (typeof r === 'string' && r.startsWith('m:')) return { kind: 'merged', into: r.slice(2) };
      const n = Number(r);
      if (n === -1) return { kind: 'duplicate' };
      if (n === -2) return { kind: 'conflict' };
      if (n === -3) return { kind: 'hidden' };
      if (n === -4) return { kind: 'not-producer' };
      return { kind: 'stored', dateAdded: n };
    });
  }

  async heldIds(collectionId: string, ids: readonly string[], maxRank: number): Promise<Set<string>> {
    const out = new Set<string>();
    if (ids.length === 0) return out;
    const lists = await this.redis.hmget(this.keys.collection(collectionId).objects, ...ids);
    ids.forEach((id, i) => {
      const entry = lists[i];
      if (entry && parseVersionList(entry).some((e) => e.tlpRank <= maxRank)) out.add(id);
    });
    return out;
  }

  async producerOf(collectionId: string, id: string): Promise<string | undefined> {
    const k = this.keys.collection(collectionId);
    // the producer ends the object's version list; a collection stored in the previous format keeps it in `owners`
    const [entry, previous] = await Promise.all([this.redis.hget(k.objects, id), this.redis.hget(k.owners, id)]);
    return (entry === null ? undefined : producerOfEntry(entry)) ?? previous ?? undefined;
  }

  async sent(): Promise<void> {
    // A cluster client has one socket per node; it is not waited for.
    if (!(this.redis instanceof Redis)) return;
    const socket = this.redis.stream;
    if (!socket || socket.writableLength === 0 || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      // Bounded: a connection that stalls is the command's own problem (it fails or retries), not this wait's.
      const timer = setTimeout(done, SENT_WAIT_MS);
      socket.once('drain', done);
      socket.once('close', done);
    });
  }

  async deleteVersions(collectionId: string, id: string, dateAdded: readonly number[]): Promise<{ removed: number }> {
    if (dateAdded.length === 0) return { removed: 0 };
    const k = this.keys.collection(collectionId);
    // An indicator's dedup and value-index entries go with its last version; they are computed from it here.
    const latest = id.startsWith('indicator--') ? await this.latest(collectionId, id) : undefined;
    const entries = latest?.json === undefined ? undefined : indexEntriesOf(latest.json);
    const keys = [k.data, k.objects, k.index, k.typeIndex(typeOfId(id)), k.originals, k.indicatorKeys, k.values];
    const removed = await this.redis.gwDeleteVersions(
      keys.length,
      ...keys,
      id,
      entries?.dedupField ?? '',
      entries?.valueDigests.join(',') ?? '',
      ...dateAdded.map(String),
    );
    return { removed: Number(removed) };
  }

  read(collectionId: string, query: ReadQuery, withJson: boolean): Promise<Page> {
    return this.reader.read(collectionId, query, withJson);
  }

  readObjectsPage(collectionId: string, query: ReadQuery): Promise<ObjectsPage> {
    return this.reader.readObjectsPage(collectionId, query);
  }

  readonly selectVersions: ObjectStore['selectVersions'] = (...args) => this.reader.selectVersions(...args);

  latest(collectionId: string, id: string): Promise<StoredRecord | undefined> {
    return this.reader.latest(collectionId, id);
  }

  async latestOf(collectionId: string, ids: readonly string[]): Promise<StoredRecord[]> {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const query: ReadQuery = { after: 0, limit: unique.length, types: [], ids: unique, versions: LATEST_VERSION, maxTlpRank: MAX_RANK };
    return [...(await this.reader.read(collectionId, query, true)).records];
  }

  async latestRanks(collectionId: string, ids: readonly string[], maxRank: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (ids.length === 0) return out;
    const lists = await this.redis.hmget(this.keys.collection(collectionId).objects, ...ids);
    ids.forEach((id, i) => {
      const entry = lists[i];
      // the list is sorted by version: its last entry is the latest version
      const latest = entry ? parseVersionList(entry).at(-1) : undefined;
      if (latest !== undefined && latest.tlpRank <= maxRank) out.set(id, latest.tlpRank);
    });
    return out;
  }

  aliases(collectionId: string, ids: readonly string[]): Promise<Map<string, string>> {
    return this.reader.aliases(collectionId, ids);
  }

  original(collectionId: string, dateAdded: number): Promise<string | undefined> {
    return this.reader.original(collectionId, dateAdded);
  }
}
