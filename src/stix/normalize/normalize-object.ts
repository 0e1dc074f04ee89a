/**
 * Normalization of one object to canonical STIX 2.1 (docs/architecture.md, POST step 3). Pure: the input is never
 * modified; the result shares unchanged nested values with it. Every change is reported as a ContentIssue
 * (severity info, or warning when the content was suspicious, e.g. refanged).
 */
import type { TlpLevel } from '../markings';
import { type ContentIssue, issue } from '../issues';
import { deterministicScoId, SCO_TYPES } from '../identifiers';
import { isWellKnownTlpId, tlp2IdFor } from '../markings';
import { patternIssue } from '../semantic/check-object';
import { categoryOf } from '../semantic/stix-types';
import { canonicalizeScoValues } from './sco-values';
import { canonicalizeTimestamps } from './timestamps';
import { upgradeObject } from './upgrade';

/** Canonicalizes a STIX pattern (the pattern engine's `canonicalizePattern`). */
export type CanonicalizePattern = (text: string) => {
  value?: string;
  issues: readonly ContentIssue[];
  /** With `value`: the values the value index keeps (see the pattern engine's canonicalizePattern). */
  comparedValues?: readonly string[];
};

export interface NormalizeContext {
  /** TLP added to objects that carry no TLP marking (the collection's `default_tlp`). */
  readonly defaultTlp?: TlpLevel;
  /** `is_family` for upgraded 2.0 malware (default false). */
  readonly malwareIsFamilyDefault?: boolean;
  /** Pattern canonicalizer; without it, patterns are kept as posted. */
  readonly canonicalizePattern?: CanonicalizePattern;
}

export interface NormalizeResult {
  readonly object: Record<string, unknown>;
  /** What was changed (info/warning). */
  readonly changes: ContentIssue[];
  /** Problems that make the object unacceptable (e.g. a pattern that does not parse). */
  readonly errors: ContentIssue[];
  /** The SCO's id before it was made deterministic, when it changed. */
  readonly previousId?: string;
  /** Indicators with a STIX pattern: the canonicalizer's `comparedValues` for the canonical pattern. */
  readonly comparedValues?: readonly string[];
}

/** Normalizes one object (upgrading it first when it is STIX 2.0). */
export function normalizeObject(obj: Record<string, unknown>, ctx: NormalizeContext = {}): NormalizeResult {
  const upgraded = upgradeObject(obj, { malwareIsFamilyDefault: ctx.malwareIsFamilyDefault });
  const changes = upgraded.changes;
  const errors: ContentIssue[] = [];
  const out: Record<string, unknown> = upgraded.object === obj ? { ...obj } : upgraded.object;
  const type = typeof out['type'] === 'string' ? out['type'] : '';
  const id = typeof out['id'] === 'string' ? out['id'] : undefined;
  const category = categoryOf(type);

  canonicalizeTimestamps(out, id, category !== 'sco' && category !== 'custom', changes);
  const comparedValues = type === 'indicator' ? normalizePattern(out, id, ctx.canonicalizePattern, changes, errors) : undefined;

  let previousId: string | undefined;
  if (SCO_TYPES.has(type)) {
    canonicalizeScoValues(out, id, changes);
    const det = deterministicScoId(out);
    if (det !== undefined && id !== undefined && det !== id) {
      out['id'] = det;
      previousId = id;
      changes.push(issue('info', 'SCO_ID_REWRITTEN', '/id', `SCO id made deterministic: ${id} → ${det}`, det));
    }
  }

  if (ctx.defaultTlp !== undefined && type !== 'marking-definition') addDefaultTlp(out, ctx.defaultTlp, changes);
  const result: { -readonly [K in keyof NormalizeResult]: NormalizeResult[K] } = { object: out, changes, errors };
  if (previousId !== undefined) result.previousId = previousId;
  if (comparedValues !== undefined) result.comparedValues = comparedValues;
  return result;
}

/** Canonicalizes a STIX pattern in place; returns the canonicalizer's compared values of the canonical pattern. */
function normalizePattern(
  out: Record<string, unknown>,
  id: string | undefined,
  canonicalize: CanonicalizePattern | undefined,
  changes: ContentIssue[],
  errors: ContentIssue[],
): readonly string[] | undefined {
  const pattern = out['pattern'];
  const patternType = out['pattern_type'];
  if (typeof pattern !== 'string' || canonicalize === undefined) return undefined;
  // Other pattern languages (yara, snort, sigma, …) are stored as opaque text.
  if (patternType !== undefined && patternType !== 'stix') return undefined;
  const r = canonicalize(pattern);
  for (const i of r.issues) (i.severity === 'error' ? errors : changes).push(patternIssue(i, id));
  if (r.value !== undefined && r.value !== pattern) {
    out['pattern'] = r.value;
    changes.push(issue('info', 'PATTERN_CANONICALIZED', '/pattern', `pattern canonicalized: '${pattern}' → '${r.value}'`, id));
  }
  return r.value === undefined ? undefined : r.comparedValues;
}

function addDefaultTlp(out: Record<string, unknown>, level: TlpLevel, changes: ContentIssue[]): void {
  const refs = out['object_marking_refs'];
  if (refs !== undefined && !Array.isArray(refs)) return;
  if (Array.isArray(refs) && hasTlpMarking(refs)) return;
  const marking = tlp2IdFor(level);
  out['object_marking_refs'] = [...(Array.isArray(refs) ? refs : []), marking];
  const id = typeof out['id'] === 'string' ? out['id'] : undefined;
  changes.push(
    issue('info', 'DEFAULT_TLP_ADDED', '/object_marking_refs', `collection default TLP:${level.toUpperCase()} added (${marking})`, id),
  );
}

/** True when one of the marking refs is a TLP marking (1.0 or 2.0). */
function hasTlpMarking(refs: readonly unknown[]): boolean {
  for (const r of refs) if (typeof r === 'string' && isWellKnownTlpId(r)) return true;
  return false;
}
