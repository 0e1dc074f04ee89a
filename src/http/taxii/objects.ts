/**
 * Read endpoints of a collection: Get Objects, Manifest, Get an Object, Object Versions, and Delete an Object.
 * Pages are assembled from the stored JSON strings without parsing them.
 */
import type { Request, Response } from 'express';
import { parseStixId } from '../../stix/identifiers';
import { formatMicros } from '../../stix/time';
import type { ObjectStore, ObjectsPage, ReadQuery, StoredRecord } from '../../store/types';
import type { TaxiiDeps } from '../context';
import { encodeNext } from '../cursor';
import { Errors } from '../errors';
import { STIX_MEDIA_TYPE } from '../../taxii/media-type';
import { ALL_VERSIONS, LATEST_VERSION, parseFilters, type ParsedFilters } from '../query';
import { recordFilterParams } from '../../store/record-filters';
import { bodyBuffers, dateAddedHeaders, sendPooledTaxii, sendTaxii, type PooledBody } from '../respond';
import { apiRootOf, collectionOf, requirePrincipal, requireRead, requireWrite, param } from './lookup';
import { noteAudit } from '../audit-trail';
import { readPolicyFor } from '../../policy/clearance';
import { NOT_PRODUCER } from '../../policy/producer';

// The paging and planning parameters of each endpoint, then the record filters the table gives it.
const LIST_FILTERS: readonly string[] = [
  'added_after',
  'limit',
  'next',
  'match[id]',
  'match[type]',
  'match[version]',
  ...recordFilterParams('list'),
];
const OBJECT_FILTERS: readonly string[] = ['added_after', 'limit', 'next', 'match[version]', ...recordFilterParams('object')];
const VERSIONS_FILTERS: readonly string[] = ['added_after', 'limit', 'next', ...recordFilterParams('versions')];
const DELETE_FILTERS: readonly string[] = ['match[version]', ...recordFilterParams('delete')];

function search(req: Request): string {
  const q = req.originalUrl.indexOf('?');
  return q < 0 ? '' : req.originalUrl.slice(q + 1);
}

function readable(deps: TaxiiDeps, req: Request, res: Response) {
  const root = apiRootOf(deps.config, param(req, 'root'));
  const p = requirePrincipal(res);
  const c = collectionOf(deps.config, root.name, param(req, 'collection'), p);
  requireRead(p, c);
  // The reader's TLP clearance and sharing rules (src/policy/): the store skips what the reader may not
  // receive inside its queries.
  const policy = readPolicyFor(deps.config, p.name, c);
  return { root, p, c, rank: policy.maxTlpRank, rules: policy.rules };
}

function filtersFor(
  deps: TaxiiDeps,
  req: Request,
  allowed: readonly string[],
  scope: string,
  defaultVersions = LATEST_VERSION,
): ParsedFilters {
  return parseFilters(search(req), {
    allowed,
    scope,
    defaultVersions,
    defaultLimit: deps.config.server.default_page_size,
    maxLimit: deps.config.server.max_page_size,
  });
}

function objectIdParam(raw: string): string {
  if (!parseStixId(raw)) throw Errors.notFound(`"${raw.slice(0, 100)}" is not a STIX identifier, so no such object exists.`);
  return raw;
}

/** `{"more":…,"next":…,"<key>":[…]}` with the items already serialized. */
function envelope(key: string, items: readonly string[], more: boolean, next: string | undefined): string {
  let head = `{"more":${more ? 'true' : 'false'}`;
  if (next !== undefined) head += `,"next":${JSON.stringify(next)}`;
  if (items.length === 0) return `${head}}`;
  return `${head},"${key}":[${items.join(',')}]}`;
}

const CLOSE = Buffer.from(']}');

/** The envelope's opening up to the first object: `{"more":…,"next":…,"objects":[`. */
function objectsHead(more: boolean, next: string | undefined): string {
  let head = `{"more":${more ? 'true' : 'false'}`;
  if (next !== undefined) head += `,"next":${JSON.stringify(next)}`;
  return `${head},"objects":[`;
}

/** envelope() for a page of stored JSON bytes: one pooled buffer, each object's bytes copied once. */
function objectsEnvelope(page: ObjectsPage, next: string | undefined): PooledBody | string {
  if (page.objects.length === 0) return envelope('objects', [], page.more, next);
  const head = objectsHead(page.more, next);
  let size = head.length + page.objects.length - 1 + CLOSE.length;
  for (const b of page.objects) size += b.length;
  const out = bodyBuffers.acquire(size);
  let at = out.write(head, 0, 'latin1');
  page.objects.forEach((b, i) => {
    if (i > 0) out[at++] = 0x2c; // ','
    at += b.copy(out, at);
  });
  CLOSE.copy(out, at);
  return { bytes: out.subarray(0, size), length: size, backing: out };
}

/** The same page from a store without readObjectsPage. */
async function objectsPage(store: ObjectStore, collectionId: string, q: ReadQuery): Promise<ObjectsPage> {
  if (store.readObjectsPage) return store.readObjectsPage(collectionId, q);
  const page = await store.read(collectionId, q, true);
  return {
    ids: page.records.map((r) => r.id),
    dateAdded: page.records.map((r) => r.dateAdded),
    tlpRanks: page.records.map((r) => r.tlpRank),
    objects: page.records.map((r) => Buffer.from(r.json ?? 'null', 'utf8')),
    more: page.more,
    ...(page.continueAfter === undefined ? {} : { continueAfter: page.continueAfter }),
  };
}

