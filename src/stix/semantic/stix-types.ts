/**
 * What STIX 2.1 defines, as plain data: the object types by category and the standard properties of each
 * type. The semantic checks use it to tell standard properties from custom ones and to check reference
 * targets; the JSON schemas (schemas/stix) remain the authority on property values.
 */
import { SCO_TYPES } from '../identifiers';
import { META_TYPES, SDO_TYPES, SRO_TYPES } from '../type-names';
import { SCO_COMMON_PROPERTIES, SCO_PROPERTY_NAMES } from '../sco-properties';

export { META_TYPES, SDO_TYPES, SRO_TYPES } from '../type-names';

export type ObjectCategory = 'sdo' | 'sro' | 'sco' | 'meta' | 'custom';

/** The category of a type; anything STIX 2.1 does not define is 'custom'. */
export function categoryOf(type: string): ObjectCategory {
  if (SDO_TYPES.has(type)) return 'sdo';
  if (SRO_TYPES.has(type)) return 'sro';
  if (SCO_TYPES.has(type)) return 'sco';
  if (META_TYPES.has(type)) return 'meta';
  return 'custom';
}

/** The common properties of SDOs and SROs (§3.2): what says who made an object, when and under which markings. */
export const SDO_COMMON_PROPERTIES: readonly string[] = [
  'type',
  'spec_version',
  'id',
  'created_by_ref',
  'created',
  'modified',
  'revoked',
  'labels',
  'confidence',
  'lang',
  'external_references',
  'object_marking_refs',
  'granular_markings',
  'extensions',
];

const SPECIFIC: Readonly<Record<string, readonly string[]>> = {
  'attack-pattern': ['name', 'description', 'aliases', 'kill_chain_phases'],
  campaign: ['name', 'description', 'aliases', 'first_seen', 'last_seen', 'objective'],
  'course-of-action': ['name', 'description', 'action', 'action_type', 'os_execution_envs', 'action_bin', 'action_reference'],
  grouping: ['name', 'description', 'context', 'object_refs'],
  identity: ['name', 'description', 'roles', 'identity_class', 'sectors', 'contact_information'],
  incident: ['name', 'description', 'kill_chain_phases'],
  indicator: [
    'name',
    'description',
    'indicator_types',
    'pattern',
    'pattern_type',
    'pattern_version',
    'valid_from',
    'valid_until',
    'kill_chain_phases',
  ],
  infrastructure: ['name', 'description', 'infrastructure_types', 'aliases', 'kill_chain_phases', 'first_seen', 'last_seen'],
  'intrusion-set': [
    'name',
    'description',
    'aliases',
    'first_seen',
    'last_seen',
    'goals',
    'resource_level',
    'primary_motivation',
    'secondary_motivations',
  ],
  location: [
    'name',
    'description',
    'latitude',
    'longitude',
    'precision',
    'region',
    'country',
    'administrative_area',
    'city',
    'street_address',
    'postal_code',
  ],
  malware: [
    'name',
    'description',
    'malware_types',
    'is_family',
    'aliases',
    'kill_chain_phases',
    'first_seen',
    'last_seen',
    'operating_system_refs',
    'architecture_execution_envs',
    'implementation_languages',
    'capabilities',
    'sample_refs',
  ],
  'malware-analysis': [
    'product',
    'version',
    'host_vm_ref',
    'operating_system_ref',
    'installed_software_refs',
    'configuration_version',
    'modules',
    'analysis_engine_version',
    'analysis_definition_version',
    'submitted',
    'analysis_started',
    'analysis_ended',
    'result_name',
    'result',
    'analysis_sco_refs',
    'sample_ref',
  ],
  note: ['abstract', 'content', 'authors', 'object_refs'],
  'observed-data': ['first_observed', 'last_observed', 'number_observed', 'objects', 'object_refs'],
  opinion: ['explanation', 'authors', 'opinion', 'object_refs'],
  report: ['name', 'description', 'report_types', 'published', 'object_refs'],
  'threat-actor': [
    'name',
    'description',
    'threat_actor_types',
    'aliases',
    'first_seen',
    'last_seen',
    'roles',
    'goals',
    'sophistication',
    'resource_level',
    'primary_motivation',
    'secondary_motivations',
    'personal_motivations',
  ],
  tool: ['name', 'description', 'tool_types', 'aliases', 'kill_chain_phases', 'tool_version'],
  vulnerability: ['name', 'description'],
  relationship: ['relationship_type', 'description', 'source_ref', 'target_ref', 'start_time', 'stop_time'],
  sighting: ['description', 'first_seen', 'last_seen', 'count', 'sighting_of_ref', 'observed_data_refs', 'where_sighted_refs', 'summary'],
  ...SCO_PROPERTY_NAMES,
  'marking-definition': [
    'type',
    'spec_version',
    'id',
    'created_by_ref',
    'created',
    'external_references',
    'object_marking_refs',
    'granular_markings',
    'definition_type',
    'definition',
    'name',
    'extensions',
  ],
  'language-content': [...SDO_COMMON_PROPERTIES, 'object_ref', 'object_modified', 'contents'],
  'extension-definition': [...SDO_COMMON_PROPERTIES, 'name', 'description', 'schema', 'version', 'extension_types', 'extension_properties'],
};

const STANDARD: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(SPECIFIC).map(([type, props]): [string, ReadonlySet<string>] => {
    const category = categoryOf(type);
    const common = category === 'sco' ? SCO_COMMON_PROPERTIES : category === 'meta' ? [] : SDO_COMMON_PROPERTIES;
    return [type, new Set([...common, ...props])];
  }),
);

/** Properties every SDO/SRO (and custom object) may carry. */
export const COMMON_PROPERTIES: ReadonlySet<string> = new Set(SDO_COMMON_PROPERTIES);

/** The standard property names of a STIX 2.1 type, or undefined for custom types. */
export function standardProperties(type: string): ReadonlySet<string> | undefined {
  return STANDARD.get(type);
}

/** Top-level properties that hold timestamps, whatever the type (custom objects included). */
export const TIMESTAMP_PROPERTIES: ReadonlySet<string> = new Set([
  'created',
  'modified',
  'valid_from',
  'valid_until',
  'first_seen',
  'last_seen',
  'published',
  'first_observed',
  'last_observed',
  'start_time',
  'stop_time',
  'submitted',
  'analysis_started',
  'analysis_ended',
  'object_modified',
  'ctime',
  'mtime',
  'atime',
  'date',
  'start',
  'end',
  'created_time',
  'modified_time',
  'account_created',
  'account_expires',
  'credential_last_changed',
  'account_first_login',
  'account_last_login',
  'validity_not_before',
  'validity_not_after',
]);

/** Pattern languages stored as opaque text (STIX 2.1 pattern-type-ov, minus `stix`). */
export const OPAQUE_PATTERN_TYPES: ReadonlySet<string> = new Set(['pcre', 'sigma', 'snort', 'suricata', 'yara', 'spl']);
