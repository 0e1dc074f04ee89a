/**
 * The I/O shell of the ingest pipeline: for one posted envelope, prepare (validate + normalize, pure), store
 * in batches (one Lua call per batch), and record each object's result in the status resource. Content
 * problems become status failures; faults (Redis down) are thrown so BullMQ retries the job. A retried job
 * skips the objects whose result is already recorded, and storing is idempotent, so a crash at any point
 * loses nothing and stores nothing twice.
 */
import type { CollectionConfig, GatewayConfig } from '../config/types';
import type { ContentIssue } from '../stix/issues';
import type { PrepareOptions, PrepareOutcome, PreparedObject } from '../stix/prepare';
import { formatMicros, nowMicros, parseTimestamp } from '../stix/time';
import {
  detailJson,
  DUPLICATE_MESSAGE,
  STORED_MESSAGE,
  UnreadableEnvelopeError,
  type StatusDetail,
  type StatusResult,
  type StatusStore,
} from '../store/status-store';
import { dedupField, valueDigests, valueDigestsOf } from '../store/indicator-entries';
import type { ObjectStore, StoreItem, StoreOutcome, StoredRecord, WriterContext } from '../store/types';
import { recordTlpRank, unresolvedMarkings, WITHHELD_RANK } from '../policy/record-rank';
import { checkWritePolicy, hasWriteRules } from '../policy/write-policy';
import { configuredIdentities, hasProducer, NOT_PRODUCER, reservedIdentityRefusal, writerContext } from '../policy/producer';
import { referencedIds } from '../policy/references';
import { MAX_TLP_RANK } from '../policy/clearance';
import { boundedIds } from '../audit/audit-event';
import type { AuditSink } from '../audit/audit-log';
import { rewriteRefs } from '../stix/prepare';
import { mergeIndicator } from './indicator-merge';
import { objectsOfBody, postedVersion, type IngestJobData } from './job';
import { lazyObjects, objectsSpans, parsedObjects, type PostedObjects } from './envelope-spans';
import { refusalCode, type ExchangeRecorder } from '../exchange/exchange-recorder';

export type PrepareFn = (objects: readonly unknown[], options: PrepareOptions) => PrepareOutcome[];

export interface ProcessDeps {
  readonly config: GatewayConfig;
  readonly store: ObjectStore;
  readonly statuses: StatusStore;
  readonly prepare: PrepareFn;
  /** The audit trail: one `ingest` entry per job with the ids written (src/audit/). */
  readonly audit?: AuditSink;
  /** The exchange counters (src/exchange/): shared, folded and refused objects, ingest lag. */
  readonly exchange?: ExchangeRecorder;
  /** Checks some collections apply to what is stored in them (inquiry collections: src/inquiries/ingest-gate.ts). */
  readonly gate?: IngestGate;
}

/** One prepared object as a gate sees it: its id, type and the JSON text that would be stored and served. */
export interface IngestGateObject {
  readonly id: string;
  readonly type: string;
  readonly json: string;
}

export interface IngestRefusal {
  readonly code: string;
  readonly message: string;
}

/**
 * A collection's own admission rule, run after validation and before storing: each refused object becomes a
 * failure `CODE: message` in the status and is not stored. Objects are given in posted order.
 */
export interface IngestGate {
  applies(collectionId: string): boolean;
  refusals(collectionId: string, objects: readonly IngestGateObject[]): Promise<ReadonlyMap<number, IngestRefusal>>;
}

/** Objects per prepare + store round; bounds memory and the length of one Lua call. */
export const BATCH_SIZE = 1000;

/**
 * The first batch of a job is smaller, and each next one twice the size up to BATCH_SIZE (250, 500, 1000, ...):
 * Redis stores batch k while the worker prepares batch k+1, so a small envelope's first store starts after a
 * quarter of the prepare work instead of all of it, and its prepare and store overlap instead of running one
 * after the other (a lone 1 000-object envelope: three overlapping rounds instead of one serial round).
 */
