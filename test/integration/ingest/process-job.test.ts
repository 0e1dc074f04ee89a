import type Redis from 'ioredis';
import { loadConfigText } from '../../../src/config/load-config';
import type { GatewayConfig } from '../../../src/config/types';
import { pendingDetail } from '../../../src/ingest/accept';
import { BATCH_SIZE, FIRST_BATCH_SIZE, processIngestJob, type ProcessDeps } from '../../../src/ingest/process-job';
import { createPrepareDeps, prepareObjects } from '../../../src/stix/prepare';
import type { KeyBuilder } from '../../../src/store/keys';
import { RedisStore } from '../../../src/store/redis-store';
import { pendingsText, StatusStore } from '../../../src/store/status-store';
import { connectTestRedis, isolatedKeys } from '../../helpers/redis';

const COLLECTION = '6f1c2b9e-0c1a-4e55-9d5e-3a8f0b2c4d10';
const PRODUCER = 'identity--b3f7e1a0-5c2d-4e8f-9a1b-2c3d4e5f6a7b';
const CONFIG = `server:
  title: t
api_roots:
  - name: api1
    title: a
    max_content_length: 10485760
collections:
  - id: ${COLLECTION}
    api_root: api1
    title: c
    readers: [p]
    writers: [p]
principals:
  - name: p
    identity: ${PRODUCER}
    credentials:
      - basic: { hash_env: UNUSED_TEST_HASH }
`;

function indicator(n: number): Record<string, unknown> {
  const hex = n.toString(16).padStart(12, '0');
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${hex}`,
    created_by_ref: PRODUCER,
    created: '2026-03-01T00:00:00.000Z',
    modified: '2026-03-01T00:00:00.000Z',
    pattern: `[ipv4-addr:value = '10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}']`,
    pattern_type: 'stix',
    valid_from: '2026-03-01T00:00:00Z',
  };
}

function statusId(n: number): string {
  return `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
}

