/**
 * `export --collection ID|ALIAS [--format FMT] [--out FILE]`: writes the latest version of each object of a
 * collection in a native format, read page by page from the gateway's Redis (streamed for STIX 2.1 and CSV);
 * `--for PRINCIPAL` exports what that reader may receive and counts it as its pull (src/exchange/).
 * Exit 0 ok, 1 failure, 2 usage.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { CLI_REDIS_HELP, openCommandRedis } from '../cli-redis';
import { NO_PROGRESS, progressBar } from '../progress';
import { exportPages, MAX_EXPORT_OBJECTS, writeExport, type ExportSelection, type ExportSink } from '../../import-export/native';
import { ExchangeRecorder } from '../../exchange/exchange-recorder';
import { readPolicyFor } from '../../policy/clearance';
import { type AuditEvent, MAX_AUDIT_IDS } from '../../audit/audit-event';
import { RedisAuditLog } from '../../audit/audit-log';
import { isStixType } from '../../stix/identifiers';
import { parseTimestamp } from '../../stix/time';
import { createKeyBuilder } from '../../store/keys';
import { RedisStore } from '../../store/redis-store';
import type { Command } from '../cli-types';
import type { FlagSpec } from '../args';
import { defineCommand } from '../define-command';
import { formatReportIssue } from '../command-args';
import { gatewayArgs } from './import';

const SPEC: FlagSpec = {
  '--collection': true,
  '--format': true,
  '--mapping': true,
  '--out': true,
  '--added-after': true,
  '--type': true,
  '--limit': true,
  '--title': true,
  '--for': true,
  '--config': true,
  '--redis-url': true,
  '--data-dir': true,
  '--key-prefix': true,
  '--defang': false,
  '--help': false,
};

export const EXPORT_HELP = `Usage: taxii-gateway export --collection ID|ALIAS [--format FORMAT] [--out FILE] [options]

Writes the latest version of every object of a collection (or those the filters select) in a native format,
for a partner CERT: misp, stix1, openioc, csv, txt, stix20, stix21.

Options:
  --collection ID|ALIAS   collection to export (required)
  --format FORMAT         output format; default: the collection's native_format, else stix21
  --mapping NAME|FILE.json  CSV column mapping; default: the collection's csv_mapping
  --out FILE              write there instead of stdout
  --added-after TIME      only objects added after this RFC 3339 time
  --type T1,T2            only these STIX types (e.g. indicator)
  --limit N               at most N objects
  --title TEXT            document title (MISP info, STIX 1 title, OpenIOC description)
  --for PRINCIPAL         export for this reader of the collection: only what it may receive (its TLP clearance
                          and sharing rules), counted as its pull in the exchange counters and the report;
                          without it the export is the operator's (everything, not counted as a pull)
  --defang                text output: write hxxp, [.] and [@]
  --config FILE           collections.yaml                  GATEWAY_CONFIG     (./collections.yaml)
${CLI_REDIS_HELP}
  --key-prefix NAME       root of the gateway's Redis keys  GATEWAY_KEY_PREFIX (gw)
  -h, --help              show this help
`;

function fileSink(stream: WriteStream): ExportSink {
  return {
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        stream.write(chunk, (err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Passes pages through, reporting the running count of objects. */
async function* counted<T>(pages: AsyncIterable<T[]>, onCount: (n: number) => void): AsyncGenerator<T[]> {
  let n = 0;
  for await (const page of pages) {
    n += page.length;
    onCount(n);
    yield page;
  }
}

