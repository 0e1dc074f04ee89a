/**
 * Native import and export of a collection, outside the TAXII tree (same authentication and permissions):
 *
 *   POST /gateway/v1/collections/{id-or-alias}/import?format=…[&mapping=NAME]
 *     the converter runs, its objects go through the same hand-off as a TAXII POST (status resource + one
 *     ingest job), and the answer is 202 with the status resource plus the import report.
 *   GET  /gateway/v1/collections/{id-or-alias}/export?format=…[&mapping=NAME][&added_after=…][&match[type]=…]
 *     the latest version of each selected object, read page by page from the store and written as it goes
 *     for formats that can be built page by page (STIX 2.1, CSV); the others are built once all pages are read.
 *
 * `format` defaults to the collection's native_format; `mapping` (CSV) to its csv_mapping.
 */
import express, { type Request, type Response } from 'express';
import type { AuthenticatedPrincipal } from '../auth/types';
import { canRead, canWrite, isVisible } from '../auth/permissions';
import type { CollectionConfig, GatewayConfig } from '../config/types';
import type { CsvMapping } from '../mapping/csv/types';
import { readPolicyFor, type ReadPolicy } from '../policy/clearance';
import { FORMATS, formatDefinition, type ExportContext, type FormatDefinition, type ImportContext } from '../mapping/registry';
import type { ImportResult, StixObject } from '../mapping/types';
import { issue, type ContentIssue } from '../stix/issues';
import { formatMicros, nowMicros } from '../stix/time';
import type { ContentRules, ObjectStore, ReadQuery } from '../store/types';
import type { TaxiiDeps } from '../taxii/context';
import { readBody } from '../taxii/body';
import { Errors, TaxiiError } from '../taxii/errors';
import { LATEST_VERSION, parseFilters, type ParsedFilters } from '../taxii/query';
import { sendTaxii } from '../taxii/respond';
import { acceptObjects, withProperty } from '../taxii/resources/add-objects';
import { requirePrincipal } from '../taxii/resources/lookup';
import { auditedPages, noteAudit } from '../audit/http-audit';

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

/**
 * The collection named by id or alias in any API root, as visible to the principal (404 otherwise). An alias
 * used in several API roots resolves to the one in the default API root, else it is ambiguous (400).
 */
export function resolveCollection(config: GatewayConfig, idOrAlias: string, p: AuthenticatedPrincipal): CollectionConfig {
  const found = config.collections.filter((c) => (c.id === idOrAlias || c.alias === idOrAlias) && isVisible(p, c));
  if (found.length === 0) throw Errors.notFound(`There is no collection "${idOrAlias.slice(0, 100)}".`);
  if (found.length === 1 && found[0] !== undefined) return found[0];
  const inDefault = found.filter((c) => c.api_root === config.server.default_api_root);
  if (inDefault.length === 1 && inDefault[0] !== undefined) return inDefault[0];
  throw Errors.badRequest(
    `The alias "${idOrAlias.slice(0, 100)}" names collections in several API roots (${found.map((c) => c.api_root).join(', ')}); use the collection id.`,
  );
}

/** The format a request asks for, else the collection's native format, else `fallback`. */
export function chooseFormat(asked: string | undefined, c: CollectionConfig, fallback?: string): FormatDefinition {
  const name = asked ?? c.native_format ?? fallback;
  if (name === undefined) {
    throw Errors.badRequest(`format is required (the collection declares no native_format): one of ${FORMATS.join(', ')}.`);
  }
  const def = formatDefinition(name);
  if (!def) throw Errors.invalidFilter('format', `"${name.slice(0, 40)}" is not a known format; use one of ${FORMATS.join(', ')}`);
  return def;
}

/** The CSV mapping asked for by name, else the collection's; undefined when neither names one. */
export function chooseCsvMapping(config: GatewayConfig, asked: string | undefined, c: CollectionConfig): CsvMapping | undefined {
  const name = asked ?? c.csv_mapping;
  if (name === undefined) return undefined;
  const m = config.csv_mappings[name];
  if (m === undefined) {
    const known = Object.keys(config.csv_mappings);
    throw Errors.invalidFilter('mapping', `no CSV mapping named "${name.slice(0, 64)}" (known: ${known.length === 0 ? 'none' : known.join(', ')})`);
  }
  return m;
}

