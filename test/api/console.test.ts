/**
 * The operator console over HTTP (no browser): sign-in, sessions, CSRF, CSP, and what an AMBER-capped reader is
 * shown. The browser tests (test/browser/) drive the same pages through chromium.
 */
import type { HarnessGateway } from '../helpers/gateway';
import { CONSOLE_CSP } from '../../src/http/console/console-router';
import {
  CONSOLE_COLL,
  CONSOLE_PASSWORDS as PASSWORDS,
  RED_RU_ID,
  RED_RU_VALUE,
  seedExchange,
  startConsoleGateway,
} from '../browser/console-gateway';

interface Browser {
  cookies: Map<string, string>;
  get(path: string): Promise<{ status: number; text: string; headers: Headers }>;
  post(
    path: string,
    form: Record<string, string>,
    extra?: Record<string, string>,
  ): Promise<{ status: number; text: string; headers: Headers }>;
  csrf(path?: string): Promise<string>;
}

function browser(gw: HarnessGateway): Browser {
  const cookies = new Map<string, string>();
  const keep = (h: Headers): void => {
    for (const c of h.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, eq);
      const value = (pair ?? '').slice(eq + 1);
      if (value === '' || /Max-Age=0/.test(c)) cookies.delete(name);
      else cookies.set(name, value);
    }
  };
  const header = (): string => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const b: Browser = {
    cookies,
    get: async (path) => {
      const r = await fetch(gw.base + path, { headers: { Cookie: header() }, redirect: 'manual' });
      keep(r.headers);
      return { status: r.status, text: await r.text(), headers: r.headers };
    },
    post: async (path, form, extra = {}) => {
      const r = await fetch(gw.base + path, {
        method: 'POST',
        headers: { Cookie: header(), 'Content-Type': 'application/x-www-form-urlencoded', ...extra },
        body: new URLSearchParams(form).toString(),
        redirect: 'manual',
      });
      keep(r.headers);
      return { status: r.status, text: await r.text(), headers: r.headers };
    },
    csrf: async (path = '/console/login') => {
      const page = await b.get(path);
      const m = /name="csrf" value="([^"]+)"/.exec(page.text);
      if (!m?.[1]) throw new Error(`no csrf token on ${path}: ${page.status}`);
      return m[1];
    },
  };
  return b;
}

async function login(gw: HarnessGateway, user: string): Promise<Browser> {
  const b = browser(gw);
  const csrf = await b.csrf();
  const r = await b.post('/console/login', { user, password: PASSWORDS[user] ?? '', csrf });
  expect(r.status).toBe(303);
  return b;
}

