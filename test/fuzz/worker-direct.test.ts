/**
 * The worker without HTTP: the fuzz generators of test/fuzz/generators.ts hand envelopes straight to the ingest
 * job (prepare → write rules → store → status), so an exception in prepare or the store fails the property
 * instead of vanishing into a BullMQ retry. Every object must settle as a success (stored, readable) or a failure
 * whose message starts with a code; nothing stays pending.
 *
 * CI runs FUZZ_WORKER_RUNS (default 400) envelopes; a long run: `FUZZ_WORKER_RUNS=1000000 npx jest
 * test/fuzz/worker-direct.test.ts`; docs/security.md records the long run and its command. Mutations that made this test fail once:
 * `throw` in prepare for objects with a `lang` property (src/stix/prepare.ts): the property fails with the
 * error and its counterexample; a failure message without its code (describeIssues returning only the
 * message): FAILURE_MESSAGE fails.
 */
import fc from 'fast-check';
import type Redis from 'ioredis';
import { loadConfigText } from '../../src/config/load-config';
import type { GatewayConfig } from '../../src/config/types';
import { processIngestJob, type ProcessDeps } from '../../src/ingest/process-job';
import { pendingDetail } from '../../src/ingest/accept';
import { createPrepareDeps, prepareObjects } from '../../src/stix/prepare';
import { createKeyBuilder, type KeyBuilder } from '../../src/store/keys';
import { RedisStore } from '../../src/store/redis-store';
import { pendingsText, StatusStore } from '../../src/store/status-store';
import { connectTestRedis, isolatedKeys } from '../helpers/redis';
import { FAILURE_MESSAGE, hostileObject, hostileObjects } from './generators';

const RUNS = Math.max(1, Number(process.env['FUZZ_WORKER_RUNS'] ?? '400'));
/** Single objects through prepare alone (no Redis): the cheapest case, for runs of a million. */
const PREPARE_RUNS = Math.max(1, Number(process.env['FUZZ_PREPARE_RUNS'] ?? '2000'));
/** Objects per envelope at most (the long run uses larger envelopes: fewer round trips per object). */
const MAX_OBJECTS = Math.max(1, Number(process.env['FUZZ_WORKER_MAX_OBJECTS'] ?? '5'));
const MIN_OBJECTS = Math.max(1, Number(process.env['FUZZ_WORKER_MIN_OBJECTS'] ?? '1'));
/** Keys are dropped and a fresh key root used every this many envelopes, so a long run keeps Redis small. */
const ROTATE_EVERY = 2000;
const PLAIN = '6f1c2b9e-0c1a-4e55-9d5e-3a8f0b2c4d11';
const RULED = '6f1c2b9e-0c1a-4e55-9d5e-3a8f0b2c4d12';
const PRODUCER = 'identity--b3f7e1a0-5c2d-4e8f-9a1b-2c3d4e5f6a7c';
const CONFIG = `server:
  title: t
api_roots:
  - name: api1
    title: a
    max_content_length: 10485760
collections:
  - id: ${PLAIN}
    api_root: api1
    title: plain
    readers: [p]
    writers: [p]
  - id: ${RULED}
    api_root: api1
    title: with write rules
    readers: [p]
    writers: [p]
    default_tlp: green
    max_tlp_accepted: amber
    require_own_identity: true
principals:
  - name: p
    identity: ${PRODUCER}
    credentials:
      - basic: { hash_env: UNUSED_TEST_HASH }
`;

function base(n: number): Record<string, unknown> {
  const h = n.toString(16).padStart(12, '0');
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${h}`,
    created_by_ref: PRODUCER,
    created: '2026-03-01T00:00:00.000Z',
    modified: '2026-03-01T00:00:00.000Z',
    pattern: `[ipv4-addr:value = '10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}']`,
    pattern_type: 'stix',
    valid_from: '2026-03-01T00:00:00Z',
  };
}

async function dropKeys(redis: Redis, keys: KeyBuilder): Promise<void> {
  let cursor = '0';
  for (let rounds = 0; rounds < 100_000; rounds++) {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${keys.root}:*`, 'COUNT', 1000);
    if (found.length > 0) await redis.unlink(...found);
    cursor = next;
    if (cursor === '0') return;
  }
}

