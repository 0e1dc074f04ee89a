/**
 * A small boolean tree of STIX comparisons shared by the XML converters (STIX 1.x and OpenIOC, both
 * directions), and its rendering to STIX 2.1 pattern text.
 *
 * Rendering rule (STIX 2.1 §9, and what the elevator does): comparisons inside one `[...]` must share one
 * root object type. An AND over several roots becomes separate observations joined by AND (one observation
 * per root, keeping same-root terms together); an OR over several roots becomes observations joined by OR.
 * An AND over different objects (`observations`) is one observation per object, whatever their roots.
 */
import { patternPathKey, quotePatternString } from '../../stix/pattern/quote';
import { printLiteral } from '../../stix/pattern/printer';

export type PatternValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'binary'; readonly value: string }
  /** Even-length lower-case hex digits, written `h'…'` (the `*_hex` properties). */
  | { readonly kind: 'hex'; readonly value: string }
  | { readonly kind: 'timestamp'; readonly value: string }
  | { readonly kind: 'set'; readonly values: readonly (string | number)[] }
  /** A literal written as is: booleans (`true`) and floating-point numbers (`4.25`). */
  | { readonly kind: 'raw'; readonly value: string };

export type Operator = '=' | '!=' | '>' | '<' | '>=' | '<=' | 'MATCHES' | 'LIKE' | 'IN' | 'ISSUBSET';

export interface Comparison {
  readonly kind: 'cmp';
  /** SCO type, e.g. `file`. */
  readonly root: string;
  /** Object path segments after the root: `['hashes', 'SHA-256']`, `['values', '*', 'name']`. */
  readonly path: readonly string[];
  readonly op: Operator;
  readonly value: PatternValue;
  readonly negated: boolean;
}

export interface BoolExpr {
  readonly kind: 'and' | 'or';
  readonly items: readonly Expr[];
  /**
   * Joins observations (`[…] AND […]`, a CybOX Observable_Composition, a composite indicator): each item describes
   * its own object, even with the same root (`[a] AND [b]`, not the unsatisfiable `[a AND b]` for two files with
   * different hashes).
   */
  readonly observations?: boolean;
}

export type Expr = Comparison | BoolExpr;

export function cmp(root: string, path: readonly string[], op: Operator, value: PatternValue, negated = false): Comparison {
  return { kind: 'cmp', root, path, op, value, negated };
}

export function str(value: string): PatternValue {
  return { kind: 'string', value };
}

export function int(value: number): PatternValue {
  return { kind: 'int', value };
}

/**
 * Builds an AND/OR node, flattening nested nodes of the same operator and dropping repeated identical terms
 * (`a AND a` is `a`); one item collapses to itself.
 */
export function combine(kind: 'and' | 'or', items: readonly Expr[], observations = false): Expr | undefined {
  const flat: Expr[] = [];
  const seen = new Set<string>();
  for (const it of flattenSame(kind, items, observations)) {
    const key = JSON.stringify(it);
    if (seen.has(key)) continue;
    seen.add(key);
    flat.push(it);
  }
  if (flat.length === 0) return undefined;
  if (flat.length === 1) return flat[0];
  return observations ? { kind, items: flat, observations } : { kind, items: flat };
}

/** Nested nodes of the same operator are flattened; an AND of one object's terms never merges into an AND of objects. */
function flattenSame(kind: 'and' | 'or', items: readonly Expr[], observations: boolean): Expr[] {
  return items.flatMap((it) => (it.kind === kind && (kind === 'or' || (it.observations ?? false) === observations) ? it.items : [it]));
}

function isObservationsAnd(e: Expr): boolean {
  return e.kind === 'and' && e.observations === true && e.items.length > 1;
}

