/**
 * Graceful shutdown of the API (real CLI process): on SIGTERM it stops accepting connections, finishes the
 * requests in flight, writes the audit entries it still holds (they are appended in batches), and exits by
 * itself within the grace period.
 */
import http from 'node:http';
import path from 'node:path';
import Redis from 'ioredis';
import { startPrivateRedis, type PrivateRedis } from '../../../src/main/redis-server';
import { createKeyBuilder } from '../../../src/store/keys';
import {
  PASSWORD,
  TAXII,
  USER,
  indicator,
  objectsPath,
  sleep,
  spawnGateway,
  stopProcess,
  taxii,
  tempDir,
  writeConfig,
  type GatewayProcess,
} from './processes';

jest.setTimeout(120_000);

/** Starts a POST whose body is sent in two halves; `finish()` sends the rest and resolves with the status. */
function slowPost(base: string, body: string): { finish: () => Promise<number>; started: Promise<void> } {
  const url = new URL(base + objectsPath);
  const half = Math.floor(body.length / 2);
  let res: (status: number) => void = () => undefined;
  let rej: (err: Error) => void = () => undefined;
  const answered = new Promise<number>((resolve, reject) => {
    res = resolve;
    rej = reject;
  });
  const req = http.request(
    {
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      agent: false,
      headers: {
        Accept: TAXII,
        'Content-Type': TAXII,
        'Content-Length': Buffer.byteLength(body),
        Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
      },
    },
    (r) => {
      r.resume();
      r.on('end', () => res(r.statusCode ?? 0));
    },
  );
  req.on('error', rej);
  const started = new Promise<void>((resolve) => req.write(body.slice(0, half), () => resolve()));
  return {
    started,
    finish: () => {
      req.end(body.slice(half));
      return answered;
    },
  };
}

describe('API graceful shutdown (CLI process)', () => {
  const tmp = tempDir('gw-shutdown-');
  let redis: PrivateRedis;
  let api: GatewayProcess | undefined;

  beforeAll(async () => {
    redis = await startPrivateRedis({ dataDir: path.join(tmp.dir, 'redis'), appendonly: false });
  });

  afterAll(async () => {
    if (api) await stopProcess(api, 5000);
    await redis.stop();
    tmp.remove();
  });

  it('when SIGTERM arrives during a request, then new connections are refused, the request completes, and the process exits 0 in time', async () => {
    api = await spawnGateway('serve', {
      redisUrl: redis.url,
      config: writeConfig(tmp.dir),
      dataDir: tmp.dir,
      env: { GATEWAY_SHUTDOWN_GRACE_MS: '5000' },
    });
    const base = api.base ?? '';
    const inFlight = slowPost(base, JSON.stringify({ objects: [indicator(1, 'z'), indicator(2, 'z')] }));
    await inFlight.started;
    await sleep(200);
    const t = Date.now();
    api.kill('SIGTERM');
    await sleep(300);
    await expect(fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    expect(await inFlight.finish()).toBe(202);
    expect(await api.exited).toBe(0);
    expect(Date.now() - t).toBeLessThan(5000);
  });

  it('when SIGTERM arrives before the audit flush interval, then the entries of the requests served are in the stream', async () => {
    api = await spawnGateway('serve', {
      redisUrl: redis.url,
      config: writeConfig(tmp.dir),
      dataDir: tmp.dir,
      keyPrefix: 'gwa',
      env: { GATEWAY_AUDIT_FLUSH_MS: '60000' },
    });
    const client = new Redis(redis.url);
    try {
      const key = createKeyBuilder('gwa').audit;
      const before = await client.xlen(key);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await taxii(api.base ?? '', 'GET', `${objectsPath}?limit=5`);
        expect(r.status).toBe(200);
        ids.push(r.headers.get('x-request-id') ?? '');
      }
      // queued, not yet appended: the interval is a minute
      expect(await client.xlen(key)).toBe(before);
      api.kill('SIGTERM');
      expect(await api.exited).toBe(0);
      const entries = await client.xrange(key, '-', '+');
      const events = entries.map(([, fields]) => JSON.parse(fields[1] ?? '{}') as Record<string, unknown>);
      expect(events.filter((e) => e['action'] === 'get_objects').map((e) => e['request_id'])).toEqual(ids);
    } finally {
      client.disconnect();
    }
  });
});
