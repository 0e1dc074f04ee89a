/**
 * OpenIOC terms an indicator keeps in `x_openioc_terms` (docs/mapping/openioc.md) that CybOX can hold: the PE
 * version-info terms (`FileItem/PEInfo/VersionInfoList/VersionInfoItem/<Field>`) become the file object's
 * WinExecutableFile PEVersionInfoResource fields, as the reference openioc-to-stix writes them. Only terms the
 * OpenIOC AND joined with the indicator's pattern (`and_pattern`) are placed in its file object; the rest stay
 * in the description.
 */
import type { StixObject } from '../types';

/** A CybOX value with its condition (the shape of export-cybox.ts's CyboxItem). */
interface TermItem {
  readonly path: string;
  readonly text: string;
  readonly attrs: string;
}

const VERSION_INFO = /^FileItem\/PEInfo\/VersionInfoList\/VersionInfoItem\/([A-Za-z]+)$/i;

/** PEVersionInfoResourceType fields (schema order) by their lower-case OpenIOC name. */
export const VERSION_INFO_FIELDS: readonly string[] = [
  'Comments',
  'CompanyName',
  'FileDescription',
  'FileVersion',
  'InternalName',
  'LangID',
  'LegalCopyright',
  'LegalTrademarks',
  'OriginalFilename',
  'PrivateBuild',
  'ProductName',
  'ProductVersion',
  'SpecialBuild',
];
const FIELD_BY_LOWER: ReadonlyMap<string, string> = new Map(VERSION_INFO_FIELDS.map((f) => [f.toLowerCase(), f]));

/** The internal item path of a version-info field (no `x_` prefix: those are CybOX custom properties). */
export const versionInfoPath = (field: string): string => `pe-version-info.${field}`;

/** OpenIOC condition (and negate) → CybOX condition. */
const CONDITIONS: Readonly<Record<string, readonly [string, string | undefined]>> = {
  is: ['Equals', 'DoesNotEqual'],
  isnot: ['DoesNotEqual', 'Equals'],
  contains: ['Contains', 'DoesNotContain'],
  containsnot: ['DoesNotContain', 'Contains'],
  'starts-with': ['StartsWith', undefined],
  'ends-with': ['EndsWith', undefined],
  matches: ['FitsPattern', undefined],
};

export interface PlacedTerms {
  readonly items: readonly TermItem[];
  /** The `x_openioc_terms` entries the items came from. */
  readonly used: ReadonlySet<unknown>;
}

/** The version-info terms of an indicator that were ANDed with its pattern, as CybOX items of its file object. */
export function versionInfoItems(o: StixObject): PlacedTerms {
  const terms = o['x_openioc_terms'];
  const items: TermItem[] = [];
  const used = new Set<unknown>();
  for (const t of Array.isArray(terms) ? terms : []) {
    if (typeof t !== 'object' || t === null || Array.isArray(t)) continue;
    const rec = t as Record<string, unknown>;
    const search = typeof rec['search'] === 'string' ? rec['search'] : '';
    const field = FIELD_BY_LOWER.get((VERSION_INFO.exec(search)?.[1] ?? '').toLowerCase());
    const cond = CONDITIONS[typeof rec['condition'] === 'string' ? rec['condition'].toLowerCase() : ''];
    const name = cond === undefined ? undefined : rec['negate'] === true ? cond[1] : cond[0];
    if (rec['and_pattern'] !== true || field === undefined || name === undefined || typeof rec['value'] !== 'string') continue;
    items.push({ path: versionInfoPath(field), text: rec['value'], attrs: ` condition="${name}"` });
    used.add(t);
  }
  return { items, used };
}