export const FIRST_BATCH_SIZE = 250;

export interface JobSummary {
  readonly stored: number;
  readonly duplicates: number;
  /** Indicators folded into one already held (same canonical pattern, same producer). */
  readonly merged: number;
  readonly failed: number;
  readonly skipped: number;
}

function describeIssues(issues: readonly ContentIssue[]): string {
  const errors = issues.filter((i) => i.severity === 'error');
  const shown = (errors.length > 0 ? errors : issues).slice(0, 5);
  const text = shown.map((i) => `${i.code} at ${i.path || '/'}: ${i.message}`).join('; ');
  const more = (errors.length > 0 ? errors : issues).length - shown.length;
  return more > 0 ? `${text}; and ${more} more` : text;
}

function changesNote(changes: readonly ContentIssue[]): string {
  if (changes.length === 0) return '';
  const shown = changes.slice(0, 5).map((c) => `${c.code}: ${c.message}`);
  return `; normalized: ${shown.join('; ')}${changes.length > 5 ? `; and ${changes.length - 5} more` : ''}`;
}

/** What the trust rules add to each stored object of one job (src/policy/). */
export interface TrustContext {
  /** Who writes: the store compares writes only with what this writer may read, and keeps producers. */
  readonly writer: WriterContext;
  /** Ids that references may name without raising a record's rank (configured identities). */
  readonly publicIds: ReadonlySet<string>;
  /** Objects stored above every clearance (unresolvable markings in a collection that withholds them). */
  readonly withheld: Set<PreparedObject>;
}

/** The store's item for one prepared object (exported for bench/floors.bench.ts: the same items the job stores). */
export function toStoreItem(o: PreparedObject, trust: TrustContext): StoreItem {
  // One object literal of a fixed shape (absent values undefined): this runs for every stored object.
  const ts = o.version === undefined ? undefined : parseTimestamp(o.version);
  const refs = referencedIds(o.json, o.id, trust.publicIds);
  const own = trust.withheld.has(o) ? WITHHELD_RANK : recordTlpRank(o.type, o.markingRefs, o.json);
  return {
    id: o.id,
    type: o.type,
    specVersion: o.specVersion,
    tlpRank: refs.overflow ? Math.max(own, MAX_TLP_RANK) : own,
    owned: hasProducer(o.type, o.id),
    refs: refs.ids,
    json: o.json,
    originalJson: o.originalJson,
    dedupField: o.indicatorKey === undefined ? undefined : dedupField(o.createdByRef, o.indicatorKey),
    // The value index: prepare hands over the values the canonical pattern compares (no second parse).
    valueDigests:
      o.stixPattern === undefined ? undefined : o.comparedValues ? valueDigestsOf(o.comparedValues) : valueDigests(o.stixPattern),
    // a version that does not parse is not one (the store then uses date_added)
    version: ts ? o.version : undefined,
    versionMicros: ts?.micros,
  };
}

/** The objects of one batch after prepare: results already known (failures) and the objects to store. */
interface PreparedBatch {
  /** Posted index of each batch position. */
  readonly indexes: readonly number[];
  readonly batch: readonly unknown[];
  readonly results: StatusResult[];
  readonly prepared: PreparedObject[];
}

