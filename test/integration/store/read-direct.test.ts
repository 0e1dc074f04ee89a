/**
 * readObjectsPage takes the read engine's "ids" reply (read-records.lua) and fetches the records itself when no
 * filter needed them: its ids, date_added values, ranks, JSON texts, `more` and `next` must be exactly those of
 * the engine's record reply, whatever the versions, TLP ranks, types, limits and positions, including pages cut
 * short by the scan budget. The "ids" reply of an unfiltered one-index page comes from read-records.lua's fast
 * branch and the record reply from its general path, so these tests also hold the two branches to one answer.
 */
import type Redis from 'ioredis';
import { RedisStore } from '../../../src/store/redis-store';
import type { ObjectsPage, Page, ReadQuery, StoreItem, VersionSelector } from '../../../src/store/types';
import { connectTestRedis, isolatedKeys } from '../../helpers/redis';

const C = '11111111-2222-4333-8444-666666666666';
const LAST: VersionSelector = { all: false, first: false, last: true, exact: [] };
const FIRST: VersionSelector = { all: false, first: true, last: false, exact: [] };
const ALL: VersionSelector = { all: true, first: false, last: false, exact: [] };

function item(type: string, n: number, month: number, tlpRank: number): StoreItem {
  const id = `${type}--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const modified = `2021-${String(month).padStart(2, '0')}-01T00:00:00.000Z`;
  const json = JSON.stringify({ type, spec_version: '2.1', id, created: '2020-01-01T00:00:00.000Z', modified });
  return { id, type, specVersion: '2.1', json, version: modified, versionMicros: Date.parse(modified) * 1000, tlpRank };
}

interface Shape {
  das: number[];
  ids: string[];
  ranks: number[];
  body: string;
  more: boolean;
  next?: number;
}

function shape(p: Page): Shape {
  return {
    das: p.records.map((r) => r.dateAdded),
    ids: p.records.map((r) => r.id),
    ranks: p.records.map((r) => r.tlpRank),
    body: p.records.map((r) => r.json ?? '').join(','),
    more: p.more,
    ...(p.continueAfter === undefined ? {} : { next: p.continueAfter }),
  };
}

function bodyShape(p: ObjectsPage): Shape {
  return {
    das: [...p.dateAdded],
    ids: [...p.ids],
    ranks: [...p.tlpRanks],
    body: p.objects.map((b) => b.toString('utf8')).join(','),
    more: p.more,
    ...(p.continueAfter === undefined ? {} : { next: p.continueAfter }),
  };
}

describe('readObjectsPage against read', () => {
  let redis: Redis;
  let store: RedisStore;
  let positions: number[] = [];

  beforeAll(async () => {
    redis = connectTestRedis();
    store = new RedisStore(redis, isolatedKeys());
    // Objects with up to three versions arriving out of order, every TLP rank, two types; a pseudo-random but
    // fixed order.
    let x = 11;
    const rnd = (n: number): number => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x % n;
    };
    const items: StoreItem[] = [];
    for (let n = 0; n < 120; n++) {
      const type = n % 4 === 0 ? 'malware' : 'indicator';
      const versions = 1 + rnd(3);
      for (let v = 0; v < versions; v++) items.push(item(type, n, 1 + rnd(12), rnd(5)));
    }
    for (let i = 0; i < items.length; i += 7) await store.storeBatch(C, items.slice(i, i + 7));
    const all = await store.read(C, { after: 0, limit: 1000, types: [], ids: [], versions: ALL }, false);
    positions = [0, ...all.records.filter((_, i) => i % 37 === 5).map((r) => r.dateAdded)];
  });

  afterAll(async () => {
    await redis.quit();
  });

  it('when the same query is read both ways, then the pages, more and next are identical', async () => {
    let compared = 0;
    for (const versions of [LAST, FIRST, ALL]) {
      for (const types of [[], ['indicator'], ['malware'], ['tool']]) {
        for (const [maxTlpRank, specVersions] of [
          [0, []],
          [2, ['2.1']],
          [4, []],
        ] as const) {
          for (const limit of [1, 3, 50]) {
            for (const after of positions) {
              const query: ReadQuery = { after, limit, types, ids: [], versions, match: { spec_version: specVersions }, maxTlpRank };
              expect({ query, page: bodyShape(await store.readObjectsPage(C, query)) }).toEqual({
                query,
                page: shape(await store.read(C, query, true)),
              });
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('when more entries are skipped than the scan budget, then both ways answer the same short page', async () => {
    const big = new RedisStore(redis, isolatedKeys());
    const red = Array.from({ length: 6000 }, (_, i) => item('indicator', 10_000 + i, 1, 4));
    for (let i = 0; i < red.length; i += 1000) await big.storeBatch(C, red.slice(i, i + 1000));
    await big.storeBatch(C, [item('indicator', 1, 2, 0), item('indicator', 2, 2, 0)]);
    let query: ReadQuery = { after: 0, limit: 10, types: [], ids: [], versions: LAST, maxTlpRank: 1 };
    const pages: Shape[] = [];
    for (let guard = 0; guard < 5; guard++) {
      const direct = bodyShape(await big.readObjectsPage(C, query));
      expect(direct).toEqual(shape(await big.read(C, query, true)));
      pages.push(direct);
      if (!direct.more || direct.next === undefined) break;
      query = { ...query, after: direct.next };
    }
    expect(pages[0]).toMatchObject({ das: [], more: true });
    expect(pages.flatMap((p) => p.das)).toHaveLength(2);
  });
});
