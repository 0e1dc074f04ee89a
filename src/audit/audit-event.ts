/**
 * One entry of the audit trail: who did what to which collection, from where, and which objects it concerned.
 * Entries never hold secrets: no headers, no query strings, no request bodies; only the path, the principal
 * name and the ids of the STIX objects served or written.
 */

/** What was done; TAXII endpoints by resource, plus the gateway's own operations. */
export type AuditAction =
  | 'discovery'
  | 'api_root'
  | 'collections'
  | 'collection'
  | 'get_objects'
  | 'get_object'
  | 'get_manifest'
  | 'get_versions'
  | 'add_objects'
  | 'delete_object'
  | 'get_status'
  | 'lookup'
  | 'audit_read'
  | 'ingest'
  | 'ingest_refused'
  | 'import'
  | 'export'
  | 'inquiry_open'
  | 'inquiry_list'
  | 'inquiry_read'
  | 'inquiry_acknowledge'
  | 'inquiry_answer'
  | 'inquiry_request_clarification'
  | 'inquiry_clarify'
  | 'inquiry_close'
  | 'inquiry_withdraw'
  | 'other';

export interface AuditEvent {
  /** When the access ended, RFC 3339 UTC with milliseconds. */
  readonly time: string;
  /** The authenticated principal, or "" when the request was not authenticated. */
  readonly principal: string;
  /** Client address (the socket peer, or the proxy's forwarded address when trust proxy is on); "" for CLI. */
  readonly source: string;
  readonly action: AuditAction;
  /** Collection id (aliases in URLs are resolved). */
  readonly collection?: string;
  /** HTTP method and path without the query string (TAXII accesses). */
  readonly method?: string;
  readonly path?: string;
  /** HTTP status answered (TAXII accesses). */
  readonly http_status?: number;
  /** Objects served or written (may exceed ids.length). */
  readonly count: number;
  /** Ids served or written, at most MAX_AUDIT_IDS, in order. */
  readonly ids: readonly string[];
  /** True when `ids` was cut to MAX_AUDIT_IDS. */
  readonly ids_truncated?: boolean;
  /** The TAXII status resource of a write. */
  readonly status_id?: string;
  /** The X-Request-Id of the response (the error_id of an error). */
  readonly request_id?: string;
}

/** An event as stored, with its stream id (`<ms>-<seq>`, also the paging cursor). */
export interface AuditEntry extends AuditEvent {
  readonly id: string;
}

/** Most ids kept per entry. */
export const MAX_AUDIT_IDS = 100;

/** The ids part of an event: bounded list, with the truncation flag when needed. */
export function boundedIds(ids: readonly string[]): Pick<AuditEvent, 'ids' | 'ids_truncated'> {
  const unique = new Set<string>();
  for (const id of ids) {
    if (unique.has(id)) continue;
    // one distinct id past the bound is enough to know the list is cut
    if (unique.size === MAX_AUDIT_IDS) return { ids: [...unique], ids_truncated: true };
    unique.add(id);
  }
  return { ids: [...unique] };
}

const STRING_FIELDS = ['time', 'principal', 'source', 'action'] as const;

/** Narrows a stored JSON value back into an event; undefined for an entry written by something else. */
export function parseAuditEvent(value: unknown): AuditEvent | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  for (const f of STRING_FIELDS) if (typeof v[f] !== 'string') return undefined;
  if (typeof v['count'] !== 'number' || !Array.isArray(v['ids'])) return undefined;
  if (!v['ids'].every((x): x is string => typeof x === 'string')) return undefined;
  return value as AuditEvent;
}
