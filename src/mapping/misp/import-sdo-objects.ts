/**
 * MISP objects that describe something other than an observable (after misp-stix's documented mapping):
 * rule objects (`yara`, `sigma`, `suricata`, `snort`) become indicators in that pattern language, a
 * `stix2-pattern` object for detection (an attribute with to_ids) an indicator with its STIX pattern,
 * `vulnerability` a vulnerability, `attack-pattern` / `course-of-action` those SDOs, `annotation` a note,
 * identity templates (`identity`, `organization`, `legal-entity`, `news-agency`, `person`, `employee`) an
 * identity, `geolocation` a location, `script` a malware (state Malicious) or a tool.
 * Relations without a property are kept as `x_misp_<relation>`. Pure: attributes in, SDO type and properties out.
 */
import { hasErrors } from '../../stix/issues';
import { parsePattern } from '../../stix/pattern/parser';
import { customPath } from './object-table';
import { bool, str, text, type JsonRecord } from './misp-json';

export interface SdoFromObject {
  readonly type:
    'indicator' | 'vulnerability' | 'attack-pattern' | 'course-of-action' | 'note' | 'identity' | 'location' | 'malware' | 'tool';
  readonly props: Record<string, unknown>;
}

const RULE_OBJECTS = new Set(['yara', 'sigma', 'suricata', 'snort']);

/** relation → values, in order, without deleted or empty attributes. */
function valuesByRelation(attrs: readonly JsonRecord[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of attrs) {
    const relation = text(a, 'object_relation');
    const value = str(a, 'value');
    if (bool(a, 'deleted') === true || relation === undefined || value === undefined || value.trim() === '') continue;
    out.set(relation, [...(out.get(relation) ?? []), value]);
  }
  return out;
}

/** The relations not consumed, as `x_misp_<relation>` (a list when repeated). */
function customs(values: ReadonlyMap<string, string[]>, used: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [relation, list] of values) {
    const key = used.includes(relation) ? undefined : customPath(undefined, relation);
    if (key !== undefined) out[key] = list.length === 1 ? list[0] : list;
  }
  return out;
}

function first(values: ReadonlyMap<string, string[]>, ...relations: string[]): string | undefined {
  for (const r of relations) {
    const v = values.get(r)?.[0];
    if (v !== undefined) return v;
  }
  return undefined;
}

function rule(name: string, values: ReadonlyMap<string, string[]>): SdoFromObject | undefined {
  const pattern = first(values, name);
  if (pattern === undefined) return undefined;
  const ruleName = first(values, `${name}-rule-name`, 'rule-name', 'name');
  const version = first(values, 'version');
  const comment = first(values, 'comment');
  const refs = values.get('ref') ?? [];
  const links = refs.filter((u) => /^https?:\/\/\S+$/.test(u)).map((url) => ({ source_name: 'url', url }));
  // References become external references when every one is a web address (otherwise they all stay x_misp_ref).
  const linked = links.length > 0 && links.length === refs.length;
  const used = [name, `${name}-rule-name`, 'rule-name', 'name', 'version', 'comment', ...(linked ? ['ref'] : [])];
  return {
    type: 'indicator',
    props: {
      pattern,
      pattern_type: name,
      ...(version === undefined ? {} : { pattern_version: version }),
      ...(ruleName === undefined ? {} : { name: ruleName }),
      ...(comment === undefined ? {} : { description: comment }),
      ...(linked ? { external_references: links } : {}),
      ...customs(values, used),
    },
  };
}

/**
 * A `stix2-pattern` object (what the MISP export writes for patterns MISP cannot express) → the indicator with
 * that pattern, when one attribute is for detection and the pattern parses; otherwise undefined (the object is
 * then kept whole as an x-misp-object, never an indicator the pipeline would refuse).
 */
function stixPattern(values: ReadonlyMap<string, string[]>, attrs: readonly JsonRecord[]): SdoFromObject | undefined {
  const pattern = first(values, 'stix2-pattern');
  if (pattern === undefined || !attrs.some((a) => bool(a, 'to_ids') === true)) return undefined;
  const parsed = parsePattern(pattern);
  if (parsed.value === undefined || hasErrors(parsed.issues)) return undefined;
  const version = /^(?:stix\s*)?(\d+\.\d+)$/i.exec(first(values, 'version') ?? '')?.[1];
  const comment = first(values, 'comment');
  return {
    type: 'indicator',
    props: {
      pattern,
      pattern_type: 'stix',
      pattern_version: version ?? '2.1',
      ...(comment === undefined ? {} : { description: comment }),
      ...customs(values, ['stix2-pattern', 'version', 'comment']),
    },
  };
}

