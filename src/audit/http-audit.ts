/**
 * Records every TAXII and gateway HTTP request in the audit trail. A middleware registers a hook at the start
 * of each request; handlers add what only they know (ids served or written, the status id) with
 * `noteAudit`; when the response is finished (or the connection closed) one event is appended.
 *
 * The entry is written right after the response: a crash in between can lose that one entry (the data read
 * was served; a write is also in its status resource and in the worker's own `ingest` entry). A failure to
 * append is logged, never turned into an error for the client.
 */
import type { NextFunction, Request, Response } from 'express';
import type { GatewayConfig } from '../config/types';
import type { Logger } from '../taxii/context';
import { locals } from '../taxii/context';
import { type AuditAction, type AuditEvent, MAX_AUDIT_IDS, boundedIds } from './audit-event';
import type { AuditSink } from './audit-log';

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

/** The action and URL parts of a request path (`/{root}/collections/{id}/objects/...`). */
export function classifyRequest(
  method: string,
  path: string,
): { action: AuditAction; root?: string; collection?: string } {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] === 'gateway') {
    if (parts[2] === 'indicators' && parts[3] === 'lookup') return { action: 'lookup' };
    if (parts[2] === 'audit') return { action: 'audit_read' };
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

function collectionId(config: GatewayConfig, root: string | undefined, idOrAlias: string | undefined): string | undefined {
  if (idOrAlias === undefined) return undefined;
  const c =
    config.collections.find((x) => x.id === idOrAlias) ??
    config.collections.find((x) => (root === undefined || x.api_root === root) && x.alias === idOrAlias);
  return c?.id ?? idOrAlias.slice(0, 100);
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
  return (req: Request, res: Response, next: NextFunction): void => {
    let done = false;
    const write = (): void => {
      if (done) return;
      done = true;
      // originalUrl: inside a mounted router req.path is relative to the mount point.
      const q = req.originalUrl.indexOf('?');
      const path = (q < 0 ? req.originalUrl : req.originalUrl.slice(0, q)).slice(0, 300);
      const cls = classifyRequest(req.method, safeDecode(path));
      const note = notes.get(res) ?? {};
      const ids = note.ids ?? [];
      const collection = note.collection ?? collectionId(config, cls.root, cls.collection);
      const event: AuditEvent = {
        time: new Date().toISOString(),
        principal: locals(res).principal?.name ?? '',
        source: req.ip ?? req.socket.remoteAddress ?? '',
        action: cls.action,
        ...(collection === undefined ? {} : { collection }),
        method: req.method,
        path,
        http_status: res.headersSent ? res.statusCode : 0,
        count: note.count ?? ids.length,
        ...boundedIds(ids),
        ...(note.statusId === undefined ? {} : { status_id: note.statusId }),
        request_id: locals(res).requestId,
      };
      sink.record(event).catch((err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err), requestId: event.request_id }, 'audit entry not written');
      });
    };
    res.once('finish', write);
    res.once('close', write);
    next();
  };
}
