/**
 * TAXII status resources in Redis, kept in the shape they are served in so that a poll costs string joins,
 * not a JSON parse and re-serialization of every result.
 *
 * One HASH per status:
 * - `meta`: JSON (StatusMeta);
 * - `p`: the posted objects' `{id, version}` details, one JSON text per line, line i = posted object i
 *   (written once, at POST);
 * - `r:<first index>`: the results of one recorded batch (see encodeBatch): the indexes it settles, its
 *   success and failure counts, the successes that only say `stored` of the posted id and version as index runs
 *   (served as their posted line with that message), and the other successes and the failures as ready-to-join
 *   JSON texts (batches recorded by earlier versions list every success as JSON text, and are still read);
 * - `done`: the completion time, once the job has finished.
 * The posted envelope waits for the worker in a STRING beside it (`statusBody`), deleted on completion. It is
 * stored Brotli-compressed (quality 1: ~0.7 µs per indicator each way, 5-10x smaller): the envelope passes
 * through Redis's memory, its AOF (a third of the AOF bytes per ingested object when stored plain) and two
 * sockets, and a backlog of queued envelopes takes that much less memory. An envelope stored plain (by an
 * earlier version) is still read.
 * Pendings are the posted objects without a result yet, so a worker that resumes after a crash sees exactly
 * what is left to do.
 */
import type { Cluster, Redis } from 'ioredis';
import type { KeyBuilder } from './keys';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { utf8Text } from '../common/text';

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
  /**
   * The detail's id and version are the posted line's (`pendingDetail` of the posted object, src/ingest/accept.ts):
   * a success whose message is one of COMPACT_MESSAGES is then kept as its index alone and served as that line with
   * the message added (the compact format: a few bytes per batch instead of ~110 per object).
   */
  readonly asPosted?: boolean;
}

/** The message of a stored object's success. */
export const STORED_MESSAGE = 'stored';
/** The message of an exact duplicate's success (nothing stored). */
export const DUPLICATE_MESSAGE = 'exact duplicate of a stored version; nothing stored';
/**
 * The success messages a compact batch keeps as index runs, in the order of their runs in the batch record. Append
 * only: a stored batch names a message by its position here.
 */
const COMPACT_MESSAGES: readonly string[] = [STORED_MESSAGE, DUPLICATE_MESSAGE];

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

/** How long a status (and its posted body) lives while its job has not completed (queued or retried). */
const PENDING_TTL_SECONDS = 7 * 24 * 3600;

/** A status detail as JSON text, with its properties in the order TAXII lists them. */
export function detailJson(d: StatusDetail): string {
  let s = `{"id":${JSON.stringify(d.id)}`;
  if (d.version !== undefined) s += `,"version":${JSON.stringify(d.version)}`;
  if (d.message !== undefined) s += `,"message":${JSON.stringify(d.message)}`;
  return `${s}}`;
}

/** The pendings line of a status: one detail per posted object, in posted order (JSON texts have no newline). */
export function pendingsText(pendings: readonly StatusDetail[]): string {
  return pendings.map(detailJson).join('\n');
}

/**
 * A status resource as JSON text. `successes`, `failures` and `pendings` are comma-joined detail texts.
 * `status` and every count come before the lists, so a client can read them from the head of a large status.
 */
export function statusJson(
  meta: Pick<StatusMeta, 'id' | 'requestTimestamp' | 'totalCount'>,
  complete: boolean,
  lists: { successes: string; successCount: number; failures: string; failureCount: number; pendings: string; pendingCount: number },
): string {
  return `${statusHead(meta, complete, lists)}"successes":[${lists.successes}],"failures":[${lists.failures}],"pendings":[${lists.pendings}]}`;
}

/** A status resource's JSON up to its lists: id, status and every count (statusJson, statusJsonBytes). */
function statusHead(
  meta: Pick<StatusMeta, 'id' | 'requestTimestamp' | 'totalCount'>,
  complete: boolean,
  counts: { successCount: number; failureCount: number; pendingCount: number },
): string {
  return (
    `{"id":${JSON.stringify(meta.id)},"status":"${complete ? 'complete' : 'pending'}",` +
    `"request_timestamp":${JSON.stringify(meta.requestTimestamp)},"total_count":${meta.totalCount},` +
    `"success_count":${counts.successCount},"failure_count":${counts.failureCount},"pending_count":${counts.pendingCount},`
  );
}

