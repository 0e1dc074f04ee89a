/**
 * The reference rule (docs/security.md, "Threat model"): no reader receives a record that names an object it may
 * not read. The rule withholds the container rather than redacting it: the served bytes stay exactly what the
 * producer posted, and a record's stored rank is at least the highest rank of every object it references
 * (src/store/lua/store-objects.lua keeps that true when a referenced object arrives or rises later). Every read
 * path filters on that one rank, so objects, object, versions, manifest, lookup, original, export, the
 * federation push sink and DELETE all apply the same rule.
 *
 * This module says which ids an object references: every STIX id in the value of a `*_ref` or `*_refs`
 * property, at any depth (relationships, sightings, reports/groupings/notes/opinions `object_refs`,
 * observed-data, granular `marking_ref`, created_by_ref, extensions). Left out, because they reveal nothing
 * stored: the object's own id, the official TLP definitions, and the configured identities of the CERTs (their
 * ids are in collections.yaml and every partner knows them).
 *
 * The scan runs on the canonical JSON text. A `_ref` key inside a string value (escaped quotes) is matched too:
 * that can only withhold more, never less.
 */
import { isWellKnownTlpId } from '../stix/markings';

/** A `*_ref`/`*_refs` key and its value: one string, or a flat array of strings. */
const REF_PROPERTY = /_refs?"\s*:\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])/g;
const STIX_ID = /[a-z0-9][a-z0-9-]*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;

/** Most references kept per object (more would only make the rank rule slower; the rank is then capped at RED). */
export const MAX_REFS = 1000;

/**
 * The ids an object's references name, minus those that reveal nothing (see the module comment). `overflow` is
 * true when the object names more than MAX_REFS such ids.
 */
export function referencedIds(json: string, selfId: string, publicIds: ReadonlySet<string>): { ids: string[]; overflow: boolean } {
  if (!json.includes('_ref')) return { ids: [], overflow: false };
  const out = new Set<string>();
  for (const m of json.matchAll(REF_PROPERTY)) {
    const value = m[1] ?? '';
    for (const id of value.matchAll(STIX_ID)) {
      const ref = id[0];
      if (ref === selfId || publicIds.has(ref) || isWellKnownTlpId(ref)) continue;
      out.add(ref);
      if (out.size > MAX_REFS) return { ids: [...out].slice(0, MAX_REFS), overflow: true };
    }
  }
  return { ids: [...out], overflow: false };
}
