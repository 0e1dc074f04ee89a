/**
 * The console's object browser as plain functions: find objects by value (the cross-collection value index),
 * by type or by date, and show one object's versions, its posted original and who pulled it. Everything goes
 * through the store's read engine with the viewer's read policy (TLP clearance and sharing rules), so a viewer
 * is never handed an object, an id or a count above its clearance: an object it may not receive is "not found".
 */
import { canRead, canWrite } from '../auth/permissions';
import type { AuthenticatedPrincipal } from '../auth/types';
import type { CollectionConfig, GatewayConfig } from '../config/types';
import type { ExchangeReader } from '../exchange/exchange-reader';
import { readPolicyFor } from '../policy/clearance';
import { canonicalLookupValue } from './lookup-value';
import type { LookupIndex } from '../store/lookup-index';
import type { ObjectStore, StoredRecord, VersionSelector } from '../store/types';

const LATEST: VersionSelector = { all: false, first: false, last: true, exact: [] };
const ALL: VersionSelector = { all: true, first: false, last: false, exact: [] };

/** Most results one search returns. */
export const MAX_RESULTS = 50;

export interface BrowseDeps {
  readonly config: GatewayConfig;
  readonly store: ObjectStore;
  readonly lookup: LookupIndex;
  readonly exchange: ExchangeReader;
}

export interface FoundObject {
  readonly collection: CollectionConfig;
  readonly id: string;
  readonly type: string;
  readonly version: string;
  readonly dateAdded: number;
  readonly tlpRank: number;
}

export interface BrowseQuery {
  /** A collection id or alias; absent = every collection the viewer reads. */
  readonly collection?: string;
  readonly value?: string;
  readonly type?: string;
  /** Only records added after this time (ms since the epoch). */
  readonly afterMs?: number;
}

export interface BrowseResult {
  readonly objects: readonly FoundObject[];
  /** More matched than MAX_RESULTS (the count itself is not given: it could include other collections). */
  readonly more: boolean;
}

function found(c: CollectionConfig, r: StoredRecord): FoundObject {
  return {
    collection: c,
    id: r.id,
    type: r.id.slice(0, r.id.indexOf('--')),
    version: r.version,
    dateAdded: r.dateAdded,
    tlpRank: r.tlpRank,
  };
}

/** The collections the viewer may read, or the one it named (undefined when that one is not readable). */
export function readableCollections(config: GatewayConfig, viewer: AuthenticatedPrincipal, idOrAlias?: string): CollectionConfig[] {
  const readable = config.collections.filter((c) => canRead(viewer, c));
  if (idOrAlias === undefined || idOrAlias === '') return readable;
  return readable.filter((c) => c.id === idOrAlias || c.alias === idOrAlias).slice(0, 1);
}

export async function searchObjects(deps: BrowseDeps, viewer: AuthenticatedPrincipal, q: BrowseQuery): Promise<BrowseResult> {
  const collections = readableCollections(deps.config, viewer, q.collection);
  if (q.value !== undefined && q.value.trim() !== '') return byValue(deps, viewer, collections, q.value);
  const out: FoundObject[] = [];
  let more = false;
  const after = q.afterMs === undefined ? 0 : Math.max(0, Math.floor(q.afterMs)) * 1000;
  // The collections are asked at once (one page each), then merged by date_added.
  const pages = await Promise.all(
    collections.map((c) => {
      const policy = readPolicyFor(deps.config, viewer.name, c);
      return deps.store.read(
        c.id,
        {
          after,
          limit: MAX_RESULTS,
          types: q.type === undefined || q.type === '' ? [] : [q.type],
          ids: [],
          versions: LATEST,
          maxTlpRank: policy.maxTlpRank,
          ...(policy.rules === undefined ? {} : { rules: policy.rules }),
        },
        false,
      );
    }),
  );
  pages.forEach((page, i) => {
    const c = collections[i];
    if (!c) return;
    more ||= page.more;
    for (const r of page.records) out.push(found(c, r));
  });
  out.sort((a, b) => a.dateAdded - b.dateAdded);
  if (out.length > MAX_RESULTS) more = true;
  return { objects: out.slice(0, MAX_RESULTS), more };
}