/** Prepare (pure CPU) and the collection's write rules for one batch: failures become results right away. */
function prepareBatch(
  indexes: number[],
  batch: unknown[],
  collection: CollectionConfig,
  data: IngestJobData,
  deps: ProcessDeps,
  summary: Counters,
): PreparedBatch {
  const options: PrepareOptions = collection.default_tlp === undefined ? {} : { defaultTlp: collection.default_tlp };
  const outcomes = deps.prepare(batch, options);
  const results: StatusResult[] = [];
  // An object settles once: its first outcome decides (expanded SCOs share their parent's index).
  const failedIdx = new Set<number>();
  for (const o of outcomes) {
    if (o.ok || failedIdx.has(o.index)) continue;
    const index = indexes[o.index] ?? -1;
    failedIdx.add(o.index);
    const detail = { id: o.id ?? `(object #${index})`, message: describeIssues(o.issues) };
    // Status details carry a version; an object that failed before its version was read keeps the posted one.
    const version = o.version ?? postedVersion(batch[o.index]);
    results.push({ index, outcome: 'failure', detail: version === undefined ? detail : { ...detail, version } });
    summary.failed++;
  }
  let prepared: PreparedObject[] = [];
  for (const o of outcomes) if (o.ok && !failedIdx.has(o.object.index)) prepared.push(o.object);
  // Sharing policy (src/policy/write-policy.ts): refusals are per-object failures with the rule's code.
  if (hasWriteRules(collection)) {
    for (const p of prepared) {
      if (failedIdx.has(p.index)) continue;
      const refusal = checkWritePolicy(p, collection, data.identity);
      if (!refusal) continue;
      const index = indexes[p.index] ?? -1;
      failedIdx.add(p.index);
      const detail = { id: p.id, message: `${refusal.code}: ${refusal.message}` };
      results.push({ index, outcome: 'failure', detail: p.version === undefined ? detail : { ...detail, version: p.version } });
      summary.failed++;
    }
    prepared = prepared.filter((p) => !failedIdx.has(p.index));
  }
  // The identity object of a configured principal is written only by that principal (src/policy/producer.ts).
  for (const p of prepared) {
    const refusal = reservedIdentityRefusal(deps.config, p.type, p.id, data.identity);
    if (refusal === undefined || failedIdx.has(p.index)) continue;
    failedIdx.add(p.index);
    const detail = { id: p.id, message: refusal };
    results.push({
      index: indexes[p.index] ?? -1,
      outcome: 'failure',
      detail: p.version === undefined ? detail : { ...detail, version: p.version },
    });
    summary.failed++;
  }
  prepared = prepared.filter((p) => !failedIdx.has(p.index));
  return { indexes, batch, results, prepared };
}

/**
 * Unknown markings fail closed (src/policy/record-rank.ts): a marking is known when it is an official TLP
 * definition, a marking-definition of this envelope's batch that is about to be stored, or one held in the
 * collection that the writer may read. Objects referencing any other are refused with UNKNOWN_MARKING, or,
 * where the collection withholds them, stored above every clearance. Returns the objects to store.
 */
async function resolveMarkings(
  collection: CollectionConfig,
  b: PreparedBatch,
  trust: TrustContext,
  deps: ProcessDeps,
  summary: Counters,
): Promise<PreparedObject[]> {
  const inBatch = new Set(b.prepared.filter((p) => p.type === 'marking-definition').map((p) => p.id));
  const open = new Map<PreparedObject, string[]>();
  const ask = new Set<string>();
  for (const p of b.prepared) {
    if (p.markingRefs.length === 0 && !p.json.includes('"granular_markings"')) continue;
    const unresolved = unresolvedMarkings(p.markingRefs, p.json, inBatch);
    if (unresolved.length === 0) continue;
    open.set(p, unresolved);
    for (const m of unresolved) ask.add(m);
  }
  if (open.size === 0) return [...b.prepared];
  const held = await deps.store.heldIds(
    collection.id,
    [...ask],
    trust.writer.identity === '' ? WITHHELD_RANK : Math.max(trust.writer.clearance, 0),
  );
  const withhold = collection.unknown_markings === 'withhold';
  const refused = new Set<PreparedObject>();
  for (const [p, unresolved] of open) {
    const unknown = unresolved.filter((m) => !held.has(m));
    if (unknown.length === 0) continue;
    if (withhold) {
      trust.withheld.add(p);
      continue;
    }
    refused.add(p);
    const detail = {
      id: p.id,
      message: `UNKNOWN_MARKING: ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ` and ${unknown.length - 3} more` : ''} is neither an official TLP definition nor a marking-definition held in this collection; post the definition first (or with the object)`,
    };
    b.results.push({
      index: b.indexes[p.index] ?? -1,
      outcome: 'failure',
      detail: p.version === undefined ? detail : { ...detail, version: p.version },
    });
    summary.failed++;
  }
  return b.prepared.filter((p) => !refused.has(p));
}

