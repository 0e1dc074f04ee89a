/**
 * The exchange recorder remembers which served records already have their first pull recorded, so a reader paging
 * records it pulled before costs no first-pulls script (src/exchange/exchange-recorder.ts); the memory is bounded
 * and starts over when full. The tests delete the first-pull hash behind the recorder's back: a record the
 * recorder remembers is then not written again, one it does not remember is.
 */
import type Redis from 'ioredis';
import { dayOf, Field } from '../../../src/exchange/exchange-day';
import { ExchangeRecorder, type ServedRecord } from '../../../src/exchange/exchange-recorder';
import type { KeyBuilder } from '../../../src/store/keys';
import { COLL, startTestGateway, type TestGateway } from '../../helpers/gateway';
import { isolatedKeys } from '../../helpers/redis';

const READER = 'ru-cert';
const NOW = Date.parse('2026-03-04T05:06:07Z');

function served(n: number): ServedRecord {
  return { id: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, dateAdded: NOW * 1000 - 1000 + n, tlpRank: 1 };
}

describe('first-pull memory of the exchange recorder', () => {
  let gw: TestGateway;
  let redis: Redis;

  beforeAll(async () => {
    gw = await startTestGateway({ worker: false });
    redis = gw.redis;
  });

  afterAll(async () => {
    await gw.close();
  });

  const recorder = (keys: KeyBuilder, firstPullMemory?: number): ExchangeRecorder =>
    new ExchangeRecorder(redis, keys, gw.config, { now: () => NOW, ...(firstPullMemory === undefined ? {} : { firstPullMemory }) });
  const recordedIds = async (keys: KeyBuilder): Promise<string[]> => (await redis.hkeys(keys.exchange(COLL.us).firstPulls(READER))).sort();
  const total = async (keys: KeyBuilder, field: string): Promise<number> =>
    Number((await redis.hget(keys.exchange(COLL.us).day(dayOf(NOW)), field)) ?? 0);

  it('when a reader pulls records it pulled before, then no first pull is written again, and served still counts them', async () => {
    const keys = isolatedKeys();
    const rec = recorder(keys);
    rec.pulled(READER, COLL.us, [served(1), served(2)]);
    await rec.flush();
    expect(await recordedIds(keys)).toEqual([served(1).id, served(2).id]);
    expect(await total(keys, Field.firstPull(READER, 1))).toBe(2);

    await redis.del(keys.exchange(COLL.us).firstPulls(READER));
    rec.pulled(READER, COLL.us, [served(1), served(2)]);
    rec.pulled(READER, COLL.us, [served(2), served(3)]);
    await rec.flush();
    // only the record the recorder had not seen reached Redis
    expect(await recordedIds(keys)).toEqual([served(3).id]);
    expect(await total(keys, Field.firstPull(READER, 1))).toBe(3);
    expect(await total(keys, Field.served(READER, 1))).toBe(6);
    await rec.close();
  });

  it('when the memory would pass its bound, then it starts over and the forgotten records are asked of Redis again', async () => {
    const keys = isolatedKeys();
    const rec = recorder(keys, 2);
    rec.pulled(READER, COLL.us, [served(1), served(2)]);
    await rec.flush();
    await redis.del(keys.exchange(COLL.us).firstPulls(READER));
    // a third record does not fit: the memory starts over with it alone
    rec.pulled(READER, COLL.us, [served(3)]);
    await rec.flush();
    rec.pulled(READER, COLL.us, [served(1), served(2), served(3)]);
    await rec.flush();
    expect(await recordedIds(keys)).toEqual([served(1).id, served(2).id, served(3).id]);
    // records 1 and 2 were asked again (their fields, deleted above, created anew), record 3 was remembered
    expect(await total(keys, Field.firstPull(READER, 1))).toBe(2 + 1 + 2);
    await rec.close();
  });

  it('when the memory is off, then every flush asks Redis for every served record', async () => {
    const keys = isolatedKeys();
    const rec = recorder(keys, 0);
    rec.pulled(READER, COLL.us, [served(1)]);
    await rec.flush();
    await redis.del(keys.exchange(COLL.us).firstPulls(READER));
    rec.pulled(READER, COLL.us, [served(1)]);
    await rec.flush();
    expect(await recordedIds(keys)).toEqual([served(1).id]);
    await rec.close();
  });

  it('when a page is reported as columns with mixed ranks, then served and first pulls count per rank as for records', async () => {
    const keys = isolatedKeys();
    const rec = recorder(keys);
    const ranks = [1, 1, 2, 1, 3, 3];
    const records = ranks.map((tlpRank, i) => ({ ...served(i + 1), tlpRank }));
    const page = { ids: records.map((r) => r.id), dateAdded: records.map((r) => r.dateAdded), tlpRanks: ranks };
    rec.pulledPage(READER, COLL.us, page);
    await rec.flush();
    await redis.del(keys.exchange(COLL.us).firstPulls(READER));
    // the same page again: served counts again, its first pulls are remembered (not written again)
    rec.pulledPage(READER, COLL.us, page);
    rec.pulledPage(READER, COLL.us, { ids: [], dateAdded: [], tlpRanks: [] });
    await rec.flush();
    expect(await recordedIds(keys)).toEqual([]);
    expect(await Promise.all([1, 2, 3].map((r) => total(keys, Field.served(READER, r))))).toEqual([6, 2, 4]);
    expect(await Promise.all([1, 2, 3].map((r) => total(keys, Field.firstPull(READER, r))))).toEqual([3, 1, 2]);
    await rec.close();
  });
});
