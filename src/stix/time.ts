/**
 * Precision-preserving STIX/TAXII timestamps. A timestamp is kept as its string, or as an integer number of
 * microseconds since the epoch (exact in a double until the year 2255); it never goes through JS `Date`
 * with its fractional part, which would truncate microseconds to milliseconds.
 */

/** RFC 3339 date-time in UTC with `Z`, 0–9 fractional digits. Linear-time (no nested quantifiers). */
const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?[Zz]$/;

export interface ParsedTimestamp {
  /** Microseconds since 1970-01-01T00:00:00Z (digits beyond the 6th are dropped). */
  readonly micros: number;
  /** Number of fractional-second digits written in the input (0–9). */
  readonly fractionDigits: number;
  /** True when digits beyond microseconds were non-zero (the value was truncated to µs). */
  readonly truncated: boolean;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Parses an RFC 3339 UTC timestamp; returns undefined when the text is not one (including impossible dates). */
export function parseTimestamp(text: string): ParsedTimestamp | undefined {
  if (text.length > 40) return undefined;
  const m = RFC3339_UTC.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const maxDay = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 31);
  if (day > maxDay || hour > 23 || minute > 59 || second > 60) return undefined;
  // A leap second (:60) is folded onto :59.999999 so ordering stays monotonic.
  const secs = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59)) / 1000;
  const frac = m[7] ?? '';
  const micros6 = Number((frac + '000000').slice(0, 6));
  const rest = frac.slice(6);
  const extra = second === 60 ? 999999 : micros6;
  return {
    micros: secs * 1_000_000 + extra,
    fractionDigits: frac.length,
    truncated: rest.length > 0 && /[1-9]/.test(rest),
  };
}

/** True when `text` is an RFC 3339 UTC timestamp. */
export function isTimestamp(text: string): boolean {
  return parseTimestamp(text) !== undefined;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Formats microseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always six fractional digits). */
export function formatMicros(micros: number): string {
  const secs = Math.floor(micros / 1_000_000);
  const frac = micros - secs * 1_000_000;
  const d = new Date(secs * 1000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(frac, 6)}Z`
  );
}

/** The current time in microseconds since the epoch (millisecond clock, scaled). */
export function nowMicros(): number {
  return Date.now() * 1000;
}

/**
 * Compares two RFC 3339 UTC timestamps by instant, at full written precision (up to nanoseconds).
 * Returns a negative number, zero or a positive number. Both inputs must be valid timestamps.
 */
export function compareTimestamps(a: string, b: string): number {
  const pa = parseTimestamp(a);
  const pb = parseTimestamp(b);
  if (!pa || !pb) throw new Error('compareTimestamps: invalid timestamp');
  if (pa.micros !== pb.micros) return pa.micros - pb.micros;
  const na = nanosRemainder(a);
  const nb = nanosRemainder(b);
  return na - nb;
}

function nanosRemainder(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return 0;
  const frac = text.slice(dot + 1, text.length - 1);
  return Number((frac.slice(6) + '000').slice(0, 3));
}
