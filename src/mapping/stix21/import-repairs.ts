/**
 * Repairs of STIX 2.1 objects written by producers that followed a draft of 2.1 (docs/mapping/stix20.md, "STIX
 * 2.1 drafts"): early 2.1 drafts had no `pattern_type`, so their indicators lack the property the final 2.1
 * requires. An indicator whose `pattern` reads as a STIX pattern (it opens with `[` or `(`) gets
 * `pattern_type: "stix"`; any other pattern is left for the pipeline to reject, so nothing is guessed. Pure.
 */
import { type ContentIssue, issue } from '../../stix/issues';
import type { StixObject } from '../types';

export interface Repaired21 {
  readonly object: StixObject;
  readonly issue?: ContentIssue;
}

/** Applies the draft repairs to one 2.1 object found at JSON pointer `path`. */
export function repairStix21Object(o: StixObject, path: string): Repaired21 {
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
