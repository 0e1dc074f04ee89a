/**
 * POST {root}/collections/{id}/objects/: checks the envelope synchronously (media type, size, JSON, shape),
 * hands the objects to ingest (src/ingest/accept.ts: a pending status, one job) and answers 202 with the status.
 */
import { isUtf8 } from 'node:buffer';
import type { Request, Response } from 'express';
import { objectsOfBody } from '../../ingest/job';
import { acceptObjects } from '../../ingest/accept';
import type { TaxiiDeps } from '../context';
import { readBody } from '../body';
import { Errors } from '../errors';
import { taxiiContentTypeError } from '../content-type';
import { sendTaxii } from '../respond';
import { apiRootOf, collectionOf, requirePrincipal, requireWrite, param } from './lookup';
import { noteAudit } from '../audit-trail';
import { utf8Text } from '../../common/text';

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
