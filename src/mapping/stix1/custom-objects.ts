/**
 * CybOX Custom objects (`CustomObj:CustomObjectType`) → a custom STIX 2.1 cyber-observable type (decision in
 * docs/mapping/stix1.md): the type is the object's `custom_name` (lower-case, hyphenated), each
 * `cyboxCommon:Property` a property of that type named after the property. The exporter writes a custom
 * pattern object type the same way (src/mapping/stix1/export-cybox.ts), so `[app:x_id = '…']` survives a round trip.
 */
import { type XmlElement, attr, textOf } from '../common/xml';
import { STANDARD_TYPES } from '../../stix/identifiers';
import { SCO_PROPERTY_NAMES } from '../../stix/sco-properties';
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

/** The predefined SCO extensions of STIX 2.1 §6 (any other name would need an extension definition). */
const PREDEFINED_EXTENSIONS: ReadonlySet<string> = new Set([
  'archive-ext',
  'ntfs-ext',
  'pdf-ext',
  'raster-image-ext',
  'windows-pebinary-ext',
  'http-request-ext',
  'icmp-ext',
  'socket-ext',
  'tcp-ext',
  'windows-process-ext',
  'windows-service-ext',
  'unix-account-ext',
]);

/** One step of a STIX object path as the exporter names a custom property: a name or a quoted key, maybe `[*]`/`[n]`. */
const PATH_STEP = /^(?:([a-z][a-z0-9_]*)|'([A-Za-z0-9][A-Za-z0-9_.-]*)')(\[(?:\*|\d+)\])?$/;

/**
 * A custom property named by a STIX 2.1 object path of `root` (`mime_type`, `from_ref.display_name`,
 * `extensions.'icmp-ext'.icmp_type_hex`, `received_lines[*]`): the exporter (src/mapping/stix1/export-cybox.ts)
 * keeps a comparison or value that has no CybOX element that way, so reading it back at its own path keeps a
 * re-imported pattern as narrow as the one exported. The first step must be a property of the type (or a
 * predefined extension); list indices read as `*`. Anything else → undefined (an `x_` property).
 */
export function stixPathOfCustomProperty(name: string, root: string): string[] | undefined {
  const known = SCO_PROPERTY_NAMES[root];
  if (known === undefined || name.length > 250) return undefined;
  const steps = name.split(/\.(?=(?:[^']*'[^']*')*[^']*$)/);
  const path: string[] = [];
  for (const step of steps) {
    const m = PATH_STEP.exec(step);
    if (m === null) return undefined;
    path.push(m[1] ?? m[2] ?? '');
    if (m[3] !== undefined) path.push('*');
  }
  const [first, second] = path;
  if (first === undefined || path.length < 1) return undefined;
  if (first === 'extensions') return second !== undefined && PREDEFINED_EXTENSIONS.has(second) && path.length > 2 ? path : undefined;
  return known.includes(first) ? path : undefined;
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

/** True for a type this module produces (no standard type): instances get a stable UUIDv4 (no ID-contributing properties). */
export function isCustomObservableType(type: string): boolean {
  return !STANDARD_TYPES.has(type) && /^[a-z][a-z0-9-]{2,249}$/.test(type);
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
