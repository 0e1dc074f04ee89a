/**
 * Canonical timestamp text. Policy: the instant and the written precision are kept exactly (never rounded,
 * never through JS Date); `t`/`z` are upper-cased; `created`/`modified` of SDOs, SROs and meta objects, which
 * STIX 2.1 requires to be precise to the millisecond, are padded with zeros to 3 fractional digits (the
 * instant does not change, and a repost of the same object pads the same way, so versions stay stable).
 */
import { parseTimestamp } from '../time';

/**
 * The canonical form of an RFC 3339 UTC timestamp, or undefined when `text` is not one.
 * With `padMillis`, fewer than 3 fractional digits are padded to 3.
 */
export function canonicalTimestamp(text: string, padMillis: boolean): string | undefined {
  const parsed = parseTimestamp(text);
  if (parsed === undefined) return undefined;
  let out = text.toUpperCase();
  if (padMillis && parsed.fractionDigits < 3) {
    const body = out.slice(0, -1);
    out = parsed.fractionDigits === 0 ? `${body}.000Z` : `${body}${'0'.repeat(3 - parsed.fractionDigits)}Z`;
  }
  return out;
}