/** The collection's gate (if any): refused objects become failures with the gate's code and are not stored. */
async function applyGate(
  collection: CollectionConfig,
  b: PreparedBatch,
  deps: ProcessDeps,
  summary: Counters,
  refused: string[],
): Promise<PreparedBatch> {
  const gate = deps.gate;
  if (gate === undefined || !gate.applies(collection.id) || b.prepared.length === 0) return b;
  const refusals = await gate.refusals(collection.id, b.prepared);
  if (refusals.size === 0) return b;
  const kept: PreparedObject[] = [];
  b.prepared.forEach((p, i) => {
    const r = refusals.get(i);
    if (r === undefined) {
      kept.push(p);
      return;
    }
    const detail = { id: p.id, message: `${r.code}: ${r.message}` };
    b.results.push({
      index: b.indexes[p.index] ?? -1,
      outcome: 'failure',
      detail: p.version === undefined ? detail : { ...detail, version: p.version },
    });
    summary.failed++;
    refused.push(p.id);
  });
  return { ...b, prepared: kept };
}

/** Stores a prepared batch and records its results in the status (one field: the batch settles as a whole). */
async function storeAndRecord(
  collection: CollectionConfig,
  b: PreparedBatch,
  data: IngestJobData,
  deps: ProcessDeps,
  summary: Counters,
  written: string[],
  trust: TrustContext,
  refused: string[],
  issued: () => void,
  posted: readonly string[],
): Promise<void> {
  const gated = await applyGate(collection, b, deps, summary, refused);
  const toStore = await resolveMarkings(collection, gated, trust, deps, summary);
  // Whether a detail is exactly the status's posted line of its object (then a plain `stored` is kept compact).
  const asPosted = (i: number, d: StatusDetail): boolean => {
    const line = posted[b.indexes[i] ?? -1];
    return line !== undefined && line === detailJson({ id: d.id, ...(d.version === undefined ? {} : { version: d.version }) });
  };
  const settledNow = await storePrepared(collection.id, toStore, b.batch, deps, summary, trust, issued, asPosted);
  const results = b.results;
  for (const r of settledNow) results.push({ ...r, index: b.indexes[r.index] ?? -1 });
  for (const r of results)
    if (r.outcome === 'failure') deps.exchange?.refused(collection.id, data.principal, refusalCode(r.detail.message ?? ''));
  await deps.statuses.record(data.statusId, results);
  for (const r of results) if (r.outcome === 'success' && written.length <= 100) written.push(r.detail.id);
}

/**
 * The posted envelope: from the status store (or, for jobs enqueued by earlier versions, the job itself); a
 * reason string when the stored envelope is damaged.
 */
async function bodyOf(data: IngestJobData, deps: ProcessDeps): Promise<string | undefined | { unreadable: string }> {
  if (data.body !== undefined) return data.body;
  try {
    return await deps.statuses.body(data.statusId);
  } catch (err) {
    if (err instanceof UnreadableEnvelopeError) return { unreadable: err.message };
    throw err;
  }
}

/**
 * The posted objects of an envelope: located by their spans and parsed batch by batch when the scanner can
 * read the envelope exactly as JSON.parse would, else parsed whole; undefined when the body is not an envelope.
 */
function postedObjectsOf(body: string): PostedObjects | undefined {
  const spans = objectsSpans(body);
  if (spans) return lazyObjects(body, spans);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const objects = objectsOfBody(parsed);
  return typeof objects === 'string' ? undefined : parsedObjects(objects);
}

