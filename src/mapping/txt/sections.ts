/**
 * Mapping tables of the plain-text converter (data only): heading words that type the lines after them,
 * the headings the exporter writes, and the mail header names whose values are (or are not) indicators.
 */
import type { CsvValueType } from '../csv/types';
import type { ExportKind } from '../csv/export-values';

/** Heading words (lower case, one word each) → the type of the following lines. Checked in this order. */
export const SECTION_WORDS: readonly (readonly [string, CsvValueType])[] = [
  ['sha256', 'sha256'],
  ['sha-256', 'sha256'],
  ['sha1', 'sha1'],
  ['sha-1', 'sha1'],
  ['md5', 'md5'],
  ['sha512', 'sha512'],
  ['sha-512', 'sha512'],
  ['hashes', 'hash'],
  ['hash', 'hash'],
  ['хеши', 'hash'],
  ['хэши', 'hash'],
  ['urls', 'url'],
  ['url', 'url'],
  ['ссылки', 'url'],
  ['domains', 'domain-name'],
  ['domain', 'domain-name'],
  ['hostnames', 'domain-name'],
  ['hosts', 'domain-name'],
  ['fqdns', 'domain-name'],
  ['домены', 'domain-name'],
  ['ipv4', 'ipv4-addr'],
  ['ipv6', 'ipv6-addr'],
  ['ips', 'ip'],
  ['ip', 'ip'],
  ['ip-адреса', 'ip'],
  ['emails', 'email-addr'],
  ['email', 'email-addr'],
  ['e-mail', 'email-addr'],
  ['senders', 'email-addr'],
  ['filenames', 'file-name'],
  ['файлы', 'file-name'],
  ['asns', 'autonomous-system'],
  ['asn', 'autonomous-system'],
  ['cves', 'cve'],
  ['cve', 'cve'],
  ['vulnerabilities', 'cve'],
];

/** Two-word headings ("file names", "as numbers", "ip addresses"). */
export const SECTION_PHRASES: readonly (readonly [string, CsvValueType])[] = [
  ['file names', 'file-name'],
  ['as numbers', 'autonomous-system'],
  ['ip addresses', 'ip'],
  ['ipv4 addresses', 'ipv4-addr'],
  ['ipv6 addresses', 'ipv6-addr'],
  ['e-mail addresses', 'email-addr'],
  ['email addresses', 'email-addr'],
];

/** Section headings the exporter writes, in output order; each is recognized by SECTION_WORDS on import. */
export const EXPORT_SECTIONS: readonly (readonly [ExportKind, string])[] = [
  ['ipv4-addr', 'IPv4 addresses'],
  ['ipv6-addr', 'IPv6 addresses'],
  ['domain-name', 'Domains'],
  ['url', 'URLs'],
  ['email-addr', 'E-mail addresses'],
  ['MD5', 'MD5'],
  ['SHA-1', 'SHA-1'],
  ['SHA-256', 'SHA-256'],
  ['SHA-512', 'SHA-512'],
  ['file-name', 'File names'],
  ['autonomous-system', 'AS numbers'],
  ['cve', 'CVE'],
];

/** Mail headers whose addresses are the sender's: the only header lines indicators are taken from. */
export const SENDER_HEADERS: ReadonlySet<string> = new Set([
  'from',
  'return-path',
  'reply-to',
  'sender',
  'x-originating-ip',
  'x-sender-ip',
  'x-sender',
]);

/**
 * Mail headers that start a header block; their hosts (relays, recipients) are never indicators. Names
 * starting with `x-`, `arc-`, `list-` are mail headers too.
 */
export const MAIL_HEADERS: ReadonlySet<string> = new Set([
  ...SENDER_HEADERS,
  'received',
  'received-spf',
  'authentication-results',
  'dkim-signature',
  'domainkey-signature',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'delivered-to',
  'in-reply-to',
  'references',
  'thread-topic',
  'thread-index',
  'importance',
  'user-agent',
]);
