/**
 * The named objects (malware, threat actors, campaigns, …) that export formats without such objects (CSV, TXT,
 * OpenIOC) carry as context of their values: the indicators that indicate a malware get its name (a CSV tag, a
 * comment, an OpenIOC metadata link) instead of the name being lost. Pure.
 */
import type { StixObject } from '../types';

/** SDOs a list names as context of its values (the malware the IOCs indicate), never as values. */
const NAMED_TYPES: ReadonlySet<string> = new Set([
  'malware',
  'threat-actor',
  'campaign',
  'intrusion-set',
  'tool',
  'attack-pattern',
  'infrastructure',
  'report',
  'grouping',
  'incident',
]);

/** The name of an SDO a list can carry as context (`malware "NoviSpy"`), or undefined. */
export function contextName(o: StixObject): string | undefined {
  const name = o['name'];
  return NAMED_TYPES.has(o.type) && typeof name === 'string' && name.trim() !== '' ? name : undefined;
}

/**
 * For each indicator, the names of the SDOs it `indicates` (and of the reports or groupings listing it), so a
 * list export can write them beside the indicator's values (the CSV tags column) instead of losing them.
 */
export function contextNamesByIndicator(objects: readonly StixObject[]): Map<string, string[]> {
  const byId = new Map(objects.map((o) => [o.id, o]));
  const out = new Map<string, string[]>();
  const add = (indicatorId: unknown, named: StixObject | undefined): void => {
    const name = named === undefined ? undefined : contextName(named);
    if (typeof indicatorId !== 'string' || name === undefined || byId.get(indicatorId)?.type !== 'indicator') return;
    const list = out.get(indicatorId) ?? [];
    if (!list.includes(name)) list.push(name);
    out.set(indicatorId, list);
  };
  for (const o of objects) {
    if (o.type === 'relationship' && o['relationship_type'] === 'indicates') {
      const target = o['target_ref'];
      add(o['source_ref'], typeof target === 'string' ? byId.get(target) : undefined);
    } else if (o.type === 'report' || o.type === 'grouping') {
      const refs = o['object_refs'];
      if (Array.isArray(refs)) for (const r of refs) add(r, o);
    }
  }
  return out;
}

/** How many indicators carry each context name (by the named object's id), for the skip issues. */
export function indicatorsNaming(objects: readonly StixObject[], names: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const list of names.values()) for (const n of list) counts.set(n, (counts.get(n) ?? 0) + 1);
  const byObject = new Map<string, number>();
  for (const o of objects) {
    const name = contextName(o);
    if (name !== undefined) byObject.set(o.id, counts.get(name) ?? 0);
  }
  return byObject;
}
