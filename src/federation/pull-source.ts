/**
 * One run of a source: pages the remote collection from the stored resume point and hands every page to the
 * normal ingest pipeline (a status + one job, exactly like a TAXII POST, through acceptObjects), as the
 * principal `federation:<source name>`; objects are passed on as the remote gave them (created_by_ref kept).
 * Every version of every object is asked for (`match[version]=all`), so the partner's history is mirrored.
 *
 * Never lose, never repeat:
 * - `next` is followed when the server gives one (with the same original query options);
 * - without `next`, the following page is asked with added_after one microsecond *before* the last
 *   date_added seen, so an exclusive server, an inclusive one, and one whose date headers are cut to
 *   milliseconds or seconds all return every object not yet received; what they return again is dropped by
 *   `<id>|<version>` against the objects already received at that point (kept with the cursor);
 * - the resume point moves only after the page's job is enqueued, so a crash re-pulls at most one page,
 *   which dedup makes harmless;
 * - without X-TAXII-Date-Added-Last, the page's date_added values are read from the manifest;
 * - a page that brings nothing new while the server claims more and gives no way forward (a tie of more
 *   objects than a page at one date_added, no `next`) stops the run with CANNOT_PAGE instead of looping.
 */
import type { GatewayConfig, SourceConfig } from '../config/types';
import { formatMicros } from '../stix/time';
import { acceptObjects, type AcceptDeps } from '../ingest/accept';
import { FederationError } from './federation-error';
import type { FederationState, RunSummary } from './federation-state';
import type { ObjectsQuery, RemoteTimestamp, TaxiiClient } from './taxii-client';

export interface PullDeps {
  readonly config: GatewayConfig;
  readonly client: TaxiiClient;
  readonly state: FederationState;
  readonly ingest: AcceptDeps;
  /** Called after a page's job is enqueued and before the cursor moves (tests stop a run here). */
  readonly afterEnqueue?: (pageIndex: number) => Promise<void>;
}

/** The principal name ingest jobs of a source run as. */
export function sourcePrincipal(sourceName: string): string {
  return `federation:${sourceName}`;
}

/** `<id>|<version>` of a remote object (version = modified, else created, else empty). */
export function objectKey(o: Readonly<Record<string, unknown>>): string {
  const id = typeof o['id'] === 'string' ? o['id'] : '';
  const v = o['modified'] ?? o['created'];
  return `${id}|${typeof v === 'string' ? v : ''}`;
}

function overlap(after: RemoteTimestamp | undefined): RemoteTimestamp | undefined {
  if (after === undefined || after.micros <= 0) return after;
  return { text: formatMicros(after.micros - 1), micros: after.micros - 1 };
}

/** date_added of the page's objects from the manifest of the same query, when the header is missing. */
async function datesFromManifest(deps: PullDeps, source: SourceConfig, q: ObjectsQuery): Promise<Map<string, RemoteTimestamp> | undefined> {
  try {
    const m = await deps.client.manifest(source.collection, q);
    const out = new Map<string, RemoteTimestamp>();
    for (const r of m.records) out.set(`${r.id}|${r.version}`, r.date_added);
    return out;
  } catch (err) {
    deps.ingest.log.warn({ source: source.name, err: err instanceof Error ? err.message : String(err) }, 'manifest fallback failed');
    return undefined;
  }
}

export async function pullSource(source: SourceConfig, deps: PullDeps): Promise<RunSummary> {
  const collection = deps.config.collections.find((c) => c.id === source.into);
  if (!collection)
    throw new FederationError('CANNOT_PAGE', `source ${source.name}: no local collection ${source.into}`, { retryable: false });
  const principal = { name: sourcePrincipal(source.name), identity: source.identity, admin: false };
  const target = { apiRoot: collection.api_root, collectionId: collection.id, principal };
  // Every version, not only the latest (a TAXII server's default): the local collection keeps the partner's
  // history. Versions already received are dropped by `<id>|<version>` like any repeat.
  const match = { type: source.filters.type, spec_version: source.filters.spec_version, id: source.filters.id, version: ['all'] };

  const start = await deps.state.sourceCursor(source.name);
  let after = start.after;
  let seen = new Set(start.seen);
  let next: string | undefined;
  let chainAfter = overlap(after);
  const summary = { objects: 0, pages: 0, statuses: [] as string[], truncated: false };

  while (summary.objects < source.max_objects_per_run) {
    const limit = Math.min(source.page_size, source.max_objects_per_run - summary.objects);
    const q: ObjectsQuery =
      next === undefined
        ? { ...(chainAfter === undefined ? {} : { addedAfter: chainAfter }), limit, match }
        : { ...(chainAfter === undefined ? {} : { addedAfter: chainAfter }), limit, next, match };
    const page = await deps.client.getObjects(source.collection, q);
    const keys = page.objects.map(objectKey);
    const fresh: Record<string, unknown>[] = [];
    const inPage = new Set<string>();
    page.objects.forEach((o, i) => {
      const k = keys[i] ?? '';
      if (seen.has(k) || inPage.has(k)) return;
      inPage.add(k);
      fresh.push(o);
    });

    let last = page.dateAddedLast;
    let atLast: string[] = keys;
    if (last === undefined && page.objects.length > 0 && next === undefined) {
      const dates = await datesFromManifest(deps, source, {
        ...(chainAfter === undefined ? {} : { addedAfter: chainAfter }),
        limit,
        match,
      });
      if (dates !== undefined) {
        let max: RemoteTimestamp | undefined;
        for (const k of keys) {
          const d = dates.get(k);
          if (d !== undefined && (max === undefined || d.micros > max.micros)) max = d;
        }
        last = max;
        if (max !== undefined) atLast = keys.filter((k) => dates.get(k)?.micros === max.micros);
      }
    }

    if (fresh.length > 0) {
      const status = await acceptObjects(deps.ingest, target, fresh, JSON.stringify({ objects: fresh }));
      summary.statuses.push(status.id);
    }
    await deps.afterEnqueue?.(summary.pages);

    const previous = after;
    if (last !== undefined && (after === undefined || last.micros > after.micros)) {
      // A new resume point: only objects at that date_added can come back.
      after = last;
      seen = new Set(atLast);
    } else {
      for (const k of keys) seen.add(k);
    }
    await deps.state.saveSourceCursor(source.name, { ...(after === undefined ? {} : { after }), seen: [...seen] });
    summary.objects += fresh.length;
    summary.pages++;

    if (!page.more || page.objects.length === 0) {
      summary.truncated = false;
      return summary;
    }
    if (page.next !== undefined) {
      next = page.next;
      continue;
    }
    const moved = after !== undefined && (previous === undefined || after.micros > previous.micros);
    if (fresh.length === 0 && !moved) {
      throw new FederationError(
        'CANNOT_PAGE',
        `source ${source.name}: ${page.url} returned nothing new, claims more and gives no next; ` +
          'more objects share one date_added than fit in a page (raise page_size) or the server sends no date headers',
        { url: page.url, retryable: false },
      );
    }
    next = undefined;
    chainAfter = overlap(after);
  }
  summary.truncated = true;
  return summary;
}
