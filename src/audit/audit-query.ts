/**
 * Parsing the filters of an audit read, shared by `GET /gateway/v1/audit` and `taxii-gateway audit`:
 * since/until as an RFC 3339 timestamp or a duration back from now (`90s`, `15m`, `24h`, `7d`), principal,
 * collection, action, limit, next. Returns the query or the first problem as text.
 */
import type { AuditAction } from './audit-event';
import { isStreamId, type AuditQuery } from './audit-log';

const DURATION = /^(\d{1,9})([smhd])$/;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** Date and time with optional fraction and a Z or ±hh:mm offset; Date.parse does the arithmetic. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const COLLECTION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Every action an audit read may filter on (the console's audit page offers the same list). */
export const AUDIT_ACTIONS: readonly AuditAction[] = [
  'discovery',
  'api_root',
  'collections',
  'collection',
  'get_objects',
  'get_object',
  'get_manifest',
  'get_versions',
  'add_objects',
  'delete_object',
  'get_status',
  'lookup',
  'audit_read',
  'ingest',
  'ingest_refused',
  'import',
  'export',
  'inquiry_open',
  'inquiry_list',
  'inquiry_read',
  'inquiry_acknowledge',
  'inquiry_answer',
  'inquiry_request_clarification',
  'inquiry_clarify',
  'inquiry_close',
  'inquiry_withdraw',
  'other',
];
const ACTIONS: ReadonlySet<string> = new Set<string>(AUDIT_ACTIONS);

/** The filters of an audit read (the console's audit page and CSV export take the same ones). */
export type AuditFilter = 'since' | 'until' | 'principal' | 'collection' | 'action';

export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 1000;

function isAction(s: string): s is AuditAction {
  return ACTIONS.has(s);
}

/** A point in time: RFC 3339 (a date alone means its midnight UTC) or a duration back from `nowMs`. */
export function parseInstant(text: string, nowMs: number): number | undefined {
  const d = DURATION.exec(text);
  if (d) return nowMs - Number(d[1]) * (UNIT_MS[d[2] ?? 's'] ?? 1000);
  if (!RFC3339.test(text)) return undefined;
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? undefined : ms;
}

export type AuditParams = Readonly<Record<AuditFilter | 'limit' | 'next', string | undefined>>;

/** Turns raw parameters into a query; `since` is required so nobody dumps the whole trail by accident. */
export function buildAuditQuery(p: AuditParams, nowMs: number, maxLimit = MAX_AUDIT_LIMIT): AuditQuery | string {
  if (p.since === undefined) return 'since is required (an RFC 3339 timestamp, or a duration such as 24h or 7d)';
  const sinceMs = parseInstant(p.since, nowMs);
  if (sinceMs === undefined) return `since: "${p.since.slice(0, 60)}" is neither an RFC 3339 timestamp nor a duration like 24h`;
  let untilMs: number | undefined;
  if (p.until !== undefined) {
    untilMs = parseInstant(p.until, nowMs);
    if (untilMs === undefined) return `until: "${p.until.slice(0, 60)}" is neither an RFC 3339 timestamp nor a duration like 1h`;
  }
  if (p.principal !== undefined && !NAME.test(p.principal)) return 'principal: not a principal name';
  if (p.collection !== undefined && !COLLECTION.test(p.collection)) return 'collection: not a collection id';
  if (p.action !== undefined && !isAction(p.action)) return `action: must be one of ${[...ACTIONS].join(', ')}`;
  if (p.next !== undefined && !isStreamId(p.next)) return 'next: not a value this server produced';
  let limit = DEFAULT_AUDIT_LIMIT;
  if (p.limit !== undefined) {
    if (!/^\d{1,7}$/.test(p.limit) || Number(p.limit) < 1) return 'limit: must be a positive integer';
    limit = Math.min(Number(p.limit), maxLimit);
  }
  return {
    sinceMs,
    limit,
    ...(untilMs === undefined ? {} : { untilMs }),
    ...(p.principal === undefined ? {} : { principal: p.principal }),
    ...(p.collection === undefined ? {} : { collection: p.collection }),
    ...(p.action === undefined || !isAction(p.action) ? {} : { action: p.action }),
    ...(p.next === undefined ? {} : { after: p.next }),
  };
}
