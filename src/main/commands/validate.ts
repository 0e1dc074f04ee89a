/**
 * `validate [FILE|-]`: checks a STIX bundle, TAXII envelope or single object offline, through the same
 * prepare stage as the worker (pre-screen, 2.0 upgrade, schema, semantic rules, normalization). Streams the
 * input, so a bundle of any size is checked in bounded memory (plus one digest per id and version for the
 * document rules). Prints `<object id> <path> <CODE> <message>` per error or warning. Strict by default: exit 1
 * on any MUST violation of docs/stix-conformance.md; `--lenient`: exit 1 only on what the worker rejects.
 */
import { createReadStream } from 'node:fs';
import type { TlpLevel } from '../../stix/markings';
import type { ContentIssue } from '../../stix/issues';
import { type BundleElement, BundleSyntaxError, readBundleElements } from '../../stix/normalize/bundle-stream';
import { createPrepareDeps, type PrepareOptions, type PrepareOutcome, prepareObjects } from '../../stix/prepare';
import { STRICT_PROMOTED } from '../../stix/conformance/rules';
import { DocumentChecker, strictObjectIssues } from '../../stix/conformance/strict-checks';
import { isJsonObject } from '../../stix/semantic/prescreen';
import type { CliIo, Command } from '../cli-types';
import { command } from '../define-command';
import { parseArgs, type FlagSpec } from '../args';

/** Objects prepared together (bounds memory; SCO id rewrites inside a batch are immediate). */
export const BATCH_SIZE = 500;

const TLP_LEVELS: readonly TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

export interface OfflineArgs {
  readonly file: string;
  readonly options: PrepareOptions;
}

export const OFFLINE_SPEC: FlagSpec = { '--default-tlp': true, '--malware-is-family': false, '--max-object-bytes': true };

const OFFLINE_OPTIONS = `Options:
  --default-tlp LEVEL     marking added to objects without one (${TLP_LEVELS.join(', ')})
  --malware-is-family     STIX 2.0 malware without is_family becomes a family (default: an instance)
  --max-object-bytes N    largest accepted object, in bytes
  -h, --help              show this help`;

export const VALIDATE_HELP = `Usage: taxii-gateway validate [FILE|-] [options]

Checks a STIX bundle, TAXII envelope or single object offline (no Redis) against every MUST of
docs/stix-conformance.md, through the same stage as the ingest worker: pre-screen, STIX 2.0 upgrade, schema,
semantic rules, normalization, plus the document rules (a UUID reused across types, conflicting versions, an
empty objects list, an observed-data whose objects a bundle lacks). Prints one line per error or warning: <object id> <path> <CODE> <message>; a summary on
stderr. Reads standard input without FILE.

  --strict              (default) any MUST violation is an error
  --lenient             what the ingest worker accepts: violations it repairs or stores as posted are warnings
${OFFLINE_OPTIONS}

Exit status: 0 every object acceptable (warnings allowed), 1 invalid objects or unreadable input, 2 usage.
`;

export const NORMALIZE_HELP = `Usage: taxii-gateway normalize [FILE|-] [options]

Prints the canonical STIX 2.1 bundle of the input, offline: STIX 2.0 upgraded, values, patterns, timestamps
and SCO ids canonical. The changes and the objects left out (they cannot be made valid) go to stderr.
Reads standard input without FILE.

${OFFLINE_OPTIONS}

Exit status: 0 ok, 1 objects left out or unreadable input, 2 usage.
`;

