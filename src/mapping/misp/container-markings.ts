/**
 * The trust rule for the report/grouping made from a MISP event: a container never carries a TLP level
 * wider than anything it lists, or it would show the ids of RED objects to GREEN readers. The event's
 * objects are split by TLP level: the container at the event's own level (with the event's uuid) lists the
 * objects at that level; each stricter level gets its own container (a derived id) listing everything up to
 * that level. Unmarked context objects (the producer identity) are listed everywhere.
 */
import type { TlpLevel } from '../../stix/markings';
import { strictestTlp, tlpRank } from '../../stix/markings';
import type { StixObject } from '../types';
import { derivedId } from '../common/stix-builders';

/** A TLP level, or undefined for unmarked content. */
export type Level = TlpLevel | undefined;

function rank(level: Level): number {
  return level === undefined ? -1 : tlpRank(level);
}

/** The stricter of two levels (unmarked is the widest). */
export function stricter(a: Level, b: Level): Level {
  return rank(a) >= rank(b) ? a : b;
}

/** The TLP level an object carries (its strictest TLP marking). */
export function levelOfObject(o: StixObject): Level {
  const refs = Array.isArray(o['object_marking_refs']) ? o['object_marking_refs'].filter((m): m is string => typeof m === 'string') : [];
  return strictestTlp(refs);
}

/** The id of the container holding a stricter level than the event's own (deterministic). */
export function containerIdAt(type: 'report' | 'grouping', eventKey: string, level: Level): string {
  return derivedId(type, 'misp', type, eventKey, `tlp:${level ?? 'none'}`);
}

export interface ContainerPart {
  readonly level: Level;
  readonly refs: readonly string[];
}

/**
 * One part per TLP level that holds content (objects other than context objects, or links), from the widest
 * to the strictest; each part lists every object at its level or wider.
 */
export function splitByMarking(
  refs: readonly string[],
  levelOf: (id: string) => Level,
  isContext: (id: string) => boolean,
  extraLevels: readonly Level[],
): ContainerPart[] {
  const levels = new Map<number, Level>();
  for (const id of refs) if (!isContext(id)) levels.set(rank(levelOf(id)), levelOf(id));
  for (const l of extraLevels) levels.set(rank(l), l);
  if (levels.size === 0 && refs.length > 0) for (const id of refs) levels.set(rank(levelOf(id)), levelOf(id));
  return [...levels.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([r, level]) => ({ level, refs: refs.filter((id) => rank(levelOf(id)) <= r) }));
}
