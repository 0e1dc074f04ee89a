/**
 * Value-type inference for untyped IOC text (CSV cells, text-list lines, tokens from prose): refang, then
 * decide which STIX cyber-observable the value is. Conservative by design: a word is only a domain when its
 * last label is a real TLD, so prose (`e.g`, `i.e`) and file names (`invoice.pdf`) are never taken for domains.
 * Also builds the STIX pattern of an inferred value, so CSV and TXT importers write identical patterns.
 */
import { isIP } from 'node:net';
import { patternPathKey, quotePatternString } from '../../stix/pattern/quote';
import { canonicalDomain, canonicalEmail, canonicalIpv4, canonicalIpv6, canonicalUrl, refang } from '../../stix/values';
import { DOMAIN_FIRST_EXTENSIONS, FILE_EXTENSIONS, isKnownTld } from './tlds';

export type InferredType =
  | 'ipv4-addr'
  | 'ipv6-addr'
  | 'domain-name'
  | 'url'
  | 'email-addr'
  | 'file-hash'
  | 'file-name'
  | 'autonomous-system'
  | 'cve'
  /** Only from a declared type (a `Mutex` type word or column): never inferred from the value alone. */
  | 'mutex'
  | 'unknown';

export type HashAlgorithm = 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-512';

export interface InferredValue {
  readonly type: InferredType;
  /** The refanged value (hashes and domains lower-cased, `AS` prefix removed, port and brackets stripped). */
  readonly value: string;
  readonly hashAlgorithm?: HashAlgorithm;
  /** Destination port written with an IP or domain (`1.2.3.4:443`, `[::1]:443`, `host.com:8080`). */
  readonly port?: number;
  /** True when defanging (`hxxp`, `[.]`, ...) was undone. */
  readonly refanged: boolean;
  /** Why the value is `unknown` (placeholder, masked, unknown TLD, ...). */
  readonly reason?: string;
  /** True when an `unknown` value is a deliberate mask or placeholder (`1.2.3.x`, `[REDACTED]`, `N/A`). */
  readonly masked?: boolean;
}

/** Longest text inference looks at; longer cells and tokens are not indicators. */
export const MAX_VALUE_LENGTH = 8192;

const HASH_BY_LENGTH: Readonly<Record<number, HashAlgorithm>> = {
  32: 'MD5',
  40: 'SHA-1',
  64: 'SHA-256',
  128: 'SHA-512',
};
const HEX_RE = /^[0-9a-fA-F]+$/;
const CVE_RE = /^CVE-(\d{4})-(\d{4,7})$/i;
const ASN_RE = /^AS(?:N)?[ ]?(\d{1,10})$/i;
const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2})|:(\d{1,5}))?$/;
const BRACKETED_V6_PORT_RE = /^\[([0-9a-fA-F:.]{2,45})\]:(\d{1,5})$/;
const SCHEME_RE = /^([a-zA-Z][a-zA-Z0-9+.-]{0,15}):\/\/([^\s/?#]{1,255})/;
const LABEL_RE = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_-]{0,61}[\p{L}\p{N}_])?$/u;
const PORT_SUFFIX_RE = /^(.{1,253}):(\d{1,5})$/;
/** Words that stand for "no value" in IOC tables. */
const PLACEHOLDERS: ReadonlySet<string> = new Set([
  'n/a',
  'na',
  'none',
  'null',
  'nil',
  '-',
  '--',
  '?',
  'unknown',
  'tbd',
  'redacted',
  '[redacted]',
  '<redacted>',
  '(redacted)',
  'removed',
  '[removed]',
  'hidden',
  'xxx',
  'nan',
  'undefined',
]);

function unknown(value: string, refanged: boolean, reason: string, masked = false): InferredValue {
  return masked ? { type: 'unknown', value, refanged, reason, masked } : { type: 'unknown', value, refanged, reason };
}

function validPort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

/** True for a dotted IPv4 with every octet 0–255. */
function validIpv4(a: string, b: string, c: string, d: string): boolean {
  return [a, b, c, d].every((o) => Number(o) <= 255);
}

