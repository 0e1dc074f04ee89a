/**
 * What a native format is to the rest of the gateway (its importer, exporter, media type, file extension,
 * streaming exporter), and the list of format names. Kept apart from the formats themselves so that a command
 * can name and choose a format without loading every converter (src/mapping/load-format.ts).
 */
import type { TlpLevel } from '../stix/markings';
import { conformImport } from './common/conform';
import type { CsvMapping } from './csv/types';
import type { ExportResult, ImportOptions, ImportResult, NativeFormat, StixObject } from './types';

/** What an import needs beyond the input: the clock, the producer, and the per-source options. */
export interface ImportContext extends ImportOptions {
  /** CSV: the source's column mapping (guessed from the header when absent). */
  readonly csvMapping?: CsvMapping;
  /** Plain text: TLP of every indicator (other formats carry their own markings). */
  readonly tlp?: TlpLevel;
}

/** Options of an export; each format reads the ones that apply to it. */
export interface ExportContext {
  /** CSV: the column mapping of the receiving CERT (default: DEFAULT_EXPORT_MAPPING). */
  readonly csvMapping?: CsvMapping;
  /** Document title (MISP event info, STIX 1 package title, OpenIOC short description). */
  readonly title?: string;
  /** MISP: creator organisation when no object names a producer. */
  readonly orgName?: string;
  /** Plain text: write defanged values. */
  readonly defang?: boolean;
  /** STIX bundles: the bundle id (streamed exports default to a random one). */
  readonly bundleId?: string;
}

/** Writes one document as a sequence of chunks, page by page, for exports of any size. */
export interface StreamingExporter {
  /** Text before the first object. */
  begin(ctx: ExportContext): string;
  /** The text of one page of objects; `first` is true for the first non-empty page. */
  page(objects: readonly StixObject[], first: boolean, ctx: ExportContext): ExportResult;
  /** Text after the last object; `empty` is true when no page held an object. */
  end(ctx: ExportContext, empty: boolean): string;
}

/** What a format is, without its code: name, title, media type and file extension. */
export interface FormatFacts {
  readonly format: NativeFormat;
  /** Human name, used in messages ("STIX 1.x"). */
  readonly title: string;
  /** Content-Type of an exported document (and the expected type of an imported one). */
  readonly mediaType: string;
  /** File name extension of an exported document, without the dot. */
  readonly extension: string;
}

/** A format's code: one module per format under formats/, loaded only when the format is used. */
export interface FormatConverters {
  readonly import: (input: string | Buffer, ctx: ImportContext) => ImportResult;
  readonly export: (objects: readonly StixObject[], ctx: ExportContext) => ExportResult;
  /** Present when the document can be built page by page; otherwise the export holds every object at once. */
  readonly streaming?: StreamingExporter;
}

export type FormatDefinition = FormatFacts & FormatConverters;

/** The facts of every format, in a stable order (for help texts and the samples report). */
const FACTS: readonly FormatFacts[] = [
  { format: 'misp', title: 'MISP', mediaType: 'application/json', extension: 'misp.json' },
  { format: 'stix1', title: 'STIX 1.x', mediaType: 'application/xml', extension: 'stix1.xml' },
  { format: 'openioc', title: 'OpenIOC', mediaType: 'application/xml', extension: 'ioc' },
  { format: 'csv', title: 'CSV', mediaType: 'text/csv; charset=utf-8', extension: 'csv' },
  { format: 'txt', title: 'plain text', mediaType: 'text/plain; charset=utf-8', extension: 'txt' },
  { format: 'stix20', title: 'STIX 2.0', mediaType: 'application/stix+json;version=2.0', extension: 'stix20.json' },
  { format: 'stix21', title: 'STIX 2.1', mediaType: 'application/stix+json;version=2.1', extension: 'json' },
];

/** Every format, in a stable order (for help texts and the samples report). */
export const FORMATS: readonly NativeFormat[] = FACTS.map((f) => f.format);

/** The facts of a format name as users type it (case-insensitive); undefined for unknown names. */
export function formatFacts(name: string): FormatFacts | undefined {
  const wanted = name.trim().toLowerCase();
  return FACTS.find((f) => f.format === wanted);
}

/**
 * Every importer's objects pass conformImport (src/mapping/common/conform.ts) on their way out, so the ids and
 * values no converter may get wrong are checked in one place for all of them.
 */
export function conforming(facts: FormatFacts, converters: FormatConverters): FormatDefinition {
  return { ...facts, ...converters, import: (input, ctx) => conformImport(converters.import(input, ctx)) };
}
