/**
 * `convert --from FMT --to FMT [FILE|-]`: offline conversion between native formats through STIX 2.1 (no
 * Redis). The imported objects go through the gateway's own prepare stage (validation, 2.0 upgrade,
 * normalization) before the export, so the output holds what the gateway would store. The import report and
 * every rejected object are printed on stderr. Exit 0 when a document was written (rejected objects listed on
 * stderr), 1 unreadable input, nothing convertible, or with --strict any rejection; 2 usage.
 */
import { writeFileSync } from 'node:fs';
import { FORMATS } from '../../mapping/format-definition';
import type { StixObject } from '../../mapping/types';
import { closeObservations } from '../../stix/conformance/observation-closure';
import { createPrepareDeps, prepareObjects } from '../../stix/prepare';
import type { CliIo, Command } from '../cli-types';
import type { FlagSpec } from '../args';
import { defineCommand } from '../define-command';
import { csvMappingArg, formatArg, formatImportSummary, formatReportIssue, inputTimestamp, readInput } from '../command-args';

const CONVERT_SPEC: FlagSpec = {
  '--from': true,
  '--to': true,
  '--mapping': true,
  '--export-mapping': true,
  '--config': true,
  '--out': true,
  '--source-name': true,
  '--identity': true,
  '--title': true,
  '--defang': false,
  '--quiet': false,
  '--strict': false,
  '--help': false,
};

export const CONVERT_HELP = `Usage: taxii-gateway convert --from FORMAT --to FORMAT [FILE|-] [options]

Converts a native threat-intelligence document to another format through STIX 2.1, offline (no Redis).
The objects pass the gateway's own validation and normalization on the way, so the output is what the
gateway would store and serve. The import report goes to stderr.

Formats: ${FORMATS.join(', ')}

Options:
  --from FORMAT            format of the input (required)
  --to FORMAT              format of the output (required)
  --out FILE               write the output there instead of stdout
  --mapping NAME|FILE.json CSV input: column mapping (a csv_mappings name of --config, or a JSON file)
  --export-mapping NAME|FILE.json   CSV output: column mapping (default: type,value,hashes,... columns)
  --config FILE            collections.yaml holding csv_mappings (default ./collections.yaml, GATEWAY_CONFIG)
  --source-name NAME       producer name for formats without one (CSV, text): identity and derived ids
  --identity ID            producer identity id (identity--<uuid>) used as created_by_ref
  --title TEXT             title of the output document (MISP info, STIX 1 title, OpenIOC description)
  --defang                 text output: write hxxp, [.] and [@]
  --quiet                  print only the summary and the rejected objects' ids on stderr, not every issue
  --strict                 any rejected object or input record is fatal: nothing is written, exit 1

Broken objects: an object the gateway's validation rejects (for example a relationship without target_ref)
is left out and listed on stderr with the reason; the rest of the document is converted. Exit status 0 when a
document was written, 1 when the input could not be read or nothing in it could be converted, or, with
--strict, when anything was rejected; 2 on a usage error.
  -h, --help               show this help
`;

