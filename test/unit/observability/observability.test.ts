import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runReadiness } from '../../../src/observability/health';
import { observabilityListener } from '../../../src/http/health';
import { GatewayMetrics } from '../../../src/observability/metrics';

async function serve(listener: RequestListener): Promise<{ base: string; close: () => Promise<void> }> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('runReadiness', () => {
  it('when every check passes, then it is ready', async () => {
    expect(
      await runReadiness([
        { name: 'a', check: () => true },
        { name: 'b', check: async () => true },
      ]),
    ).toEqual({ ready: true, failed: [] });
  });

  it('when a check throws, answers false or hangs past the timeout, then it is not ready and names those checks', async () => {
    const r = await runReadiness(
      [
        { name: 'ok', check: () => true },
        { name: 'throws', check: async () => Promise.reject(new Error('down')) },
        { name: 'false', check: () => false },
        { name: 'hangs', check: () => new Promise<boolean>(() => undefined) },
      ],
      50,
    );
    expect(r).toEqual({ ready: false, failed: ['throws', 'false', 'hangs'] });
  });
});

describe('observabilityListener', () => {
  const app: RequestListener = (req, res) => {
    // Simulates express: the matched route pattern is left on the request.
    (req as http.IncomingMessage & { route?: { path: string } }).route = { path: '/:root/collections/:collection/objects/' };
    res.setHeader('X-Request-Id', 'rid-1');
    res.statusCode = req.url?.startsWith('/fail') ? 503 : 200;
    res.end('{}');
  };

  it('when /healthz and /readyz are asked, then they answer without reaching the app and reveal only a status word', async () => {
    let ready = true;
    const s = await serve(observabilityListener({ exposeMetrics: false, readiness: [{ name: 'redis', check: () => ready }] }, app));
    try {
      const h = await fetch(`${s.base}/healthz`);
      expect({ status: h.status, body: await h.text() }).toEqual({ status: 200, body: '{"status":"ok"}' });
      const r1 = await fetch(`${s.base}/readyz`);
      expect({ status: r1.status, body: await r1.text() }).toEqual({ status: 200, body: '{"status":"ready"}' });
      ready = false;
      const r2 = await fetch(`${s.base}/readyz`);
      expect({ status: r2.status, body: await r2.text() }).toEqual({ status: 503, body: '{"status":"not ready"}' });
      const post = await fetch(`${s.base}/healthz`, { method: 'POST' });
      expect(post.status).toBe(405);
    } finally {
      await s.close();
    }
  });

  it('when metrics are not exposed on a listener, then /metrics goes to the app', async () => {
    const s = await serve(
      observabilityListener({ metrics: new GatewayMetrics({ defaultMetrics: false }), exposeMetrics: false, readiness: [] }, app),
    );
    try {
      const r = await fetch(`${s.base}/metrics`);
      expect(await r.text()).toBe('{}');
    } finally {
      await s.close();
    }
  });

  it('when requests pass through, then they are counted by route pattern and status and logged with the request id', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    const lines: Record<string, unknown>[] = [];
    const log = {
      info: (o: Record<string, unknown>) => lines.push(o),
      warn: (o: Record<string, unknown>) => lines.push({ ...o, level: 'warn' }),
    };
    const s = await serve(observabilityListener({ metrics, exposeMetrics: true, readiness: [], log }, app));
    try {
      await (await fetch(`${s.base}/api1/collections/abc/objects/?limit=5`)).text();
      await (await fetch(`${s.base}/fail`)).text();
      const text = await (await fetch(`${s.base}/metrics`)).text();
      expect(text).toContain('taxii_http_requests_total{method="GET",route="/:root/collections/:collection/objects/",status="200"} 1');
      expect(text).toContain('status="503"} 1');
      expect(text).not.toContain('abc');
      expect(lines[0]).toMatchObject({ requestId: 'rid-1', method: 'GET', status: 200 });
      expect(lines[1]).toMatchObject({ status: 503, level: 'warn' });
    } finally {
      await s.close();
    }
  });

  it('when no app is given (a worker), then unknown paths get 404', async () => {
    const s = await serve(observabilityListener({ exposeMetrics: true, readiness: [] }));
    try {
      expect((await fetch(`${s.base}/taxii2/`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});

describe('GatewayMetrics', () => {
  it('when a job completes, then objects are counted per collection and outcome, and dedup hits per kind', async () => {
    const m = new GatewayMetrics({ defaultMetrics: false });
    m.observeJob('c1', { stored: 5, duplicates: 2, merged: 1, failed: 3, skipped: 0 }, 0.2);
    m.watchQueueDepth(async () => 7);
    const text = (await m.render()).body;
    expect(text).toContain('ingest_objects_total{collection="c1",outcome="stored"} 5');
    expect(text).toContain('ingest_objects_total{collection="c1",outcome="failed"} 3');
    expect(text).toContain('ingest_dedup_hits_total{collection="c1",kind="exact"} 2');
    expect(text).toContain('ingest_dedup_hits_total{collection="c1",kind="merged"} 1');
    expect(text).toContain('ingest_job_duration_seconds_count{result="complete"} 1');
    expect(text).toContain('ingest_queue_depth 7');
    expect(text).not.toContain('outcome="skipped"');
  });

  it('when the queue depth cannot be read, then the gauge keeps its last value', async () => {
    const m = new GatewayMetrics({ defaultMetrics: false });
    m.watchQueueDepth(async () => 3);
    await m.render();
    m.watchQueueDepth(async () => Promise.reject(new Error('redis down')));
    expect((await m.render()).body).toContain('ingest_queue_depth 3');
  });
});

describe('GatewayMetrics federation gauges', () => {
  it('when federation state is probed at scrape time, then last run, failure and object count are exposed per source/sink', async () => {
    const m = new GatewayMetrics({ defaultMetrics: false });
    m.watchFederation(async () => [
      { kind: 'source', name: 'partner-feed', lastRunFinished: '2026-12-01T04:00:00.000Z', failing: false, objectsTotal: 1200 },
      { kind: 'sink', name: 'to-partner', failing: true, objectsTotal: 0 },
    ]);
    const { body } = await m.render();
    expect(body).toContain('federation_last_run_timestamp_seconds{kind="source",name="partner-feed"} 1796097600');
    expect(body).toContain('federation_last_run_failed{kind="sink",name="to-partner"} 1');
    expect(body).toContain('federation_last_run_failed{kind="source",name="partner-feed"} 0');
    expect(body).toContain('federation_objects_total{kind="source",name="partner-feed"} 1200');
  });
});
