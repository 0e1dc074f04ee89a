/**
 * Canonical timestamp text. Policy: the instant and the written precision are kept exactly (never rounded,
 * never through JS Date); `t`/`z` are upper-cased; `created`/`modified` of SDOs, SROs and meta objects, which
 * STIX 2.1 requires to be precise to the millisecond, are padded with zeros to 3 fractional digits (the
 * instant does not change, and a repost of the same object pads the same way, so versions stay stable).
 */
import { type ContentIssue, issue } from '../issues';
import { TIMESTAMP_PROPERTIES } from '../semantic/stix-types';
import { parseTimestamp } from '../time';

/**
 * The canonical form of an RFC 3339 UTC timestamp, or undefined when `text` is not one.
 * With `padMillis`, fewer than 3 fractional digits are padded to 3.
 */
export function canonicalTimestamp(text: string, padMillis: boolean): string | undefined {
  const parsed = parseTimestamp(text);
  if (parsed === undefined) return undefined;
  // A valid timestamp's only letters are T/t (position 10) and Z/z (last).
  let out = text.charCodeAt(10) === 116 /* t */ || text.charCodeAt(text.length - 1) === 122 /* z */ ? text.toUpperCase() : text;
  if (padMillis && parsed.fractionDigits < 3) {
    const body = out.slice(0, -1);
    out = parsed.fractionDigits === 0 ? `${body}.000Z` : `${body}${'0'.repeat(3 - parsed.fractionDigits)}Z`;
  }
  return out;
}

/**
 * Canonicalizes every top-level timestamp of `out` in place (`out` is a copy owned by the caller), reporting
 * each change. `padCreated`: pad `created`/`modified` to milliseconds.
 */
export function canonicalizeTimestamps(
  out: Record<string, unknown>,
  id: string | undefined,
  padCreated: boolean,
  changes: ContentIssue[],
): void {
  for (const key in out) {
    if (!TIMESTAMP_PROPERTIES.has(key)) continue;
    const v = out[key];
    if (typeof v !== 'string') continue;
    const pad = padCreated && (key === 'created' || key === 'modified');
    if (needsNoChange(v, pad)) continue;
    const c = canonicalTimestamp(v, pad);
    if (c !== undefined && c !== v) {
      out[key] = c;
      changes.push(issue('info', 'TIMESTAMP_CANONICALIZED', `/${key}`, `timestamp canonicalized: '${v}' → '${c}'`, id));
    }
  }
}

/**
 * True when canonicalTimestamp(text, padMillis) would leave `text` as it is, seen without parsing it: upper-case
 * `T` and `Z` and, with `padMillis`, at least 3 fractional digits. A valid timestamp written so is canonical, and
 * an invalid one is left as posted anyway (canonicalTimestamp returns undefined).
 */
function needsNoChange(text: string, padMillis: boolean): boolean {
  const len = text.length;
  if (text.charCodeAt(10) === 116 /* t */ || text.charCodeAt(len - 1) === 122 /* z */) return false;
  // `YYYY-MM-DDTHH:MM:SS.fffZ`: 24 characters with a `.` at 19 has 3 or more fractional digits.
  return !padMillis || (len >= 24 && text.charCodeAt(19) === 46); /* . */
}

/**
 * True when some top-level timestamp is written with a lower-case `t` or `z` (repaired before schema checks).
 * In a timestamp they can only stand at offset 10 and at the end; text with them elsewhere is no timestamp,
 * which canonicalization leaves as it is anyway.
 */
export function hasLowerCaseTimestamp(obj: Record<string, unknown>): boolean {
  for (const key in obj) {
    const v = obj[key];
    if (typeof v !== 'string' || (v.charCodeAt(10) !== 116 /* t */ && v.charCodeAt(v.length - 1) !== 122) /* z */) continue;
    if (TIMESTAMP_PROPERTIES.has(key)) return true;
  }
  return false;
}
