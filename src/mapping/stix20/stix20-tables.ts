/**
 * What STIX 2.1 added over 2.0, as data for the downgrade (facts from the two specifications and the
 * python-stix2 v20/v21 object pairs).
 */
import { TLP1_IDS } from '../../stix/markings';
import { LABELS_TO } from '../../stix/normalize/upgrade';
import { officialTlpDefinition } from '../../stix/semantic/official-markings';
import { COMMON_PROPERTIES, standardProperties } from '../../stix/semantic/stix-types';

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
  // every malware property of 2.1 but those 2.0 defines (its labels are 2.1's malware_types, renamed on export)
  malware: [...(standardProperties('malware') ?? [])].filter(
    (p) => !COMMON_PROPERTIES.has(p) && !['name', 'description', 'kill_chain_phases', 'malware_types'].includes(p),
  ),
  tool: ['aliases'],
  'threat-actor': ['first_seen', 'last_seen'],
  identity: ['roles'],
  'attack-pattern': ['aliases'],
  relationship: ['start_time', 'stop_time'],
  'marking-definition': ['name'],
};

/** The 2.1 `*_types` property whose values become the required 2.0 `labels` (the upgrade's table, read backwards). */
export const TYPES_TO_LABELS: Readonly<Record<string, string>> = LABELS_TO;

/** A TLP 1.0 definition in its 2.0 form: the official 2.1 definition without `spec_version` and `name`. */
function tlp1(id: string): Record<string, unknown> {
  const official = { ...officialTlpDefinition(id) };
  delete official['spec_version'];
  delete official['name'];
  return official;
}

/** The TLP 1.0 marking definitions, by id (STIX 2.0 §4.1.3). */
export const TLP1_DEFINITIONS: Readonly<Record<string, Record<string, unknown>>> = Object.fromEntries(
  Object.values(TLP1_IDS).map((id) => [id, tlp1(id)]),
);
