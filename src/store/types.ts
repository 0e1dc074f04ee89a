/**
 * The persistence interface of the TAXII server and the worker. One implementation (RedisStore) exists; the
 * interface keeps the HTTP layer and the worker independent of key layouts and scripts.
 */
import type { RecordMatch } from './record-filters';

/** One object version ready to be stored (already validated and normalized by the worker). */
export interface StoreItem {
  readonly id: string;
  readonly type: string;
  /** modified ?? created, exactly as written in the object; undefined for objects without either. */
  readonly version?: string;
  /** The version as µs since the epoch (for ordering and exact matching); undefined with `version`. */
  readonly versionMicros?: number;
  readonly specVersion: string;
  /** Rank of the object's most restrictive TLP marking (0 clear, 1 green, 2 amber, 3 amber+strict, 4 red). */
  readonly tlpRank?: number;
  /** The JSON text served to clients, byte for byte. */
  readonly json: string;
  /** The JSON as posted, when normalization changed it (kept for operators). */
  readonly originalJson?: string;
  /**
   * Indicators: `<producer>|<canonical indicator key>`. When another indicator already holds this field in the
   * collection, the object is not stored but folded into that one (outcome `merged`).
   */
  readonly dedupField?: string;
  /** Indicators: digests of the values the pattern compares (the "which CERTs reported this value" index). */
  readonly valueDigests?: readonly string[];
  /**
   * True when the object has a producer: only the identity that first stored it (or an admin) may add versions
   * or fold into it (src/policy/producer.ts). False for SCOs and the official TLP definitions.
   */
  readonly owned?: boolean;
  /**
   * Ids the object references (src/policy/references.ts). The stored rank is at least the highest rank of each,
   * now and whenever one of them later rises, so a reader never receives a record naming an object it may not read.
   */
  readonly refs?: readonly string[];
}

/** Who writes, for the store's write rules; absent = a trusted internal caller (no producer or visibility rule). */
export interface WriterContext {
  /** The STIX identity the writing principal acts for (recorded as the producer of what it creates). */
  readonly identity: string;
  /** Highest rank the writer may read in the collection (-1: none); writes compare only against those records. */
  readonly clearance: number;
  /** Admins may version objects of any producer. */
  readonly admin: boolean;
}

export type StoreOutcome =
  | { readonly kind: 'stored'; readonly dateAdded: number }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'conflict' }
  /** Not stored: an indicator with the same canonical pattern from the same producer is held under `into`. */
  | { readonly kind: 'merged'; readonly into: string }
  /**
   * Not stored: the id belongs to another producer's object that the writer cannot read. The caller answers as
   * for a stored object, so a write cannot tell a hidden object from a missing one.
   */
  | { readonly kind: 'hidden' }
  /** Not stored: the object (or the indicator it would fold into) was first stored by another identity. */
  | { readonly kind: 'not-producer' };

/** Which versions of each object a read selects (values of match[version] are ORed). */
export interface VersionSelector {
  readonly all: boolean;
  readonly first: boolean;
  readonly last: boolean;
  /** Exact versions, µs since the epoch. */
  readonly exact: readonly number[];
}

/** The latest version of each object (TAXII's default for objects, manifest and export). */
export const LATEST_VERSION: VersionSelector = { all: false, first: false, last: true, exact: [] };
/** Every version (match[version]=all). */
export const ALL_VERSIONS: VersionSelector = { all: true, first: false, last: false, exact: [] };

export interface ReadQuery {
  /** Exclusive lower bound on date_added, µs (0 = from the start). */
  readonly after: number;
  readonly limit: number;
  /** match[type]; empty = every type. */
  readonly types: readonly string[];
  /** match[id]; empty = every object. */
  readonly ids: readonly string[];
  readonly versions: VersionSelector;
  /** The record filters (match[spec_version], …: src/store/record-filters.ts); absent = none. */
  readonly match?: RecordMatch;
  /**
   * Highest TLP rank the reader may receive (sharing policy); records above it are skipped inside the store
   * query, so pages stay full and `more`/`next` stay right. Absent = 4 (everything).
   */
  readonly maxTlpRank?: number;
  /** A reader's sharing rules beyond TLP, applied inside the store query like the clearance. */
  readonly rules?: ContentRules;
}

