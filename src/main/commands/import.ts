/**
 * `import --collection ID|ALIAS --format FMT FILE|-`: converts a native document and hands its objects to
 * the ingest queue exactly like the HTTP import (status resource + one job), then waits for the worker to
 * complete the status and prints it. Needs Redis (--redis-url / REDIS_URL) and a running worker.
 * Exit 0 every object stored, 1 unreadable input or failed objects, 2 usage.
 */
import { BullIngestQueue } from '../../ingest/bullmq';
import { fatalImportIssue, importReport, runImport } from '../../import-export/native';
import type { CollectionConfig, GatewayConfig } from '../../config/types';
import type { CsvMapping } from '../../mapping/csv/types';
import type { FormatDefinition } from '../../mapping/format-definition';
import { createKeyBuilder } from '../../store/keys';
import { StatusStore } from '../../store/status-store';
import { acceptObjects } from '../../ingest/accept';
import type { CliIo, Command } from '../cli-types';
import { CLI_REDIS_HELP, cliRedisUrl, openCommandRedis } from '../cli-redis';
import { progressBar } from '../progress';
import { connectRedis, parseRedisTarget } from '../redis-connect';
import type { FlagSpec } from '../args';
import { defineCommand } from '../define-command';
import {
  csvMappingArg,
  formatArg,
  formatImportSummary,
  formatReportIssue,
  inputTimestamp,
  loadConfigOrMessage,
  readInput,
} from '../command-args';

const SPEC: FlagSpec = {
  '--collection': true,
  '--format': true,
  '--mapping': true,
  '--as': true,
  '--config': true,
  '--redis-url': true,
  '--data-dir': true,
  '--key-prefix': true,
  '--timeout': true,
  '--no-wait': false,
  '--quiet': false,
  '--help': false,
};

export const IMPORT_HELP = `Usage: taxii-gateway import --collection ID|ALIAS [--format FORMAT] [options] FILE|-

Converts a native document (MISP, STIX 1.x, OpenIOC, CSV, text, STIX 2.0/2.1) and ingests its objects into a
collection through the same queue, validation, normalization and dedup as a TAXII POST. Waits for the worker
and prints the final status resource on stdout; the import report goes to stderr.

Options:
  --collection ID|ALIAS   target collection (required)
  --format FORMAT         input format; default: the collection's native_format
  --mapping NAME|FILE.json  CSV column mapping; default: the collection's csv_mapping
  --as PRINCIPAL          principal the import is made for (its identity is created_by_ref where the format
                          names no producer); default: the collection's first writer
  --config FILE           collections.yaml                  GATEWAY_CONFIG     (./collections.yaml)
${CLI_REDIS_HELP}
  --key-prefix NAME       root of the gateway's Redis keys  GATEWAY_KEY_PREFIX (gw)
  --timeout SECONDS       how long to wait for the worker (default 300)
  --no-wait               print the pending status and return at once
  --quiet                 do not list every import issue
  -h, --help              show this help
`;

export interface GatewayArgs {
  readonly config: GatewayConfig;
  readonly collection: CollectionConfig;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  /** `--format`, else the collection's native format, else `fallbackFormat`. */
  readonly format: FormatDefinition;
  /** `--mapping`, else the collection's CSV mapping when the format is CSV. */
  readonly mapping: CsvMapping | undefined;
}

/**
 * Config, collection, Redis settings, format and CSV mapping shared by `import` and `export`; a string is a usage
 * message.
 */
export async function gatewayArgs(values: ReadonlyMap<string, string>, io: CliIo, fallbackFormat?: string): Promise<GatewayArgs | string> {
  const file = values.get('--config') ?? io.env['GATEWAY_CONFIG'] ?? 'collections.yaml';
  const config = await loadConfigOrMessage(file);
  if (typeof config === 'string') return config;
  const name = values.get('--collection');
  if (name === undefined) return '--collection is required';
  const matches = config.collections.filter((c) => c.id === name || c.alias === name);
  const collection = matches.find((c) => c.api_root === config.server.default_api_root) ?? matches[0];
  if (collection === undefined) {
    return `no collection "${name}" in ${file} (known: ${config.collections.map((c) => c.alias ?? c.id).join(', ')})`;
  }
  const redis = cliRedisUrl(values, io);
  if ('message' in redis) return redis.message;
  const redisUrl = redis.url;
  const keyPrefix = values.get('--key-prefix') ?? io.env['GATEWAY_KEY_PREFIX'] ?? 'gw';
  const format = await formatArg('--format', values.get('--format') ?? collection.native_format ?? fallbackFormat);
  if (typeof format === 'string') return format;
  const mapping = await csvMappingArg(values.get('--mapping') ?? (format.format === 'csv' ? collection.csv_mapping : undefined), file);
  if (typeof mapping === 'string') return mapping;
  return { config, collection, redisUrl, keyPrefix, format, mapping };
}

