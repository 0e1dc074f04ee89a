/**
 * Query-string parsing for the TAXII endpoints: filters (added_after, limit, next, match[id|type|version] and
 * the record filters of src/store/record-filters.ts, e.g. match[spec_version]) with precise 400 errors. Each filter may appear once; comma-separated values are ORed and
 * different fields ANDed. Unknown `match[...]` fields and other unknown parameters are ignored, so vendor
 * filters from other clients do not break requests.
 */
import { parseStixId, isStixType } from '../stix/identifiers';
import { parseTimestamp } from '../stix/time';
import { RECORD_FILTERS, type RecordFilter, type RecordMatch } from '../store/record-filters';
import { ALL_VERSIONS, LATEST_VERSION, type ReadQuery, type VersionSelector } from '../store/types';
import { decodeNext, filterDigest } from './cursor';
import { Errors } from './errors';

/** The paging and planning parameters; the record filters are named by their table (src/store/record-filters.ts). */
export type FilterName = 'added_after' | 'limit' | 'next' | 'match[id]' | 'match[type]' | 'match[version]';

/** The paging and planning part of a store read (src/store/types.ts ReadQuery), with the record filters and the digest. */
export interface ParsedFilters extends Pick<ReadQuery, 'after' | 'limit' | 'ids' | 'types' | 'versions'> {
  /** The record filters given (key → values), e.g. `{ spec_version: ['2.1'] }`. */
  readonly match: RecordMatch;
  /** Digest identifying these filters (for `next`). */
  readonly digest: string;
}

export interface FilterOptions {
  /** The filters this endpoint supports (FilterName or a record filter's parameter); others are ignored. */
  readonly allowed: readonly string[];
  readonly defaultLimit: number;
  readonly maxLimit: number;
  /** Part of the digest: which endpoint and collection (and object) the token belongs to. */
  readonly scope: string;
  /** match[version] default when absent. */
  readonly defaultVersions: VersionSelector;
  /** The record filters' table (default RECORD_FILTERS). */
  readonly recordFilters?: readonly RecordFilter[];
}

const MAX_LIST = 100;
export { ALL_VERSIONS, LATEST_VERSION };

function list(name: string, raw: string): string[] {
  const values = raw.split(',').map((v) => v.trim());
  if (values.some((v) => v === '')) throw Errors.invalidFilter(name, 'empty value in the comma-separated list');
  if (values.length > MAX_LIST) throw Errors.invalidFilter(name, `at most ${MAX_LIST} values`);
  return values;
}

function parseVersions(raw: string): VersionSelector {
  const values = list('match[version]', raw);
  let all = false;
  let first = false;
  let last = false;
  const exact: number[] = [];
  for (const v of values) {
    if (v === 'all') all = true;
    else if (v === 'first') first = true;
    else if (v === 'last') last = true;
    else {
      const ts = parseTimestamp(v);
      if (!ts) throw Errors.invalidFilter('match[version]', `"${v.slice(0, 60)}" is not first, last, all or an RFC 3339 UTC timestamp`);
      exact.push(ts.micros);
    }
  }
  if (all && values.length > 1) throw Errors.invalidFilter('match[version]', '"all" cannot be combined with other values');
  return { all, first, last, exact };
}

/** The parameters of a query string (after the `?`) of at most `maxLength` characters; else 400 with the caller's message. */
export function searchParams(search: string, maxLength: number, messages: { tooLong: string; unreadable: string }): URLSearchParams {
  if (search.length > maxLength) throw Errors.badRequest(messages.tooLong);
  try {
    return new URLSearchParams(search);
  } catch {
    throw Errors.badRequest(messages.unreadable);
  }
}

/**
 * Parses the query string of a request URL. `search` is the part after `?` (without it), as sent.
 * Throws TaxiiError (400) for repeated or malformed filters.
 */
export function parseFilters(search: string, opts: FilterOptions): ParsedFilters {
  const params = searchParams(search, 16384, { tooLong: 'query string too long', unreadable: 'malformed query string' });
  const seen = new Map<string, string>();
  for (const [name, value] of params) {
    if (!opts.allowed.includes(name)) continue;
    if (seen.has(name)) throw Errors.invalidFilter(name, 'given more than once; use one parameter with comma-separated values');
    seen.set(name, value);
  }
  const get = (n: FilterName): string | undefined => seen.get(n);

  let after = 0;
  const addedAfter = get('added_after');
  if (addedAfter !== undefined) {
    const ts = parseTimestamp(addedAfter);
    if (!ts)
      throw Errors.invalidFilter(
        'added_after',
        `"${addedAfter.slice(0, 60)}" is not an RFC 3339 UTC timestamp (e.g. 2024-05-01T12:00:00.123456Z)`,
      );
    after = ts.micros;
  }

  let limit = opts.defaultLimit;
  const limitRaw = get('limit');
  if (limitRaw !== undefined) {
    // Any positive integer, however large, is lowered to the server's maximum (TAXII 2.1 §3.4: the server
    // may return fewer than asked); only what is not a positive integer is an error.
    if (!/^\d+$/.test(limitRaw) || !/[1-9]/.test(limitRaw)) {
      throw Errors.invalidFilter('limit', `"${limitRaw.slice(0, 30)}" is not a positive integer`);
    }
    limit = limitRaw.replace(/^0+/, '').length > 9 ? opts.maxLimit : Math.min(Number(limitRaw), opts.maxLimit);
  }

  const idsRaw = get('match[id]');
  const ids = idsRaw === undefined ? [] : list('match[id]', idsRaw);
  for (const id of ids) {
    if (!parseStixId(id)) throw Errors.invalidFilter('match[id]', `"${id.slice(0, 80)}" is not a STIX identifier (<type>--<uuid>)`);
  }
  const typesRaw = get('match[type]');
  const types = typesRaw === undefined ? [] : list('match[type]', typesRaw);
  for (const t of types) {
    if (!isStixType(t)) throw Errors.invalidFilter('match[type]', `"${t.slice(0, 80)}" is not a STIX type name`);
  }
  const versionsRaw = get('match[version]');
  const versions = versionsRaw === undefined ? opts.defaultVersions : parseVersions(versionsRaw);
  const match: Record<string, readonly string[]> = {};
  const matchDigest: string[] = [];
  for (const f of opts.recordFilters ?? RECORD_FILTERS) {
    const raw = seen.get(f.param);
    const values = raw === undefined ? [] : list(f.param, raw);
    for (const v of values) {
      const why = f.check(v);
      if (why !== undefined) throw Errors.invalidFilter(f.param, why);
    }
    if (values.length > 0) match[f.key] = [...new Set(values)];
    matchDigest.push([...values].sort().join(','));
  }

  const digest = filterDigest([
    opts.scope,
    String(after),
    [...ids].sort().join(','),
    [...types].sort().join(','),
    `${versions.all}|${versions.first}|${versions.last}|${[...versions.exact].sort((a, b) => a - b).join(',')}`,
    ...matchDigest,
  ]);
  const next = get('next');
  if (next !== undefined) after = decodeNext(next, digest);
  return { after, limit, ids: [...new Set(ids)], types: [...new Set(types)], versions, match, digest };
}
