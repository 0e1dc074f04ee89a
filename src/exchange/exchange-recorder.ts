/**
 * Keeps the exchange counters as data flows (the console's charts and the exchange report read them; nothing
 * scans the audit stream or the collections to draw a chart). The ingest worker reports each object's outcome,
 * the read endpoints report the records they served, and the inquiries use case reports its events; counts
 * are gathered in memory and written with one pipeline per flush (at the end of each ingest job, and at most
 * `intervalMs` after a read), into per-collection, per-UTC-day hashes that expire after RETENTION_DAYS.
 *
 * What it costs: a flush of read pages is one script call per (collection, reader) recording the first pulls
 * (src/store/lua/first-pulls.lua) of the records not yet known to be recorded, plus a few HINCRBYs; a reader
 * paging records it already pulled costs no script at all (`firstPullMemory`). An ingest job adds one HMGET of
 * its stored indicators' values per other collection that holds indicators (the overlap).
 * What can be lost: counts gathered but not yet flushed when a process dies (the audit trail still has the
 * accesses). Deleting an object does not lower the counts: they count what was shared and pulled.
 */
import type { Cluster, Redis } from 'ioredis';
import type { GatewayConfig } from '../config/types';
import { recordTlpRank } from '../policy/record-rank';
import type { PreparedObject } from '../stix/prepare';
import { valueDigests, valueDigestsOf } from '../store/indicator-entries';
import type { KeyBuilder } from '../store/keys';
import { defineStoreScripts } from '../store/scripts';
import type { ObjectsPage, ObjectStore, StoreOutcome } from '../store/types';
import { DAY_MS, Field, RETENTION_DAYS, dayOf, delayBucket, isoDay, type InquiryEvent, weekOf } from './exchange-day';

/** Values per HMGET when looking for overlaps with another collection (and ids per read of their ranks). */
const OVERLAP_CHUNK = 1000;

/** Indicators of the other collection whose rank counts for one shared value (the first ones holding it). */
const OVERLAP_IDS = 20;

/** The highest rank a reader may be given (above it: withheld records, which no overlap counts). */
const READER_RANK = 4;

/**
 * Default number of served records (date_added values) each process remembers as having their first pull
 * recorded; past it the memory starts over (~40 bytes a record: ~10 MB).
 */
export const FIRST_PULL_MEMORY = 262_144;

/** How many latest additions each collection remembers (the collections page shows those a viewer may see). */
export const RECENT_ADDITIONS = 200;

/** A page's served records as columns: the columns of the store's ObjectsPage the counters need. */
export type ServedColumns = Pick<ObjectsPage, 'ids' | 'dateAdded' | 'tlpRanks'>;

/** The part of a served record the counters need. */
export interface ServedRecord {
  readonly id: string;
  readonly dateAdded: number;
  readonly tlpRank: number;
}

interface StoredEntry {
  readonly id: string;
  readonly rank: number;
  readonly dateAdded: number;
  readonly digests: readonly string[];
}

interface Pending {
  /** collection → day → field → increment (totals and details apart). */
  totals: Map<string, Map<string, Map<string, number>>>;
  details: Map<string, Map<string, Map<string, number>>>;
  stored: Map<string, StoredEntry[]>;
  /**
   * `collection|reader` → the reads since the last flush: each read's time (ms) and the records it served whose
   * first pull was not known to be recorded.
   */
  served: Map<string, { readonly at: number; readonly records: readonly ServedRecord[] }[]>;
}

function empty(): Pending {
  return { totals: new Map(), details: new Map(), stored: new Map(), served: new Map() };
}

function bump(target: Map<string, Map<string, Map<string, number>>>, collection: string, day: string, field: string, by = 1): void {
  let days = target.get(collection);
  if (!days) target.set(collection, (days = new Map()));
  let fields = days.get(day);
  if (!fields) days.set(day, (fields = new Map()));
  fields.set(field, (fields.get(field) ?? 0) + by);
}

/** The code an ingest failure message starts with (`CODE: …` or `CODE at /path: …`); OTHER when none. */
export function refusalCode(message: string): string {
  const m = /^([A-Z][A-Z0-9_]{1,63})\b/.exec(message);
  return m?.[1] ?? 'OTHER';
}

