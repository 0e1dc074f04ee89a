/**
 * The exchange report against the audit trail: after a scripted exchange (posts, a refusal, a duplicate, pulls
 * at known delays), every figure the report gives is recomputed from the raw audit entries (and, for the
 * overlap and the refusals, from the lookup endpoint and the status resources) and compared.
 */
import type { AuditEntry } from '../../../src/audit/audit-event';
import { ExchangeReader } from '../../../src/exchange/exchange-reader';
import { buildReport, reportCsv, reportJson } from '../../../src/exchange/exchange-report';
import { delayBucket, valueQuantile } from '../../../src/exchange/exchange-day';
import type { HarnessGateway } from '../../helpers/gateway';
import { allAuditEntries } from './audit-entries';
import { CONSOLE_COLL, CONSOLE_IDENT, TLP, ipIndicator, startConsoleGateway } from '../../browser/console-gateway';

const TLP_OF: Record<string, string> = { [TLP.clear]: 'clear', [TLP.green]: 'green', [TLP.amber]: 'amber', [TLP.red]: 'red' };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('exchange report', () => {
  let gw: HarnessGateway;
  const posted: Record<string, unknown>[] = [];
  const statuses: Record<string, unknown>[] = [];

  beforeAll(async () => {
    gw = await startConsoleGateway();
    const us = [
      ipIndicator(3001, '203.0.113.31', CONSOLE_IDENT.us, TLP.clear),
      ipIndicator(3002, '203.0.113.32', CONSOLE_IDENT.us, TLP.green),
      ipIndicator(3003, '198.51.100.33', CONSOLE_IDENT.us, TLP.amber),
      ipIndicator(3004, '203.0.113.34', CONSOLE_IDENT.ru, TLP.green), // refused: not us-cert's identity
    ];
    const ru = [
      ipIndicator(4001, '192.0.2.41', CONSOLE_IDENT.ru, TLP.clear),
      ipIndicator(4002, '198.51.100.33', CONSOLE_IDENT.ru, TLP.amber), // the value US also reported
      ipIndicator(4003, '192.0.2.43', CONSOLE_IDENT.ru, TLP.red),
    ];
    posted.push(...us, ...ru);
    statuses.push(await gw.post(CONSOLE_COLL.us, us, 'us-cert'));
    statuses.push(await gw.post(CONSOLE_COLL.ru, ru, 'ru-cert'));
    statuses.push(await gw.post(CONSOLE_COLL.ru, [ru[0]], 'ru-cert')); // exact duplicate
    // Pulls at delays far from the bucket bounds (1 s, 2 s, 5 s): ~1.3 s and ~3.5 s after publication.
    await sleep(1300);
    await gw.request('GET', `/exchange/collections/${CONSOLE_COLL.us}/objects/`, { user: 'ru-cert' });
    await sleep(2000);
    await gw.request('GET', `/exchange/collections/${CONSOLE_COLL.ru}/objects/`, { user: 'us-cert' });
    await gw.request('GET', `/exchange/collections/${CONSOLE_COLL.ru}/objects/indicator--00000000-0000-4000-8000-000000004001/`, {
      user: 'us-cert',
    });
    await gw.exchange.flush();
  });

  afterAll(async () => {
    await gw.close();
  });

  const auditEntries = (): Promise<AuditEntry[]> => allAuditEntries(gw);

  it('when the figures are recomputed from the raw audit entries, then they match the report', async () => {
    const report = await buildReport(
      new ExchangeReader(gw.redis, gw.keys, gw.config),
      { name: 'auditor', identity: '', admin: true },
      30,
      Date.now(),
    );
    const figures = new Map(report.certs.flatMap((c) => c.collections).map((c) => [c.id, c]));
    const entries = await auditEntries();
    expect(entries.every((e) => e.ids_truncated !== true)).toBe(true);

    // Shared: the distinct ids the worker wrote ('ingest' entries), by type (from the id) and TLP (as posted).
    const tlpOf = new Map(posted.map((o) => [String(o['id']), TLP_OF[String((o['object_marking_refs'] as string[])[0])] ?? '']));
    for (const c of [CONSOLE_COLL.us, CONSOLE_COLL.ru]) {
      const ids = new Set(entries.filter((e) => e.action === 'ingest' && e.collection === c).flatMap((e) => e.ids));
      const byType: Record<string, Record<string, number>> = {};
      for (const id of ids) {
        const t = (byType[id.slice(0, id.indexOf('--'))] ??= {});
        const tlp = tlpOf.get(id) ?? '';
        t[tlp] = (t[tlp] ?? 0) + 1;
      }
      expect(figures.get(c)?.types).toEqual(byType);
      expect(figures.get(c)?.shared).toBe(ids.size);
    }

    // Pulled: per reader, the distinct ids first served by a 200 read, and the delays from publication.
    const published = new Map<string, number>();
    for (const c of [CONSOLE_COLL.us, CONSOLE_COLL.ru]) {
      const page = await gw.store.read(
        c,
        { after: 0, limit: 1000, types: [], ids: [], versions: { all: true, first: false, last: false, exact: [] } },
        false,
      );
      for (const r of page.records) if (!published.has(`${c}|${r.id}`)) published.set(`${c}|${r.id}`, Math.floor(r.dateAdded / 1000));
    }
    for (const c of [CONSOLE_COLL.us, CONSOLE_COLL.ru]) {
      const reads = entries.filter(
        (e) =>
          e.collection === c &&
          (e.action === 'get_objects' || e.action === 'get_object') &&
          e.http_status === 200 &&
          e.principal !== 'operator',
      );
      const first = new Map<string, Map<string, number>>();
      for (const e of reads) {
        const m = first.get(e.principal) ?? new Map<string, number>();
        first.set(e.principal, m);
        for (const id of e.ids) if (!m.has(id)) m.set(id, Date.parse(e.time));
      }
      const pulls = figures.get(c)?.pulls ?? [];
      expect(pulls.map((p) => p.reader).sort()).toEqual([...first.keys()].sort());
      for (const [reader, ids] of first) {
        const p = pulls.find((x) => x.reader === reader);
        const delays = [...ids].map(([id, at]) => at - (published.get(`${c}|${id}`) ?? 0));
        expect(p?.firstPulls).toBe(ids.size);
        expect(p?.served).toBe(reads.filter((e) => e.principal === reader).reduce((a, e) => a + e.count, 0));
        expect(p?.medianBucket).toBe(delayBucket(valueQuantile(delays, 0.5) ?? 0));
        expect(p?.p90Bucket).toBe(delayBucket(valueQuantile(delays, 0.9) ?? 0));
      }
    }
    // us-cert is capped at AMBER in RU's collection: 2 of RU's 3 objects were served to it.
    expect(figures.get(CONSOLE_COLL.ru)?.pulls.find((p) => p.reader === 'us-cert')?.firstPulls).toBe(2);
  });

  it('when refusals and overlaps are recomputed from the status resources and the lookup endpoint, then they match', async () => {
    const report = await buildReport(
      new ExchangeReader(gw.redis, gw.keys, gw.config),
      { name: 'auditor', identity: '', admin: true },
      30,
      Date.now(),
    );
    const us = report.certs.flatMap((c) => c.collections).find((c) => c.id === CONSOLE_COLL.us);
    const failures = statuses.flatMap((s) => (s['failures'] as { message: string }[] | undefined) ?? []);
    const codes: Record<string, number> = {};
    for (const f of failures) codes[/^[A-Z_]+/.exec(f.message)?.[0] ?? ''] = (codes[/^[A-Z_]+/.exec(f.message)?.[0] ?? ''] ?? 0) + 1;
    expect(us?.refusals).toEqual(codes);
    expect(codes).toEqual({ NOT_OWN_IDENTITY: 1 });
    // Overlap: US values that the lookup finds in RU's collection too.
    let both = 0;
    for (const o of posted.slice(0, 3)) {
      const value = /'([^']+)'/.exec(String(o['pattern']))?.[1] ?? '';
      const r = (await gw.request('GET', `/gateway/v1/indicators/lookup?value=${value}`, { user: 'operator' })).json();
      const colls = (r['matches'] as { collection: { id: string } }[]).map((m) => m.collection.id);
      if (colls.includes(CONSOLE_COLL.us) && colls.includes(CONSOLE_COLL.ru)) both++;
    }
    expect(both).toBe(1);
    expect(us?.overlap[CONSOLE_COLL.ru]).toBe(both);
    expect(us?.duplicates).toBe(0);
    expect(report.certs.flatMap((c) => c.collections).find((c) => c.id === CONSOLE_COLL.ru)?.duplicates).toBe(1);
  });

  it('when rendered as JSON and CSV, then both carry the same figures', async () => {
    const report = await buildReport(
      new ExchangeReader(gw.redis, gw.keys, gw.config),
      { name: 'auditor', identity: '', admin: true },
      30,
      Date.now(),
    );
    const json = JSON.parse(reportJson(report)) as { certs: { collections: { id: string; shared: number }[] }[] };
    const csv = reportCsv(report);
    const us = json.certs.flatMap((c) => c.collections).find((c) => c.id === CONSOLE_COLL.us);
    expect(csv).toContain(`shared,US,us-cert-indicators,total,,${us?.shared}`);
    expect(csv.split('\r\n')[0]).toBe('section,country,collection,key,detail,value');
  });
});
