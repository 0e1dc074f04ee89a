/** `taxii-gateway report`: the exchange report from the gateway's Redis, as JSON, CSV and HTML. */
import path from 'node:path';
import { reportCommand } from '../../../src/main/commands/report';
import type { CliIo } from '../../../src/main/cli-types';
import type { HarnessGateway } from '../../helpers/gateway';
import { testRedisUrl } from '../../helpers/redis';
import { CONSOLE_COLL, RED_RU_ID, seedExchange, startConsoleGateway } from '../../browser/console-gateway';

// The shipped collections.yaml has the same collection ids as the console test gateway.
const CONFIG = path.join(__dirname, '..', '..', '..', 'collections.yaml');

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {}, readStdin: async () => Buffer.alloc(0) };
  const code = await reportCommand(argv, io);
  return { code, out, err };
}

describe('taxii-gateway report', () => {
  let gw: HarnessGateway;
  let base: string[];
  beforeAll(async () => {
    gw = await startConsoleGateway();
    await seedExchange(gw);
    base = ['--config', CONFIG, '--redis-url', testRedisUrl(), '--key-prefix', gw.keys.root];
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when asked for JSON over 30 days, then it gives every collection at every TLP (the operator view)', async () => {
    const r = await run(['--since', '30d', '--format', 'json', ...base]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as {
      days: number;
      certs: {
        country: string;
        collections: { id: string; shared: number; shared_by_tlp: Record<string, number>; refusals: Record<string, number> }[];
      }[];
    };
    expect(report.days).toBe(30);
    const all = report.certs.flatMap((c) => c.collections);
    expect(all.find((c) => c.id === CONSOLE_COLL.ru)?.shared_by_tlp['red']).toBe(1);
    expect(all.find((c) => c.id === CONSOLE_COLL.us)?.refusals).toEqual({ NOT_OWN_IDENTITY: 1 });
    expect(report.certs.map((c) => c.country)).toEqual(['RU', 'US', '']);
  });

  it('when asked for CSV and HTML, then both are written, the HTML standalone with its print stylesheet', async () => {
    const csv = await run(['--since', '30d', '--format', 'csv', ...base]);
    expect(csv.out.split('\r\n')[0]).toBe('section,country,collection,key,detail,value');
    expect(csv.out).toContain('refusals,US,us-cert-indicators,NOT_OWN_IDENTITY,,1');
    const html = await run(['--since', '1y', '--lang', 'ru', ...base]);
    expect(html.code).toBe(0);
    expect(html.out).toMatch(/^<!doctype html><html lang="ru">/);
    expect(html.out).toContain('@media print');
    expect(html.out).toContain('Отчёт об обмене');
    expect(html.out).not.toContain(RED_RU_ID); // the report gives counts, never ids
  });

  it('when the period or the format is not understood, then exit 2 with the reason', async () => {
    expect((await run(['--since', '30 days', ...base])).code).toBe(2);
    const bad = await run(['--since', '30d', '--format', 'pdf', ...base]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--format must be html, json or csv');
  });
});
