/**
 * Precision-preserving STIX/TAXII timestamps. A timestamp is kept as its string, or as an integer number of
 * microseconds since the epoch (exact in a double until the year 2255); it never goes through JS `Date`
 * with its fractional part, which would truncate microseconds to milliseconds.
 */

/**
 * The accepted form: RFC 3339 date-time in UTC with `Z`, 0–9 fractional digits, i.e. exactly
 * `^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?[Zz]$` (`\d` = ASCII 0-9). The parser
 * below reads it by position instead of through that RegExp: timestamps are parsed several times per ingested
 * object, and the RegExp with its captures was the largest single cost of the prepare stage.
 */
export interface ParsedTimestamp {
  /** Microseconds since 1970-01-01T00:00:00Z (digits beyond the 6th are dropped). */
  readonly micros: number;
  /** Number of fractional-second digits written in the input (0–9). */
  readonly fractionDigits: number;
  /** True when digits beyond microseconds were non-zero (the value was truncated to µs). */
  readonly truncated: boolean;
}

/** 10^0 … 10^6 (scales the first fractional digits to microseconds). */
const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Length of `YYYY-MM-DDTHH:MM:SS`. */
const SECONDS_END = 19;
/** The longest accepted timestamp: 19 + `.` + 9 digits + `Z`. */
const MAX_TIMESTAMP_LENGTH = 30;

/** The value of the `count` ASCII digits at `start`, or -1 when one of them is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Parses an RFC 3339 UTC timestamp; returns undefined when the text is not one (including impossible dates). */
/**
 * Seconds since the epoch of a UTC date-time in the proleptic Gregorian calendar (what Date.UTC computes, but
 * years 0–99 are those years, not 19xx), by integer arithmetic (days_from_civil, H. Hinnant) without a Date.
 */
function utcSeconds(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  // Counted from March 1st, so that the leap day is the last day of the (shifted) year.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  const days = era * 146097 + dayOfEra - 719468; // 719468: days from 0000-03-01 to 1970-01-01
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

export function parseTimestamp(text: string): ParsedTimestamp | undefined {
  const len = text.length;
  // Without a fraction: 19 characters + Z. With one: 19 + `.` + 1–9 digits + Z.
  if (len !== SECONDS_END + 1 && (len < SECONDS_END + 3 || len > MAX_TIMESTAMP_LENGTH)) return undefined;
  const zone = text.charCodeAt(len - 1);
  if (zone !== 90 /* Z */ && zone !== 122 /* z */) return undefined;
  const t = text.charCodeAt(10);
  if (
    text.charCodeAt(4) !== 45 /* - */ ||
    text.charCodeAt(7) !== 45 ||
    (t !== 84 /* T */ && t !== 116) /* t */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    text.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  // Fractional digits are read in place: the first 6 as microseconds, the rest only to know whether they are zero.
  const fractionDigits = len > SECONDS_END + 1 ? len - SECONDS_END - 2 : 0;
  if (fractionDigits > 0 && (text.charCodeAt(SECONDS_END) !== 46 /* . */ || digitsAt(text, SECONDS_END + 1, fractionDigits) < 0)) {
    return undefined;
  }
  if (month < 1 || month > 12 || day < 1) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const maxDay = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 31);
  if (day > maxDay || hour > 23 || minute > 59 || second > 60) return undefined;
  // A leap second (:60) is folded onto :59.999999 so ordering stays monotonic.
  const secs = utcSeconds(year, month, day, hour, minute, Math.min(second, 59));
  const microDigits = Math.min(fractionDigits, 6);
  const micros6 = microDigits === 0 ? 0 : digitsAt(text, SECONDS_END + 1, microDigits) * (POWERS_OF_TEN[6 - microDigits] ?? 1);
  const extra = second === 60 ? 999999 : micros6;
  return {
    micros: secs * 1_000_000 + extra,
    fractionDigits,
    truncated: fractionDigits > 6 && digitsAt(text, SECONDS_END + 7, fractionDigits - 6) > 0,
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
  return compareParsedTimestamps(a, pa, b, pb);
}

/** compareTimestamps for timestamps already parsed (`pa` = parseTimestamp(a), `pb` = parseTimestamp(b)). */
export function compareParsedTimestamps(a: string, pa: ParsedTimestamp, b: string, pb: ParsedTimestamp): number {
  if (pa.micros !== pb.micros) return pa.micros - pb.micros;
  // Digits beyond microseconds are all that is left to compare; with 6 or fewer written there are none.
  if (pa.fractionDigits <= 6 && pb.fractionDigits <= 6) return 0;
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
