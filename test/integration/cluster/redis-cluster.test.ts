/**
 * Scale-out on Redis Cluster: a local 3-master cluster (redis-server --cluster-enabled yes on loopback ports,
 * created with redis-cli --cluster create), the API and the worker as CLI processes connected through a
 * redis+cluster:// URL, and the TAXII end-to-end path: POST, status complete, page back, manifest, one object.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { startPrivateRedis, type PrivateRedis } from '../../../src/main/redis-server';
import {
  API_ROOT,
  COLLECTION,
  indicator,
  postEnvelope,
  spawnGateway,
  stopProcess,
  strictlyIncreasing,
  taxii,
  tempDir,
  until,
  waitComplete,
  walkCollection,
  writeConfig,
  type GatewayProcess,
} from '../crash/processes';

const run = promisify(execFile);

jest.setTimeout(180_000);

describe('Redis Cluster (3 masters)', () => {
  const tmp = tempDir('gw-cluster-');
  const nodes: PrivateRedis[] = [];
  const procs: GatewayProcess[] = [];
  let url = '';

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      nodes.push(
        await startPrivateRedis({
          dataDir: path.join(tmp.dir, `node${i}`),
          appendonly: false,
          extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000'],
        }),
      );
    }
    const addrs = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addrs, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    for (const n of nodes) {
      const c = new Redis(n.url, { maxRetriesPerRequest: 1 });
      try {
        await until(
          `cluster state ok on ${n.port}`,
          30_000,
          async () => ((await c.cluster('INFO')).includes('cluster_state:ok') ? true : undefined),
          200,
        );
      } finally {
        c.disconnect();
      }
    }
    url = `redis+cluster://${addrs.join(',')}`;
  });

  afterAll(async () => {
    for (const p of procs) await stopProcess(p, 5000);
    for (const n of nodes) await n.stop();
    tmp.remove();
  });

  it('when the API and the worker run on the cluster, then a POSTed envelope is stored and paged back exactly once, in date_added order', async () => {
    const config = writeConfig(tmp.dir);
    const api = await spawnGateway('serve', { redisUrl: url, config, dataDir: tmp.dir });
    procs.push(api);
    const worker = await spawnGateway('worker', { redisUrl: url, config, dataDir: tmp.dir });
    procs.push(worker);
    const base = api.base ?? '';

    const objects = Array.from({ length: 1500 }, (_, i) => indicator(i, 'c'));
    const first = await postEnvelope(base, objects.slice(0, 1000));
    const second = await postEnvelope(base, [...objects.slice(1000), objects[0]]);
    const s1 = await waitComplete(base, first);
    const s2 = await waitComplete(base, second);
    expect([s1['success_count'], s1['failure_count'], s2['success_count'], s2['failure_count']]).toEqual([1000, 0, 501, 0]);

    const walked = await walkCollection(base, 400);
    const ids = walked.objects.map((o) => String(o['id']));
    expect(ids.length).toBe(1500);
    expect(new Set(ids)).toEqual(new Set(objects.map((o) => String(o['id']))));
    expect(walked.dateAdded.length).toBe(1500);
    expect(strictlyIncreasing(walked.dateAdded)).toBe(true);

    const one = String(objects[7]?.['id']);
    const r = await taxii(base, 'GET', `/${API_ROOT}/collections/${COLLECTION}/objects/${one}/`);
    expect(r.status).toBe(200);
    expect((r.body['objects'] as Record<string, unknown>[])[0]?.['id']).toBe(one);

    const filtered = await taxii(
      base,
      'GET',
      `/${API_ROOT}/collections/${COLLECTION}/objects/?match[type]=indicator&limit=5&match[version]=first`,
    );
    expect((filtered.body['objects'] as unknown[]).length).toBe(5);

    // Every key of the collection shares its hash tag: one slot, so one node holds them all.
    const owners = await Promise.all(
      nodes.map(async (n) => {
        const c = new Redis(n.url, { maxRetriesPerRequest: 1 });
        try {
          return (await c.keys(`gw:c:{${COLLECTION}}:*`)).length;
        } finally {
          c.disconnect();
        }
      }),
    );
    expect(owners.filter((k) => k > 0).length).toBe(1);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});
