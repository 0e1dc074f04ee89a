/**
 * Canonical domain names, e-mail addresses and URLs. Only the parts that are case-insensitive by definition
 * are folded (scheme, host, e-mail domain); paths, queries and e-mail local parts are kept as written.
 */
import { domainToASCII } from 'node:url';
import { canonicalIpv4, canonicalIpv6 } from './ip';

const MAX_DOMAIN = 253;
const MAX_LABEL = 63;
const MAX_URL = 8192;

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7e) return false;
  return true;
}

/**
 * `d[from, to)` is a label of letters, digits, `-` and `_` (seen in real DNS names), not starting or ending with
 * `-` (checked in place, without slicing the label out).
 */
function isLabelAt(d: string, from: number, to: number): boolean {
  if (to === from || to - from > MAX_LABEL) return false;
  if (d.charCodeAt(from) === 45 || d.charCodeAt(to - 1) === 45) return false;
  for (let i = from; i < to; i++) {
    const c = d.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;
    if (!ok) return false;
  }
  return true;
}

function isAllDigitsAt(d: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = d.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return to > from;
}

/**
 * Canonical domain name: trimmed, lower case, one trailing dot removed, internationalized names converted to
 * punycode (`bücher.de` → `xn--bcher-kva.de`). Undefined when a label is empty, too long, holds other
 * characters than letters/digits/`-`/`_`, or the last label is all digits (that is an IP address, not a name).
 */
export function canonicalDomain(text: string): string | undefined {
  let t = text.trim();
  if (t.endsWith('.')) t = t.slice(0, -1);
  if (t.length === 0 || t.length > MAX_DOMAIN * 4) return undefined;
  let d = t.toLowerCase();
  if (!isAscii(d)) {
    d = domainToASCII(d);
    if (d.length === 0) return undefined;
  }
  if (d.length > MAX_DOMAIN) return undefined;
  let labelStart = 0;
  for (let i = 0; i <= d.length; i++) {
    if (i < d.length && d.charCodeAt(i) !== 46 /* . */) continue;
    if (!isLabelAt(d, labelStart, i)) return undefined;
    if (i < d.length) labelStart = i + 1;
  }
  if (isAllDigitsAt(d, labelStart, d.length)) return undefined;
  return d;
}

/**
 * Canonical e-mail address: the domain canonicalized as above, the local part kept as written (it is
 * case-sensitive by RFC 5321). Undefined without exactly one usable `@`, or with whitespace in the local part.
 */
export function canonicalEmail(text: string): string | undefined {
  const t = text.trim();
  const at = t.lastIndexOf('@');
  if (at <= 0 || at > 64) return undefined;
  const local = t.slice(0, at);
  if (/[\s@<>]/.test(local)) return undefined;
  const domain = canonicalDomain(t.slice(at + 1));
  return domain === undefined ? undefined : `${local}@${domain}`;
}

/** Canonical host of a URL: IPv4, bracketed IPv6 or domain name. */
function canonicalHost(host: string): string | undefined {
  if (host.startsWith('[')) {
    if (!host.endsWith(']')) return undefined;
    const v6 = canonicalIpv6(host.slice(1, -1));
    return v6 === undefined || v6.includes('/') ? undefined : `[${v6}]`;
  }
  const v4 = canonicalIpv4(host);
  if (v4 !== undefined) return v4.includes('/') ? undefined : v4;
  return canonicalDomain(host);
}

/**
 * Canonical URL: scheme lower case, host canonicalized (IPv4, `[IPv6]`, domain), user info, port, path, query
 * and fragment kept exactly as written. A URL without a scheme (`evil.com/x`, common in IOC lists) keeps having
 * none: no scheme is invented. Undefined when the host is missing or invalid.
 */
export function canonicalUrl(text: string): string | undefined {
  const t = text.trim();
  if (t.length === 0 || t.length > MAX_URL) return undefined;
  const m = /^([A-Za-z][A-Za-z0-9+.-]{0,31}):\/\//.exec(t);
  const scheme = m?.[1]?.toLowerCase();
  const rest = m ? t.slice(m[0].length) : t;
  // The authority ends at the first '/', '?' or '#'.
  let end = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) {
      end = i;
      break;
    }
  }
  const authority = rest.slice(0, end);
  const tail = rest.slice(end);
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at + 1) : '';
  const hostPort = authority.slice(at + 1);
  let host = hostPort;
  let port = '';
  const close = hostPort.lastIndexOf(']');
  const colon = hostPort.lastIndexOf(':');
  if (colon > close && !(close < 0 && hostPort.indexOf(':') !== colon)) {
    host = hostPort.slice(0, colon);
    port = hostPort.slice(colon);
    if (!/^:[0-9]{0,5}$/.test(port)) return undefined;
  }
  const h = canonicalHost(host);
  if (h === undefined) return undefined;
  return `${scheme === undefined ? '' : `${scheme}://`}${userinfo}${h}${port}${tail}`;
}
