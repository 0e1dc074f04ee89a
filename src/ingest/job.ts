/**
 * What the API hands to the worker for one POST. The posted envelope itself waits beside the status
 * (StatusStore.body), so the queue carries a few hundred bytes per job, not the envelope JSON-escaped.
 */
export interface IngestJobData {
  readonly statusId: string;
  readonly collectionId: string;
  readonly apiRoot: string;
  /** Principal that posted, and the STIX identity of its CERT. */
  readonly principal: string;
  readonly identity: string;
  /** Jobs enqueued by earlier versions carried the request body here; it is read from the status store now. */
  readonly body?: string;
}

/** The queue as the API sees it. */
export interface IngestQueue {
  enqueue(job: IngestJobData): Promise<void>;
}

export const INGEST_QUEUE_NAME = 'ingest';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The objects of a posted body: a TAXII envelope `{objects: [...]}` or a STIX bundle
 * `{type: "bundle", objects: [...]}` (accepted for producers that post bundles; the bundle itself is not stored).
 * Returns a reason string when the body has neither shape.
 */
export function objectsOfBody(parsed: unknown): unknown[] | string {
  if (!isRecord(parsed)) return 'the body must be a JSON object: a TAXII envelope {"objects": [...]}';
  const objects = parsed['objects'];
  if (objects === undefined) {
    return parsed['type'] === 'bundle' ? [] : 'the envelope has no "objects" array';
  }
  if (!Array.isArray(objects)) return '"objects" must be an array';
  return objects;
}

export function isJobData(v: unknown): v is IngestJobData {
  return (
    isRecord(v) &&
    typeof v['statusId'] === 'string' &&
    typeof v['collectionId'] === 'string' &&
    typeof v['apiRoot'] === 'string' &&
    typeof v['principal'] === 'string' &&
    typeof v['identity'] === 'string' &&
    (v['body'] === undefined || typeof v['body'] === 'string')
  );
}

/** The version a posted object declares (modified, else created), when it is a plausible timestamp string. */
export function postedVersion(obj: unknown): string | undefined {
  if (!isRecord(obj)) return undefined;
  const v = obj['modified'] ?? obj['created'];
  return typeof v === 'string' && v.length <= 40 ? v : undefined;
}
