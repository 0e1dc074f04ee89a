/** Operators only: the audit trail (page and CSV export) and the configuration with its check-config result. */
import type express from 'express';
import type { Request } from 'express';
import type { AuditEntry } from '../../../audit/audit-event';
import type { AuditQuery } from '../../../audit/audit-log';
import { type AuditFilter, buildAuditQuery } from '../../../audit/audit-query';
import type { ConsoleContext } from '../console-context';
import { adminOnly, cl, h, query, send } from '../console-http';
import { auditCsvRows, auditPage, AUDIT_CSV_HEADER, type AuditFilters } from '../pages/audit';
import { configPage } from '../pages/config';
import { page } from '../view';

/** The filters of the query string ('' when absent); the period defaults to the last 24 hours. */
function auditFilters(req: Request): AuditFilters {
  const q = query(req);
  const g = (k: AuditFilter): string => (q.get(k) ?? '').slice(0, 100);
  return { since: g('since') || '24h', until: g('until'), principal: g('principal'), collection: g('collection'), action: g('action') };
}

const set = (s: string): string | undefined => (s === '' ? undefined : s);

export function operatorRoutes(r: express.Router, { deps, services, now }: ConsoleContext): void {
  const auditQueryOf = (f: AuditFilters, limit: number, after?: string): AuditQuery | string =>
    buildAuditQuery(
      {
        since: f.since,
        until: set(f.until),
        principal: set(f.principal),
        collection: set(f.collection),
        action: set(f.action),
        limit: String(limit),
        next: after,
      },
      now(),
      limit,
    );

  r.get(
    '/audit',
    adminOnly,
    h(async (req, res) => {
      const v = cl(res).view;
      const f = auditFilters(req);
      const q = auditQueryOf(f, 100);
      const found = typeof q === 'string' || !deps.audit ? undefined : await deps.audit.query(q);
      const problem = typeof q === 'string' ? q : undefined;
      send(res, 200, page(v, v.t.audit, auditPage(v, deps.config, f, found?.entries ?? [], found?.next !== undefined, problem)));
    }),
  );

  r.get(
    '/audit.csv',
    adminOnly,
    h(async (req, res) => {
      const f = auditFilters(req);
      const trail = deps.audit;
      let q = auditQueryOf(f, 1000);
      if (typeof q === 'string' || !trail) {
        res
          .status(400)
          .type('text/plain')
          .send(typeof q === 'string' ? q : 'no audit trail');
        return;
      }
      res.status(200).type('text/csv; charset=utf-8').attachment('audit.csv');
      res.write(AUDIT_CSV_HEADER);
      // At most 100 pages of 1000 entries per export: narrow the period for more.
      for (let i = 0; i < 100; i++) {
        const p: { entries: readonly AuditEntry[]; next?: string } = await trail.query(q);
        res.write(auditCsvRows(p.entries));
        if (p.next === undefined) break;
        const nextQ = auditQueryOf(f, 1000, p.next);
        if (typeof nextQ === 'string') break;
        q = nextQ;
      }
      res.end();
    }),
  );

  r.get(
    '/config',
    adminOnly,
    h(async (_req, res) => {
      const v = cl(res).view;
      send(res, 200, page(v, v.t.configuration, configPage(v, deps.config, await services.checkConfig())));
    }),
  );
}
