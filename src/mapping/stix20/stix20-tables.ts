/**
 * What STIX 2.1 added over 2.0, as data for the downgrade (facts from the two specifications and the
 * python-stix2 v20/v21 object pairs).
 */
import { TLP1_IDS } from '../../stix/markings';

/** Object types new in 2.1: dropped on export (a 2.0 reader cannot validate them). */
export const TYPES_21_ONLY: ReadonlySet<string> = new Set([
  'grouping',
  'note',
  'opinion',
  'infrastructure',
  'location',
  'malware-analysis',
  'incident',
  'language-content',
  'extension-definition',
]);

/** Common properties new in 2.1 (removed from every SDO/SRO). */
export const COMMON_21_ONLY: ReadonlySet<string> = new Set(['confidence', 'lang', 'extensions']);

/** Type-specific properties new in 2.1, per type. */
export const PROPERTIES_21_ONLY: Readonly<Record<string, readonly string[]>> = {
  indicator: ['pattern_version'],
  malware: [
    'is_family',
    'aliases',
    'first_seen',
    'last_seen',
    'operating_system_refs',
    'architecture_execution_envs',
    'implementation_languages',
    'capabilities',
    'sample_refs',
  ],
  tool: ['aliases'],
  'threat-actor': ['first_seen', 'last_seen'],
  identity: ['roles'],
  'attack-pattern': ['aliases'],
  relationship: ['start_time', 'stop_time'],
  'marking-definition': ['name'],
};

/** The 2.1 `*_types` property whose values become the required 2.0 `labels`. */
export const TYPES_TO_LABELS: Readonly<Record<string, string>> = {
  indicator: 'indicator_types',
  malware: 'malware_types',
  tool: 'tool_types',
  'threat-actor': 'threat_actor_types',
  report: 'report_types',
};

const tlp1 = (id: string, color: string): Record<string, unknown> => ({
  type: 'marking-definition',
  id,
  created: '2017-01-20T00:00:00.000Z',
  definition_type: 'tlp',
  definition: { tlp: color },
});

/** The TLP 1.0 marking definitions, by id (STIX 2.0 §4.1.3). */
export const TLP1_DEFINITIONS: Readonly<Record<string, Record<string, unknown>>> = {
  [TLP1_IDS.white]: tlp1(TLP1_IDS.white, 'white'),
  [TLP1_IDS.green]: tlp1(TLP1_IDS.green, 'green'),
  [TLP1_IDS.amber]: tlp1(TLP1_IDS.amber, 'amber'),
  [TLP1_IDS.red]: tlp1(TLP1_IDS.red, 'red'),
};
