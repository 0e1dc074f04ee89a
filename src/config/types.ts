/**
 * The gateway's configuration as the rest of the code sees it: collections.yaml after parsing, schema
 * validation, cross-checks and freezing (see load-config.ts). Field names follow the YAML file, which uses
 * snake_case like the TAXII/STIX specifications it configures.
 */
import type { CsvMapping } from '../mapping/csv/types';
import type { NativeFormat } from '../mapping/types';
import type { TlpLevel } from '../stix/markings';

/** How one credential of a principal is obtained. Secrets never appear in the file in plaintext. */
export type CredentialSpec =
  /** An scrypt hash written in the file (produced by `taxii-gateway hash-secret`). */
  | { readonly kind: 'basic' | 'bearer'; readonly source: 'hash'; readonly hash: string }
  /** The name of an environment variable holding an scrypt hash. */
  | { readonly kind: 'basic' | 'bearer'; readonly source: 'hash_env'; readonly env: string }
  /** The name of an environment variable holding the plaintext secret; hashed in memory at start-up. */
  | { readonly kind: 'basic' | 'bearer'; readonly source: 'secret_env'; readonly env: string }
  /**
   * Demo credentials: a random secret is generated on first start, only its hash is kept in the data
   * directory, and the plaintext is printed once.
   */
  | { readonly kind: 'basic' | 'bearer'; readonly source: 'generate' };

export interface PrincipalConfig {
  /** Login name (the HTTP Basic user name) and the name used in readers/writers lists. */
  readonly name: string;
  /** The STIX identity (identity--<uuid>) of the CERT this principal acts for. */
  readonly identity: string;
  /** Admins may read every status resource and see every collection. */
  readonly admin: boolean;
  readonly credentials: readonly CredentialSpec[];
  /** Highest TLP this principal may receive anywhere (sharing policy, src/policy/); absent = no cap. */
  readonly max_tlp?: TlpLevel;
  /** Per-principal override of server.rate_limit. */
  readonly rate_limit?: RateLimitConfig;
  /** Client certificates (mutual TLS) that authenticate as this principal. */
  readonly client_certs?: readonly ClientCertMatch[];
}

/** How a client certificate is recognised: subject CN, a subjectAltName value, or its SHA-256 fingerprint. */
export type ClientCertMatch =
  | { readonly kind: 'subject_cn'; readonly value: string }
  | { readonly kind: 'san'; readonly value: string }
  /** Upper-case hex without separators. */
  | { readonly kind: 'sha256'; readonly value: string };

/**
 * A reader's clearance and sharing rules in one collection (the map form of a `readers` entry), with the TLP
 * type of its clearance: `TlpLevel` at runtime, the file's spelling (`RawTlp`) in src/config/config-schema.ts.
 */
export interface ReaderClearance<Tlp extends string = TlpLevel> {
  readonly name: string;
  readonly max_tlp?: Tlp;
  /** Objects carrying one of these marking ids (object or granular markings) are not shared with the reader. */
  readonly refused_markings?: readonly string[];
  /** Only objects created by one of these identities are shared with the reader. */
  readonly accepted_producers?: readonly string[];
}

/** Per-principal request limits, counted in Redis so they hold across replicas. */
export interface RateLimitConfig {
  /** Requests per principal per fixed one-minute window; absent = unlimited. */
  readonly requests_per_minute?: number;
  /** Requests of one principal in flight at once; absent = unlimited. */
  readonly max_concurrent?: number;
}

/** Native HTTPS. File paths are resolved against the directory of collections.yaml. */
export interface TlsConfig {
  readonly key_file: string;
  readonly cert_file: string;
  /** CA bundle that client certificates must chain to (required unless client_certs is none). */
  readonly ca_file?: string;
  readonly client_certs: 'none' | 'optional' | 'required';
  /** With a client certificate, still require Basic/Bearer credentials of the same principal. */
  readonly require_password_too: boolean;
}

/** Retention of the audit stream (src/audit/). */
export interface AuditConfig {
  readonly max_age_days: number;
  readonly max_entries: number;
}

export interface ApiRootConfig {
  /** The URL path segment: /<name>/ (no slashes). */
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  /** Maximum POST body size in bytes, enforced on actual bytes and advertised in the API root resource. */
  readonly max_content_length: number;
}

