/**
 * Narrowing helpers for untrusted MISP JSON: MISP writes booleans and numbers either as JSON values or as
 * strings ("1", "0", "1472541011"), so every reader here accepts both spellings.
 */
import { formatMicros, parseTimestamp } from '../../stix/time';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string property (numbers are turned into their decimal text), or undefined. */
export function str(record: JsonRecord, key: string): string | undefined {
  const v = record[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A non-empty trimmed string property, or undefined. */
export function text(record: JsonRecord, key: string): string | undefined {
  const v = str(record, key)?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** A boolean written as true/false, 1/0 or "1"/"0"/"true"/"false"; undefined when absent or unreadable. */
export function bool(record: JsonRecord, key: string): boolean | undefined {
  const v = record[key];
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'true' || v === 'True') return true;
  if (v === 0 || v === '0' || v === 'false' || v === 'False') return false;
  return undefined;
}

/** The records of an array property (non-record entries are reported by the caller through the count). */
export function records(record: JsonRecord, key: string): JsonRecord[] {
  const v = record[key];
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord);
}

/** Epoch seconds (string or number) → RFC 3339 timestamp; undefined when not a positive integer. */
export function epochToTimestamp(value: string | undefined): string | undefined {
  if (value === undefined || !/^\d{1,12}$/.test(value)) return undefined;
  const secs = Number(value);
  if (secs <= 0) return undefined;
  return formatMicros(secs * 1_000_000);
}

/** RFC 3339 timestamp → epoch seconds as MISP writes them (a decimal string). */
export function timestampToEpoch(ts: string): string | undefined {
  const p = parseTimestamp(ts);
  return p === undefined ? undefined : String(Math.floor(p.micros / 1_000_000));
}

/**
 * MISP first_seen/last_seen are ISO 8601 with an offset (`2019-06-13T15:56:56.000000+00:00`); STIX wants UTC
 * with `Z`. Only a zero offset is converted without going through Date (other offsets are rare and are
 * converted at second precision).
 */
export function isoToStixTimestamp(value: string | undefined): string | undefined {
  if (value === undefined || value.length > 40) return undefined;
  const v = value.trim().replace(' ', 'T');
  if (parseTimestamp(v) !== undefined) return v;
  const zero = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(?:\+00:?00|-00:?00)$/.exec(v);
  if (zero?.[1] !== undefined && parseTimestamp(`${zero[1]}Z`) !== undefined) return `${zero[1]}Z`;
  const offset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?[+-]\d{2}:?\d{2}$/.test(v);
  if (!offset) return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? formatMicros(Math.floor(ms / 1000) * 1_000_000) : undefined;
}

/** `YYYY-MM-DD` → midnight UTC timestamp, or undefined. */
export function dateToTimestamp(value: string | undefined): string | undefined {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const ts = `${value}T00:00:00.000000Z`;
  return parseTimestamp(ts) === undefined ? undefined : ts;
}