function queryOf(req: Request): string {
  const q = req.originalUrl.indexOf('?');
  return q < 0 ? '' : req.originalUrl.slice(q + 1);
}

/** A single-valued query parameter (repeated → 400). */
function single(search: string, name: string): string | undefined {
  const all = new URLSearchParams(search).getAll(name);
  if (all.length > 1) throw Errors.invalidFilter(name, 'given more than once');
  const v = all[0];
  if (v !== undefined && (v.length === 0 || v.length > 200)) throw Errors.invalidFilter(name, 'must be 1 to 200 characters');
  return v;
}

/** 422 naming the format and the position of the first error (nothing was stored). */
function unreadable(def: FormatDefinition, first: ContentIssue, result: ImportResult): TaxiiError {
  return new TaxiiError(
    422,
    'UNPROCESSABLE',
    `Not a readable ${def.title} document`,
    `${first.message} (at ${first.path}); nothing was stored.`,
    { format: def.format, code: first.code, position: first.path, import_report: importReport(def.format, result) },
  );
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

export function importNative(deps: TaxiiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const p = requirePrincipal(res);
    const c = resolveCollection(deps.config, String(req.params['collection'] ?? ''), p);
    if (!canWrite(p, c)) throw Errors.forbidden(`Principal "${p.name}" may not write to collection "${c.alias ?? c.id}".`);
    const search = queryOf(req);
    const def = chooseFormat(single(search, 'format'), c);
    const csvMapping = def.format === 'csv' ? chooseCsvMapping(deps.config, single(search, 'mapping'), c) : undefined;
    const root = deps.config.api_roots.find((r) => r.name === c.api_root);
    if (!root) throw Errors.internal();
    const input = await readBody(req, res, root.max_content_length);
    const now = formatMicros(nowMicros()).replace(/(\.\d{3})\d{3}Z$/, '$1Z');
    const ctx: ImportContext = {
      now,
      source: { identity: p.identity, name: p.name },
      ...(csvMapping === undefined ? {} : { csvMapping }),
      ...(c.default_tlp === undefined ? {} : { tlp: c.default_tlp }),
    };
    const result = runImport(def, input, ctx);
    const fatal = fatalImportIssue(result);
    if (fatal) throw unreadable(def, fatal, result);
    const body = JSON.stringify({ objects: result.objects });
    const status = await acceptObjects(deps, { apiRoot: c.api_root, collectionId: c.id, principal: p }, result.objects, body);
    deps.log.info({ collection: c.id, principal: p.name, format: def.format, objects: result.objects.length, issues: result.issues.length }, 'native import accepted');
    noteAudit(res, { ids: result.objects.map((o) => String(o['id'])), statusId: status.id, collection: c.id });
    sendTaxii(res, 202, withProperty(status.json, 'import_report', importReport(def.format, result)));
  };
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

/** Reads the latest version of each selected object, page by page, parsed. */
export async function* exportPages(store: ObjectStore, sel: ExportSelection, pageSize: number): AsyncGenerator<StixObject[]> {
  let after = sel.after;
  let left = sel.limit;
  while (left > 0) {
    const q: ReadQuery = {
      after,
      limit: Math.min(pageSize, left),
      types: sel.types,
      ids: sel.ids,
      versions: LATEST_VERSION,
      specVersions: [],
      ...(sel.maxTlpRank === undefined ? {} : { maxTlpRank: sel.maxTlpRank }),
      ...(sel.rules === undefined ? {} : { rules: sel.rules }),
    };
    const page = await store.read(sel.collectionId, q, true);
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
      // No object at all: the document still has its header (CSV) or an empty bundle.
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
      throw Errors.badRequest(
        `a ${def.title} export is built in memory and holds at most ${MAX_BUFFERED_EXPORT_OBJECTS} objects; narrow it with added_after, match[type] or limit`,
      );
    }
  }
  const out = def.export(all, ctx);
  await sink.write(out.output);
  return { issues: out.issues, objects: all.length };
}

function responseSink(res: Response): ExportSink {
  return {
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        if (res.destroyed) {
          reject(new Error('client went away'));
          return;
        }
        if (res.write(chunk)) resolve();
        else res.once('drain', () => resolve());
      }),
  };
}

/** Peeks at the first page so errors (bad filters, too large) are still answered as TAXII errors. */
async function* prepend<T>(first: IteratorResult<T>, rest: AsyncIterator<T>): AsyncGenerator<T> {
  if (first.done === true) return;
  yield first.value;
  for (let r = await rest.next(); r.done !== true; r = await rest.next()) yield r.value;
}

