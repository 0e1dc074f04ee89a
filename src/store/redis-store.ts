/**
 * ObjectStore on Redis (docs/architecture.md). Records are kept as JSON strings behind a small tab-separated header so
 * pages are assembled without parsing objects; every multi-key change is one Lua script on keys that share the
 * collection's hash tag.
 */
import { randomBytes } from 'node:crypto';
import Redis, { type Cluster } from 'ioredis';
import { formatMicros } from '../stix/time';
import { indexEntriesOf } from './indicator-entries';
import type { CollectionKeys, KeyBuilder } from './keys';
import { defineStoreScripts } from './scripts';
import type {
  ContentRules,
  ObjectStore,
  Page,
  ReadQuery,
  StoreItem,
  StoreOutcome,
  StoredRecord,
  VersionSelector,
  WriterContext,
} from './types';

/** The highest rank a record can carry (5: above every clearance, see src/policy/record-rank.ts). */
const MAX_RANK = 5;

/** Most index entries examined per key and call when a filter must be evaluated on stored records. */
const SCAN_BUDGET = 5000;

function typeOfId(id: string): string {
  const i = id.indexOf('--');
  return i > 0 ? id.slice(0, i) : id;
}

/**
 * Parses a stored value `<id>\t<version>\t<versionMicros>\t<spec>\t<tlp rank>\t<json>` (json absent in header
 * mode).
 */
export function parseStored(dateAdded: number, value: string, withJson: boolean): StoredRecord {
  const t1 = value.indexOf('\t');
  const t2 = value.indexOf('\t', t1 + 1);
  const t3 = value.indexOf('\t', t2 + 1);
  const t4 = value.indexOf('\t', t3 + 1);
  const t5 = value.indexOf('\t', t4 + 1);
  const id = value.slice(0, t1);
  const version = value.slice(t1 + 1, t2);
  const versionMicros = Number(value.slice(t2 + 1, t3));
  const specVersion = value.slice(t3 + 1, t4);
  const tlpRank = Number(t5 < 0 ? value.slice(t4 + 1) : value.slice(t4 + 1, t5));
  const base = { dateAdded, id, version: version === '' ? formatMicros(dateAdded) : version, versionMicros, specVersion, tlpRank };
  return withJson && t5 >= 0 ? { ...base, json: value.slice(t5 + 1) } : base;
}

/**
 * A stored value read as bytes: the id is decoded at once (every caller needs it), the JSON stays bytes, and
 * the other header fields are decoded only when asked for (serving a page of objects needs none of them).
 */
class StoredBytesRecord implements StoredRecord {
  readonly id: string;
  private readonly value: Buffer;
  /** Offsets of the header's tab separators after the id (-1 when absent). */
  private readonly tabs: readonly [number, number, number, number, number];

  constructor(
    readonly dateAdded: number,
    value: Buffer,
  ) {
    this.value = value;
    const t1 = value.indexOf(9);
    const t2 = value.indexOf(9, t1 + 1);
    const t3 = value.indexOf(9, t2 + 1);
    const t4 = value.indexOf(9, t3 + 1);
    const t5 = value.indexOf(9, t4 + 1);
    this.tabs = [t1, t2, t3, t4, t5];
    this.id = value.toString('utf8', 0, t1);
  }

  get version(): string {
    const v = this.value.toString('utf8', this.tabs[0] + 1, this.tabs[1]);
    return v === '' ? formatMicros(this.dateAdded) : v;
  }

  get versionMicros(): number {
    return Number(this.value.toString('latin1', this.tabs[1] + 1, this.tabs[2]));
  }

  get specVersion(): string {
    return this.value.toString('latin1', this.tabs[2] + 1, this.tabs[3]);
  }

  get tlpRank(): number {
    const t5 = this.tabs[4];
    return Number(this.value.toString('latin1', this.tabs[3] + 1, t5 < 0 ? this.value.length : t5));
  }

  get jsonBytes(): Buffer | undefined {
    const t5 = this.tabs[4];
    return t5 < 0 ? undefined : this.value.subarray(t5 + 1);
  }
}

/** parseStored on the raw bytes of a stored value: the header is decoded on demand, the JSON stays bytes. */
export function parseStoredBytes(dateAdded: number, value: Buffer): StoredRecord {
  return new StoredBytesRecord(dateAdded, value);
}

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

interface VersionEntry {
  readonly versionMicros: number;
  readonly dateAdded: number;
  readonly tlpRank: number;
}

/** Parses an `objects` entry: `<versionMicros>:<dateAdded>:<rank>,...` sorted by version. */
function parseVersionList(entry: string): VersionEntry[] {
  const out: VersionEntry[] = [];
  for (const part of entry.split(',')) {
    const [v, d, r] = part.split(':');
    if (v !== undefined && d !== undefined) out.push({ versionMicros: Number(v), dateAdded: Number(d), tlpRank: Number(r ?? 0) });
  }
  return out;
}