/** `0-999,1203,1205-1210`: sorted indexes as runs. */
export function encodeIndexes(sorted: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const first = sorted[i] ?? 0;
    let last = first;
    while (i + 1 < sorted.length && sorted[i + 1] === last + 1) last = sorted[++i] ?? last;
    parts.push(first === last ? String(first) : `${first}-${last}`);
    i++;
  }
  return parts.join(',');
}

export function decodeIndexes(text: string, into: Set<number>): void {
  if (text === '') return;
  for (const part of text.split(',')) {
    const dash = part.indexOf('-');
    const first = Number(dash < 0 ? part : part.slice(0, dash));
    const last = dash < 0 ? first : Number(part.slice(dash + 1));
    if (!Number.isInteger(first) || !Number.isInteger(last) || last - first > 10_000_000) continue;
    for (let i = first; i <= last; i++) into.add(i);
  }
}

/**
 * One recorded batch, in one of two layouts told apart by their number of lines (a detail's JSON text has no
 * newline nor tab: JSON.stringify escapes both):
 * - compact (6 newlines): `<indexes>\n<success count>\n<failure count>\n<compact runs>\n<other successes' indexes>\n
 *   <other successes>\n<failures>`; the compact runs are, for each of COMPACT_MESSAGES in turn and separated by
 *   `;`, the index runs of the successes with that message kept as their index alone (StatusResult.asPosted); the
 *   other successes are JSON texts joined by tabs, in the order of their indexes; all are served in index order;
 * - full (4 newlines, written by earlier versions and still read):
 *   `<indexes>\n<success count>\n<failure count>\n<successes>\n<failures>`.
 * Failures are JSON texts joined by commas in both.
 */
function encodeBatch(results: readonly StatusResult[]): { first: number; value: string } {
  // Results usually arrive in index order already; sort only when they do not.
  let ordered = true;
  for (let i = 1; i < results.length && ordered; i++) ordered = (results[i - 1]?.index ?? 0) <= (results[i]?.index ?? 0);
  const sorted = ordered ? results : [...results].sort((a, b) => a.index - b.index);
  const indexes: number[] = [];
  const compact: number[][] = COMPACT_MESSAGES.map(() => []);
  const okIndexes: number[] = [];
  const ok: string[] = [];
  const failed: string[] = [];
  for (const r of sorted) {
    indexes.push(r.index);
    if (r.outcome === 'failure') {
      failed.push(detailJson(r.detail));
    } else if (r.asPosted === true && r.detail.message !== undefined && COMPACT_MESSAGES.includes(r.detail.message)) {
      compact[COMPACT_MESSAGES.indexOf(r.detail.message)]?.push(r.index);
    } else {
      okIndexes.push(r.index);
      ok.push(detailJson(r.detail));
    }
  }
  const value =
    `${encodeIndexes(indexes)}\n${indexes.length - failed.length}\n${failed.length}\n` +
    `${compact.map(encodeIndexes).join(';')}\n${encodeIndexes(okIndexes)}\n${ok.join('\t')}\n${failed.join(',')}`;
  return { first: sorted[0]?.index ?? 0, value };
}

/** The indexes a recorded batch settles (its first line), in either layout; undefined when damaged. */
function batchIndexes(value: string): string | undefined {
  const cut = value.indexOf('\n');
  return cut < 0 ? undefined : value.slice(0, cut);
}

const BATCH_FIELD = 'r:';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toDetail(v: unknown): StatusDetail | undefined {
  if (!isRecord(v) || typeof v['id'] !== 'string') return undefined;
  return typeof v['version'] === 'string' ? { id: v['id'], version: v['version'] } : { id: v['id'] };
}

