/** Wiring of metrics to the worker's and the Redis connections' events (composition root helpers). */
import type { Job, Worker } from 'bullmq';
import type { GatewayMetrics, IngestCounts } from './metrics';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function countsOf(v: unknown): IngestCounts | undefined {
  if (!isRecord(v)) return undefined;
  const n = (k: string): number => (typeof v[k] === 'number' ? Number(v[k]) : 0);
  return { stored: n('stored'), duplicates: n('duplicates'), merged: n('merged'), failed: n('failed'), skipped: n('skipped') };
}

function secondsOf(job: Job | undefined): number {
  if (!job?.processedOn) return 0;
  return Math.max(0, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000);
}

/** Counts job durations and per-collection object outcomes from the worker's completed/failed events. */
export function instrumentWorker(worker: Worker, metrics: GatewayMetrics): void {
  worker.on('completed', (job: Job, result: unknown) => {
    const data: unknown = job.data;
    const collection = isRecord(data) && typeof data['collectionId'] === 'string' ? data['collectionId'] : 'unknown';
    const counts = countsOf(result);
    if (counts) metrics.observeJob(collection, counts, secondsOf(job));
  });
  worker.on('failed', (job: Job | undefined) => metrics.observeFailedJob(secondsOf(job)));
}

interface ErrorSource {
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * Counts and logs the errors of a Redis connection (listening also keeps ioredis from printing them as
 * unhandled). Repeated errors while Redis is down are logged at most once per 5 s per connection.
 */
export function watchRedisErrors(
  redis: ErrorSource,
  connection: string,
  metrics: GatewayMetrics,
  log: { warn(obj: Record<string, unknown>, msg?: string): void },
): void {
  let lastLog = 0;
  redis.on('error', (err: Error) => {
    metrics.redisErrors.inc({ connection });
    const now = Date.now();
    if (now - lastLog >= 5000) {
      lastLog = now;
      log.warn({ connection, err: err.message }, 'redis connection error');
    }
  });
}
