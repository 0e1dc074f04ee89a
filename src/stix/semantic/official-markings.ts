/**
 * Content rule for the official TLP marking definitions: a marking-definition posted under one of the nine
 * well-known TLP ids (TLP 1.0 from STIX 2.1 §7.2.1.4, TLP 2.0 through its extension-definition) must say what
 * the official definition says. Consumers that resolve a marking by its content (rather than by its id)
 * would otherwise read a forged level under an official id, e.g. the TLP:CLEAR id with `tlp_2_0: green`.
 *
 * "Says the same" means: the same TLP level in every place a level can be written (`name`, `definition.tlp`,
 * the extension's `tlp_2_0`), the form of its TLP version (1.0: `definition_type: tlp`; 2.0: the extension),
 * the official `created` (compared as a timestamp, so precision variants pass), and no property the
 * official definition lacks. A variant that differs is refused with TLP_MARKING_TAMPERED, by ingest and by
 * `validate` alike (both run checkObject, which calls this).
 */
import { type ContentIssue, issue } from '../issues';
import { TLP1_IDS, TLP2_EXTENSION_ID, TLP2_IDS } from '../markings';
import { parseTimestamp } from '../time';
import { isJsonObject } from './prescreen';

interface OfficialTlp {
  readonly version: 1 | 2;
  /** The level word used in the definition: 1.0 `white|green|amber|red`, 2.0 `clear|...|amber+strict|red`. */
  readonly word: string;
  readonly created: string;
}

const TLP1_CREATED = '2017-01-20T00:00:00.000Z';
const TLP2_CREATED = '2022-10-01T00:00:00.000Z';
/** The identity that publishes the TLP 2.0 definitions (the only created_by_ref an official 2.0 one may carry). */
export const TLP2_PUBLISHER = 'identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01';

const OFFICIAL: ReadonlyMap<string, OfficialTlp> = new Map<string, OfficialTlp>([
  ...Object.entries(TLP1_IDS).map(([word, id]): [string, OfficialTlp] => [id, { version: 1, word, created: TLP1_CREATED }]),
  ...Object.entries(TLP2_IDS).map(([word, id]): [string, OfficialTlp] => [id, { version: 2, word, created: TLP2_CREATED }]),
]);

/** Properties an official definition may carry; anything else changes its content. */
const ALLOWED = new Set(['type', 'spec_version', 'id', 'created', 'created_by_ref', 'name', 'definition_type', 'definition', 'extensions']);

/** The official definition's content, as data (for tests and docs): what an official id must say. */
export function officialTlpDefinition(id: string): Readonly<Record<string, unknown>> | undefined {
  const o = OFFICIAL.get(id);
  if (!o) return undefined;
  const base = { type: 'marking-definition', spec_version: '2.1', id, created: o.created, name: `TLP:${o.word.toUpperCase()}` };
  return o.version === 1
    ? { ...base, definition_type: 'tlp', definition: { tlp: o.word } }
    : { ...base, extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: o.word } } };
}

/** How the posted definition differs from the official one, or undefined when it does not. */
function difference(obj: Record<string, unknown>, o: OfficialTlp): string | undefined {
  for (const key of Object.keys(obj))
    if (!ALLOWED.has(key)) return `it carries "${key.slice(0, 60)}", which the official definition does not`;
  const name = obj['name'];
  if (name !== undefined && name !== `TLP:${o.word.toUpperCase()}`) return `its name is not TLP:${o.word.toUpperCase()}`;
  const created = obj['created'];
  const official = parseTimestamp(o.created);
  const posted = typeof created === 'string' ? parseTimestamp(created) : undefined;
  if (!posted || !official || posted.micros !== official.micros) return `its created is not ${o.created}`;
  const ext = obj['extensions'];
  const def = obj['definition'];
  if (o.version === 1) {
    if (obj['definition_type'] !== 'tlp' || !isJsonObject(def)) return 'a TLP 1.0 definition has definition_type "tlp" and a definition';
    if (Object.keys(def).length !== 1 || def['tlp'] !== o.word) return `its definition is not {"tlp": "${o.word}"}`;
    if (ext !== undefined) return 'a TLP 1.0 definition has no extensions';
    if (obj['created_by_ref'] !== undefined) return 'a TLP 1.0 definition has no created_by_ref';
    return undefined;
  }
  if (obj['definition_type'] !== undefined || def !== undefined) return 'a TLP 2.0 definition has no definition_type or definition';
  if (obj['created_by_ref'] !== undefined && obj['created_by_ref'] !== TLP2_PUBLISHER) return `its created_by_ref is not ${TLP2_PUBLISHER}`;
  if (!isJsonObject(ext) || Object.keys(ext).length !== 1) return `a TLP 2.0 definition has exactly one extension, ${TLP2_EXTENSION_ID}`;
  const e = ext[TLP2_EXTENSION_ID];
  if (!isJsonObject(e) || Object.keys(e).length !== 2 || e['extension_type'] !== 'property-extension' || e['tlp_2_0'] !== o.word) {
    return `its extension does not say {"extension_type": "property-extension", "tlp_2_0": "${o.word}"}`;
  }
  return undefined;
}

/**
 * TLP_MARKING_TAMPERED when `obj` is a marking-definition under an official TLP id whose content differs from
 * the official definition; nothing for any other object. True when it reported.
 */
export function checkOfficialMarking(obj: Record<string, unknown>, id: string, out: ContentIssue[]): boolean {
  const o = OFFICIAL.get(id);
  if (!o || obj['type'] !== 'marking-definition') return false;
  const why = difference(obj, o);
  if (why === undefined) return false;
  out.push(issue('error', 'TLP_MARKING_TAMPERED', '/id', `${id} is the official TLP:${o.word.toUpperCase()} definition, but ${why}`, id));
  return true;
}
