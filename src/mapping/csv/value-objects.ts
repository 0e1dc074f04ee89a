/**
 * The STIX objects of one IOC value or one file's hashes, shared by the CSV and TXT importers so both write
 * the same patterns and the same deterministic ids for the same (source, type, value).
 */
import type { TlpLevel } from '../../config/types';
import { tlp2IdFor } from '../../stix/markings';
import { derivedId, indicator, organizationIdentity } from '../common/stix-builders';
import { hashComparison, patternForValue, type HashAlgorithm, type InferredValue } from '../common/infer-type';
import type { ImportOptions, StixObject } from '../types';

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
    name: ctx.name ?? value,
  });
}

/**
 * One indicator for the hashes of one file: the hashes are alternatives identifying the same file, so they
 * are ORed inside one observation (`[file:hashes.MD5 = 'a' OR file:hashes.'SHA-256' = 'b']`).
 */
export function objectForFileHashes(
  hashes: ReadonlyMap<HashAlgorithm, string>,
  ctx: ValueContext,
): StixObject | undefined {
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