/** Escapes regex metacharacters so a literal can sit inside a MATCHES pattern (PCRE). */
export function regexEscape(value: string): string {
  return value.replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`);
}

/**
 * Substring conditions as comparisons, anchored as requested: MATCHES with a regex-escaped value; or, as
 * `LIKE`, `%` around the value as written (`LIKE '%evil.com%'`) unless it holds `%` or `_`, which LIKE reads
 * as wildcards and which keep the MATCHES form.
 */
export function substringComparison(
  root: string,
  path: readonly string[],
  kind: 'contains' | 'starts' | 'ends',
  value: string,
  negated = false,
  operator: 'MATCHES' | 'LIKE' = 'MATCHES',
): Comparison {
  if (operator === 'LIKE' && !/[%_]/.test(value)) {
    const like = kind === 'starts' ? `${value}%` : kind === 'ends' ? `%${value}` : `%${value}%`;
    return cmp(root, path, 'LIKE', str(like), negated);
  }
  const body = regexEscape(value);
  const regex = kind === 'starts' ? `^${body}` : kind === 'ends' ? `${body}$` : body;
  return cmp(root, path, 'MATCHES', str(regex), negated);
}

/** The object path text after the root: `hashes.'SHA-256'`, `values[*].name`. */
export function renderPath(path: readonly string[]): string {
  let out = '';
  for (const seg of path) {
    if (seg === '*') out += '[*]';
    else if (/^[0-9]+$/.test(seg)) out += `[${seg}]`;
    else out += (out === '' ? '' : '.') + patternPathKey(seg);
  }
  return out;
}

/** A value as pattern text: the STIX literals through the pattern printer; sets and raw text here. */
function renderValue(v: PatternValue): string {
  if (v.kind === 'raw') return v.value;
  if (v.kind === 'set') return `(${v.values.map((x) => (typeof x === 'number' ? String(x) : quotePatternString(x))).join(', ')})`;
  return printLiteral(v);
}

export function renderComparison(c: Comparison): string {
  return `${c.root}:${renderPath(c.path)} ${c.negated ? 'NOT ' : ''}${c.op} ${renderValue(c.value)}`;
}

/** The single root type of an expression made only of comparisons on that root, else undefined. */
export function singleRoot(e: Expr): string | undefined {
  if (e.kind === 'cmp') return e.root;
  if (isObservationsAnd(e)) return undefined;
  let root: string | undefined;
  for (const it of e.items) {
    const r = singleRoot(it);
    if (r === undefined || (root !== undefined && r !== root)) return undefined;
    root = r;
  }
  return root;
}

function renderInner(e: Expr, top: boolean): string {
  if (e.kind === 'cmp') return renderComparison(e);
  const text = e.items.map((it) => renderInner(it, false)).join(e.kind === 'and' ? ' AND ' : ' OR ');
  return top ? text : `(${text})`;
}

function renderObservations(e: Expr, top: boolean): string {
  if (singleRoot(e) !== undefined) return `[${renderInner(e, true)}]`;
  if (e.kind === 'cmp') return `[${renderComparison(e)}]`;
  const parts: string[] = [];
  if (isObservationsAnd(e)) {
    for (const it of e.items) parts.push(renderObservations(it, false));
  } else if (e.kind === 'and') {
    // Same-root terms of an AND stay together in one observation, in order of first appearance.
    const groups = new Map<string, Expr[]>();
    const order: (string | Expr)[] = [];
    for (const it of e.items) {
      const r = singleRoot(it);
      if (r === undefined) {
        order.push(it);
        continue;
      }
      const g = groups.get(r);
      if (g === undefined) {
        groups.set(r, [it]);
        order.push(r);
      } else g.push(it);
    }
    for (const o of order) {
      if (typeof o === 'string') {
        const g = groups.get(o) ?? [];
        const merged = combine('and', g);
        if (merged !== undefined) parts.push(`[${renderInner(merged, true)}]`);
      } else parts.push(renderObservations(o, false));
    }
  } else {
    for (const it of e.items) parts.push(renderObservations(it, false));
  }
  const text = parts.join(e.kind === 'and' ? ' AND ' : ' OR ');
  return top || parts.length === 1 ? text : `(${text})`;
}

/** Renders an expression as a STIX 2.1 pattern. */
export function renderPattern(e: Expr): string {
  return renderObservations(e, true);
}

/** Every comparison of an expression, in order. */
export function comparisons(e: Expr): Comparison[] {
  if (e.kind === 'cmp') return [e];
  return e.items.flatMap(comparisons);
}
