/**
 * Repairs of STIX 2.1 objects written by producers that followed a draft of 2.1 (docs/mapping/stix20.md, "STIX
 * 2.1 drafts"): early 2.1 drafts had no `pattern_type`, so their indicators lack the property the final 2.1
 * requires. An indicator whose `pattern` reads as a STIX pattern (it opens with `[` or `(`) gets
 * `pattern_type: "stix"`; any other pattern is left for the pipeline to reject, so nothing is guessed. The
 * drafts had no `is_family` either: a malware without it gets `is_family: false` (an instance, as the STIX 1
 * Malware_Instance it usually came from; the reference elevator writes the same), reported. Pure.
 */
import { type ContentIssue, issue } from '../../stix/issues';
import type { StixObject } from '../types';

export interface Repaired21 {
  readonly object: StixObject;
  readonly issue?: ContentIssue;
}

/** Applies the draft repairs to one 2.1 object found at JSON pointer `path`. */
export function repairStix21Object(o: StixObject, path: string): Repaired21 {
  if (o.type === 'malware' && o['is_family'] === undefined) return repairMalware(o, path);
  if (o.type !== 'indicator' || o['pattern_type'] !== undefined) return { object: o };
  const pattern = o['pattern'];
  if (typeof pattern !== 'string' || !/^\s*[[(]/.test(pattern)) return { object: o };
  return {
    object: { ...o, pattern_type: 'stix' },
    issue: issue(
      'warning',
      'STIX21_PATTERN_TYPE_DEFAULTED',
      `${path}/pattern_type`,
      'indicator has no pattern_type (a STIX 2.1 draft); its pattern is a STIX pattern: pattern_type "stix" added',
      o.id,
    ),
  };
}

/** A 2.1-draft malware without `is_family`: `is_family: false` added, with a warning. */
function repairMalware(o: StixObject, path: string): Repaired21 {
  return {
    object: { ...o, is_family: false },
    issue: issue(
      'warning',
      'STIX21_IS_FAMILY_DEFAULTED',
      `${path}/is_family`,
      'malware has no is_family (a STIX 2.1 draft): is_family false added',
      o.id,
    ),
  };
}