export class StatusStore {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
    private readonly completedTtlSeconds: number,
  ) {}

  /**
   * Records a new pending status and, when there is work to do, the posted envelope for the worker (one
   * MULTI: both exist or neither). `pendings` is pendingsText() of the posted objects.
   */
  async create(meta: StatusMeta, pendings: string, body?: string | Buffer): Promise<void> {
    const key = this.keys.status(meta.id);
    const packed = body === undefined ? undefined : await packBody(body);
    const m = this.redis.multi().hset(key, 'meta', JSON.stringify(meta), 'p', pendings).expire(key, PENDING_TTL_SECONDS);
    if (packed !== undefined) m.set(this.keys.statusBody(meta.id), packed, 'EX', PENDING_TTL_SECONDS);
    await m.exec();
  }

  /**
   * The posted envelope waiting for the worker, or undefined once the job completed (or it expired). Throws
   * UnreadableEnvelopeError when the stored value does not decompress (damaged in storage): retrying cannot help.
   */
  async body(statusId: string): Promise<string | undefined> {
    const raw = await this.redis.getBuffer(this.keys.statusBody(statusId));
    if (!raw) return undefined;
    let bytes: Buffer;
    try {
      bytes = await unpackBody(raw);
    } catch (err) {
      throw new UnreadableEnvelopeError(err instanceof Error ? err.message : String(err));
    }
    return utf8Text(bytes);
  }

  /** Indexes of the objects that already have a result (used to resume a retried job). */
  async settledIndexes(statusId: string): Promise<Set<number>> {
    const key = this.keys.status(statusId);
    const fields = (await this.redis.hkeys(key)).filter((f) => f.startsWith(BATCH_FIELD));
    const out = new Set<number>();
    if (fields.length === 0) return out;
    const values = await this.redis.hmget(key, ...fields);
    for (const v of values) {
      const indexes = v === null ? undefined : batchIndexes(v);
      if (indexes !== undefined) decodeIndexes(indexes, out);
    }
    return out;
  }

  /** The posted lines of a status (pendingsText at creation: line i is posted object i's `{id, version}`). */
  async postedLines(statusId: string): Promise<string[]> {
    const posted = (await this.redis.hget(this.keys.status(statusId), 'p')) ?? '';
    return posted === '' ? [] : posted.split('\n');
  }

  /** Records the results of one batch (one HSET of one field: a batch is settled entirely or not at all). */
  async record(statusId: string, results: readonly StatusResult[]): Promise<void> {
    if (results.length === 0) return;
    const { first, value } = encodeBatch(results);
    await this.redis.hset(this.keys.status(statusId), `${BATCH_FIELD}${first}`, value);
  }

  /** Marks the status complete, starts its retention period and drops the posted envelope. */
  async complete(statusId: string, completedAt: string): Promise<void> {
    const key = this.keys.status(statusId);
    await this.redis
      .multi()
      .hset(key, 'done', completedAt)
      .expire(key, this.completedTtlSeconds)
      .del(this.keys.statusBody(statusId))
      .exec();
  }

  /** Settles every object still pending as a failure with `message` (used when the posted envelope is gone). */
  async failPending(statusId: string, message: string): Promise<void> {
    const posted = (await this.redis.hget(this.keys.status(statusId), 'p')) ?? '';
    if (posted === '') return;
    const settled = await this.settledIndexes(statusId);
    const results: StatusResult[] = [];
    posted.split('\n').forEach((line, index) => {
      if (settled.has(index)) return;
      const d = toDetail(JSON.parse(line));
      results.push({
        index,
        outcome: 'failure',
        detail: { id: d?.id ?? `(object #${index})`, ...(d?.version === undefined ? {} : { version: d.version }), message },
      });
    });
    await this.record(statusId, results);
  }

  /** True once the status is marked complete. */
  async isComplete(statusId: string): Promise<boolean> {
    return (await this.redis.hexists(this.keys.status(statusId), 'done')) === 1;
  }

  async meta(statusId: string): Promise<StatusMeta | undefined> {
    const raw = await this.redis.hget(this.keys.status(statusId), 'meta');
    return raw ? parseMeta(raw) : undefined;
  }

  /**
   * The status resource as TAXII serves it (JSON bytes), or undefined when unknown or expired. Works on the
   * stored bytes: a pending 10 000-object status is ~1 MB of pendings, and decoding it into strings on every
   * poll cost more than the rest of the poll.
   */
  async getJson(statusId: string): Promise<{ meta: StatusMeta; json: Buffer } | undefined> {
    const all = await this.redis.hgetallBuffer(this.keys.status(statusId));
    const metaRaw = all['meta'];
    const meta = metaRaw ? parseMeta(metaRaw.toString('utf8')) : undefined;
    if (!meta) return undefined;
    const batches: { first: number; batch: BatchBytes }[] = [];
    for (const [field, value] of Object.entries(all)) {
      if (!field.startsWith(BATCH_FIELD)) continue;
      const batch = decodeBatchBytes(value);
      if (batch) batches.push({ first: Number(field.slice(BATCH_FIELD.length)), batch });
    }
    batches.sort((a, b) => a.first - b.first);
    let successCount = 0;
    let failureCount = 0;
    const successes: Buffer[] = [];
    const failures: Buffer[] = [];
    const posted = new PostedLines(all['p'] ?? EMPTY);
    for (const { batch } of batches) {
      successCount += batch.successCount;
      failureCount += batch.failureCount;
      const ok = successBytes(batch, posted);
      if (ok.length > 0) successes.push(ok);
      if (batch.failures.length > 0) failures.push(batch.failures);
    }
    const pendings = pendingBytes(all['p'] ?? EMPTY, batches.length === 0 ? undefined : batches);
    const complete = all['done'] !== undefined || pendings.count === 0;
    const json = statusJsonBytes(meta, complete, {
      successes,
      successCount,
      failures,
      failureCount,
      pendings: pendings.parts,
      pendingCount: pendings.count,
    });
    return { meta, json };
  }

  /** The status resource, parsed (for the CLI and tests; the HTTP handler serves getJson's bytes). */
  async get(statusId: string): Promise<{ meta: StatusMeta; resource: StatusResource } | undefined> {
    const found = await this.getJson(statusId);
    return found ? { meta: found.meta, resource: JSON.parse(found.json.toString('utf8')) as StatusResource } : undefined;
  }
}