export interface ExchangeRecorderOptions {
  /** Longest a read's counts wait before they are written (default 50 ms: smaller flushes, shorter stalls of the reads). */
  readonly intervalMs?: number;
  readonly now?: () => number;
  /** The store, to rank the other side of an overlap (absent: overlaps are not counted). */
  readonly store?: ObjectStore;
  /** Most served records remembered as recorded (default FIRST_PULL_MEMORY; 0: none, every flush asks Redis). */
  readonly firstPullMemory?: number;
}

export class ExchangeRecorder {
  private pending: Pending = empty();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly admins: ReadonlySet<string>;
  /**
   * `collection|reader` → date_added values of records whose object's first pull by that reader is known to be
   * in Redis (a first-pulls script answered for it). A date_added names one stored record for good and the
   * first-pull hashes are never trimmed, so skipping these can only skip a pull that is not a first one.
   */
  private recorded = new Map<string, Set<number>>();
  private recordedCount = 0;
  private readonly firstPullMemory: number;
  /** Collections whose value index was seen to exist (overlaps look up only those; collectionsWithValues). */
  private readonly withValues = new Set<string>();

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
    private readonly config: GatewayConfig,
    private readonly opts: ExchangeRecorderOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 50;
    this.now = opts.now ?? Date.now;
    this.firstPullMemory = opts.firstPullMemory ?? FIRST_PULL_MEMORY;
    this.admins = new Set(config.principals.filter((p) => p.admin).map((p) => p.name));
    defineStoreScripts(redis);
  }

  /**
   * One object's store outcome (the worker, src/ingest/process-job.ts); failures are reported by `refused`.
   * `valueDigestsKnown`: the value digests of the object's store item, when the caller has them.
   */
  stored(collectionId: string, p: PreparedObject, out: StoreOutcome | undefined, valueDigestsKnown?: readonly string[]): void {
    const day = dayOf(this.now());
    if (out?.kind === 'stored') {
      const rank = recordTlpRank(p.type, p.markingRefs, p.json);
      bump(this.pending.totals, collectionId, day, Field.shared(rank));
      bump(this.pending.details, collectionId, day, Field.type(p.type, rank));
      // The worker hands over the digests it computed for the store call (the same function of the same values).
      const digests =
        valueDigestsKnown ??
        (p.stixPattern === undefined ? [] : p.comparedValues ? valueDigestsOf(p.comparedValues) : valueDigests(p.stixPattern));
      let list = this.pending.stored.get(collectionId);
      if (!list) this.pending.stored.set(collectionId, (list = []));
      list.push({ id: p.id, rank, dateAdded: out.dateAdded, digests });
    } else if (out?.kind === 'duplicate' || out?.kind === 'merged') {
      const rank = recordTlpRank(p.type, p.markingRefs, p.json);
      bump(this.pending.totals, collectionId, day, out.kind === 'duplicate' ? Field.duplicate(rank) : Field.folded(rank));
    }
  }

  /** An object refused at ingest (validation or write rules), by the code its failure message starts with. */
  refused(collectionId: string, writer: string, code: string): void {
    const day = dayOf(this.now());
    bump(this.pending.totals, collectionId, day, Field.refused(writer));
    bump(this.pending.details, collectionId, day, Field.refusalCode(writer, code));
  }

  /** The records a read served to a principal (objects with their content: Get an Object, export). */
  pulled(reader: string, collectionId: string, records: readonly ServedRecord[]): void {
    this.pulledPage(reader, collectionId, {
      ids: records.map((r) => r.id),
      dateAdded: records.map((r) => r.dateAdded),
      tlpRanks: records.map((r) => r.tlpRank),
    });
  }

  /**
   * The records a page served (Get Objects holds them as columns). Counts them per rank at once and keeps,
   * until the next flush, only the records whose first pull is not known to be recorded: a reader paging what it
   * pulled before leaves nothing behind per request (less for the GC to copy). The flush checks the memory again
   * (a flush in progress may have recorded some meanwhile); the script is what decides a first pull, the memory
   * only saves asking it.
   */
  pulledPage(reader: string, collectionId: string, page: ServedColumns): void {
    const n = page.ids.length;
    // Operators inspecting the collections are not part of the exchange.
    if (n === 0 || this.admins.has(reader)) return;
    const k = `${collectionId}|${reader}`;
    // The time of the read, not of the flush: the time to first pull is measured to the request.
    const at = this.now();
    const day = dayOf(at);
    let rank = page.tlpRanks[0] ?? 0;
    let run = 0;
    // pages are mostly of one rank: one bump per run of equal ranks
    for (let i = 0; i < n; i++) {
      const r = page.tlpRanks[i] ?? 0;
      if (r !== rank) {
        bump(this.pending.totals, collectionId, day, Field.served(reader, rank), run);
        rank = r;
        run = 0;
      }
      run++;
    }
    bump(this.pending.totals, collectionId, day, Field.served(reader, rank), run);
    const known = this.recorded.get(k);
    let unknown: ServedRecord[] | undefined;
    for (let i = 0; i < n; i++) {
      const dateAdded = page.dateAdded[i] ?? 0;
      if (known?.has(dateAdded) === true) continue;
      (unknown ??= []).push({ id: page.ids[i] ?? '', dateAdded, tlpRank: page.tlpRanks[i] ?? 0 });
    }
    if (unknown !== undefined) {
      const reads = this.pending.served.get(k);
      if (reads) reads.push({ at, records: unknown });
      else this.pending.served.set(k, [{ at, records: unknown }]);
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(() => undefined);
    }, this.intervalMs);
  }

  /** An inquiry event, counted on the day it happens under the collection the inquiry concerns. */
  inquiry(collectionId: string, principal: string, event: InquiryEvent): void {
    bump(this.pending.details, collectionId, dayOf(this.now()), Field.inquiry(principal, event));
  }

  /**
   * An inquiry deadline that passed without the step it asked for (the deadline worker's escalation), counted
   * once per inquiry and deadline for the asked authority, however often the job runs. Written at once.
   */
  async overdue(collectionId: string, inquiryId: string, deadline: 'acknowledge' | 'answer', asked: string): Promise<void> {
    const key = this.keys.exchange(collectionId).overdueCounted;
    const first = await this.redis.sadd(key, `${inquiryId}|${deadline}`);
    await this.redis.expire(key, RETENTION_DAYS * (DAY_MS / 1000));
    if (first !== 1) return;
    this.inquiry(collectionId, asked, 'overdue');
    await this.flush();
  }

  /** The end of one ingest job: its lag from the POST (ms), then everything gathered is written. */
  async jobDone(collectionId: string, postedAtMs: number | undefined): Promise<void> {
    if (postedAtMs !== undefined && Number.isFinite(postedAtMs)) {
      const day = dayOf(this.now());
      bump(this.pending.totals, collectionId, day, Field.lagSum, Math.max(0, Math.round(this.now() - postedAtMs)));
      bump(this.pending.totals, collectionId, day, Field.lagCount);
    }
    await this.flush();
  }

  /** Writes everything gathered so far (flushes run one after the other). */
  flush(): Promise<void> {
    const run = this.flushing.then(() => this.write());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async write(): Promise<void> {
    const p = this.pending;
    this.pending = empty();
    if (p.served.size > 0) await this.firstPulls(p);
    if (p.stored.size > 0) await this.overlaps(p);
    const ttl = RETENTION_DAYS * (DAY_MS / 1000);
    const pipe = this.redis.pipeline();
    let commands = 0;
    // Each count goes to its day's hash and to its week's (the 365-day views read 53 weeks, not 366 days).
    const emit = (
      target: Pending['totals'],
      keyOf: (c: string, day: string) => string,
      weekKeyOf: (c: string, monday: string) => string,
    ): void => {
      for (const [collection, days] of target) {
        pipe.sadd(this.keys.exchangeActive, collection);
        for (const [day, fields] of days) {
          for (const key of [keyOf(collection, day), weekKeyOf(collection, weekOf(Date.parse(`${isoDay(day)}T00:00:00Z`)))]) {
            for (const [field, n] of fields) pipe.hincrby(key, field, n);
            pipe.expire(key, ttl);
          }
          commands += 2 * (fields.size + 1) + 1;
        }
      }
    };
    emit(
      p.totals,
      (c, day) => this.keys.exchange(c).day(day),
      (c, w) => this.keys.exchange(c).week(w),
    );
    emit(
      p.details,
      (c, day) => this.keys.exchange(c).detail(day),
      (c, w) => this.keys.exchange(c).weekDetail(w),
    );
    for (const [collection, list] of p.stored) {
      const key = this.keys.exchange(collection).recent;
      const recent = list.slice(-RECENT_ADDITIONS).map((e) => `${e.dateAdded}\t${e.rank}\t${e.id}`);
      pipe.lpush(key, ...recent);
      pipe.ltrim(key, 0, RECENT_ADDITIONS - 1);
      commands += 2;
    }
    if (commands === 0) return;
    const results = await pipe.exec();
    const failed = results?.find(([err]) => err !== null)?.[0];
    if (failed) throw failed;
  }

  /**
   * Records the first pull of each served object per reader and counts the first pulls. One script
   * call per (collection, reader) of the flush (first-pulls.lua), all in one pipeline: a page of 100 records read
   * costs one command, not one HSETNX each.
   */
  private async firstPulls(p: Pending): Promise<void> {
    const pipe = this.redis.pipeline();
    const groups: {
      collection: string;
      reader: string;
      records: (ServedRecord & { readonly at: number })[];
      covered: number[];
      key: string;
    }[] = [];
    for (const [k, reads] of p.served) {
      const bar = k.indexOf('|');
      const collection = k.slice(0, bar);
      const reader = k.slice(bar + 1);
      const known = this.recorded.get(k);
      const seen = new Set<string>();
      const asked: (ServedRecord & { readonly at: number })[] = [];
      // the records whose object's first pull is recorded once the script has answered
      const covered: number[] = [];
      const args: string[] = [];
      for (const { at, records } of reads) {
        // (the served counts were taken when the read was reported)
        const time = String(at);
        for (const r of records) {
          if (known?.has(r.dateAdded) === true) continue;
          covered.push(r.dateAdded);
          if (seen.has(r.id)) continue;
          seen.add(r.id);
          asked.push({ id: r.id, dateAdded: r.dateAdded, tlpRank: r.tlpRank, at });
          args.push(r.id, time);
        }
      }
      if (asked.length === 0) continue;
      pipe.gwFirstPulls(1, this.keys.exchange(collection).firstPulls(reader), ...args);
      groups.push({ collection, reader, records: asked, covered, key: k });
    }
    if (groups.length === 0) return;
    const results = (await pipe.exec()) ?? [];
    groups.forEach((g, i) => {
      const [err, created] = results[i] ?? [null, []];
      if (err !== null || !Array.isArray(created)) return;
      this.remember(g.key, g.covered);
      g.records.forEach((r, j) => {
        if (created[j] !== 1) return;
        const day = dayOf(r.at);
        bump(p.totals, g.collection, day, Field.firstPull(g.reader, r.tlpRank));
        const delayMs = r.at - Math.floor(r.dateAdded / 1000);
        bump(p.details, g.collection, day, Field.firstPullDelay(g.reader, r.tlpRank, delayBucket(delayMs)));
      });
    });
  }

  /** Remembers records whose first pull is recorded; the whole memory starts over when it would pass its bound. */
  private remember(key: string, dateAdded: readonly number[]): void {
    if (dateAdded.length > this.firstPullMemory) return;
    if (this.recordedCount + dateAdded.length > this.firstPullMemory) {
      this.recorded = new Map();
      this.recordedCount = 0;
    }
    let set = this.recorded.get(key);
    if (!set) this.recorded.set(key, (set = new Set()));
    const before = set.size;
    for (const da of dateAdded) set.add(da);
    this.recordedCount += set.size - before;
  }

  /**
   * Of `collections`, those whose value index exists: a collection without indicators shares no value, and its
   * HMGET of every digest of the flush would find nothing. A collection seen with one is remembered (its index
   * rarely empties; if it does, its HMGET finds nothing, as before); the others are asked again with one EXISTS
   * each, in one pipeline.
   */
  private async collectionsWithValues(collections: readonly string[]): Promise<string[]> {
    const unknown = collections.filter((c) => !this.withValues.has(c));
    if (unknown.length > 0) {
      const pipe = this.redis.pipeline();
      for (const c of unknown) pipe.exists(this.keys.collection(c).values);
      const found = (await pipe.exec()) ?? [];
      unknown.forEach((c, i) => {
        const [err, n] = found[i] ?? [null, 0];
        // an error counts as present: the HMGET then asks, as it always did
        if (err !== null || n !== 0) this.withValues.add(c);
      });
    }
    return collections.filter((c) => this.withValues.has(c));
  }

  /**
   * Counts the values that stored indicators share with another collection's indicators (from the value index),
   * once per value and pair of collections, at the higher TLP rank of the two indicators. A value is counted
   * with the rank of the first stored indicator comparing it. Per flush: one HMGET of the flush's distinct
   * values per other collection that holds indicators, one script call per pair of collections adding the values
   * found (set-add-each.lua), and one read of the other side's ranks per other collection: a few commands per
   * flush, not one per value and collection (nor one read per value and indicator).
   */
  private async overlaps(p: Pending): Promise<void> {
    const store = this.opts.store;
    if (!store) return;
    const all = this.config.collections.map((c) => c.id);
    const day = dayOf(this.now());
    for (const [collection, list] of p.stored) {
      const firstWith = new Map<string, StoredEntry>();
      for (const entry of list) for (const digest of entry.digests) if (!firstWith.has(digest)) firstWith.set(digest, entry);
      if (firstWith.size === 0) continue;
      const digests = [...firstWith.keys()];
      const others = await this.collectionsWithValues(all.filter((c) => c !== collection));
      const asked: { other: string; from: number }[] = [];
      const pipe = this.redis.pipeline();
      for (const other of others) {
        for (let from = 0; from < digests.length; from += OVERLAP_CHUNK) {
          pipe.hmget(this.keys.collection(other).values, ...digests.slice(from, from + OVERLAP_CHUNK));
          asked.push({ other, from });
        }
      }
      const found = (await pipe.exec()) ?? [];
      const hits: { other: string; digest: string; ids: string }[] = [];
      asked.forEach(({ other, from }, i) => {
        const values = found[i]?.[1];
        if (!Array.isArray(values)) return;
        values.forEach((ids: unknown, j) => {
          const digest = digests[from + j];
          if (typeof ids === 'string' && ids !== '' && digest !== undefined) hits.push({ other, digest, ids });
        });
      });
      if (hits.length === 0) continue;
      // One script call per pair of collections (set-add-each.lua) says which values are counted for the first time.
      const bySet = new Map<string, number[]>();
      hits.forEach((h, i) => {
        const [low, high] = collection < h.other ? [collection, h.other] : [h.other, collection];
        const key = this.keys.exchange(low).overlap(high);
        const list = bySet.get(key);
        if (list) list.push(i);
        else bySet.set(key, [i]);
      });
      const sets = this.redis.pipeline();
      const calls: number[][] = [];
      for (const [key, positions] of bySet) {
        for (let from = 0; from < positions.length; from += OVERLAP_CHUNK) {
          const part = positions.slice(from, from + OVERLAP_CHUNK);
          sets.gwSetAddEach(1, key, ...part.map((i) => hits[i]?.digest ?? ''));
          calls.push(part);
        }
      }
      const added = (await sets.exec()) ?? [];
      const isFresh = new Set<number>();
      calls.forEach((part, c) => {
        const [err, flags] = added[c] ?? [null, []];
        if (err !== null || !Array.isArray(flags)) return;
        part.forEach((i, j) => {
          if (flags[j] === 1) isFresh.add(i);
        });
      });
      const fresh = hits.filter((_, i) => isFresh.has(i));
      // The other side's rank: its most restrictive indicator comparing the value (latest versions, up to 20 per
      // value), read in one store call per other collection for every value of the flush, not one per value and id.
      const idsIn = new Map<string, Set<string>>();
      for (const h of fresh) {
        let ids = idsIn.get(h.other);
        if (!ids) idsIn.set(h.other, (ids = new Set()));
        for (const id of h.ids.split(',').slice(0, OVERLAP_IDS)) ids.add(id);
      }
      const rankOf = new Map<string, number>();
      await Promise.all(
        [...idsIn].map(async ([other, ids]) => {
          const list = [...ids];
          for (let from = 0; from < list.length; from += OVERLAP_CHUNK) {
            const found = await store.latestRanks(other, list.slice(from, from + OVERLAP_CHUNK), READER_RANK);
            for (const [id, rank] of found) rankOf.set(`${other}|${id}`, rank);
          }
        }),
      );
      const ranks = fresh.map((h) => {
        let rank = firstWith.get(h.digest)?.rank ?? 0;
        for (const id of h.ids.split(',').slice(0, OVERLAP_IDS)) rank = Math.max(rank, rankOf.get(`${h.other}|${id}`) ?? -1);
        return rank;
      });
      fresh.forEach((h, i) => bump(p.details, collection, day, Field.overlap(h.other, ranks[i] ?? 0)));
    }
  }
}
