/**
 * GET /gateway/v1/audit?since=…[&until=…][&principal=…][&collection=…][&action=…][&limit=…][&next=…]
 * The audit trail for admin principals (operators); anyone else gets 403. Answers
 * `{ "entries": [...], "more": bool, "next"?: "<stream id>" }` as JSON.
 */
import type { Request, Response } from 'express';
import { Errors } from './errors';
import { requirePrincipal } from './taxii/lookup';
import type { AuditTrail } from '../audit/audit-log';
import { type AuditParams, buildAuditQuery } from '../audit/audit-query';
import { noteAudit } from './audit-trail';
import { searchParams } from './query';

const PARAMS = ['since', 'until', 'principal', 'collection', 'action', 'limit', 'next'] as const;

function params(req: Request): AuditParams {
  const q = req.originalUrl.indexOf('?');
  const search = q < 0 ? '' : req.originalUrl.slice(q + 1);
  const sp = searchParams(search, 4096, { tooLong: 'The query string is too long.', unreadable: 'The query string could not be read.' });
  const out: Record<string, string | undefined> = {};
  for (const name of sp.keys()) {
    if (!(PARAMS as readonly string[]).includes(name)) throw Errors.invalidFilter(name.slice(0, 50), 'unknown parameter');
  }
  for (const name of PARAMS) {
    const all = sp.getAll(name);
    if (all.length > 1) throw Errors.invalidFilter(name, 'given more than once');
    out[name] = all[0];
  }
  return {
    since: out['since'],
    until: out['until'],
    principal: out['principal'],
    collection: out['collection'],
    action: out['action'],
    limit: out['limit'],
    next: out['next'],
  };
}

export function readAudit(trail: AuditTrail) {
  return async (req: Request, res: Response): Promise<void> => {
    const p = requirePrincipal(res);
    if (!p.admin) throw Errors.forbidden('Only operator (admin) principals may read the audit trail.');
    const query = buildAuditQuery(params(req), Date.now());
    if (typeof query === 'string') throw Errors.badRequest(query);
    const page = await trail.query(query);
    noteAudit(res, { count: page.entries.length });
    res.status(200).json({ more: page.next !== undefined, ...(page.next === undefined ? {} : { next: page.next }), entries: page.entries });
  };
}