export const exportCommand: Command = defineCommand({
  name: 'export',
  help: EXPORT_HELP,
  spec: SPEC,
  run: async (args, io) => {
    const g = await gatewayArgs(args.values, io, 'stix21');
    if (typeof g === 'string') {
      io.stderr(`export: ${g}\n`);
      return 2;
    }
    const { collection: c, format, mapping } = g;
    const afterText = args.values.get('--added-after');
    const after = afterText === undefined ? 0 : parseTimestamp(afterText)?.micros;
    const types = (args.values.get('--type') ?? '').split(',').filter((t) => t.length > 0);
    const limitText = args.values.get('--limit') ?? String(MAX_EXPORT_OBJECTS);
    const limit = /^\d{1,9}$/.test(limitText) ? Math.min(Number(limitText), MAX_EXPORT_OBJECTS) : 0;
    if (after === undefined || limit < 1 || types.some((t) => !isStixType(t))) {
      io.stderr('export: --added-after must be an RFC 3339 UTC time, --limit a positive integer, --type STIX type names\n');
      return 2;
    }

    const forName = args.values.get('--for');
    const reader = forName === undefined ? undefined : g.config.principals.find((p) => p.name === forName);
    if (forName !== undefined && (reader === undefined || reader.admin || !c.readers.includes(forName))) {
      io.stderr(`export: --for ${forName.slice(0, 100)}: not a (non-operator) reader of collection ${c.alias ?? c.id}\n`);
      return 2;
    }
    const policy = reader === undefined ? undefined : readPolicyFor(g.config, reader.name, c);

    const redis = await openCommandRedis('export', g.redisUrl, io);
    if (redis === undefined) return 1;
    const out = args.values.get('--out');
    const stream = out === undefined ? undefined : createWriteStream(out);
    let exchange: ExchangeRecorder | undefined;
    const handedOut: string[] = [];
    try {
      const keys = createKeyBuilder(g.keyPrefix);
      const store = new RedisStore(redis, keys);
      exchange = reader === undefined ? undefined : new ExchangeRecorder(redis, keys, g.config);
      const sink: ExportSink = stream ? fileSink(stream) : { write: async (t) => void io.stdout(t) };
      const title = args.values.get('--title');
      // a bar on the terminal unless the export itself is written there
      const progress = out === undefined && io.stdoutIsTty === true ? NO_PROGRESS : progressBar(io, 'export', 'objects');
      const sel: ExportSelection = {
        collectionId: c.id,
        after,
        limit,
        types,
        ids: [],
        ...(policy === undefined ? {} : { maxTlpRank: policy.maxTlpRank }),
        ...(policy?.rules === undefined ? {} : { rules: policy.rules }),
      };
      const pages = counted(
        exportPages(store, sel, g.config.server.max_page_size, (records) => {
          if (reader === undefined) return;
          exchange?.pulled(reader.name, c.id, records);
          for (const r of records) handedOut.push(r.id);
        }),
        (n) => progress.update(n),
      );
      const result = await writeExport(
        pages,
        format,
        {
          title: title ?? `${c.title} (export)`,
          orgName: c.title,
          defang: args.flags.has('--defang'),
          ...(mapping === undefined ? {} : { csvMapping: mapping }),
        },
        sink,
      );
      progress.stop();
      if (reader !== undefined) {
        // The audit trail has the pull too (entries of at most MAX_AUDIT_IDS ids, none truncated).
        const audit = new RedisAuditLog(redis, keys, g.config.audit);
        const time = new Date().toISOString();
        const events: AuditEvent[] = [];
        for (let i = 0; i < handedOut.length; i += MAX_AUDIT_IDS) {
          const ids = handedOut.slice(i, i + MAX_AUDIT_IDS);
          events.push({ time, principal: reader.name, source: '', action: 'export', collection: c.id, count: ids.length, ids });
        }
        await audit.recordAll(events);
      }
      await exchange?.close();
      io.stderr(`export: ${c.alias ?? c.id}: ${result.objects} objects as ${format.format}, ${result.issues.length} issues\n`);
      for (const i of result.issues) io.stderr(formatReportIssue(i));
      return 0;
    } catch (e) {
      io.stderr(`export: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    } finally {
      if (stream) await new Promise<void>((resolve) => stream.end(() => resolve()));
      await exchange?.close().catch(() => undefined);
      redis.disconnect();
    }
  },
});
