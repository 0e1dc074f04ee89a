import type Redis from 'ioredis';
import {
  decodeIndexes,
  DUPLICATE_MESSAGE,
  encodeIndexes,
  pendingsText,
  StatusStore,
  type StatusMeta,
  type StatusResult,
} from '../../../src/store/status-store';
import type { KeyBuilder } from '../../../src/store/keys';
import { connectTestRedis, isolatedKeys } from '../../helpers/redis';

const ID = '0d7c5c1e-95f0-4d29-8a7b-2e9f4b0c8a11';

function meta(total: number): StatusMeta {
  return {
    id: ID,
    owner: 'us-cert',
    apiRoot: 'api1',
    collectionId: 'c',
    requestTimestamp: '2026-01-02T03:04:05.123456Z',
    totalCount: total,
  };
}

const posted = [
  { id: 'indicator--00000000-0000-4000-8000-000000000000', version: '2026-01-01T00:00:00.000Z' },
  { id: 'indicator--00000000-0000-4000-8000-000000000001', version: '2026-01-01T00:00:00.000Z' },
  { id: '(object #2: no valid id)' },
  { id: 'malware--00000000-0000-4000-8000-000000000003', version: '2026-01-01T00:00:00.000Z' },
];

describe('status index runs', () => {
  it('encodes sorted indexes as runs and decodes them back', () => {
    expect(encodeIndexes([0, 1, 2, 3, 7, 9, 10])).toBe('0-3,7,9-10');
    expect(encodeIndexes([])).toBe('');
    const out = new Set<number>();
    decodeIndexes('0-3,7,9-10', out);
    expect([...out]).toEqual([0, 1, 2, 3, 7, 9, 10]);
  });

  it('ignores garbage and absurd runs instead of looping on them', () => {
    const out = new Set<number>();
    decodeIndexes('x,1-y,0-99999999999,5', out);
    expect([...out]).toEqual([5]);
  });
});

