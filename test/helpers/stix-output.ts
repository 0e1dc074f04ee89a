/**
 * Checks that converter output is valid STIX 2.1 as the gateway itself judges it (the prepare stage the
 * worker and `validate` use) plus the bundle-level MUSTs a per-object check cannot see: a bundle holds at
 * least one object, no UUID serves two object types (STIX 2.1 §2.9), every reference resolves to an object
 * of the output (or a well-known TLP marking), and the gateway keeps every id as minted (deterministic SCO
 * ids are already the canonical ones).
 */
import { isWellKnownTlpId } from '../../src/stix/markings';
import { prepareObjects } from '../../src/stix/prepare';

export interface StixOutputProblem {
  readonly id: string;
  readonly problem: string;
}

function refsOf(value: unknown, key: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const v of value) refsOf(v, key, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) refsOf(v, k, out);
  } else if (typeof value === 'string' && (key.endsWith('_ref') || key.endsWith('_refs'))) {
    out.push(value);
  }
}

/** Every problem of a converter's output; an empty list means the bundle is valid. */
export function stixOutputProblems(
  objects: readonly (Record<string, unknown> & { readonly id: string; readonly type: string })[],
): StixOutputProblem[] {
  const problems: StixOutputProblem[] = [];
  if (objects.length === 0) problems.push({ id: 'bundle', problem: 'no objects (a bundle must hold one or more)' });
  for (const o of prepareObjects(objects, {})) {
    if (!o.ok) {
      for (const i of o.issues) problems.push({ id: o.id ?? `#${o.index}`, problem: `${i.code} ${i.path} ${i.message}` });
      continue;
    }
    for (const i of o.object.changes)
      if (i.severity === 'error') problems.push({ id: o.object.id, problem: `${i.code} ${i.path} ${i.message}` });
    if (o.object.postedId !== undefined) problems.push({ id: o.object.postedId, problem: `id rewritten by the gateway to ${o.object.id}` });
  }
  const typeOfUuid = new Map<string, string>();
  const ids = new Set<string>();
  for (const o of objects) {
    if (ids.has(o.id)) problems.push({ id: o.id, problem: 'id emitted twice' });
    ids.add(o.id);
    const uuid = o.id.slice(o.id.indexOf('--') + 2);
    const other = typeOfUuid.get(uuid);
    if (other !== undefined && other !== o.type) problems.push({ id: o.id, problem: `UUID also used by a ${other}` });
    typeOfUuid.set(uuid, o.type);
  }
  for (const o of objects) {
    const refs: string[] = [];
    refsOf(o, '', refs);
    for (const r of refs)
      if (!ids.has(r) && !isWellKnownTlpId(r)) problems.push({ id: o.id, problem: `reference ${r} resolves to nothing in the output` });
  }
  return problems;
}
