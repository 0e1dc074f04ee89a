/**
 * What survives between runs of a source or sink, in Redis (keys from src/store/keys.ts):
 * - a source's resume point: the last remote date_added it has handed to the ingest queue, plus the
 *   `<id>|<version>` of the objects received at that point (an inclusive server returns them again);
 * - a sink's resume point: the last local date_added (µs) it has forwarded;
 * - the last run (when, what it did) and the last error, for `sync --status` and metrics;
 * - per sink, a capped stream of what the remote answered for each forwarded object.
 */
import type { Cluster, Redis } from 'ioredis';
import type { KeyBuilder } from '../store/keys';
import type { RemoteTimestamp } from './taxii-client';

export type EndpointKind = 'source' | 'sink';

/** Where a source resumes: after `after` (remote date_added), skipping what `seen` lists at that point. */
export interface SourceCursor {
  readonly after?: RemoteTimestamp;
  /** `<id>|<version>` of objects already received whose date_added may equal `after`. */
  readonly seen: readonly string[];
}

/** What one run did (stored as JSON in the state hash). */
export interface RunSummary {
  readonly objects: number;
  readonly pages: number;
  /** Ingest status ids (sources) or remote status ids (sinks), at most 20 kept. */
  readonly statuses: readonly string[];
  /** Sinks: objects the remote accepted and refused. */
  readonly accepted?: number;
  readonly refused?: number;
  /** True when the run stopped at max_objects_per_run with more to move. */
  readonly truncated: boolean;
}

export interface EndpointState {
  readonly kind: EndpointKind;
  readonly name: string;
  /** Source: remote date_added text; sink: local date_added as RFC 3339. Absent before the first page. */
  readonly cursor?: string;
  readonly lastRunStarted?: string;
  readonly lastRunFinished?: string;
  readonly lastSummary?: RunSummary;
  readonly lastError?: string;
  readonly lastErrorAt?: string;
  readonly runs: number;
  readonly objectsTotal: number;
}

/** One object's outcome at the remote, as recorded by a sink. */
export interface ForwardOutcome {
  readonly id: string;
  readonly version?: string;
  readonly outcome: 'success' | 'failure' | 'pending';
  readonly message?: string;
  readonly statusId: string;
}

/** Most `seen` entries kept at one resume point (a page of the largest allowed size). */
export const MAX_SEEN_AT_CURSOR = 10_000;
/** Approximate cap of a sink's outcome stream. */
export const MAX_OUTCOMES = 100_000;

function parseSeen(text: string | undefined): string[] {
  if (text === undefined) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

function parseSummary(text: string | undefined): RunSummary | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const r = v as Record<string, unknown>;
    if (typeof r['objects'] !== 'number' || typeof r['pages'] !== 'number' || typeof r['truncated'] !== 'boolean') return undefined;
    const statuses = Array.isArray(r['statuses']) ? r['statuses'].filter((s): s is string => typeof s === 'string') : [];
    return {
      objects: r['objects'],
      pages: r['pages'],
      statuses,
      truncated: r['truncated'],
      ...(typeof r['accepted'] === 'number' ? { accepted: r['accepted'] } : {}),
      ...(typeof r['refused'] === 'number' ? { refused: r['refused'] } : {}),
    };
  } catch {
    return undefined;
  }
}

