/**
 * Every Redis key of the gateway is built here. All keys of one collection share the hash
 * tag `{<collection id>}` so that a collection's multi-key Lua scripts stay in one Redis Cluster slot; a status
 * resource's keys share the tag `{s:<status id>}`.
 */

/**
 * Index members are `<date_added>:<tlp rank><flags>` (score = date_added): the rank (0 clear .. 4 red) lets a
 * page skip records above the reader's clearance without fetching them, and the flags say which views a record
 * is NOT in: `s` superseded (a later version exists: not the latest), `n` not the first version. Flags change
 * only when an object gains or loses versions, so most records carry none.
 */
export interface CollectionKeys {
  /** HASH: date_added (µs, decimal) → `<id>\t<version>\t<versionMicros>\t<spec_version>\t<tlp rank>\t<json>`. */
  readonly data: string;
  /**
   * HASH: object id → `<versionMicros>:<dateAdded>:<rank>[,…][,@<producer>]`: the versions of each object sorted by
   * version, then the STIX identity of the principal that first stored it (its producer: only it versions, folds
   * into or deletes the object; src/policy/producer.ts). Once every version is deleted the entry is `@<producer>`.
   */
  readonly objects: string;
  /** HASH: `last` = the last date_added assigned (µs), the collection's clock. */
  readonly meta: string;
  /** ZSET of every record (member `<date_added>:<rank><flags>`, score date_added). */
  readonly index: string;
  /** ZSET of every record of one STIX type (same members). */
  readonly typeIndex: (type: string) => string;
  /** HASH: digest of `<producer>|<indicator key>` → indicator id (dedup within the collection, per producer). */
  readonly indicatorKeys: string;
  /** HASH: id of an indicator folded into another → the id it was folded into (the alias map). */
  readonly aliases: string;
  /** HASH: digest of a value compared in an indicator's pattern → the ids (comma-separated) comparing it. */
  readonly values: string;
  /** HASH: date_added → the original JSON of the object before normalization (only when it changed). */
  readonly originals: string;
  /**
   * HASH: object id → producer, the previous format (before the producer moved into `objects`): read where it
   * exists, never written.
   */
  readonly owners: string;
  /**
   * HASH: object id → "1" when some object's references name it (its referrers are then in `referrerSet(id)`).
   * Read for a whole batch in one HMGET, so that storing an object nobody references costs no further call.
   */
  readonly referrers: string;
  /**
   * Prefix of the SETs `referrerSet(id)`: the ids of the objects whose references name `id`. When an object's
   * rank rises, the ranks of the objects referring to it rise with it (docs/security.md, "References").
   */
  readonly referrerSetPrefix: string;
  /** Prefix of the per-type index keys (`typeIndex(t)` = typeIndexPrefix + t), for scripts that re-rank records. */
  readonly typeIndexPrefix: string;
  /** Prefix shared by every key of this collection (for tests and maintenance). */
  readonly prefix: string;
}

export interface KeyBuilder {
  readonly collection: (collectionId: string) => CollectionKeys;
  /** HASH holding one status resource (meta, pendings, results per recorded batch). */
  readonly status: (statusId: string) => string;
  /** STRING: the posted envelope of a status whose job has not completed (deleted when it completes). */
  readonly statusBody: (statusId: string) => string;
  /** The BullMQ prefix (hash-tagged so every queue key lands in one slot). */
  readonly queuePrefix: string;
  /** STREAM: the audit trail (src/audit/), one entry per access; capped by age and length. */
  readonly audit: string;
  /** STRING counter: requests of one principal in the current fixed window (src/http/rate-limit.ts). */
  readonly rateWindow: (principal: string) => string;
  /** ZSET: request tokens of one principal in flight, scored by expiry (ms); same hash tag as rateWindow. */
  readonly inFlight: (principal: string) => string;
  /** Keys of one federation source or sink (src/federation/), all under the hash tag `{f:<kind>:<name>}`. */
  readonly federation: (kind: 'source' | 'sink', name: string) => FederationKeys;
  /** Keys of the inquiries of one inquiry collection (src/inquiries/), under the collection's hash tag. */
  readonly inquiry: (collectionId: string) => InquiryKeys;
  /** Keys of the exchange counters of one collection (src/exchange/), all under the hash tag `{x:<collection>}`. */
  readonly exchange: (collectionId: string) => ExchangeKeys;
  /** SET: ids of the collections that have exchange counters (the others are not read at all). */
  readonly exchangeActive: string;
  /** STRING with a TTL: one operator console session (src/http/console/), by the SHA-256 of its cookie value. */
  readonly consoleSession: (sessionDigest: string) => string;
  /**
   * HASH: digest of (principal, format, import settings, document bytes) → the time that document was first
   * imported over HTTP into this collection (src/import-export/first-seen.ts); under the collection's hash tag.
   */
  readonly importFirstSeen: (collectionId: string) => string;
  readonly root: string;
}

