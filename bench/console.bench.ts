/**
 * The operator console at scale: every console page and the overview API timed against a gateway holding
 * BENCH_CONSOLE_OBJECTS stored objects (default 1 000 000) and BENCH_CONSOLE_AUDIT audit entries (default
 * 1 000 000), with 366 days (and 54 weeks) of exchange counters. Targets: every page < 300 ms, the overview API < 50 ms.
 *
 *   npx tsx bench/console.bench.ts                      (writes bench/results/console.json)
 *   BENCH_CONSOLE_OBJECTS=100000 BENCH_CONSOLE_AUDIT=100000 npx tsx bench/console.bench.ts
 *
 * The objects are loaded straight through the store (bench/lib/loader.ts), the audit entries appended to the
 * audit stream as the API writes them, the counters written as the recorder writes them; then 200 objects go
 * through the real POST and worker and are pulled, so the counters and the latest-additions list are real too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createKeyBuilder } from '../src/store/keys';
import { Field, lastDays, lastWeeks } from '../src/exchange/exchange-day';
import { API_ROOT, AUTH, OPERATOR, PASSWORD, TAXII, USER, collectionId, startSystem } from './lib/gateway';
import { indicator } from './lib/data';
import { loadObjects } from './lib/loader';
import { percentile, round } from './lib/stats';

const OBJECTS = Number(process.env['BENCH_CONSOLE_OBJECTS'] ?? 1_000_000);
const AUDIT = Number(process.env['BENCH_CONSOLE_AUDIT'] ?? 1_000_000);
const RUNS = Number(process.env['BENCH_CONSOLE_RUNS'] ?? 20);
const keys = createKeyBuilder('gw');
const COLL = collectionId(0);

async function login(base: string, user: string): Promise<string> {
  const page = await fetch(`${base}/console/login`);
  const pre = (page.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const r = await fetch(`${base}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: pre, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user, password: PASSWORD, csrf }).toString(),
  });
  const session = r.headers.getSetCookie().find((c) => c.startsWith('gw-console='));
  if (r.status !== 303 || !session) throw new Error(`console login of ${user} answered ${r.status}`);
  return session.split(';')[0] ?? '';
}

/** RUNS sequential requests; `first` is the first one's time (a cache, if any, is cold then). */
async function time(base: string, cookie: string, p: string): Promise<{ status: number; ms: number[]; first: number }> {
  const ms: number[] = [];
  let status = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = await fetch(base + p, { headers: { Cookie: cookie }, redirect: 'manual' });
    await r.arrayBuffer();
    ms.push(performance.now() - t0);
    status = r.status;
  }
  const first = ms[0] ?? 0;
  return { status, ms: ms.sort((a, b) => a - b), first };
}

