/**
 * Comparisons of one observation (a pattern's `[...]` or a flattened SCO) → a MISP attribute or a MISP
 * object (export). Content the gateway's importer wrote carries `misp:type` / `misp:name` hints that restore
 * the original MISP type; content from other producers has none: one comparison becomes an attribute, several
 * become the MISP object template that holds most of them (after misp-stix's mapping of STIX 2.1 from other
 * producers to MISP objects). Comparisons no template relation holds are returned as `unmapped`, never dropped
 * silently.
 */
import { canonicalHashName } from '../../stix/values';
import { canonicalValue, parsePath, pathText, type Comparison } from './comparisons';
import { ATTRIBUTE_TYPES, type FieldSpec } from './misp-tables';
import {
  OBJECT_FOR_ROOT,
  OBJECT_TYPES,
  protocolLayerRelation,
  relationOfCustom,
  type ObjectMapping,
  type RelationSpec,
} from './object-table';

export interface ResolvedRelation {
  readonly relation: string;
  readonly type: string;
  readonly value: string;
}

/** An attribute (one value) or an object (relations, and comparisons no relation of its template holds). */
export type Resolved =
  | { readonly kind: 'attribute'; readonly type: string; readonly value: string }
  | {
      readonly kind: 'object';
      readonly type: string;
      readonly relations: readonly ResolvedRelation[];
      /** `path = value` of comparisons no relation holds: reported and kept in the object's comment */
      readonly unmapped?: readonly string[];
    };

export interface Hints {
  readonly type?: string;
  readonly name?: string;
}

/** True when a comparison's value is acceptable for a field kind (so `dst_ref.value` picks ip vs hostname). */
function accepts(spec: FieldSpec, c: Comparison): boolean {
  return canonicalValue(spec.kind, String(c.value), c.path).ok;
}

function rootMatches(tableRoot: string, root: string): boolean {
  return tableRoot === root || (tableRoot === 'ip-addr' && (root === 'ipv4-addr' || root === 'ipv6-addr'));
}

const text = (v: Comparison['value']): string => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

/** Other producers' values as misp-stix writes them: AS numbers with their prefix, booleans `true` / `false`. */
function externalValue(x: ResolvedRelation): ResolvedRelation {
  if (x.type === 'AS') return { ...x, value: asText(x.value) };
  return x.type === 'boolean' && /^(true|false)$/i.test(x.value) ? { ...x, value: x.value.toLowerCase() } : x;
}

/** MISP writes AS numbers with their `AS` prefix (misp-stix: `AS197869`). */
const asText = (v: string): string => (/^\d+$/.test(v) ? `AS${v}` : v);

/** Drops `x_ref.type` constraints (implied by the value) and spells hash names as the vocabulary does. */
function meaningful(raw: readonly Comparison[]): Comparison[] {
  return raw
    .filter((c) => !(c.path.length === 2 && c.path[1] === 'type' && (c.path[0] ?? '').endsWith('_ref')))
    .map((c) => {
      const at = c.path.lastIndexOf('hashes');
      const name = at < 0 ? undefined : c.path[at + 1];
      const canonical = name === undefined ? undefined : canonicalHashName(name);
      if (canonical === undefined || canonical === name) return c;
      return { ...c, path: c.path.map((p, i) => (i === at + 1 ? canonical : p)) };
    });
}

export function resolve(raw: readonly Comparison[], hint: Hints): Resolved | undefined {
  const r = resolveComparisons(raw, hint);
  // The gateway's own MISP content gives back the value as MISP had it; other producers' values are spelled as misp-stix does.
  if (r === undefined || hint.type !== undefined || hint.name !== undefined) return r;
  if (r.kind === 'attribute') return r.type === 'AS' ? { ...r, value: asText(r.value) } : r;
  return { ...r, relations: r.relations.map(externalValue) };
}

