/**
 * CybOX Custom objects (`CustomObj:CustomObjectType`) → a custom STIX 2.1 cyber-observable type (decision in
 * docs/mapping/stix1.md): the type is the object's `custom_name` (lower-case, hyphenated), each
 * `cyboxCommon:Property` a property of that type named after the property. The exporter writes a custom
 * pattern object type the same way (src/mapping/stix1/export-cybox.ts), so `[app:x_id = '…']` survives a round trip.
 */
import { type XmlElement, attr, textOf } from '../common/xml';
import { SCO_TYPES, STANDARD_TYPES } from '../../stix/identifiers';
import { NS } from './namespaces';

/** The type used when the custom object has no usable `custom_name`. */
export const CUSTOM_FALLBACK_TYPE = 'x-cybox-custom-object';

/** Properties every STIX object may carry: a custom property of that name would clash. */
const RESERVED = new Set(['type', 'id', 'spec_version', 'object_marking_refs', 'granular_markings', 'defanged', 'extensions']);

/** `custom_name` → a STIX type name: lower-case letters, digits and hyphens, 3–250 characters, not a standard type. */
export function customTypeName(customName: string | undefined): string {
  const base = (customName ?? '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-{2,}/g, '-');
  if (base === '') return CUSTOM_FALLBACK_TYPE;
  const name = base.length < 3 || STANDARD_TYPES.has(base) || !/^[a-z]/.test(base) ? `x-${base}` : base;
  return name.length > 250 ? CUSTOM_FALLBACK_TYPE : name;
}

/** A custom property name → a STIX property name: a–z, 0–9 and `_`, at least 3 characters, no common property. */
export function customPropertyName(name: string): string | undefined {
  const base = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (base === '') return undefined;
  const out = base.length < 3 || RESERVED.has(base) || !/^[a-z]/.test(base) ? `x_${base}` : base;
  return out.length > 250 ? undefined : out;
}

/** True for a type this module produces (not a standard SCO): instances get a stable UUIDv4 (no ID-contributing properties). */
export function isCustomObservableType(type: string): boolean {
  return !SCO_TYPES.has(type) && /^[a-z][a-z0-9-]{2,249}$/.test(type);
}

export interface CustomProperties {
  /** The STIX type the object becomes. */
  readonly root: string;
  /** Each named property with its value element. */
  readonly properties: readonly { readonly name: string; readonly el: XmlElement }[];
  /** Elements that gave no property (no name, no text, not Custom_Properties), by local name. */
  readonly unmapped: string[];
}

/** The properties of one Custom object. */
export function customProperties(props: XmlElement): CustomProperties {
  const root = customTypeName(attr(props, 'custom_name'));
  const properties: { name: string; el: XmlElement }[] = [];
  const unmapped: string[] = [];
  for (const c of props.children) {
    if (c.local !== 'Custom_Properties' || c.ns !== NS.cyboxCommon) {
      unmapped.push(c.local);
      continue;
    }
    for (const p of c.children) {
      const raw = attr(p, 'name');
      const name = raw === undefined ? undefined : customPropertyName(raw);
      const text = textOf(p);
      if (name === undefined || text === undefined || text.trim() === '') unmapped.push(`Property${raw === undefined ? '' : ` ${raw}`}`);
      else properties.push({ name, el: p });
    }
  }
  return { root, properties, unmapped };
}
