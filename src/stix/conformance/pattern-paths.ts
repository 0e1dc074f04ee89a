/**
 * STIX 2.1 §9.3: an object path names properties of its object type, and a path that goes through a reference
 * (`src_ref.value`, `to_refs[*].value`) names a property of a type the reference may point to (§6 reference
 * rules, src/stix/semantic/ref-rules.ts). The parser checks the first step (PATTERN_UNKNOWN_PROPERTY); this
 * checks the steps behind references. Custom types, `x_` properties, extensions and references whose targets
 * are not a fixed list are not followed. Used by strict validation (strict-checks.ts). Pure.
 */
import { type ContentIssue, issue } from '../issues';
import { type ObjectPath, parsePattern, patternSpanPath, type Span } from '../pattern';
import { scoHasProperty, SCO_TYPES } from '../sco-properties';
import { refRule } from '../semantic/ref-rules';

/** Deepest AST nesting followed (the parser bounds a pattern's depth well below this). */
const MAX_WALK_DEPTH = 200;

interface FoundPath {
  readonly path: ObjectPath;
  readonly span: Span | undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function isObjectPath(v: unknown): v is ObjectPath {
  return isRecord(v) && typeof v['objectType'] === 'string' && Array.isArray(v['steps']);
}

function isSpan(v: unknown): v is Span {
  return isRecord(v) && typeof v['start'] === 'number' && typeof v['end'] === 'number';
}

/** Every object path of the AST, with the span of the test that holds it. */
function collectPaths(node: unknown, out: FoundPath[], depth: number): void {
  if (depth > MAX_WALK_DEPTH || !isRecord(node)) return;
  if (Array.isArray(node)) {
    for (const n of node) collectPaths(n, out, depth + 1);
    return;
  }
  const path = node['path'];
  if (isObjectPath(path)) {
    const span = node['span'];
    out.push({ path, span: isSpan(span) ? span : undefined });
    return;
  }
  for (const key of Object.keys(node)) if (key !== 'span') collectPaths(node[key], out, depth + 1);
}

/** Why a path is invalid behind a reference, or undefined when it is valid (or not checkable). */
export function invalidPathReason(path: ObjectPath): string | undefined {
  let types: readonly string[] = [path.objectType];
  const steps = path.steps;
  let i = 0;
  while (i < steps.length) {
    const step = steps[i];
    if (step?.kind !== 'key' || step.key.startsWith('x_') || !types.every((t) => SCO_TYPES.has(t))) return undefined;
    const key = step.key;
    if (i > 0 && !types.some((t) => scoHasProperty(t, key) === true)) {
      return `'${key.slice(0, 60)}' is not a property of ${types.join(' or ')} (what ${pathText(path, i)} points to)`;
    }
    if (!key.endsWith('_ref') && !key.endsWith('_refs')) return undefined;
    const targets = new Set<string>();
    for (const t of types) {
      const rule = refRule(t, key);
      if (rule === undefined || typeof rule === 'function') return undefined;
      for (const target of rule) targets.add(target);
    }
    types = [...targets];
    i++;
    const next = steps[i];
    if (key.endsWith('_refs') && (next?.kind === 'index' || next?.kind === 'any')) i++;
  }
  return undefined;
}

/** The path up to (not including) step `end`, for messages: `network-traffic:src_ref`. */
function pathText(path: ObjectPath, end: number): string {
  const parts = path.steps.slice(0, end).map((s) => (s.kind === 'key' ? `.${s.key}` : s.kind === 'index' ? `[${s.index}]` : '[*]'));
  return `${path.objectType}:${parts.join('').slice(1)}`;
}

/** The PATTERN_PATH_INVALID issues of a STIX pattern (none when it does not parse: PATTERN_SYNTAX says why). */
export function patternPathIssues(pattern: string, id: string): ContentIssue[] {
  const parsed = parsePattern(pattern);
  if (parsed.value === undefined) return [];
  const found: FoundPath[] = [];
  collectPaths(parsed.value, found, 0);
  const out: ContentIssue[] = [];
  for (const f of found) {
    const why = invalidPathReason(f.path);
    if (why === undefined) continue;
    out.push(issue('error', 'PATTERN_PATH_INVALID', patternSpanPath(f.span), why, id));
  }
  return out;
}
