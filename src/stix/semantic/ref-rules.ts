/**
 * Which object types each reference property may point to (STIX 2.1 §3–§6). Only the TYPE named in the id is
 * checked: a reference to an object that is not in the same bundle is normal in TAXII and is accepted.
 */
import { SCO_TYPES } from '../identifiers';
import { categoryOf, SDO_TYPES } from './stix-types';

/** A rule: the allowed target types, or a predicate over the target type. */
export type RefRule = ReadonlySet<string> | ((targetType: string) => boolean);

const set = (...types: string[]): ReadonlySet<string> => new Set(types);

/** A custom object type; `bundle` is not an object (STIX 2.1 §8) and is never a reference target. */
const isCustom = (t: string): boolean => t !== 'bundle' && categoryOf(t) === 'custom';
const isSdoOrCustom = (t: string): boolean => SDO_TYPES.has(t) || isCustom(t);
/** Relationship ends: SDOs and SCOs (custom objects included), never SROs, meta objects or bundles. */
const isRelationshipEnd = (t: string): boolean => {
  const c = categoryOf(t);
  return c === 'sdo' || c === 'sco' || isCustom(t);
};
const isScoOrCustom = (t: string): boolean => SCO_TYPES.has(t) || isCustom(t);
const isObservable = (t: string): boolean => isScoOrCustom(t) || t === 'relationship';

const ADDRESSES = set('ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name');

/** Rules that hold for a property name on every type. */
const ANY_TYPE: Readonly<Record<string, RefRule>> = {
  created_by_ref: set('identity'),
  object_marking_refs: set('marking-definition'),
  marking_ref: set('marking-definition'),
};

/** Rules per `<type>` then property name. */
const BY_TYPE: Readonly<Record<string, Readonly<Record<string, RefRule>>>> = {
  relationship: { source_ref: isRelationshipEnd, target_ref: isRelationshipEnd },
  sighting: {
    sighting_of_ref: isSdoOrCustom,
    observed_data_refs: set('observed-data'),
    where_sighted_refs: set('identity', 'location'),
  },
  'observed-data': { object_refs: isObservable },
  malware: { sample_refs: set('file', 'artifact'), operating_system_refs: set('software') },
  'malware-analysis': {
    host_vm_ref: set('software'),
    operating_system_ref: set('software'),
    installed_software_refs: set('software'),
    analysis_sco_refs: isScoOrCustom,
    sample_ref: set('file', 'artifact', 'network-traffic'),
  },
  'domain-name': { resolves_to_refs: set('ipv4-addr', 'ipv6-addr', 'domain-name') },
  'ipv4-addr': { resolves_to_refs: set('mac-addr'), belongs_to_refs: set('autonomous-system') },
  'ipv6-addr': { resolves_to_refs: set('mac-addr'), belongs_to_refs: set('autonomous-system') },
  'email-addr': { belongs_to_ref: set('user-account') },
  'email-message': {
    from_ref: set('email-addr'),
    sender_ref: set('email-addr'),
    to_refs: set('email-addr'),
    cc_refs: set('email-addr'),
    bcc_refs: set('email-addr'),
    raw_email_ref: set('artifact'),
    body_raw_ref: set('artifact', 'file'),
  },
  file: { parent_directory_ref: set('directory'), contains_refs: isScoOrCustom, content_ref: set('artifact') },
  directory: { contains_refs: set('file', 'directory') },
  'network-traffic': {
    src_ref: ADDRESSES,
    dst_ref: ADDRESSES,
    src_payload_ref: set('artifact'),
    dst_payload_ref: set('artifact'),
    encapsulates_refs: set('network-traffic'),
    encapsulated_by_ref: set('network-traffic'),
  },
  process: {
    opened_connection_refs: set('network-traffic'),
    creator_user_ref: set('user-account'),
    image_ref: set('file'),
    parent_ref: set('process'),
    child_refs: set('process'),
  },
  'windows-registry-key': { creator_user_ref: set('user-account') },
};

/** The rule for property `prop` (the last key of the path) on an object of type `type`, if any. */
export function refRule(type: string, prop: string): RefRule | undefined {
  return BY_TYPE[type]?.[prop] ?? ANY_TYPE[prop];
}

/** True when the rule allows a reference to an object of `targetType`. */
export function refAllowed(rule: RefRule, targetType: string): boolean {
  return typeof rule === 'function' ? rule(targetType) : rule.has(targetType);
}

/** A short description of a rule for messages. */
export function describeRule(rule: RefRule): string {
  if (typeof rule !== 'function') return [...rule].join(' or ');
  return RULE_NAMES.get(rule) ?? 'a permitted object type';
}

const RULE_NAMES: ReadonlyMap<RefRule, string> = new Map<RefRule, string>([
  [isSdoOrCustom, 'an SDO'],
  [isRelationshipEnd, 'an SDO or SCO'],
  [isScoOrCustom, 'an SCO'],
  [isObservable, 'an SCO or relationship'],
]);
