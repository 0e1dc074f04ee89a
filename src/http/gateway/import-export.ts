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
import type { AuthenticatedPrincipal } from '../../auth/types';
import { canRead, canWrite, isVisible } from '../../auth/permissions';
import type { CollectionConfig, GatewayConfig } from '../../config/types';
import type { CsvMapping } from '../../mapping/csv/types';
import { readPolicyFor, type ReadPolicy } from '../../policy/clearance';
import { FORMATS, formatDefinition, type ExportContext, type FormatDefinition, type ImportContext } from '../../mapping/registry';
import type { ImportResult } from '../../mapping/types';
import type { ContentIssue } from '../../stix/issues';
import { formatMicros, nowMicros } from '../../stix/time';
import type { TaxiiDeps } from '../context';
import { readBody } from '../body';
import { Errors, TaxiiError } from '../errors';
import { LATEST_VERSION, parseFilters, type ParsedFilters } from '../query';
import { sendTaxii } from '../respond';
import { acceptObjects, withProperty } from '../../ingest/accept';
import {
  ExportTooLargeError,
  exportPages,
  fatalImportIssue,
  importReport,
  MAX_EXPORT_OBJECTS,
  runImport,
  writeExport,
  type ExportSelection,
  type ExportSink,
} from '../../import-export/native';
import { requirePrincipal } from '../taxii/lookup';
import { auditedPages, noteAudit } from '../audit-trail';
import { importDigest } from '../../import-export/first-seen';

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
    throw Errors.invalidFilter(
      'mapping',
      `no CSV mapping named "${name.slice(0, 64)}" (known: ${known.length === 0 ? 'none' : known.join(', ')})`,
    );
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
    const settings = {
      source: { identity: p.identity, name: p.name },
      ...(csvMapping === undefined ? {} : { csvMapping }),
      ...(c.default_tlp === undefined ? {} : { tlp: c.default_tlp }),
    };
    // A re-import of the same document runs with its first import's time, so a file without dates gives the
    // same versions again and the second import stores nothing (src/import-export/first-seen.ts).
    const clock = formatMicros(nowMicros()).replace(/(\.\d{3})\d{3}Z$/, '$1Z');
    const now =
      deps.importClock === undefined
        ? clock
        : await deps.importClock.firstSeen(c.id, importDigest({ principal: p.name, format: def.format, settings, body: input }), clock);
    const ctx: ImportContext = { now, ...settings };
    const result = runImport(def, input, ctx);
    const fatal = fatalImportIssue(result);
    if (fatal) throw unreadable(def, fatal, result);
    const body = JSON.stringify({ objects: result.objects });
    const status = await acceptObjects(deps, { apiRoot: c.api_root, collectionId: c.id, principal: p }, result.objects, body);
    deps.log.info(
      { collection: c.id, principal: p.name, format: def.format, objects: result.objects.length, issues: result.issues.length },
      'native import accepted',
    );
    noteAudit(res, { ids: result.objects.map((o) => String(o['id'])), statusId: status.id, collection: c.id });
    sendTaxii(res, 202, withProperty(status.json, 'import_report', importReport(def.format, result)));
  };
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
    // An export hands the objects to the principal: a pull of each of them, like Get Objects (operators' are not counted).
    const iterator = exportPages(deps.store, sel, deps.config.server.max_page_size, (records) =>
      deps.exchange?.pulled(p.name, c.id, records),
    )[Symbol.asyncIterator]();
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
      const out = await writeExport(auditedPages(res, c.id, prepend(first, iterator)), def, ctx, {
        write: async (t) => void chunks.push(t),
      }).catch((e: unknown) => {
        throw e instanceof ExportTooLargeError ? Errors.badRequest(e.message) : e;
      });
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
export function importExportRouter(
  deps: TaxiiDeps,
  auth: Middleware,
  clearance?: (p: AuthenticatedPrincipal, c: CollectionConfig) => ReadPolicy,
): express.Router {
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
