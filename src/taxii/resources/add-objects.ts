/**
 * POST {root}/collections/{id}/objects/: checks the envelope synchronously (media type, size, JSON, shape),
 * records a pending status listing every object, enqueues one job and answers 202 with the status.
 */
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { objectsOfBody, postedVersion } from '../../ingest/job';
import { formatMicros, nowMicros } from '../../stix/time';
import type { AuthenticatedPrincipal } from '../../auth/types';
import { detailJson, statusJson, type StatusDetail } from '../../store/status-store';
import type { TaxiiDeps } from '../context';
import { readBody } from '../body';
import { Errors } from '../errors';
import { taxiiContentTypeError } from '../media-type';
import { sendTaxii } from '../respond';
import { apiRootOf, collectionOf, requirePrincipal, requireWrite, param } from './lookup';
import { noteAudit } from '../../audit/http-audit';
import { utf8Text } from '../../common/text';

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
export async function acceptObjects(deps: Pick<TaxiiDeps, 'statuses' | 'queue' | 'log'>, target: AcceptTarget, objects: readonly unknown[], body: string | Buffer): Promise<AcceptedStatus> {
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
  const json = statusJson(meta, empty, { successes: '', successCount: 0, failures: '', failureCount: 0, pendings: lines.join(','), pendingCount: objects.length });
  return { id: statusId, postedIds: details.map((d) => d.id), json };
}

/** A status resource's JSON text with one more property at its end (e.g. a native import's report). */
export function withProperty(json: string, name: string, value: unknown): string {
  return `${json.slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(value)}}`;
}

/**
 * The body as text. JSON is UTF-8 (RFC 8259); invalid bytes are refused rather than replaced with U+FFFD,
 * which would silently alter indicator values. A leading byte-order mark, which some producers write, is
 * dropped, so the worker parses the same text.
 */
function withoutBom(raw: Buffer): Buffer {
  if (!isUtf8(raw)) throw Errors.invalidJson('the body is not valid UTF-8');
  const bom = raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
  return bom ? raw.subarray(3) : raw;
}

export function addObjects(deps: TaxiiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const root = apiRootOf(deps.config, param(req, 'root'));
    const p = requirePrincipal(res);
    const c = collectionOf(deps.config, root.name, param(req, 'collection'), p);
    requireWrite(p, c);
    const contentTypeError = taxiiContentTypeError(req.headers['content-type']);
    if (contentTypeError) throw contentTypeError;
    const raw = withoutBom(await readBody(req, res, root.max_content_length));
    let parsed: unknown;
    try {
      parsed = JSON.parse(utf8Text(raw));
    } catch (err) {
      throw Errors.invalidJson(err instanceof Error ? err.message.slice(0, 200) : 'unparseable');
    }
    const objects = objectsOfBody(parsed);
    if (typeof objects === 'string') throw Errors.notAnEnvelope(objects);

    const status = await acceptObjects(deps, { apiRoot: root.name, collectionId: c.id, principal: p }, objects, raw);
    noteAudit(res, { ids: status.postedIds, statusId: status.id });
    sendTaxii(res, 202, status.json);
  };
}