/** The stored envelope of a status cannot be decompressed: a permanent fault of that envelope, not of Redis. */
export class UnreadableEnvelopeError extends Error {}

/**
 * Marks a compressed envelope. A stored JSON text never starts with a NUL byte, so an envelope stored plain
 * (by an earlier version) is told apart.
 */
const PACKED = Buffer.from([0, 0x62, 0x72, 0]); // NUL "br" NUL
const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);

/** Brotli quality 1 (fastest), on the libuv pool: the event loop keeps serving while a large envelope packs. */
async function packBody(body: string | Buffer): Promise<Buffer> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const packed = await brotliCompress(bytes, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  return Buffer.concat([PACKED, packed]);
}

async function unpackBody(raw: Buffer): Promise<Buffer> {
  if (raw.length < PACKED.length || !raw.subarray(0, PACKED.length).equals(PACKED)) return raw;
  return brotliDecompress(raw.subarray(PACKED.length));
}

const EMPTY = Buffer.alloc(0);
const COMMA = Buffer.from(',');
const NEWLINE = 0x0a;

/** A recorded batch as stored bytes (either layout, see encodeBatch): the counts decoded, the lists left as bytes. */
interface BatchBytes {
  readonly indexes: string;
  readonly successCount: number;
  readonly failureCount: number;
  /** Compact layout: per COMPACT_MESSAGES, `;`-separated, the index runs served as posted line + message; '' in the full layout. */
  readonly compact: string;
  /** Compact layout: index runs of `successes` (tab-joined JSON texts); undefined in the full layout (comma-joined). */
  readonly successIndexes: string | undefined;
  readonly successes: Buffer;
  readonly failures: Buffer;
}

function decodeBatchBytes(value: Buffer): BatchBytes | undefined {
  const cuts: number[] = [];
  for (let i = value.indexOf(NEWLINE); i >= 0 && cuts.length < 7; i = value.indexOf(NEWLINE, i + 1)) cuts.push(i);
  if (cuts.length !== 4 && cuts.length !== 6) return undefined;
  const [a = 0, b = 0, c = 0] = cuts;
  const successCount = Number(value.toString('latin1', a + 1, b));
  const failureCount = Number(value.toString('latin1', b + 1, c));
  if (!Number.isInteger(successCount) || !Number.isInteger(failureCount)) return undefined;
  const indexes = value.toString('latin1', 0, a);
  if (cuts.length === 4) {
    const d = cuts[3] ?? 0;
    return {
      indexes,
      successCount,
      failureCount,
      compact: '',
      successIndexes: undefined,
      successes: value.subarray(c + 1, d),
      failures: value.subarray(d + 1),
    };
  }
  const [, , , d = 0, e = 0, f = 0] = cuts;
  return {
    indexes,
    successCount,
    failureCount,
    compact: value.toString('latin1', c + 1, d),
    successIndexes: value.toString('latin1', d + 1, e),
    successes: value.subarray(e + 1, f),
    failures: value.subarray(f + 1),
  };
}

/** The posted lines of a status (its `p` field), each located once: line i = posted object i. */
class PostedLines {
  private starts: number[] | undefined;

  constructor(private readonly posted: Buffer) {}

  /** Line i without its closing brace, or undefined when there is no such line. */
  open(i: number): Buffer | undefined {
    if (this.starts === undefined) {
      const starts = this.posted.length === 0 ? [] : [0];
      for (let n = this.posted.indexOf(NEWLINE); n >= 0; n = this.posted.indexOf(NEWLINE, n + 1)) starts.push(n + 1);
      this.starts = starts;
    }
    const start = this.starts[i];
    if (start === undefined) return undefined;
    const end = (this.starts[i + 1] ?? this.posted.length + 1) - 1;
    return end > start && this.posted[end - 1] === CLOSE_BRACE ? this.posted.subarray(start, end - 1) : undefined;
  }
}

