/**
 * The `sync` command against two in-process gateways on the test Redis: it runs a source through the same
 * runner, lock and ingest queue as the scheduled job (built by src/main/compose.ts), and the running worker
 * stores what it pulled.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/main/cli';
import type { CliIo } from '../../../src/main/cli-types';
import { testRedisUrl } from '../../helpers/redis';
import {
  FED_COLL,
  PARTNER_PASSWORD,
  allRecords,
  fedConfigYaml,
  fedIndicator,
  publish,
  startFedGateway,
  type FedGateway,
} from './fed-gateway';

const PRODUCER = 'identity--1a2b3c4d-0000-4000-8000-0000000000c5';

function io(env: Record<string, string>): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    env,
    readStdin: async () => Buffer.alloc(0),
    out: () => out,
    err: () => err,
  };
}

describe('taxii-gateway sync', () => {
  let a: FedGateway;
  let b: FedGateway;
  let dir: string;
  const rootA = `sync-a-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    a = await startFedGateway(rootA);
    b = await startFedGateway(`sync-b-${randomBytes(4).toString('hex')}`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'gw-sync-'));
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when sync --source runs, then it pulls the partner collection into the local one, the worker stores each object once, and --status shows the cursor', async () => {
    await publish(
      b,
      Array.from({ length: 5 }, (_, i) => fedIndicator(i + 1, PRODUCER)),
    );
    const file = path.join(dir, 'collections.yaml');
    writeFileSync(
      file,
      await fedConfigYaml(`sources:
  - name: from-b
    url: ${b.base}/api/
    collection: ${FED_COLL.outbox}
    into: inbox
    schedule: 3600
    page_size: 2
    auth: { basic: { username: partner, password_env: FED_PW } }
`),
    );
    const common = ['--config', file, '--redis-url', testRedisUrl(), '--key-prefix', rootA];
    const run = io({ FED_PW: PARTNER_PASSWORD });
    expect(await main(['sync', '--source', 'from-b', ...common], run)).toBe(0);
    const result = JSON.parse(run.out()) as { ran: boolean; ok: boolean; summary: { statuses: string[] } };
    expect(result).toMatchObject({ ran: true, ok: true });
    await a.settle(result.summary.statuses);
    const stored = await allRecords(a.store, FED_COLL.inbox);
    expect(stored.map((r) => r.id).sort()).toEqual(Array.from({ length: 5 }, (_, i) => String(fedIndicator(i + 1, PRODUCER)['id'])).sort());

    const status = io({});
    expect(await main(['sync', '--status', ...common], status)).toBe(0);
    const states = JSON.parse(status.out()) as { kind: string; name: string; objectsTotal: number }[];
    expect(states).toEqual([expect.objectContaining({ kind: 'source', name: 'from-b', objectsTotal: 5 })]);
  });
});
