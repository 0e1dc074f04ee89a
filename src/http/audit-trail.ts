/**
 * Records every TAXII and gateway HTTP request in the audit trail. A middleware registers a hook at the start
 * of each request; handlers add what only they know (ids served or written, the status id) with
 * `noteAudit`; when the response is finished (or the connection closed) one event is appended.
 *
 * The entry is handed to the sink when the response ends; the API's sink appends in batches (at most 100 ms
 * later, src/audit/batched-audit-log.ts), so a crash can lose the entries of the last moments (the data read
 * was served; a write is also in its status resource and in the worker's own `ingest` entry). A failure to
 * append is logged, never turned into an error for the client.
 */
import type { NextFunction, Request, Response } from 'express';
import type { GatewayConfig } from '../config/types';
import type { Logger } from '../common/logger';
import { locals } from './locals';
import { type AuditAction, type AuditEvent, MAX_AUDIT_IDS, boundedIds } from '../audit/audit-event';
import type { AuditSink } from '../audit/audit-log';

/** What a handler adds to its request's audit entry. */
export interface AuditNote {
  readonly ids?: readonly string[];
  /** Objects concerned when more than the ids listed (defaults to ids.length). */
  readonly count?: number;
  readonly statusId?: string;
  readonly collection?: string;
}

const notes = new WeakMap<Response, AuditNote>();

/** Adds to the audit entry of this request (later notes override earlier fields). */
export function noteAudit(res: Response, note: AuditNote): void {
  notes.set(res, { ...notes.get(res), ...note });
}

/** The audit action of a request under /gateway/v1/inquiries (src/http/inquiries.ts). */
function inquiryAction(method: string, id: string | undefined, action: string | undefined): AuditAction {
  if (id === undefined) return method === 'POST' ? 'inquiry_open' : 'inquiry_list';
  if (action === undefined) return 'inquiry_read';
  switch (action) {
    case 'acknowledge':
      return 'inquiry_acknowledge';
    case 'answer':
      return 'inquiry_answer';
    case 'request-clarification':
      return 'inquiry_request_clarification';
    case 'clarify':
      return 'inquiry_clarify';
    case 'close':
      return 'inquiry_close';
    case 'withdraw':
      return 'inquiry_withdraw';
    default:
      return 'other';
  }
}

/** The action and URL parts of a request path (`/{root}/collections/{id}/objects/...`). */
export function classifyRequest(method: string, path: string): { action: AuditAction; root?: string; collection?: string } {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] === 'console') return { action: 'other' };
  if (parts[0] === 'gateway') {
    if (parts[2] === 'indicators' && parts[3] === 'lookup') return { action: 'lookup' };
    if (parts[2] === 'audit') return { action: 'audit_read' };
    if (parts[2] === 'inquiries') return { action: inquiryAction(method, parts[3], parts[4]) };
    if (parts[2] === 'collections' && parts[3] !== undefined) {
      const collection = parts[3];
      if (parts[4] === 'import') return { action: 'import', collection };
      if (parts[4] === 'export') return { action: 'export', collection };
      if (parts[4] === 'objects') return { action: 'get_object', collection };
    }
    return { action: 'other' };
  }
  if (parts.length === 1 && parts[0] === 'taxii2') return { action: 'discovery' };
  const root = parts[0];
  if (root === undefined) return { action: 'other' };
  if (parts.length === 1) return { action: 'api_root', root };
  if (parts[1] === 'status') return { action: 'get_status', root };
  if (parts[1] !== 'collections') return { action: 'other', root };
  const collection = parts[2];
  if (collection === undefined) return { action: 'collections', root };
  const base = { root, collection };
  if (parts.length === 3) return { action: 'collection', ...base };
  if (parts[3] === 'manifest') return { action: 'get_manifest', ...base };
  if (parts[3] !== 'objects') return { action: 'other', ...base };
  if (parts.length === 4) return { action: method === 'POST' ? 'add_objects' : 'get_objects', ...base };
  if (parts[5] === 'versions') return { action: 'get_versions', ...base };
  return { action: method === 'DELETE' ? 'delete_object' : 'get_object', ...base };
}

/** Resolves a collection id or alias of a URL to the collection id (aliases are per API root). */
function collectionResolver(config: GatewayConfig): (root: string | undefined, idOrAlias: string | undefined) => string | undefined {
  const ids = new Set(config.collections.map((c) => c.id));
  const byRootAlias = new Map<string, string>();
  const byAlias = new Map<string, string>();
  for (const c of config.collections) {
    if (c.alias === undefined) continue;
    // the first collection in config order wins, as a linear search would find it
    if (!byRootAlias.has(`${c.api_root}\u0000${c.alias}`)) byRootAlias.set(`${c.api_root}\u0000${c.alias}`, c.id);
    if (!byAlias.has(c.alias)) byAlias.set(c.alias, c.id);
  }
  return (root, idOrAlias) => {
    if (idOrAlias === undefined) return undefined;
    if (ids.has(idOrAlias)) return idOrAlias;
    const id = root === undefined ? byAlias.get(idOrAlias) : byRootAlias.get(`${root}\u0000${idOrAlias}`);
    return id ?? idOrAlias.slice(0, 100);
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Passes export pages through unchanged, noting the ids and the count served so far. */
export async function* auditedPages<T>(res: Response, collection: string, pages: AsyncIterable<readonly T[]>): AsyncGenerator<T[]> {
  const ids: string[] = [];
  let count = 0;
  for await (const page of pages) {
    count += page.length;
    for (const o of page) {
      if (ids.length >= MAX_AUDIT_IDS) break;
      const id: unknown = typeof o === 'object' && o !== null ? (o as Record<string, unknown>)['id'] : undefined;
      if (typeof id === 'string') ids.push(id);
    }
    noteAudit(res, { ids, count, collection });
    yield [...page];
  }
}

/** The express middleware; mount it before the routes. */
export function auditTrail(sink: AuditSink, config: GatewayConfig, log: Logger) {
  const collectionId = collectionResolver(config);
  const failed =
    (requestId: string | undefined) =>
    (err: unknown): void => {
      log.error({ err: err instanceof Error ? err.message : String(err), requestId }, 'audit entry not written');
    };
  return (req: Request, res: Response, next: NextFunction): void => {
    // 'close' is emitted once per response: after 'finish' when it was sent, or when the connection closed first.
    res.on('close', () => {
      // originalUrl: inside a mounted router req.path is relative to the mount point.
      const q = req.originalUrl.indexOf('?');
      const path = (q < 0 ? req.originalUrl : req.originalUrl.slice(0, q)).slice(0, 300);
      const cls = classifyRequest(req.method, safeDecode(path));
      const note = notes.get(res);
      const ids = note?.ids ?? [];
      const collection = note?.collection ?? collectionId(cls.root, cls.collection);
      const requestId = locals(res).requestId;
      const bounded = boundedIds(ids);
      // Fields in the stored order; the undefined ones are left out by JSON.stringify.
      const event: AuditEvent = {
        time: new Date().toISOString(),
        principal: locals(res).principal?.name ?? '',
        source: req.ip ?? req.socket.remoteAddress ?? '',
        action: cls.action,
        collection,
        method: req.method,
        path,
        http_status: res.headersSent ? res.statusCode : 0,
        count: note?.count ?? ids.length,
        ids: bounded.ids,
        ids_truncated: bounded.ids_truncated,
        status_id: note?.statusId,
        request_id: requestId,
      };
      sink.record(event).catch(failed(requestId));
    });
    next();
  };
}
