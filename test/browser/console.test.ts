/**
 * The operator console in a real browser: Debian's chromium, headless, driven by playwright-core (nothing is
 * downloaded; a fresh profile directory per run). Each page: sign-in and sign-out, the bad credential, a
 * CSRF-less post refused, what the AMBER-capped reader sees, the upload with its progress bar, and no CSP
 * violation. Screenshots of every page in both languages are written to docs/console/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { HarnessGateway } from '../helpers/gateway';
import { CONSOLE_PASSWORDS, RED_RU_ID, RED_RU_VALUE, seedExchange, startConsoleGateway } from './console-gateway';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(__dirname, '..', '..', 'docs', 'console');
const PAGES: readonly { name: string; path: string; admin?: boolean }[] = [
  { name: 'overview', path: '/console/' },
  { name: 'overview-365', path: '/console/?days=365' },
  { name: 'collections', path: '/console/collections' },
  { name: 'objects', path: '/console/objects?type=indicator' },
  { name: 'imports', path: '/console/imports' },
  { name: 'inquiries', path: '/console/inquiries' },
  { name: 'report', path: '/console/report' },
  { name: 'audit', path: '/console/audit?since=1h', admin: true },
  { name: 'configuration', path: '/console/config', admin: true },
];

jest.setTimeout(120_000);

describe('operator console in chromium', () => {
  let gw: HarnessGateway;
  let context: BrowserContext;
  let profile: string;
  const problems: string[] = [];

  beforeAll(async () => {
    gw = await startConsoleGateway();
    await seedExchange(gw);
    profile = mkdtempSync(path.join(os.tmpdir(), 'console-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
      timezoneId: 'Asia/Vladivostok',
    });
    context.on('page', (p) => watch(p));
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await gw?.close();
  });

  function watch(p: Page): void {
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    p.on('pageerror', (e) => problems.push(e.message));
  }

  async function freshPage(): Promise<Page> {
    await context.clearCookies();
    const p = await context.newPage();
    watch(p);
    return p;
  }

  async function signIn(p: Page, user: string, password = CONSOLE_PASSWORDS[user] ?? ''): Promise<void> {
    await p.goto(`${gw.base}/console/login`);
    await p.getByLabel(/User name|Имя пользователя/).fill(user);
    await p.getByLabel(/^(Password|Пароль)/).fill(password);
    await p.getByRole('button', { name: /Sign in|Войти/ }).click();
    await p.waitForLoadState('load');
  }

  async function signOut(p: Page): Promise<void> {
    await p.getByRole('button', { name: /Sign out|Выйти/ }).click();
    await p.waitForURL(/\/console\/login$/);
  }

  it('when each page is opened without a session, then it asks to sign in, opens after sign-in, and closes after sign-out', async () => {
    problems.length = 0;
    const p = await freshPage();
    for (const pg of PAGES) {
      await p.goto(gw.base + pg.path);
      expect(new URL(p.url()).pathname).toBe('/console/login');
      await signIn(p, 'operator');
      const res = await p.goto(gw.base + pg.path);
      expect(res?.status()).toBe(200);
      await expect(p.locator('h1').innerText()).resolves.not.toBe('');
      await signOut(p);
      await p.goto(gw.base + pg.path);
      expect(new URL(p.url()).pathname).toBe('/console/login');
    }
    await p.close();
    expect(problems).toEqual([]);
  });

  it('when the password is wrong, then the form says so and no page opens', async () => {
    const p = await freshPage();
    await signIn(p, 'us-cert', 'not-the-password');
    await expect(p.getByRole('alert').innerText()).resolves.toContain('not accepted');
    await p.goto(`${gw.base}/console/`);
    expect(new URL(p.url()).pathname).toBe('/console/login');
    await p.close();
  });

  it('when a page posts a form without the CSRF token, then the post is refused and the session stays', async () => {
    const p = await freshPage();
    await signIn(p, 'operator');
    for (const pg of PAGES) {
      await p.goto(gw.base + pg.path);
      const statuses = await p.evaluate(async () => {
        const out: number[] = [];
        for (const action of ['/console/logout', '/console/lang']) {
          const r = await fetch(action, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: 'lang=ru',
            redirect: 'manual',
          });
          out.push(r.status);
        }
        return out;
      });
      expect(statuses).toEqual([403, 403]);
      const again = await p.goto(gw.base + pg.path);
      expect(again?.status()).toBe(200);
      expect(await p.locator('html').getAttribute('lang')).toBe('en');
    }
    await p.close();
  });

  it('when the AMBER-capped reader opens every page, then the RED object appears nowhere (object, id, count)', async () => {
    const p = await freshPage();
    await signIn(p, 'us-cert');
    for (const pg of [
      ...PAGES.filter((x) => !x.admin),
      { name: 'value', path: `/console/objects?value=${RED_RU_VALUE}` },
      { name: 'ru', path: '/console/objects?collection=ru-cert-indicators' },
    ]) {
      await p.goto(gw.base + pg.path);
      await p.waitForLoadState('networkidle');
      const text = await p.locator('main').innerText();
      expect(text).not.toContain(RED_RU_ID);
      expect(text).not.toContain(RED_RU_VALUE);
      expect(text).not.toContain('Restricted source');
    }
    // The overview of RU's collection counts 3 objects for us-cert (the 4th is RED).
    await p.goto(`${gw.base}/console/`);
    const ruShared = await p.locator('section.collection', { hasText: 'RU-CERT indicators' }).locator('.kpis dd').first().innerText();
    expect(ruShared).toBe('3');
    const res = await p.goto(`${gw.base}/console/objects/ru-cert-indicators/${RED_RU_ID}`);
    expect(res?.status()).toBe(404);
    await p.close();
  });

  it('when a CSV file is uploaded, then the progress bar follows the status to complete and the bad row is listed', async () => {
    const p = await freshPage();
    await signIn(p, 'ru-cert');
    await p.goto(`${gw.base}/console/imports`);
    await p.getByLabel(/^Collection/).selectOption({ label: 'RU-CERT indicators (csv)' });
    await p.getByLabel(/^File/).setInputFiles(path.join(__dirname, '..', 'fixtures', 'console', 'indicators.csv'));
    await p.getByRole('button', { name: 'Import' }).click();
    // (browser-side code as strings: the project's TypeScript has no DOM types; no waitForFunction: the CSP
    // forbids the eval it needs)
    await p.locator('#import-status', { hasText: /^complete/ }).waitFor({ timeout: 30_000 });
    const bar = {
      value: Number(await p.evaluate("document.getElementById('import-progress').value")),
      max: Number(await p.evaluate("document.getElementById('import-progress').max")),
    };
    expect(bar.max).toBeGreaterThan(0);
    expect(bar.value).toBe(bar.max);
    await expect(p.locator('#import-failures').innerText()).resolves.toMatch(/not an indicator at all|row 5|\/4/);
    await p.screenshot({ path: path.join(SHOTS, 'imports-progress-en.png'), fullPage: true });
    await p.close();
  });

  it('when RU-CERT acknowledges the inquiry in its inbox, then the deadline stops counting and the state shows', async () => {
    const p = await freshPage();
    await signIn(p, 'ru-cert');
    await p.goto(`${gw.base}/console/inquiries`);
    const row = p.locator('tr', { hasText: 'Scanner 203.0.113.1: source host?' });
    await expect(row.locator('.countdown').first().innerText()).resolves.toMatch(/^due in \d+ min$/);
    await p.screenshot({ path: path.join(SHOTS, 'inquiries-inbox-en.png'), fullPage: true });
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await p.waitForURL(/\/console\/inquiries$/);
    const after = p.locator('tr', { hasText: 'Scanner 203.0.113.1: source host?' });
    await expect(after.locator('td').nth(2).innerText()).resolves.toContain('acknowledged');
    expect(await after.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    await p.close();
  });

  it('when the keyboard is used, then the first Tab reaches the skip link, Tab reaches every control and every control has a label', async () => {
    const p = await freshPage();
    await signIn(p, 'operator');
    for (const pg of PAGES) {
      await p.goto(gw.base + pg.path);
      await p.keyboard.press('Tab');
      expect(await p.evaluate('document.activeElement && document.activeElement.className')).toBe('skip');
      const unlabelled = await p.evaluate(
        "[...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter((e) => e.labels.length === 0 && !e.getAttribute('aria-label')).length",
      );
      expect(unlabelled).toBe(0);
      // Buttons and links have a name too (their text, or an aria-label).
      const nameless = await p.evaluate(
        "[...document.querySelectorAll('button, a[href]')].filter((e) => e.textContent.trim() === '' && !e.getAttribute('aria-label')).length",
      );
      expect(nameless).toBe(0);
      // Tab order: going forward from the top, Tab reaches every visible control of the page.
      const controls = Number(
        await p.evaluate(`(() => {
          const all = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
            .filter((e) => !e.disabled && e.getAttribute('tabindex') !== '-1' && e.getClientRects().length > 0);
          all.forEach((e, i) => e.setAttribute('data-tab-i', String(i)));
          return all.length;
        })()`),
      );
      const reached = new Set<string>();
      await p.evaluate('document.activeElement && document.activeElement.blur()');
      for (let i = 0; i < controls + 5 && reached.size < controls; i++) {
        await p.keyboard.press('Tab');
        const at = await p.evaluate("document.activeElement ? document.activeElement.getAttribute('data-tab-i') : null");
        if (typeof at === 'string') reached.add(at);
      }
      expect({ page: pg.name, reached: reached.size }).toEqual({ page: pg.name, reached: controls });
    }
    await p.close();
  });

  it('when the operator views every page in English and in Russian, then charts are drawn and screenshots are written', async () => {
    problems.length = 0; // (earlier tests provoke 401 and 403 answers on purpose)
    const p = await freshPage();
    await signIn(p, 'operator');
    for (const lang of ['en', 'ru'] as const) {
      for (const pg of PAGES) {
        await p.goto(gw.base + pg.path);
        if ((await p.locator('html').getAttribute('lang')) !== lang) {
          await p
            .getByRole('button', { name: /Language/ })
            .or(p.getByRole('button', { name: /Язык/ }))
            .first()
            .click();
          await p.waitForLoadState('load');
        }
        expect(await p.locator('html').getAttribute('lang')).toBe(lang);
        await p.waitForLoadState('networkidle');
        if (pg.name.startsWith('overview')) await p.waitForSelector('figure.chart canvas');
        await p.screenshot({ path: path.join(SHOTS, `${pg.name}-${lang}.png`), fullPage: true });
      }
    }
    const detail = `/console/objects/us-cert-indicators/indicator--00000000-0000-4000-8000-000000001004`;
    await p.goto(gw.base + detail);
    await p.screenshot({ path: path.join(SHOTS, 'object-ru.png'), fullPage: true });
    await p.getByRole('button', { name: /Язык/ }).click();
    await p.waitForLoadState('load');
    await p.screenshot({ path: path.join(SHOTS, 'object-en.png'), fullPage: true });
    await p.goto(`${gw.base}/console/login`);
    await p.close();
    const q = await freshPage();
    await q.goto(`${gw.base}/console/login`);
    await q.screenshot({ path: path.join(SHOTS, 'login-en.png') });
    await q.emulateMedia({ media: 'print' });
    await signIn(q, 'operator');
    await q.goto(`${gw.base}/console/report`);
    await q.screenshot({ path: path.join(SHOTS, 'report-print-en.png'), fullPage: true });
    await q.close();
    expect(problems).toEqual([]);
  });
});
