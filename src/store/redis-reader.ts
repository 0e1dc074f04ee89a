/**
 * The read side of the Redis store (docs/architecture.md, "GET to page"): pages, id lookups and version
 * selection. The write side is src/store/redis-store.ts.
 */
import type Redis from 'ioredis';
import type { Cluster } from 'ioredis';
import type { CollectionKeys, KeyBuilder } from './keys';
import { parseStored, parseStoredBytes, parseVersionList, selectFromList, typeOfId } from './record-codec';
import type { ContentRules, Page, ReadQuery, StoredRecord, VersionSelector } from './types';

/** Most index entries examined per key and call when a filter must be evaluated on stored records. */
const SCAN_BUDGET = 5000;

function hasRules(rules: ContentRules | undefined): boolean {
  return (rules?.refusedMarkings?.length ?? 0) > 0 || rules?.acceptedProducers !== undefined;
}

const CREATED_BY = /"created_by_ref":"([^"]*)"/;

/**
 * A reader's content rules on a stored JSON text, exactly as read-index-page.lua applies them: a refused marking
 * id anywhere as a string value (object or granular markings) refuses the record; with accepted producers, the
 * record's created_by_ref must be one of them.
 */
export function passesRules(json: string | undefined, rules: ContentRules | undefined): boolean {
  if (!hasRules(rules)) return true;
  if (json === undefined) return false;
  for (const m of rules?.refusedMarkings ?? []) if (json.includes(`"${m}"`)) return false;
  if (rules?.acceptedProducers !== undefined) {
    const by = CREATED_BY.exec(json)?.[1];
    if (by === undefined || !rules.acceptedProducers.includes(by)) return false;
  }
  return true;
}

interface PickedIds {
  /** date_added values of the page's records, ascending. */
  readonly das: readonly string[];
  readonly more: boolean;
  /** date_added to continue after ('' when none). */
  readonly next: string;
}

/** A read-index-page reply in "ids" mode. */
function idsPage(raw: readonly unknown[]): PickedIds {
  return { das: raw.slice(2).map(String), more: Number(String(raw[0])) === 1, next: String(raw[1] ?? '') };
}

/**
 * The index and view of a query that reads one index in one view with no record filter (no spec_version,
 * exact version or reader rules): the common case, which needs no Lua. Undefined for any other query.
 */
function singleView(query: ReadQuery): { type: string | undefined; view: '' | 's' | 'n' } | undefined {
  if (query.types.length > 1 || query.specVersions.length > 0 || hasRules(query.rules)) return undefined;
  const v = query.versions;
  if (v.exact.length > 0) return undefined;
  let view: '' | 's' | 'n';
  if (v.all) view = '';
  else if (v.first && !v.last) view = 'n';
  else if (v.last && !v.first) view = 's';
  else return undefined;
  return { type: query.types[0], view };
}

/** more / continueAfter from the first two elements of a read-index-page reply. */
function pageOf(raw: readonly unknown[], records: StoredRecord[]): Page {
  const more = Number(String(raw[0])) === 1;
  const next = String(raw[1] ?? '');
  return more && next !== '' ? { records, more, continueAfter: Number(next) } : { records, more: false };
}