function selectFromList(list: readonly VersionEntry[], sel: VersionSelector): VersionEntry[] {
  if (list.length === 0) return [];
  if (sel.all) return [...list];
  const picked = new Set<VersionEntry>();
  const firstEntry = list[0];
  const lastEntry = list[list.length - 1];
  if (sel.first && firstEntry) picked.add(firstEntry);
  if (sel.last && lastEntry) picked.add(lastEntry);
  if (sel.exact.length > 0) {
    const wanted = new Set(sel.exact);
    for (const e of list) if (wanted.has(e.versionMicros)) picked.add(e);
  }
  return [...picked];
}

/** Longest wait for a store call to leave the process before the worker goes on anyway. */
const SENT_WAIT_MS = 1000;

export class RedisStore implements ObjectStore {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
  ) {
    defineStoreScripts(redis);
  }

  async storeBatch(collectionId: string, items: readonly StoreItem[], writer?: WriterContext): Promise<StoreOutcome[]> {
    if (items.length === 0) return [];
    const k = this.keys.collection(collectionId);
    const typeIndex = new Map<string, number>();
    const typeKeys: string[] = [];
    const args: (string | number)[] = [
      items.length,
      writer?.identity ?? '',
      writer?.clearance ?? MAX_RANK,
      writer?.admin === true ? '1' : '0',
      // the random part of each step of the collection clock (store-objects.lua)
      randomBytes(items.length).toString('hex'),
      k.typeIndexPrefix,
      k.referrerSetPrefix,
    ];
    for (const item of items) {
      let ti = typeIndex.get(item.type);
      if (ti === undefined) {
        ti = typeIndex.size;
        typeIndex.set(item.type, ti);
        typeKeys.push(k.typeIndex(item.type));
      }
      args.push(
        item.id,
        item.version ?? '',
        item.versionMicros === undefined ? '' : String(item.versionMicros),
        item.specVersion,
        item.tlpRank ?? 0,
        ti,
        item.json,
        item.originalJson ?? '',
        item.dedupField ?? '',
        item.valueDigests?.join(',') ?? '',
        item.owned === true ? '1' : '0',
        item.refs?.join(',') ?? '',
      );
    }
    const keys = [
      k.meta,
      k.data,
      k.objects,
      k.index,
      k.originals,
      k.indicatorKeys,
      k.aliases,
      k.values,
      k.owners,
      k.referrers,
      ...typeKeys,
    ];
    const raw = await this.redis.gwStoreObjects(keys.length, ...keys, ...args);
    return raw.map((r): StoreOutcome => {
      if (typeof r === 'string' && r.startsWith('m:')) return { kind: 'merged', into: r.slice(2) };
      const n = Number(r);
      if (n === -1) return { kind: 'duplicate' };
      if (n === -2) return { kind: 'conflict' };
      if (n === -3) return { kind: 'hidden' };
      if (n === -4) return { kind: 'not-producer' };
      return { kind: 'stored', dateAdded: n };
    });
  }

  async heldIds(collectionId: string, ids: readonly string[], maxRank: number): Promise<Set<string>> {
    const out = new Set<string>();
    if (ids.length === 0) return out;
    const lists = await this.redis.hmget(this.keys.collection(collectionId).objects, ...ids);
    ids.forEach((id, i) => {
      const entry = lists[i];
      if (entry && parseVersionList(entry).some((e) => e.tlpRank <= maxRank)) out.add(id);
    });
    return out;
  }

  async producerOf(collectionId: string, id: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.collection(collectionId).owners, id)) ?? undefined;
  }

  async sent(): Promise<void> {
    // A cluster client has one socket per node; it is not waited for.
    if (!(this.redis instanceof Redis)) return;
    const socket = this.redis.stream;
    if (!socket || socket.writableLength === 0 || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      // Bounded: a connection that stalls is the command's own problem (it fails or retries), not this wait's.
      const timer = setTimeout(done, SENT_WAIT_MS);
      socket.once('drain', done);
      socket.once('close', done);
    });
  }

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

  async deleteVersions(collectionId: string, id: string, dateAdded: readonly number[]): Promise<{ removed: number }> {
    if (dateAdded.length === 0) return { removed: 0 };
    const k = this.keys.collection(collectionId);
    // An indicator's dedup and value-index entries go with its last version; they are computed from it here.
    const latest = id.startsWith('indicator--') ? await this.latest(collectionId, id) : undefined;
    const entries = latest?.json === undefined ? undefined : indexEntriesOf(latest.json);
    const keys = [k.data, k.objects, k.index, k.typeIndex(typeOfId(id)), k.originals, k.indicatorKeys, k.values];
    const removed = await this.redis.gwDeleteVersions(
      keys.length,
      ...keys,
      id,
      entries?.dedupField ?? '',
      entries?.valueDigests.join(',') ?? '',
      ...dateAdded.map(String),
    );
    return { removed: Number(removed) };
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