export async function processIngestJob(data: IngestJobData, deps: ProcessDeps): Promise<JobSummary> {
  const collection = deps.config.collections.find((c) => c.id === data.collectionId);
  const summary = { stored: 0, duplicates: 0, merged: 0, failed: 0, skipped: 0 };
  // What the job reads of its status, in one round trip: the envelope, the posted lines (the compact successes are
  // checked against them), the results already recorded (a resumed job) and the POST's time (the ingest lag).
  const [body, posted, settled, meta] = await Promise.all([
    bodyOf(data, deps),
    deps.statuses.postedLines(data.statusId),
    deps.statuses.settledIndexes(data.statusId),
    deps.statuses.meta(data.statusId),
  ]);
  if (typeof body === 'object') {
    // Damaged in storage: every retry would meet the same bytes, so the objects fail now, with the reason.
    await deps.statuses.failPending(
      data.statusId,
      `ENVELOPE_UNREADABLE: the stored envelope could not be decompressed (${body.unreadable.slice(0, 200)}); post the objects again`,
    );
    await deps.statuses.complete(data.statusId, formatMicros(nowMicros()));
    return summary;
  }
  if (body === undefined) {
    // Completed already (a repeated delivery), or the envelope expired before any worker took the job.
    if (!(await deps.statuses.isComplete(data.statusId))) {
      await deps.statuses.failPending(
        data.statusId,
        'JOB_EXPIRED: the posted envelope expired before it was processed; post the objects again',
      );
      await deps.statuses.complete(data.statusId, formatMicros(nowMicros()));
    }
    return summary;
  }
  const objects = postedObjectsOf(body);
  if (objects === undefined || !collection) {
    // The API checked both before enqueueing: the config changed meanwhile, or the stored text was damaged.
    // What is left settles as failures with the reason, so the status does not end "complete" with pendings.
    await deps.statuses.failPending(
      data.statusId,
      collection
        ? 'ENVELOPE_UNREADABLE: the stored envelope is not a TAXII envelope; post the objects again'
        : `COLLECTION_GONE: collection ${data.collectionId} is no longer configured`,
    );
    await deps.statuses.complete(data.statusId, formatMicros(nowMicros()));
    return summary;
  }
  const written: string[] = [];
  const refused: string[] = [];
  const trust: TrustContext = {
    writer: writerContext(deps.config, data.principal, data.identity, collection),
    publicIds: configuredIdentities(deps.config),
    withheld: new Set<PreparedObject>(),
  };

  // Batch k is stored while batch k+1 is prepared: the worker's CPU and Redis's work overlap. Batches are
  // still stored one after the other, in posted order.
  let storing: Promise<void> | undefined;
  let size = FIRST_BATCH_SIZE;
  for (let start = 0; start < objects.length; start += size, size = Math.min(2 * size, BATCH_SIZE)) {
    const indexes: number[] = [];
    const batch: unknown[] = [];
    // Parsed one batch at a time (see envelope-spans.ts); a resumed job skips what is already settled.
    const end = Math.min(start + size, objects.length);
    const parsed = objects.slice(start, end);
    for (let i = start; i < end; i++) {
      if (settled.has(i)) {
        summary.skipped++;
        continue;
      }
      indexes.push(i);
      batch.push(parsed[i - start]);
    }
    if (batch.length === 0) continue;
    const prepared = prepareBatch(indexes, batch, collection, data, deps, summary);
    if (storing) await storing;
    let issued!: () => void;
    const sentOff = new Promise<void>((resolve) => (issued = resolve));
    storing = storeAndRecord(collection, prepared, data, deps, summary, written, trust, refused, issued, posted);
    // Its rejection is awaited (and thrown) at the next batch or after the loop; this only marks it handled.
    storing.catch(() => undefined);
    // The next prepare holds the event loop for milliseconds: first let this batch's store call be issued (the
    // steps before it take several turns of the loop; without this wait the call was issued only after the next
    // prepare, so prepare and store did not overlap at all), then let it leave the process (a store call of 1000
    // objects is larger than the socket's buffer), so that Redis stores batch k while this process prepares k+1.
    await Promise.race([sentOff, storing.then(noop, noop)]);
    await deps.store.sent?.();
  }
  if (storing) await storing;
  // The audit entries and the exchange counters are independent: both are written before the status completes.
  await Promise.all([
    auditJob(data, collection.id, summary, written, refused, deps.audit),
    deps.exchange?.jobDone(collection.id, Date.parse(meta?.requestTimestamp ?? '')),
  ]);
  await deps.statuses.complete(data.statusId, formatMicros(nowMicros()));
  return summary;
}

