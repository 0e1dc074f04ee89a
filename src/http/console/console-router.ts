/**
 * The operator console under /console/: server-rendered pages and a few JSON calls, for the same principals
 * and permissions as the TAXII API. Routes are thin: they read the request, call the use cases (src/exchange/,
 * src/browse/, the import endpoint) and render a page.
 *
 * Security (docs/console.md): sign-in with the principal's credentials (the same authenticator and failed-login
 * throttle as the API) opens a server-side session in Redis whose random id travels in an HttpOnly,
 * SameSite=Strict cookie (Secure and `__Host-` under TLS); every POST must carry the session's CSRF token (a
 * form field, or the X-CSRF-Token header for the upload), and before sign-in the token of a pre-session
 * cookie; a cross-site Origin or Sec-Fetch-Site is refused as well. The Content-Security-Policy allows only the
 * gateway's own scripts and styles (no inline script or style), no framing, forms posting only to the gateway.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { buildAuditQuery } from '../../audit/audit-query';
import type { AuditEntry } from '../../audit/audit-event';
import { loginAccount } from '../../auth/authenticator';
import { type BrowseDeps, objectDetail, searchObjects } from '../../browse/object-browser';
import { buildReport, reportCsv, reportJson } from '../../exchange/exchange-report';
import { importNative } from '../gateway/import-export';
import type { TaxiiDeps } from '../context';
import { locals } from '../locals';
import { TaxiiError } from '../errors';
import { noteAudit } from '../audit-trail';
import type { ConsoleServices } from './console-services';
import { html } from './html';
import { type Lang, isLang, messages } from './i18n';
import { auditCsvRows, auditPage, AUDIT_CSV_HEADER, type AuditFilters } from './pages/audit';
import { collectionsPage } from './pages/collections';
import { configPage } from './pages/config';
import { importsPage } from './pages/imports';
import { loginPage } from './pages/login';
import { detailPage, resultsTable, searchForm } from './pages/objects';
import { overviewPage, periodForm, periodOf } from './pages/overview';
import { reportBody } from './report-html';
import { inquiriesPage } from './pages/inquiries';
import { InquiryError } from '../../inquiries/inquiry-error';
import { INQUIRY_ACTIONS, type InquiryAction } from '../../inquiries/state-machine';

import { randomToken } from './session-store';
import type { AuthenticatedPrincipal } from '../../auth/types';
import { type View, cookieNames, langOf, page, readCookies, setCookie } from './view';

function isInquiryAction(s: string): s is InquiryAction {
  return (INQUIRY_ACTIONS as readonly string[]).includes(s);
}

export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const ASSET_DIR = path.join(__dirname, 'assets');

/** Every file the console serves: its own, and uPlot's from node_modules (no CDN). */
function loadAssets(): Map<string, { type: string; body: Buffer }> {
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  const uplotDir = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  const files: [string, string, string][] = [
    ['console.css', path.join(ASSET_DIR, 'console.css'), css],
    ['console.js', path.join(ASSET_DIR, 'console.js'), js],
    ['overview.js', path.join(ASSET_DIR, 'overview.js'), js],
    ['import.js', path.join(ASSET_DIR, 'import.js'), js],
    ['inquiries.js', path.join(ASSET_DIR, 'inquiries.js'), js],
    ['uplot.js', path.join(uplotDir, 'uPlot.iife.min.js'), js],
    ['uplot.css', path.join(uplotDir, 'uPlot.min.css'), css],
  ];
  return new Map(files.map(([name, file, type]) => [name, { type, body: readFileSync(file) }]));
}

interface ConsoleLocals {
  view: View;
  secure: boolean;
}

function cl(res: Response): ConsoleLocals {
  return res.locals as ConsoleLocals & Record<string, unknown>;
}

function query(req: Request): URLSearchParams {
  const q = req.originalUrl.indexOf('?');
  const search = q < 0 ? '' : req.originalUrl.slice(q + 1);
  return new URLSearchParams(search.length > 4096 ? '' : search);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

type Handler = (req: Request, res: Response, next: NextFunction) => Promise<void> | void;

/** Runs an async handler, passing a rejection to the error handler. */
function h(fn: Handler): Handler {
  return (req, res, next) => {
    Promise.resolve(fn(req, res, next)).catch(next);
  };
}

function send(res: Response, status: number, body: string): void {
  res.status(status).type('text/html; charset=utf-8').send(body);
}

/** The signed-in principal (every route below the session check has one). */
function sessionOf(res: Response): AuthenticatedPrincipal {
  const s = cl(res).view.session;
  if (!s) throw new TaxiiError(401, 'UNAUTHORIZED', 'Unauthorized', 'Sign in first.');
  return s.principal;
}

/** The console's static files, mounted before the audit trail (fetching a stylesheet is not worth an entry). */
export function consoleAssets(): express.Router {
  const r = express.Router({ strict: false, caseSensitive: true });
  const assets = loadAssets();
  r.get('/:name', (req, res) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    const a = assets.get(String(req.params['name']));
    if (!a) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.status(200).type(a.type).send(a.body);
  });
  return r;
}