function resolveComparisons(raw: readonly Comparison[], hint: Hints): Resolved | undefined {
  const comparisons = meaningful(raw);
  const root = comparisons[0]?.root;
  if (root === undefined || comparisons.some((c) => c.root !== root)) return undefined;
  const distinct = new Set(comparisons.map((c) => pathText(c.path))).size === comparisons.length;
  const asAttribute =
    hint.name === undefined && distinct && (comparisons.length === 1 || (hint.type !== undefined && comparisons.length === 2));
  if (asAttribute) {
    const attr = attributeFor(comparisons, hint.type);
    if (attr !== undefined) return attr;
  }
  if (hint.name === 'stix2-pattern') return undefined;
  const name = chooseObject(root, comparisons, hint.name);
  const mapping = name === undefined ? undefined : OBJECT_TYPES[name];
  if (name === undefined || mapping === undefined) return comparisons.length <= 2 ? attributeFor(comparisons, hint.type) : undefined;
  const { relations, unmapped } = relationsOf(mapping, comparisons);
  if (relations.length === 0) return undefined;
  return { kind: 'object', type: name, relations, ...(unmapped.length > 0 ? { unmapped } : {}) };
}

/** The relation of a template that holds a comparison, or undefined. */
function relationFor(mapping: ObjectMapping, c: Comparison): ResolvedRelation | undefined {
  const key = pathText(c.path);
  const fits = ([, spec]: [string, RelationSpec]): boolean => pathText(parsePath(spec.path)) === key && accepts(spec, c);
  const match = Object.entries(mapping.relations).find(fits) ?? Object.entries(mapping.exportOnly ?? {}).find(fits);
  if (match !== undefined) {
    const [relation, spec] = match;
    const layered = relation.startsWith('layer') && typeof c.value === 'string' ? protocolLayerRelation(c.value) : relation;
    const value = spec.valueText === undefined ? text(c.value) : spec.valueText[text(c.value)];
    if (value === undefined) return undefined;
    return { relation: layered, type: spec.type, value };
  }
  const last = c.path[c.path.length - 1] ?? '';
  const prefix = mapping.customPrefix === undefined ? [] : parsePath(mapping.customPrefix);
  const onPrefix = c.path.length === prefix.length + 1 && prefix.every((p, i) => c.path[i] === p);
  const custom = onPrefix || c.path.length === 1 ? relationOfCustom(last) : undefined;
  return custom === undefined ? undefined : { relation: custom, type: 'text', value: text(c.value) };
}

function relationsOf(mapping: ObjectMapping, comparisons: readonly Comparison[]): { relations: ResolvedRelation[]; unmapped: string[] } {
  const relations: ResolvedRelation[] = [];
  const unmapped: string[] = [];
  const implied = Object.values(mapping.implied ?? {});
  for (const c of comparisons) {
    const fixed = mapping.fixed?.[pathText(c.path)];
    if (fixed !== undefined && fixed === c.value) continue;
    if (implied.some((i) => pathText(parsePath(i.path)) === pathText(c.path) && i.value === c.value)) continue;
    const r = relationFor(mapping, c);
    if (r === undefined) unmapped.push(`${c.root}:${pathText(c.path)} = ${text(c.value)}`);
    else relations.push(r);
  }
  return { relations, unmapped };
}

/** How well a template holds the comparisons: relations found, plus its fixed properties matched. */
function score(mapping: ObjectMapping, comparisons: readonly Comparison[]): number {
  let n = 0;
  for (const c of comparisons) {
    const fixed = mapping.fixed?.[pathText(c.path)];
    if (fixed !== undefined) n += fixed === c.value ? 2 : -100;
    else if (relationFor(mapping, c) !== undefined && !c.path[0]?.startsWith('x_misp_')) n++;
  }
  return n;
}