/** The job's audit entries: `ingest` with the ids written, and `ingest_refused` with what a gate refused. */
async function auditJob(
  data: IngestJobData,
  collectionId: string,
  summary: JobSummary,
  written: readonly string[],
  refused: readonly string[],
  audit: AuditSink | undefined,
): Promise<void> {
  if (audit === undefined) return;
  const entry = (action: 'ingest' | 'ingest_refused', count: number, ids: readonly string[]): Promise<void> =>
    audit.record({
      time: new Date().toISOString(),
      principal: data.principal,
      source: '',
      action,
      collection: collectionId,
      count,
      ...boundedIds(ids),
      status_id: data.statusId,
    });
  await entry('ingest', summary.stored + summary.duplicates + summary.merged, written);
  // What a collection's gate refused (inquiry collections): the codes are in the status it names.
  if (refused.length > 0) await entry('ingest_refused', refused.length, refused);
}

/** True when the prepared object is the one posted at its index (not an SCO expanded from a 2.0 observed-data). */
function isPosted(p: PreparedObject, batch: readonly unknown[]): boolean {
  const posted = batch[p.index];
  if (typeof posted !== 'object' || posted === null) return true;
  const id = (posted as Record<string, unknown>)['id'];
  return typeof id !== 'string' || id === p.id || id === p.postedId;
}

type Counters = { stored: number; duplicates: number; merged: number; failed: number };
type Settled = StatusResult;

/**
 * Stores one batch of prepared objects: indicators first (so duplicates are folded and their ids known), then
 * the other objects with refs to folded indicators rewritten (through this batch's folds and the collection's
 * alias map, so later bundles are rewritten too). Returns one result per posted object, by batch index.
 */
