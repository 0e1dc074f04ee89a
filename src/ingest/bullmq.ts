/**
 * The ingest queue on BullMQ: one job per POST (job id = status id, so a repeated enqueue is harmless),
 * retried with exponential backoff on faults, and the worker that runs processIngestJob.
 */
import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import { INGEST_QUEUE_NAME, isJobData, type IngestJobData, type IngestQueue } from './job';
import { processIngestJob, type JobSummary, type ProcessDeps } from './process-job';

export interface QueueSettings {
  readonly connection: ConnectionOptions;
  /** Hash-tagged prefix from the key builder (e.g. `{gw-queue}`), so every queue key is in one cluster slot. */
  readonly prefix: string;
}

export class BullIngestQueue implements IngestQueue {
  private readonly queue: Queue;

  constructor(settings: QueueSettings) {
    this.queue = new Queue(INGEST_QUEUE_NAME, {
      connection: settings.connection,
      prefix: settings.prefix,
      defaultJobOptions: {
        attempts: 12,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
  }

  async enqueue(job: IngestJobData): Promise<void> {
    await this.queue.add('envelope', job, { jobId: job.statusId });
  }

  /** Jobs waiting or running (for readiness and metrics). */
  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export interface WorkerSettings extends QueueSettings {
  /** Jobs processed at once by this process (default 2). */
  readonly concurrency?: number;
  /** How long a job lock lasts without renewal; a crashed worker's job is taken over after this (default 30 s). */
  readonly lockDurationMs?: number;
  /** How often stalled jobs are looked for (default 30 s). */
  readonly stalledIntervalMs?: number;
  readonly onCompleted?: (data: IngestJobData, summary: JobSummary) => void;
  readonly onFailed?: (statusId: string | undefined, err: Error) => void;
}

export function startIngestWorker(settings: WorkerSettings, deps: ProcessDeps): Worker {
  const worker = new Worker(
    INGEST_QUEUE_NAME,
    async (job) => {
      const data: unknown = job.data;
      if (!isJobData(data)) throw new UnrecoverableError('malformed ingest job payload');
      const summary = await processIngestJob(data, deps);
      settings.onCompleted?.(data, summary);
      return summary;
    },
    {
      connection: settings.connection,
      prefix: settings.prefix,
      concurrency: settings.concurrency ?? 2,
      lockDuration: settings.lockDurationMs ?? 30_000,
      stalledInterval: settings.stalledIntervalMs ?? 30_000,
      maxStalledCount: 5,
    },
  );
  worker.on('failed', (job, err) => settings.onFailed?.(job?.id, err));
  // Errors of the worker's own connection are retried by BullMQ; listening keeps them from crashing the process.
  worker.on('error', (err) => settings.onFailed?.(undefined, err));
  return worker;
}