/** A masked address such as `1.2.3.x`, `xxx.xxx.xxx.xxx` or `10.0.*.*`. */
function looksMasked(value: string): boolean {
  // Stars or an ellipsis inside something shaped like a host, address or e-mail (`t****.h****@yahoo.com`).
  if ((value.includes('*') || value.includes('…')) && /^[\w*….:@-]+$/.test(value) && /[.@:]/.test(value)) return true;
  const parts = value.split('.');
  if (parts.length === 4 && parts.every((p) => /^(?:\d{1,3}|[xX]{1,3})$/.test(p)) && parts.some((p) => /[xX]/.test(p))) {
    return true;
  }
  return /redacted/i.test(value);
}

/** Labels of a host name, or undefined when it is not syntactically a host name of at least two labels. */
function hostLabels(host: string): string[] | undefined {
  if (host.length > 253 || host.length < 3) return undefined;
  const labels = host.split('.');
  if (labels.length < 2) return undefined;
  for (const l of labels) if (!LABEL_RE.test(l)) return undefined;
  return labels;
}

/** A host name whose last label is a known TLD (and not all digits). */
function isRealDomain(host: string): boolean {
  const labels = hostLabels(host);
  const tld = labels?.[labels.length - 1];
  return tld !== undefined && isKnownTld(tld);
}

function isHost(host: string): boolean {
  const m = IPV4_RE.exec(host);
  if (m && m[1] && m[2] && m[3] && m[4] && m[5] === undefined) return validIpv4(m[1], m[2], m[3], m[4]);
  if (host.startsWith('[') && host.includes(']')) return isIP(host.slice(1, host.indexOf(']'))) === 6;
  return isRealDomain(host.toLowerCase());
}

/** The file extension of a name (lower case, without the dot), or undefined. */
function extensionOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return name.slice(dot + 1).toLowerCase();
}

function inferEmail(value: string, refanged: boolean): InferredValue | undefined {
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@')) return undefined;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (local.length > 64 || !/^[A-Za-z0-9._%+'=!#$&/?^`{|}~-]+$/.test(local)) return undefined;
  if (!isRealDomain(domain)) return undefined;
  return { type: 'email-addr', value: `${local}@${domain}`, refanged };
}

function inferIp(value: string, refanged: boolean): InferredValue | undefined {
  const m4 = IPV4_RE.exec(value);
  if (m4 && m4[1] && m4[2] && m4[3] && m4[4]) {
    if (!validIpv4(m4[1], m4[2], m4[3], m4[4])) return unknown(value, refanged, 'IPv4 octet out of range');
    const cidr = m4[5];
    if (cidr !== undefined && Number(cidr) > 32) return unknown(value, refanged, 'IPv4 prefix length out of range');
    const port = validPort(m4[6]);
    if (m4[6] !== undefined && port === undefined) return unknown(value, refanged, 'port out of range');
    const base = `${m4[1]}.${m4[2]}.${m4[3]}.${m4[4]}`;
    const v = cidr === undefined ? base : `${base}/${cidr}`;
    return port === undefined ? { type: 'ipv4-addr', value: v, refanged } : { type: 'ipv4-addr', value: v, port, refanged };
  }
  const b6 = BRACKETED_V6_PORT_RE.exec(value);
  if (b6 && b6[1] && isIP(b6[1]) === 6) {
    const port = validPort(b6[2]);
    if (port === undefined) return unknown(value, refanged, 'port out of range');
    return { type: 'ipv6-addr', value: b6[1].toLowerCase(), port, refanged };
  }
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  const slash = bare.indexOf('/');
  const addr = slash < 0 ? bare : bare.slice(0, slash);
  if (addr.includes(':') && isIP(addr) === 6) {
    if (slash < 0) return { type: 'ipv6-addr', value: addr.toLowerCase(), refanged };
    const prefix = bare.slice(slash + 1);
    if (/^\d{1,3}$/.test(prefix) && Number(prefix) <= 128) {
      return { type: 'ipv6-addr', value: `${addr.toLowerCase()}/${prefix}`, refanged };
    }
  }
  return undefined;
}