/** Sharing rules on content: refused markings (object or granular) and accepted producers. */
export interface ContentRules {
  readonly refusedMarkings?: readonly string[];
  /** When present, only objects whose created_by_ref is listed are served. */
  readonly acceptedProducers?: readonly string[];
  /**
   * Ids the reference rule does not follow (they reveal nothing: the official TLP definitions, the configured
   * identities, the accepted producers). Every other object a record references must pass the rules too.
   */
  readonly exemptRefs?: readonly string[];
}

/** One stored record as read back. */
export interface StoredRecord {
  readonly dateAdded: number;
  readonly id: string;
  /** The version string served (the object's modified/created, or its date_added when it has neither). */
  readonly version: string;
  readonly versionMicros: number;
  readonly specVersion: string;
  /** Rank of the record's most restrictive TLP marking (0 clear .. 4 red). */
  readonly tlpRank: number;
  /** The stored JSON text (absent when only headers were read). */
  readonly json?: string;
}

/** A page of objects assembled by the store for a TAXII envelope, without a record object per entry. */
export interface ObjectsPage {
  readonly ids: readonly string[];
  /** date_added of each object, in page order (ascending). */
  readonly dateAdded: readonly number[];
  readonly tlpRanks: readonly number[];
  /** The objects' stored JSON texts (UTF-8 bytes), in page order. */
  readonly objects: readonly Buffer[];
  readonly more: boolean;
  readonly continueAfter?: number;
}

export interface Page {
  readonly records: readonly StoredRecord[];
  readonly more: boolean;
  /** date_added to continue after, when `more`. */
  readonly continueAfter?: number;
}

export interface ObjectStore {
  /** Stores a batch atomically per collection; results are in the order of `items`. */
  storeBatch(collectionId: string, items: readonly StoreItem[], writer?: WriterContext): Promise<StoreOutcome[]>;
  /** The ids among `ids` held in the collection with some version ranked at or below `maxRank`. */
  heldIds(collectionId: string, ids: readonly string[], maxRank: number): Promise<Set<string>>;
  /** The identity that first stored the object (its producer), when recorded. */
  producerOf(collectionId: string, id: string): Promise<string | undefined>;
  /**
   * Resolves once the commands issued so far have left the process (the connection's write buffer is empty),
   * so that a caller about to run a long synchronous stretch (the next batch's prepare) does not keep half of a
   * large store call in its own buffer, with Redis idle, until it yields. Optional.
   */
  sent?(): Promise<void>;
  /** A page of records, ascending by date_added. `withJson: false` reads headers only (manifests, versions). */
  read(collectionId: string, query: ReadQuery, withJson: boolean): Promise<Page>;
  /**
   * The same page as read(…, true), assembled for a TAXII envelope by the store itself: a page of 1000 objects is
   * served without a record object per entry and without decoding and re-encoding its JSON. Optional.
   */
  readObjectsPage?(collectionId: string, query: ReadQuery): Promise<ObjectsPage>;
  /**
   * Date_added values of the versions of `id` that the selector and spec filter pick; versions ranked above
   * `maxTlpRank` (the reader's clearance, default 4 = everything) or refused by `rules` are left out as if absent.
   */
  selectVersions(
    collectionId: string,
    id: string,
    versions: VersionSelector,
    match: RecordMatch,
    maxTlpRank?: number,
    rules?: ContentRules,
  ): Promise<StoredRecord[]>;
  /**
   * Removes the given versions of one object (by date_added) and their index entries; when no version is left,
   * an indicator's dedup and value-index entries go too.
   */
  deleteVersions(collectionId: string, id: string, dateAdded: readonly number[]): Promise<{ removed: number }>;
  /** The latest stored version of an object, with its JSON. */
  latest(collectionId: string, id: string): Promise<StoredRecord | undefined>;
  /** For each id that was folded into another indicator, the id it was folded into. */
  aliases(collectionId: string, ids: readonly string[]): Promise<Map<string, string>>;
  /** The original (pre-normalization) JSON of a stored record, when it was changed. */
  original(collectionId: string, dateAdded: number): Promise<string | undefined>;
}
