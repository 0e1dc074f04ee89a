/**
 * The trust invariants as properties (fast-check): random sequences of posts and deletes by two hostile writers
 * (us-cert, ru-cert) into one collection read by three readers of different clearances (us-cert: everything,
 * ru-cert: AMBER, observer: GREEN). Envelopes mix TLP 1.0 and 2.0 markings, unknown markings, granular
 * markings, tampered official definitions, references between objects of different ranks, re-posts, folds
 * (same pattern, other id) and new versions. After every step:
 *  1. every id in any response to reader R (bodies, headers; objects, manifest, object, versions) is an id R is
 *     cleared for: not an object whose every stored version is marked above R's clearance;
 *  2. the writer's status names only ids it posted, ids it may read, or ids of its own objects;
 *  3. no stored record of another producer changed (same records, same JSON bytes), and nothing else did
 *     either when the step was refused.
 *
 * Default: ADVERSARY_RUNS (default 4) sequences of up to 6 steps, well under a minute. Long run:
 *   ADVERSARY_RUNS=400 npx jest test/adversary/invariants.test.ts --testTimeout=3600000
 */
import fc from 'fast-check';
import type { HarnessGateway, TestResponse } from '../helpers/gateway';
import { recordTlpRank } from '../../src/policy/record-rank';
import { producerOfEntry } from '../../src/store/record-codec';
import { COL, ROOT, TLP, WHO, idsIn, objectsPath, post, shown, startAdversaryGateway } from './hostile-partner';

const RUNS = Number(process.env['ADVERSARY_RUNS'] ?? '4');
/** ADVERSARY_SEED replays the seed a failure printed. */
const SEED = process.env['ADVERSARY_SEED'] === undefined ? undefined : Number(process.env['ADVERSARY_SEED']);
const C = COL.mixed;

const READERS: readonly { name: string; clearance: number }[] = [
  { name: 'us-cert', clearance: 4 },
  { name: 'ru-cert', clearance: 2 },
  { name: 'observer', clearance: 1 },
];
const WRITERS = ['us-cert', 'ru-cert'] as const;
type Writer = (typeof WRITERS)[number];
const IDENTITY: Readonly<Record<Writer, string>> = { 'us-cert': WHO.us, 'ru-cert': WHO.ru };

const UNKNOWN = 'marking-definition--0badbad0-1111-4111-8111-111111111111';
const STATEMENT = 'marking-definition--5eed5eed-2222-4222-8222-222222222222';
const FAKE_TLP = 'marking-definition--fa4efa4e-3333-4333-8333-333333333333';
const MARKINGS = [
  TLP.clear,
  TLP.green,
  TLP.amber,
  TLP.amberStrict,
  TLP.red,
  TLP.white1,
  TLP.green1,
  TLP.amber1,
  TLP.red1,
  UNKNOWN,
  STATEMENT,
  FAKE_TLP,
];

const INDICATORS = [0, 1, 2, 3, 4].map((n) => `indicator--a0000000-0000-4000-8000-00000000000${n}`);
const RELATIONSHIPS = [0, 1].map((n) => `relationship--b0000000-0000-4000-8000-00000000000${n}`);
const REPORTS = ['report--c0000000-0000-4000-8000-000000000000'];
const POOL = [...INDICATORS, ...RELATIONSHIPS, ...REPORTS, STATEMENT, FAKE_TLP];
const TIMES = ['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'];
const PATTERNS = ["[ipv4-addr:value = '198.51.100.1']", "[ipv4-addr:value = '198.51.100.2']", "[domain-name:value = 'x.example']"];

const markingsArb = fc.record({
  object: fc.subarray(MARKINGS, { maxLength: 2 }),
  granular: fc.option(fc.constantFrom(...MARKINGS), { nil: undefined }),
});

const commonArb = fc.record({
  modified: fc.constantFrom(...TIMES),
  markings: markingsArb,
  by: fc.constantFrom<'us' | 'ru' | 'none'>('us', 'ru', 'none'),
});

