/**
 * CybOX facts → STIX 2.1: pattern comparisons (indicator context, conditions honoured) and SCO instances
 * (observable context, observed-data).
 */
import { deterministicScoId } from '../../stix/identifiers';
import { issue, type ContentIssue } from '../../stix/issues';
import type { StixObject } from '../types';
import type { Fact } from './cybox-objects';
import { cmp, combine, type Comparison, type Expr, type Operator, str, substringComparison } from './pattern-tree';
import { checkValue } from './values';

const ORDER_OPS: Readonly<Record<string, Operator>> = {
  GreaterThan: '>',
  GreaterThanOrEqual: '>=',
  LessThan: '<',
  LessThanOrEqual: '<=',
};

/** Converts one fact to a comparison tree, or undefined (with an issue) when it cannot be expressed. */
export function factToExpr(f: Fact, issues: ContentIssue[], objectId?: string): Expr | undefined {
  if (f.guess !== undefined) issues.push(issue('info', 'STIX1_VALUE_GUESSED', f.at, f.guess, objectId));
  const condition = f.condition ?? 'Equals';
  const exact = condition === 'Equals' || condition === 'DoesNotEqual';
  const hashName = f.path[0] === 'hashes' ? f.path[1] : undefined;
  const values: (string | number)[] = [];
  for (const raw of f.values) {
    if (f.valueType === 'binary') {
      if (raw.length > 65536) {
        issues.push(issue('warning', 'STIX1_VALUE_TOO_LARGE', f.at, 'artifact payload larger than 64 KiB left out of the pattern', objectId));
        continue;
      }
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) {
        issues.push(issue('warning', 'INVALID_VALUE', f.at, 'artifact payload is not base64', objectId));
        continue;
      }
      values.push(raw);
      continue;
    }
    const checked = checkValue(f.valueType, raw, exact, f.root, hashName);
    if (checked.code !== undefined && checked.note !== undefined) {
      issues.push(issue(checked.code === 'REFANGED' ? 'info' : 'warning', checked.code, f.at, checked.note, objectId));
    }
    if (checked.value !== undefined) values.push(checked.value);
  }
  if (values.length === 0) return undefined;
  const one = (v: string | number): Comparison | undefined => {
    if (f.valueType === 'binary' && typeof v === 'string') return cmp(f.root, f.path, '=', { kind: 'binary', value: v });
    const value = typeof v === 'number' ? ({ kind: 'int', value: v } as const) : str(v);
    switch (condition) {
      case 'Equals':
        return cmp(f.root, f.path, '=', value);
      case 'DoesNotEqual':
        return cmp(f.root, f.path, '!=', value);
      case 'Contains':
        return substringComparison(f.root, f.path, 'contains', String(v));
      case 'DoesNotContain':
        return substringComparison(f.root, f.path, 'contains', String(v), true);
      case 'StartsWith':
        return substringComparison(f.root, f.path, 'starts', String(v));
      case 'EndsWith':
        return substringComparison(f.root, f.path, 'ends', String(v));
      case 'FitsPattern':
        return cmp(f.root, f.path, 'MATCHES', str(String(v)));
      default: {
        const op = ORDER_OPS[condition];
        if (op !== undefined) return cmp(f.root, f.path, op, value);
        return undefined;
      }
    }
  };
  if (condition === 'Equals' && f.applyCondition === 'ANY' && values.length > 1) {
    return cmp(f.root, f.path, 'IN', { kind: 'set', values });
  }
  const parts: Expr[] = [];
  for (const v of values) {
    const c = one(v);
    if (c === undefined) {
      issues.push(issue('warning', 'STIX1_CONDITION_UNSUPPORTED', f.at, `condition '${condition}' has no STIX 2.1 pattern equivalent`, objectId));
      return undefined;
    }
    parts.push(c);
  }
  return combine(f.applyCondition === 'ALL' ? 'and' : 'or', parts);
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): boolean {
  let cur = target;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i];
    if (k === undefined || k === '*') return false;
    const next = cur[k];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) cur = next as Record<string, unknown>;
    else {
      const fresh: Record<string, unknown> = {};
      cur[k] = fresh;
      cur = fresh;
    }
  }
  const last = path[path.length - 1];
  if (last === undefined || last === '*') return false;
  cur[last] = value;
  return true;
}

