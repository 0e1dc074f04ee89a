/** Sign-in, sign-out and the language switch (the routes that need no session). */
import type express from 'express';
import { loginAccount } from '../../../auth/authenticator';
import { locals } from '../../locals';
import type { ConsoleContext } from '../console-context';
import { cl, field, h, query, send } from '../console-http';
import { isLang } from '../i18n';
import { loginPage } from '../pages/login';
import { cookieNames, page, readCookies, setCookie } from '../view';

export function authRoutes(r: express.Router, { deps, services }: ConsoleContext): void {
  r.get('/login', (req, res) => {
    const v = cl(res).view;
    if (v.session) {
      res.redirect(303, '/console/');
      return;
    }
    send(res, 200, page(v, v.t.login_title, loginPage(v, query(req).get('expired') === '1' ? v.t.expired : undefined)));
  });

  r.post(
    '/login',
    h(async (req, res) => {
      const v = cl(res).view;
      const user = field(req, 'user').slice(0, 200);
      const password = field(req, 'password').slice(0, 1000);
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
    const lang = field(req, 'lang');
    const back = field(req, 'back');
    if (isLang(lang)) setCookie(res, cl(res).secure, cookieNames(cl(res).secure).lang, lang, 365 * 86400);
    // Only a console path of our own (no scheme, no //host): the switch cannot redirect elsewhere.
    res.redirect(303, /^\/[A-Za-z0-9/_.-]{0,200}$/.test(back) && !back.startsWith('//') ? `/console${back}` : '/console/');
  });
}
