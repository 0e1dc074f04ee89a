/**
 * Dates as IOC lists write them, turned into STIX timestamps. Without a zone, UTC is assumed (policy, see
 * docs/mapping/csv.md). Slash dates are US month/day unless the first number cannot be a month; dotted
 * dates are day.month.year (European and Russian sources). Epoch seconds and milliseconds are understood.
 */

const ISO_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s?(Z|[+-]\d{2}:?\d{2}|UTC)?$/i;
const SLASH_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s?(AM|PM)?)?$/i;
const DOT_RE = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const EPOCH_RE = /^(\d{9,10}|\d{12,13})$/;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 4) return n;
  return n < 70 ? 2000 + n : 1900 + n;
}

/** Builds the timestamp when every part is in range; `offsetMinutes` is subtracted to get UTC. */
function build(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  fraction: string,
  offsetMinutes: number,
): string | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || y < 1970 || y > 2200) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - offsetMinutes * 60_000;
  const t = new Date(ms);
  if (offsetMinutes === 0 && t.getUTCDate() !== d) return undefined;
  const frac = fraction.length > 0 ? `.${fraction}` : '';
  return (
    `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}` +
    `T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}${frac}Z`
  );
}

function offsetOf(zone: string | undefined): number {
  if (zone === undefined || /^(z|utc)$/i.test(zone)) return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
}

/** The STIX timestamp of a date cell, or undefined when the text is not a date this reader knows. */
export function parseCsvDate(text: string): string | undefined {
  const t = text.trim();
  if (t.length === 0 || t.length > 40) return undefined;
  const iso = ISO_RE.exec(t);
  if (iso) {
    return build(
      Number(iso[1]),
      Number(iso[2]),
      Number(iso[3]),
      Number(iso[4] ?? 0),
      Number(iso[5] ?? 0),
      Number(iso[6] ?? 0),
      iso[7] ?? '',
      offsetOf(iso[8]),
    );
  }
  const slash = SLASH_RE.exec(t);
  if (slash) {
    let month = Number(slash[1]);
    let day = Number(slash[2]);
    if (month > 12 && day <= 12) [month, day] = [day, month];
    let hour = Number(slash[4] ?? 0);
    const ampm = slash[7]?.toUpperCase();
    if (ampm === 'PM' && hour < 12) hour += 12;
    if (ampm === 'AM' && hour === 12) hour = 0;
    return build(fullYear(slash[3] ?? ''), month, day, hour, Number(slash[5] ?? 0), Number(slash[6] ?? 0), '', 0);
  }
  const dot = DOT_RE.exec(t);
  if (dot) {
    return build(
      fullYear(dot[3] ?? ''),
      Number(dot[2]),
      Number(dot[1]),
      Number(dot[4] ?? 0),
      Number(dot[5] ?? 0),
      Number(dot[6] ?? 0),
      '',
      0,
    );
  }
  const epoch = EPOCH_RE.exec(t);
  if (epoch) {
    const ms = t.length >= 12 ? Number(t) : Number(t) * 1000;
    const d = new Date(ms);
    return build(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), '', 0);
  }
  return undefined;
}
