/**
 * The console's security steps, in the order the router runs them: response headers (CSP and friends), the
 * session and CSRF token of every request, the same-origin and token check of every POST, and the sign-in
 * requirement of everything past the sign-in routes. See docs/console.md (Security).
 */
import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { locals } from '../locals';
import { CONSOLE_CSP, type Handler, cl, field, h, sendProblem, str } from './console-http';
import type { ConsoleServices } from './console-services';
import { messages } from './i18n';
import { randomToken } from './session-store';
import { type View, cookieNames, langOf, readCookies, setCookie } from './view';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export const securityHeaders: Handler = (req, res, next) => {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with its own form posts.
  res.setHeader('Referrer-Policy', 'same-origin');
  cl(res).secure = req.secure;
  next();
};

/** Session, language and the CSRF token of every page (the pre-session cookie's before sign-in). */
export function sessionStep(services: ConsoleServices): Handler {
  return h(async (req, res, next) => {
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
  });
}

function checkPost(req: Request, res: Response, next: NextFunction): void {
  const v = cl(res).view;
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const host = req.headers.host ?? '';
  const crossSite =
    (site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && origin !== `${req.protocol}://${host}`);
  const fromForm = field(req, 'csrf');
  const token = fromForm !== '' ? fromForm : str(req.headers['x-csrf-token']);
  if (crossSite || !sameToken(token, v.csrf)) {
    sendProblem(res, 403, v.t.csrf_refused);
    return;
  }
  next();
}

/** Every POST: a small urlencoded body, same-origin, and the token of this session (or of the pre-session cookie). */
export function postStep(): Handler {
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });
  return (req, res, next) => {
    if (req.method !== 'POST') {
      next();
      return;
    }
    form(req, res, (err?: unknown) => (err === undefined ? checkPost(req, res, next) : next(err)));
  };
}

/** Everything after it needs a session: pages redirect to the sign-in form, API calls get 401. */
export const requireSession: Handler = (req, res, next) => {
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
};