export function consoleRouter(deps: TaxiiDeps, services: ConsoleServices): express.Router {
  const r = express.Router({ strict: false, caseSensitive: true });
  const now = services.now ?? Date.now;
  const browse: BrowseDeps = { config: deps.config, store: deps.store, lookup: deps.lookup, exchange: services.exchange };
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

  r.use((req, res, next) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with its own form posts.
    res.setHeader('Referrer-Policy', 'same-origin');
    cl(res).secure = req.secure;
    next();
  });

  // Session, language and the CSRF token of every page.
  r.use(
    h(async (req, res, next) => {
      const secure = cl(res).secure;
      const names = cookieNames(secure);
      const cookies = readCookies(req);
      const session = await services.sessions.get(cookies.get(names.session));
      let csrf = session?.csrf;
      if (csrf === undefined) {
        const pre = cookies.get(names.pre);
        csrf = pre !== undefined && /^[A-Za-z0-9_-]{43}$/.test(pre) ? pre : randomToken();
        if (pre !== csrf) setCookie(res, secure, names.pre, csrf);
      }
      const lang = langOf(req, secure);
      const view: View = { lang, t: messages(lang), csrf, path: req.path.replace(/\/+$/, '') || '/', ...(session ? { session } : {}) };
      cl(res).view = view;
      if (session) locals(res).principal = session.principal;
      next();
    }),
  );

  // Every POST: same-origin, and the token of this session (or of the pre-session cookie before sign-in).
  r.use((req, res, next) => {
    if (req.method !== 'POST') {
      next();
      return;
    }
    form(req, res, (err?: unknown) => (err === undefined ? checkPost(req, res, next) : next(err)));
  });
  const checkPost = (req: Request, res: Response, next: NextFunction): void => {
    const v = cl(res).view;
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    const host = req.headers.host ?? '';
    const crossSite =
      (site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && origin !== `${req.protocol}://${host}`);
    const body: unknown = req.body;
    const field = typeof body === 'object' && body !== null ? str((body as Record<string, unknown>)['csrf']) : '';
    const token = field !== '' ? field : str(req.headers['x-csrf-token']);
    if (crossSite || !sameToken(token, v.csrf)) {
      send(res, 403, page(v, v.t.error, html`<p class="error" role="alert">${v.t.csrf_refused}</p>`));
      return;
    }
    next();
  };

  r.get('/login', (_req, res) => {
    const v = cl(res).view;
    if (v.session) {
      res.redirect(303, '/console/');
      return;
    }
    send(res, 200, page(v, v.t.login_title, loginPage(v, query(_req).get('expired') === '1' ? v.t.expired : undefined)));
  });

  r.post(
    '/login',
    h(async (req, res) => {
      const v = cl(res).view;
      const body = req.body as Record<string, unknown>;
      const user = str(body['user']).slice(0, 200);
      const password = str(body['password']).slice(0, 1000);
      const header = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      const address = req.ip ?? req.socket.remoteAddress ?? '';
      const wait = deps.failedLogins?.retryAfterSeconds(address, () => loginAccount(header)) ?? 0;
      if (wait > 0) {
        res.setHeader('Retry-After', String(wait));
        send(res, 429, page(v, v.t.login_title, loginPage(v, v.t.throttled)));
        return;
      }
      const outcome = user === '' || user.includes(':') ? { ok: false as const } : await deps.authenticate(header);
      if (!outcome.ok) {
        deps.failedLogins?.failed(address, loginAccount(header));
        send(res, 401, page(v, v.t.login_title, loginPage(v, v.t.bad_login)));
        return;
      }
      const { cookie } = await services.sessions.create(outcome.principal);
      locals(res).principal = outcome.principal;
      const names = cookieNames(cl(res).secure);
      setCookie(res, cl(res).secure, names.session, cookie);
      setCookie(res, cl(res).secure, names.pre, '', 0);
      res.redirect(303, '/console/');
    }),
  );

  r.post(
    '/logout',
    h(async (req, res) => {
      const names = cookieNames(cl(res).secure);
      await services.sessions.destroy(readCookies(req).get(names.session));
      setCookie(res, cl(res).secure, names.session, '', 0);
      res.redirect(303, '/console/login');
    }),
  );

  r.post('/lang', (req, res) => {
    const body = req.body as Record<string, unknown>;
    const lang = str(body['lang']);
    const back = str(body['back']);
    if (isLang(lang)) setCookie(res, cl(res).secure, cookieNames(cl(res).secure).lang, lang, 365 * 86400);
    // Only a console path of our own (no scheme, no //host): the switch cannot redirect elsewhere.
    res.redirect(303, /^\/[A-Za-z0-9/_.-]{0,200}$/.test(back) && !back.startsWith('//') ? `/console${back}` : '/console/');
  });

  // Everything below needs a session: pages redirect to the sign-in form, API calls get 401.
  r.use((req, res, next) => {
    if (cl(res).view.session) {
      next();
      return;
    }
    if (req.path.startsWith('/api/')) {
      res.status(401).json({ error: 'UNAUTHORIZED', message: 'Sign in first.' });
      return;
    }
    const hadCookie = readCookies(req).has(cookieNames(cl(res).secure).session);
    res.redirect(303, hadCookie ? '/console/login?expired=1' : '/console/login');
  });

  const adminOnly: Handler = (_req, res, next) => {
    const v = cl(res).view;
    if (v.session?.principal.admin) {
      next();
      return;
    }
    send(res, 403, page(v, v.t.error, html`<p class="error" role="alert">${v.t.forbidden}</p>`));
  };

  r.get(
    '/',
    h(async (req, res) => {
      const v = cl(res).view;
      const days = periodOf(query(req).get('days'));
      const body = await overviewPage(v, sessionOf(res), services.exchange, days, now(), services.federation);
      send(res, 200, page(v, v.t.overview, body, ['uplot.js', 'overview.js'], ['uplot.css']));
    }),
  );

  r.get(
    '/api/overview',
    h(async (req, res) => {
      const days = periodOf(query(req).get('days'));
      const f = await services.exchange.figures(sessionOf(res), days, now(), { details: false });
      res.status(200).json({
        from: f.from,
        to: f.to,
        days: f.days,
        weekly: f.weekly,
        collections: f.collections.map((c) => ({
          id: c.id,
          title: c.title,
          country: c.country ?? '',
          withheld: c.withheld,
          series: c.series,
        })),
      });
    }),
  );

  r.get(
    '/collections',
    h(async (_req, res) => {
      const v = cl(res).view;
      send(res, 200, page(v, v.t.collections, await collectionsPage(v, sessionOf(res), browse, now())));
    }),
  );

  r.get(
    '/objects',
    h(async (req, res) => {
      const v = cl(res).view;
      const q = query(req);
      const s = {
        value: (q.get('value') ?? '').slice(0, 4096),
        type: (q.get('type') ?? '').slice(0, 100),
        collection: (q.get('collection') ?? '').slice(0, 100),
        date: (q.get('date') ?? '').slice(0, 10),
      };
      const viewer = sessionOf(res);
      const date = /^\d{4}-\d{2}-\d{2}$/.test(s.date) ? Date.parse(`${s.date}T00:00:00Z`) : undefined;
      const asked = s.value !== '' || s.type !== '' || s.collection !== '' || date !== undefined;
      const result = asked
        ? await searchObjects(browse, viewer, {
            ...(s.value === '' ? {} : { value: s.value }),
            ...(s.type === '' ? {} : { type: s.type }),
            ...(s.collection === '' ? {} : { collection: s.collection }),
            ...(date === undefined || Number.isNaN(date) ? {} : { afterMs: date }),
          })
        : undefined;
      if (result) noteAudit(res, { ids: result.objects.map((o) => o.id), count: result.objects.length });
      send(res, 200, page(v, v.t.objects, html`${searchForm(v, viewer, browse, s)}${result ? resultsTable(v, result) : ''}`));
    }),
  );

  r.get(
    '/objects/:collection/:id',
    h(async (req, res) => {
      const v = cl(res).view;
      const d = await objectDetail(browse, sessionOf(res), String(req.params['collection']), String(req.params['id']));
      if (!d) {
        send(res, 404, page(v, v.t.not_found, html`<p>${v.t.not_found}</p>`));
        return;
      }
      noteAudit(res, { ids: [d.id], count: 1, collection: d.collection.id });
      send(res, 200, page(v, d.id, detailPage(v, d)));
    }),
  );

  r.get('/imports', (_req, res) => {
    const v = cl(res).view;
    send(res, 200, page(v, v.t.imports, importsPage(v, sessionOf(res), deps.config), ['import.js']));
  });

  // The upload: the import endpoint itself (same checks, same pipeline), behind the session and its CSRF token.
  r.post('/api/import/:collection', h(importNative(deps)));

  r.get(
    '/api/status/:id',
    h(async (req, res) => {
      const p = sessionOf(res);
      const id = String(req.params['id']);
      const found = /^[0-9a-f-]{36}$/.test(id) ? await deps.statuses.get(id) : undefined;
      if (!found || (found.meta.owner !== p.name && !p.admin)) {
        res.status(404).json({ error: 'NOT_FOUND', message: 'No such status for you.' });
        return;
      }
      res.status(200).json(found.resource);
    }),
  );

  r.get(
    '/inquiries',
    h(async (req, res) => {
      const v = cl(res).view;
      const list = deps.inquiries ? await deps.inquiries.list(sessionOf(res), {}) : undefined;
      const problem = query(req).get('problem') ?? undefined;
      send(res, 200, page(v, v.t.inquiries, inquiriesPage(v, list, now(), problem?.slice(0, 300)), ['inquiries.js']));
    }),
  );

  // An inquiry action (acknowledge, answer, close, …): the inquiries use case decides whose turn it is.
  r.post(
    '/inquiries/:id/:action',
    h(async (req, res) => {
      const v = cl(res).view;
      const action = String(req.params['action']);
      const service = deps.inquiries;
      if (!service || !isInquiryAction(action)) {
        send(res, 404, page(v, v.t.not_found, html`<p>${v.t.not_found}</p>`));
        return;
      }
      const body = req.body as Record<string, unknown>;
      const content = str(body['content']).slice(0, 20_000);
      try {
        await service.act(sessionOf(res), String(req.params['id']), action, {
          lang: v.lang,
          translations: {},
          ...(content === '' ? {} : { content }),
        });
      } catch (err) {
        if (!(err instanceof InquiryError)) throw err;
        res.redirect(303, `/console/inquiries?problem=${encodeURIComponent(`${err.code}: ${err.message}`)}`);
        return;
      }
      res.redirect(303, '/console/inquiries');
    }),
  );

  r.get(
    '/report',
    h(async (req, res) => {
      const v = cl(res).view;
      const days = periodOf(query(req).get('days'));
      const report = await buildReport(services.exchange, sessionOf(res), days, now());
      const body = html`<div class="no-print">${periodForm(v, '/console/report', days)}<p><button type="button" data-action="print">${v.t.print}</button>
<a href="/console/report.json?days=${days}">JSON</a> · <a href="/console/report.csv?days=${days}">CSV</a></p></div>${reportBody(v.t, report)}`;
      send(res, 200, page(v, v.t.report_for, body));
    }),
  );

  r.get(
    /^\/report\.(json|csv)$/,
    h(async (req, res) => {
      const days = periodOf(query(req).get('days'));
      const report = await buildReport(services.exchange, sessionOf(res), days, now());
      if (req.path.endsWith('.json')) res.status(200).type('application/json').send(reportJson(report));
      else res.status(200).type('text/csv; charset=utf-8').attachment(`exchange-report-${report.to}.csv`).send(reportCsv(report));
    }),
  );

  const auditFilters = (req: Request): AuditFilters => {
    const q = query(req);
    const g = (k: string): string => (q.get(k) ?? '').slice(0, 100);
    return { since: g('since') || '24h', until: g('until'), principal: g('principal'), action: g('action'), collection: g('collection') };
  };
  const auditQueryOf = (f: AuditFilters, limit: number, after?: string) =>
    buildAuditQuery(
      {
        since: f.since,
        until: f.until || undefined,
        principal: f.principal || undefined,
        action: f.action || undefined,
        collection: f.collection || undefined,
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
      const pageOf = typeof q === 'string' || !deps.audit ? undefined : await deps.audit.query(q);
      send(
        res,
        200,
        page(
          v,
          v.t.audit,
          auditPage(v, deps.config, f, pageOf?.entries ?? [], pageOf?.next !== undefined, typeof q === 'string' ? q : undefined),
        ),
      );
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

  r.use((_req, res) => {
    const v = cl(res).view;
    send(res, 404, page(v, v.t.not_found, html`<p>${v.t.not_found}</p>`));
  });

  // Errors: JSON for the API calls, a page otherwise; details of unknown errors are logged, never shown.
  r.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const v = cl(res).view ?? { lang: 'en' as Lang, t: messages('en'), csrf: '', path: '/' };
    const known = err instanceof TaxiiError;
    if (!known) deps.log.error({ err: err instanceof Error ? err.message : String(err), path: req.path }, 'console error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status = known ? err.httpStatus : 500;
    const message = known ? `${err.title}: ${err.description}` : v.t.error;
    if (req.path.startsWith('/api/')) {
      res.status(status).json({ error: known ? err.code : 'INTERNAL', message, ...(known && err.details ? { details: err.details } : {}) });
      return;
    }
    send(res, status, page(v, v.t.error, html`<p class="error" role="alert">${message}</p>`));
  });
  return r;
}
