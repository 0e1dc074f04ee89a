/**
 * The composition root's own behaviour (src/main/compose.ts) on the test Redis: the worker's queue depth and job
 * log as the worker role uses them, and the API served on an IPv6 loopback address.
 */
import os from 'node:os';
import { composeAuthentication, composeWorker, serveApi } from '../../../src/main/compose';
import type { Logger } from '../../../src/common/logger';
import { TAXII, indicator, startGatewayFromConfig, testConfig, passwordHashes, type HarnessGateway } from '../../helpers/gateway';
import { connectTestRedis, isolatedKeys, testRedisUrl } from '../../helpers/redis';

const COLL = '5e0c7a52-1d3f-4b8e-9a6c-2f4d8b1e0c33';
const PASSWORDS = { writer: 'compose-test-password' };

async function config(): Promise<ReturnType<typeof testConfig>> {
  const h = await passwordHashes(PASSWORDS);
  return testConfig(
    `
server:
  title: Compose test gateway
  default_api_root: exchange
api_roots:
  - name: exchange
    title: API
    max_content_length: 1000000
collections:
  - id: ${COLL}
    api_root: exchange
    title: Compose test collection
    readers: [writer]
    writers: [writer]
principals:
  - name: writer
    identity: identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc
    credentials:
      - basic: { hash: "${h['writer'] ?? ''}" }
`,
    'compose-test.yaml',
  );
}

function capture(lines: string[]): Logger {
  const push = (obj: Record<string, unknown>, msg?: string): void => void lines.push(`${msg ?? ''} ${JSON.stringify(obj)}`);
  return { info: push, warn: push, error: push };
}

describe('composeWorker', () => {
  let gw: HarnessGateway;

  beforeAll(async () => {
    gw = await startGatewayFromConfig(await config(), { passwords: PASSWORDS, worker: false });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when jobs wait for a paused worker, then queueDepth counts them; once it runs them, the depth is 0 and each completion is in its log', async () => {
    const lines: string[] = [];
    const redis = connectTestRedis();
    const composed = composeWorker({
      config: gw.config,
      redis,
      keys: gw.keys,
      log: capture(lines),
      options: { connection: { url: testRedisUrl(), maxRetriesPerRequest: null }, concurrency: 1 },
    });
    try {
      await composed.worker.waitUntilReady();
      await composed.worker.pause();
      const ids: string[] = [];
      for (let i = 1; i <= 3; i++) {
        const r = await gw.request('POST', `/exchange/collections/${COLL}/objects/`, {
          user: 'writer',
          body: JSON.stringify({ objects: [indicator(i)] }),
        });
        expect(r.status).toBe(202);
        ids.push(String(r.json()['id']));
      }
      expect(await composed.queueDepth()).toBe(3);
      composed.worker.resume();
      for (const id of ids) {
        const s = await gw.waitStatus(id, 'writer');
        expect(s['success_count']).toBe(1);
      }
      let depth = -1;
      for (let i = 0; i < 200 && depth !== 0; i++) {
        depth = await composed.queueDepth();
        if (depth !== 0) await new Promise((r) => setTimeout(r, 25));
      }
      expect(depth).toBe(0);
      for (const id of ids) expect(lines.some((l) => l.startsWith('ingest job complete') && l.includes(id))).toBe(true);
    } finally {
      await composed.close();
      await redis.quit();
    }
  });
});

describe('serveApi', () => {
  it('when the API listens on the IPv6 loopback, then its URL puts the address in brackets and answers there; after close it refuses connections', async () => {
    const cfg = await config();
    const redis = connectTestRedis();
    const served = await serveApi(
      {
        config: cfg,
        redis,
        connection: { url: testRedisUrl(), maxRetriesPerRequest: null },
        keys: isolatedKeys(),
        log: capture([]),
        ...(await composeAuthentication(cfg, { dataDir: os.tmpdir(), env: {}, announce: () => undefined })),
      },
      { port: 0, host: '::1', checkIntervalMs: 1000, headersTimeoutMs: 5_000, requestTimeoutMs: 10_000 },
    );
    try {
      expect(served.url).toBe(`http://[::1]:${served.port}`);
      const auth = `Basic ${Buffer.from(`writer:${PASSWORDS.writer}`).toString('base64')}`;
      const r = await fetch(`${served.url}/exchange/collections/`, { headers: { Accept: TAXII, Authorization: auth } });
      expect(r.status).toBe(200);
      const body = (await r.json()) as { collections?: { id: string }[] };
      expect(body.collections?.map((c) => c.id)).toEqual([COLL]);
    } finally {
      await served.close({ force: true });
      await redis.quit();
    }
    await expect(fetch(`${served.url}/taxii2/`)).rejects.toThrow();
  });
});
