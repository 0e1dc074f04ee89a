import type Redis from 'ioredis';
import { parseVersionList } from '../../../src/store/record-codec';
import { RedisStore } from '../../../src/store/redis-store';
import type { KeyBuilder } from '../../../src/store/keys';
import type { ReadQuery, StoreItem, VersionSelector, WriterContext } from '../../../src/store/types';
import { parseTimestamp } from '../../../src/stix/time';
import { connectTestRedis, isolatedKeys } from '../../helpers/redis';

const C = '11111111-2222-4333-8444-555555555555';
const LAST: VersionSelector = { all: false, first: false, last: true, exact: [] };
const FIRST: VersionSelector = { all: false, first: true, last: false, exact: [] };
const ALL: VersionSelector = { all: true, first: false, last: false, exact: [] };

function item(type: string, n: number, modified?: string): StoreItem {
  const id = `${type}--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const obj: Record<string, unknown> = { type, spec_version: '2.1', id };
  if (modified) {
    obj['created'] = '2020-01-01T00:00:00.000Z';
    obj['modified'] = modified;
  }
  const base = { id, type, specVersion: '2.1', json: JSON.stringify(obj) };
  if (!modified) return base;
  const micros = parseTimestamp(modified)?.micros;
  return micros === undefined ? base : { ...base, version: modified, versionMicros: micros };
}

function q(partial: Partial<ReadQuery>): ReadQuery {
  return { after: 0, limit: 100, types: [], ids: [], versions: LAST, ...partial };
}

describe('RedisStore', () => {
  let redis: Redis;
  let keys: KeyBuilder;
  let store: RedisStore;
  beforeAll(() => {
    redis = connectTestRedis();
  });
  beforeEach(() => {
    keys = isolatedKeys();
    store = new RedisStore(redis, keys);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('when a store call is larger than the socket buffer, then sent() resolves once all of it has left the process', async () => {
    await redis.ping();
    // ~18 MB of arguments: more than any socket send buffer (TCP's grows to 4 MB), so part of the call waits in
    // the client at first
    const big = Array.from({ length: 6000 }, (_, i) => {
      const it = item('malware', 100_000 + i, '2021-01-01T00:00:00.000Z');
      return { ...it, json: it.json.replace('}', `,"description":"${'x'.repeat(3000)}"}`) };
    });
    const storing = store.storeBatch(C, big);
    expect(redis.stream.writableLength).toBeGreaterThan(0);
    await store.sent();
    expect(redis.stream.writableLength).toBe(0);
    const out = await storing;
    expect(out.every((o) => o.kind === 'stored')).toBe(true);
    // nothing pending: it resolves at once
    await store.sent();
  });

  it('when a store item carries an original JSON, a rank and index entries, then each argument reaches its place', async () => {
    const base = item('indicator', 7, '2021-03-04T05:06:07.000Z');
    const stored = await store.storeBatch(C, [
      { ...base, originalJson: '{"posted":"as\\tsent"}', dedupField: 'dd1', valueDigests: ['v1', 'v2'], owned: true, tlpRank: 2 },
    ]);
    const out = stored[0];
    if (out?.kind !== 'stored') throw new Error(`not stored: ${JSON.stringify(out)}`);
    const page = await store.read(C, q({ maxTlpRank: 5 }), true);
    expect(page.records.map((r) => [r.id, r.version, r.json, r.tlpRank])).toEqual([[base.id, base.version, base.json, 2]]);
    expect(await store.original(C, out.dateAdded)).toBe('{"posted":"as\\tsent"}');
  });

  it('when a store item header field holds a tab, then the store call is refused and nothing of the batch is stored', async () => {
    const good = item('malware', 21, '2021-01-01T00:00:00.000Z');
    const bad = { ...item('malware', 22, '2021-01-01T00:00:00.000Z'), specVersion: '2.1\tx' };
    await expect(store.storeBatch(C, [good, bad])).rejects.toThrow('a header field holds a tab');
    expect((await store.read(C, q({ maxTlpRank: 5 }), false)).records).toHaveLength(0);
  });

  it('when a batch is stored, then each object gets a strictly increasing date_added', async () => {
    const items = Array.from({ length: 50 }, (_, i) => item('indicator', i, '2021-01-01T00:00:00.000Z'));
    const out = await store.storeBatch(C, items);
    const added = out.map((o) => (o.kind === 'stored' ? o.dateAdded : -1));
    expect(added.every((d) => d > 0)).toBe(true);
    for (let i = 1; i < added.length; i++) expect(added[i]).toBeGreaterThan(added[i - 1] ?? Infinity);
  });

  it('when the same version is posted again, then it is a duplicate; different content with the same version is a conflict', async () => {
    const a = item('indicator', 1, '2021-01-01T00:00:00.000Z');
    await store.storeBatch(C, [a]);
    const [dup] = await store.storeBatch(C, [a]);
    expect(dup).toEqual({ kind: 'duplicate' });
    const [conflict] = await store.storeBatch(C, [{ ...a, json: a.json.replace('}', ',"name":"x"}') }]);
    expect(conflict).toEqual({ kind: 'conflict' });
    const page = await store.read(C, q({ versions: ALL }), true);
    expect(page.records).toHaveLength(1);
    expect(page.records[0]?.json).toBe(a.json);
  });

  it('when an object has three versions, then latest, first and all views select the right ones', async () => {
    const v1 = item('malware', 1, '2021-01-01T00:00:00.000Z');
    const v3 = item('malware', 1, '2021-03-01T00:00:00.000Z');
    const v2 = item('malware', 1, '2021-02-01T00:00:00.000Z');
    await store.storeBatch(C, [v1]);
    await store.storeBatch(C, [v3]);
    await store.storeBatch(C, [v2]); // arrives last but is not the latest version
    const last = await store.read(C, q({}), false);
    expect(last.records.map((r) => r.version)).toEqual(['2021-03-01T00:00:00.000Z']);
    const first = await store.read(C, q({ versions: FIRST }), false);
    expect(first.records.map((r) => r.version)).toEqual(['2021-01-01T00:00:00.000Z']);
    const all = await store.read(C, q({ versions: ALL }), false);
    expect(all.records.map((r) => r.version)).toEqual(['2021-01-01T00:00:00.000Z', '2021-03-01T00:00:00.000Z', '2021-02-01T00:00:00.000Z']);
    const both = await store.read(C, q({ versions: { all: false, first: true, last: true, exact: [] } }), false);
    expect(both.records).toHaveLength(2);
  });

  it('when paging with limit 2, then every record is returned exactly once in date_added order', async () => {
    await store.storeBatch(
      C,
      Array.from({ length: 7 }, (_, i) => item('indicator', i, '2021-01-01T00:00:00.000Z')),
    );
    const seen: number[] = [];
    let after = 0;
    for (let guard = 0; guard < 10; guard++) {
      const page = await store.read(C, q({ after, limit: 2 }), true);
      seen.push(...page.records.map((r) => r.dateAdded));
      if (!page.more) break;
      after = page.continueAfter ?? 0;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('when filtering by type, id, exact version and spec_version, then only matching records come back', async () => {
    await store.storeBatch(C, [
      item('indicator', 1, '2021-01-01T00:00:00.000Z'),
      item('malware', 2, '2021-01-01T00:00:00.000Z'),
      item('indicator', 3, '2021-01-01T00:00:00.000Z'),
      item('indicator', 3, '2021-06-01T00:00:00.000Z'),
      item('ipv4-addr', 4),
    ]);
    expect((await store.read(C, q({ types: ['malware'] }), false)).records.map((r) => r.id)).toEqual([item('malware', 2).id]);
    expect((await store.read(C, q({ types: ['malware', 'ipv4-addr'] }), false)).records).toHaveLength(2);
    const byId = await store.read(C, q({ ids: [item('indicator', 3).id], versions: ALL }), false);
    expect(byId.records.map((r) => r.version)).toEqual(['2021-01-01T00:00:00.000Z', '2021-06-01T00:00:00.000Z']);
    const jan = parseTimestamp('2021-01-01T00:00:00.000Z')?.micros ?? 0;
    const exact = await store.read(C, q({ versions: { all: false, first: false, last: false, exact: [jan] } }), false);
    expect(exact.records).toHaveLength(3);
    expect((await store.read(C, q({ match: { spec_version: ['2.0'] } }), false)).records).toHaveLength(0);
    expect((await store.read(C, q({ match: { spec_version: ['2.1'] } }), false)).records).toHaveLength(4);
    const sco = (await store.read(C, q({ types: ['ipv4-addr'] }), false)).records[0];
    expect(sco?.version).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });

  it('when the latest version is deleted, then the previous one becomes latest and indexes stay consistent', async () => {
    const v1 = item('indicator', 9, '2021-01-01T00:00:00.000Z');
    const v2 = item('indicator', 9, '2021-02-01T00:00:00.000Z');
    await store.storeBatch(C, [v1, v2]);
    const latest = await store.selectVersions(C, v1.id, LAST, {});
    expect(latest).toHaveLength(1);
    expect(
      (
        await store.deleteVersions(
          C,
          v1.id,
          latest.map((r) => r.dateAdded),
        )
      ).removed,
    ).toBe(1);
    const now = await store.read(C, q({ types: ['indicator'] }), false);
    expect(now.records.map((r) => r.version)).toEqual(['2021-01-01T00:00:00.000Z']);
    const all = await store.selectVersions(C, v1.id, ALL, {});
    const last = await store.deleteVersions(
      C,
      v1.id,
      all.map((r) => r.dateAdded),
    );
    expect(last.removed).toBe(1);
    for (const sel of [LAST, FIRST, ALL]) expect((await store.read(C, q({ versions: sel }), false)).records).toHaveLength(0);
  });

  it('when a reader may see up to AMBER, then RED and AMBER+STRICT records are skipped inside the query and pages stay full', async () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ ...item('indicator', 500 + i, '2021-01-01T00:00:00.000Z'), tlpRank: i % 5 }));
    await store.storeBatch(C, items);
    const seen: number[] = [];
    let after = 0;
    for (let guard = 0; guard < 20; guard++) {
      const page = await store.read(C, q({ after, limit: 3, maxTlpRank: 2 }), false);
      if (page.more) expect(page.records).toHaveLength(3);
      seen.push(...page.records.map((r) => r.tlpRank));
      if (!page.more) break;
      after = page.continueAfter ?? 0;
    }
    expect(seen).toHaveLength(12);
    expect(seen.every((r) => r <= 2)).toBe(true);
    const byId = await store.read(C, q({ ids: items.map((i) => i.id), maxTlpRank: 0 }), false);
    expect(byId.records).toHaveLength(4);
  });

  // producers: kept at the end of the version list
  const A: WriterContext = { identity: 'identity--aaaaaaaa-0000-4000-8000-000000000001', clearance: 5, admin: false };
  const B: WriterContext = { identity: 'identity--bbbbbbbb-0000-4000-8000-000000000002', clearance: 5, admin: false };

  const owned = (n: number, modified: string): StoreItem => ({ ...item('malware', n, modified), owned: true });

  it('when writers store objects, then each version list ends with its producer, no owners hash is written and only the producer adds versions', async () => {
    const a = owned(1, '2021-01-01T00:00:00.000Z');
    const b = owned(2, '2021-01-01T00:00:00.000Z');
    expect((await store.storeBatch(C, [a], A))[0]?.kind).toBe('stored');
    expect((await store.storeBatch(C, [b], B))[0]?.kind).toBe('stored');
    const k = keys.collection(C);
    expect(await redis.exists(k.owners)).toBe(0);
    expect(await redis.hget(k.objects, a.id)).toMatch(new RegExp(`^\\d+:\\d+:0,@${A.identity}$`));
    expect(await store.producerOf(C, a.id)).toBe(A.identity);
    expect(await store.producerOf(C, b.id)).toBe(B.identity);
    // B may read A's object but not version it; A may, and its entry keeps one producer after the insert
    expect((await store.storeBatch(C, [owned(1, '2021-02-01T00:00:00.000Z')], B))[0]?.kind).toBe('not-producer');
    expect(
      (await store.storeBatch(C, [owned(1, '2021-03-01T00:00:00.000Z'), owned(1, '2021-02-01T00:00:00.000Z')], A)).map((o) => o.kind),
    ).toEqual(['stored', 'stored']);
    const entry = (await redis.hget(k.objects, a.id)) ?? '';
    expect(entry.split('@')).toHaveLength(2);
    // the list stays sorted by version (the insert went between the other two)
    const micros = parseVersionList(entry).map((e) => e.versionMicros);
    expect(micros).toHaveLength(3);
    expect([...micros].sort((x, y) => x - y)).toEqual(micros);
    expect((await store.latest(C, a.id))?.version).toBe('2021-03-01T00:00:00.000Z');
    expect(await store.latestRanks(C, [a.id], 5)).toEqual(new Map([[a.id, 0]]));
  });

  it('when every version is deleted, then the producer outlives them: the id reads as absent and another producer still cannot take it over', async () => {
    const v1 = owned(3, '2021-01-01T00:00:00.000Z');
    const v2 = owned(3, '2021-02-01T00:00:00.000Z');
    await store.storeBatch(C, [v1, v2], A);
    const all = await store.selectVersions(C, v1.id, ALL, {});
    const [first, second] = all.map((r) => r.dateAdded);
    if (first === undefined || second === undefined) throw new Error('two versions expected');
    expect((await store.deleteVersions(C, v1.id, [second])).removed).toBe(1);
    expect(await store.producerOf(C, v1.id)).toBe(A.identity);
    expect((await store.deleteVersions(C, v1.id, [first])).removed).toBe(1);
    expect(await redis.hget(keys.collection(C).objects, v1.id)).toBe(`@${A.identity}`);
    expect(await store.producerOf(C, v1.id)).toBe(A.identity);
    expect([...(await store.heldIds(C, [v1.id], 5))]).toEqual([]);
    expect(await store.latest(C, v1.id)).toBeUndefined();
    expect((await store.read(C, q({ ids: [v1.id], versions: ALL, maxTlpRank: 5 }), false)).records).toHaveLength(0);
    expect((await store.deleteVersions(C, v1.id, [first])).removed).toBe(0);
    expect((await store.storeBatch(C, [owned(3, '2021-03-01T00:00:00.000Z')], B))[0]?.kind).toBe('hidden');
    expect((await store.storeBatch(C, [owned(3, '2021-03-01T00:00:00.000Z')], A))[0]?.kind).toBe('stored');
    expect(await redis.hget(keys.collection(C).objects, v1.id)).toMatch(new RegExp(`^\\d+:\\d+:0,@${A.identity}$`));
  });

  it('when a collection was stored in the previous format (producers in the owners hash), then its producers still decide every write', async () => {
    const k = keys.collection(C);
    const old = owned(4, '2021-01-01T00:00:00.000Z');
    const gone = owned(5, '2021-01-01T00:00:00.000Z');
    // the previous format: version lists without a producer, producers in their own hash (a deleted object's too)
    await store.storeBatch(C, [old]);
    expect(await redis.hget(k.objects, old.id)).not.toContain('@');
    await redis.hset(k.owners, old.id, A.identity, gone.id, A.identity);
    expect(await store.producerOf(C, old.id)).toBe(A.identity);
    expect((await store.storeBatch(C, [owned(4, '2021-02-01T00:00:00.000Z')], B))[0]?.kind).toBe('not-producer');
    expect((await store.storeBatch(C, [owned(5, '2021-02-01T00:00:00.000Z')], B))[0]?.kind).toBe('hidden');
    expect((await store.storeBatch(C, [owned(4, '2021-02-01T00:00:00.000Z')], A))[0]?.kind).toBe('stored');
    expect((await store.selectVersions(C, old.id, ALL, {})).map((r) => r.version)).toEqual([
      '2021-01-01T00:00:00.000Z',
      '2021-02-01T00:00:00.000Z',
    ]);
    expect(await store.producerOf(C, old.id)).toBe(A.identity);
    // a new object of a collection in the previous format gets its producer in its version list
    const fresh = owned(6, '2021-01-01T00:00:00.000Z');
    expect((await store.storeBatch(C, [fresh], B))[0]?.kind).toBe('stored');
    expect(await redis.hget(k.objects, fresh.id)).toContain(`,@${B.identity}`);
    expect(await redis.hget(k.owners, fresh.id)).toBeNull();
  });
});
