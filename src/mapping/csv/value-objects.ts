/**
 * The STIX objects of one IOC value or one file's hashes, shared by the CSV and TXT importers so both write
 * the same patterns and the same deterministic ids for the same (source, type, value).
 */
import type { TlpLevel } from '../../stix/markings';
import { tlp2IdFor } from '../../stix/markings';
import { derivedId, indicator, organizationIdentity } from '../common/stix-builders';
import { hashComparison, patternForValue, type HashAlgorithm, type InferredValue } from '../common/infer-type';
import type { ImportOptions, StixObject } from '../types';
import { canonicalDomain, canonicalEmail, canonicalUrl, refang } from '../../stix/values';
import { inferValueType } from '../common/infer-type';
import type { CsvValueType } from './types';

const HASH_OF_TYPE: Partial<Record<CsvValueType, HashAlgorithm>> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha512: 'SHA-512',
};

/** What every indicator of one record carries besides its pattern. */
export interface ValueContext {
  /** Part of every derived id: the configured source name (empty when none). */
  readonly sourceName: string;
  readonly created: string;
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly createdByRef?: string;
  readonly tlp?: TlpLevel;
  readonly indicatorTypes: readonly string[];
  readonly name?: string;
  readonly description?: string;
  readonly labels?: readonly string[];
  readonly confidence?: number;
}

/** The order hashes are written in patterns and ids. */
export const HASH_ORDER: readonly HashAlgorithm[] = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'];

/** The identity key of a value: `<type>` and `<value>[:<port>]`, used in derived ids. */
function valueKey(v: InferredValue): readonly [string, string] {
  return [v.type, v.port === undefined ? v.value : `${v.value}:${v.port}`];
}

/** The value as a reader writes it: an IPv6 address with a port in brackets (`[2001:db8::1]:443`). */
function displayValue(v: InferredValue): string {
  if (v.port === undefined) return v.value;
  return v.type === 'ipv6-addr' ? `[${v.value}]:${v.port}` : `${v.value}:${v.port}`;
}

function baseFields(ctx: ValueContext): Omit<Parameters<typeof indicator>[0], 'id' | 'pattern'> {
  return {
    created: ctx.created,
    valid_from: ctx.validFrom,
    valid_until: ctx.validUntil,
    created_by_ref: ctx.createdByRef,
    object_marking_refs: ctx.tlp === undefined ? undefined : [tlp2IdFor(ctx.tlp)],
    indicator_types: ctx.indicatorTypes,
    name: ctx.name,
    description: ctx.description,
    labels: ctx.labels,
    confidence: ctx.confidence,
  };
}

/**
 * The object of one typed value: an indicator, or a vulnerability for a CVE; undefined for `unknown`.
 */
export function objectForValue(v: InferredValue, ctx: ValueContext): StixObject | undefined {
  if (v.type === 'cve') {
    const o: Record<string, unknown> = {
      type: 'vulnerability',
      spec_version: '2.1',
      id: derivedId('vulnerability', ctx.sourceName, v.value),
      created: ctx.created,
      modified: ctx.created,
      name: v.value,
      external_references: [{ source_name: 'cve', external_id: v.value }],
    };
    if (ctx.description !== undefined) o['description'] = ctx.description;
    if (ctx.createdByRef !== undefined) o['created_by_ref'] = ctx.createdByRef;
    if (ctx.tlp !== undefined) o['object_marking_refs'] = [tlp2IdFor(ctx.tlp)];
    return o as StixObject;
  }
  const pattern = patternForValue(v);
  if (pattern === undefined) return undefined;
  const [type, value] = valueKey(v);
  return indicator({
    ...baseFields(ctx),
    id: derivedId('indicator', ctx.sourceName, type, value),
    pattern,
    name: ctx.name ?? displayValue(v),
  });
}

/**
 * One indicator for the hashes of one file: the hashes are alternatives identifying the same file, so they
 * are ORed inside one observation (`[file:hashes.MD5 = 'a' OR file:hashes.'SHA-256' = 'b']`).
 */
export function objectForFileHashes(hashes: ReadonlyMap<HashAlgorithm, string>, ctx: ValueContext): StixObject | undefined {
  const present = HASH_ORDER.filter((a) => hashes.has(a));
  if (present.length === 0) return undefined;
  const comparisons = present.map((a) => hashComparison(a, hashes.get(a) ?? ''));
  const values = present.map((a) => hashes.get(a) ?? '');
  const id =
    present.length === 1
      ? derivedId('indicator', ctx.sourceName, 'file-hash', values[0] ?? '')
      : derivedId('indicator', ctx.sourceName, 'file', values.join('|'));
  return indicator({
    ...baseFields(ctx),
    id,
    pattern: `[${comparisons.join(' OR ')}]`,
    name: ctx.name ?? values[values.length - 1],
  });
}

/**
 * The producer of an import: `created_by_ref` is the configured identity; an identity object is emitted
 * when the source has a name (derived from the name when no identity id is configured).
 */
export function sourceProducer(options: ImportOptions): { createdByRef?: string; objects: StixObject[] } {
  const id = options.source?.identity;
  const name = options.source?.name?.trim();
  if (name !== undefined && name.length > 0) {
    const identity = organizationIdentity(name, options.now, id);
    return { createdByRef: identity.id, objects: [identity] };
  }
  return id === undefined ? { objects: [] } : { createdByRef: id, objects: [] };
}

