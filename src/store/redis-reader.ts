/**
 * The read side of the Redis store (docs/architecture.md, "GET to page"). Every read is one call of
 * src/store/lua/read-records.lua, the one read engine: it applies every visibility rule (clearance, the reader's
 * sharing rules and the reference rule, version selection, match filters) and this module only builds its
 * arguments and decodes its replies. The write side is src/store/redis-store.ts.
 */
import type Redis from 'ioredis';
import type { Cluster } from 'ioredis';
import type { CollectionKeys, KeyBuilder } from './keys';
import { parseStored } from './record-codec';
import { RECORD_FILTERS, recordFilterArg, type RecordFilter, type RecordMatch } from './record-filters';
import type { ContentRules, ObjectsPage, Page, ReadQuery, StoredRecord, VersionSelector } from './types';
import { LATEST_VERSION } from './types';
import { coalesceWrites } from './write-coalescing';

/** Most index entries examined per key and call when a filter must be evaluated on stored records. */
const SCAN_BUDGET = 5000;
/** Rank that lets every record through (5: above every clearance, see src/policy/record-rank.ts). */
const EVERY_RANK = 5;
/** Default clearance when a query names none: everything up to TLP:RED. */
const DEFAULT_RANK = 4;
/** Limit of a read that wants every version of one object. */
const NO_LIMIT = 1_000_000;

type ReplyMode = 'full' | 'head' | 'ids' | 'auto';

/** ",a,b," (or "" for none): the list form read-records.lua matches with plain finds. */
function delimited(values: readonly string[] | undefined): string {
  return values === undefined || values.length === 0 ? '' : `,${values.join(',')},`;
}

/** The versions selector of read-records.lua's ids source. */
function selectorArg(sel: VersionSelector): string {
  if (sel.all) return 'a';
  return `${sel.first ? 'f' : ''}${sel.last ? 'l' : ''}`;
}

/** more / continueAfter from the first two elements of a read-records reply. */
function pageEnd(raw: readonly unknown[]): { more: boolean; continueAfter?: number } {
  const more = Number(String(raw[0])) === 1;
  const next = String(raw[1] ?? '');
  return more && next !== '' ? { more, continueAfter: Number(next) } : { more: false };
}

/** numKeys, keys and arguments of read-records.lua for a query. */
export function readArgs(
  k: CollectionKeys,
  query: ReadQuery,
  mode: ReplyMode,
  filters: readonly RecordFilter[] = RECORD_FILTERS,
): [number, ...(string | number)[]] {
  const rules: ContentRules | undefined = query.rules;
  const head: (string | number)[] = [
    String(query.after),
    query.limit,
    SCAN_BUDGET,
    recordFilterArg(query.match, filters),
    mode,
    query.maxTlpRank ?? DEFAULT_RANK,
    rules?.refusedMarkings?.join(',') ?? '',
    rules?.acceptedProducers === undefined ? '' : `,${rules.acceptedProducers.join(',')},`,
    delimited(rules?.exemptRefs),
  ];
  const sel = query.versions;
  if (query.ids.length > 0) {
    const ids = [...new Set(query.ids)];
    const keys = [k.data, k.objects];
    return [
      keys.length,
      ...keys,
      ...head,
      ids.length,
      ...ids,
      selectorArg(sel),
      sel.all ? '' : delimited(sel.exact.map(String)),
      delimited(query.types),
    ];
  }
  // Views of one index: '' every version, 's' latest (skip superseded), 'n' first (skip later versions).
  const views: { view: '' | 's' | 'n'; filter: string }[] = [];
  if (sel.all) views.push({ view: '', filter: '' });
  else {
    if (sel.first) views.push({ view: 'n', filter: '' });
    if (sel.last) views.push({ view: 's', filter: '' });
    if (sel.exact.length > 0) views.push({ view: '', filter: delimited(sel.exact.map(String)) });
  }
  const indexes = query.types.length === 0 ? [k.index] : query.types.map((t) => k.typeIndex(t));
  const indexKeys: string[] = [];
  const perKey: string[] = [];
  for (const v of views) {
    for (const key of indexes) {
      indexKeys.push(key);
      perKey.push(v.view, v.filter);
    }
  }
  const keys = [k.data, k.objects, ...indexKeys];
  return [keys.length, ...keys, ...head, 0, ...perKey];
}

/** Adds one stored value (`<id>\t…\t<rank>\t<json>` as bytes) to a page being assembled. */
function addStored(page: { ids: string[]; dateAdded: number[]; tlpRanks: number[]; objects: Buffer[] }, da: number, v: Buffer): void {
  const t1 = v.indexOf(9);
  let t = t1;
  for (let n = 0; n < 3; n++) t = v.indexOf(9, t + 1);
  const t5 = v.indexOf(9, t + 1);
  if (t1 < 0 || t5 < 0) return;
  page.ids.push(v.toString('utf8', 0, t1));
  page.dateAdded.push(da);
  page.tlpRanks.push((v[t + 1] ?? 48) - 48);
  page.objects.push(v.subarray(t5 + 1));
}

