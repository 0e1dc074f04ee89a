/**
 * The operator console under /console/: server-rendered pages and a few JSON calls, for the same principals
 * and permissions as the TAXII API. This router only puts the steps in order; the security steps are in
 * console-security.ts and each group of pages in routes/ (thin: read the request, call the use cases of
 * src/exchange/, src/browse/, src/inquiries/ or the import endpoint, render a page).
 *
 * Security (docs/console.md): sign-in with the principal's credentials (the same authenticator and failed-login
 * throttle as the API) opens a server-side session in Redis whose random id travels in an HttpOnly,
 * SameSite=Strict cookie (Secure and `__Host-` under TLS); every POST must carry the session's CSRF token (a
 * form field, or the X-CSRF-Token header for the upload), and before sign-in the token of a pre-session
 * cookie; a cross-site Origin or Sec-Fetch-Site is refused as well. The Content-Security-Policy allows only the
 * gateway's own scripts and styles (no inline script or style), no framing, forms posting only to the gateway.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { BrowseDeps } from '../../browse/object-browser';
import type { TaxiiDeps } from '../context';
import { TaxiiError } from '../errors';
import type { ConsoleContext } from './console-context';
import { cl, send, sendNotFound } from './console-http';
import { postStep, requireSession, securityHeaders, sessionStep } from './console-security';
import type { ConsoleServices } from './console-services';
import { html } from './html';
import { type Lang, messages } from './i18n';
import { authRoutes } from './routes/auth-routes';
import { exchangeRoutes } from './routes/exchange-routes';
import { importRoutes } from './routes/import-routes';
import { inquiryRoutes } from './routes/inquiry-routes';
import { objectRoutes } from './routes/object-routes';
import { operatorRoutes } from './routes/operator-routes';
import { page } from './view';

export { CONSOLE_CSP } from './console-http';
export { consoleAssets } from './console-assets';

export function consoleRouter(deps: TaxiiDeps, services: ConsoleServices): express.Router {
  const r = express.Router({ strict: false, caseSensitive: true });
  const browse: BrowseDeps = { config: deps.config, store: deps.store, lookup: deps.lookup, exchange: services.exchange };
  const ctx: ConsoleContext = { deps, services, browse, now: services.now ?? Date.now };

  r.use(securityHeaders);
  r.use(sessionStep(services));
  r.use(postStep());
  authRoutes(r, ctx);
  r.use(requireSession);
  exchangeRoutes(r, ctx);
  objectRoutes(r, ctx);
  importRoutes(r, ctx);
  inquiryRoutes(r, ctx);
  operatorRoutes(r, ctx);
  r.use((_req, res) => sendNotFound(res));

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
