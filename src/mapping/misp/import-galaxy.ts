/**
 * MISP galaxy clusters → STIX SDOs (threat-actor, intrusion-set, malware, tool, attack-pattern,
 * course-of-action, location, sector identities): the cluster uuid as id, synonyms as aliases, MITRE ATT&CK
 * ids and reference links as external references, the cluster's kill chain as kill_chain_phases.
 */
import { isUuid } from '../../stix/identifiers';
import { isTimestamp } from '../../stix/time';
import type { ImportState } from './import-input';
import { stixId } from './import-ids';
import { GALAXY_SDO_TYPES } from './misp-tables';
import { isRecord, text, type JsonRecord } from './misp-json';

export interface GalaxyObject {
  readonly sdoType: string;
  readonly id: string;
  readonly props: Record<string, unknown>;
}

/** `mitre-attack:enterprise-attack:persistence` → `{ kill_chain_name: 'mitre-attack', phase_name: 'persistence' }`. */
function killChainPhases(raw: unknown): { kill_chain_name: string; phase_name: string }[] {
  if (!Array.isArray(raw)) return [];
  const out: { kill_chain_name: string; phase_name: string }[] = [];
  for (const k of raw) {
    if (typeof k !== 'string') continue;
    const parts = k.split(':');
    const name = parts[0]
      ?.trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-');
    const phase = parts[parts.length - 1]
      ?.trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-');
    if (
      parts.length >= 2 &&
      name !== undefined &&
      name !== '' &&
      phase !== undefined &&
      phase !== '' &&
      !out.some((p) => p.phase_name === phase)
    ) {
      out.push({ kill_chain_name: name, phase_name: phase });
    }
  }
  return out;
}

type MetaKind = 'text' | 'list' | 'time' | 'flag';

/** Cluster meta fields that are properties of the SDO (written so by the MISP export and by misp-stix). */
const META_PROPERTIES: Readonly<Record<string, Readonly<Record<string, MetaKind>>>> = {
  malware: {
    is_family: 'flag',
    malware_types: 'list',
    first_seen: 'time',
    last_seen: 'time',
    architecture_execution_envs: 'list',
    implementation_languages: 'list',
    capabilities: 'list',
  },
  'threat-actor': {
    threat_actor_types: 'list',
    first_seen: 'time',
    last_seen: 'time',
    roles: 'list',
    goals: 'list',
    sophistication: 'text',
    resource_level: 'text',
    primary_motivation: 'text',
    secondary_motivations: 'list',
    personal_motivations: 'list',
  },
  'intrusion-set': {
    first_seen: 'time',
    last_seen: 'time',
    goals: 'list',
    resource_level: 'text',
    primary_motivation: 'text',
    secondary_motivations: 'list',
  },
  tool: { tool_types: 'list', tool_version: 'text' },
  campaign: { first_seen: 'time', last_seen: 'time', objective: 'text' },
};

function metaProperty(kind: MetaKind, v: unknown): unknown {
  if (kind === 'flag')
    return typeof v === 'boolean' ? v : v === 'true' || v === 'True' ? true : v === 'false' || v === 'False' ? false : undefined;
  if (kind === 'text') return typeof v === 'string' && v !== '' ? v : undefined;
  if (kind === 'time') return typeof v === 'string' && isTimestamp(v) ? v : undefined;
  const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
  return list.length > 0 ? list : undefined;
}

/** The SDO properties a cluster's meta holds (types checked; a value of the wrong shape is left out). */
function metaProperties(sdoType: string, meta: JsonRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(META_PROPERTIES[sdoType] ?? {})) {
    const v = meta[key] === undefined ? undefined : metaProperty(kind, meta[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** The SDO of one galaxy cluster, or undefined (with an info issue) when its galaxy has no STIX type. */
export function galaxyObject(galaxyType: string, c: JsonRecord, ptr: string, state: ImportState): GalaxyObject | undefined {
  const value = text(c, 'value');
  const sdoType = GALAXY_SDO_TYPES[galaxyType];
  if (value === undefined) return undefined;
  if (sdoType === undefined) {
    state.info(
      'MISP_GALAXY_UNMAPPED',
      ptr,
      `galaxy "${galaxyType}" has no STIX object type: kept as the label ${text(c, 'tag_name') ?? value}`,
    );
    return undefined;
  }
  const meta = isRecord(c['meta']) ? c['meta'] : {};
  const metaUuid = Array.isArray(meta['uuid'])
    ? meta['uuid'].find((u): u is string => typeof u === 'string' && isUuid(u.toLowerCase()))
    : undefined;
  const clusterUuid = text(c, 'uuid');
  const uuid = clusterUuid !== undefined && isUuid(clusterUuid.toLowerCase()) ? clusterUuid : metaUuid;
  const id = stixId(sdoType, uuid, sdoType, galaxyType, value);
  const synonyms = Array.isArray(meta['synonyms']) ? meta['synonyms'].filter((s): s is string => typeof s === 'string' && s !== value) : [];
  const refs: Record<string, unknown>[] = [];
  const mitre = / - ([TSGMC]\d{4}(?:\.\d{3})?)$/.exec(value)?.[1];
  if (mitre !== undefined) refs.push({ source_name: 'mitre-attack', external_id: mitre });
  if (Array.isArray(meta['refs'])) {
    for (const u of meta['refs']) if (typeof u === 'string' && /^https?:\/\//.test(u)) refs.push({ source_name: galaxyType, url: u });
  }
  const name = mitre === undefined ? value : value.slice(0, value.length - mitre.length - 3);
  const props: Record<string, unknown> = { name };
  const description = text(c, 'description');
  if (description !== undefined) props['description'] = description;
  if (synonyms.length > 0 && sdoType !== 'attack-pattern' && sdoType !== 'course-of-action' && sdoType !== 'identity') {
    props['aliases'] = synonyms;
  }
  if (sdoType === 'malware') props['is_family'] = true;
  Object.assign(props, metaProperties(sdoType, meta));
  if (sdoType === 'identity') props['identity_class'] = 'class';
  if (sdoType === 'location') {
    const iso = typeof meta['ISO'] === 'string' && /^[A-Za-z]{2}$/.test(meta['ISO']) ? meta['ISO'].toUpperCase() : undefined;
    if (iso === undefined) {
      state.info('MISP_GALAXY_UNMAPPED', ptr, `location "${value.slice(0, 100)}" has no ISO country code: kept as a label only`);
      return undefined;
    }
    props['country'] = iso;
  }
  if (refs.length > 0) props['external_references'] = refs;
  props['x_misp_galaxy_type'] = galaxyType;
  const phases = killChainPhases(meta['kill_chain']);
  if (phases.length > 0 && (sdoType === 'attack-pattern' || sdoType === 'malware' || sdoType === 'tool'))
    props['kill_chain_phases'] = phases;
  return { sdoType, id, props };
}