function emptyPage(): { ids: string[]; dateAdded: number[]; tlpRanks: number[]; objects: Buffer[] } {
  return { ids: [], dateAdded: [], tlpRanks: [], objects: [] };
}

/**
 * True when read-records.lua answers these arguments from its fast branch (no ids, one index key, no record
 * filter, no active reader rule, no version filter: the script's own test, read from the arguments), which
 * replies with date_added values whatever the mode.
 */
function fastBranch(args: readonly (string | number)[]): boolean {
  const numKeys = Number(args[0]);
  const argv = (n: number): string => String(args[numKeys + n] ?? '');
  return numKeys === 3 && argv(10) === '0' && argv(4) === '' && argv(7) === '' && argv(8) === '' && argv(12) === '';
}

export class RedisReader {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
  ) {}

  async read(collectionId: string, query: ReadQuery, withJson: boolean): Promise<Page> {
    const k = this.keys.collection(collectionId);
    const raw = await this.redis.gwReadRecords(...readArgs(k, query, withJson ? 'full' : 'head'));
    const records: StoredRecord[] = [];
    for (let i = 2; i + 1 < raw.length; i += 2) records.push(parseStored(Number(raw[i]), String(raw[i + 1]), withJson));
    return { records, ...pageEnd(raw) };
  }

  /**
   * The engine picks the page; when it had no record to read for that (no spec_version, exact-version or rule
   * filter: the common GET), it returns only date_added values and the records come from one HMGET, so Redis
   * copies no JSON through Lua (bench/read-engine.bench.ts). A query the engine's fast branch answers asks for
   * date_added values only, as strings (no Buffer per value to decode).
   */
  async readObjectsPage(collectionId: string, query: ReadQuery): Promise<ObjectsPage> {
    const k = this.keys.collection(collectionId);
    coalesceWrites(this.redis);
    const args = readArgs(k, query, 'auto');
    if (fastBranch(args)) {
      // ARGV[5], the reply mode: "ids" (what the fast branch answers), replied as strings
      args[Number(args[0]) + 5] = 'ids';
      const raw = await this.redis.gwReadRecords(...args);
      const das: string[] = [];
      for (let i = 2; i < raw.length; i++) das.push(String(raw[i]));
      return this.fetchPage(k, das, pageEnd(raw));
    }
    const raw = await this.redis.gwReadRecordsBuffer(...args);
    const end = pageEnd(raw.slice(0, 2).map(String));
    if (String(raw[2]) === 'full') {
      const page = emptyPage();
      for (let i = 3; i + 1 < raw.length; i += 2) {
        const value = raw[i + 1];
        if (Buffer.isBuffer(value)) addStored(page, Number(String(raw[i])), value);
      }
      return { ...page, ...end };
    }
    return this.fetchPage(k, raw.slice(3).map(String), end);
  }

  /** The records of a page picked as date_added values, from one HMGET (Redis copies no JSON through Lua). */
  private async fetchPage(k: CollectionKeys, das: readonly string[], end: { more: boolean; continueAfter?: number }): Promise<ObjectsPage> {
    const page = emptyPage();
    if (das.length === 0) return { ...page, ...end };
    coalesceWrites(this.redis);
    const values = await this.redis.hmgetBuffer(k.data, ...das);
    das.forEach((da, i) => {
      const v = values[i];
      // a record deleted between the two calls is simply not served
      if (v) addStored(page, Number(da), v);
    });
    return { ...page, ...end };
  }

  async selectVersions(
    collectionId: string,
    id: string,
    versions: VersionSelector,
    match: RecordMatch,
    maxTlpRank = DEFAULT_RANK,
    rules?: ContentRules,
  ): Promise<StoredRecord[]> {
    const query: ReadQuery = {
      after: 0,
      limit: NO_LIMIT,
      types: [],
      ids: [id],
      versions,
      match,
      maxTlpRank,
      ...(rules === undefined ? {} : { rules }),
    };
    return [...(await this.read(collectionId, query, false)).records];
  }

  async latest(collectionId: string, id: string): Promise<StoredRecord | undefined> {
    const query: ReadQuery = {
      after: 0,
      limit: 1,
      types: [],
      ids: [id],
      versions: LATEST_VERSION,
      maxTlpRank: EVERY_RANK,
    };
    return (await this.read(collectionId, query, true)).records[0];
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