export function exportNative(deps: TaxiiDeps, clearance?: (p: AuthenticatedPrincipal, c: CollectionConfig) => ReadPolicy) {
  return async (req: Request, res: Response): Promise<void> => {
    const p = requirePrincipal(res);
    const c = resolveCollection(deps.config, String(req.params['collection'] ?? ''), p);
    if (!canRead(p, c)) throw Errors.forbidden(`Principal "${p.name}" may not read collection "${c.alias ?? c.id}".`);
    const search = queryOf(req);
    const def = chooseFormat(single(search, 'format'), c, 'stix21');
    const csvMapping = def.format === 'csv' ? chooseCsvMapping(deps.config, single(search, 'mapping'), c) : undefined;
    const defang = single(search, 'defang');
    const f: ParsedFilters = parseFilters(search, {
      allowed: ['added_after', 'limit', 'match[id]', 'match[type]'],
      scope: `export|${c.id}`,
      defaultVersions: LATEST_VERSION,
      defaultLimit: MAX_EXPORT_OBJECTS,
      maxLimit: MAX_EXPORT_OBJECTS,
    });
    // The reader's TLP clearance and rules (sharing policy), applied inside the store query like every TAXII read.
    const policy = clearance ? clearance(p, c) : readPolicyFor(deps.config, p.name, c);
    const sel: ExportSelection = {
      collectionId: c.id,
      after: f.after,
      limit: f.limit,
      types: f.types,
      ids: f.ids,
      maxTlpRank: policy.maxTlpRank,
      ...(policy.rules === undefined ? {} : { rules: policy.rules }),
    };
    const ctx: ExportContext = {
      title: `${c.title} (export)`,
      orgName: c.title,
      defang: defang === 'true' || defang === '1',
      ...(csvMapping === undefined ? {} : { csvMapping }),
    };
    const iterator = exportPages(deps.store, sel, deps.config.server.max_page_size)[Symbol.asyncIterator]();
    const first = await iterator.next();
    const stamp = formatMicros(nowMicros()).slice(0, 19).replace(/[-:]/g, '');
    const headers = (): void => {
      res.status(200);
      res.setHeader('Content-Type', def.mediaType);
      res.setHeader('Content-Disposition', `attachment; filename="${c.alias ?? c.id}-${stamp}.${def.extension}"`);
      res.setHeader('X-Gateway-Export-Format', def.format);
    };
    if (!def.streaming) {
      // Whole-document formats: built first, so a failure is still a proper error answer.
      const chunks: string[] = [];
      const out = await writeExport(auditedPages(res, c.id, prepend(first, iterator)), def, ctx, { write: async (t) => void chunks.push(t) });
      headers();
      res.setHeader('X-Gateway-Export-Objects', String(out.objects));
      res.setHeader('X-Gateway-Export-Issues', String(out.issues.length));
      res.end(chunks.join(''));
      return;
    }
    headers();
    try {
      await writeExport(auditedPages(res, c.id, prepend(first, iterator)), def, ctx, responseSink(res));
      res.end();
    } catch (err) {
      // Headers are gone: the only honest signal left is an aborted response.
      deps.log.warn({ collection: c.id, err: err instanceof Error ? err.message : String(err) }, 'export aborted');
      res.destroy();
    }
  };
}

type Middleware = (req: Request, res: Response, next: express.NextFunction) => unknown;

/**
 * The router mounted under /gateway/v1/collections: `auth` (the TAXII authentication middleware) runs before
 * each of its routes; other paths under /collections fall through to the routes mounted after it.
 */
export function importExportRouter(deps: TaxiiDeps, auth: Middleware, clearance?: (p: AuthenticatedPrincipal, c: CollectionConfig) => ReadPolicy): express.Router {
  const r = express.Router({ strict: false, caseSensitive: true });
  r.route('/:collection/import')
    .post(auth, importNative(deps))
    .all((req: Request) => {
      throw Errors.methodNotAllowed(req.method, ['POST']);
    });
  r.route('/:collection/export')
    .get(auth, exportNative(deps, clearance))
    .all((req: Request) => {
      throw Errors.methodNotAllowed(req.method, ['GET']);
    });
  return r;
}