function pageHeaders(records: readonly StoredRecord[]): Record<string, string> {
  return dateAddedHeaders(records[0]?.dateAdded, records[records.length - 1]?.dateAdded);
}

function nextToken(more: boolean, continueAfter: number | undefined, digest: string): string | undefined {
  return more && continueAfter !== undefined ? encodeNext(continueAfter, digest) : undefined;
}

export function getObjects(deps: TaxiiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const { c, rank, rules, p } = readable(deps, req, res);
    const f = filtersFor(deps, req, LIST_FILTERS, `objects|${c.id}`);
    const q = { ...f, maxTlpRank: rank, ...(rules === undefined ? {} : { rules }) };
    const page = await objectsPage(deps.store, c.id, q);
    deps.exchange?.pulledPage(p.name, c.id, page);
    noteAudit(res, { ids: page.ids, count: page.ids.length });
    const body = objectsEnvelope(page, nextToken(page.more, page.continueAfter, f.digest));
    const headers = dateAddedHeaders(page.dateAdded[0], page.dateAdded[page.dateAdded.length - 1]);
    if (typeof body === 'string') sendTaxii(res, 200, body, headers);
    else sendPooledTaxii(res, 200, body, headers);
  };
}

function manifestRecord(r: StoredRecord): string {
  return JSON.stringify({
    id: r.id,
    date_added: formatMicros(r.dateAdded),
    version: r.version,
    media_type: r.specVersion === '2.1' ? STIX_MEDIA_TYPE : `application/stix+json;version=${r.specVersion}`,
  });
}

export function getManifest(deps: TaxiiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const { c, rank, rules } = readable(deps, req, res);
    const f = filtersFor(deps, req, LIST_FILTERS, `manifest|${c.id}`);
    const page = await deps.store.read(c.id, { ...f, maxTlpRank: rank, ...(rules === undefined ? {} : { rules }) }, false);
    noteAudit(res, { ids: page.records.map((r) => r.id), count: page.records.length });
    const body = envelope('objects', page.records.map(manifestRecord), page.more, nextToken(page.more, page.continueAfter, f.digest));
    sendTaxii(res, 200, body, pageHeaders(page.records));
  };
}

export function getObject(deps: TaxiiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const { c, rank, rules, p } = readable(deps, req, res);
    const id = objectIdParam(param(req, 'object'));
    const f = filtersFor(deps, req, OBJECT_FILTERS, `object|${c.id}|${id}`);
    const page = await deps.store.read(
      c.id,
      { ...f, ids: [id], types: [], maxTlpRank: rank, ...(rules === undefined ? {} : { rules }) },
      true,
    );
    deps.exchange?.pulled(p.name, c.id, page.records);
    noteAudit(res, { ids: page.records.map((r) => r.id), count: page.records.length });
    // An empty first page means nothing matches: 404. Past the first page (added_after or next) an empty page
    // is the normal end of paging, unless the object does not exist at all.
    if (
      page.records.length === 0 &&
      (f.after === 0 || (await deps.store.selectVersions(c.id, id, ALL_VERSIONS, {}, rank, rules)).length === 0)
    ) {
      throw Errors.notFound(`No object ${id} matching these filters in this collection.`);
    }
    const body = envelope(
      'objects',
      page.records.map((r) => r.json ?? 'null'),
      page.more,
      nextToken(page.more, page.continueAfter, f.digest),
    );
    sendTaxii(res, 200, body, pageHeaders(page.records));
  };
}

export function getVersions(deps: TaxiiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const { c, rank, rules } = readable(deps, req, res);
    const id = objectIdParam(param(req, 'object'));
    const f = filtersFor(deps, req, VERSIONS_FILTERS, `versions|${c.id}|${id}`, ALL_VERSIONS);
    const all = await deps.store.selectVersions(c.id, id, ALL_VERSIONS, f.match, rank, rules);
    if (all.length === 0) throw Errors.notFound(`No object ${id} in this collection.`);
    const after = all.filter((r) => r.dateAdded > f.after);
    const page = after.slice(0, f.limit);
    const more = after.length > f.limit;
    const last = page[page.length - 1];
    noteAudit(res, { ids: [id], count: page.length });
    const body = envelope(
      'versions',
      page.map((r) => JSON.stringify(r.version)),
      more,
      nextToken(more, last?.dateAdded, f.digest),
    );
    sendTaxii(res, 200, body, pageHeaders(page));
  };
}

export function deleteObject(deps: TaxiiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const { p, c, rank, rules } = readable(deps, req, res);
    requireWrite(p, c);
    const id = objectIdParam(param(req, 'object'));
    const f = filtersFor(deps, req, DELETE_FILTERS, `delete|${c.id}|${id}`, ALL_VERSIONS);
    const selected = await deps.store.selectVersions(c.id, id, f.versions, f.match, rank, rules);
    if (selected.length === 0) throw Errors.notFound(`No object ${id} matching these filters in this collection.`);
    // Only the producer deletes (src/policy/producer.ts): the caller can read the object, so 403 reveals nothing.
    if (!p.admin && (await deps.store.producerOf(c.id, id)) !== p.identity) {
      throw Errors.forbidden(
        `${NOT_PRODUCER}: ${id} was first published by another identity (or has no recorded producer); only its producer or an admin may delete it`,
      );
    }
    const { removed } = await deps.store.deleteVersions(
      c.id,
      id,
      selected.map((r) => r.dateAdded),
    );
    noteAudit(res, { ids: [id], count: removed });
    deps.log.info({ collection: c.id, id, removed, principal: p.name }, 'object versions deleted');
    sendTaxii(res, 200, '');
  };
}
