/**
 * The exchange counters' overlap (src/exchange/exchange-recorder.ts): values an ingest job stores that another
 * collection's indicators already compare, counted once per value and pair of collections, at the higher rank of
 * the two sides (the other side's latest versions).
 */
import type Redis from 'ioredis';
import { loadConfigText } from '../../../src/config/load-config';
import type { GatewayConfig } from '../../../src/config/types';
import { dayOf, Field } from '../../../src/exchange/exchange-day';
import { ExchangeRecorder } from '../../../src/exchange/exchange-recorder';
import { createPrepareDeps, prepareObjects, type PreparedObject } from '../../../src/stix/prepare';
import { valueDigests } from '../../../src/store/indicator-entries';
import type { KeyBuilder } from '../../../src/store/keys';
import { RedisStore } from '../../../src/store/redis-store';
import { connectTestRedis, isolatedKeys } from '../../helpers/redis';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const PRODUCER = 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc';
const NOW = Date.parse('2026-03-02T12:00:00Z');

const collection = (id: string): string => `
  - id: ${id}
    api_root: r
    title: ${id}
    readers: [p]
    writers: [p]
    default_tlp: green`;

const CONFIG = `server:
  title: overlaps
api_roots:
  - name: r
    title: r
    max_content_length: 1048576
collections:${collection(A)}${collection(B)}${collection(C)}
principals:
  - name: p
    identity: ${PRODUCER}
    credentials:
      - basic: { hash_env: UNUSED_HASH }
`;

function indicator(tail: string, value: string): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--bbbbbbbb-0000-4000-8000-${tail.padStart(12, '0')}`,
    created: '2026-03-01T10:00:00.000Z',
    modified: '2026-03-01T10:00:00.000Z',
    pattern: `[ipv4-addr:value = '${value}']`,
    pattern_type: 'stix',
    valid_from: '2026-03-01T10:00:00Z',
    created_by_ref: PRODUCER,
  };
}

function prepared(o: Record<string, unknown>): PreparedObject {
  const [out] = prepareObjects([o], { defaultTlp: 'green' }, createPrepareDeps());
  if (!out?.ok) throw new Error(`fixture does not prepare: ${JSON.stringify(out)}`);
  return out.object;
}

describe('exchange counters: overlaps between collections', () => {
  let redis: Redis;
  let keys: KeyBuilder;
  let config: GatewayConfig;
  let store: RedisStore;

  beforeAll(() => {
    redis = connectTestRedis();
    keys = isolatedKeys();
    const loaded = loadConfigText(CONFIG, 'overlaps.yaml');
    if (!loaded.config) throw new Error(JSON.stringify(loaded.issues));
    config = loaded.config;
    store = new RedisStore(redis, keys);
  });
  afterAll(() => {
    redis.disconnect();
  });

  /** Stores `o` in `coll` at `rank` and reports it to the recorder as the worker does. */
  async function ingest(recorder: ExchangeRecorder, coll: string, o: Record<string, unknown>, rank: number): Promise<void> {
    const p = prepared(o);
    const digests = valueDigests(p.stixPattern ?? '');
    const [out] = await store.storeBatch(
      coll,
      [{ id: p.id, type: p.type, specVersion: '2.1', json: p.json, tlpRank: rank, owned: true, refs: [], valueDigests: digests }],
      { identity: PRODUCER, clearance: 4, admin: false },
    );
    recorder.stored(coll, p, out, digests);
    await recorder.jobDone(coll, undefined);
  }

  it('when a job stores values another collection holds, then each is counted once for the pair, at the higher rank of the two sides', async () => {
    const recorder = new ExchangeRecorder(redis, keys, config, { store, now: () => NOW });
    // B holds 192.0.2.1 twice (ranks 1 and 3) and 192.0.2.2 once (rank 0); C holds nothing (not asked)
    await ingest(recorder, B, indicator('1', '192.0.2.1'), 1);
    await ingest(recorder, B, indicator('2', '192.0.2.1'), 3);
    await ingest(recorder, B, indicator('3', '192.0.2.2'), 0);
    // A stores both values at rank 1, and one B does not hold
    await ingest(recorder, A, indicator('11', '192.0.2.1'), 1);
    await ingest(recorder, A, indicator('12', '192.0.2.2'), 1);
    await ingest(recorder, A, indicator('13', '192.0.2.3'), 1);
    // a second indicator of A with a value already counted for the pair (A, B) is not counted again
    await ingest(recorder, A, indicator('14', '192.0.2.1'), 2);
    const details = await redis.hgetall(keys.exchange(A).detail(dayOf(NOW)));
    const overlaps = Object.fromEntries(Object.entries(details).filter(([f]) => f.startsWith('ov|')));
    expect(overlaps).toEqual({ [Field.overlap(B, 3)]: '1', [Field.overlap(B, 1)]: '1' });
    await recorder.close();
  });
});