async function byValue(
  deps: BrowseDeps,
  viewer: AuthenticatedPrincipal,
  collections: CollectionConfig[],
  value: string,
): Promise<BrowseResult> {
  const entries = await deps.lookup.byValue(
    collections.map((c) => c.id),
    canonicalLookupValue(value),
  );
  const out: FoundObject[] = [];
  for (const e of entries.slice(0, 4 * MAX_RESULTS)) {
    const c = collections.find((x) => x.id === e.collectionId);
    if (!c) continue;
    const policy = readPolicyFor(deps.config, viewer.name, c);
    const [latest] = await deps.store.selectVersions(c.id, e.indicatorId, LATEST, {}, policy.maxTlpRank, policy.rules);
    if (latest) out.push(found(c, latest));
  }
  return { objects: out.slice(0, MAX_RESULTS), more: out.length > MAX_RESULTS };
}

export interface ObjectDetail {
  readonly collection: CollectionConfig;
  readonly id: string;
  readonly versions: readonly FoundObject[];
  /** The latest version the viewer may receive, as stored. */
  readonly json: string;
  /** The latest version as posted, when normalization changed it. */
  readonly original?: string;
  /** First pull per reader (ms), for the readers whose pulls the viewer may see. */
  readonly pulls: readonly { readonly reader: string; readonly firstPullMs?: number }[];
}

/** One object as the viewer may see it; undefined when absent or above its clearance (the same answer). */
export async function objectDetail(
  deps: BrowseDeps,
  viewer: AuthenticatedPrincipal,
  idOrAlias: string,
  id: string,
): Promise<ObjectDetail | undefined> {
  const [c] = readableCollections(deps.config, viewer, idOrAlias);
  if (!c || idOrAlias === '') return undefined;
  const policy = readPolicyFor(deps.config, viewer.name, c);
  const versions = await deps.store.selectVersions(c.id, id, ALL, {}, policy.maxTlpRank, policy.rules);
  const last = versions[versions.length - 1];
  if (!last) return undefined;
  const page = await deps.store.read(
    c.id,
    {
      after: last.dateAdded - 1,
      limit: 1,
      types: [],
      ids: [id],
      versions: ALL,
      maxTlpRank: policy.maxTlpRank,
      ...(policy.rules === undefined ? {} : { rules: policy.rules }),
    },
    true,
  );
  const json = page.records[0]?.json;
  if (json === undefined) return undefined;
  const original = await deps.store.original(c.id, last.dateAdded);
  // The owner and operators see every reader's pulls; another reader sees its own.
  const readers = viewer.admin || canWrite(viewer, c) ? c.readers : c.readers.filter((r) => r === viewer.name);
  const firsts = await deps.exchange.firstPulls(c.id, id, readers);
  return {
    collection: c,
    id,
    versions: versions.map((r) => found(c, r)),
    json,
    ...(original === undefined ? {} : { original }),
    pulls: readers.map((reader, i) => {
      const ms = firsts[i];
      return ms === undefined ? { reader } : { reader, firstPullMs: ms };
    }),
  };
}

/** The latest additions to a collection that the viewer may receive, newest first. */
export async function latestAdditions(
  deps: BrowseDeps,
  viewer: AuthenticatedPrincipal,
  c: CollectionConfig,
  limit: number,
): Promise<FoundObject[]> {
  if (!canRead(viewer, c)) return [];
  const policy = readPolicyFor(deps.config, viewer.name, c);
  const recent = await deps.exchange.recent(c.id, policy.maxTlpRank, policy.rules === undefined ? limit : 4 * limit);
  const out: FoundObject[] = [];
  const latest = await Promise.all(recent.map((r) => deps.store.selectVersions(c.id, r.id, LATEST, {}, policy.maxTlpRank, policy.rules)));
  for (const [record] of latest) {
    if (record && !out.some((o) => o.id === record.id)) out.push(found(c, record));
    if (out.length >= limit) break;
  }
  return out;
}