function common(c: {
  modified: string;
  markings: { object: string[]; granular: string | undefined };
  by: 'us' | 'ru' | 'none';
}): Record<string, unknown> {
  return {
    spec_version: '2.1',
    created: '2024-01-01T00:00:00.000Z',
    modified: c.modified,
    ...(c.by === 'none' ? {} : { created_by_ref: c.by === 'us' ? WHO.us : WHO.ru }),
    ...(c.markings.object.length > 0 ? { object_marking_refs: c.markings.object } : {}),
    ...(c.markings.granular === undefined ? {} : { granular_markings: [{ marking_ref: c.markings.granular, selectors: ['name'] }] }),
  };
}

const objectArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc
    .record({ id: fc.constantFrom(...INDICATORS), pattern: fc.constantFrom(...PATTERNS), c: commonArb, label: fc.constantFrom('a', 'b') })
    .map((o) => ({
      type: 'indicator',
      id: o.id,
      name: `n-${o.label}`,
      labels: [o.label],
      pattern: o.pattern,
      pattern_type: 'stix',
      valid_from: '2024-01-01T00:00:00Z',
      ...common(o.c),
    })),
  fc
    .record({ id: fc.constantFrom(...RELATIONSHIPS), s: fc.constantFrom(...INDICATORS), t: fc.constantFrom(...INDICATORS), c: commonArb })
    .map((o) => ({
      type: 'relationship',
      id: o.id,
      name: 'r',
      relationship_type: 'related-to',
      source_ref: o.s,
      target_ref: o.t,
      ...common(o.c),
    })),
  fc
    .record({ id: fc.constantFrom(...REPORTS), refs: fc.subarray([...INDICATORS, ...RELATIONSHIPS], { minLength: 1 }), c: commonArb })
    .map((o) => ({
      type: 'report',
      id: o.id,
      name: 'weekly',
      published: '2024-01-01T00:00:00Z',
      object_refs: o.refs,
      ...common(o.c),
    })),
  fc.constantFrom<Record<string, unknown>>(
    {
      type: 'marking-definition',
      spec_version: '2.1',
      id: STATEMENT,
      created: '2024-01-01T00:00:00.000Z',
      definition_type: 'statement',
      definition: { statement: 'terms' },
    },
    {
      type: 'marking-definition',
      spec_version: '2.1',
      id: FAKE_TLP,
      created: '2024-01-01T00:00:00.000Z',
      definition_type: 'tlp',
      definition: { tlp: 'white' },
    },
    {
      type: 'marking-definition',
      spec_version: '2.1',
      id: TLP.clear,
      created: '2022-10-01T00:00:00.000Z',
      name: 'TLP:CLEAR',
      extensions: {
        'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: 'red' },
      },
    },
  ),
);

type Step = { kind: 'post'; writer: Writer; objects: Record<string, unknown>[] } | { kind: 'delete'; writer: Writer; id: string };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({ writer: fc.constantFrom(...WRITERS), objects: fc.array(objectArb, { minLength: 1, maxLength: 5 }) })
      .map((s): Step => ({ kind: 'post', ...s })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ writer: fc.constantFrom(...WRITERS), id: fc.constantFrom(...POOL) })
      .map((s): Step => ({ kind: 'delete', ...s })),
  },
);

let gw: HarnessGateway;

beforeAll(async () => {
  gw = await startAdversaryGateway();
}, 30_000);

afterAll(async () => {
  await gw.close();
});

async function resetCollection(): Promise<void> {
  const prefix = gw.keys.collection(C).prefix;
  const keys = await gw.redis.keys(`${prefix}*`);
  if (keys.length > 0) await gw.redis.del(...keys);
}

interface Snapshot {
  /** date_added → JSON part of the stored value */
  readonly records: Map<string, string>;
  /** id → producer */
  readonly owners: Map<string, string>;
}

function jsonPart(value: string): string {
  let p = -1;
  for (let i = 0; i < 5; i++) p = value.indexOf('\t', p + 1);
  return value.slice(p + 1);
}

async function snapshot(): Promise<Snapshot> {
  const k = gw.keys.collection(C);
  const data = await gw.redis.hgetall(k.data);
  // producers end the version lists (`objects`); a store of the previous format kept them in `owners`
  const owners = new Map(Object.entries(await gw.redis.hgetall(k.owners)));
  for (const [id, entry] of Object.entries(await gw.redis.hgetall(k.objects))) {
    const producer = producerOfEntry(entry);
    if (producer !== undefined) owners.set(id, producer);
  }
  return { records: new Map(Object.entries(data).map(([da, v]) => [da, jsonPart(v)])), owners };
}