describe('fuzz: the ingest worker without HTTP', () => {
  let redis: Redis;
  let config: GatewayConfig;
  beforeAll(() => {
    redis = connectTestRedis();
    const loaded = loadConfigText(CONFIG, 'test.yaml');
    if (!loaded.config) throw new Error(JSON.stringify(loaded.issues));
    config = loaded.config;
    createPrepareDeps();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it(
    'when hostile envelopes go through prepare and the store, then every object settles as a stored success or a coded failure',
    async () => {
      let keys = isolatedKeys();
      let statuses = new StatusStore(redis, keys, 60);
      let store = new RedisStore(redis, keys);
      let deps: ProcessDeps = { config, store, statuses, prepare: prepareObjects };
      const tally = { cases: 0, objects: 0, successes: 0, failures: 0, stored: 0 };
      const codes = new Map<string, number>();
      const started = Date.now();

      await fc.assert(
        fc.asyncProperty(hostileObjects(base, MAX_OBJECTS, MIN_OBJECTS), fc.boolean(), async (objects, ruled) => {
          tally.cases++;
          if (tally.cases % ROTATE_EVERY === 0) {
            await dropKeys(redis, keys);
            if (RUNS > 10_000)
              process.stdout.write(
                `worker fuzz progress: ${JSON.stringify(tally)} after ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
              );
            keys = createKeyBuilder(`${isolatedKeys().root}`);
            statuses = new StatusStore(redis, keys, 60);
            store = new RedisStore(redis, keys);
            deps = { config, store, statuses, prepare: prepareObjects };
          }
          const collectionId = ruled ? RULED : PLAIN;
          const statusId = `00000000-0000-4000-9000-${tally.cases.toString(16).padStart(12, '0')}`;
          const body = JSON.stringify({ objects });
          await statuses.create(
            {
              id: statusId,
              owner: 'p',
              apiRoot: 'api1',
              collectionId,
              requestTimestamp: '2026-03-01T00:00:00.000000Z',
              totalCount: objects.length,
            },
            pendingsText(objects.map(pendingDetail)),
            body,
          );
          // A throw here (prepare, write rules, store, status) fails the property with its counterexample.
          await processIngestJob({ statusId, collectionId, apiRoot: 'api1', principal: 'p', identity: PRODUCER }, deps);

          const status = (await statuses.get(statusId))?.resource;
          expect(status?.status).toBe('complete');
          expect(status?.pending_count).toBe(0);
          expect((status?.success_count ?? 0) + (status?.failure_count ?? 0)).toBe(objects.length);
          tally.objects += objects.length;
          tally.successes += status?.success_count ?? 0;
          tally.failures += status?.failure_count ?? 0;
          for (const f of status?.failures ?? []) {
            expect(f.message).toMatch(FAILURE_MESSAGE);
            const code = /^[A-Z0-9_]+/.exec(f.message ?? '')?.[0] ?? '';
            codes.set(code, (codes.get(code) ?? 0) + 1);
          }
          for (const s of status?.successes ?? []) {
            if (!s.message?.startsWith('stored')) continue;
            // A stored object is served back: its latest version parses and carries its id.
            const latest = await store.latest(collectionId, s.id);
            expect(latest?.json).toBeDefined();
            const parsed: unknown = JSON.parse(latest?.json ?? 'null');
            expect(typeof parsed === 'object' && parsed !== null && (parsed as Record<string, unknown>)['id']).toBe(s.id);
            tally.stored++;
          }
        }),
        { numRuns: RUNS },
      );
      await dropKeys(redis, keys);

      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(
        `worker fuzz: ${JSON.stringify(tally)} in ${seconds.toFixed(1)} s; failure codes: ${JSON.stringify(Object.fromEntries(codes))}\n`,
      );
      // Not vacuous: every run was checked, and both outcomes occurred (the generators reach success and failure).
      expect(tally.cases).toBe(RUNS);
      if (RUNS >= 100) {
        expect(tally.stored).toBeGreaterThan(RUNS / 20);
        expect(tally.failures).toBeGreaterThan(RUNS / 20);
        expect(codes.size).toBeGreaterThan(5);
      }
    },
    Math.max(600_000, RUNS * 500),
  );

  // Mutation that made this test fail once: a `throw` in prepare for objects with a `lang` property.
  it(
    'when single hostile objects go through prepare alone, then each is prepared or refused with coded error issues, never a throw',
    () => {
      let cases = 0;
      let refused = 0;
      const started = Date.now();
      fc.assert(
        fc.property(hostileObject(base), fc.boolean(), (object, tlp) => {
          cases++;
          const outcomes = prepareObjects([object], tlp ? { defaultTlp: 'green' } : {});
          expect(outcomes.length).toBeGreaterThan(0);
          for (const o of outcomes) {
            const issues = o.ok ? o.object.changes : o.issues;
            for (const i of issues)
              expect(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(i.code) && typeof i.path === 'string' && i.message.length > 0).toBe(true);
            if (!o.ok) {
              refused++;
              expect(o.issues.some((i) => i.severity === 'error')).toBe(true);
            } else {
              expect(typeof o.object.id === 'string' && o.object.json.length > 0).toBe(true);
            }
          }
        }),
        { numRuns: PREPARE_RUNS },
      );
      process.stdout.write(`prepare fuzz: ${cases} cases (${refused} refused) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      expect(cases).toBe(PREPARE_RUNS);
      if (PREPARE_RUNS >= 100) expect(refused).toBeGreaterThan(PREPARE_RUNS / 20);
    },
    Math.max(600_000, PREPARE_RUNS * 20),
  );
});