export class FederationState {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
  ) {}

  async sourceCursor(name: string): Promise<SourceCursor> {
    const [text, micros, seen] = await this.redis.hmget(this.keys.federation('source', name).state, 'cursor', 'cursor_micros', 'seen');
    if (text === null || text === undefined || micros === null || micros === undefined || !/^\d{1,17}$/.test(micros))
      return { seen: parseSeen(seen ?? undefined) };
    return { after: { text, micros: Number(micros) }, seen: parseSeen(seen ?? undefined) };
  }

  async saveSourceCursor(name: string, cursor: SourceCursor): Promise<void> {
    const key = this.keys.federation('source', name).state;
    const seen = JSON.stringify(cursor.seen.slice(-MAX_SEEN_AT_CURSOR));
    if (cursor.after === undefined) await this.redis.hset(key, 'seen', seen);
    else await this.redis.hset(key, 'cursor', cursor.after.text, 'cursor_micros', String(cursor.after.micros), 'seen', seen);
  }

  /** The local date_added (µs) a sink has forwarded up to; 0 before its first run. */
  async sinkCursor(name: string): Promise<number> {
    const v = await this.redis.hget(this.keys.federation('sink', name).state, 'cursor_micros');
    return v !== null && /^\d{1,17}$/.test(v) ? Number(v) : 0;
  }

  async saveSinkCursor(name: string, micros: number, text: string): Promise<void> {
    await this.redis.hset(this.keys.federation('sink', name).state, 'cursor_micros', String(micros), 'cursor', text);
  }

  async runStarted(kind: EndpointKind, name: string, at: string): Promise<void> {
    await this.redis.hset(this.keys.federation(kind, name).state, 'last_run_started', at);
  }

  async runSucceeded(kind: EndpointKind, name: string, at: string, summary: RunSummary): Promise<void> {
    const key = this.keys.federation(kind, name).state;
    await this.redis
      .multi()
      .hset(key, 'last_run_finished', at, 'last_summary', JSON.stringify({ ...summary, statuses: summary.statuses.slice(-20) }))
      .hdel(key, 'last_error', 'last_error_at')
      .hincrby(key, 'runs', 1)
      .hincrby(key, 'objects_total', summary.objects)
      .exec();
  }

  async runFailed(kind: EndpointKind, name: string, at: string, message: string, partial: RunSummary): Promise<void> {
    const key = this.keys.federation(kind, name).state;
    await this.redis
      .multi()
      .hset(
        key,
        'last_run_finished',
        at,
        'last_error',
        message.slice(0, 2000),
        'last_error_at',
        at,
        'last_summary',
        JSON.stringify({ ...partial, statuses: partial.statuses.slice(-20) }),
      )
      .hincrby(key, 'runs', 1)
      .hincrby(key, 'objects_total', partial.objects)
      .exec();
  }

  async state(kind: EndpointKind, name: string): Promise<EndpointState> {
    const h = await this.redis.hgetall(this.keys.federation(kind, name).state);
    const opt = <K extends string>(k: K, v: string | undefined): Partial<Record<K, string>> =>
      v === undefined ? {} : ({ [k]: v } as Partial<Record<K, string>>);
    const summary = parseSummary(h['last_summary']);
    return {
      kind,
      name,
      ...opt('cursor', h['cursor']),
      ...opt('lastRunStarted', h['last_run_started']),
      ...opt('lastRunFinished', h['last_run_finished']),
      ...(summary === undefined ? {} : { lastSummary: summary }),
      ...opt('lastError', h['last_error']),
      ...opt('lastErrorAt', h['last_error_at']),
      runs: Number(h['runs'] ?? '0') || 0,
      objectsTotal: Number(h['objects_total'] ?? '0') || 0,
    };
  }

  /** Appends per-object outcomes of a sink to its stream, trimmed to about MAX_OUTCOMES entries. */
  async recordOutcomes(sinkName: string, outcomes: readonly ForwardOutcome[], at: string): Promise<void> {
    if (outcomes.length === 0) return;
    const key = this.keys.federation('sink', sinkName).outcomes;
    const m = this.redis.multi();
    for (const o of outcomes) {
      m.xadd(
        key,
        'MAXLEN',
        '~',
        String(MAX_OUTCOMES),
        '*',
        'id',
        o.id,
        'version',
        o.version ?? '',
        'outcome',
        o.outcome,
        'message',
        (o.message ?? '').slice(0, 500),
        'status',
        o.statusId,
        'at',
        at,
      );
    }
    await m.exec();
  }

  /** The most recent outcomes of a sink, newest first. */
  async recentOutcomes(sinkName: string, count: number): Promise<ForwardOutcome[]> {
    const rows = await this.redis.xrevrange(this.keys.federation('sink', sinkName).outcomes, '+', '-', 'COUNT', count);
    return rows.map(([, fields]) => {
      const f = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i] ?? '', fields[i + 1] ?? '');
      const outcome = f.get('outcome');
      const version = f.get('version');
      const message = f.get('message');
      return {
        id: f.get('id') ?? '',
        ...(version ? { version } : {}),
        outcome: outcome === 'success' || outcome === 'failure' ? outcome : 'pending',
        ...(message ? { message } : {}),
        statusId: f.get('status') ?? '',
      };
    });
  }
}