const CLOSE_BRACE = 0x7d;
const TAB = 0x09;
/** The end of a compact success's JSON: its message and the closing brace, per COMPACT_MESSAGES. */
const COMPACT_TAILS = COMPACT_MESSAGES.map((m) => Buffer.from(`,"message":${JSON.stringify(m)}}`));

/**
 * A batch's successes as comma-joined JSON bytes in index order: the full layout's as stored; the compact
 * layout's runs rendered from the posted lines, merged with its other successes.
 */
function successBytes(batch: BatchBytes, posted: PostedLines): Buffer {
  if (batch.successIndexes === undefined) return batch.successes;
  const entries: { index: number; parts: Buffer[] }[] = [];
  batch.compact.split(';').forEach((runs, k) => {
    const tail = COMPACT_TAILS[k];
    if (tail === undefined) return;
    const set = new Set<number>();
    decodeIndexes(runs, set);
    for (const i of set)
      entries.push({ index: i, parts: [posted.open(i) ?? Buffer.from(`{"id":${JSON.stringify(`(object #${i})`)}`), tail] });
  });
  const others = new Set<number>();
  decodeIndexes(batch.successIndexes, others);
  let from = 0;
  for (const i of others) {
    const tab = batch.successes.indexOf(TAB, from);
    const end = tab < 0 ? batch.successes.length : tab;
    entries.push({ index: i, parts: [batch.successes.subarray(from, end)] });
    from = end + 1;
  }
  entries.sort((x, y) => x.index - y.index);
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (parts.length > 0) parts.push(COMMA);
    parts.push(...e.parts);
  }
  return Buffer.concat(parts);
}

/** Buffers joined with commas (the members of a JSON array). */
function joinWithCommas(parts: readonly Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(COMMA);
    out.push(p);
  });
  return out;
}

/** statusJson with the three lists given as JSON bytes (successes and failures comma-joined here). */
function statusJsonBytes(
  meta: Pick<StatusMeta, 'id' | 'requestTimestamp' | 'totalCount'>,
  complete: boolean,
  lists: {
    successes: readonly Buffer[];
    successCount: number;
    failures: readonly Buffer[];
    failureCount: number;
    pendings: readonly Buffer[];
    pendingCount: number;
  },
): Buffer {
  return Buffer.concat([
    Buffer.from(`${statusHead(meta, complete, lists)}"successes":[`, 'utf8'),
    ...joinWithCommas(lists.successes),
    Buffer.from('],"failures":['),
    ...joinWithCommas(lists.failures),
    Buffer.from('],"pendings":['),
    ...lists.pendings,
    Buffer.from(']}'),
  ]);
}

/**
 * The pendings of a status as JSON bytes (comma-separated details): the posted lines without a recorded
 * result. Lines are cut at newlines (a detail's JSON text has none).
 */
function pendingBytes(posted: Buffer, batches: readonly { batch: BatchBytes }[] | undefined): { parts: Buffer[]; count: number } {
  if (posted.length === 0) return { parts: [], count: 0 };
  if (batches === undefined) {
    // Nothing recorded yet (a poll soon after the POST): every posted line, newlines turned into commas.
    const copy = Buffer.from(posted);
    let count = 1;
    for (let i = copy.indexOf(NEWLINE); i >= 0; i = copy.indexOf(NEWLINE, i + 1)) {
      copy[i] = 0x2c;
      count++;
    }
    return { parts: [copy], count };
  }
  const settled = new Set<number>();
  for (const { batch } of batches) decodeIndexes(batch.indexes, settled);
  if (settled.size === 0) return pendingBytes(posted, undefined);
  // Pending lines come in runs (batches settle ranges of indexes): one copy per run, newlines made commas.
  const parts: Buffer[] = [];
  let count = 0;
  let runStart = -1;
  const closeRun = (end: number): void => {
    if (runStart < 0) return;
    const run = Buffer.from(posted.subarray(runStart, end));
    for (let i = run.indexOf(NEWLINE); i >= 0; i = run.indexOf(NEWLINE, i + 1)) run[i] = 0x2c;
    if (parts.length > 0) parts.push(COMMA);
    parts.push(run);
    runStart = -1;
  };
  let line = 0;
  let start = 0;
  for (;;) {
    const end = posted.indexOf(NEWLINE, start);
    if (settled.has(line)) {
      closeRun(start - 1);
    } else {
      if (runStart < 0) runStart = start;
      count++;
    }
    if (end < 0) break;
    start = end + 1;
    line++;
  }
  closeRun(posted.length);
  return { parts, count };
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
