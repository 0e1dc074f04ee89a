/**
 * Crash safety of the worker, with the real CLI in child processes: kill -9 in the middle of a large job, and
 * SIGTERM in the middle of a job too large to finish within the grace period (the worker exits 1 and hands the
 * job back through its expiring lock). In both cases the job is completed by a worker started afterwards, every
 * object is stored exactly once and the status is right.
 */
import path from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { INGEST_QUEUE_NAME } from '../../../src/ingest/job';
import { startPrivateRedis, type PrivateRedis } from '../../../src/main/redis-server';
import { createKeyBuilder } from '../../../src/store/keys';
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
/** Large enough that its remaining objects take well over GRACE_MS at any plausible worker speed. */
const BIG = 40_000;
const GRACE_MS = 1000;
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

  // Each test starts its own workers: a worker left running by an earlier test could take the next test's
  // job (seen in a full run: the SIGTERMed worker had no job left and exited 0).
  afterEach(async () => {
    for (const p of others.splice(0)) await stopProcess(p, 5000);
  });

  afterAll(async () => {
    for (const p of [api, ...others]) if (p) await stopProcess(p, 5000);
    await redis?.stop();
    tmp.remove();
  });

  async function counts(statusId: string): Promise<{ settled: number; pending: number }> {
    const r = await taxii(api.base ?? '', 'GET', `/${API_ROOT}/status/${statusId}/`);
    return { settled: Number(r.body['success_count']) + Number(r.body['failure_count']), pending: Number(r.body['pending_count']) };
  }

  async function settledCount(statusId: string): Promise<number> {
    return (await counts(statusId)).settled;
  }

  /** Status complete with every object a success, and the collection holds each posted id exactly once. */
  async function expectExactlyOnce(objects: readonly Record<string, unknown>[], statusId: string): Promise<void> {
    const total = objects.length;
    const status = await waitComplete(api.base ?? '', statusId, 180_000);
    expect({ success: status['success_count'], failure: status['failure_count'], pending: status['pending_count'] }).toEqual({
      success: total,
      failure: 0,
      pending: 0,
    });
    const prefix = String(objects[0]?.['id']).slice(0, 13);
    const walked = await walkCollection(api.base ?? '');
    // Sorted lists compared whole: a duplicate or a missing object both show (a Set's size would hide the first).
    const ids = walked.objects.map((o) => String(o['id'])).filter((id) => id.startsWith(prefix));
    expect(ids.sort()).toEqual(objects.map((o) => String(o['id'])).sort());
  }

  // Mutation that made this test fail once: BATCH_SIZE = 10_000 in src/ingest/process-job.ts (the job settles
  // in one batch, so nothing is left pending when the first results appear): `pending > 0` after the kill fails.
  it('when a worker is killed with SIGKILL mid-job, then a restarted worker completes the job with every object stored once', async () => {
    const worker = await spawnGateway('worker', { redisUrl: redis.url, config, dataDir: tmp.dir, env: FAST_TAKEOVER });
    others.push(worker);
    const objects = Array.from({ length: TOTAL }, (_, i) => indicator(i, 'a'));
    const statusId = await postEnvelope(api.base ?? '', objects);
    // Kill once the worker has settled at least one batch but not the whole envelope.
    await until('a first settled batch', 60_000, async () => ((await settledCount(statusId)) > 0 ? true : undefined), 20);
    worker.kill('SIGKILL');
    expect(await worker.exited).toBe('SIGKILL');
    // Read after the kill, before any other worker runs: the job was still unfinished when the worker died,
    // so what follows is a recovery, not a worker that had already finished.
    const atKill = await counts(statusId);
    expect(atKill.pending).toBeGreaterThan(0);
    expect(atKill.settled).toBeGreaterThan(0);
    const second = await spawnGateway('worker', { redisUrl: redis.url, config, dataDir: tmp.dir, env: FAST_TAKEOVER });
    others.push(second);
    await expectExactlyOnce(objects, statusId);
  });

  // Mutation that made this test fail once: no grace timer in src/main/cli.ts (the worker waits for its job to
  // end): it exits 0 after finishing the job, and `exit 1` fails. (The timer is in src/main/commands/server.ts since the merge.)
  it('when a worker gets SIGTERM mid-job longer than the grace period, then it exits 1, the job returns to the queue and another worker completes it exactly once', async () => {
    const worker = await spawnGateway('worker', {
      redisUrl: redis.url,
      config,
      dataDir: tmp.dir,
      env: { ...FAST_TAKEOVER, GATEWAY_SHUTDOWN_GRACE_MS: String(GRACE_MS) },
    });
    others.push(worker);
    const objects = Array.from({ length: BIG }, (_, i) => indicator(i, 'b'));
    const statusId = await postEnvelope(api.base ?? '', objects);
    await until('the job to start', 60_000, async () => ((await settledCount(statusId)) > 0 ? true : undefined), 20);
    const t = Date.now();
    worker.kill('SIGTERM');
    const how = await worker.exited;
    // Handed back: the grace period ran out with the job unfinished, and the process exited 1 by itself.
    expect(how).toBe(1);
    expect(Date.now() - t).toBeLessThan(GRACE_MS + 2000);
    expect(worker.output()).toMatch(/graceful shutdown took too long/);
    const atExit = await counts(statusId);
    expect(atExit.pending).toBeGreaterThan(0);

    // The job is still BullMQ's, neither completed nor failed: active under the dead worker's lock until that
    // expires, or already moved back to waiting; once no lock holds it, any worker may take it.
    const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
    const prefix = createKeyBuilder('gw').queuePrefix;
    const queue = new Queue(INGEST_QUEUE_NAME, { connection: conn, prefix });
    try {
      expect(['active', 'waiting']).toContain(await queue.getJobState(statusId));
      await until(
        "the dead worker's lock to expire",
        10_000,
        async () => ((await conn.exists(`${prefix}:${INGEST_QUEUE_NAME}:${statusId}:lock`)) === 0 ? true : undefined),
        100,
      );
      const next = await spawnGateway('worker', { redisUrl: redis.url, config, dataDir: tmp.dir, env: FAST_TAKEOVER });
      others.push(next);
      await expectExactlyOnce(objects, statusId);
      expect(await queue.getJobState(statusId)).toBe('completed');
    } finally {
      await queue.close();
      conn.disconnect();
    }
  });
});
