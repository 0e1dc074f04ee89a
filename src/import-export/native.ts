/**
 * Native import and export as use cases: run a converter on a native document, and read a collection page by
 * page into a native document. The HTTP endpoints (src/http/gateway/import-export.ts) and the CLI commands
 * (src/main/commands/import.ts, export.ts) both call these.
 */
import type { ExportContext, FormatDefinition, ImportContext } from '../mapping/registry';
import type { ImportResult, StixObject } from '../mapping/types';
import { issue, type ContentIssue } from '../stix/issues';
import { LATEST_VERSION, type ContentRules, type ObjectStore, type ReadQuery, type StoredRecord } from '../store/types';

/** Most issues listed in an import answer (the count is always exact). */
export const MAX_REPORTED_ISSUES = 1000;
/** Most objects one export returns (a `limit` asks for fewer). */
export const MAX_EXPORT_OBJECTS = 1_000_000;
/** Formats built in memory hold at most this many objects. */
export const MAX_BUFFERED_EXPORT_OBJECTS = 200_000;

/** The import report sent with the status resource and printed by the CLI. */
export interface ImportReport {
  readonly format: string;
  readonly stats: ImportResult['stats'];
  readonly object_count: number;
  readonly issue_count: number;
  readonly issues: readonly ContentIssue[];
}

export function importReport(format: string, result: ImportResult): ImportReport {
  return {
    format,
    stats: result.stats,
    object_count: result.objects.length,
    issue_count: result.issues.length,
    issues: result.issues.slice(0, MAX_REPORTED_ISSUES),
  };
}

/** The first error of an import that produced nothing: what the operator must read. */
export function fatalImportIssue(result: ImportResult): ContentIssue | undefined {
  if (result.objects.length > 0) return undefined;
  return result.issues.find((i) => i.severity === 'error');
}

/** An export built in memory would exceed MAX_BUFFERED_EXPORT_OBJECTS: the reader must narrow it. */
export class ExportTooLargeError extends Error {
  override readonly name = 'ExportTooLargeError';
}

/** Runs the converter for an import: the shared part of the HTTP endpoint and the CLI. */
export function runImport(def: FormatDefinition, input: Buffer, ctx: ImportContext): ImportResult {
  try {
    return def.import(input, ctx);
  } catch (e) {
    // Converters never throw on content; a throw is a converter bug, reported as unreadable input.
    const message = e instanceof Error ? e.message : String(e);
    return {
      objects: [],
      issues: [issue('error', 'IMPORT_FAILED', '/', `${def.title}: conversion failed (${message.slice(0, 200)})`)],
      stats: { indicators: 0, observables: 0, otherObjects: 0, skipped: 0 },
    };
  }
}

/** What an export reads: the collection, the filters, and the reader's TLP clearance. */
export interface ExportSelection {
  readonly collectionId: string;
  readonly after: number;
  readonly limit: number;
  readonly types: readonly string[];
  readonly ids: readonly string[];
  /** Highest TLP rank the reader may receive (absent = everything). */
  readonly maxTlpRank?: number;
  /** The reader's sharing rules beyond TLP (refused markings, accepted producers). */
  readonly rules?: ContentRules;
}

/** Reads the latest version of each selected object, page by page, parsed; `onRecords` sees each page read. */
export async function* exportPages(
  store: ObjectStore,
  sel: ExportSelection,
  pageSize: number,
  onRecords?: (records: readonly StoredRecord[]) => void,
): AsyncGenerator<StixObject[]> {
  let after = sel.after;
  let left = sel.limit;
  while (left > 0) {
    const q: ReadQuery = {
      after,
      limit: Math.min(pageSize, left),
      types: sel.types,
      ids: sel.ids,
      versions: LATEST_VERSION,
      ...(sel.maxTlpRank === undefined ? {} : { maxTlpRank: sel.maxTlpRank }),
      ...(sel.rules === undefined ? {} : { rules: sel.rules }),
    };
    const page = await store.read(sel.collectionId, q, true);
    // What this page hands out (the exchange counters count an export as a pull of these records).
    onRecords?.(page.records.filter((r) => r.json !== undefined));
    const objects: StixObject[] = [];
    for (const r of page.records) {
      if (r.json === undefined) continue;
      const o: unknown = JSON.parse(r.json);
      if (typeof o === 'object' && o !== null && !Array.isArray(o)) {
        const rec = o as Record<string, unknown>;
        if (typeof rec['type'] === 'string' && typeof rec['id'] === 'string') objects.push({ ...rec, type: rec['type'], id: rec['id'] });
      }
    }
    left -= page.records.length;
    if (objects.length > 0) yield objects;
    if (!page.more || page.continueAfter === undefined) return;
    after = page.continueAfter;
  }
}

/** Where an export writes; `write` resolves when the sink can take more (back-pressure). */
export interface ExportSink {
  write(chunk: string): Promise<void>;
}

/**
 * Writes one export document to the sink: page by page for streaming formats, else all pages collected and
 * converted once. Returns the exporter's issues and the number of objects read.
 */
export async function writeExport(
  pages: AsyncIterable<StixObject[]>,
  def: FormatDefinition,
  ctx: ExportContext,
  sink: ExportSink,
): Promise<{ issues: ContentIssue[]; objects: number }> {
  const issues: ContentIssue[] = [];
  let count = 0;
  const s = def.streaming;
  if (s) {
    await sink.write(s.begin(ctx));
    let first = true;
    for await (const page of pages) {
      if (page.length === 0) continue;
      const out = s.page(page, first, ctx);
      first = false;
      count += page.length;
      issues.push(...out.issues);
      if (out.output.length > 0) await sink.write(out.output);
    }
    if (first) {
      // No object at all: the document still has its header (CSV) or a bundle without objects.
      const out = s.page([], true, ctx);
      if (out.output.length > 0) await sink.write(out.output);
    }
    await sink.write(s.end(ctx, count === 0));
    return { issues, objects: count };
  }
  const all: StixObject[] = [];
  for await (const page of pages) {
    all.push(...page);
    if (all.length > MAX_BUFFERED_EXPORT_OBJECTS) {
      throw new ExportTooLargeError(
        `a ${def.title} export is built in memory and holds at most ${MAX_BUFFERED_EXPORT_OBJECTS} objects; narrow it with added_after, match[type] or limit`,
      );
    }
  }
  const out = def.export(all, ctx);
  await sink.write(out.output);
  return { issues: out.issues, objects: all.length };
}
