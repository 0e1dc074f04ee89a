/**
 * A record filter is one entry of src/store/record-filters.ts: the query parser, an endpoint's allowed list and
 * the read engine's arguments derive from the table, and read-records.lua applies any entry. Here a filter the
 * gateway does not have (match[modified], on the stored header's version field) is added through a table of the
 * test's own and followed from the query string to the records the engine returns, with no other code.
 */
import type Redis from 'ioredis';
import { parseFilters, LATEST_VERSION } from '../../../src/http/query';
import { TaxiiError } from '../../../src/http/errors';
import { RECORD_FILTERS, recordFilterArg, recordFilterParams, type RecordFilter } from '../../../src/store/record-filters';
import { readArgs } from '../../../src/store/redis-reader';
import { RedisStore } from '../../../src/store/redis-store';
import type { StoreItem } from '../../../src/store/types';
import { connectTestRedis, isolatedKeys } from '../../helpers/redis';

const C = '11111111-2222-4333-8444-777777777777';

const MODIFIED: RecordFilter = {
  param: 'match[modified]',
  key: 'modified',
  headerField: 2,
  endpoints: ['list'],
  check: (v) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) ? undefined : `"${v.slice(0, 40)}" is not a timestamp`),
};
const TABLE: readonly RecordFilter[] = [...RECORD_FILTERS, MODIFIED];

function item(n: number, month: number): StoreItem {
  const id = `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const modified = `2021-${String(month).padStart(2, '0')}-01T00:00:00.000Z`;
  const json = JSON.stringify({ type: 'indicator', spec_version: '2.1', id, created: '2020-01-01T00:00:00.000Z', modified });
  return { id, type: 'indicator', specVersion: '2.1', json, version: modified, versionMicros: Date.parse(modified) * 1000, tlpRank: 0 };
}

describe('the record filter table', () => {
  let redis: Redis;
  let store: RedisStore;
  const keys = isolatedKeys();

  beforeAll(async () => {
    redis = connectTestRedis();
    store = new RedisStore(redis, keys);
    await store.storeBatch(C, [item(1, 3), item(2, 4), item(3, 3), item(4, 5)]);
  });

  afterAll(async () => {
    await redis.quit();
  });

  const parse = (search: string, endpoint: 'list' | 'object') =>
    parseFilters(search, {
      allowed: ['added_after', 'limit', 'next', ...recordFilterParams(endpoint, TABLE)],
      scope: `objects|${C}`,
      defaultVersions: LATEST_VERSION,
      defaultLimit: 100,
      maxLimit: 1000,
      recordFilters: TABLE,
    });

  it('when a filter is added to the table, then it goes from the query string to the engine and selects the records', async () => {
    const f = parse('match[modified]=2021-03-01T00:00:00.000Z,2021-05-01T00:00:00.000Z&match[spec_version]=2.1', 'list');
    expect(f.match).toEqual({ spec_version: ['2.1'], modified: ['2021-03-01T00:00:00.000Z', '2021-05-01T00:00:00.000Z'] });
    expect(recordFilterArg(f.match, TABLE)).toBe('4:,2.1,|2:,2021-03-01T00:00:00.000Z,2021-05-01T00:00:00.000Z,');
    const raw = await redis.gwReadRecords(...readArgs(keys.collection(C), { ...f, maxTlpRank: 4 }, 'full', TABLE));
    const ids = raw
      .slice(2)
      .filter((_, i) => i % 2 === 1)
      .map((v) => String(v).split('\t')[0]);
    expect(ids).toEqual([item(1, 3).id, item(3, 3).id, item(4, 5).id]);
    // the gateway's own table does not know it: the same query string filters nothing more than spec_version
    expect(recordFilterArg(f.match)).toBe('4:,2.1,');
  });

  it('when the filter is given a bad value, then the parser answers 400 naming it; an endpoint without it ignores it', () => {
    expect(() => parse('match[modified]=yesterday', 'list')).toThrow(TaxiiError);
    expect(() => parse('match[modified]=yesterday', 'list')).toThrow(/match\[modified\]/);
    expect(parse('match[modified]=yesterday', 'object').match).toEqual({});
  });

  it('when a filter value holds a separator of the engine argument, then it is refused rather than matched loosely', () => {
    expect(() => recordFilterArg({ modified: ['a|2:,b'] }, TABLE)).toThrow(/separator/);
  });
});
