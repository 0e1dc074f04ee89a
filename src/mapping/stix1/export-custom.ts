/**
 * MISP values STIX 2.1 has no object for travel as `x-misp-attribute` / `x-misp-object` custom objects (see
 * docs/mapping/misp.md); in STIX 1.x they become CybOX Custom objects (`CustomObj:CustomObjectType`, one
 * `cyboxCommon:Property` per value, named after the MISP type or object relation), so MISP → STIX 2.1 → STIX 1
 * keeps every value with its MISP type.
 */
import { escapeXmlAttr as ea, escapeXmlText as et } from '../common/xml';
import type { StixObject } from '../types';
import { SDO_COMMON_PROPERTIES } from '../../stix/semantic/stix-types';
import type { ExportHost } from './export-constructs';

export const CUSTOM_OBJECT_NS: Readonly<Record<string, string>> = { CustomObj: 'http://cybox.mitre.org/objects#CustomObject-1' };

/** The custom STIX 2.1 types written as CybOX Custom objects. */
export const CUSTOM_OBSERVABLE_TYPES: readonly string[] = ['x-misp-attribute', 'x-misp-object'];

function text(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

const property = (name: string, value: string): string => `<cyboxCommon:Property name="${ea(name)}">${et(value)}</cyboxCommon:Property>`;

/** One custom object → a CybOX Observable holding a Custom object, or undefined when it holds no value. */
export function customObservableXml(host: ExportHost, o: StixObject): string | undefined {
  let name: string | undefined;
  let props: string[];
  if (o.type === 'x-misp-attribute') {
    name = text(o, 'x_misp_type');
    const value = text(o, 'x_misp_value');
    props = name === undefined || value === undefined ? [] : [property(name, value)];
  } else {
    name = text(o, 'x_misp_name');
    const attrs = Array.isArray(o['x_misp_attributes']) ? o['x_misp_attributes'] : [];
    props = attrs.flatMap((a: unknown) => {
      if (typeof a !== 'object' || a === null) return [];
      const rec = a as Record<string, unknown>;
      const relation = text(rec, 'object_relation') ?? text(rec, 'type');
      const value = text(rec, 'value');
      return relation === undefined || value === undefined ? [] : [property(relation, value)];
    });
  }
  if (name === undefined || props.length === 0) return undefined;
  const category = text(o, 'x_misp_category') ?? text(o, 'x_misp_meta_category');
  const comment = text(o, 'x_misp_comment');
  return (
    `<cybox:Observable id="${ea(host.id('Observable', o.id))}">` +
    `<cybox:Title>${et(category === undefined ? name : `${category}: ${name}`)}</cybox:Title>` +
    (comment === undefined ? '' : `<cybox:Description>${et(comment)}</cybox:Description>`) +
    `<cybox:Object id="${ea(host.id('Object', o.id))}">` +
    `<cybox:Properties xsi:type="CustomObj:CustomObjectType" custom_name="${ea(name)}">` +
    `<cyboxCommon:Custom_Properties>${props.join('')}</cyboxCommon:Custom_Properties>` +
    `</cybox:Properties></cybox:Object></cybox:Observable>`
  );
}

/** The MISP template an SDO came from (`misp:name="organization"`), when the MISP importer made it from one. */
export function mispTemplateOf(o: StixObject): string | undefined {
  const labels = Array.isArray(o['labels']) ? o['labels'] : [];
  for (const l of labels) {
    const m = typeof l === 'string' ? /^misp:name="([^"]{1,100})"$/.exec(l) : null;
    if (m?.[1] !== undefined) return m[1];
  }
  return undefined;
}

/** Properties of an SDO that are not its content (identity, provenance, markings); external references are content. */
const NOT_CONTENT = new Set(SDO_COMMON_PROPERTIES.filter((p) => p !== 'external_references'));

function contentProperties(o: StixObject): string[] {
  return Object.entries(o).flatMap(([k, v]) => {
    if (NOT_CONTENT.has(k) || v === undefined || v === null) return [];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return [property(k, String(v))];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.map((x) => property(k, String(x)));
    return [property(k, JSON.stringify(v))];
  });
}

/**
 * An SDO the MISP importer made from a MISP object that STIX 1.x has no construct for (an identity template no
 * object points to, a geolocation's location) → a CybOX Custom object named after the template, one property per
 * STIX property (misp-stix writes MISP objects without a STIX 1 mapping as Custom objects too). Undefined for
 * any other object.
 */
export function templateObservableXml(host: ExportHost, o: StixObject): string | undefined {
  const template = mispTemplateOf(o);
  const props = contentProperties(o);
  if (template === undefined || props.length === 0) return undefined;
  const name = text(o, 'name');
  return (
    `<cybox:Observable id="${ea(host.id('Observable', o.id))}">` +
    `<cybox:Title>${et(name === undefined ? template : `${template}: ${name}`)}</cybox:Title>` +
    `<cybox:Object id="${ea(host.id('Object', o.id))}">` +
    `<cybox:Properties xsi:type="CustomObj:CustomObjectType" custom_name="${ea(template)}">` +
    `<cyboxCommon:Custom_Properties>${props.join('')}</cyboxCommon:Custom_Properties>` +
    `</cybox:Properties></cybox:Object></cybox:Observable>`
  );
}
