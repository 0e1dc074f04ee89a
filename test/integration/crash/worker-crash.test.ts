/**
 * Crash safety of the worker, with the real CLI in child processes: kill -9 in the middle of a large job, and
 * SIGTERM in the middle of a job (finish or hand back within the grace period). In both cases the job is
 * completed by a worker started afterwards, every object is stored exactly once and the status is right.
 */
import path from 'node:path';
import { startPrivateRedis, type PrivateRedis } from '../../../src/main/redis-server';
import {
  API_ROOT,
  indicator,
  postEnvelope,
  spawnGateway,
  stopProcess,
  taxii,
  tempDir,
  until,
  waitComplete,
  walkCollection,
  writeConfig,
  type GatewayProcess,
} from './processes';

jest.setTimeout(180_000);

const TOTAL = 6000;
const FAST_TAKEOVER = { GATEWAY_LOCK_MS: '2000', GATEWAY_WORKER_CONCURRENCY: '1' };

describe('worker crash safety (CLI processes)', () => {
  const tmp = tempDir('gw-crash-worker-');
  let redis: PrivateRedis;
  let config: string;
  let api: GatewayProcess;
  const others: GatewayProcess[] = [];

  beforeAll(async () => {
    redis = await startPrivateRedis({ dataDir: path.join(tmp.dir, 'redis'), appendonly: false });
    config = writeConfig(tmp.dir);
    api = await spawnGateway('serve', { redisUrl: redis.url, config, dataDir: tmp.dir });
  });

  afterAll(async () => {
    for (const p of [api, ...others]) if (p) await stopProcess(p, 5000);
    await redis?.stop();
    tmp.remove();
  });

  async function settledCount(statusId: string): Promise<number> {
    const r = await taxii(api.base ?? '', 'GET', `/${API_ROOT}/status/${statusId}/`);
    return Number(r.body['success_count']) + Number(r.body['failure_count']);
  }

  async function expectExactlyOnce(prefix: string, statusId: string): Promise<void> {
    const status = await waitComplete(api.base ?? '', statusId, 120_000);
    expect({ success: status['success_count'], failure: status['failure_count'], pending: status['pending_count'] }).toEqual({
      success: TOTAL,
      failure: 0,
      pending: 0,
    });
    const walked = await walkCollection(api.base ?? '');
    const ids = walked.objects.map((o) => String(o['id'])).filter((id) => id.startsWith(prefix));
    expect(ids.length).toBe(TOTAL);
    expect(new Set(ids).size).toBe(TOTAL);
  }

  it('when a worker is killed with SIGKILL mid-job, then a restarted worker completes the job with every object stored once', async () => {
    const worker = await spawnGateway('worker', { redisUrl: redis.url, config, dataDir: tmp.dir, env: FAST_TAKEOVER });
    others.push(worker);
    const objects = Array.from({ length: TOTAL }, (_, i) => indicator(i, 'a'));
    const statusId = await postEnvelope(api.base ?? '', objects);
    // Kill once the worker has settled at least one batch but not the whole envelope.
    const settled = await until('a first settled batch', 60_000, async () => {
      const n = await settledCount(statusId);
      return n > 0 ? n : undefined;
    }, 20);
    worker.kill('SIGKILL');
    expect(await worker.exited).toBe('SIGKILL');
    expect(settled).toBeLessThan(TOTAL);
    const second = await spawnGateway('worker', { redisUrl: redis.url, config, dataDir: tmp.dir, env: FAST_TAKEOVER });
    others.push(second);
    await expectExactlyOnce(String(indicator(0, 'a')['id']).slice(0, 13), statusId);
  });

  it('when a worker gets SIGTERM mid-job, then it exits within the grace period and the job still completes exactly once', async () => {
    const worker = await spawnGateway('worker', {
      redisUrl: redis.url,
      config,
      dataDir: tmp.dir,
      env: { ...FAST_TAKEOVER, GATEWAY_SHUTDOWN_GRACE_MS: '3000' },
    });
    others.push(worker);
    const objects = Array.from({ length: TOTAL }, (_, i) => indicator(i, 'b'));
    const statusId = await postEnvelope(api.base ?? '', objects);
    await until('the job to start', 60_000, async () => ((await settledCount(statusId)) > 0 ? true : undefined), 20);
    const t = Date.now();
    worker.kill('SIGTERM');
    const how = await worker.exited;
    // Exit by itself (0: finished its job; 1: grace period over, job handed back through its lock), never killed.
    expect([0, 1]).toContain(how);
    expect(Date.now() - t).toBeLessThan(3000 + 2000);
    const next = await spawnGateway('worker', { redisUrl: redis.url, config, dataDir: tmp.dir, env: FAST_TAKEOVER });
    others.push(next);
    await expectExactlyOnce(String(indicator(0, 'b')['id']).slice(0, 13), statusId);
  });
});