/** Ids of stored objects whose every version is marked (own markings) above `clearance`. */
function hiddenFrom(s: Snapshot, clearance: number): Set<string> {
  const best = new Map<string, number>();
  for (const json of s.records.values()) {
    const o = JSON.parse(json) as Record<string, unknown>;
    const id = String(o['id']);
    const refs = Array.isArray(o['object_marking_refs']) ? o['object_marking_refs'].map(String) : [];
    const rank = recordTlpRank(String(o['type']), refs, json);
    best.set(id, Math.min(best.get(id) ?? 99, rank));
  }
  return new Set([...best].filter(([, r]) => r > clearance).map(([id]) => id));
}

async function allPages(path: string, user: string): Promise<string[]> {
  const out: string[] = [];
  let next: string | undefined;
  for (let i = 0; i < 20; i++) {
    const r = await gw.request(
      'GET',
      `${path}${path.includes('?') ? '&' : '?'}limit=50${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`,
      { user },
    );
    out.push(shown(r));
    if (r.status !== 200) return out;
    const body = r.json();
    if (body['more'] !== true) return out;
    next = String(body['next']);
  }
  return out;
}

/** Everything reader `user` can be shown about the collection (404 answers only echo the asker's own id). */
async function readerView(user: string): Promise<string> {
  const parts: string[] = [];
  parts.push(...(await allPages(`${objectsPath(C)}?match[version]=all`, user)));
  parts.push(...(await allPages(`${ROOT}/collections/${C}/manifest/?match[version]=all`, user)));
  for (const id of POOL) {
    for (const path of [`${objectsPath(C)}${id}/?match[version]=all`, `${objectsPath(C)}${id}/versions/`]) {
      const r: TestResponse = await gw.request('GET', path, { user });
      if (r.status !== 404) parts.push(shown(r));
    }
  }
  return parts.join('\n');
}

async function runStep(step: Step): Promise<string> {
  if (step.kind === 'post') return JSON.stringify(await post(gw, C, step.objects, step.writer));
  const r = await gw.request('DELETE', `${objectsPath(C)}${step.id}/`, { user: step.writer });
  return r.status === 404 ? '' : shown(r);
}

async function checkStep(step: Step): Promise<void> {
  const before = await snapshot();
  const answer = await runStep(step);
  const after = await snapshot();
  const writerId = IDENTITY[step.writer];
  // 3. records of other producers: none removed, none changed
  for (const [da, json] of before.records) {
    const id = String((JSON.parse(json) as Record<string, unknown>)['id']);
    const producer = before.owners.get(id);
    if (producer !== undefined && producer !== writerId) expect([id, after.records.get(da)]).toEqual([id, json]);
  }
  // 2. the writer's answer
  const writerClearance = READERS.find((r) => r.name === step.writer)?.clearance ?? -1;
  const posted = new Set(step.kind === 'post' ? step.objects.map((o) => String(o['id'])) : [step.id]);
  const hiddenForWriter = hiddenFrom(after, writerClearance);
  for (const id of idsIn(answer)) {
    if (posted.has(id) || after.owners.get(id) === writerId) continue;
    expect([step.writer, 'status names', id, hiddenForWriter.has(id)]).toEqual([step.writer, 'status names', id, false]);
  }
  // 1. every reader
  for (const r of READERS) {
    const hidden = hiddenFrom(after, r.clearance);
    const seen = idsIn(await readerView(r.name));
    for (const id of seen) expect([r.name, 'shown', id, hidden.has(id)]).toEqual([r.name, 'shown', id, false]);
  }
}

describe('trust invariants under random hostile sequences', () => {
  it("when two writers post and delete random envelopes, then no reader sees a hidden id, no status names one, and no other producer's record changes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 6 }), async (steps) => {
        await resetCollection();
        for (const step of steps) await checkStep(step);
      }),
      { numRuns: RUNS, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  }, 600_000);
});