/** The SCO type an `x_ref.value` holds. */
function refType(path: readonly string[], value: string): string {
  if (path[0] === 'parent_directory_ref') return 'directory';
  if (path[0]?.endsWith('_ref') === true && (path[0].startsWith('from') || path[0].startsWith('sender'))) return 'email-addr';
  if (value.includes(':')) return 'ipv6-addr';
  return /^[0-9./]+$/.test(value) ? 'ipv4-addr' : 'domain-name';
}

function withId(sco: Record<string, unknown>): StixObject | undefined {
  const id = deterministicScoId(sco);
  if (id === undefined) return undefined;
  return { ...sco, id, type: String(sco['type']) } as StixObject;
}

/**
 * Builds SCOs from the facts of one observed object (instance data: only Equals values are facts; anything
 * with another condition is a pattern and is reported). Returns the main SCO last-but-referenced objects first.
 */
export function factsToScos(facts: readonly Fact[], issues: ContentIssue[], objectId?: string): StixObject[] {
  const byRoot = new Map<string, Fact[]>();
  for (const f of facts) {
    const list = byRoot.get(f.root) ?? [];
    list.push(f);
    byRoot.set(f.root, list);
  }
  const out: StixObject[] = [];
  for (const [root, list] of byRoot) {
    const sco: Record<string, unknown> = { type: root, spec_version: '2.1' };
    if (root === 'email-message') sco['is_multipart'] = false;
    if (root === 'windows-registry-key') sco['values'] = [{}];
    const refs: StixObject[] = [];
    for (const f of list) {
      const condition = f.condition ?? 'Equals';
      if (condition !== 'Equals' || f.values.length !== 1) {
        issues.push(issue('warning', 'STIX1_PATTERN_IN_OBSERVABLE', f.at, `condition '${condition}' or a value list cannot be an observed value; left out`, objectId));
        continue;
      }
      const raw = f.values[0] ?? '';
      const hashName = f.path[0] === 'hashes' ? f.path[1] : undefined;
      const checked = checkValue(f.valueType, raw, true, root, hashName);
      if (checked.code !== undefined && checked.note !== undefined) {
        issues.push(issue(checked.code === 'REFANGED' ? 'info' : 'warning', checked.code, f.at, checked.note, objectId));
      }
      if (checked.value === undefined) continue;
      const [head, second, third] = f.path;
      if (head !== undefined && head.endsWith('_ref') && second !== undefined && f.path.length === 2) {
        const rt = refType(f.path, String(checked.value));
        const ref = withId({ type: rt, spec_version: '2.1', [rt === 'directory' ? 'path' : 'value']: checked.value });
        if (ref !== undefined) {
          refs.push(ref);
          sco[head] = ref.id;
        }
        continue;
      }
      if (root === 'windows-registry-key' && head === 'values' && second === '*' && third !== undefined) {
        const vals = sco['values'];
        if (Array.isArray(vals) && typeof vals[0] === 'object' && vals[0] !== null) (vals[0] as Record<string, unknown>)[third] = checked.value;
        continue;
      }
      if (f.path.includes('*') || !setPath(sco, f.path, checked.value)) {
        issues.push(issue('info', 'STIX1_PROPERTY_UNMAPPED', f.at, `observed property ${root}:${f.path.join('.')} is not kept`, objectId));
      }
    }
    if (root === 'windows-registry-key') {
      const vals = sco['values'];
      if (Array.isArray(vals) && Object.keys((vals[0] as Record<string, unknown> | undefined) ?? {}).length === 0) delete sco['values'];
    }
    const built = withId(sco);
    if (built === undefined) {
      issues.push(issue('warning', 'STIX1_OBSERVABLE_EMPTY', list[0]?.at ?? '/', `no identifying property for a ${root} object`, objectId));
      continue;
    }
    out.push(...refs, built);
  }
  return out;
}