/** Parses `[FILE|-] [--default-tlp LEVEL] [--malware-is-family] [--max-object-bytes N]`; a string is a usage error. */
export function parseOfflineArgs(argv: readonly string[]): (OfflineArgs & { readonly help: boolean }) | string {
  const parsed = parseArgs(argv, OFFLINE_SPEC);
  if (typeof parsed === 'string') return parsed;
  if (parsed.positional.length > 1) return 'only one input file is accepted';
  let defaultTlp: TlpLevel | undefined;
  const tlpText = parsed.values.get('--default-tlp');
  if (tlpText !== undefined) {
    defaultTlp = TLP_LEVELS.find((l) => l === tlpText.toLowerCase());
    if (defaultTlp === undefined) return `--default-tlp needs one of ${TLP_LEVELS.join(', ')}`;
  }
  let maxObjectBytes: number | undefined;
  const maxText = parsed.values.get('--max-object-bytes');
  if (maxText !== undefined) {
    maxObjectBytes = Number(maxText);
    if (!Number.isInteger(maxObjectBytes) || maxObjectBytes <= 0) return '--max-object-bytes needs a positive integer';
  }
  const malwareIsFamilyDefault = parsed.flags.has('--malware-is-family') ? true : undefined;
  return {
    file: parsed.positional[0] ?? '-',
    help: parsed.flags.has('--help'),
    options: {
      ...(defaultTlp === undefined ? {} : { defaultTlp }),
      ...(malwareIsFamilyDefault === undefined ? {} : { malwareIsFamilyDefault }),
      ...(maxObjectBytes === undefined ? {} : { maxObjectBytes }),
    },
  };
}

/** The input as a stream of chunks: a file read in 1 MiB pieces, or standard input. */
export async function* inputChunks(file: string, io: CliIo): AsyncGenerator<string | Buffer> {
  if (file === '-') {
    yield await io.readStdin();
    return;
  }
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) yield chunk;
  }
}

/** One line per issue: `<object id> <path> <CODE> <message>`. */
export function formatIssue(i: ContentIssue, fallbackId: string): string {
  return `${i.objectId ?? fallbackId} ${i.path === '' ? '/' : i.path} ${i.code} ${i.message}\n`;
}

/**
 * Streams the input through prepareObjects in batches and hands every outcome (with its absolute index) to
 * `onOutcome`; elements that are not JSON become failures. Returns the top-level properties of the input.
 */
/** Optional observers of the raw input: every parsed element as posted, and the end of the input. */
export interface StreamHooks {
  onElement?(value: unknown): void;
  /**
   * `sawObjects`: the input had an `objects` list; `count`: how many elements it held; `header`: the input's
   * other top-level properties (a bundle's `type` and `id`, an envelope's `more` and `next`).
   */
  onEnd?(sawObjects: boolean, count: number, header: Readonly<Record<string, unknown>>): void;
}

export async function prepareStream(
  file: string,
  io: CliIo,
  options: PrepareOptions,
  onOutcome: (o: PrepareOutcome, offset: number) => void,
  hooks: StreamHooks = {},
): Promise<Readonly<Record<string, unknown>>> {
  const deps = createPrepareDeps({ lazySchemas: true });
  let header: Readonly<Record<string, unknown>> = {};
  let batch: unknown[] = [];
  let offset = 0;
  const flush = (): void => {
    for (const o of prepareObjects(batch, options, deps)) onOutcome(o, offset);
    offset += batch.length;
    batch = [];
  };
  let sawObjects = false;
  let count = 0;
  const elements = readBundleElements(inputChunks(file, io), (h, saw) => {
    header = h;
    sawObjects = saw;
  });
  for await (const el of elements as AsyncIterable<BundleElement>) {
    if (!el.ok) {
      flush();
      onOutcome({ ok: false, index: 0, issues: [{ code: el.code, path: '', message: el.message, severity: 'error' }] }, offset);
      offset++;
      continue;
    }
    // A bundle without an `objects` property is read as one element: it is valid and holds nothing to check.
    if (isJsonObject(el.value) && el.value['type'] === 'bundle' && el.value['objects'] === undefined) continue;
    count++;
    hooks.onElement?.(el.value);
    batch.push(el.value);
    if (batch.length >= BATCH_SIZE) flush();
  }
  flush();
  hooks.onEnd?.(sawObjects, count, header);
  return header;
}

/**
 * A bundle, or a bare list of objects, is a whole document: what an observed-data observed travels in it. A TAXII
 * envelope (`more`, `next`) is one page of a collection that a reader may see only part of, and a single object
 * is no document.
 */
