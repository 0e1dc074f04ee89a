/**
 * The option values that several commands share (`convert`, `import`, `export`, `sync`, `report`): a format
 * name, a CSV mapping, the config file, the input file and its date, and the lines of an import report. The
 * options themselves are parsed by src/main/args.ts.
 *
 * Start-up matters here (a script may convert many small files): the YAML parser, ajv and the format converters
 * are loaded only when an option needs them.
 */
import { readFileSync, statSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import type { GatewayConfig } from '../config/types';
import type { CsvMapping } from '../mapping/csv/types';
import { FORMATS, type FormatDefinition } from '../mapping/format-definition';
import { loadFormat } from '../mapping/load-format';
import type { ImportResult } from '../mapping/types';
import type { ContentIssue } from '../stix/issues';
import type { CliIo } from './cli-types';

/** The format definition of a `--from`/`--to`/`--format` value (only that format is loaded), or a usage message. */
export async function formatArg(name: string, value: string | undefined): Promise<FormatDefinition | string> {
  if (value === undefined) return `${name} is required (${FORMATS.join(', ')})`;
  return (await loadFormat(value)) ?? `${name}: unknown format "${value}" (${FORMATS.join(', ')})`;
}

let mappingValidator: ValidateFunction<CsvMapping> | undefined;

/**
 * The type guard of a CSV mapping read from a JSON file, through its JSON Schema. ajv is loaded and the schema
 * compiled only here: a conversion without a mapping file does not pay for them.
 */
async function csvMappingGuard(): Promise<(v: unknown) => v is CsvMapping> {
  if (mappingValidator === undefined) {
    const [{ default: Ajv }, { default: schema }] = await Promise.all([import('ajv'), import('../mapping/csv/csv-mapping.schema.json')]);
    mappingValidator = new Ajv({ allErrors: true }).compile<CsvMapping>(schema);
  }
  const validate = mappingValidator;
  return (v: unknown): v is CsvMapping => validate(v) === true;
}

/**
 * A CSV mapping named on the command line: a JSON file (`*.json`) or the name of a csv_mappings entry of the
 * config. Returns a message when it cannot be had.
 */
export async function csvMappingArg(value: string | undefined, configFile: string): Promise<CsvMapping | undefined | string> {
  if (value === undefined) return undefined;
  if (value.endsWith('.json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(value, 'utf8'));
    } catch (e) {
      return `--mapping ${value}: ${e instanceof Error ? e.message : String(e)}`;
    }
    return (await csvMappingGuard())(parsed)
      ? parsed
      : `--mapping ${value}: not a CSV mapping (see src/mapping/csv/csv-mapping.schema.json)`;
  }
  const config = await loadConfigOrMessage(configFile);
  if (typeof config === 'string') return config;
  return (
    config.csv_mappings[value] ??
    `--mapping: no CSV mapping named "${value}" in ${configFile} (known: ${Object.keys(config.csv_mappings).join(', ') || 'none'})`
  );
}

export async function loadConfigOrMessage(file: string): Promise<GatewayConfig | string> {
  // loaded on demand: the YAML parser is most of a small conversion's start-up, and most need no config
  const { formatConfigIssue, loadConfigFile } = await import('../config/load-config');
  const loaded = await loadConfigFile(file);
  if (!loaded.config) return `${file} has problems:\n${loaded.issues.map(formatConfigIssue).join('\n')}`;
  return loaded.config;
}

/** Reads FILE or standard input (`-` or no argument). */
export async function readInput(file: string | undefined, io: CliIo): Promise<Buffer> {
  return file === undefined || file === '-' ? io.readStdin() : readFileSync(file);
}

/** One report line per issue, `<severity> <CODE> <position>: <message>`. */
export function formatReportIssue(i: ContentIssue): string {
  return `  ${i.severity} ${i.code} ${i.path}${i.objectId === undefined ? '' : ` (${i.objectId})`}: ${i.message}\n`;
}

export function formatImportSummary(format: string, r: ImportResult): string {
  const s = r.stats;
  return `${format}: ${r.objects.length} objects (${s.indicators} indicators, ${s.observables} observables, ${s.otherObjects} other), ${s.skipped} skipped, ${r.issues.length} issues\n`;
}

/** The current time as a STIX timestamp with milliseconds. */
export function nowTimestamp(): string {
  return new Date().toISOString();
}

/**
 * The time an import is dated with when the document itself carries none (a plain-text list, a CSV without
 * date columns): the file's modification time, so importing the same file again gives the same versions and
 * stores nothing; the clock for standard input.
 */
export function inputTimestamp(file: string | undefined): string {
  if (file === undefined || file === '-') return nowTimestamp();
  try {
    return statSync(file).mtime.toISOString();
  } catch {
    return nowTimestamp();
  }
}