export class RedisReader {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
  ) {}

  async read(collectionId: string, query: ReadQuery, withJson: boolean): Promise<Page> {
    const k = this.keys.collection(collectionId);
    if (query.ids.length > 0) return this.readByIds(k, query, withJson);
    const raw = await this.redis.gwReadIndexPage(...this.pageArgs(k, query, withJson ? 'full' : 'head'));
    const more = Number(raw[0]) === 1;
    const next = String(raw[1] ?? '');
    const records: StoredRecord[] = [];
    for (let i = 2; i + 1 < raw.length; i += 2) {
      records.push(parseStored(Number(raw[i]), String(raw[i + 1]), withJson));
    }
    return more && next !== '' ? { records, more, continueAfter: Number(next) } : { records, more: false };
  }

  async readBytes(collectionId: string, query: ReadQuery): Promise<Page> {
    const k = this.keys.collection(collectionId);
    if (query.ids.length > 0) return this.readByIds(k, query, true);
    const needsRecords = query.specVersions.length > 0 || query.versions.exact.length > 0 || hasRules(query.rules);
    if (needsRecords) {
      // The script fetched the records to filter them: take them from its reply.
      const raw = await this.redis.gwReadIndexPageBuffer(...this.pageArgs(k, query, 'full'));
      const records: StoredRecord[] = [];
      for (let i = 2; i + 1 < raw.length; i += 2) {
        const value = raw[i + 1];
        if (Buffer.isBuffer(value)) records.push(parseStoredBytes(Number(String(raw[i])), value));
      }
      return pageOf(raw, records);
    }
    // The page is picked from the index alone; the records come from one HMGET, so the JSON is copied once by
    // Redis instead of through Lua (most of a page's cost inside Redis).
    const direct = singleView(query);
    const picked = direct
      ? await this.pickFromIndex(query.types.length === 0 ? k.index : k.typeIndex(direct.type ?? ''), direct.view, query)
      : idsPage(await this.redis.gwReadIndexPage(...this.pageArgs(k, query, 'ids')));
    const das = picked.das;
    const values = das.length === 0 ? [] : await this.redis.hmgetBuffer(k.data, ...das);
    const records: StoredRecord[] = [];
    das.forEach((da, i) => {
      const v = values[i];
      // a record deleted between the two calls is simply not served
      if (v) records.push(parseStoredBytes(Number(da), v));
    });
    return picked.more && picked.next !== '' ? { records, more: true, continueAfter: Number(picked.next) } : { records, more: false };
  }

  /**
   * read-index-page.lua's "ids" mode for one index and one view, on plain ZRANGEBYSCORE calls: Redis runs no
   * Lua (the script's member parsing cost more inside Redis than the range itself), the members are
   * filtered here. Same chunking, scan budget, `more` and `next` as the script, so pages are identical.
   */
  private async pickFromIndex(key: string, view: '' | 's' | 'n', query: ReadQuery): Promise<PickedIds> {
    const limit = query.limit;
    const maxRank = query.maxTlpRank ?? 4;
    const matches: string[] = [];
    let cursor = String(query.after);
    let scanned = 0;
    let exhausted = false;
    let chunk = limit + 1;
    for (;;) {
      const batch = await this.redis.zrangebyscore(key, `(${cursor}`, '+inf', 'LIMIT', 0, chunk);
      if (batch.length === 0) {
        exhausted = true;
        break;
      }
      for (const m of batch) {
        const c = m.indexOf(':');
        if (m.charCodeAt(c + 1) - 48 <= maxRank && (view === '' || m.indexOf(view, c + 2) < 0)) matches.push(m.slice(0, c));
      }
      scanned += batch.length;
      const last = batch[batch.length - 1] ?? '';
      cursor = last.slice(0, last.indexOf(':'));
      if (batch.length < chunk) {
        exhausted = true;
        break;
      }
      if (matches.length >= limit + 1 || scanned >= SCAN_BUDGET) break;
      chunk = Math.min(chunk * 2, 1000);
    }
    // Not exhausted and short of a full page: the next page continues after what was examined.
    const safe = !exhausted && matches.length < limit + 1 ? cursor : undefined;
    const count = Math.min(matches.length, limit);
    let more = false;
    let next = '';
    if (matches.length > limit) {
      more = true;
      next = matches[limit - 1] ?? '';
    } else if (safe !== undefined) {
      more = true;
      next = safe;
    }
    if (count > 0 && next === '') next = matches[count - 1] ?? '';
    return { das: matches.slice(0, count), more, next };
  }

  /** numKeys, keys and arguments of read-index-page.lua for a query without match[id]. */
  private pageArgs(k: CollectionKeys, query: ReadQuery, mode: 'full' | 'head' | 'ids'): [number, ...(string | number)[]] {
    // Views of one index: '' every version, 's' latest (skip superseded), 'n' first (skip later versions).
    const views: { view: '' | 's' | 'n'; filter: string }[] = [];
    const sel = query.versions;
    if (sel.all) views.push({ view: '', filter: '' });
    else {
      if (sel.first) views.push({ view: 'n', filter: '' });
      if (sel.last) views.push({ view: 's', filter: '' });
      if (sel.exact.length > 0) views.push({ view: '', filter: `,${sel.exact.join(',')},` });
    }
    const indexKeys: string[] = [];
    const perKey: string[] = [];
    const indexes = query.types.length === 0 ? [k.index] : query.types.map((t) => k.typeIndex(t));
    for (const v of views) {
      for (const key of indexes) {
        indexKeys.push(key);
        perKey.push(v.view, v.filter);
      }
    }
    const spec = query.specVersions.length > 0 ? `,${query.specVersions.join(',')},` : '';
    const keys = [k.data, ...indexKeys];
    const refused = query.rules?.refusedMarkings?.join(',') ?? '';
    const producers = query.rules?.acceptedProducers === undefined ? '' : `,${query.rules.acceptedProducers.join(',')},`;
    return [
      keys.length,
      ...keys,
      String(query.after),
      query.limit,
      SCAN_BUDGET,
      spec,
      mode,
      query.maxTlpRank ?? 4,
      refused,
      producers,
      ...perKey,
    ];
  }

  private async readByIds(k: CollectionKeys, query: ReadQuery, withJson: boolean): Promise<Page> {
    const ids = [...new Set(query.ids)];
    const types = new Set(query.types);
    const lists = await this.redis.hmget(k.objects, ...ids);
    const candidates: number[] = [];
    ids.forEach((id, i) => {
      const entry = lists[i];
      if (!entry) return;
      if (types.size > 0 && !types.has(typeOfId(id))) return;
      for (const e of selectFromList(parseVersionList(entry), query.versions)) {
        if (e.dateAdded > query.after && e.tlpRank <= (query.maxTlpRank ?? 4)) candidates.push(e.dateAdded);
      }
    });
    candidates.sort((a, b) => a - b);
    const records = await this.fetchRecords(k, candidates, withJson || hasRules(query.rules));
    const spec = new Set(query.specVersions);
    const maxRank = query.maxTlpRank ?? 4;
    const matching = records.filter(
      (r) => (spec.size === 0 || spec.has(r.specVersion)) && r.tlpRank <= maxRank && passesRules(r.json, query.rules),
    );
    const page = matching.slice(0, query.limit);
    const last = page[page.length - 1];
    return matching.length > query.limit && last
      ? { records: page, more: true, continueAfter: last.dateAdded }
      : { records: page, more: false };
  }

  private async fetchRecords(k: CollectionKeys, dateAdded: readonly number[], withJson: boolean): Promise<StoredRecord[]> {
    if (dateAdded.length === 0) return [];
    const values = await this.redis.hmget(k.data, ...dateAdded.map(String));
    const out: StoredRecord[] = [];
    dateAdded.forEach((da, i) => {
      const v = values[i];
      if (v) out.push(parseStored(da, v, withJson));
    });
    return out;
  }

  async selectVersions(
    collectionId: string,
    id: string,
    versions: VersionSelector,
    specVersions: readonly string[],
    maxTlpRank = 4,
    rules?: ContentRules,
  ): Promise<StoredRecord[]> {
    const k = this.keys.collection(collectionId);
    const entry = await this.redis.hget(k.objects, id);
    if (!entry) return [];
    const picked = selectFromList(parseVersionList(entry), versions).map((e) => e.dateAdded);
    picked.sort((a, b) => a - b);
    const records = await this.fetchRecords(k, picked, hasRules(rules));
    const spec = new Set(specVersions);
    return records.filter((r) => (spec.size === 0 || spec.has(r.specVersion)) && r.tlpRank <= maxTlpRank && passesRules(r.json, rules));
  }

  async latest(collectionId: string, id: string): Promise<StoredRecord | undefined> {
    const k = this.keys.collection(collectionId);
    const entry = await this.redis.hget(k.objects, id);
    const last = entry ? parseVersionList(entry).pop() : undefined;
    if (!last) return undefined;
    return (await this.fetchRecords(k, [last.dateAdded], true))[0];
  }

  async aliases(collectionId: string, ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    const values = await this.redis.hmget(this.keys.collection(collectionId).aliases, ...ids);
    ids.forEach((id, i) => {
      const v = values[i];
      if (v) out.set(id, v);
    });
    return out;
  }

  async original(collectionId: string, dateAdded: number): Promise<string | undefined> {
    const v = await this.redis.hget(this.keys.collection(collectionId).originals, String(dateAdded));
    return v ?? undefined;
  }
}