async function main(): Promise<void> {
  const profileDir = process.env['BENCH_CONSOLE_PROFILE'];
  const sys = await startSystem({ apis: 1, workers: 1, ...(profileDir ? { profileDir } : {}) });
  const api = sys.apis[0]?.base ?? '';
  const t0 = Date.now();
  try {
    console.log(`loading ${OBJECTS} objects …`);
    await loadObjects(sys.client, COLL, 'console', 0, OBJECTS, 4);
    console.log(`  ${round((Date.now() - t0) / 1000, 1)} s; appending ${AUDIT} audit entries …`);
    const now = Date.now();
    for (let start = 0; start < AUDIT; start += 5000) {
      const p = sys.client.pipeline();
      for (let n = start; n < Math.min(AUDIT, start + 5000); n++) {
        const ids = n % 10 === 0 ? Array.from({ length: 20 }, (_, k) => String(indicator(n * 20 + k, 'console')['id'])) : [];
        const e = {
          time: new Date(now - (AUDIT - n) * 1000).toISOString(),
          principal: n % 3 === 0 ? USER : 'partner',
          source: '127.0.0.1',
          action: n % 10 === 0 ? 'get_objects' : 'get_status',
          collection: COLL,
          method: 'GET',
          path: `/${API_ROOT}/collections/${COLL}/objects/`,
          http_status: 200,
          count: ids.length,
          ids,
          request_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        };
        p.xadd(keys.audit, '*', 'e', JSON.stringify(e));
      }
      await p.exec();
    }
    console.log(`  ${round((Date.now() - t0) / 1000, 1)} s; writing 366 days of counters …`);
    const days = lastDays(366, now);
    const p = sys.client.pipeline();
    for (let c = 0; c < 3; c++) {
      const k = keys.exchange(collectionId(c));
      p.sadd(keys.exchangeActive, collectionId(c));
      const periods: [string, boolean][] = [
        ...days.map((d): [string, boolean] => [d, false]),
        ...lastWeeks(54, now).map((w): [string, boolean] => [w, true]),
      ];
      for (const [day, week] of periods) {
        const fields: (string | number)[] = [];
        for (let r = 0; r < 5; r++)
          fields.push(
            Field.shared(r),
            100 + r,
            Field.duplicate(r),
            5,
            Field.folded(r),
            2,
            Field.served(USER, r),
            80,
            Field.firstPull(USER, r),
            60,
          );
        fields.push(Field.refused(USER), 3, Field.lagSum, 4000, Field.lagCount, 10);
        p.hset(week ? k.week(day) : k.day(day), ...fields);
        const detail: (string | number)[] = [];
        for (let r = 0; r < 5; r++) {
          for (const t of ['indicator', 'domain-name', 'malware', 'report']) detail.push(Field.type(t, r), 25);
          for (let b = 0; b < 12; b++) detail.push(Field.firstPullDelay(USER, r, b), 5);
        }
        detail.push(Field.refusalCode(USER, 'NOT_OWN_IDENTITY'), 2, Field.refusalCode(USER, 'INVALID_PATTERN'), 1);
        p.hset(week ? k.weekDetail(day) : k.detail(day), ...detail);
      }
    }
    await p.exec();
    // 200 objects through the real POST and worker, then pulled: real counters, latest additions, first pulls.
    const objects = Array.from({ length: 200 }, (_, i) => indicator(OBJECTS + i, 'console'));
    const post = await fetch(`${api}/${API_ROOT}/collections/${COLL}/objects/`, {
      method: 'POST',
      headers: { Authorization: AUTH, Accept: TAXII, 'Content-Type': TAXII },
      body: JSON.stringify({ objects }),
    });
    const statusId = String(((await post.json()) as Record<string, unknown>)['id']);
    for (let i = 0; i < 600; i++) {
      const s = (await (
        await fetch(`${api}/${API_ROOT}/status/${statusId}/`, { headers: { Authorization: AUTH, Accept: TAXII } })
      ).json()) as Record<string, unknown>;
      if (s['status'] === 'complete') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await fetch(`${api}/${API_ROOT}/collections/${COLL}/objects/?limit=1000&added_after=2026-01-01T00:00:00Z`, {
      headers: { Authorization: AUTH, Accept: TAXII },
    });
    const info = await sys.client.info('memory');
    console.log(
      `  loaded in ${round((Date.now() - t0) / 1000, 1)} s; redis used_memory ${/used_memory_human:(\S+)/.exec(info)?.[1] ?? '?'}`,
    );

    const user = await login(api, USER);
    const op = await login(api, OPERATOR);
    const someId = String(objects[17]?.['id']);
    const value = /'([^']+)'/.exec(String(indicator(OBJECTS / 2, 'console')['pattern']))?.[1] ?? '';
    const pages: [string, string, string][] = [
      ['overview, 7 days', '/console/?days=7', user],
      ['overview, 30 days', '/console/?days=30', user],
      ['overview, 365 days', '/console/?days=365', user],
      ['overview API, 30 days', '/console/api/overview?days=30', user],
      ['overview API, 365 days', '/console/api/overview?days=365', user],
      ['collections', '/console/collections', user],
      ['objects by type', '/console/objects?type=indicator', user],
      ['objects by value', `/console/objects?value=${encodeURIComponent(value)}`, user],
      ['objects by date', '/console/objects?date=2026-01-01', user],
      ['object detail', `/console/objects/${COLL}/${someId}`, user],
      ['imports', '/console/imports', user],
      ['report, 30 days', '/console/report?days=30', user],
      ['report, 365 days', '/console/report?days=365', user],
      ['audit, last day, no filter', '/console/audit?since=1d', op],
      ['audit, rare filter (scan budget)', '/console/audit?since=30d&principal=nobody', op],
      ['configuration', '/console/config', op],
    ];
    const results: Record<string, unknown>[] = [];
    console.log(`\n| page | status | first ms | median ms | p95 ms | max ms | API CPU ms/req | Redis CPU ms/req | target |`);
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const [name, p2, cookie] of pages) {
      // CPU time of the API process and of Redis over the RUNS requests (less noisy than latency on a shared machine).
      const before = sys.cpuSeconds();
      const r = await time(api, cookie, p2);
      const after = sys.cpuSeconds();
      const cpu = (k: string): number => round((((after[k] ?? 0) - (before[k] ?? 0)) * 1000) / RUNS, 2);
      const target = name.startsWith('overview API') ? 50 : 300;
      const row = {
        page: name,
        path: p2,
        status: r.status,
        first: round(r.first, 1),
        apiCpuMs: cpu('api0'),
        redisCpuMs: cpu('redis'),
        median: round(percentile(r.ms, 50), 1),
        p95: round(percentile(r.ms, 95), 1),
        max: round(r.ms[r.ms.length - 1] ?? 0, 1),
        target,
      };
      results.push(row);
      console.log(
        `| ${name} | ${r.status} | ${row.first} | ${row.median} | ${row.p95} | ${row.max} | ${row.apiCpuMs} | ${row.redisCpuMs} | < ${target} |`,
      );
    }
    const out = path.join(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      path.join(out, 'console.json'),
      `${JSON.stringify({ date: new Date().toISOString(), objects: OBJECTS, audit: AUDIT, runs: RUNS, results }, null, 2)}\n`,
    );
  } finally {
    await sys.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
