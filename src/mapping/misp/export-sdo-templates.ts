/**
 * SDOs the importer made from MISP objects (`src/mapping/misp/import-sdo-objects.ts`: identity templates,
 * geolocation, script) back to those objects (export). The `misp:name="<template>"` label names the template;
 * each STIX property goes back to the relation it came from, `contact_information` written as
 * `relation: value; value / relation: value` is split back into its relations, and `x_misp_<relation>`
 * properties return as their relations. Pure: the SDO in, the template and its relations out.
 */
import type { StixObject } from '../types';
import type { ResolvedRelation } from './export-resolve';
import type { SdoAsObject } from './export-sdo-objects';
import { CONTACT_RELATIONS } from './import-sdo-objects';
import { relationOfCustom } from './object-table';

const ORGANIZATIONS = new Set(['organization', 'legal-entity', 'news-agency']);
const INDIVIDUALS = new Set(['person', 'employee']);
const TEMPLATES_BY_TYPE: Readonly<Record<string, ReadonlySet<string>>> = {
  identity: new Set(['identity', ...ORGANIZATIONS, ...INDIVIDUALS]),
  location: new Set(['geolocation']),
  malware: new Set(['script']),
  tool: new Set(['script']),
};

/** The template a `misp:name="..."` label names, when it is one this module restores for the SDO's type. */
function templateOf(o: StixObject): string | undefined {
  const labels = Array.isArray(o['labels']) ? o['labels'] : [];
  for (const label of labels) {
    const m = typeof label === 'string' ? /^misp:name="([a-z0-9-]{1,64})"$/.exec(label) : null;
    if (m?.[1] !== undefined && TEMPLATES_BY_TYPE[o.type]?.has(m[1]) === true) return m[1];
  }
  return undefined;
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap((x) => text(x) ?? []) : []);

/** `relation: a; b / relation: c` → relations; undefined when the text is not in that layout. */
function contactRelations(contact: string): ResolvedRelation[] | undefined {
  const out: ResolvedRelation[] = [];
  for (const part of contact.split(' / ')) {
    const m = /^([a-z-]{1,40}): (.*)$/s.exec(part);
    const relation = m?.[1];
    if (relation === undefined || m?.[2] === undefined || !CONTACT_RELATIONS.includes(relation)) return undefined;
    for (const value of m[2].split('; ')) out.push({ relation, type: contactType(relation), value });
  }
  return out;
}

function contactType(relation: string): string {
  if (relation === 'email-address') return 'target-email';
  if (relation === 'e-mail') return 'email-src';
  if (relation === 'phone-number') return 'phone-number';
  return relation === 'website' || relation === 'link' ? 'link' : 'text';
}

/** Identity properties → the template's relations (the inverse of the import's identity mapping). */
function identityRelations(template: string, o: StixObject): ResolvedRelation[] {
  const out: ResolvedRelation[] = [];
  const add = (relation: string, value: string | undefined, type = 'text'): void => {
    if (value !== undefined && value !== '') out.push({ relation, type, value });
  };
  add(INDIVIDUALS.has(template) ? 'full-name' : 'name', text(o['name']));
  add(template === 'organization' || template === 'identity' ? 'description' : 'text', text(o['description']));
  if (template === 'identity') add('identity_class', text(o['identity_class']));
  const roleRelation = template === 'employee' ? 'employee-type' : template === 'identity' ? 'roles' : 'role';
  for (const role of list(o['roles'])) add(roleRelation, role);
  for (const sector of list(o['sectors'])) add(template === 'legal-entity' ? 'business' : 'sectors', sector);
  const contact = text(o['contact_information']);
  if (contact !== undefined)
    out.push(...(contactRelations(contact) ?? [{ relation: 'contact_information', type: 'text', value: contact }]));
  return out;
}

/** geolocation relations (precision in metres back to an accuracy radius in kilometres). */
function geolocationRelations(o: StixObject): ResolvedRelation[] {
  const pairs: [string, string, unknown][] = [
    ['countrycode', 'text', o['country']],
    ['region', 'text', o['region']],
    ['city', 'text', o['city']],
    ['address', 'text', o['street_address']],
    ['zipcode', 'text', o['postal_code']],
    ['latitude', 'float', o['latitude']],
    ['longitude', 'float', o['longitude']],
    ['accuracy-radius', 'float', typeof o['precision'] === 'number' ? o['precision'] / 1000 : undefined],
    ['text', 'text', o['description']],
  ];
  return pairs.flatMap(([relation, type, v]) => (text(v) === undefined ? [] : [{ relation, type, value: text(v) ?? '' }]));
}

/** script relations: file name, comment, languages; a malware without a recorded state was Malicious. */
function scriptRelations(o: StixObject): ResolvedRelation[] {
  const out: ResolvedRelation[] = [];
  const name = text(o['name']);
  if (name !== undefined) out.push({ relation: 'filename', type: 'filename', value: name });
  const comment = text(o['description']);
  if (comment !== undefined) out.push({ relation: 'comment', type: 'text', value: comment });
  for (const language of list(o['implementation_languages'])) out.push({ relation: 'language', type: 'text', value: language });
  if (o.type === 'malware' && o['x_misp_state'] === undefined) out.push({ relation: 'state', type: 'text', value: 'Malicious' });
  return out;
}

/** The MISP object an SDO the importer made from a MISP template goes back to, or undefined for other SDOs. */
export function templateObject(o: StixObject): SdoAsObject | undefined {
  const template = templateOf(o);
  if (template === undefined) return undefined;
  const relations =
    o.type === 'identity' ? identityRelations(template, o) : o.type === 'location' ? geolocationRelations(o) : scriptRelations(o);
  for (const [key, value] of Object.entries(o)) {
    const relation = relationOfCustom(key);
    if (relation === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      const t = text(v);
      if (t !== undefined) relations.push({ relation, type: 'text', value: t });
    }
  }
  return relations.length === 0 ? undefined : { name: template, relations, unmapped: [] };
}
