/**
 * An audit trail that appends in batches: `record` queues the event and the queue is written with one
 * pipeline (src/audit/audit-log.ts `appendSerialized`) at most `intervalMs` later, or as soon as `maxEntries` are
 * waiting. This takes the per-request round trip to Redis off the API's request path; events keep their order
 * and their fields (the `time` field is still the end of the request; the stream id, which is the paging
 * cursor, is the time of the append, at most `intervalMs` later). Events are serialized when recorded, so
 * the queue holds one string per event rather than the event's objects (less for the GC to copy).
 *
 * What can be lost: the events still queued when the process dies without a graceful shutdown (at most
 * `intervalMs` of them). `close()` (the graceful shutdown) writes the queue, and so does `query()`, so a
 * reader on the same replica sees its own requests. The promise `record` returns settles with its batch's
 * append, so a failed append is still reported per event.
 */
import type { AuditEvent } from './audit-event';
import type { AuditPage, AuditQuery, AuditTrail, RedisAuditLog } from './audit-log';

export interface AuditBatchOptions {
  /** Longest an event waits in the queue (default 100 ms). */
  readonly intervalMs?: number;
  /** Queue length that triggers an append at once (default 256). */
  readonly maxEntries?: number;
}

interface Batch {
  /** The events, serialized when recorded: one flat string each is all that waits in memory. */
  readonly entries: string[];
  readonly done: Promise<void>;
  settle(err?: unknown): void;
}

function newBatch(): Batch {
  let settle: (err?: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = (err?: unknown): void => (err === undefined ? resolve() : reject(err));
  });
  // Callers attach their own handlers; this one only keeps a batch nobody waits for from being "unhandled".
  done.catch(() => undefined);
  return { entries: [], done, settle };
}

export class BatchedAuditLog implements AuditTrail {
  private readonly intervalMs: number;
  private readonly maxEntries: number;
  private batch: Batch | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The append in progress (appends run one after the other, so the stream keeps the order of events). */
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly log: Pick<RedisAuditLog, 'appendSerialized' | 'query'>,
    opts: AuditBatchOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 100;
    this.maxEntries = Math.max(1, opts.maxEntries ?? 256);
  }

  record(event: AuditEvent): Promise<void> {
    const batch = (this.batch ??= newBatch());
    batch.entries.push(JSON.stringify(event));
    if (this.closed || batch.entries.length >= this.maxEntries) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
    return batch.done;
  }

  /** Appends what is queued; resolves when everything queued before the call is written (or failed). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.batch;
    this.batch = undefined;
    if (batch) {
      this.writing = this.writing.then(() =>
        this.log.appendSerialized(batch.entries).then(
          () => batch.settle(),
          (err: unknown) => batch.settle(err),
        ),
      );
    }
    return this.writing;
  }

  async query(q: AuditQuery): Promise<AuditPage> {
    await this.flush();
    return this.log.query(q);
  }

  /** Graceful shutdown: writes the queue; later events are appended at once. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }
}
