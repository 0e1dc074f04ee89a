/**
 * Write side of the sharing policy, checked by the worker for each prepared object before it is stored.
 * A refusal is content, not a fault: it becomes the object's status failure with a code and a reason, and the
 * other objects of the envelope are unaffected.
 *
 * Rules (all optional, per collection in collections.yaml):
 * - `max_tlp_accepted`: objects marked above this level (object or granular markings) are refused. Unmarked
 *   objects count as the collection's default_tlp (normalization adds it), else as UNMARKED_TLP.
 * - `require_own_identity: true`: a CERT cannot publish in another CERT's name. An object whose
 *   created_by_ref is not the writing principal's identity is refused; so is an SDO or SRO without
 *   created_by_ref. SCOs (which cannot carry created_by_ref), the writer's own identity object and the
 *   well-known TLP marking definitions are accepted.
 * - `accepted_producers`: when set, an object with a created_by_ref not in the list is refused.
 * - `refused_markings`: objects carrying any of these marking-definition ids (object or granular) are refused.
 */
import type { CollectionConfig } from '../config/types';
import { isWellKnownTlpId, tlpRank } from '../stix/markings';
import { SDO_TYPES, SRO_TYPES } from '../stix/semantic/stix-types';
import { granularMarkingRefsOfJson, recordTlpRank } from './record-rank';

export type PolicyRefusalCode = 'TLP_ABOVE_ACCEPTED' | 'NOT_OWN_IDENTITY' | 'PRODUCER_NOT_ACCEPTED' | 'MARKING_REFUSED';

export interface PolicyRefusal {
  readonly code: PolicyRefusalCode;
  readonly message: string;
}

/** What the write policy needs to know about one prepared object. */
export interface PolicySubject {
  readonly id: string;
  readonly type: string;
  readonly createdByRef?: string;
  /** object_marking_refs */
  readonly markingRefs: readonly string[];
  /** The canonical JSON (granular markings are read from it). */
  readonly json: string;
}

/** True when a collection has any write rule (lets the worker skip the step entirely). */
export function hasWriteRules(c: CollectionConfig): boolean {
  return (
    c.max_tlp_accepted !== undefined ||
    c.require_own_identity === true ||
    c.accepted_producers !== undefined ||
    c.refused_markings !== undefined
  );
}

/** The first rule the object breaks, or undefined when the collection accepts it from this writer. */
export function checkWritePolicy(o: PolicySubject, c: CollectionConfig, writerIdentity: string): PolicyRefusal | undefined {
  if (c.max_tlp_accepted !== undefined) {
    const rank = recordTlpRank(o.type, o.markingRefs, o.json);
    if (rank > tlpRank(c.max_tlp_accepted)) {
      return {
        code: 'TLP_ABOVE_ACCEPTED',
        message: `the object is marked above TLP:${c.max_tlp_accepted.toUpperCase()}, the highest this collection accepts`,
      };
    }
  }
  if (c.refused_markings !== undefined) {
    const refused = new Set(c.refused_markings);
    const hit = [...o.markingRefs, ...granularMarkingRefsOfJson(o.json)].find((m) => refused.has(m));
    if (hit !== undefined) return { code: 'MARKING_REFUSED', message: `this collection refuses objects marked ${hit}` };
  }
  const producer = o.createdByRef;
  if (c.require_own_identity === true && !ownIdentityOk(o, writerIdentity)) {
    return {
      code: 'NOT_OWN_IDENTITY',
      message:
        producer === undefined
          ? `created_by_ref is missing; this collection requires it to be the writer's identity ${writerIdentity}`
          : `created_by_ref ${producer} is not the writer's identity ${writerIdentity}; a CERT cannot publish in another's name`,
    };
  }
  if (c.accepted_producers !== undefined && producer !== undefined && !c.accepted_producers.includes(producer)) {
    return { code: 'PRODUCER_NOT_ACCEPTED', message: `producer ${producer} is not among this collection's accepted_producers` };
  }
  return undefined;
}

function ownIdentityOk(o: PolicySubject, writerIdentity: string): boolean {
  if (o.type === 'marking-definition' && isWellKnownTlpId(o.id)) return true;
  if (o.id === writerIdentity) return true;
  if (o.createdByRef !== undefined) return o.createdByRef === writerIdentity;
  return !(SDO_TYPES.has(o.type) || SRO_TYPES.has(o.type));
}