/** The hinted template when it fits the root, else the best-scoring one (ties: the root's usual template). */
function chooseObject(root: string, comparisons: readonly Comparison[], hinted: string | undefined): string | undefined {
  if (hinted !== undefined && OBJECT_TYPES[hinted]?.root === root) return hinted;
  const preferred = preferredObject(root, comparisons);
  let best: string | undefined = preferred;
  let bestScore = preferred === undefined ? -1 : score(OBJECT_TYPES[preferred] as ObjectMapping, comparisons);
  for (const [name, mapping] of Object.entries(OBJECT_TYPES)) {
    if (mapping.root !== root || name === preferred || name === 'pe' || name === 'pe-section') continue;
    const s = score(mapping, comparisons);
    if (s > bestScore) [best, bestScore] = [name, s];
  }
  return best;
}

/**
 * The usual template of a root. Traffic follows misp-stix's documented mapping of other producers' STIX 2.1:
 * with a `socket-ext` it is a `network-socket`, with an `http-request-ext` an `http-request`, any other traffic
 * its generic `network-traffic` template (misp-stix maps none of it to `ip-port` or `network-connection`, which
 * come back only for content labelled with them).
 */
function preferredObject(root: string, comparisons: readonly Comparison[]): string | undefined {
  if (root !== 'network-traffic') return OBJECT_FOR_ROOT[root];
  const extension = (name: string): boolean => comparisons.some((c) => c.path[0] === 'extensions' && c.path[1] === name);
  if (extension('socket-ext')) return 'network-socket';
  return extension('http-request-ext') ? 'http-request' : 'network-traffic';
}

/**
 * One or two comparisons → a MISP attribute type whose fields are exactly these paths and accept these values;
 * the hinted type wins when it fits. A `value` path that fits no type of its root is classified by the value
 * (an IP written as domain-name:value becomes ip-dst).
 */
export function attributeFor(comparisons: readonly Comparison[], hint: string | undefined): Resolved | undefined {
  const candidates: { type: string; value: string }[] = [];
  for (const [type, mapping] of Object.entries(ATTRIBUTE_TYPES)) {
    if (mapping.kind !== 'pattern' || mapping.fields.length !== comparisons.length) continue;
    const first = comparisons[0];
    if (first === undefined || !rootMatches(mapping.root, first.root)) continue;
    const values: string[] = [];
    for (const field of mapping.fields) {
      const c = comparisons.find((x) => pathText(x.path) === pathText(parsePath(field.path)));
      if (c === undefined || !accepts(field, c)) break;
      values.push(text(c.value));
    }
    if (values.length === mapping.fields.length) candidates.push({ type, value: values.join('|') });
  }
  const chosen = candidates.find((c) => c.type === hint) ?? (hint === 'link' && comparisons[0]?.root === 'url' ? undefined : candidates[0]);
  if (chosen !== undefined) return { kind: 'attribute', type: chosen.type, value: chosen.value };
  const only = comparisons[0];
  const single = comparisons.length === 1 && only !== undefined && typeof only.value === 'string' ? only.value : undefined;
  if (single !== undefined && only?.root === 'network-traffic' && only.path.length === 2 && only.path[1] === 'value') {
    // An address alone on the traffic: the attribute type of that side.
    const side = only.path[0] === 'src_ref' ? 'src' : only.path[0] === 'dst_ref' ? 'dst' : undefined;
    if (side !== undefined && canonicalValue('ip', single, only.path).ok) return { kind: 'attribute', type: `ip-${side}`, value: single };
    if (side === 'dst' && canonicalValue('domain', single, only.path).ok) return { kind: 'attribute', type: 'hostname', value: single };
  }
  if (hint === 'link' && only !== undefined && only.root === 'url') return { kind: 'attribute', type: 'link', value: text(only.value) };
  if (
    comparisons.length === 1 &&
    only !== undefined &&
    only.path.length === 1 &&
    only.path[0] === 'value' &&
    typeof only.value === 'string'
  ) {
    for (const [kind, type] of [
      ['ip', 'ip-dst'],
      ['domain', 'domain'],
      ['email', 'email'],
      ['url', 'url'],
    ] as const) {
      if (canonicalValue(kind, only.value, only.path).ok) return { kind: 'attribute', type, value: only.value };
    }
  }
  return undefined;
}
