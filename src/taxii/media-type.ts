/**
 * Media types as RFC 9110 defines them: `type/subtype` (case-insensitive) with `;name=value` parameters
 * (names case-insensitive, values optionally quoted, optional whitespace around `;` and `=`), and Accept lists
 * with q-values and wildcards.
 */

export interface MediaType {
  readonly type: string;
  readonly subtype: string;
  readonly params: ReadonlyMap<string, string>;
  /** The q-value (Accept only); 1 when absent. */
  readonly q: number;
}

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Splits on `sep` outside double quotes. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    if (ch === '\\' && quoted && i + 1 < text.length) {
      cur += ch + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === sep && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/** Parses one media type; undefined when malformed. */
export function parseMediaType(text: string): MediaType | undefined {
  if (text.length > 1024) return undefined;
  const [head, ...rest] = splitOutsideQuotes(text, ';');
  const full = (head ?? '').trim();
  const slash = full.indexOf('/');
  if (slash <= 0) return undefined;
  const type = full.slice(0, slash).toLowerCase();
  const subtype = full.slice(slash + 1).toLowerCase();
  if (!TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  const params = new Map<string, string>();
  let q = 1;
  for (const p of rest) {
    const trimmed = p.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) return undefined;
    const name = trimmed.slice(0, eq).trim().toLowerCase();
    let value = trimmed.slice(eq + 1).trim();
    if (!TOKEN.test(name)) return undefined;
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    if (name === 'q') {
      if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value)) return undefined;
      q = Number(value);
    } else {
      params.set(name, value);
    }
  }
  return { type, subtype, params, q };
}

/** Parses an Accept header into its media ranges; malformed ranges are skipped. */
export function parseAccept(header: string): MediaType[] {
  return splitOutsideQuotes(header, ',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => parseMediaType(part))
    .filter((m): m is MediaType => m !== undefined);
}

/** True when the media type is TAXII 2.1: application/taxii+json with no version or version=2.1. */
export function isTaxii21(m: MediaType): boolean {
  if (m.type !== 'application' || m.subtype !== 'taxii+json') return false;
  const v = m.params.get('version');
  return v === undefined || v === '2.1';
}

/**
 * How specifically a media range names the TAXII 2.1 response type: -1 when it does not match it, 0 for
 * `*\/*`, 1 for `application/*`, 2 for `application/taxii+json`, 3 and more when parameters are given too.
 */
function taxiiSpecificity(m: MediaType): number {
  if (m.type === '*' && m.subtype === '*') return 0;
  if (m.type === 'application' && m.subtype === '*') return 1;
  return isTaxii21(m) ? 2 + m.params.size : -1;
}

/**
 * True when an Accept header admits a TAXII 2.1 response. A missing or empty header admits anything. As RFC
 * 9110 §12.5.1 says, the most specific range that matches decides the q-value, so
 * `application/taxii+json;q=0, *\/*` refuses TAXII although the wildcard alone would admit it; among equally
 * specific ranges the highest q-value counts. A q-value of zero means "not acceptable".
 */
export function acceptsTaxii21(acceptHeader: string | undefined): boolean {
  if (acceptHeader === undefined || acceptHeader.trim() === '') return true;
  let best = -1;
  let q = 0;
  for (const m of parseAccept(acceptHeader)) {
    const s = taxiiSpecificity(m);
    if (s < 0 || s < best) continue;
    q = s > best ? m.q : Math.max(q, m.q);
    best = s;
  }
  return best >= 0 && q > 0;
}