/** The TLP level written in a cell or heading (`TLP:AMBER`, `amber`, `TLP: white`, `AMBER+STRICT`). */
export function tlpFromText(text: string): TlpLevel | undefined {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/^tlp\s?:?\s?/, '')
    .replace(/\s/g, '');
  switch (t) {
    case 'clear':
    case 'white':
      return 'clear';
    case 'green':
    case 'amber':
    case 'red':
      return t;
    case 'amber+strict':
    case 'amberstrict':
      return 'amber+strict';
    default:
      return undefined;
  }
}

/** Confidence words of the None/Low/Medium/High scale, as the STIX 2.1 confidence appendix maps them. */
const CONFIDENCE_WORDS: Readonly<Record<string, number>> = { none: 0, low: 15, medium: 50, med: 50, high: 85 };

/** A confidence 0–100 from a number (a trailing `%` allowed) or a None/Low/Medium/High word. */
export function confidenceFromText(text: string): number | undefined {
  const t = text.trim().toLowerCase().replace(/%$/, '');
  if (/^\d{1,3}$/.test(t)) {
    const n = Number(t);
    return n <= 100 ? n : undefined;
  }
  return CONFIDENCE_WORDS[t];
}

/**
 * Reads one value of a declared type (a typed CSV column, a type-column word, a TXT section): the value, or
 * the reason it is not taken. A declared domain, URL or e-mail is trusted even when its TLD is not in the
 * built-in list.
 */
export function readTypedValue(cell: string, type: CsvValueType): InferredValue | string {
  const inferred = inferValueType(cell);
  if (inferred.masked === true) return inferred.reason ?? 'masked value';
  const hash = HASH_OF_TYPE[type];
  if (hash !== undefined) {
    return inferred.type === 'file-hash' && inferred.hashAlgorithm === hash ? inferred : `declared ${hash} but the value is not one`;
  }
  const { value: refanged, changed } = refang(cell.trim());
  if (type === 'url' && /^[^\s/]+\/\/[^\s/]+\/[^\t\r\n]* /.test(refanged) && !/[\t\r\n]/.test(refanged)) {
    // Spaces inside a URL path (`/~user/mr t/x.exe`) are what a client sends as %20.
    const encoded = refanged.replace(/ /g, '%20');
    const u = canonicalUrl(encoded);
    return u === undefined ? 'declared a URL but the value is not one' : { type: 'url', value: u, refanged: changed };
  }
  if (type === 'mutex') {
    const name = cell.trim();
    return name.length === 0 || name.length > 1024 || /[\r\n\t]/.test(name)
      ? 'declared a mutex but the value is not a mutex name'
      : { type: 'mutex', value: name, refanged: false };
  }
  if (type !== 'file-name' && /\s/.test(refanged)) return 'contains whitespace';
  switch (type) {
    case 'infer':
      return inferred.type === 'unknown' ? (inferred.reason ?? 'type not recognized') : inferred;
    case 'hash':
      return inferred.type === 'file-hash' ? inferred : 'declared a hash but the value is not an MD5/SHA-1/SHA-256/SHA-512';
    case 'ip':
    case 'ipv4-addr':
    case 'ipv6-addr': {
      const ok = inferred.type === 'ipv4-addr' || inferred.type === 'ipv6-addr';
      if (!ok || (type !== 'ip' && inferred.type !== type)) return `declared ${type} but the value is not one`;
      return inferred;
    }
    case 'domain-name': {
      if (inferred.type === 'domain-name') return inferred;
      // A declared domain is trusted even with a TLD the built-in list does not know (`amazing.lab`).
      const d = refanged.includes('.') ? canonicalDomain(refanged) : undefined;
      return d === undefined ? 'declared a domain but the value is not a host name' : { type: 'domain-name', value: d, refanged: changed };
    }
    case 'url': {
      if (inferred.type === 'url') return inferred;
      // Without a scheme, a declared URL still needs a dotted host or a path (`online` in a status column is none).
      if (!refanged.includes('://') && !/^[^/]*\.[^/]*[^./]/.test(refanged) && !refanged.includes('/'))
        return 'declared a URL but the value is not one';
      const u = canonicalUrl(refanged);
      return u === undefined ? 'declared a URL but the value is not one' : { type: 'url', value: u, refanged: changed };
    }
    case 'email-addr': {
      if (inferred.type === 'email-addr') return inferred;
      const e = canonicalEmail(refanged);
      return e === undefined ? 'declared an e-mail address but the value is not one' : { type: 'email-addr', value: e, refanged: changed };
    }
    case 'file-name':
      return refanged.length > 0 && refanged.length <= 1024 && !/[\r\n]/.test(refanged)
        ? { type: 'file-name', value: refanged, refanged: changed }
        : 'not a usable file name';
    case 'autonomous-system':
      if (inferred.type === 'autonomous-system') return inferred;
      return /^\d{1,10}$/.test(refanged) && Number(refanged) <= 4294967295
        ? { type: 'autonomous-system', value: String(Number(refanged)), refanged: false }
        : 'declared an AS number but the value is not one';
    case 'cve':
      return inferred.type === 'cve' ? inferred : 'declared a CVE but the value is not one';
    case 'skip':
      return 'row type is not an indicator';
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
      return `declared ${type} but the value is not one`;
  }
}