const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const importCommand: Command = defineCommand({
  name: 'import',
  help: IMPORT_HELP,
  spec: SPEC,
  check: (args) => (args.positional.length === 1 ? undefined : 'give exactly one input FILE (or - for stdin)'),
  run: async (args, io) => {
    const g = await gatewayArgs(args.values, io);
    if (typeof g === 'string') {
      io.stderr(`import: ${g}\n`);
      return 2;
    }
    const { collection: c, format, mapping } = g;
    const who = args.values.get('--as') ?? c.writers[0];
    const principal = g.config.principals.find((p) => p.name === who);
    if (principal === undefined || !c.writers.includes(principal.name)) {
      io.stderr(`import: "${who ?? ''}" is not a writer of ${c.alias ?? c.id} (writers: ${c.writers.join(', ') || 'none'})\n`);
      return 2;
    }
    const timeoutS = Number(args.values.get('--timeout') ?? '300');
    if (!Number.isFinite(timeoutS) || timeoutS <= 0) {
      io.stderr('import: --timeout must be a positive number of seconds\n');
      return 2;
    }

    const input = await readInput(args.positional[0], io);
    const result = runImport(format, input, {
      now: inputTimestamp(args.positional[0]),
      source: { identity: principal.identity, name: principal.name },
      ...(mapping === undefined ? {} : { csvMapping: mapping }),
      ...(c.default_tlp === undefined ? {} : { tlp: c.default_tlp }),
    });
    io.stderr(`import: ${formatImportSummary(format.format, result)}`);
    if (!args.flags.has('--quiet')) for (const i of result.issues) io.stderr(formatReportIssue(i));
    const fatal = fatalImportIssue(result);
    if (fatal) {
      io.stderr(`import: nothing stored: ${fatal.message} (at ${fatal.path})\n`);
      return 1;
    }

    const keys = createKeyBuilder(g.keyPrefix);
    const redis = await openCommandRedis('import', g.redisUrl, io);
    if (redis === undefined) return 1;
    const connection = connectRedis(parseRedisTarget(g.redisUrl), { mode: 'wait', name: 'gw-import-queue' });
    connection.on('error', () => undefined);
    const queue = new BullIngestQueue({ connection, prefix: keys.queuePrefix });
    try {
      const statuses = new StatusStore(redis, keys, g.config.server.status_ttl_seconds);
      const status = await acceptObjects(
        { statuses, queue, log: silentLog },
        {
          apiRoot: c.api_root,
          collectionId: c.id,
          principal: { name: principal.name, identity: principal.identity, admin: principal.admin },
        },
        result.objects,
        JSON.stringify({ objects: result.objects }),
      );
      const statusId = status.id;
      if (args.flags.has('--no-wait')) {
        io.stdout(
          `${JSON.stringify({ ...(JSON.parse(status.json) as Record<string, unknown>), import_report: importReport(format.format, result) }, null, 2)}\n`,
        );
        return 0;
      }
      const deadline = Date.now() + timeoutS * 1000;
      const progress = progressBar(io, 'import', 'objects');
      for (;;) {
        const got = await statuses.get(statusId);
        if (got !== undefined) progress.update(got.resource.success_count + got.resource.failure_count, got.resource.total_count);
        if (got?.resource.status === 'complete') {
          progress.stop();
          io.stdout(`${JSON.stringify(got.resource, null, 2)}\n`);
          io.stderr(`import: status ${statusId}: ${got.resource.success_count} stored, ${got.resource.failure_count} failed\n`);
          return got.resource.failure_count === 0 ? 0 : 1;
        }
        if (Date.now() > deadline) {
          progress.stop();
          io.stderr(`import: status ${statusId} still pending after ${timeoutS} s (is a worker running?)\n`);
          return 1;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await queue.close();
      connection.disconnect();
      redis.disconnect();
    }
  },
});