export const convertCommand: Command = defineCommand({
  name: 'convert',
  help: CONVERT_HELP,
  spec: CONVERT_SPEC,
  check: (args) => (args.positional.length > 1 ? 'give at most one input file' : undefined),
  run: async (args, io) => {
    const from = await formatArg('--from', args.values.get('--from'));
    const to = await formatArg('--to', args.values.get('--to'));
    if (typeof from === 'string' || typeof to === 'string') {
      io.stderr(`convert: ${typeof from === 'string' ? from : String(to)}\n\n${CONVERT_HELP}`);
      return 2;
    }
    const configFile = args.values.get('--config') ?? io.env['GATEWAY_CONFIG'] ?? 'collections.yaml';
    const inMapping = await csvMappingArg(args.values.get('--mapping'), configFile);
    const outMapping = await csvMappingArg(args.values.get('--export-mapping'), configFile);
    if (typeof inMapping === 'string' || typeof outMapping === 'string') {
      io.stderr(`convert: ${typeof inMapping === 'string' ? inMapping : String(outMapping)}\n`);
      return 2;
    }
    const file = args.positional[0];
    let input: Buffer;
    try {
      input = await readInput(file, io);
    } catch (e) {
      io.stderr(`convert: cannot read ${file ?? 'stdin'}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    const quiet = args.flags.has('--quiet');
    const sourceName = args.values.get('--source-name');
    const identity = args.values.get('--identity');
    const result = from.import(input, {
      now: inputTimestamp(file),
      source: { ...(sourceName === undefined ? {} : { name: sourceName }), ...(identity === undefined ? {} : { identity }) },
      ...(inMapping === undefined ? {} : { csvMapping: inMapping }),
    });
    io.stderr(`convert: ${formatImportSummary(from.format, result)}`);
    if (!quiet) for (const i of result.issues) io.stderr(formatReportIssue(i));
    if (result.objects.length === 0 && result.issues.some((i) => i.severity === 'error')) return 1;

    const { objects, rejected } = prepareForExport(result.objects, io, quiet);
    const importErrors = result.issues.filter((i) => i.severity === 'error').length;
    if (args.flags.has('--strict') && (rejected > 0 || importErrors > 0)) {
      io.stderr(`convert: --strict: ${rejected} object(s) rejected, ${importErrors} input error(s); nothing written\n`);
      return 1;
    }
    if (objects.length === 0 && result.objects.length > 0) {
      io.stderr('convert: every object was rejected; nothing written\n');
      return 1;
    }
    const title = args.values.get('--title');
    const out = to.export(objects, {
      ...(title === undefined ? {} : { title }),
      ...(outMapping === undefined ? {} : { csvMapping: outMapping }),
      defang: args.flags.has('--defang'),
    });
    io.stderr(
      `convert: ${to.format}: ${objects.length} objects written, ${out.issues.length} export issues, ${rejected} rejected by the pipeline\n`,
    );
    if (!quiet) for (const i of out.issues) io.stderr(formatReportIssue(i));
    const target = args.values.get('--out');
    if (target === undefined) io.stdout(out.output);
    else writeFileSync(target, out.output);
    return 0;
  },
});

/**
 * Runs the gateway's prepare stage over imported objects; returns the canonical objects and the rejects. An
 * observed-data keeps only references to objects that made it through (src/stix/conformance/observation-closure.ts).
 */
export function prepareForExport(objects: readonly StixObject[], io: CliIo, quiet: boolean): { objects: StixObject[]; rejected: number } {
  const out: StixObject[] = [];
  let rejected = 0;
  for (const o of prepareObjects(objects, {}, createPrepareDeps({ lazySchemas: true }))) {
    if (!o.ok) {
      rejected++;
      const errors = o.issues.filter((i) => i.severity === 'error');
      if (quiet) io.stderr(`  rejected ${o.id ?? `#${o.index}`}: ${errors.map((i) => i.code).join(', ')}\n`);
      else for (const i of errors) io.stderr(`  rejected ${o.id ?? `#${o.index}`}: ${i.code} ${i.path} ${i.message}\n`);
      continue;
    }
    const parsed: unknown = JSON.parse(o.object.json);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      out.push({ ...(parsed as Record<string, unknown>), type: o.object.type, id: o.object.id });
    }
  }
  // An observed-data travels with what it observed: references to rejected or absent objects are taken out.
  const closed = closeObservations(out);
  for (const i of [...closed.dropped, ...(quiet ? [] : closed.trimmed)]) {
    io.stderr(`  ${i.severity === 'error' ? 'rejected' : 'changed'} ${i.objectId ?? ''}: ${i.code} ${i.path} ${i.message}\n`);
  }
  return { objects: closed.objects, rejected: rejected + closed.dropped.length };
}
