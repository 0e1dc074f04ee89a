/**
 * Exports count as pulls: a native export of a collection hands its objects to the exporting principal, so the
 * exchange counters, the report and the object browser's first pulls show it, and the figures match the raw
 * audit entries. Also: overdue inquiry deadlines are counted once each.
 */
import type { AuditEntry } from '../../../src/audit/audit-event';
import { ExchangeReader } from '../../../src/exchange/exchange-reader';
import { buildReport } from '../../../src/exchange/exchange-report';
import type { HarnessGateway } from '../../helpers/gateway';
import { allAuditEntries } from './audit-entries';
import { CONSOLE_COLL, CONSOLE_IDENT, TLP, ipIndicator, startConsoleGateway } from '../../browser/console-gateway';

const OPERATOR = { name: 'operator', identity: '', admin: true };

describe('exports in the exchange counters', () => {
  let gw: HarnessGateway;
  const objects = [
    ipIndicator(5001, '203.0.113.51', CONSOLE_IDENT.us, TLP.clear),
    ipIndicator(5002, '203.0.113.52', CONSOLE_IDENT.us, TLP.amber),
    ipIndicator(5003, '203.0.113.53', CONSOLE_IDENT.us, TLP.red),
  ];

  beforeAll(async () => {
    gw = await startConsoleGateway();
    await gw.post(CONSOLE_COLL.us, objects, 'us-cert');
  });

  afterAll(async () => {
    await gw.close();
  });

  const auditEntries = (): Promise<AuditEntry[]> => allAuditEntries(gw);

  it('when the partner exports a collection, then the report shows its pull, as the raw audit entries say', async () => {
    const r = await gw.request('GET', `/gateway/v1/collections/${CONSOLE_COLL.us}/export?format=stix21`, { user: 'ru-cert' });
    expect(r.status).toBe(200);
    await gw.exchange.flush();

    const entries = (await auditEntries()).filter(
      (e) => e.action === 'export' && e.collection === CONSOLE_COLL.us && e.principal === 'ru-cert' && e.http_status === 200,
    );
    expect(entries.length).toBe(1);
    expect(entries.every((e) => e.ids_truncated !== true)).toBe(true);
    const exported = new Set(entries.flatMap((e) => e.ids));
    // ru-cert is capped at AMBER in US's collection: the RED object is neither exported nor counted.
    expect([...exported].sort()).toEqual([String(objects[0]?.['id']), String(objects[1]?.['id'])]);

    const report = await buildReport(new ExchangeReader(gw.redis, gw.keys, gw.config), OPERATOR, 30, Date.now());
    const us = report.certs.flatMap((c) => c.collections).find((c) => c.id === CONSOLE_COLL.us);
    const pull = us?.pulls.find((p) => p.reader === 'ru-cert');
    expect(pull?.firstPulls).toBe(exported.size);
    expect(pull?.served).toBe(entries.reduce((a, e) => a + e.count, 0));

    // The overview's per-day series counts it, and the object browser knows when ru-cert first had each object.
    const f = await new ExchangeReader(gw.redis, gw.keys, gw.config).figures(OPERATOR, 7, Date.now(), { details: false });
    const series = f.collections.find((c) => c.id === CONSOLE_COLL.us)?.series ?? [];
    expect(series.reduce((a, p) => a + p.pulled, 0)).toBe(exported.size);
    const reader = new ExchangeReader(gw.redis, gw.keys, gw.config);
    const firsts = await reader.firstPulls(CONSOLE_COLL.us, String(objects[1]?.['id']), ['ru-cert']);
    expect(typeof firsts[0]).toBe('number');
    expect(await reader.firstPulls(CONSOLE_COLL.us, String(objects[2]?.['id']), ['ru-cert'])).toEqual([undefined]);
  });

  it('when the partner exports again, then the records served grow but the first pulls do not', async () => {
    const reader = new ExchangeReader(gw.redis, gw.keys, gw.config);
    const before = (await buildReport(reader, OPERATOR, 30, Date.now())).certs
      .flatMap((c) => c.collections)
      .find((c) => c.id === CONSOLE_COLL.us)
      ?.pulls.find((p) => p.reader === 'ru-cert');
    const r = await gw.request('GET', `/gateway/v1/collections/${CONSOLE_COLL.us}/export?format=stix21`, { user: 'ru-cert' });
    expect(r.status).toBe(200);
    await gw.exchange.flush();
    const after = (await buildReport(reader, OPERATOR, 30, Date.now())).certs
      .flatMap((c) => c.collections)
      .find((c) => c.id === CONSOLE_COLL.us)
      ?.pulls.find((p) => p.reader === 'ru-cert');
    expect(after?.served).toBe((before?.served ?? 0) + 2);
    expect(after?.firstPulls).toBe(before?.firstPulls);
  });

  it('when an operator exports, then nothing is counted as a pull', async () => {
    const reader = new ExchangeReader(gw.redis, gw.keys, gw.config);
    const total = async (): Promise<number> => {
      const f = await reader.figures(OPERATOR, 7, Date.now(), { details: false });
      return f.collections.flatMap((c) => c.series).reduce((a, p) => a + p.pulled, 0);
    };
    const before = await total();
    expect((await gw.request('GET', `/gateway/v1/collections/${CONSOLE_COLL.us}/export?format=stix21`, { user: 'operator' })).status).toBe(
      200,
    );
    await gw.exchange.flush();
    expect(await total()).toBe(before);
  });

  it('when an inquiry deadline is reported overdue twice, then it is counted once, for the asked authority, in the report', async () => {
    const reader = new ExchangeReader(gw.redis, gw.keys, gw.config);
    const overdue = async (viewer: { name: string; identity: string; admin: boolean }): Promise<number> =>
      (await buildReport(reader, viewer, 30, Date.now())).certs
        .flatMap((c) => c.collections)
        .filter((c) => c.id === CONSOLE_COLL.joint)
        .reduce((a, c) => a + c.inquiries.overdue, 0);
    const inquiry = 'inquiry--00000000-0000-4000-8000-000000000077';
    await gw.exchange.overdue(CONSOLE_COLL.joint, inquiry, 'acknowledge', 'ru-cert');
    await gw.exchange.overdue(CONSOLE_COLL.joint, inquiry, 'acknowledge', 'ru-cert');
    expect(await overdue(OPERATOR)).toBe(1);
    // The answer deadline of the same inquiry is another overdue step.
    await gw.exchange.overdue(CONSOLE_COLL.joint, inquiry, 'answer', 'ru-cert');
    expect(await overdue(OPERATOR)).toBe(2);
    expect(await overdue({ name: 'ru-cert', identity: CONSOLE_IDENT.ru, admin: false })).toBe(2);
  });
});
