/**
 * The names of the standard STIX 2.1 object types by category (SCO types: identifiers.ts, with their
 * ID-contributing properties). A module of its own, importing nothing, so that identifiers.ts can use the
 * names without an import cycle through semantic/stix-types.ts, which re-exports them.
 */
/** STIX 2.1 Domain Objects. */
export const SDO_TYPES: ReadonlySet<string> = new Set([
  'attack-pattern',
  'campaign',
  'course-of-action',
  'grouping',
  'identity',
  'incident',
  'indicator',
  'infrastructure',
  'intrusion-set',
  'location',
  'malware',
  'malware-analysis',
  'note',
  'observed-data',
  'opinion',
  'report',
  'threat-actor',
  'tool',
  'vulnerability',
]);

/** STIX 2.1 Relationship Objects. */
export const SRO_TYPES: ReadonlySet<string> = new Set(['relationship', 'sighting']);

/** STIX 2.1 meta objects (they have no `modified`, or a shape of their own). */
export const META_TYPES: ReadonlySet<string> = new Set(['marking-definition', 'language-content', 'extension-definition']);
