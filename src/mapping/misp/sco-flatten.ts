/**
 * SCOs → comparisons (export): what a pattern matching exactly this SCO would say, so observed-data and
 * stray SCOs go through the same resolution as indicator patterns. Referenced SCOs contribute their scalar
 * properties under the reference (`parent_directory_ref.path`, `from_ref.display_name`, `child_refs[*].pid`).
 */
import type { StixObject } from '../types';
import type { Comparison } from './comparisons';
import { SCO_COMMON_PROPERTIES } from '../../stix/sco-properties';

type Json = Record<string, unknown>;

export function isJson(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** SCO ids (or embedded keys) an SCO references through `*_ref` / `*_refs`. */
export function refsOf(sco: Json): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(sco)) {
    if (k.endsWith('_ref') && typeof v === 'string') out.push(v);
    if (k.endsWith('_refs') && Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x);
  }
  return out;
}

/** Not values of the observable: the SCO common properties (`extensions` aside: flattened like any other), and two flags. */
const SKIP_PROPS = new Set([...SCO_COMMON_PROPERTIES.filter((p) => p !== 'extensions'), 'is_multipart', 'extensions_unused']);
const MAX_FLATTEN_DEPTH = 6;

type Scalar = string | number | boolean;

const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** The scalar properties of a referenced SCO (its own references are not followed). */
function refProps(target: StixObject): [string, Scalar][] {
  return Object.entries(target).filter((e): e is [string, Scalar] => !SKIP_PROPS.has(e[0]) && isScalar(e[1]) && !e[0].endsWith('_ref'));
}

/** The importer's stand-in `protocols: ['ipv4' | 'ipv6']` of a traffic whose MISP value named no protocol. */
function fillerProtocol(sco: StixObject, key: string, list: readonly unknown[], depth: number): boolean {
  return (
    depth === 0 && sco.type === 'network-traffic' && key === 'protocols' && list.length === 1 && (list[0] === 'ipv4' || list[0] === 'ipv6')
  );
}

/** An SCO's properties as comparisons. */
export function flatten(sco: StixObject, scos: ReadonlyMap<string, StixObject>): Comparison[] {
  const out: Comparison[] = [];
  const push = (path: string[], value: Scalar): void => {
    out.push({ root: sco.type, path, value });
  };
  const viaRef = (id: unknown, path: string[], nested = false): void => {
    const target = typeof id === 'string' ? scos.get(id) : undefined;
    if (target === undefined) return;
    for (const [k, v] of refProps(target)) push([...path, k], v);
    if (nested) return;
    // One reference further (`parent_ref.image_ref.name`, `src_ref.belongs_to_refs[*].number`), never deeper.
    for (const [k, v] of Object.entries(target)) {
      if (k.endsWith('_ref')) viaRef(v, [...path, k], true);
      else if (k.endsWith('_refs') && Array.isArray(v)) for (const ref of v) viaRef(ref, [...path, k, '*'], true);
    }
  };
  const walk = (node: Json, path: string[], depth: number): void => {
    if (depth > MAX_FLATTEN_DEPTH) return;
    for (const [k, v] of Object.entries(node)) {
      if (depth === 0 && SKIP_PROPS.has(k)) continue;
      if (k.endsWith('_ref')) viaRef(v, [...path, k]);
      else if (k.endsWith('_refs') && Array.isArray(v)) for (const id of v) viaRef(id, [...path, k, '*']);
      else if (isScalar(v)) push([...path, k], v);
      else if (Array.isArray(v)) {
        for (const item of v) {
          if (isJson(item)) walk(item, [...path, k, '*'], depth + 1);
          // The lone address family the importer writes because STIX requires protocols says nothing MISP keeps
          // (another producer's ['ipv4', 'pptp'] is kept whole).
          else if (fillerProtocol(sco, k, v, depth)) continue;
          // A repeated MISP relation kept as a list custom property: one value per comparison, as the import read it.
          else if (isScalar(item)) push(k.startsWith('x_misp_') ? [...path, k] : [...path, k, '*'], item);
        }
      } else if (isJson(v)) walk(v, [...path, k], depth + 1);
    }
  };
  walk(sco, [], 0);
  return out;
}