describe('StatusStore', () => {
  let redis: Redis;
  let keys: KeyBuilder;
  let statuses: StatusStore;
  beforeAll(() => {
    redis = connectTestRedis();
  });
  beforeEach(() => {
    keys = isolatedKeys();
    statuses = new StatusStore(redis, keys, 60);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('lists every posted object as pending with the envelope kept for the worker', async () => {
    await statuses.create(meta(4), pendingsText(posted), '{"objects":[]}');
    const got = await statuses.get(ID);
    expect(got?.resource).toEqual({
      id: ID,
      status: 'pending',
      request_timestamp: '2026-01-02T03:04:05.123456Z',
      total_count: 4,
      success_count: 0,
      successes: [],
      failure_count: 0,
      failures: [],
      pending_count: 4,
      pendings: posted,
    });
    expect(await statuses.body(ID)).toBe('{"objects":[]}');
  });

  it('keeps the envelope compressed in Redis and still reads one stored plain by an earlier version', async () => {
    const envelope = JSON.stringify({
      objects: Array.from({ length: 200 }, (_, i) => ({ type: 'indicator', id: `indicator--${i}`, name: 'Вредоносный домен' })),
    });
    await statuses.create(meta(200), pendingsText([]), Buffer.from(envelope));
    const stored = await redis.getBuffer(keys.statusBody(ID));
    expect(stored?.length).toBeLessThan(Buffer.byteLength(envelope) / 4);
    expect(await statuses.body(ID)).toBe(envelope);
    await redis.set(keys.statusBody(ID), envelope);
    expect(await statuses.body(ID)).toBe(envelope);
  });

  it('serves results of several batches in posted order, counts first, pendings without the settled', async () => {
    await statuses.create(meta(4), pendingsText(posted), '{}');
    const second: StatusResult[] = [
      { index: 3, outcome: 'success', detail: { id: posted[3]?.id ?? '', version: '2026-01-01T00:00:00.000Z', message: 'stored' } },
    ];
    const first: StatusResult[] = [
      { index: 1, outcome: 'success', detail: { id: posted[1]?.id ?? '', message: 'stored "quoted"\nline' } },
      { index: 0, outcome: 'failure', detail: { id: posted[0]?.id ?? '', version: '2026-01-01T00:00:00.000Z', message: 'bad' } },
    ];
    await statuses.record(ID, second);
    await statuses.record(ID, first);
    const found = await statuses.getJson(ID);
    expect(found?.json.toString().startsWith(`{"id":"${ID}","status":"pending","request_timestamp"`)).toBe(true);
    const r = (await statuses.get(ID))?.resource;
    expect(r?.successes.map((s) => s.id)).toEqual([posted[1]?.id, posted[3]?.id]);
    expect(r?.successes[0]?.message).toBe('stored "quoted"\nline');
    expect(r?.failures).toEqual([{ id: posted[0]?.id, version: '2026-01-01T00:00:00.000Z', message: 'bad' }]);
    expect(r?.pendings).toEqual([posted[2]]);
    expect([r?.success_count, r?.failure_count, r?.pending_count]).toEqual([2, 1, 1]);
    expect([...(await statuses.settledIndexes(ID))].sort()).toEqual([0, 1, 3]);
  });

  it('keeps pending runs between settled ones, in posted order, with non-ASCII ids and messages intact', async () => {
    const many = Array.from({ length: 25 }, (_, i) => ({
      id: `indicator--${String(i).padStart(12, '0')}-ж`,
      version: '2026-01-01T00:00:00.000Z',
    }));
    await statuses.create(meta(25), pendingsText(many), '{"objects":[]}');
    // settles 0-4, 10, 12-13 and 24: pending runs 5-9, 11, 14-23
    const settledIdx = [0, 1, 2, 3, 4, 10, 12, 13, 24];
    await statuses.record(
      ID,
      settledIdx.slice(0, 5).map((index) => ({ index, outcome: 'success', detail: { id: many[index]?.id ?? '', message: 'хранится' } })),
    );
    await statuses.record(
      ID,
      settledIdx.slice(5).map((index) => ({ index, outcome: 'failure', detail: { id: many[index]?.id ?? '', message: 'отказ' } })),
    );
    const r = (await statuses.get(ID))?.resource;
    const pendingIdx = many.map((_, i) => i).filter((i) => !settledIdx.includes(i));
    expect(r?.pendings).toEqual(pendingIdx.map((i) => many[i]));
    expect([r?.success_count, r?.failure_count, r?.pending_count]).toEqual([5, 4, 16]);
    expect(r?.successes.map((d) => d.message)).toEqual(Array(5).fill('хранится'));
    expect(r?.failures.map((d) => d.id)).toEqual([10, 12, 13, 24].map((i) => many[i]?.id));
  });

  it('is complete once every object is settled, and completing drops the envelope', async () => {
    await statuses.create(meta(1), pendingsText(posted.slice(0, 1)), '{"objects":[{}]}');
    await statuses.record(ID, [{ index: 0, outcome: 'success', detail: { id: 'x' } }]);
    expect((await statuses.get(ID))?.resource.status).toBe('complete');
    expect(await statuses.isComplete(ID)).toBe(false);
    await statuses.complete(ID, '2026-01-02T03:04:06.000000Z');
    expect(await statuses.isComplete(ID)).toBe(true);
    expect(await statuses.body(ID)).toBeUndefined();
    expect(await redis.ttl(keys.status(ID))).toBeLessThanOrEqual(60);
  });

  it('settles what is left as failures when the envelope is gone', async () => {
    await statuses.create(meta(4), pendingsText(posted));
    await statuses.record(ID, [{ index: 1, outcome: 'success', detail: { id: 'x' } }]);
    await statuses.failPending(ID, 'JOB_EXPIRED: gone');
    const r = (await statuses.get(ID))?.resource;
    expect(r?.pending_count).toBe(0);
    expect(r?.failures).toEqual([
      { id: posted[0]?.id, version: posted[0]?.version, message: 'JOB_EXPIRED: gone' },
      { id: '(object #2: no valid id)', message: 'JOB_EXPIRED: gone' },
      { id: posted[3]?.id, version: posted[3]?.version, message: 'JOB_EXPIRED: gone' },
    ]);
  });

  it('an empty POST has no pendings and no envelope', async () => {
    await statuses.create(meta(0), pendingsText([]));
    const r = (await statuses.get(ID))?.resource;
    expect([r?.status, r?.pending_count, r?.pendings]).toEqual(['complete', 0, []]);
    expect(await statuses.body(ID)).toBeUndefined();
  });

  describe('compact successes', () => {
    // 6 posted objects; a batch settling 0-4 mixes plain `stored` successes of the posted id and version (0, 3), an
    // exact duplicate's (1), a success with another message (2), and a failure (4); object 5 stays pending.
    const six = Array.from({ length: 6 }, (_, i) => ({
      id: `indicator--00000000-0000-4000-8000-00000000000${i}`,
      version: '2026-01-01T00:00:00.000Z',
    }));
    const results = (asPosted: boolean): StatusResult[] => [
      { index: 3, outcome: 'success', detail: { ...six[3]!, message: 'stored' }, asPosted },
      { index: 0, outcome: 'success', detail: { ...six[0]!, message: 'stored' }, asPosted },
      { index: 1, outcome: 'success', detail: { ...six[1]!, message: DUPLICATE_MESSAGE }, asPosted },
      { index: 2, outcome: 'success', detail: { ...six[2]!, message: 'exact duplicate "of"\tone\nstored' } },
      { index: 4, outcome: 'failure', detail: { ...six[4]!, message: 'bad' } },
    ];

    it('when plain stored successes are kept as index runs, then the status is served byte for byte as with full details', async () => {
      await statuses.create(meta(6), pendingsText(six), '{}');
      await statuses.record(ID, results(false));
      const full = (await statuses.getJson(ID))?.json.toString('utf8');
      const fullBytes = (await redis.hgetall(keys.status(ID)))['r:0']?.length ?? 0;
      keys = isolatedKeys();
      statuses = new StatusStore(redis, keys, 60);
      await statuses.create(meta(6), pendingsText(six), '{}');
      await statuses.record(ID, results(true));
      const stored = (await redis.hgetall(keys.status(ID)))['r:0'] ?? '';
      expect((await statuses.getJson(ID))?.json.toString('utf8')).toBe(full);
      expect(stored).not.toContain(six[0]!.id);
      expect(stored).not.toContain(six[1]!.id);
      expect(stored.length).toBeLessThan(fullBytes / 2);
      const r = (await statuses.get(ID))?.resource;
      expect(r?.successes).toEqual([
        { ...six[0], message: 'stored' },
        { ...six[1], message: DUPLICATE_MESSAGE },
        { ...six[2], message: 'exact duplicate "of"\tone\nstored' },
        { ...six[3], message: 'stored' },
      ]);
      expect([r?.success_count, r?.failure_count, r?.pending_count]).toEqual([4, 1, 1]);
      expect([...(await statuses.settledIndexes(ID))].sort()).toEqual([0, 1, 2, 3, 4]);
    });

    it('when a success says more than stored, then it keeps its full detail even when marked as posted', async () => {
      await statuses.create(meta(6), pendingsText(six), '{}');
      await statuses.record(ID, [
        { index: 0, outcome: 'success', detail: { ...six[0]!, message: 'stored; normalized: X' }, asPosted: true },
      ]);
      expect((await statuses.get(ID))?.resource.successes).toEqual([{ ...six[0], message: 'stored; normalized: X' }]);
    });

    it('when a batch was recorded in the full layout of earlier versions, then it is still served and resumed', async () => {
      await statuses.create(meta(6), pendingsText(six), '{}');
      const detail = (i: number, message: string): string => JSON.stringify({ ...six[i], message });
      // `<indexes>\n<success count>\n<failure count>\n<successes>\n<failures>`, as earlier versions wrote it
      await redis.hset(keys.status(ID), 'r:0', `0-1\n1\n1\n${detail(0, 'stored')}\n${detail(1, 'bad')}`);
      await statuses.record(ID, [{ index: 2, outcome: 'success', detail: { ...six[2]!, message: 'stored' }, asPosted: true }]);
      const r = (await statuses.get(ID))?.resource;
      expect(r?.successes).toEqual([
        { ...six[0], message: 'stored' },
        { ...six[2], message: 'stored' },
      ]);
      expect(r?.failures).toEqual([{ ...six[1], message: 'bad' }]);
      expect(r?.pendings).toEqual(six.slice(3));
      expect([...(await statuses.settledIndexes(ID))].sort()).toEqual([0, 1, 2]);
    });
  });

  it('an unknown status is undefined', async () => {
    expect(await statuses.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });
});
