/**
 * Redis failures under the real CLI processes: kill -9 of Redis right after the 202 (appendfsync always, AOF
 * replayed on restart: the job still completes), and Redis unavailable (the API answers 503 with a TAXII error
 * instead of hanging, and both API and worker recover by themselves when Redis is back).
 *
 * A SIGKILL of the Redis process leaves the written AOF in the page cache, so it cannot tell `always` from
 * `everysec`. What `always` adds is the fsync before the answer: the first Redis runs under strace, and the
 * test checks that the AOF write carrying the job was fsynced before the client had its 202.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Redis from 'ioredis';
import { INGEST_QUEUE_NAME } from '../../../src/ingest/job';
import { createKeyBuilder } from '../../../src/store/keys';
import { freePort, startPrivateRedis, type PrivateRedis } from '../../../src/main/redis-server';
import {
  TAXII,
  indicator,
  metricValue,
  objectsPath,
  postEnvelope,
  sleep,
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
import { aofDurability, straceLauncher, straceUnavailable } from './strace';

jest.setTimeout(180_000);

/** The redis-server's own pid (under strace, PrivateRedis.pid is strace's). */
async function serverPid(r: PrivateRedis): Promise<number> {
  const c = new Redis(r.url, { maxRetriesPerRequest: 1 });
  try {
    const pid = Number(/^process_id:(\d+)/m.exec(await c.info('server'))?.[1]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error('INFO server has no process_id');
    return pid;
  } finally {
    c.disconnect();
  }
}

async function killRedis(r: PrivateRedis): Promise<void> {
  process.kill(await serverPid(r), 'SIGKILL');
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.setTimeout(300, () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('connect', () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('error', () => resolve(true));
  });
}

async function waitDown(port: number): Promise<void> {
  await until('redis to be gone', 10_000, async () => ((await refused(port)) ? true : undefined));
}

describe('Redis crash and outage (CLI processes)', () => {
  const tmp = tempDir('gw-crash-redis-');
  const redisDir = path.join(tmp.dir, 'redis');
  let port: number;
  let redis: PrivateRedis;
  let config: string;
  const procs: GatewayProcess[] = [];
  const traceFile = path.join(tmp.dir, 'redis.strace');
  let noStrace: string | undefined;

  beforeAll(async () => {
    port = await freePort();
    noStrace = straceUnavailable();
    // Only when strace can neither be found, installed nor run: the fsync order goes unchecked, and says so.
    if (noStrace) process.stderr.write(`redis-crash: the fsync-before-202 check does not run: ${noStrace}\n`);
    redis = await startPrivateRedis({
      dataDir: redisDir,
      port,
      appendfsync: 'always',
      ...(noStrace ? {} : { launcher: straceLauncher(traceFile) }),
    });
    config = writeConfig(tmp.dir);
  });

  afterAll(async () => {
    for (const p of procs) await stopProcess(p, 5000);
    await redis?.stop();
    tmp.remove();
  });

  // Mutations that made this test fail once: appendfsync 'everysec' in the first startPrivateRedis above (Redis
  // is killed before its once-a-second fsync: `synced: true` fails); `appendonly: false` there (no AOF write
  // carries the POST: the wait for it in the trace times out).
  it('when Redis is killed with SIGKILL right after the 202 and restarted from its AOF, then the job was fsynced before the 202 and still completes', async () => {
    const api = await spawnGateway('serve', { redisUrl: redis.url, config, dataDir: tmp.dir });
    procs.push(api);
    const objects = Array.from({ length: 500 }, (_, i) => indicator(i, 'a'));
    const statusId = await postEnvelope(api.base ?? '', objects);
    // Date.now() is whole milliseconds, at most 1 ms behind the moment the 202 was in.
    const answeredAt = (Date.now() + 1) / 1000;
    await killRedis(redis);
    await waitDown(port);
    if (!noStrace) {
      const trace = await until("strace to show the POST's AOF writes", 10_000, async () => {
        const text = readFileSync(traceFile, 'utf8');
        return aofDurability(text, statusId) ? text : undefined;
      });
      // Both writes of the POST: the status with its envelope, and the queued job (later writes that name the
      // status id, such as the audit entry, come after the 202 and are not covered by it).
      const keys = createKeyBuilder('gw');
      for (const key of [keys.status(statusId), `${keys.queuePrefix}:${INGEST_QUEUE_NAME}:${statusId}`]) {
        const d = aofDurability(trace, key);
        expect({ key, written: d !== undefined, synced: d?.syncedAt !== undefined }).toEqual({ key, written: true, synced: true });
        expect(d?.syncedAt ?? Infinity).toBeLessThan(answeredAt);
      }
    }
    redis = await startPrivateRedis({ dataDir: redisDir, port, appendfsync: 'always' });
    // The worker starts only now, so the job can only come from the replayed AOF.
    const worker = await spawnGateway('worker', { redisUrl: redis.url, config, dataDir: tmp.dir });
    procs.push(worker);
    const status = await waitComplete(api.base ?? '', statusId, 60_000);
    expect({ success: status['success_count'], failure: status['failure_count'] }).toEqual({ success: 500, failure: 0 });
    const walked = await walkCollection(api.base ?? '');
    // The sorted lists compared whole: a duplicate would show (a Set's size would hide it).
    expect(walked.objects.map((o) => String(o['id'])).sort()).toEqual(objects.map((o) => String(o['id'])).sort());
  });

  it('when Redis is unavailable, then the API answers 503 with a TAXII error quickly, and API and worker recover by themselves', async () => {
    const api = procs.find((p) => p.role === 'serve');
    const worker = procs.find((p) => p.role === 'worker');
    if (!api?.base || !worker) throw new Error('the previous test did not start the processes');
    await killRedis(redis);
    await waitDown(port);

    const t = Date.now();
    const r = await taxii(api.base, 'GET', `${objectsPath}?limit=10`, undefined, 10_000);
    expect(Date.now() - t).toBeLessThan(6000);
    expect(r.status).toBe(503);
    expect(r.headers.get('content-type')).toBe(TAXII);
    expect(r.body).toMatchObject({ http_status: '503', error_code: 'SERVICE_UNAVAILABLE' });
    expect(r.headers.get('retry-after')).toBe('5');
    const ready = await fetch(`${api.base}/readyz`);
    expect(ready.status).toBe(503);
    const post = await taxii(api.base, 'POST', objectsPath, { objects: [indicator(9000, 'b')] }, 10_000);
    expect(post.status).toBe(503);
    await sleep(1500); // let the worker go through a few reconnection attempts

    redis = await startPrivateRedis({ dataDir: redisDir, port, appendfsync: 'always' });
    await until(
      'the API to serve again',
      30_000,
      async () => {
        const again = await taxii(api.base ?? '', 'GET', `${objectsPath}?limit=10`);
        return again.status === 200 ? true : undefined;
      },
      250,
    );
    expect((await fetch(`${api.base}/readyz`)).status).toBe(200);
    // The worker survived the outage: it processes a job posted after Redis came back.
    expect(worker.child.exitCode).toBeNull();
    const statusId = await postEnvelope(api.base, [indicator(9001, 'b')]);
    const status = await waitComplete(api.base, statusId, 60_000);
    expect(status['success_count']).toBe(1);
    const metrics = await (await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`)).text();
    expect(metricValue(metrics, 'redis_errors_total')).toBeGreaterThan(0);
  });
});
