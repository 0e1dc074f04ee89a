/**
 * Redis failures under the real CLI processes: kill -9 of Redis right after the 202 (appendfsync always, AOF
 * replayed on restart: the job still completes), and Redis unavailable (the API answers 503 with a TAXII error
 * instead of hanging, and both API and worker recover by themselves when Redis is back).
 */
import net from 'node:net';
import path from 'node:path';
import { freePort, startPrivateRedis, type PrivateRedis } from '../../../src/main/redis-server';
import {
  COLLECTION,
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

jest.setTimeout(180_000);

function killRedis(r: PrivateRedis): void {
  process.kill(r.pid, 'SIGKILL');
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

  beforeAll(async () => {
    port = await freePort();
    redis = await startPrivateRedis({ dataDir: redisDir, port, appendfsync: 'always' });
    config = writeConfig(tmp.dir);
  });

  afterAll(async () => {
    for (const p of procs) await stopProcess(p, 5000);
    await redis?.stop();
    tmp.remove();
  });

  it('when Redis is killed with SIGKILL right after the 202 and restarted from its AOF, then the job still completes', async () => {
    const api = await spawnGateway('serve', { redisUrl: redis.url, config, dataDir: tmp.dir });
    procs.push(api);
    const objects = Array.from({ length: 500 }, (_, i) => indicator(i, 'a'));
    const statusId = await postEnvelope(api.base ?? '', objects);
    killRedis(redis);
    await waitDown(port);
    redis = await startPrivateRedis({ dataDir: redisDir, port, appendfsync: 'always' });
    // The worker starts only now, so the job can only come from the replayed AOF.
    const worker = await spawnGateway('worker', { redisUrl: redis.url, config, dataDir: tmp.dir });
    procs.push(worker);
    const status = await waitComplete(api.base ?? '', statusId, 60_000);
    expect({ success: status['success_count'], failure: status['failure_count'] }).toEqual({ success: 500, failure: 0 });
    const walked = await walkCollection(api.base ?? '');
    expect(new Set(walked.objects.map((o) => o['id'])).size).toBe(500);
  });

  it('when Redis is unavailable, then the API answers 503 with a TAXII error quickly, and API and worker recover by themselves', async () => {
    const api = procs.find((p) => p.role === 'serve');
    const worker = procs.find((p) => p.role === 'worker');
    if (!api?.base || !worker) throw new Error('the previous test did not start the processes');
    killRedis(redis);
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
    await until('the API to serve again', 30_000, async () => {
      const again = await taxii(api.base ?? '', 'GET', `${objectsPath}?limit=10`);
      return again.status === 200 ? true : undefined;
    }, 250);
    expect((await fetch(`${api.base}/readyz`)).status).toBe(200);
    // The worker survived the outage: it processes a job posted after Redis came back.
    expect(worker.child.exitCode).toBeNull();
    const statusId = await postEnvelope(api.base, [indicator(9001, 'b')]);
    const status = await waitComplete(api.base, statusId, 60_000);
    expect(status['success_count']).toBe(1);
    const metrics = await (await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`)).text();
    expect(metricValue(metrics, 'redis_errors_total')).toBeGreaterThan(0);
    expect(COLLECTION).toBeTruthy();
  });
});
