/**
 * The TLP rank stored with each record: the most restrictive TLP marking of the object, object-level
 * (`object_marking_refs`) and granular (`granular_markings[].marking_ref`) together, so an object any of whose
 * properties is marked above a reader's clearance is not shared with that reader at all.
 *
 * TLP 1.0 and 2.0 are both understood (src/stix/markings.ts): WHITE ≡ CLEAR, GREEN/AMBER/RED of either
 * version are the same level, AMBER+STRICT exists only in 2.0 and ranks between AMBER and RED.
 *
 * Unmarked objects. Normalization applies the collection's `default_tlp` to every object without a TLP
 * marking, so an unmarked object is only stored when the collection has no default_tlp. Such an object
 * ranks as AMBER (UNMARKED_TLP): the producer published it to the collection's readers without saying how
 * far it may travel, which is what AMBER means; a reader cleared only for CLEAR or GREEN does not receive
 * it. Marking definitions are the exception: they carry no marking of their own and every reader needs them
 * to interpret the markings it receives, so they rank as CLEAR.
 *
 * Unknown markings fail closed. An object referencing a marking the gateway cannot resolve — neither an official
 * TLP definition nor a definition held in the collection (or accepted in the same envelope) — is refused with
 * UNKNOWN_MARKING, or, where the collection says `unknown_markings: withhold`, stored at WITHHELD_RANK: above
 * every clearance, so no reader receives it on any path. A `tlp` definition under a non-official id is refused
 * (TLP_MARKING_ID) and so never becomes known: it can never lower the rank of what references it.
 *
 * The stored rank is then raised to the highest rank of every object the record references (src/policy/
 * references.ts): the rank computed here is the record's own.
 */
import type { TlpLevel } from '../stix/markings';
import { isWellKnownTlpId, strictestTlp, tlpRank } from '../stix/markings';

/** Rank of a record no reader may receive: above TLP:RED (4), the highest clearance. */
export const WITHHELD_RANK = 5;

/** The markings (object and granular) of an object that are neither official nor in `known`. */
export function unresolvedMarkings(markingRefs: readonly string[], json: string, known: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const m of [...markingRefs, ...granularMarkingRefsOfJson(json)]) {
    if (!isWellKnownTlpId(m) && !known.has(m) && !out.includes(m)) out.push(m);
  }
  return out;
}

/** The level an object without any TLP marking ranks as (see the module comment). */
export const UNMARKED_TLP: TlpLevel = 'amber';

/** Most granular markings looked at per object (the schema bounds objects; this bounds the work here). */
const MAX_GRANULAR = 1000;

/** The marking_ref of each granular marking of a parsed object. */
export function granularMarkingRefs(obj: unknown): string[] {
  if (typeof obj !== 'object' || obj === null) return [];
  const g: unknown = (obj as Record<string, unknown>)['granular_markings'];
  if (!Array.isArray(g)) return [];
  const out: string[] = [];
  for (const m of g.slice(0, MAX_GRANULAR)) {
    const ref: unknown = typeof m === 'object' && m !== null ? (m as Record<string, unknown>)['marking_ref'] : undefined;
    if (typeof ref === 'string') out.push(ref);
  }
  return out;
}

/** Granular marking refs read from stored JSON text (parsed only when the text mentions them). */
export function granularMarkingRefsOfJson(json: string): string[] {
  return json.includes('"granular_markings"') ? granularMarkingRefs(JSON.parse(json)) : [];
}

/** The strictest TLP level of an object, or undefined when it has no TLP marking. */
export function objectTlp(markingRefs: readonly string[], json: string): TlpLevel | undefined {
  return strictestTlp([...markingRefs, ...granularMarkingRefsOfJson(json)]);
}

/** The rank stored with a record (0 clear .. 4 red); `type` decides the unmarked case. */
export function recordTlpRank(type: string, markingRefs: readonly string[], json: string): number {
  const level = objectTlp(markingRefs, json);
  if (level !== undefined) return tlpRank(level);
  return type === 'marking-definition' ? 0 : tlpRank(UNMARKED_TLP);
}