function vulnerability(values: ReadonlyMap<string, string[]>): SdoFromObject | undefined {
  const id = first(values, 'id');
  if (id === undefined) return undefined;
  const cve = /^CVE-\d{4}-\d{4,7}$/i.test(id.trim()) ? id.trim().toUpperCase() : undefined;
  const links = (values.get('references') ?? []).filter((u) => /^https?:\/\/\S+$/.test(u)).map((url) => ({ source_name: 'url', url }));
  const description = first(values, 'summary', 'description');
  return {
    type: 'vulnerability',
    props: {
      name: cve ?? id.trim(),
      ...(description === undefined ? {} : { description }),
      ...(cve !== undefined || links.length > 0
        ? { external_references: [...(cve === undefined ? [] : [{ source_name: 'cve', external_id: cve }]), ...links] }
        : {}),
      ...customs(values, ['id', 'summary', 'description', ...(links.length > 0 ? ['references'] : [])]),
    },
  };
}

function named(type: 'attack-pattern' | 'course-of-action', values: ReadonlyMap<string, string[]>): SdoFromObject | undefined {
  const name = first(values, 'name');
  if (name === undefined) return undefined;
  const description = first(values, 'summary', 'description');
  const capec = type === 'attack-pattern' ? first(values, 'id') : undefined;
  return {
    type,
    props: {
      name,
      ...(description === undefined ? {} : { description }),
      ...(capec !== undefined && /^\d{1,6}$/.test(capec)
        ? { external_references: [{ source_name: 'capec', external_id: `CAPEC-${capec}` }] }
        : {}),
      ...customs(values, ['name', 'summary', 'description', ...(capec !== undefined && /^\d{1,6}$/.test(capec) ? ['id'] : [])]),
    },
  };
}