export function isWholeDocument(header: Readonly<Record<string, unknown>>, sawObjects: boolean): boolean {
  return header['type'] === 'bundle' || (sawObjects && header['more'] === undefined && header['next'] === undefined);
}

/** Reports an input that cannot be read at all; returns the exit code. */
export function reportFault(e: unknown, file: string, io: CliIo): number {
  if (e instanceof BundleSyntaxError) {
    io.stderr(`${file}: not a STIX bundle: ${e.message}\n`);
    return 1;
  }
  if (e instanceof Error && 'code' in e && typeof e.code === 'string') {
    io.stderr(`${file}: ${e.message}\n`);
    return 1;
  }
  throw e;
}

const VALIDATE_OPTIONS: FlagSpec = { ...OFFLINE_SPEC, '--lenient': false, '--strict': false };

export const validateCommand: Command = command(VALIDATE_HELP, VALIDATE_OPTIONS, async (argv, io) => {
  const lenient = argv.includes('--lenient');
  const args = parseOfflineArgs(argv.filter((a) => a !== '--lenient' && a !== '--strict'));
  if (typeof args === 'string' || (lenient && argv.includes('--strict'))) {
    io.stderr(`validate: ${typeof args === 'string' ? args : '--lenient and --strict exclude each other'}\n\n${VALIDATE_HELP}`);
    return 2;
  }
  if (args.help) {
    io.stdout(VALIDATE_HELP);
    return 0;
  }
  const report = new ValidationReport(lenient, io);
  try {
    await prepareStream(args.file, io, args.options, (o, offset) => report.outcome(o, offset), report);
  } catch (e) {
    return reportFault(e, args.file, io);
  }
  return report.done();
});

/**
 * Collects what `validate` prints: the prepare outcomes, plus in strict mode the posted-object and document
 * rules (src/stix/conformance/strict-checks.ts) and the warnings that are MUST violations, as errors.
 */
class ValidationReport implements StreamHooks {
  private objects = 0;
  private failures = 0;
  private documentErrors = 0;
  private readonly document = new DocumentChecker();

  constructor(
    private readonly lenient: boolean,
    private readonly io: CliIo,
  ) {}

  onElement(value: unknown): void {
    if (!isJsonObject(value)) return;
    this.document.add(value);
    for (const i of strictObjectIssues(value)) this.print(i, '/');
  }

  onEnd(sawObjects: boolean, count: number, header: Readonly<Record<string, unknown>>): void {
    for (const i of this.document.finish(sawObjects, count, isWholeDocument(header, sawObjects))) this.print(i, '/');
  }

  outcome(o: PrepareOutcome, offset: number): void {
    this.objects++;
    if (o.ok) {
      let promoted = false;
      for (const i of o.object.changes) {
        if (i.severity === 'info') continue;
        const strictError = !this.lenient && STRICT_PROMOTED.has(i.code);
        promoted ||= strictError;
        this.io.stdout(formatIssue(strictError ? { ...i, severity: 'error' } : i, o.object.id));
      }
      if (promoted) this.failures++;
      return;
    }
    this.failures++;
    for (const i of o.issues) if (i.severity !== 'info') this.io.stdout(formatIssue(i, o.id ?? `objects[${offset + o.index}]`));
  }

  /** A strict-check issue: an error in strict mode, a warning in lenient mode. */
  private print(i: ContentIssue, fallbackId: string): void {
    if (!this.lenient) this.documentErrors++;
    this.io.stdout(formatIssue(this.lenient ? { ...i, severity: 'warning' } : i, fallbackId));
  }

  done(): number {
    const mode = this.lenient ? 'lenient' : 'strict';
    this.io.stderr(`${this.objects} object(s), ${this.failures} invalid, ${this.documentErrors} other MUST violation(s) (${mode})\n`);
    return this.failures === 0 && this.documentErrors === 0 ? 0 : 1;
  }
}
