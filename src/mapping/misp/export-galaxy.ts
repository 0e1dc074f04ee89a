/**
 * Galaxy-like SDOs (threat-actor, intrusion-set, malware, tool, attack-pattern, course-of-action) → MISP galaxy
 * clusters. The `misp-galaxy:<type>="<name>"` tag names the cluster; the cluster itself (in the event's `Galaxy`
 * list) carries what the tag cannot: the description, aliases as `synonyms`, kill-chain phases as
 * `kill_chain: ["<chain>:<phase>"]`, reference links as `refs`, an external id, and every other property of the
 * SDO as a meta field of the same name (after misp-stix's documented mapping of other producers' SDOs to
 * galaxy clusters). The MISP importer (`import-galaxy.ts`) reads these fields back.
 */
import type { StixObject } from '../types';
import { GATEWAY_ID_NAMESPACE, parseStixId, uuidV5 } from '../../stix/identifiers';
import { GALAXY_FOR_SDO } from './misp-tables';
import { isJson } from './sco-flatten';

type Json = Record<string, unknown>;

/** Properties the cluster holds elsewhere (value, description, uuid) or that are not the SDO's content. */
const NOT_META = new Set([
  'type',
  'id',
  'spec_version',
  'name',
  'description',
  'aliases',
  'kill_chain_phases',
  'external_references',
  'created_by_ref',
  'object_marking_refs',
  'granular_markings',
  'labels',
  'revoked',
  'lang',
  'extensions',
  'x_misp_galaxy_type',
]);

function stringProp(o: Json, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

function mitreId(o: Json): string | undefined {
  const refs = Array.isArray(o['external_references']) ? o['external_references'] : [];
  for (const r of refs)
    if (isJson(r) && r['source_name'] === 'mitre-attack' && typeof r['external_id'] === 'string') return r['external_id'];
  return undefined;
}

/** The galaxy type of an SDO: the one the importer recorded, else the default per SDO type. */
export function galaxyTypeOf(o: StixObject): string | undefined {
  return stringProp(o, 'x_misp_galaxy_type') ?? GALAXY_FOR_SDO[o.type];
}

/** The cluster value: the SDO name, with its MITRE ATT&CK id appended as MISP's galaxies write it. */
function clusterValue(o: StixObject): string | undefined {
  const name = stringProp(o, 'name');
  if (name === undefined) return undefined;
  const mitre = mitreId(o);
  return (mitre === undefined ? name : `${name} - ${mitre}`).replace(/"/g, "'");
}

/** `misp-galaxy:<type>="<value>"`, or undefined when the SDO has no name or no galaxy type. */
export function galaxyTag(o: StixObject): string | undefined {
  const galaxy = galaxyTypeOf(o);
  const value = clusterValue(o);
  return galaxy === undefined || value === undefined ? undefined : `misp-galaxy:${galaxy}="${value}"`;
}

/** A meta value: strings, numbers and booleans as they are, lists of them as lists, anything else as JSON text. */
function metaValue(v: unknown): unknown {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v;
  return JSON.stringify(v);
}

function clusterMeta(o: StixObject): Json {
  const meta: Json = {};
  const aliases = Array.isArray(o['aliases']) ? o['aliases'].filter((a): a is string => typeof a === 'string') : [];
  if (aliases.length > 0) meta['synonyms'] = aliases;
  const phases = Array.isArray(o['kill_chain_phases']) ? o['kill_chain_phases'].filter(isJson) : [];
  const chain = phases.flatMap((p) =>
    typeof p['kill_chain_name'] === 'string' && typeof p['phase_name'] === 'string' ? [`${p['kill_chain_name']}:${p['phase_name']}`] : [],
  );
  if (chain.length > 0) meta['kill_chain'] = chain;
  const refs = Array.isArray(o['external_references']) ? o['external_references'].filter(isJson) : [];
  const urls = refs.flatMap((r) => (typeof r['url'] === 'string' ? [r['url']] : []));
  if (urls.length > 0) meta['refs'] = urls;
  const external = refs.find((r) => r['source_name'] !== 'mitre-attack' && typeof r['external_id'] === 'string');
  if (external !== undefined) meta['external_id'] = external['external_id'];
  for (const [k, v] of Object.entries(o)) if (!NOT_META.has(k) && v !== undefined) meta[k] = metaValue(v);
  return meta;
}

/** The galaxy cluster of an SDO (the SDO's uuid, its tag name, description and meta), or undefined. */
export function galaxyCluster(o: StixObject): { galaxyType: string; cluster: Json } | undefined {
  const galaxyType = galaxyTypeOf(o);
  const value = clusterValue(o);
  if (galaxyType === undefined || value === undefined) return undefined;
  const cluster: Json = {
    uuid: parseStixId(o.id)?.uuid ?? uuidV5(o.id, GATEWAY_ID_NAMESPACE),
    type: galaxyType,
    value,
    tag_name: `misp-galaxy:${galaxyType}="${value}"`,
    description: stringProp(o, 'description') ?? '',
    meta: clusterMeta(o),
  };
  return { galaxyType, cluster };
}

/** The event's `Galaxy` list: one galaxy per type, its clusters in the order the SDOs came. */
export function galaxyList(clusters: readonly { galaxyType: string; cluster: Json }[]): Json[] {
  const byType = new Map<string, Json[]>();
  for (const c of clusters) {
    const list = byType.get(c.galaxyType) ?? [];
    if (!list.some((x) => x['uuid'] === c.cluster['uuid'])) list.push(c.cluster);
    byType.set(c.galaxyType, list);
  }
  return [...byType.entries()].map(([type, list]) => ({
    uuid: uuidV5(`galaxy\u0000${type}`, GATEWAY_ID_NAMESPACE),
    type,
    name: type,
    GalaxyCluster: list,
  }));
}
