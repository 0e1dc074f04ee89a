/**
 * The I/O shell of the ingest pipeline: for one posted envelope, prepare (validate + normalize, pure), store
 * in batches (one Lua call per batch), and record each object's result in the status resource. Content
 * problems become status failures; faults (Redis down) are thrown so BullMQ retries the job. A retried job
 * skips the objects whose result is already recorded, and storing is idempotent, so a crash at any point
 * loses nothing and stores nothing twice.
 */
import type { GatewayConfig } from '../config/types';
import type { ContentIssue } from '../stix/issues';
import type { PrepareOptions, PrepareOutcome, PreparedObject } from '../stix/prepare';
import { formatMicros, nowMicros, parseTimestamp } from '../stix/time';
import type { StatusResult, StatusStore } from '../store/status-store';
import type { ObjectStore, StoreItem } from '../store/types';
import { objectsOfBody, type IngestJobData } from './job';

export type PrepareFn = (objects: readonly unknown[], options: PrepareOptions) => PrepareOutcome[];

export interface ProcessDeps {
  readonly config: GatewayConfig;
  readonly store: ObjectStore;
  readonly statuses: StatusStore;
  readonly prepare: PrepareFn;
}

/** Objects per prepare + store round; bounds memory and the length of one Lua call. */
export const BATCH_SIZE = 1000;

export interface JobSummary {
  readonly stored: number;
  readonly duplicates: number;
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

function toStoreItem(o: PreparedObject): StoreItem {
  const base = { id: o.id, type: o.type, specVersion: o.specVersion, json: o.json };
  const withOriginal = o.originalJson === undefined ? base : { ...base, originalJson: o.originalJson };
  if (o.version === undefined) return withOriginal;
  const ts = parseTimestamp(o.version);
  return ts ? { ...withOriginal, version: o.version, versionMicros: ts.micros } : withOriginal;
}

export async function processIngestJob(data: IngestJobData, deps: ProcessDeps): Promise<JobSummary> {
  const collection = deps.config.collections.find((c) => c.id === data.collectionId);
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.body);
  } catch {
    parsed = undefined;
  }
  const objects = objectsOfBody(parsed);
  const summary = { stored: 0, duplicates: 0, failed: 0, skipped: 0 };
  if (typeof objects === 'string' || !collection) {
    // The API checked the envelope before enqueueing; this only happens if the config changed meanwhile.
    await deps.statuses.complete(data.statusId, formatMicros(nowMicros()));
    return summary;
  }
  const settled = await deps.statuses.settledIndexes(data.statusId);
  const options: PrepareOptions = collection.default_tlp === undefined ? {} : { defaultTlp: collection.default_tlp };

  for (let start = 0; start < objects.length; start += BATCH_SIZE) {
    const indexes: number[] = [];
    const batch: unknown[] = [];
    for (let i = start; i < Math.min(start + BATCH_SIZE, objects.length); i++) {
      if (settled.has(i)) {
        summary.skipped++;
        continue;
      }
      indexes.push(i);
      batch.push(objects[i]);
    }
    if (batch.length === 0) continue;
    const outcomes = deps.prepare(batch, options);
    const results: StatusResult[] = [];
    const prepared: PreparedObject[] = [];
    // An object settles once: its first outcome decides (expanded SCOs share their parent's index).
    const failedIdx = new Set<number>();
    for (const o of outcomes) {
      if (o.ok) continue;
      const index = indexes[o.index] ?? -1;
      failedIdx.add(o.index);
      const detail = { id: o.id ?? `(object #${index})`, message: describeIssues(o.issues) };
      results.push({ index, outcome: 'failure', detail: o.version === undefined ? detail : { ...detail, version: o.version } });
      summary.failed++;
    }
    for (const o of outcomes) if (o.ok && !failedIdx.has(o.object.index)) prepared.push(o.object);
    const stored = await deps.store.storeBatch(collection.id, prepared.map(toStoreItem));
    const reported = new Set<number>();
    prepared.forEach((p, j) => {
      const out = stored[j];
      const index = indexes[p.index] ?? -1;
      // Only the object posted at that position is reported (SCOs expanded from it are stored silently).
      if (reported.has(p.index) || !isPosted(p, batch)) return;
      reported.add(p.index);
      const version = p.version ?? (out?.kind === 'stored' ? formatMicros(out.dateAdded) : undefined);
      const withVersion = (d: { id: string; message: string }) => (version === undefined ? d : { ...d, version });
      if (out?.kind === 'stored') {
        summary.stored++;
        results.push({ index, outcome: 'success', detail: withVersion({ id: p.id, message: `stored${p.postedId !== undefined ? ` (id changed from ${p.postedId})` : ''}${changesNote(p.changes)}` }) });
      } else if (out?.kind === 'duplicate') {
        summary.duplicates++;
        results.push({ index, outcome: 'success', detail: withVersion({ id: p.id, message: 'exact duplicate of a stored version; nothing stored' }) });
      } else {
        summary.failed++;
        results.push({
          index,
          outcome: 'failure',
          detail: withVersion({ id: p.id, message: 'VERSION_CONFLICT: a different object with the same id and version is already stored; publish a new version with a later modified timestamp' }),
        });
      }
    });
    await deps.statuses.record(data.statusId, results);
  }
  await deps.statuses.complete(data.statusId, formatMicros(nowMicros()));
  return summary;
}

/** True when the prepared object is the one posted at its index (not an SCO expanded from a 2.0 observed-data). */
function isPosted(p: PreparedObject, batch: readonly unknown[]): boolean {
  const posted = batch[p.index];
  if (typeof posted !== 'object' || posted === null) return true;
  const id = (posted as Record<string, unknown>)['id'];
  return typeof id !== 'string' || id === p.id || id === p.postedId;
}
