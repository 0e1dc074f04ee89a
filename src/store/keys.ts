/**
 * Every Redis key of the gateway is built here (STYLE.md habit 1). All keys of one collection share the hash
 * tag `{<collection id>}` so that a collection's multi-key Lua scripts stay in one Redis Cluster slot; a status
 * resource's keys share the tag `{s:<status id>}`.
 */

/** Index views kept per collection: every version, the latest version of each object, the first version. */
export type IndexView = 'all' | 'latest' | 'first';

export interface CollectionKeys {
  /** HASH: date_added (µs, decimal) → `<id>\t<version>\t<spec_version>\t<json>`. */
  readonly data: string;
  /** HASH: object id → `<versionMicros>:<dateAdded>[,…]` sorted by version (the versions of each object). */
  readonly objects: string;
  /** HASH: `last` = the last date_added assigned (µs), the collection's clock. */
  readonly meta: string;
  /** ZSET per view (member = score = date_added), over all types. */
  readonly view: (view: IndexView) => string;
  /** ZSET per view restricted to one STIX type. */
  readonly typeView: (view: IndexView, type: string) => string;
  /** HASH: `<producer>|<indicator key>` → indicator id (dedup within the collection, per producer). */
  readonly indicatorKeys: string;
  /** HASH: indicator id → its `<producer>|<indicator key>` field in indicatorKeys (for clean-up on delete). */
  readonly indicatorKeyOf: string;
  /** HASH: id of an indicator folded into another → the id it was folded into (the alias map). */
  readonly aliases: string;
  /** HASH: date_added → the original JSON of the object before normalization (only when it changed). */
  readonly originals: string;
  /** Prefix shared by every key of this collection (for tests and maintenance). */
  readonly prefix: string;
}

export interface KeyBuilder {
  readonly collection: (collectionId: string) => CollectionKeys;
  /** HASH holding one status resource (meta, pendings, per-object results). */
  readonly status: (statusId: string) => string;
  /** The BullMQ prefix (hash-tagged so every queue key lands in one slot). */
  readonly queuePrefix: string;
  /** Cross-collection index: canonical indicator key → SET of `<collection>|<indicator id>`. */
  readonly lookup: (indicatorKey: string) => string;
  /** Cross-collection index: digest of a compared value → SET of `<collection>|<indicator id>`. */
  readonly lookupValue: (valueDigest: string) => string;
  /** STREAM: the audit trail (src/audit/), one entry per access; capped by age and length. */
  readonly audit: string;
  /** STRING counter: requests of one principal in the current fixed window (src/taxii/rate-limit.ts). */
  readonly rateWindow: (principal: string) => string;
  /** ZSET: request tokens of one principal in flight, scored by expiry (ms); same hash tag as rateWindow. */
  readonly inFlight: (principal: string) => string;
  /** Keys of one federation source or sink (src/federation/), all under the hash tag `{f:<kind>:<name>}`. */
  readonly federation: (kind: 'source' | 'sink', name: string) => FederationKeys;
  readonly root: string;
}

export interface FederationKeys {
  /** HASH: the resume point and the last run (cursor, boundary, last_run, last_error, ...). */
  readonly state: string;
  /** STRING with a TTL: held by the one process running this source or sink (SET NX PX). */
  readonly lock: string;
  /** STREAM (sinks): what the remote answered per forwarded object, capped in length. */
  readonly outcomes: string;
}

/** Builds the key set under a root prefix (default `gw`), so several gateways can share one Redis. */
export function createKeyBuilder(root = 'gw'): KeyBuilder {
  return {
    root,
    queuePrefix: `{${root}-queue}`,
    status: (statusId) => `${root}:status:{s:${statusId}}`,
    lookup: (indicatorKey) => `${root}:lookup:{k:${indicatorKey}}`,
    lookupValue: (valueDigest) => `${root}:lookup:{v:${valueDigest}}`,
    audit: `${root}:audit`,
    rateWindow: (principal) => `${root}:rl:{p:${principal}}:window`,
    inFlight: (principal) => `${root}:rl:{p:${principal}}:inflight`,
    federation: (kind, name) => {
      const p = `${root}:fed:{f:${kind}:${name}}`;
      return { state: `${p}:state`, lock: `${p}:lock`, outcomes: `${p}:outcomes` };
    },
    collection: (collectionId) => {
      const p = `${root}:c:{${collectionId}}`;
      return {
        prefix: p,
        data: `${p}:data`,
        objects: `${p}:objects`,
        meta: `${p}:meta`,
        indicatorKeys: `${p}:ikeys`,
        indicatorKeyOf: `${p}:ikeyof`,
        aliases: `${p}:alias`,
        originals: `${p}:orig`,
        view: (view) => `${p}:idx:${view}`,
        typeView: (view, type) => `${p}:idx:${view}:t:${type}`,
      };
    },
  };
}
