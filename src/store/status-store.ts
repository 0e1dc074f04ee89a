/**
 * TAXII status resources in Redis. One HASH per status: `meta` (JSON), `p` (the posted objects' ids and
 * versions, JSON, written once), and one field per settled object: `s:<index>` (success) or `f:<index>`
 * (failure) holding `{id, version, message}`. Pendings are the posted objects without a result yet, so a
 * worker that resumes after a crash sees exactly what is left to do.
 */
import type { Cluster, Redis } from 'ioredis';
import type { KeyBuilder } from './keys';

export interface StatusDetail {
  readonly id: string;
  readonly version?: string;
  readonly message?: string;
}

export interface StatusMeta {
  readonly id: string;
  /** Principal name that posted (only it, or an admin, may read the status). */
  readonly owner: string;
  readonly apiRoot: string;
  readonly collectionId: string;
  /** RFC 3339 with µs. */
  readonly requestTimestamp: string;
  readonly totalCount: number;
}

export interface StatusResult {
  readonly index: number;
  readonly outcome: 'success' | 'failure';
  readonly detail: StatusDetail;
}

export interface StatusResource {
  readonly id: string;
  readonly status: 'complete' | 'pending';
  readonly request_timestamp: string;
  readonly total_count: number;
  readonly success_count: number;
  readonly successes: StatusDetail[];
  readonly failure_count: number;
  readonly failures: StatusDetail[];
  readonly pending_count: number;
  readonly pendings: StatusDetail[];
}

/** How long a status lives while its job has not completed (the job may wait in the queue or be retried). */
const PENDING_TTL_SECONDS = 7 * 24 * 3600;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toDetail(v: unknown): StatusDetail | undefined {
  if (!isRecord(v) || typeof v['id'] !== 'string') return undefined;
  const d: { id: string; version?: string; message?: string } = { id: v['id'] };
  if (typeof v['version'] === 'string') d.version = v['version'];
  if (typeof v['message'] === 'string') d.message = v['message'];
  return d;
}

export class StatusStore {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
    private readonly completedTtlSeconds: number,
  ) {}

  async create(meta: StatusMeta, pendings: readonly StatusDetail[]): Promise<void> {
    const key = this.keys.status(meta.id);
    await this.redis
      .multi()
      .hset(key, 'meta', JSON.stringify(meta), 'p', JSON.stringify(pendings))
      .expire(key, PENDING_TTL_SECONDS)
      .exec();
  }

  /** Indexes of the objects that already have a result (used to resume a retried job). */
  async settledIndexes(statusId: string): Promise<Set<number>> {
    const fields = await this.redis.hkeys(this.keys.status(statusId));
    const out = new Set<number>();
    for (const f of fields) if (f.startsWith('s:') || f.startsWith('f:')) out.add(Number(f.slice(2)));
    return out;
  }

  async record(statusId: string, results: readonly StatusResult[]): Promise<void> {
    if (results.length === 0) return;
    const args: string[] = [];
    for (const r of results) args.push(`${r.outcome === 'success' ? 's' : 'f'}:${r.index}`, JSON.stringify(r.detail));
    await this.redis.hset(this.keys.status(statusId), ...args);
  }

  /** Marks the status complete and starts its retention period. */
  async complete(statusId: string, completedAt: string): Promise<void> {
    const key = this.keys.status(statusId);
    await this.redis.multi().hset(key, 'done', completedAt).expire(key, this.completedTtlSeconds).exec();
  }

  async meta(statusId: string): Promise<StatusMeta | undefined> {
    const raw = await this.redis.hget(this.keys.status(statusId), 'meta');
    return raw ? parseMeta(raw) : undefined;
  }

  /** The status resource as TAXII serves it, or undefined when unknown or expired. */
  async get(statusId: string): Promise<{ meta: StatusMeta; resource: StatusResource } | undefined> {
    const all = await this.redis.hgetall(this.keys.status(statusId));
    const metaRaw = all['meta'];
    const meta = metaRaw ? parseMeta(metaRaw) : undefined;
    if (!meta) return undefined;
    const posted: unknown = JSON.parse(all['p'] ?? '[]');
    const postedList = Array.isArray(posted) ? posted : [];
    const successes: { i: number; d: StatusDetail }[] = [];
    const failures: { i: number; d: StatusDetail }[] = [];
    const settled = new Set<number>();
    for (const [field, value] of Object.entries(all)) {
      const kind = field.slice(0, 2);
      if (kind !== 's:' && kind !== 'f:') continue;
      const i = Number(field.slice(2));
      const d = toDetail(JSON.parse(value));
      if (!d) continue;
      settled.add(i);
      (kind === 's:' ? successes : failures).push({ i, d });
    }
    const byIndex = (a: { i: number }, b: { i: number }): number => a.i - b.i;
    successes.sort(byIndex);
    failures.sort(byIndex);
    const pendings: StatusDetail[] = [];
    postedList.forEach((p: unknown, i: number) => {
      if (settled.has(i)) return;
      const d = toDetail(p);
      if (d) pendings.push(d);
    });
    const complete = all['done'] !== undefined || pendings.length === 0;
    return {
      meta,
      resource: {
        id: meta.id,
        status: complete ? 'complete' : 'pending',
        request_timestamp: meta.requestTimestamp,
        total_count: meta.totalCount,
        success_count: successes.length,
        successes: successes.map((s) => s.d),
        failure_count: failures.length,
        failures: failures.map((f) => f.d),
        pending_count: pendings.length,
        pendings,
      },
    };
  }
}

function parseMeta(raw: string): StatusMeta | undefined {
  const v: unknown = JSON.parse(raw);
  if (!isRecord(v)) return undefined;
  const { id, owner, apiRoot, collectionId, requestTimestamp, totalCount } = v;
  if (
    typeof id !== 'string' ||
    typeof owner !== 'string' ||
    typeof apiRoot !== 'string' ||
    typeof collectionId !== 'string' ||
    typeof requestTimestamp !== 'string' ||
    typeof totalCount !== 'number'
  ) {
    return undefined;
  }
  return { id, owner, apiRoot, collectionId, requestTimestamp, totalCount };
}
