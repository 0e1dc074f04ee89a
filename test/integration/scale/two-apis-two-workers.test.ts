/**
 * Horizontal scale on one Redis: two API processes and two worker processes (real CLI). Concurrent POSTs to
 * one collection through both APIs; paging from both APIs (and across them with one `next` token) returns
 * every object exactly once with strictly increasing date_added; no job is processed twice to effect (the
 * workers' counters add up to exactly one store per object and one run per job).
 */
import path from 'node:path';
import { startPrivateRedis, type PrivateRedis } from '../../../src/main/redis-server';
import {
  API_ROOT,
  COLLECTION,
  indicator,
  metricValue,
  postEnvelope,
  spawnGateway,
  stopProcess,
  strictlyIncreasing,
  taxii,
  tempDir,
  waitComplete,
  walkCollection,
  writeConfig,
  type GatewayProcess,
} from '../crash/processes';

jest.setTimeout(240_000);

const POSTERS = 8;
const ENVELOPES_PER_POSTER = 5;
const PER_ENVELOPE = 200;
const TOTAL = POSTERS * ENVELOPES_PER_POSTER * PER_ENVELOPE;

describe('two APIs and two workers on one Redis', () => {
  const tmp = tempDir('gw-scale-');
  let redis: PrivateRedis;
  const apis: GatewayProcess[] = [];
  const workers: GatewayProcess[] = [];

  beforeAll(async () => {
    redis = await startPrivateRedis({ dataDir: path.join(tmp.dir, 'redis'), appendonly: false });
    const config = writeConfig(tmp.dir);
    const o = { redisUrl: redis.url, config, dataDir: tmp.dir };
    const started = await Promise.all([
      spawnGateway('serve', o),
      spawnGateway('serve', o),
      spawnGateway('worker', o),
      spawnGateway('worker', o),
    ]);
    apis.push(...started.filter((p) => p.role === 'serve'));
    workers.push(...started.filter((p) => p.role === 'worker'));
  });

  afterAll(async () => {
    for (const p of [...apis, ...workers]) await stopProcess(p, 5000);
    await redis.stop();
    tmp.remove();
  });

  it('when clients POST concurrently through both APIs, then each object is stored once, pages agree on both APIs and date_added strictly increases', async () => {
    const bases = apis.map((a) => a.base ?? '');
    const statusIds: string[] = [];
    await Promise.all(
      Array.from({ length: POSTERS }, async (_, p) => {
        for (let e = 0; e < ENVELOPES_PER_POSTER; e++) {
          const first = (p * ENVELOPES_PER_POSTER + e) * PER_ENVELOPE;
          const objects = Array.from({ length: PER_ENVELOPE }, (_, i) => indicator(first + i, 's'));
          statusIds.push(await postEnvelope(bases[(p + e) % 2] ?? '', objects));
        }
      }),
    );
    for (const id of statusIds) {
      const s = await waitComplete(bases[0] ?? '', id, 120_000);
      expect({ success: s['success_count'], failure: s['failure_count'] }).toEqual({ success: PER_ENVELOPE, failure: 0 });
    }

    for (const base of bases) {
      const walked = await walkCollection(base, 700);
      const ids = walked.objects.map((o) => String(o['id']));
      expect(ids.length).toBe(TOTAL);
      expect(new Set(ids).size).toBe(TOTAL);
      expect(walked.dateAdded.length).toBe(TOTAL);
      expect(strictlyIncreasing(walked.dateAdded)).toBe(true);
    }

    // A `next` token from one API continues on the other (stateless cursor).
    const [a, b] = bases;
    const p1 = await taxii(a ?? '', 'GET', `/${API_ROOT}/collections/${COLLECTION}/objects/?limit=1000`);
    const p2 = await taxii(
      b ?? '',
      'GET',
      `/${API_ROOT}/collections/${COLLECTION}/objects/?limit=1000&next=${encodeURIComponent(String(p1.body['next']))}`,
    );
    const ids1 = (p1.body['objects'] as Record<string, unknown>[]).map((o) => o['id']);
    const ids2 = (p2.body['objects'] as Record<string, unknown>[]).map((o) => o['id']);
    expect(ids1.length + ids2.length).toBe(2000);
    expect(new Set([...ids1, ...ids2]).size).toBe(2000);

    // No job had effect twice: both workers together stored each object once, ran each job once, and never
    // met one of these objects as a duplicate or resumed a job.
    let stored = 0;
    let duplicates = 0;
    let skipped = 0;
    let jobs = 0;
    for (const w of workers) {
      const text = await (await fetch(`http://127.0.0.1:${w.metricsPort}/metrics`)).text();
      stored += metricValue(text, 'ingest_objects_total', 'outcome="stored"');
      duplicates += metricValue(text, 'ingest_objects_total', 'outcome="duplicate"');
      skipped += metricValue(text, 'ingest_objects_total', 'outcome="skipped"');
      jobs += metricValue(text, 'ingest_job_duration_seconds_count');
    }
    expect({ stored, duplicates, skipped, jobs }).toEqual({
      stored: TOTAL,
      duplicates: 0,
      skipped: 0,
      jobs: POSTERS * ENVELOPES_PER_POSTER,
    });
  });
});