export interface CollectionConfig {
  /** Stable UUID (the TAXII collection id). */
  readonly id: string;
  /** Name of the API root the collection lives under. */
  readonly api_root: string;
  /** Unique per API root; usable in URLs instead of the id. */
  readonly alias?: string;
  readonly title: string;
  readonly description?: string;
  /** ISO 3166-1 alpha-2 code of the country whose CERT owns the collection (e.g. "US", "RU"). */
  readonly country?: string;
  /** STIX identity id of the owning CERT. */
  readonly cert?: string;
  /** STIX media types served; defaults to ["application/stix+json;version=2.1"]. */
  readonly media_types: readonly string[];
  /** Principal names allowed to read. */
  readonly readers: readonly string[];
  /** Principal names allowed to write. */
  readonly writers: readonly string[];
  /** TLP marking applied to objects that carry none (issue: normalization). */
  readonly default_tlp?: TlpLevel;
  /** The owning CERT's native format: default `format` of native imports and exports of this collection. */
  readonly native_format?: NativeFormat;
  /** Name of the csv_mappings entry used for CSV imports and exports of this collection. */
  readonly csv_mapping?: string;
  /** Readers given with a clearance (`readers: [{ name, max_tlp }]`); their names are also in `readers`. */
  readonly reader_clearances?: readonly ReaderClearance[];
  /** Objects marked above this TLP are refused (status failure). */
  readonly max_tlp_accepted?: TlpLevel;
  /** Objects whose created_by_ref is not the writing principal's identity are refused. */
  readonly require_own_identity?: boolean;
  /** When set, objects whose created_by_ref is not listed are refused. */
  readonly accepted_producers?: readonly string[];
  /** Objects carrying any of these marking-definition ids (object or granular) are refused. */
  readonly refused_markings?: readonly string[];
  /**
   * What happens to an object referencing a marking the gateway cannot resolve (neither an official TLP
   * definition nor a definition held in the collection): `refuse` (the default) fails it with UNKNOWN_MARKING;
   * `withhold` stores it ranked above every clearance, so no reader receives it (src/policy/record-rank.ts).
   * Absent = `refuse`.
   */
  readonly unknown_markings?: UnknownMarkings;
}

/** Handling of objects whose markings cannot be resolved (collections[].unknown_markings). */
export type UnknownMarkings = 'refuse' | 'withhold';

export interface ServerConfig {
  readonly title: string;
  readonly description?: string;
  readonly contact?: string;
  /** Name of the default API root (must exist in api_roots). */
  readonly default_api_root?: string;
  /** When true, discovery and API root resources are served without authentication. */
  readonly public_discovery: boolean;
  /** Largest page the server returns, whatever `limit` asks (default 1000). */
  readonly max_page_size: number;
  /** Page size when the client gives no `limit` (default 100). */
  readonly default_page_size: number;
  /** How long a completed status resource is kept, in seconds (default 86400 = 24 h). */
  readonly status_ttl_seconds: number;
  /** Native HTTPS; absent = plain HTTP (behind a TLS-terminating proxy, or loopback). */
  readonly tls?: TlsConfig;
  /** Default per-principal request limits; absent = none. */
  readonly rate_limit?: RateLimitConfig;
}

export interface GatewayConfig {
  /** Named CSV column mappings (collections.yaml `csv_mappings`); empty when the file has none. */
  readonly csv_mappings: Readonly<Record<string, CsvMapping>>;
  /** Absolute or relative path of the file this was loaded from (for messages). */
  readonly file: string;
  readonly server: ServerConfig;
  readonly api_roots: readonly ApiRootConfig[];
  readonly collections: readonly CollectionConfig[];
  readonly principals: readonly PrincipalConfig[];
  /** Audit stream retention (defaults: 365 days, 1 000 000 entries). */
  readonly audit: AuditConfig;
  /** Remote TAXII 2.1 collections pulled into local ones (src/federation/); empty when the file has none. */
  readonly sources: readonly SourceConfig[];
  /** Local collections forwarded to remote TAXII 2.1 collections (src/federation/); empty when none. */
  readonly sinks: readonly SinkConfig[];
  /** Formal inquiries between authorities (src/inquiries/); no channels when the file has no `inquiries:`. */
  readonly inquiries: InquiriesConfig;
}

/** Inquiry urgency levels, from the least to the most pressing. */
export type InquiryUrgency = 'routine' | 'priority' | 'urgent';

/** The deadlines of one urgency level, in seconds. */
export interface InquiryDeadlines {
  readonly acknowledge_within_seconds: number;
  readonly answer_within_seconds: number;
  /** A reminder is sent this long before each deadline (0 = no reminder). */
  readonly remind_before_seconds: number;
}

/** One inquiry collection: the channel between two authorities. */
export interface InquiryChannelConfig {
  /** Collection id (the file may name it by alias). */
  readonly collection: string;
  /** The two principal names, in file order. */
  readonly authorities: readonly [string, string];
  /** TLP marking of every inquiry object in the channel. */
  readonly tlp: TlpLevel;
}

