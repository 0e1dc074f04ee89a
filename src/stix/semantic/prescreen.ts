/**
 * The pre-screen (docs/architecture.md, POST step 1): cheap, linear-time checks run on every posted object before any
 * schema or regex-heavy validation — it is a JSON object, it has a plausible `type` and an `id` of that type,
 * its serialized size and nesting depth are bounded. Objects that fail here go no further.
 */
import { type ContentIssue, issue } from '../issues';
import { isIdOfType, isStixType, parseStixId } from '../identifiers';

/** Default bound on the JSON size of one object (1 MiB). */
export const DEFAULT_MAX_OBJECT_BYTES = 1024 * 1024;
/** Default bound on nesting depth (objects and arrays; the object itself is depth 1). */
export const DEFAULT_MAX_DEPTH = 64;

export interface PrescreenOptions {
  /** Largest accepted object, in bytes of compact JSON (approximately: string escapes are not counted). */
  readonly maxObjectBytes?: number;
  readonly maxDepth?: number;
}

export interface PrescreenResult {
  /** The object, when it is a JSON object (even when other issues were found). */
  readonly object?: Record<string, unknown>;
  /** The object's id when it is a string (for failure reports). */
  readonly id?: string;
  readonly issues: ContentIssue[];
}

/** Narrows untrusted JSON to a plain object. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface SizeState {
  bytes: number;
  readonly limit: number;
  readonly maxDepth: number;
  tooDeep: boolean;
  /**
   * False: strings count 3 bytes per UTF-16 code unit, an upper bound of their UTF-8 size that costs no
   * encoding. An object whose upper bound is within the limit is within it; only one that is not is measured
   * again exactly (see prescreen).
   */
  readonly exact: boolean;
}

function stringBytes(s: string, st: SizeState): number {
  return st.exact ? Buffer.byteLength(s, 'utf8') : 3 * s.length;
}

/**
 * Adds the approximate compact-JSON size of `value` to the state, stopping as soon as the size limit or the
 * depth limit is exceeded (so a huge or hostile object costs no more than the limit to reject).
 */
function measure(value: unknown, depth: number, st: SizeState): void {
  if (st.bytes > st.limit || st.tooDeep) return;
  if (typeof value === 'string') {
    st.bytes += stringBytes(value, st) + 2;
    return;
  }
  if (typeof value === 'number') {
    st.bytes += String(value).length;
    return;
  }
  if (typeof value === 'boolean' || value === null) {
    st.bytes += 5;
    return;
  }
  if (typeof value !== 'object') return;
  if (depth > st.maxDepth) {
    st.tooDeep = true;
    return;
  }
  st.bytes += 2;
  if (Array.isArray(value)) {
    for (const v of value) {
      st.bytes += 1;
      measure(v, depth + 1, st);
      if (st.bytes > st.limit || st.tooDeep) return;
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const k in record) {
    st.bytes += stringBytes(k, st) + 4;
    measure(record[k], depth + 1, st);
    if (st.bytes > st.limit || st.tooDeep) return;
  }
}

/**
 * Measures with the cheap upper bound first. Exact sizes never exceed it, so when the bound stays within the
 * limit the exact walk would have visited the same values and found the same depth result; otherwise the
 * object is measured exactly.
 */
function measureObject(value: Record<string, unknown>, limit: number, maxDepth: number): SizeState {
  const bound: SizeState = { bytes: 0, limit, maxDepth, tooDeep: false, exact: false };
  measure(value, 1, bound);
  if (bound.bytes <= limit) return bound;
  const exact: SizeState = { bytes: 0, limit, maxDepth, tooDeep: false, exact: true };
  measure(value, 1, exact);
  return exact;
}

/** Runs the pre-screen on one posted element of an envelope's `objects` array. */
export function prescreen(value: unknown, options: PrescreenOptions = {}): PrescreenResult {
  if (!isJsonObject(value)) {
    return { issues: [issue('error', 'NOT_AN_OBJECT', '', 'element of "objects" is not a JSON object')] };
  }
  const rawId = value['id'];
  const id = typeof rawId === 'string' && rawId.length <= 300 ? rawId : undefined;
  const issues: ContentIssue[] = [];
  const st = measureObject(value, options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  if (st.tooDeep) {
    issues.push(issue('error', 'OBJECT_TOO_DEEP', '', `object nests deeper than ${st.maxDepth} levels`, id));
  } else if (st.bytes > st.limit) {
    issues.push(issue('error', 'OBJECT_TOO_LARGE', '', `object is larger than ${st.limit} bytes`, id));
  }
  if (issues.length > 0) return { object: value, id, issues };
  issues.push(...checkTypeAndId(value));
  return { object: value, id, issues };
}

/** `type` is a STIX type name and `id` is `<type>--<uuid>` with the same type. */
export function checkTypeAndId(obj: Record<string, unknown>): ContentIssue[] {
  const type = obj['type'];
  const rawId = obj['id'];
  // The common case, without parsing the id apart: a valid type (not bundle) and an id of that type.
  if (typeof type === 'string' && typeof rawId === 'string' && type !== 'bundle' && isIdOfType(rawId, type)) return [];
  const id = typeof rawId === 'string' && rawId.length <= 300 ? rawId : undefined;
  const out: ContentIssue[] = [];
  if (typeof type !== 'string') {
    out.push(issue('error', 'MISSING_TYPE', '/type', 'object has no "type" string', id));
  } else if (!isStixType(type)) {
    out.push(issue('error', 'INVALID_TYPE', '/type', `"${type.slice(0, 80)}" is not a valid STIX type name`, id));
  } else if (type === 'bundle') {
    out.push(issue('error', 'BUNDLE_NOT_ALLOWED', '/type', 'a bundle cannot be an element of "objects"', id));
  }
  if (typeof rawId !== 'string') {
    out.push(issue('error', 'MISSING_ID', '/id', 'object has no "id" string'));
    return out;
  }
  const parsed = parseStixId(rawId);
  if (parsed === undefined) {
    out.push(issue('error', 'INVALID_ID', '/id', `"${rawId.slice(0, 120)}" is not of the form <type>--<UUID>`, id));
  } else if (typeof type === 'string' && parsed.type !== type) {
    out.push(issue('error', 'ID_TYPE_MISMATCH', '/id', `id names type "${parsed.type}" but the object is a "${type}"`, id));
  }
  return out;
}
