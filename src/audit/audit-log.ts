/**
 * The audit trail in Redis: one append-only STREAM (key from src/store/keys.ts), each entry one field `e`
 * holding the event as JSON. Capped on every append by length (XADD MAXLEN ~ max_entries) and by age
 * (XTRIM MINID now - max_age_days, exact; its cost is the number of entries removed).
 *
 * Reads page through the stream by id (ms timestamp + sequence) and filter on the decoded events; a query
 * examines at most `scanBudget` entries and returns `next` to continue, so a filter that matches rarely never
 * turns one request into a full scan.
 */
import type { Cluster, Redis } from 'ioredis';
import type { AuditConfig } from '../config/types';
import type { KeyBuilder } from '../store/keys';
import { type AuditAction, type AuditEntry, type AuditEvent, parseAuditEvent } from './audit-event';

/** Where audit events go; the HTTP layer, the worker and the CLI depend on this only. */
export interface AuditSink {
  record(event: AuditEvent): Promise<void>;
}

/** A sink that can also be read back (the audit endpoint and the CLI). */
export interface AuditTrail extends AuditSink {
  query(q: AuditQuery): Promise<AuditPage>;
}

export interface AuditQuery {
  /** Inclusive lower bound, ms since the epoch (0 = from the start). */
  readonly sinceMs: number;
  /** Inclusive upper bound, ms since the epoch; absent = now. */
  readonly untilMs?: number;
  readonly principal?: string;
  readonly collection?: string;
  readonly action?: AuditAction;
  /** Most entries returned. */
  readonly limit: number;
  /** Continue after this stream id (exclusive), from a previous page's `next`. */
  readonly after?: string;
}

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  /** Stream id to continue after, when more entries may follow. */
  readonly next?: string;
}

const STREAM_ID = /^\d{1,15}-\d{1,15}$/;
const DAY_MS = 86_400_000;

/** True for a stream id as Redis writes it (used to validate `next` from clients). */
export function isStreamId(s: string): boolean {
  return STREAM_ID.test(s);
}

export class RedisAuditLog implements AuditTrail {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
    private readonly retention: AuditConfig,
    private readonly now: () => number = Date.now,
    /** Most stream entries examined per query. */
    private readonly scanBudget = 10_000,
  ) {}

  async record(event: AuditEvent): Promise<void> {
    await this.recordAll([event]);
  }

  /** Appends events in order with one pipeline (one round trip), then applies the retention once. */
  async recordAll(events: readonly AuditEvent[]): Promise<void> {
    await this.appendSerialized(events.map((e) => JSON.stringify(e)));
  }

  /** recordAll for events already serialized with JSON.stringify. */
  async appendSerialized(entries: readonly string[]): Promise<void> {
    if (entries.length === 0) return;
    const key = this.keys.audit;
    const minId = Math.max(0, this.now() - this.retention.max_age_days * DAY_MS);
    const maxLen = String(this.retention.max_entries);
    const p = this.redis.pipeline();
    for (const entry of entries) p.xadd(key, 'MAXLEN', '~', maxLen, '*', 'e', entry);
    const results = await p.xtrim(key, 'MINID', `${minId}-0`).exec();
    const failed = results?.find(([err]) => err !== null)?.[0];
    if (failed) throw failed;
  }

  async query(q: AuditQuery): Promise<AuditPage> {
    const key = this.keys.audit;
    let start = q.after !== undefined && isStreamId(q.after) ? `(${q.after}` : `${Math.max(0, Math.floor(q.sinceMs))}-0`;
    const end = q.untilMs === undefined ? '+' : `${Math.floor(q.untilMs)}-18446744073709551615`;
    const entries: AuditEntry[] = [];
    let scanned = 0;
    let lastId: string | undefined;
    while (scanned < this.scanBudget && entries.length < q.limit) {
      const batch = Math.min(1000, this.scanBudget - scanned);
      const raw = await this.redis.xrange(key, start, end, 'COUNT', batch);
      for (const [id, fields] of raw) {
        scanned++;
        lastId = id;
        const event = decode(fields);
        if (event && matches(event, q)) entries.push({ id, ...event });
        if (entries.length >= q.limit) break;
      }
      if (raw.length < batch || lastId === undefined) {
        // The stream is exhausted unless the page filled up exactly on the last entry read.
        if (entries.length < q.limit) return { entries };
        break;
      }
      start = `(${lastId}`;
    }
    if (lastId === undefined) return { entries };
    const more = await this.redis.xrange(key, `(${lastId}`, end, 'COUNT', 1);
    return more.length > 0 ? { entries, next: lastId } : { entries };
  }
}

function decode(fields: readonly string[]): AuditEvent | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== 'e') continue;
    try {
      return parseAuditEvent(JSON.parse(fields[i + 1] ?? ''));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function matches(e: AuditEvent, q: AuditQuery): boolean {
  return (
    (q.principal === undefined || e.principal === q.principal) &&
    (q.collection === undefined || e.collection === q.collection) &&
    (q.action === undefined || e.action === q.action)
  );
}