/** Only the properties that have a value. */
function defined(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

const ORGANIZATION_TEMPLATES = new Set(['organization', 'legal-entity', 'news-agency']);
const INDIVIDUAL_TEMPLATES = new Set(['person', 'employee']);
const IDENTITY_CLASSES = new Set(['individual', 'group', 'system', 'organization', 'class', 'unknown']);

/** Identity templates → identity: the name (or first/middle/last names), class, roles, contact, description. */
function identity(template: string, values: ReadonlyMap<string, string[]>): SdoFromObject | undefined {
  const parts = ['first-name', 'middle-name', 'last-name'].map((r) => first(values, r)).filter((v) => v !== undefined);
  const name = first(values, 'name', 'full-name') ?? (parts.length > 0 ? parts.join(' ') : undefined);
  if (name === undefined) return undefined;
  const declared = first(values, 'identity_class');
  const identityClass =
    declared !== undefined && IDENTITY_CLASSES.has(declared)
      ? declared
      : INDIVIDUAL_TEMPLATES.has(template)
        ? 'individual'
        : ORGANIZATION_TEMPLATES.has(template)
          ? 'organization'
          : undefined;
  const contact = contactInformation(values);
  const roles = [...(values.get('roles') ?? []), ...(values.get('role') ?? []), ...(values.get('employee-type') ?? [])];
  const sectors = [...(values.get('sectors') ?? []), ...(values.get('business') ?? [])];
  const used = [
    'name',
    'full-name',
    ...(first(values, 'name', 'full-name') === undefined ? ['first-name', 'middle-name', 'last-name'] : []),
    ...(identityClass === declared ? ['identity_class'] : []),
    ...CONTACT_RELATIONS,
    'roles',
    'role',
    'employee-type',
    'description',
    'text',
    'sectors',
    'business',
  ];
  return {
    type: 'identity',
    props: defined({
      name,
      identity_class: identityClass,
      description: first(values, 'description', 'text'),
      contact_information: contact === '' ? undefined : contact,
      roles,
      sectors,
      ...customs(values, used),
    }),
  };
}

/** Identity relations that say how to reach it, in the order they are written into `contact_information`. */
export const CONTACT_RELATIONS = ['contact_information', 'email-address', 'e-mail', 'phone-number', 'address', 'website', 'link'];

/**
 * `relation: value; value / relation: value` (misp-stix's layout), relations in the order the object first gives
 * them, so the export can split the text back into the relations. A bare `contact_information` stays as written.
 */
function contactInformation(values: ReadonlyMap<string, string[]>): string {
  const parts: string[] = [];
  for (const [relation, list] of values) {
    if (!CONTACT_RELATIONS.includes(relation)) continue;
    parts.push(relation === 'contact_information' ? list.join('; ') : `${relation}: ${list.join('; ')}`);
  }
  return parts.join(' / ');
}

const COUNTRY_CODE = /^[A-Za-z]{2}$/;

function number(v: string | undefined): number | undefined {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** geolocation → location; STIX needs a region, a country or both coordinates, else undefined (kept as custom). */
function location(values: ReadonlyMap<string, string[]>): SdoFromObject | undefined {
  const code = first(values, 'countrycode');
  const country = code !== undefined && COUNTRY_CODE.test(code) ? code.toUpperCase() : undefined;
  const latitude = number(first(values, 'latitude'));
  const longitude = number(first(values, 'longitude'));
  const coordinates = latitude !== undefined && longitude !== undefined && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180;
  const region = first(values, 'region');
  if (country === undefined && region === undefined && !coordinates) return undefined;
  const radius = number(first(values, 'accuracy-radius'));
  const used = [
    ...(country === undefined ? [] : ['countrycode']),
    ...(coordinates ? ['latitude', 'longitude'] : []),
    ...(coordinates && radius !== undefined && radius >= 0 ? ['accuracy-radius'] : []),
    'region',
    'city',
    'address',
    'zipcode',
    'text',
  ];
  return {
    type: 'location',
    props: defined({
      name: first(values, 'city', 'country'),
      description: first(values, 'text'),
      country,
      region,
      city: first(values, 'city'),
      street_address: first(values, 'address'),
      postal_code: first(values, 'zipcode'),
      ...(coordinates ? { latitude, longitude } : {}),
      // MISP's accuracy radius is in kilometres, STIX's precision in metres.
      ...(coordinates && radius !== undefined && radius >= 0 ? { precision: radius * 1000 } : {}),
      ...customs(values, used),
    }),
  };
}

/** script → malware when its state is Malicious, otherwise a tool (misp-stix's mapping). */
function script(values: ReadonlyMap<string, string[]>): SdoFromObject | undefined {
  const name = first(values, 'filename', 'name');
  if (name === undefined) return undefined;
  const malicious = first(values, 'state')?.toLowerCase() === 'malicious';
  const languages = values.get('language') ?? [];
  return {
    type: malicious ? 'malware' : 'tool',
    props: defined({
      name,
      ...(malicious ? { is_family: false, implementation_languages: languages.map((l) => l.toLowerCase()) } : {}),
      description: first(values, 'comment'),
      ...customs(values, ['filename', 'name', 'comment', ...(malicious ? ['language'] : [])]),
    }),
  };
}

const IDENTITY_TEMPLATES = new Set(['identity', ...ORGANIZATION_TEMPLATES, ...INDIVIDUAL_TEMPLATES]);

/** The SDO a non-observable MISP object becomes, or undefined for observable templates. */
export function sdoFromObject(name: string, attrs: readonly JsonRecord[]): SdoFromObject | undefined {
  const values = valuesByRelation(attrs);
  if (IDENTITY_TEMPLATES.has(name)) return identity(name, values);
  if (name === 'geolocation') return location(values);
  if (name === 'script') return script(values);
  if (RULE_OBJECTS.has(name)) return rule(name, values);
  if (name === 'stix2-pattern') return stixPattern(values, attrs);
  if (name === 'vulnerability') return vulnerability(values);
  if (name === 'attack-pattern' || name === 'course-of-action') return named(name, values);
  if (name === 'annotation') {
    const content = first(values, 'text');
    return content === undefined ? undefined : { type: 'note', props: { content, ...customs(values, ['text']) } };
  }
  return undefined;
}