function inferPath(value: string, refanged: boolean): InferredValue | undefined {
  // Windows paths (`C:\Users\x.exe`, `%APPDATA%\x.dll`) and absolute Unix paths name files.
  if (/^(?:[A-Za-z]:\\|%[A-Za-z_]{1,40}%\\|\\\\)/.test(value)) return { type: 'file-name', value, refanged };
  if (value.startsWith('/') && !value.startsWith('//') && extensionOf(value) !== undefined && !/[\s?=&#]/.test(value)) {
    return { type: 'file-name', value, refanged };
  }
  return undefined;
}

function inferHostLike(value: string, refanged: boolean): InferredValue {
  const lower = value.toLowerCase();
  const portMatch = PORT_SUFFIX_RE.exec(lower);
  const host = portMatch?.[1] ?? lower;
  const port = validPort(portMatch?.[2]);
  const labels = hostLabels(host);
  const ext = extensionOf(value);
  if (labels === undefined) {
    if (ext !== undefined && FILE_EXTENSIONS.has(ext) && !/[\\/:]/.test(value)) return { type: 'file-name', value, refanged };
    return unknown(value, refanged, 'not a recognized indicator value');
  }
  const tld = labels[labels.length - 1] ?? '';
  if (portMatch === null && ext !== undefined && FILE_EXTENSIONS.has(ext)) {
    const fileFirst = !isKnownTld(ext) || (!DOMAIN_FIRST_EXTENSIONS.has(ext) && labels.length === 2);
    if (fileFirst) return { type: 'file-name', value, refanged };
  }
  if (/^\d+$/.test(tld)) return unknown(value, refanged, 'looks like a number or version, not a host');
  if (!isKnownTld(tld)) return unknown(value, refanged, `".${tld}" is not a known top-level domain`);
  if (portMatch !== null && port === undefined) return unknown(value, refanged, 'port out of range');
  return port === undefined ? { type: 'domain-name', value: host, refanged } : { type: 'domain-name', value: host, port, refanged };
}

/**
 * Infers the STIX type of one IOC value written as text. Refangs first; `unknown` results carry a reason,
 * and `masked: true` when the value is a placeholder or a deliberately masked value.
 */
export function inferValueType(text: string): InferredValue {
  const v = inferRaw(text);
  const canonical = canonicalValue(v);
  return canonical === undefined || canonical === v.value ? v : { ...v, value: canonical };
}

/** The canonical text form of an inferred value (shared value helpers), or undefined to keep it as is. */
function canonicalValue(v: InferredValue): string | undefined {
  switch (v.type) {
    case 'ipv4-addr':
      return canonicalIpv4(v.value);
    case 'ipv6-addr':
      return canonicalIpv6(v.value);
    case 'domain-name':
      return canonicalDomain(v.value);
    case 'url':
      return canonicalUrl(v.value);
    case 'email-addr':
      return canonicalEmail(v.value);
    default:
      return undefined;
  }
}

/** Whether a cell says "no value" (`None`, `N/A`, `-`, `null`, …) rather than holding one. */
export function isPlaceholder(text: string): boolean {
  return PLACEHOLDERS.has(text.trim().toLowerCase());
}

function inferRaw(text: string): InferredValue {
  const trimmed = text.trim();
  if (trimmed.length === 0) return unknown('', false, 'empty value', true);
  if (trimmed.length > MAX_VALUE_LENGTH) return unknown(trimmed.slice(0, 64), false, `longer than ${MAX_VALUE_LENGTH} characters`);
  if (PLACEHOLDERS.has(trimmed.toLowerCase())) return unknown(trimmed, false, `placeholder "${trimmed}"`, true);
  const r = refang(trimmed);
  const value = r.value.trim();
  const refanged = r.changed;
  if (looksMasked(value)) return unknown(value, refanged, 'masked or redacted value', true);

  if (HEX_RE.test(value)) {
    const algorithm = HASH_BY_LENGTH[value.length];
    if (algorithm !== undefined) return { type: 'file-hash', value: value.toLowerCase(), hashAlgorithm: algorithm, refanged };
    if (value.length >= 24)
      return unknown(value, refanged, `hex string of ${value.length} digits is not an MD5/SHA-1/SHA-256/SHA-512 hash`);
  }
  const cve = CVE_RE.exec(value);
  if (cve) return { type: 'cve', value: value.toUpperCase(), refanged };
  const asn = ASN_RE.exec(value);
  if (asn && asn[1] !== undefined) {
    const n = Number(asn[1]);
    if (n > 4294967295) return unknown(value, refanged, 'AS number out of range');
    return { type: 'autonomous-system', value: String(n), refanged };
  }
  const ip = inferIp(value, refanged);
  if (ip) return ip;
  if (/\s/.test(value)) {
    // Only a file name may contain spaces ("deed contract 07.06.2020.doc").
    const ext = extensionOf(value);
    if (ext !== undefined && FILE_EXTENSIONS.has(ext) && /^[^\t\r\n\\/:*?"<>|;=]+$/.test(value) && value.length <= 255) {
      return { type: 'file-name', value, refanged };
    }
    return unknown(value, refanged, 'contains whitespace');
  }
  const scheme = SCHEME_RE.exec(value);
  if (scheme && scheme[2] !== undefined) {
    const authority = scheme[2].includes('@') ? scheme[2].slice(scheme[2].lastIndexOf('@') + 1) : scheme[2];
    const host = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.replace(/:\d{1,5}$/, '');
    if (!isHost(host)) return unknown(value, refanged, 'URL host is not an IP address or a known domain');
    return { type: 'url', value, refanged };
  }
  const path = inferPath(value, refanged);
  if (path) return path;
  if (value.includes('@')) return inferEmail(value, refanged) ?? unknown(value, refanged, 'not a valid e-mail address');
  const slash = value.indexOf('/');
  if (slash > 0) {
    const host = value.slice(0, slash);
    if (isHost(host.replace(/:\d{1,5}$/, ''))) return { type: 'url', value, refanged };
    return unknown(value, refanged, 'not a recognized indicator value');
  }
  return inferHostLike(value, refanged);
}

/** The STIX object type an inferred value becomes in a pattern (`file-hash`/`file-name` → `file`). */
export function stixTypeOf(type: InferredType): string | undefined {
  switch (type) {
    case 'file-hash':
    case 'file-name':
      return 'file';
    case 'cve':
    case 'unknown':
      return undefined;
    default:
      return type;
  }
}

/** One comparison of a file pattern on a hash. */
export function hashComparison(algorithm: string, value: string): string {
  return `file:hashes.${patternPathKey(algorithm)} = ${quotePatternString(value)}`;
}

/** The comparison expression of a file name or a full file path (name plus parent directory). */
function fileNameComparison(value: string): string {
  const cut = Math.max(value.lastIndexOf('\\'), value.lastIndexOf('/'));
  if (cut <= 0 || cut === value.length - 1) return `file:name = ${quotePatternString(value)}`;
  return (
    `file:name = ${quotePatternString(value.slice(cut + 1))} AND ` +
    `file:parent_directory_ref.path = ${quotePatternString(value.slice(0, cut))}`
  );
}

/**
 * The STIX pattern of one inferred value, or undefined for `cve` and `unknown`. A port makes the pattern a
 * network-traffic one so every comparison stays on one root object type.
 */
export function patternForValue(v: InferredValue): string | undefined {
  switch (v.type) {
    case 'file-hash':
      return v.hashAlgorithm === undefined ? undefined : `[${hashComparison(v.hashAlgorithm, v.value)}]`;
    case 'file-name':
      return `[${fileNameComparison(v.value)}]`;
    case 'autonomous-system':
      return `[autonomous-system:number = ${Number(v.value)}]`;
    case 'ipv4-addr':
    case 'ipv6-addr':
    case 'domain-name':
      if (v.port !== undefined) {
        return (
          `[network-traffic:dst_ref.type = '${v.type}' AND network-traffic:dst_ref.value = ${quotePatternString(v.value)}` +
          ` AND network-traffic:dst_port = ${v.port}]`
        );
      }
      return `[${v.type}:value = ${quotePatternString(v.value)}]`;
    case 'url':
    case 'email-addr':
      return `[${v.type}:value = ${quotePatternString(v.value)}]`;
    case 'mutex':
      return `[mutex:name = ${quotePatternString(v.value)}]`;
    case 'cve':
    case 'unknown':
      return undefined;
  }
}
