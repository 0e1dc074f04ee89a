/**
 * The one table of native formats: for each, its importer, its exporter, the media type and file extension
 * of its documents, and whether its export can be written page by page. The HTTP import/export endpoints,
 * the CLI commands and the samples report all go through this table, so a format is added in one place.
 */
import type { TlpLevel } from '../stix/markings';
import { randomStixId } from '../stix/identifiers';
import { conformImport } from './common/conform';
import { importCsv } from './csv/import';
import { exportCsv, DEFAULT_EXPORT_MAPPING } from './csv/export';
import type { CsvMapping } from './csv/types';
import { importMisp } from './misp/import';
import { exportMisp } from './misp/export';
import { importOpenioc } from './openioc/import';
import { exportOpenioc } from './openioc/export';
import { importStix1 } from './stix1/import';
import { exportStix1 } from './stix1/export';
import { exportStix20 } from './stix20/export';
import { importStix20, importStix21 } from './stix21/import';
import { exportStix21 } from './stix21/export';
import { importTxt } from './txt/import';
import { exportTxt } from './txt/export';
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

export interface FormatDefinition {
  readonly format: NativeFormat;
  /** Human name, used in messages ("STIX 1.x"). */
  readonly title: string;
  /** Content-Type of an exported document (and the expected type of an imported one). */
  readonly mediaType: string;
  /** File name extension of an exported document, without the dot. */
  readonly extension: string;
  readonly import: (input: string | Buffer, ctx: ImportContext) => ImportResult;
  readonly export: (objects: readonly StixObject[], ctx: ExportContext) => ExportResult;
  /** Present when the document can be built page by page; otherwise the export holds every object at once. */
  readonly streaming?: StreamingExporter;
}

/** A bundle never holds `"objects": []` (STIX 2.1 §8): the array is opened with the first object. */
const stix21Streaming: StreamingExporter = {
  begin: (ctx) => `{"type":"bundle","id":${JSON.stringify(ctx.bundleId ?? randomStixId('bundle'))}`,
  page: (objects, first) => ({
    output: objects.length === 0 ? '' : (first ? ',"objects":[' : ',') + objects.map((o) => JSON.stringify(o)).join(','),
    issues: [],
  }),
  end: (_ctx, empty) => (empty ? '}\n' : ']}\n'),
};

const csvStreaming: StreamingExporter = {
  begin: () => '',
  page: (objects, first, ctx) => {
    const mapping = ctx.csvMapping ?? DEFAULT_EXPORT_MAPPING;
    // The header row is written once, with the first page.
    return exportCsv(objects, { mapping: first ? mapping : { ...mapping, header: false } });
  },
  end: () => '',
};

const DEFINITIONS: readonly FormatDefinition[] = [
  {
    format: 'misp',
    title: 'MISP',
    mediaType: 'application/json',
    extension: 'misp.json',
    import: (input, ctx) => importMisp(input, ctx),
    export: (objects, ctx) =>
      exportMisp(objects, {
        ...(ctx.title === undefined ? {} : { eventInfo: ctx.title }),
        ...(ctx.orgName === undefined ? {} : { orgName: ctx.orgName }),
      }),
  },
  {
    format: 'stix1',
    title: 'STIX 1.x',
    mediaType: 'application/xml',
    extension: 'stix1.xml',
    import: (input, ctx) => importStix1(input, ctx),
    export: (objects, ctx) => exportStix1(objects, ctx.title === undefined ? {} : { title: ctx.title }),
  },
  {
    format: 'openioc',
    title: 'OpenIOC',
    mediaType: 'application/xml',
    extension: 'ioc',
    import: (input, ctx) => importOpenioc(input, ctx),
    export: (objects, ctx) => exportOpenioc(objects, ctx.title === undefined ? {} : { name: ctx.title }),
  },
  {
    format: 'csv',
    title: 'CSV',
    mediaType: 'text/csv; charset=utf-8',
    extension: 'csv',
    import: (input, ctx) => importCsv(input, ctx.csvMapping === undefined ? ctx : { ...ctx, mapping: ctx.csvMapping }),
    export: (objects, ctx) => exportCsv(objects, ctx.csvMapping === undefined ? {} : { mapping: ctx.csvMapping }),
    streaming: csvStreaming,
  },
  {
    format: 'txt',
    title: 'plain text',
    mediaType: 'text/plain; charset=utf-8',
    extension: 'txt',
    import: (input, ctx) => importTxt(input, ctx.tlp === undefined ? ctx : { ...ctx, tlp: ctx.tlp }),
    export: (objects, ctx) => exportTxt(objects, { defang: ctx.defang === true }),
  },
  {
    format: 'stix20',
    title: 'STIX 2.0',
    mediaType: 'application/stix+json;version=2.0',
    extension: 'stix20.json',
    import: (input) => importStix20(input),
    export: (objects, ctx) => exportStix20(objects, ctx.bundleId === undefined ? {} : { bundleId: ctx.bundleId }),
  },
  {
    format: 'stix21',
    title: 'STIX 2.1',
    mediaType: 'application/stix+json;version=2.1',
    extension: 'json',
    import: (input) => importStix21(input),
    export: (objects, ctx) => exportStix21(objects, ctx.bundleId === undefined ? {} : { bundleId: ctx.bundleId }),
    streaming: stix21Streaming,
  },
];

/** Every format, in a stable order (for help texts and the samples report). */
export const FORMATS: readonly NativeFormat[] = DEFINITIONS.map((d) => d.format);

/**
 * Every importer's objects pass conformImport (src/mapping/common/conform.ts) on their way out, so the ids and
 * values no converter may get wrong are checked in one place for all of them.
 */
const CONFORMING: readonly FormatDefinition[] = DEFINITIONS.map((d) => ({
  ...d,
  import: (input, ctx) => conformImport(d.import(input, ctx)),
}));

const BY_NAME = new Map<string, FormatDefinition>(CONFORMING.map((d) => [d.format, d]));

/** The definition of a format name as users type it (case-insensitive); undefined for unknown names. */
export function formatDefinition(name: string): FormatDefinition | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}