describe('processIngestJob', () => {
  let redis: Redis;
  let keys: KeyBuilder;
  let config: GatewayConfig;
  let deps: ProcessDeps;
  let statuses: StatusStore;
  let store: RedisStore;
  beforeAll(() => {
    redis = connectTestRedis();
    const loaded = loadConfigText(CONFIG, 'test.yaml');
    if (!loaded.config) throw new Error(JSON.stringify(loaded.issues));
    config = loaded.config;
    createPrepareDeps();
  });
  beforeEach(() => {
    keys = isolatedKeys();
    statuses = new StatusStore(redis, keys, 60);
    store = new RedisStore(redis, keys);
    deps = { config, store, statuses, prepare: prepareObjects };
  });
  afterAll(async () => {
    await redis.quit();
  });

  async function post(id: string, objects: readonly unknown[]): Promise<void> {
    const pendings = objects.map((o, i) => ({ id: typeof o === 'object' && o !== null && 'id' in o ? String(o.id) : `(object #${i})` }));
    await statuses.create(
      {
        id,
        owner: 'p',
        apiRoot: 'api1',
        collectionId: COLLECTION,
        requestTimestamp: '2026-03-01T00:00:00.000000Z',
        totalCount: objects.length,
      },
      pendingsText(pendings),
      JSON.stringify({ objects }),
    );
  }

  const job = (id: string) => ({ statusId: id, collectionId: COLLECTION, apiRoot: 'api1', principal: 'p', identity: PRODUCER });

  it('when an envelope spans several batches, then every object gets one result in posted order and the envelope is dropped', async () => {
    const n = BATCH_SIZE * 2 + 500;
    const objects: unknown[] = Array.from({ length: n }, (_, i) => indicator(i));
    objects[BATCH_SIZE + 1] = indicator(3); // exact duplicate across a batch boundary
    objects[BATCH_SIZE * 2 + 7] = { type: 'indicator', id: 'indicator--bad' };
    await post(statusId(1), objects);
    const summary = await processIngestJob(job(statusId(1)), deps);
    expect(summary).toEqual({ stored: n - 2, duplicates: 1, merged: 0, failed: 1, skipped: 0 });
    const r = (await statuses.get(statusId(1)))?.resource;
    expect([r?.status, r?.success_count, r?.failure_count, r?.pending_count]).toEqual(['complete', n - 1, 1, 0]);
    expect(r?.successes.map((s) => s.id)).toEqual(
      objects.map((o) => String((o as { id: string }).id)).filter((id) => id !== 'indicator--bad'),
    );
    expect(r?.failures[0]?.id).toBe('indicator--bad');
    expect(await statuses.body(statusId(1))).toBeUndefined();
  });

  it('when objects are stored as posted, then the status keeps their successes as index runs and serves them in full', async () => {
    const objects: unknown[] = [indicator(1), indicator(2), indicator(1), indicator(3)];
    // the pending lines the API writes (src/ingest/accept.ts), each with the posted version
    await statuses.create(
      {
        id: statusId(30),
        owner: 'p',
        apiRoot: 'api1',
        collectionId: COLLECTION,
        requestTimestamp: '2026-03-01T00:00:00.000000Z',
        totalCount: 4,
      },
      pendingsText(objects.map(pendingDetail)),
      JSON.stringify({ objects }),
    );
    await processIngestJob(job(statusId(30)), deps);
    const version = '2026-03-01T00:00:00.000Z';
    const id = (n: number): string => String(indicator(n)['id']);
    expect((await statuses.get(statusId(30)))?.resource.successes).toEqual([
      { id: id(1), version, message: 'stored' },
      { id: id(2), version, message: 'stored' },
      { id: id(1), version, message: 'exact duplicate of a stored version; nothing stored' },
      { id: id(3), version, message: 'stored' },
    ]);
    const recorded = Object.entries(await redis.hgetall(keys.status(statusId(30)))).filter(([f]) => f.startsWith('r:'));
    // plain `stored` and exact-duplicate successes are index runs: no detail is written out
    expect(recorded.map(([, v]) => v).join('\n')).not.toContain('indicator--');
  });

  it('when the pending lines differ from the stored detail, then the success keeps its full detail', async () => {
    // the pending line has no version (as `post` writes it); the stored detail has one, so it is not compacted
    await post(statusId(31), [indicator(5)]);
    await processIngestJob(job(statusId(31)), deps);
    expect((await statuses.get(statusId(31)))?.resource.successes).toEqual([
      { id: String(indicator(5)['id']), version: '2026-03-01T00:00:00.000Z', message: 'stored' },
    ]);
  });

  it("when the other objects of a batch name no indicator, then their store call goes right behind the indicators' (before the folds are read), and otherwise after them", async () => {
    // a held indicator, so that the next posts fold a duplicate of its pattern (the fold reads it: latestOf)
    await post(statusId(11), [indicator(1)]);
    await processIngestJob(job(statusId(11)), deps);
    const calls: string[] = [];
    const traced = Object.create(store) as RedisStore;
    traced.storeBatch = async (c, items, w) => {
      calls.push(`store ${items.map((i) => i.type.split('-')[0]).join(',')}`);
      return store.storeBatch(c, items, w);
    };
    traced.latestOf = async (c, ids) => {
      calls.push('fold read');
      return store.latestOf(c, ids);
    };
    const duplicate = { ...indicator(1), id: 'indicator--00000000-0000-4000-8000-0000000000ff' };
    const domain = {
      type: 'domain-name',
      spec_version: '2.1',
      id: 'domain-name--00000000-0000-4000-8000-000000000001',
      value: 'a.example',
    };
    await post(statusId(12), [duplicate, indicator(2), domain]);
    const s1 = await processIngestJob(job(statusId(12)), { ...deps, store: traced });
    expect(s1).toEqual({ stored: 2, duplicates: 0, merged: 1, failed: 0, skipped: 0 });
    expect(calls).toEqual(['store indicator,indicator', 'store domain', 'fold read']);

    // a sighting of the folded duplicate: its reference is rewritten to the holder, so it is stored after the fold
    calls.length = 0;
    const duplicate2 = { ...indicator(1), id: 'indicator--00000000-0000-4000-8000-0000000000fe' };
    const sighting = {
      type: 'sighting',
      spec_version: '2.1',
      id: 'sighting--00000000-0000-4000-8000-000000000001',
      created_by_ref: PRODUCER,
      created: '2026-03-01T00:00:00.000Z',
      modified: '2026-03-01T00:00:00.000Z',
      sighting_of_ref: duplicate2.id,
    };
    await post(statusId(13), [duplicate2, sighting]);
    const s2 = await processIngestJob(job(statusId(13)), { ...deps, store: traced });
    expect(s2).toEqual({ stored: 1, duplicates: 0, merged: 1, failed: 0, skipped: 0 });
    expect(calls).toEqual(['store indicator', 'fold read', 'store sighting']);
    const stored = await store.latest(COLLECTION, sighting.id);
    expect(JSON.parse(stored?.json ?? '{}')).toMatchObject({ sighting_of_ref: indicator(1)['id'] });
  });

  it("when a job has several batches, then each batch's store call is issued before the next batch is prepared", async () => {
    const n = FIRST_BATCH_SIZE + 10;
    await post(
      statusId(14),
      Array.from({ length: n }, (_, i) => indicator(1000 + i)),
    );
    const calls: string[] = [];
    const traced = Object.create(store) as RedisStore;
    traced.storeBatch = async (c, items, w) => {
      if (items.length > 0) calls.push(`store ${items.length}`);
      return store.storeBatch(c, items, w);
    };
    const summary = await processIngestJob(job(statusId(14)), {
      ...deps,
      store: traced,
      prepare: (objects, options) => {
        calls.push(`prepare ${objects.length}`);
        return prepareObjects(objects, options);
      },
    });
    expect(summary.stored).toBe(n);
    // prepare k+1 runs while Redis stores batch k: the call must have left before it
    expect(calls).toEqual([`prepare ${FIRST_BATCH_SIZE}`, `store ${FIRST_BATCH_SIZE}`, 'prepare 10', 'store 10']);
  });

  it('when storing fails in the middle of a job, then the retry stores only what was left and nothing twice', async () => {
    const n = BATCH_SIZE * 3;
    await post(
      statusId(2),
      Array.from({ length: n }, (_, i) => indicator(i)),
    );
    let calls = 0;
    const failing = Object.create(store) as RedisStore;
    failing.storeBatch = async (c, items) => {
      if (items.length > 0) calls++;
      if (calls === 2) throw new Error('connection lost');
      return store.storeBatch(c, items);
    };
    await expect(processIngestJob(job(statusId(2)), { ...deps, store: failing })).rejects.toThrow('connection lost');
    const partial = (await statuses.get(statusId(2)))?.resource;
    // the first batch (FIRST_BATCH_SIZE objects) settled before the second store call failed
    expect([partial?.status, partial?.success_count, partial?.pending_count]).toEqual(['pending', FIRST_BATCH_SIZE, n - FIRST_BATCH_SIZE]);

    const retry = await processIngestJob(job(statusId(2)), deps);
    expect(retry).toEqual({ stored: n - FIRST_BATCH_SIZE, duplicates: 0, merged: 0, failed: 0, skipped: FIRST_BATCH_SIZE });
    const done = (await statuses.get(statusId(2)))?.resource;
    expect([done?.status, done?.success_count, done?.pending_count]).toEqual(['complete', n, 0]);
    expect(await redis.hlen(keys.collection(COLLECTION).data)).toBe(n);
  });

  it('when the job is delivered again after it completed, then nothing changes', async () => {
    await post(statusId(3), [indicator(1)]);
    await processIngestJob(job(statusId(3)), deps);
    const before = (await statuses.getJson(statusId(3)))?.json;
    expect(await processIngestJob(job(statusId(3)), deps)).toEqual({ stored: 0, duplicates: 0, merged: 0, failed: 0, skipped: 0 });
    expect((await statuses.getJson(statusId(3)))?.json).toEqual(before);
  });

  it('when the stored envelope is damaged, then its objects fail at once with the reason (no retries) and the status completes', async () => {
    await post(statusId(5), [indicator(1), indicator(2)]);
    const packed = await redis.getBuffer(keys.statusBody(statusId(5)));
    expect(packed?.subarray(0, 4)).toEqual(Buffer.from([0, 0x62, 0x72, 0]));
    // the marker kept, the compressed bytes cut short
    await redis.set(keys.statusBody(statusId(5)), Buffer.concat([packed?.subarray(0, 10) ?? Buffer.alloc(0), Buffer.from('garbage')]));
    await processIngestJob(job(statusId(5)), deps);
    const r = (await statuses.get(statusId(5)))?.resource;
    expect([r?.status, r?.failure_count, r?.pending_count]).toEqual(['complete', 2, 0]);
    expect(r?.failures[0]?.message).toMatch(/^ENVELOPE_UNREADABLE/);
  });

  it('when the collection is no longer configured when the job runs, then its objects fail with the reason', async () => {
    await post(statusId(6), [indicator(1)]);
    await processIngestJob({ ...job(statusId(6)), collectionId: '00000000-0000-4000-8000-00000000dead' }, deps);
    const r = (await statuses.get(statusId(6)))?.resource;
    expect([r?.status, r?.failure_count, r?.pending_count]).toEqual(['complete', 1, 0]);
    expect(r?.failures[0]?.message).toMatch(/^COLLECTION_GONE/);
  });

  it('when the envelope expired before a worker took the job, then its objects fail with a reason and the status completes', async () => {
    await post(statusId(4), [indicator(1), indicator(2)]);
    await redis.del(keys.statusBody(statusId(4)));
    await processIngestJob(job(statusId(4)), deps);
    const r = (await statuses.get(statusId(4)))?.resource;
    expect([r?.status, r?.failure_count, r?.pending_count]).toEqual(['complete', 2, 0]);
    expect(r?.failures[0]?.message).toMatch(/^JOB_EXPIRED/);
  });
});
