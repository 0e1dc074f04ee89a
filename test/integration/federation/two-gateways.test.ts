import { randomBytes } from 'node:crypto';
import { FederationState } from '../../../src/federation/federation-state';
import type { GatewayConfig } from '../../../src/config/types';
import { FED_COLL, allRecords, fedConfigYaml, fedIndicator, loadYaml, publish, startFedGateway, type FedGateway } from './fed-gateway';

const PRODUCER = 'identity--1a2b3c4d-0000-4000-8000-0000000000b7';
const TLP_RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';

/** Runs an endpoint with a fresh runner each time (as after a restart) until a run moves nothing. */
async function runUntilDone(
  gw: () => FedGateway,
  config: GatewayConfig,
  kind: 'source' | 'sink',
  name: string,
  between: () => Promise<void>,
): Promise<{ moved: number; statuses: string[] }> {
  let moved = 0;
  const statuses: string[] = [];
  for (let run = 0; run < 30; run++) {
    const r = await gw().runner(config).run(kind, name);
    if (!r.ran || !r.ok) throw new Error(`run failed: ${JSON.stringify(r)}`);
    moved += r.summary.objects;
    statuses.push(...r.summary.statuses);
    if (!r.summary.truncated) return { moved, statuses };
    await between();
  }
  throw new Error('never finished');
}

describe('federation between two gateways', () => {
  let a: FedGateway;
  let b: FedGateway;
  const rootA = `tfa${randomBytes(4).toString('hex')}`;
  const rootB = `tfb${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    a = await startFedGateway(rootA);
    b = await startFedGateway(rootB);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('when A pulls from B and B forwards to A across restarts of either side, then each object arrives exactly once with its producer', async () => {
    const first = Array.from({ length: 12 }, (_, i) => fedIndicator(i + 1, PRODUCER));
    const red = fedIndicator(99, PRODUCER, { object_marking_refs: [TLP_RED] });
    await publish(b, [...first, red]);

    const aConfig = loadYaml(
      await fedConfigYaml(`sources:
  - name: from-b
    url: ${b.base}/api/
    collection: ${FED_COLL.outbox}
    into: inbox
    schedule: 300
    page_size: 3
    max_objects_per_run: 4
    auth: { basic: { username: partner, password_env: FED_PW } }
`),
    );
    const bConfig = loadYaml(
      await fedConfigYaml(`sinks:
  - name: to-a
    from: outbox
    url: ${a.base}/api/
    collection: ${FED_COLL.pushed}
    principal: partner
    schedule: "*/5 * * * *"
    page_size: 3
    max_objects_per_run: 4
    auth: { basic: { username: partner, password_env: FED_PW } }
`),
    );

    // A pulls; B restarts (same data, same port) between A's runs.
    const pull1 = await runUntilDone(
      () => a,
      aConfig,
      'source',
      'from-b',
      async () => {
        const port = b.port;
        await b.close();
        b = await startFedGateway(rootB, { port });
      },
    );
    // B forwards; A restarts between B's runs.
    const push1 = await runUntilDone(
      () => b,
      bConfig,
      'sink',
      'to-a',
      async () => {
        const port = a.port;
        await a.close();
        a = await startFedGateway(rootA, { port });
      },
    );
    expect(pull1.moved).toBe(12);
    expect(push1.moved).toBe(12);

    // New objects on B: the next runs move only those.
    const second = Array.from({ length: 3 }, (_, i) => fedIndicator(100 + i, PRODUCER));
    await publish(b, second);
    const pull2 = await runUntilDone(
      () => a,
      aConfig,
      'source',
      'from-b',
      async () => undefined,
    );
    const push2 = await runUntilDone(
      () => b,
      bConfig,
      'sink',
      'to-a',
      async () => undefined,
    );
    expect(pull2.moved).toBe(3);
    expect(push2.moved).toBe(3);
    await a.settle([...pull1.statuses, ...pull2.statuses]);

    const expected = [...first, ...second].map((o) => String(o['id'])).sort();
    for (const coll of [FED_COLL.inbox, FED_COLL.pushed]) {
      const stored = await allRecords(a.store, coll);
      expect(stored.map((r) => r.id).sort()).toEqual(expected);
      for (const r of stored) expect(r.json['created_by_ref']).toBe(PRODUCER);
    }
    const outcomes = await new FederationState(b.redis, b.keys).recentOutcomes('to-a', 100);
    expect(
      outcomes
        .filter((o) => o.outcome === 'success')
        .map((o) => o.id)
        .sort(),
    ).toEqual(expected);
    const status = await new FederationState(a.redis, a.keys).state('source', 'from-b');
    expect(status.objectsTotal).toBe(15);
    expect(status.lastError).toBeUndefined();
  });

  it('when two runners start the same source at once, then only one runs', async () => {
    const cfg = loadYaml(
      await fedConfigYaml(`sources:
  - name: racing
    url: ${b.base}/api/
    collection: ${FED_COLL.outbox}
    into: inbox
    schedule: 300
    auth: { basic: { username: partner, password_env: FED_PW } }
`),
    );
    const [r1, r2] = await Promise.all([a.runner(cfg).run('source', 'racing'), a.runner(cfg).run('source', 'racing')]);
    expect([r1.ran, r2.ran].sort()).toEqual([false, true]);
  });
});