async function storePrepared(
  collectionId: string,
  prepared: readonly PreparedObject[],
  batch: readonly unknown[],
  deps: ProcessDeps,
  summary: Counters,
  trust: TrustContext,
  issued: () => void = noop,
  asPosted: (batchIndex: number, d: StatusDetail) => boolean = () => false,
): Promise<Settled[]> {
  const indicators = prepared.filter((p) => p.indicatorKey !== undefined);
  const others = prepared.filter((p) => p.indicatorKey === undefined);
  const results: Settled[] = [];
  const reported = new Set<number>();
  const folded = new Map<string, string>();

  const report = (p: PreparedObject, out: StoreOutcome | undefined, note = '', item?: StoreItem): void => {
    deps.exchange?.stored(collectionId, p, out, item?.valueDigests ?? (item ? [] : undefined));
    if (reported.has(p.index) || !isPosted(p, batch)) return;
    reported.add(p.index);
    const version = p.version ?? (out?.kind === 'stored' ? formatMicros(out.dateAdded) : undefined);
    const detail = (id: string, message: string): StatusDetail => (version === undefined ? { id, message } : { id, version, message });
    // 'hidden': the id is another producer's object this writer cannot read. Nothing was stored, and the answer is
    // the one a stored object gets, so the writer cannot tell a hidden object from a missing one.
    const settle = (count: 'stored' | 'duplicates' | 'merged' | 'failed', message: string): void => {
      summary[count]++;
      const d = detail(p.id, message);
      // A plain `stored` or duplicate of the posted line's id and version is kept as its index alone (compact format).
      if ((message === STORED_MESSAGE || message === DUPLICATE_MESSAGE) && asPosted(p.index, d))
        results.push({ index: p.index, outcome: 'success', detail: d, asPosted: true });
      else results.push({ index: p.index, outcome: count === 'failed' ? 'failure' : 'success', detail: d });
    };
    if (out?.kind === 'stored' || out?.kind === 'hidden') {
      const changed = p.postedId !== undefined ? ` (id changed from ${p.postedId})` : '';
      settle('stored', `stored${changed}${note}${changesNote(p.changes)}`);
    } else if (out?.kind === 'duplicate') {
      settle('duplicates', DUPLICATE_MESSAGE);
    } else if (out?.kind === 'merged') {
      settle('merged', `merged into ${out.into}${note}`);
    } else if (out?.kind === 'not-producer') {
      const what = p.indicatorKey === undefined ? 'this id' : 'this id or the indicator it duplicates';
      settle('failed', `${NOT_PRODUCER}: ${what} was first published by another identity; only its producer may version it`);
    } else {
      settle(
        'failed',
        'VERSION_CONFLICT: a different object with the same id and version is already stored; publish a new version with a later modified timestamp',
      );
    }
  };

  const indicatorItems = indicators.map((p) => toStoreItem(p, trust));
  const storing = deps.store.storeBatch(collectionId, indicatorItems, trust.writer);
  // Objects that name no indicator need nothing from the indicators' store (no folded id to rewrite): their store
  // call follows the indicators' on the same connection at once (Redis runs the two in that order) instead of
  // after the folds' round trips, which wait behind the next batch's prepare.
  const early = others.some(mayNameIndicator) ? undefined : storeOthers(collectionId, others, deps, trust);
  // awaited below; this only marks a rejection handled when the indicators' call fails first
  early?.catch(() => undefined);
  issued();
  const stored = await storing;
  const notes = await foldAll(collectionId, indicators, stored, folded, deps, trust);
  indicators.forEach((p, j) => report(p, stored[j], notes[j], indicatorItems[j]));

  const o = await (early ?? storeOthers(collectionId, await rewriteFoldedRefs(collectionId, others, folded, deps), deps, trust));
  o.objects.forEach((p, j) => report(p, o.outcomes[j], '', o.items[j]));
  return results;
}

/** Stores the non-indicator objects of a batch (after rewriteFoldedRefs when any of them names an indicator). */
async function storeOthers(
  collectionId: string,
  objects: readonly PreparedObject[],
  deps: ProcessDeps,
  trust: TrustContext,
): Promise<{ objects: readonly PreparedObject[]; items: StoreItem[]; outcomes: StoreOutcome[] }> {
  const items = objects.map((p) => toStoreItem(p, trust));
  return { objects, items, outcomes: await deps.store.storeBatch(collectionId, items, trust.writer) };
}

/**
 * Folds the batch's duplicates (store outcome `merged`) into the indicators holding their patterns; returns the
 * note of each indicator's result (by batch position, '' when not folded). The latest version of every target is
 * read in one store call, not one per duplicate (a re-posted feed folds a quarter of its indicators or more);
 * the targets are independent and folded concurrently, the duplicates of one target one after the other, each
 * on top of the version the one before it added.
 */
async function foldAll(
  collectionId: string,
  indicators: readonly PreparedObject[],
  stored: readonly StoreOutcome[],
  folded: Map<string, string>,
  deps: ProcessDeps,
  trust: TrustContext,
): Promise<string[]> {
  const notes = indicators.map(() => '');
  const byTarget = new Map<string, number[]>();
  indicators.forEach((p, j) => {
    const out = stored[j];
    if (out?.kind !== 'merged') return;
    folded.set(p.id, out.into);
    const list = byTarget.get(out.into);
    if (list) list.push(j);
    else byTarget.set(out.into, [j]);
  });
  if (byTarget.size === 0) return notes;
  const latest = new Map<string, StoredRecord>();
  for (const r of await deps.store.latestOf(collectionId, [...byTarget.keys()])) latest.set(r.id, r);
  await Promise.all(
    [...byTarget].map(async ([into, positions]) => {
      let known = latest.get(into);
      for (const j of positions) {
        const p = indicators[j];
        if (p === undefined) continue;
        notes[j] = await foldInto(collectionId, into, p, deps, trust, known);
        // a later duplicate of the same target merges on top of what this one added: read again
        known = undefined;
      }
    }),
  );
  return notes;
}

