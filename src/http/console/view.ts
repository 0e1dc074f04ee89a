/**
 * What every console page is rendered with (language, session, CSRF token), the cookies that carry them, and
 * the page layout: header with the navigation, the language switch and sign-out, then the page's content.
 */
import type { Request, Response } from 'express';
import { Html, html } from './html';
import { type Lang, type MessageKey, type Messages, isLang } from './i18n';
import type { ConsoleSession } from './session-store';

export interface View {
  readonly lang: Lang;
  readonly t: Messages;
  readonly session?: ConsoleSession;
  /** The token state-changing forms must send back (the session's, or the pre-session cookie's). */
  readonly csrf: string;
  /** The path below /console (for the navigation and the redirects). */
  readonly path: string;
}

/** Cookie names: with TLS the `__Host-` prefix pins them to this host and path `/` (RFC 6265bis). */
export function cookieNames(secure: boolean): { session: string; pre: string; lang: string } {
  return secure
    ? { session: '__Host-gw-console', pre: '__Host-gw-console-pre', lang: '__Host-gw-console-lang' }
    : { session: 'gw-console', pre: 'gw-console-pre', lang: 'gw-console-lang' };
}

export function readCookies(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  const header = req.headers.cookie;
  if (header === undefined || header.length > 8192) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

/** Sets a cookie: HttpOnly, SameSite=Strict, Secure under TLS; `maxAgeS` 0 deletes it, undefined = session cookie. */
export function setCookie(res: Response, secure: boolean, name: string, value: string, maxAgeS?: number): void {
  const parts = [`${name}=${value}`, secure ? 'Path=/' : 'Path=/console', 'HttpOnly', 'SameSite=Strict'];
  if (secure) parts.push('Secure');
  if (maxAgeS !== undefined) parts.push(`Max-Age=${maxAgeS}`);
  res.append('Set-Cookie', parts.join('; '));
}

export function langOf(req: Request, secure: boolean): Lang {
  const v = readCookies(req).get(cookieNames(secure).lang);
  return isLang(v) ? v : 'en';
}

const NAV: readonly { path: string; key: MessageKey; admin?: boolean }[] = [
  { path: '/', key: 'overview' },
  { path: '/collections', key: 'collections' },
  { path: '/objects', key: 'objects' },
  { path: '/imports', key: 'imports' },
  { path: '/inquiries', key: 'inquiries' },
  { path: '/report', key: 'report' },
  { path: '/audit', key: 'audit', admin: true },
  { path: '/config', key: 'configuration', admin: true },
];

export function csrfField(v: View): Html {
  return html`<input type="hidden" name="csrf" value="${v.csrf}">`;
}

function langSwitch(v: View): Html {
  const other: Lang = v.lang === 'en' ? 'ru' : 'en';
  return html`<form method="post" action="/console/lang" class="inline">${csrfField(v)}
<input type="hidden" name="lang" value="${other}"><input type="hidden" name="back" value="${v.path}">
<button type="submit" lang="${other}" aria-label="${v.t.language}: ${v.t.switch_lang}">${v.t.switch_lang}</button></form>`;
}

/** A whole page. `scripts` are file names under /console/assets/ (no inline script anywhere). */
export function page(v: View, title: string, body: Html, scripts: readonly string[] = [], styles: readonly string[] = []): string {
  const s = v.session;
  const nav = s
    ? html`<nav aria-label="${v.t.nav}"><ul>${NAV.filter((n) => !n.admin || s.principal.admin).map((n) => {
        const current = n.path === '/' ? v.path === '/' : v.path === n.path || v.path.startsWith(`${n.path}/`);
        return html`<li><a href="/console${n.path === '/' ? '/' : n.path}"${current ? new Html(' aria-current="page"') : ''}>${v.t[n.key]}</a></li>`;
      })}</ul></nav>`
    : '';
  const user = s
    ? html`<div class="user"><span>${v.t.signed_in_as} <strong>${s.principal.name}</strong>${s.principal.admin ? html` (${v.t.admin})` : ''}</span>
<form method="post" action="/console/logout" class="inline">${csrfField(v)}<button type="submit">${v.t.logout}</button></form></div>`
    : '';
  return html`<!doctype html>
<html lang="${v.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${v.t.app_title}</title><link rel="icon" href="data:,">
${styles.map((f) => html`<link rel="stylesheet" href="/console/assets/${f}">`)}<link rel="stylesheet" href="/console/assets/console.css">
</head><body>
<a class="skip" href="#content">${v.t.skip}</a>
<header><div class="brand">${v.t.app_title}</div>${nav}<div class="tools">${langSwitch(v)}${user}</div></header>
<main id="content" tabindex="-1"><h1>${title}</h1>
${body}
</main>
<footer><p>${v.t.times_utc}</p></footer>
<script src="/console/assets/console.js"></script>${scripts.map((f) => html`<script src="/console/assets/${f}"></script>`)}
</body></html>`.text;
}