describe('operator console', () => {
  let gw: HarnessGateway;
  beforeAll(async () => {
    gw = await startConsoleGateway();
    await seedExchange(gw);
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when not signed in, then a page redirects to the sign-in form, which carries a strict CSP and no inline script', async () => {
    const b = browser(gw);
    const r = await b.get('/console/');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/console/login');
    const login = await b.get('/console/login');
    expect(login.status).toBe(200);
    expect(login.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(login.text).not.toMatch(/<script>|<script [^>]*>[^<]|style="/);
  });

  it('when the password is wrong, then 401 and no session cookie', async () => {
    const b = browser(gw);
    const csrf = await b.csrf();
    const r = await b.post('/console/login', { user: 'us-cert', password: 'wrong', csrf });
    expect(r.status).toBe(401);
    expect(r.text).toContain('not accepted');
    expect([...b.cookies.keys()]).not.toContain('gw-console');
  });

  it('when a form comes without the CSRF token, then it is refused (sign-in and sign-out alike)', async () => {
    const b = browser(gw);
    await b.get('/console/login');
    const r = await b.post('/console/login', { user: 'us-cert', password: PASSWORDS['us-cert'] ?? '' });
    expect(r.status).toBe(403);
    const signedIn = await login(gw, 'us-cert');
    const out = await signedIn.post('/console/logout', {});
    expect(out.status).toBe(403);
    expect((await signedIn.get('/console/')).status).toBe(200);
  });

  it('when a form comes from another origin, then it is refused even with the token', async () => {
    const b = await login(gw, 'us-cert');
    const csrf = await b.csrf('/console/');
    const r = await b.post('/console/logout', { csrf }, { Origin: 'https://evil.example' });
    expect(r.status).toBe(403);
  });

  it('when signed in and out, then the session cookie is HttpOnly SameSite=Strict and dies with the logout', async () => {
    const b = browser(gw);
    const csrf = await b.csrf();
    const r = await b.post('/console/login', { user: 'us-cert', password: PASSWORDS['us-cert'] ?? '', csrf });
    const set = r.headers.getSetCookie().find((c) => c.startsWith('gw-console='));
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    const old = b.cookies.get('gw-console');
    const home = await b.get('/console/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('us-cert');
    const token = /name="csrf" value="([^"]+)"/.exec(home.text)?.[1] ?? '';
    expect((await b.post('/console/logout', { csrf: token })).status).toBe(303);
    b.cookies.set('gw-console', old ?? '');
    const after = await b.get('/console/');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/console/login?expired=1');
  });

  it('when an AMBER-capped reader browses, then a RED object is in no page, by id or by count', async () => {
    const pages = [
      '/console/',
      '/console/?days=7',
      '/console/collections',
      `/console/objects?value=${RED_RU_VALUE}`,
      '/console/objects?type=indicator',
      '/console/objects?collection=ru-cert-indicators',
      '/console/objects?date=2020-01-01',
      '/console/report',
      '/console/report.json',
      '/console/report.csv',
      '/console/api/overview?days=30',
    ];
    const us = await login(gw, 'us-cert');
    const ru = await login(gw, 'ru-cert');
    for (const path of pages) {
      const r = await us.get(path);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(RED_RU_ID);
      // (the value search echoes the searched value in its own input field, nothing else)
      expect(r.text.replace(`name="value" value="${RED_RU_VALUE}"`, '')).not.toContain(RED_RU_VALUE);
    }
    expect((await us.get(`/console/objects?value=${RED_RU_VALUE}`)).text).toContain('Nothing found within your clearance.');
    // The object page answers as for an object that does not exist.
    const red = await us.get(`/console/objects/ru-cert-indicators/${RED_RU_ID}`);
    const none = await us.get('/console/objects/ru-cert-indicators/indicator--00000000-0000-4000-8000-999999999999');
    expect(red.status).toBe(404);
    expect(red.text.replace(/value="[^"]+"/g, '')).toBe(none.text.replace(/value="[^"]+"/g, ''));
    // Counts: RU shared 4 objects (one RED); us-cert is shown 3, ru-cert (the owner) 4.
    const usReport = JSON.parse((await us.get('/console/report.json')).text) as {
      certs: { collections: { id: string; shared: number }[] }[];
    };
    const ruReport = JSON.parse((await ru.get('/console/report.json')).text) as {
      certs: { collections: { id: string; shared: number }[] }[];
    };
    const sharedIn = (r: typeof usReport): number | undefined =>
      r.certs.flatMap((c) => c.collections).find((c) => c.id === CONSOLE_COLL.ru)?.shared;
    expect(sharedIn(usReport)).toBe(3);
    expect(sharedIn(ruReport)).toBe(4);
    const overview = await us.get('/console/');
    const ruSection = overview.text.slice(overview.text.indexOf(`id="h-${CONSOLE_COLL.ru}"`));
    const ruPart = ruSection.slice(0, ruSection.indexOf('</section>'));
    expect(ruPart).toContain('AMBER');
    expect(ruPart).not.toMatch(/>RED</);
    // The owner does see its RED object.
    expect((await ru.get(`/console/objects/ru-cert-indicators/${RED_RU_ID}`)).status).toBe(200);
  });

  it('when the operator opens the audit and configuration pages, then they show entries and no secret; a CERT is refused', async () => {
    const op = await login(gw, 'operator');
    const audit = await op.get('/console/audit?since=1h&principal=ru-cert');
    expect(audit.status).toBe(200);
    expect(audit.text).toContain('get_objects');
    const csv = await op.get('/console/audit.csv?since=1h&action=get_objects');
    expect(csv.text.split('\r\n')[0]).toBe(
      'time,principal,source,action,collection,method,path,http_status,count,ids,status_id,request_id',
    );
    expect(csv.text).toContain('ru-cert');
    const config = await op.get('/console/config');
    expect(config.status).toBe(200);
    expect(config.text).not.toContain('scrypt$');
    expect(config.text).toContain('hash (not shown)');
    const us = await login(gw, 'us-cert');
    expect((await us.get('/console/audit?since=1h')).status).toBe(403);
    expect((await us.get('/console/config')).status).toBe(403);
  });

  it('when the asked CERT acknowledges an inquiry from its inbox, then its state changes; without the token or out of turn it does not', async () => {
    const ru = await login(gw, 'ru-cert');
    const page = await ru.get('/console/inquiries');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Scanner 203.0.113.1: source host?');
    const id = /action="\/console\/inquiries\/([^/]+)\/acknowledge"/.exec(page.text)?.[1] ?? '';
    expect(id).not.toBe('');
    expect((await ru.post(`/console/inquiries/${id}/acknowledge`, {})).status).toBe(403);
    // The asking side may not acknowledge its own inquiry: the use case refuses, the page says why.
    const us = await login(gw, 'us-cert');
    const usToken = /name="csrf" value="([^"]+)"/.exec((await us.get('/console/inquiries')).text)?.[1] ?? '';
    const refused = await us.post(`/console/inquiries/${id}/acknowledge`, { csrf: usToken });
    expect(refused.headers.get('location')).toMatch(/problem=INQUIRY_/);
    const token = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const done = await ru.post(`/console/inquiries/${id}/acknowledge`, { csrf: token });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/console/inquiries');
    const after = await ru.get('/console/inquiries');
    expect(after.text).toContain('acknowledged');
    expect(after.text).not.toContain(`/console/inquiries/${id}/acknowledge`);
  });
});
