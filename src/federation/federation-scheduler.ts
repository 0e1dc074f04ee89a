/**
 * Sources and sinks on a schedule: one BullMQ job scheduler per endpoint in the queue `federation` (prefix
 * from the key builder), upserted at start-up so several workers agree on one schedule, and a worker that
 * runs each job through the FederationRunner (whose Redis lock keeps one run per endpoint at a time).
 * Schedulers of endpoints no longer in the config are removed.
 */
import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import type { FederationSchedule, GatewayConfig } from '../config/types';
import type { Logger } from '../common/logger';
import type { EndpointKind } from './federation-state';
import type { FederationRunner, RunResult } from './federation-runner';

export const FEDERATION_QUEUE_NAME = 'federation';

export interface FederationJobData {
  readonly kind: EndpointKind;
  readonly name: string;
}

function isJobData(v: unknown): v is FederationJobData {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (r['kind'] === 'source' || r['kind'] === 'sink') && typeof r['name'] === 'string';
}

function repeatOf(s: FederationSchedule): { every: number } | { pattern: string } {
  return 'every_seconds' in s ? { every: s.every_seconds * 1000 } : { pattern: s.cron };
}

export function schedulerId(kind: EndpointKind, name: string): string {
  return `${kind}:${name}`;
}

export interface FederationSchedulerSettings {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly config: GatewayConfig;
  readonly runner: FederationRunner;
  readonly log: Logger;
  /** Endpoints run at once by this process (default 2). */
  readonly concurrency?: number;
  readonly onRun?: (result: RunResult) => void;
}

export interface RunningScheduler {
  close(): Promise<void>;
}

/** Upserts the schedules and starts the worker; with no source or sink it only removes stale schedules. */
export async function startFederationScheduler(s: FederationSchedulerSettings): Promise<RunningScheduler> {
  const queue = new Queue(FEDERATION_QUEUE_NAME, {
    connection: s.connection,
    prefix: s.prefix,
    defaultJobOptions: { removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } },
  });
  const wanted = new Map<string, { data: FederationJobData; schedule: FederationSchedule }>();
  for (const src of s.config.sources)
    wanted.set(schedulerId('source', src.name), { data: { kind: 'source', name: src.name }, schedule: src.schedule });
  for (const snk of s.config.sinks)
    wanted.set(schedulerId('sink', snk.name), { data: { kind: 'sink', name: snk.name }, schedule: snk.schedule });
  for (const existing of await queue.getJobSchedulers()) {
    if (existing.key !== undefined && !wanted.has(existing.key)) await queue.removeJobScheduler(existing.key);
  }
  for (const [id, w] of wanted) {
    await queue.upsertJobScheduler(id, repeatOf(w.schedule), { name: w.data.kind, data: w.data });
  }
  if (wanted.size === 0) {
    await queue.close();
    return { close: async () => undefined };
  }
  const worker = new Worker(
    FEDERATION_QUEUE_NAME,
    async (job) => {
      const data: unknown = job.data;
      if (!isJobData(data)) throw new UnrecoverableError('malformed federation job payload');
      const result = await s.runner.run(data.kind, data.name);
      s.onRun?.(result);
      return result;
    },
    { connection: s.connection, prefix: s.prefix, concurrency: s.concurrency ?? 2 },
  );
  worker.on('error', (err) => s.log.warn({ err: err.message }, 'federation worker error'));
  s.log.info({ sources: s.config.sources.length, sinks: s.config.sinks.length }, 'federation scheduler running');
  return {
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
