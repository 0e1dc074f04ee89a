/**
 * `report --since 30d [--format html|json|csv] [--lang en|ru] [--out FILE]`: the exchange report for the
 * working group (src/exchange/exchange-report.ts), read from the exchange counters in the gateway's Redis
 * (REDIS_URL or --redis-url, key root GATEWAY_KEY_PREFIX or --key-prefix) for the collections of the config
 * file (GATEWAY_CONFIG or --config). The report is the operator's: every collection, every TLP.
 */
import { writeFileSync } from 'node:fs';
import { ExchangeReader } from '../../exchange/exchange-reader';
import { buildReport, parsePeriod, reportCsv, reportJson } from '../../exchange/exchange-report';
import { isLang, messages } from '../../http/console/i18n';
import { reportDocument } from '../../http/console/report-html';
import { createKeyBuilder } from '../../store/keys';
import type { Command } from '../cli-types';
import { defineValueCommand } from '../define-command';
import { withCommandRedis } from '../cli-redis';
import { loadConfigOrMessage } from '../command-args';

export const REPORT_HELP = `Usage: taxii-gateway report --since PERIOD [options]

Prints the exchange report: per CERT, objects shared by type and TLP, objects pulled by the partner and the
median / p90 time to first pull, values both sides reported, refusals by code, inquiries.

Options:
  --since PERIOD      30d, 12w, 6m (30-day months) or 1y; whole UTC days, today included (at most 366 days)
  --format FORMAT     html (default), json or csv
  --lang LANG         en (default) or ru (html)
  --out FILE          write to FILE instead of standard output
  --config FILE       collections.yaml (default: $GATEWAY_CONFIG, else ./collections.yaml)
  --redis-url URL     the gateway's Redis (default: $REDIS_URL, else the private Redis of --data-dir)
  --data-dir DIR      data dir of the running \`start\` (default: $GATEWAY_DATA_DIR, else ./data)
  --key-prefix NAME   root of the gateway's keys (default: $GATEWAY_KEY_PREFIX, else gw)
  -h, --help          show this help

Exit status: 0 ok, 1 Redis unreachable, 2 usage error.
`;

const FLAGS = ['since', 'format', 'lang', 'out', 'config', 'redis-url', 'key-prefix', 'data-dir'] as const;
export const reportCommand: Command = defineValueCommand('report', REPORT_HELP, FLAGS, async (args, io) => {
  const days = parsePeriod(args.since ?? '30d');
  if (days === undefined) {
    io.stderr(`report: --since "${(args.since ?? '').slice(0, 40)}" is not a period such as 30d, 12w, 6m or 1y (at most 366 days)\n`);
    return 2;
  }
  const format = args.format ?? 'html';
  if (format !== 'html' && format !== 'json' && format !== 'csv') {
    io.stderr('report: --format must be html, json or csv\n');
    return 2;
  }
  const lang = args.lang ?? 'en';
  if (!isLang(lang)) {
    io.stderr('report: --lang must be en or ru\n');
    return 2;
  }
  const config = await loadConfigOrMessage(args.config ?? io.env['GATEWAY_CONFIG'] ?? 'collections.yaml');
  if (typeof config === 'string') {
    io.stderr(`report: ${config}\n`);
    return 2;
  }
  return withCommandRedis('report', args, io, async (redis) => {
    const reader = new ExchangeReader(redis, createKeyBuilder(args['key-prefix'] ?? io.env['GATEWAY_KEY_PREFIX'] ?? 'gw'), config);
    // The operator's report: an admin viewer with no clearance cap (not a configured principal).
    const report = await buildReport(reader, { name: '(report)', identity: '', admin: true }, days, Date.now());
    const text =
      format === 'json' ? reportJson(report) : format === 'csv' ? reportCsv(report) : reportDocument(messages(lang), lang, report);
    if (args.out !== undefined) writeFileSync(args.out, text);
    else io.stdout(text);
    return 0;
  });
});