export interface ExchangeKeys {
  /** HASH of one UTC day (YYYYMMDD): the small totals the overview charts read (expires after the retention). */
  readonly day: (day: string) => string;
  /** HASH of one UTC day: the breakdowns (types, refusal codes, time-to-first-pull buckets, overlap, inquiries). */
  readonly detail: (day: string) => string;
  /** HASH of one UTC week (named by its Monday, YYYYMMDD): the same totals summed by week (the 365-day views read 53). */
  readonly week: (monday: string) => string;
  /** HASH of one UTC week: the same breakdowns summed by week. */
  readonly weekDetail: (monday: string) => string;
  /** SET: `<inquiry id>|<deadline>` of the inquiry deadlines already counted as overdue (each is counted once). */
  readonly overdueCounted: string;
  /** HASH: object id → ms of its first pull by this reader principal. */
  readonly firstPulls: (reader: string) => string;
  /** LIST: the latest additions, `<date_added>\t<rank>\t<id>`, capped. */
  readonly recent: string;
  /** SET: digests of values this collection shares with `other` (keyed on the smaller of the two ids). */
  readonly overlap: (other: string) => string;
}

export interface InquiryKeys {
  /** STRING with a TTL: held while one message of an inquiry is checked and stored (SET NX PX). */
  readonly lock: (inquiryId: string) => string;
  /** HASH: inquiry id → JSON list of the evidence ids withheld from the asked authority (asking side and admins only). */
  readonly withheld: string;
  /** HASH: `<inquiry id>|<event>` → JSON record of the notification sent for that event (sent once). */
  readonly notified: string;
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
    statusBody: (statusId) => `${root}:status:{s:${statusId}}:body`,
    audit: `${root}:audit`,
    rateWindow: (principal) => `${root}:rl:{p:${principal}}:window`,
    inFlight: (principal) => `${root}:rl:{p:${principal}}:inflight`,
    federation: (kind, name) => {
      const p = `${root}:fed:{f:${kind}:${name}}`;
      return { state: `${p}:state`, lock: `${p}:lock`, outcomes: `${p}:outcomes` };
    },
    inquiry: (collectionId) => {
      const p = `${root}:c:{${collectionId}}:inq`;
      return { lock: (inquiryId) => `${p}:lock:${inquiryId}`, withheld: `${p}:withheld`, notified: `${p}:notified` };
    },
    exchange: (collectionId) => {
      const p = `${root}:x:{x:${collectionId}}`;
      return {
        day: (day) => `${p}:d:${day}`,
        detail: (day) => `${p}:t:${day}`,
        week: (monday) => `${p}:w:${monday}`,
        weekDetail: (monday) => `${p}:wt:${monday}`,
        overdueCounted: `${p}:od`,
        firstPulls: (reader) => `${p}:fp:${reader}`,
        recent: `${p}:recent`,
        overlap: (other) => `${p}:ov:${other}`,
      };
    },
    exchangeActive: `${root}:x:active`,
    consoleSession: (sessionDigest) => `${root}:console:session:${sessionDigest}`,
    importFirstSeen: (collectionId) => `${root}:c:{${collectionId}}:imported`,
    collection: (collectionId) => {
      const p = `${root}:c:{${collectionId}}`;
      return {
        prefix: p,
        data: `${p}:data`,
        objects: `${p}:objects`,
        meta: `${p}:meta`,
        indicatorKeys: `${p}:ikeys`,
        aliases: `${p}:alias`,
        values: `${p}:values`,
        originals: `${p}:orig`,
        owners: `${p}:owners`,
        referrers: `${p}:refby`,
        referrerSetPrefix: `${p}:refby:`,
        typeIndexPrefix: `${p}:idx:t:`,
        index: `${p}:idx`,
        typeIndex: (type) => `${p}:idx:t:${type}`,
      };
    },
  };
}
