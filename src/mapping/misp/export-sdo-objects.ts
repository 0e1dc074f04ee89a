/**
 * STIX 2.1 SDOs that misp-stix's documented mapping of STIX from other producers turns into MISP objects
 * (export): a location → `geolocation`, an identity (one no object names as its creator) → `identity`, a
 * malware-analysis → `malware-analysis`. Pure: the SDO in, the template and its relations out; properties with no
 * relation are returned as `unmapped` (reported by the caller, kept in the object's comment).
 */
import { SDO_COMMON_PROPERTIES } from '../../stix/semantic/stix-types';
import type { StixObject } from '../types';
import type { ResolvedRelation } from './export-resolve';

export interface SdoAsObject {
  readonly name: string;
  readonly relations: readonly ResolvedRelation[];
  readonly unmapped: readonly string[];
}

/** STIX property → [relation, MISP attribute type] per SDO type; `*` marks a list (one attribute per item). */
const SDO_OBJECTS: Readonly<
  Record<string, { readonly name: string; readonly props: Readonly<Record<string, readonly [string, string]>> }>
> = {
  location: {
    name: 'geolocation',
    props: {
      name: ['name', 'text'],
      description: ['text', 'text'],
      country: ['countrycode', 'text'],
      region: ['region', 'text'],
      city: ['city', 'text'],
      street_address: ['address', 'text'],
      postal_code: ['zipcode', 'text'],
      administrative_area: ['administrative-area', 'text'],
      latitude: ['latitude', 'float'],
      longitude: ['longitude', 'float'],
      precision: ['accuracy-radius', 'float'],
    },
  },
  identity: {
    name: 'identity',
    props: {
      name: ['name', 'text'],
      description: ['description', 'text'],
      identity_class: ['identity_class', 'text'],
      contact_information: ['contact_information', 'text'],
      'roles*': ['roles', 'text'],
      'sectors*': ['sectors', 'text'],
    },
  },
  'malware-analysis': {
    name: 'malware-analysis',
    props: {
      product: ['product', 'text'],
      version: ['version', 'text'],
      configuration_version: ['configuration_version', 'text'],
      'modules*': ['module', 'text'],
      analysis_engine_version: ['analysis_engine_version', 'text'],
      analysis_definition_version: ['analysis_definition_version', 'text'],
      submitted: ['submitted_time', 'datetime'],
      analysis_started: ['start_time', 'datetime'],
      analysis_ended: ['end_time', 'datetime'],
      result_name: ['result_name', 'text'],
      result: ['result', 'text'],
    },
  },
};

/** Properties every SDO has that say nothing a MISP object keeps (ids, times, markings, producer); extensions are reported. */
const COMMON = new Set(SDO_COMMON_PROPERTIES.filter((p) => p !== 'extensions'));

const scalar = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** The MISP object an SDO becomes, or undefined when its type has none. */
export function sdoAsObject(o: StixObject): SdoAsObject | undefined {
  const spec = SDO_OBJECTS[o.type];
  if (spec === undefined) return undefined;
  const relations: ResolvedRelation[] = [];
  const unmapped: string[] = [];
  for (const [key, value] of Object.entries(o)) {
    if (COMMON.has(key)) continue;
    // A location named after its city says it once (the geolocation template's city).
    if (o.type === 'location' && key === 'name' && value === o['city']) continue;
    const list = Array.isArray(value) ? spec.props[`${key}*`] : undefined;
    const one = list === undefined ? spec.props[key] : undefined;
    if (list !== undefined && Array.isArray(value)) {
      for (const item of value) {
        const text = scalar(item);
        if (text !== undefined) relations.push({ relation: list[0], type: list[1], value: text });
      }
      continue;
    }
    const text = scalar(value);
    if (one === undefined || text === undefined) {
      unmapped.push(`${o.type}:${key} = ${JSON.stringify(value).slice(0, 200)}`);
      continue;
    }
    // STIX's precision is in metres, MISP's accuracy radius in kilometres.
    const shown = key === 'precision' && typeof value === 'number' ? String(value / 1000) : text;
    relations.push({ relation: one[0], type: one[1], value: shown });
  }
  return relations.length === 0 ? undefined : { name: spec.name, relations, unmapped };
}