export interface InquiriesConfig {
  readonly urgency: Readonly<Record<InquiryUrgency, InquiryDeadlines>>;
  readonly channels: readonly InquiryChannelConfig[];
  /** Partner gateways' public keys (paths as written: relative to the directory of collections.yaml) and whom each signs for. */
  readonly partner_keys: readonly { readonly authorities: readonly string[]; readonly public_key_file: string }[];
  /** Duty roster and escalation list per authority (principal name); authorities without one get no notification. */
  readonly contacts: Readonly<Record<string, InquiryContacts>>;
  /** Where e-mail notifications are sent; absent = contacts with an e-mail address make check-config fail. */
  readonly smtp?: InquirySmtpConfig;
}

export interface InquiryContacts {
  readonly duty: readonly InquiryContact[];
  readonly escalation: readonly InquiryContact[];
}

/** One duty officer or escalation contact: an e-mail address and/or a webhook. */
export interface InquiryContact {
  readonly name: string;
  readonly email?: string;
  readonly webhook?: string;
  /** The webhook's HMAC secret: an environment variable or a file (relative to collections.yaml). */
  readonly secret_env?: string;
  readonly secret_file?: string;
  /** On duty from `from` (inclusive) to `to` (exclusive) UTC hour, wrapping midnight; absent = always. */
  readonly hours?: { readonly from: number; readonly to: number };
}

export interface InquirySmtpConfig {
  readonly host: string;
  readonly port: number;
  readonly secure?: boolean;
  readonly from: string;
  readonly username?: string;
  readonly password_env?: string;
  readonly password_file?: string;
}

/** When a source or sink runs: every N seconds, or on a cron pattern (5 or 6 fields, BullMQ syntax). */
export type FederationSchedule = { readonly every_seconds: number } | { readonly cron: string };

/**
 * How the gateway authenticates to a remote TAXII server. Secrets are never in the file: each is read from
 * an environment variable or a file named here (paths relative to the directory of collections.yaml).
 */
export interface RemoteAuthConfig {
  readonly basic?: { readonly username: string; readonly password_env?: string; readonly password_file?: string };
  readonly bearer?: { readonly token_env?: string; readonly token_file?: string };
  /** Client certificate (mutual TLS) and/or the CA that the remote server's certificate must chain to. */
  readonly tls?: { readonly cert_file?: string; readonly key_file?: string; readonly ca_file?: string };
}

/** The remote end of a source or sink. */
export interface RemoteCollectionConfig {
  /** URL of the remote API root, ending in `/` (e.g. https://taxii.example.org/api1/). */
  readonly url: string;
  /** The remote collection id. */
  readonly collection: string;
  readonly auth?: RemoteAuthConfig;
  /** Objects asked for per request (the server may return fewer); default 500. */
  readonly page_size: number;
  /** Hard bound on objects moved by one run; default 100000. */
  readonly max_objects_per_run: number;
  /** Overall time of one HTTP request in seconds; default 60. */
  readonly timeout_seconds: number;
  /** Time to establish the connection in seconds; default 10. */
  readonly connect_timeout_seconds: number;
  /** Retries of one request on 429, 5xx and network errors (exponential backoff); default 5. */
  readonly max_retries: number;
  readonly schedule: FederationSchedule;
}

/** `sources:` one remote collection pulled into a local one through the normal ingest pipeline. */
export interface SourceConfig extends RemoteCollectionConfig {
  readonly name: string;
  /** Id of the local collection the objects go to (the file may name it by alias). */
  readonly into: string;
  /** match[<field>] filters sent with every request (values ORed within a field). */
  readonly filters: { readonly type?: readonly string[]; readonly spec_version?: readonly string[]; readonly id?: readonly string[] };
  /** STIX identity the ingest jobs are attributed to (write rules); default derived from the source name. */
  readonly identity: string;
}

/** `sinks:` a local collection whose new objects are forwarded to a remote collection by POST. */
export interface SinkConfig extends RemoteCollectionConfig {
  readonly name: string;
  /** Id of the local collection read (the file may name it by alias). */
  readonly from: string;
  /** The partner's principal in this gateway: what it may read caps what is forwarded (src/policy/clearance.ts). */
  readonly principal?: string;
  /** Highest TLP forwarded (also capped by the principal's clearance). */
  readonly max_tlp?: TlpLevel;
  readonly filters: { readonly type?: readonly string[] };
  /** How long to follow the remote status of one POST before trying again on the next run; default 300. */
  readonly status_timeout_seconds: number;
}

/** One problem found while loading the config; every problem names a position in the file. */
export interface ConfigIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Machine-readable code, e.g. YAML_DUPLICATE_KEY, SCHEMA, UNKNOWN_KEY, DUPLICATE_ID, UNKNOWN_PRINCIPAL. */
  readonly code: string;
  readonly message: string;
}
