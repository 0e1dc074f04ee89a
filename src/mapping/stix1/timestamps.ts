/**
 * XML formats write xs:dateTime values with numeric offsets or no zone at all; STIX 2.1 wants UTC with `Z`.
 * The conversion keeps the written fractional digits (no JS Date round trip of the fraction).
 */
import { isTimestamp } from '../../stix/time';

export interface ConvertedTimestamp {
  readonly value: string;
  /** True when the input had no zone and UTC was assumed. */
  readonly assumedUtc: boolean;
}

const XS_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d{1,9}))?)?\s*([Zz]|[+-]\d{2}:?\d{2})?$/;

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** Converts an xs:dateTime (or date) to an RFC 3339 UTC timestamp; undefined when unreadable or before 1900. */
export function toStixTimestamp(text: string | undefined): ConvertedTimestamp | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t.length > 64) return undefined;
  const m = XS_DATETIME.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac, zone] = m;
  const year = Number(y);
  if (year < 1900) return undefined;
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  const ms = Date.UTC(year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetMinutes * 60_000;
  if (!Number.isFinite(ms)) return undefined;
  const dt = new Date(ms);
  const value =
    `${pad(dt.getUTCFullYear(), 4)}-${pad(dt.getUTCMonth() + 1, 2)}-${pad(dt.getUTCDate(), 2)}` +
    `T${pad(dt.getUTCHours(), 2)}:${pad(dt.getUTCMinutes(), 2)}:${pad(dt.getUTCSeconds(), 2)}` +
    `${frac !== undefined ? `.${frac}` : ''}Z`;
  if (!isTimestamp(value)) return undefined;
  return { value, assumedUtc: zone === undefined };
}
