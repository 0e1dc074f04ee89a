/**
 * POST {root}/collections/{id}/objects/: checks the envelope synchronously (media type, size, JSON, shape),
 * records a pending status listing every object, enqueues one job and answers 202 with the status.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { objectsOfBody, postedVersion } from '../../ingest/job';
import { formatMicros, nowMicros } from '../../stix/time';
import type { AuthenticatedPrincipal } from '../../auth/types';
import type { StatusDetail } from '../../store/status-store';
import type { TaxiiDeps } from '../context';
import { readBody } from '../body';
import { Errors } from '../errors';
import { isTaxii21, parseMediaType } from '../media-type';
import { sendJson } from '../respond';
import { apiRootOf, collectionOf, requirePrincipal, requireWrite, param } from './lookup';
import { noteAudit } from '../../audit/http-audit';

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

/**
 * The ingest hand-off shared by every way objects enter a collection (TAXII POST, native import): records a
 * pending status listing each object, enqueues one job with the envelope text, and returns the status
 * resource to answer with (202). `body` must be the JSON text whose `objects` are `objects`.
 */
export async function acceptObjects(deps: Pick<TaxiiDeps, 'statuses' | 'queue' | 'log'>, target: AcceptTarget, objects: readonly unknown[], body: string): Promise<Record<string, unknown>> {
  const { apiRoot, collectionId, principal: p } = target;
  const statusId = randomUUID();
  const requestTimestamp = formatMicros(nowMicros());
  const pendings = objects.map(pendingDetail);
  await deps.statuses.create(
    { id: statusId, owner: p.name, apiRoot, collectionId, requestTimestamp, totalCount: objects.length },
    pendings,
  );
  if (objects.length === 0) {
    await deps.statuses.complete(statusId, requestTimestamp);
  } else {
    await deps.queue.enqueue({ statusId, collectionId, apiRoot, principal: p.name, identity: p.identity, body });
  }
  deps.log.info({ collection: collectionId, principal: p.name, statusId, objects: objects.length }, 'objects accepted');
  const complete = objects.length === 0;
  return {
    id: statusId,
    status: complete ? 'complete' : 'pending',
    request_timestamp: requestTimestamp,
    total_count: objects.length,
    success_count: 0,
    successes: [],
    failure_count: 0,
    failures: [],
    pending_count: objects.length,
    pendings,
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The body as text. JSON is UTF-8 (RFC 8259); invalid bytes are refused rather than replaced with U+FFFD,
 * which would silently alter indicator values. A leading byte-order mark, which some producers write, is
 * dropped (the decoder does it), so the worker parses the same text.
 */
function decodeUtf8(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw Errors.invalidJson('the body is not valid UTF-8');
  }
}

export function addObjects(deps: TaxiiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const root = apiRootOf(deps.config, param(req, 'root'));
    const p = requirePrincipal(res);
    const c = collectionOf(deps.config, root.name, param(req, 'collection'), p);
    requireWrite(p, c);
    const contentType = req.headers['content-type'];
    const mt = contentType === undefined ? undefined : parseMediaType(contentType);
    if (!mt || !isTaxii21(mt)) throw Errors.unsupportedMediaType(contentType);
    const raw = await readBody(req, res, root.max_content_length);
    const text = decodeUtf8(raw);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw Errors.invalidJson(err instanceof Error ? err.message.slice(0, 200) : 'unparseable');
    }
    const objects = objectsOfBody(parsed);
    if (typeof objects === 'string') throw Errors.notAnEnvelope(objects);

    const status = await acceptObjects(deps, { apiRoot: root.name, collectionId: c.id, principal: p }, objects, text);
    noteAudit(res, { ids: objects.map((o, i) => pendingDetail(o, i).id), statusId: String(status['id']) });
    sendJson(res, 202, status);
  };
}