/**
 * Adds what a folded duplicate brings to the indicator it was folded into, as a new version of that one.
 * `known`: the target's latest version when the caller has just read it (a first attempt without a read).
 */
async function foldInto(
  collectionId: string,
  into: string,
  p: PreparedObject,
  deps: ProcessDeps,
  trust: TrustContext,
  known?: StoredRecord,
): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = attempt === 0 && known !== undefined ? known : await deps.store.latest(collectionId, into);
    if (!existing?.json) return '';
    const merged = mergeIndicator(JSON.parse(existing.json) as Record<string, unknown>, JSON.parse(p.json) as Record<string, unknown>);
    if (!merged.merged) return '';
    const json = JSON.stringify(merged.merged);
    const modified = String(merged.merged['modified']);
    const ts = parseTimestamp(modified);
    const refs = referencedIds(json, into, trust.publicIds);
    const own = trust.withheld.has(p) ? WITHHELD_RANK : recordTlpRank('indicator', markingsOf(merged.merged), json);
    const [out] = await deps.store.storeBatch(
      collectionId,
      [
        {
          id: into,
          type: 'indicator',
          specVersion: '2.1',
          json,
          tlpRank: refs.overflow ? Math.max(own, MAX_TLP_RANK) : own,
          owned: true,
          refs: refs.ids,
          version: modified,
          ...(ts ? { versionMicros: ts.micros } : {}),
        },
      ],
      trust.writer,
    );
    if (out?.kind === 'stored' || out?.kind === 'duplicate') return `; new version ${modified} adds ${merged.added.join(', ')}`;
    if (out?.kind === 'not-producer' || out?.kind === 'hidden') return '; no new version added (another producer holds it)';
    // conflict: another worker added a version with the same modified meanwhile; merge again on top of it
  }
  return '; could not add a new version (concurrent updates)';
}

const REF_HINT = /_refs?"\s*:/;

function noop(): void {}

/** Whether an object may reference an indicator (rewriteFoldedRefs looks at exactly these). */
function mayNameIndicator(o: PreparedObject): boolean {
  return REF_HINT.test(o.json) && o.json.includes('indicator--');
}

/** Rewrites refs to folded indicator ids in the non-indicator objects of a batch. */
async function rewriteFoldedRefs(
  collectionId: string,
  objects: readonly PreparedObject[],
  folded: ReadonlyMap<string, string>,
  deps: ProcessDeps,
): Promise<PreparedObject[]> {
  const withRefs = new Set(objects.filter(mayNameIndicator));
  if (withRefs.size === 0) return [...objects];
  const ids = new Set<string>();
  for (const o of withRefs) for (const m of o.json.matchAll(/indicator--[0-9a-f-]{36}/g)) ids.add(m[0]);
  const aliases = await deps.store.aliases(
    collectionId,
    [...ids].filter((id) => !folded.has(id)),
  );
  for (const [k, v] of folded) aliases.set(k, v);
  if (aliases.size === 0) return [...objects];
  return objects.map((o) => {
    if (!withRefs.has(o)) return o;
    const before = JSON.parse(o.json) as Record<string, unknown>;
    const after = rewriteRefs(before, aliases);
    const json = JSON.stringify(after);
    return json === o.json ? o : { ...o, json };
  });
}

function markingsOf(obj: Readonly<Record<string, unknown>>): string[] {
  const m = obj['object_marking_refs'];
  return Array.isArray(m) ? m.filter((x): x is string => typeof x === 'string') : [];
}
