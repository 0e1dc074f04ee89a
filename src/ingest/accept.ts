/**
 * The ingest hand-off shared by every way objects enter a collection (TAXII POST, native import over HTTP or
 * the CLI, a federation pull): a pending status resource listing each object, and one ingest job.
 */
import { randomUUID } from 'node:crypto';
import type { AuthenticatedPrincipal } from '../auth/types';
import type { Logger } from '../common/logger';
import { formatMicros, nowMicros } from '../stix/time';
import { detailJson, statusJson, type StatusDetail, type StatusStore } from '../store/status-store';
import { postedVersion, type IngestQueue } from './job';

/** What the hand-off writes to: the status store, the ingest queue, the log. */
export interface AcceptDeps {
  readonly statuses: StatusStore;
  readonly queue: IngestQueue;
  readonly log: Logger;
}

/** The id and version a status lists for a posted object, before the worker has looked at it. */
export function pendingDetail(obj: unknown, index: number): StatusDetail {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return { id: `(object #${index}: not a JSON object)` };
  const rec = obj as Record<string, unknown>;
  const id = typeof rec['id'] === 'string' && rec['id'].length <= 300 ? rec['id'] : `(object #${index}: no valid id)`;
  const version = postedVersion(rec);
  return version === undefined ? { id } : { id, version };
}

/** Where accepted objects go and who sent them. */
export interface AcceptTarget {
  readonly apiRoot: string;
  readonly collectionId: string;
  readonly principal: AuthenticatedPrincipal;
}

/** A recorded pending status: its id, the posted objects' ids, and the status resource to answer with (JSON). */
export interface AcceptedStatus {
  readonly id: string;
  readonly postedIds: readonly string[];
  readonly json: string;
}

/**
 * The ingest hand-off shared by every way objects enter a collection (TAXII POST, native import): records a
 * pending status listing each object together with the envelope text, enqueues one job, and returns the status
 * resource to answer with (202). `body` must be the JSON text (or its UTF-8 bytes) whose `objects` are
 * `objects`: it is stored as received, not re-serialized.
 */
export async function acceptObjects(
  deps: AcceptDeps,
  target: AcceptTarget,
  objects: readonly unknown[],
  body: string | Buffer,
): Promise<AcceptedStatus> {
  const { apiRoot, collectionId, principal: p } = target;
  const statusId = randomUUID();
  const requestTimestamp = formatMicros(nowMicros());
  const details = objects.map(pendingDetail);
  const lines = details.map(detailJson);
  const meta = { id: statusId, owner: p.name, apiRoot, collectionId, requestTimestamp, totalCount: objects.length };
  const empty = objects.length === 0;
  await deps.statuses.create(meta, lines.join('\n'), empty ? undefined : body);
  if (empty) {
    await deps.statuses.complete(statusId, requestTimestamp);
  } else {
    await deps.queue.enqueue({ statusId, collectionId, apiRoot, principal: p.name, identity: p.identity });
  }
  deps.log.info({ collection: collectionId, principal: p.name, statusId, objects: objects.length }, 'objects accepted');
  const json = statusJson(meta, empty, {
    successes: '',
    successCount: 0,
    failures: '',
    failureCount: 0,
    pendings: lines.join(','),
    pendingCount: objects.length,
  });
  return { id: statusId, postedIds: details.map((d) => d.id), json };
}

/** A status resource's JSON text with one more property at its end (e.g. a native import's report). */
export function withProperty(json: string, name: string, value: unknown): string {
  return `${json.slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(value)}}`;
}
