/**
 * The TAXII match filters evaluated on stored records, in one table (docs/architecture.md, "Where to change
 * what"). The query parser (src/http/query.ts: which parameters, how each value is checked, the cursor digest),
 * each endpoint's list of allowed filters (src/http/taxii/objects.ts) and the read engine's arguments (readArgs,
 * src/store/redis-reader.ts) all derive from it, and src/store/lua/read-records.lua applies every entry the same
 * way: "this field of the stored value's header is one of these values". So a filter on a header field
 * (src/store/lua/lib/records.lua: id, version, versionMicros, spec_version, rank) is one entry here.
 *
 * match[id], match[type] and match[version] are not record filters: they choose where the engine reads (the
 * version lists, the per-type indexes, the index views) and are parsed and planned on their own.
 */

/** The read endpoints whose query strings take match filters. */
export type FilterEndpoint = 'list' | 'object' | 'versions' | 'delete';

export interface RecordFilter {
  /** The query parameter, e.g. `match[spec_version]`. */
  readonly param: string;
  /** Its key in a query's `match` (the STIX property it compares). */
  readonly key: string;
  /** 1-based position of the compared field in a stored value's tab-separated header. */
  readonly headerField: number;
  /** The endpoints that accept it. */
  readonly endpoints: readonly FilterEndpoint[];
  /** Why one value of the comma-separated list is not acceptable; undefined when it is. */
  readonly check: (value: string) => string | undefined;
}

/** A query's record filters: key → accepted values (ORed); keys are ANDed. An absent or empty list filters nothing. */
export type RecordMatch = Readonly<Record<string, readonly string[]>>;

export const RECORD_FILTERS: readonly RecordFilter[] = [
  {
    param: 'match[spec_version]',
    key: 'spec_version',
    headerField: 4,
    endpoints: ['list', 'object', 'versions', 'delete'],
    check: (v) => (/^\d{1,2}\.\d{1,2}$/.test(v) ? undefined : `"${v.slice(0, 20)}" is not a spec version such as 2.1`),
  },
];

/** The parameters of the record filters an endpoint accepts. */
export function recordFilterParams(endpoint: FilterEndpoint, filters: readonly RecordFilter[] = RECORD_FILTERS): string[] {
  return filters.filter((f) => f.endpoints.includes(endpoint)).map((f) => f.param);
}

/**
 * The record filters as read-records.lua takes them (its ARGV[4]): `<headerField>:,<v1>,<v2>,` per filter with
 * values, joined by `|`; "" when none. Values holding a separator cannot be matched exactly and are refused.
 */
export function recordFilterArg(match: RecordMatch | undefined, filters: readonly RecordFilter[] = RECORD_FILTERS): string {
  if (match === undefined) return '';
  const parts: string[] = [];
  for (const f of filters) {
    const values = match[f.key];
    if (values === undefined || values.length === 0) continue;
    for (const v of values) {
      if (/[,|\t]/.test(v)) throw new Error(`${f.param}: a value holds a separator (",", "|" or tab)`);
    }
    parts.push(`${f.headerField}:,${values.join(',')},`);
  }
  return parts.join('|');
}
