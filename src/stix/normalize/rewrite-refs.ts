/**
 * Rewriting of references (`*_ref` strings and `*_refs` arrays, at any depth) through an old → new id map.
 * Used for SCO ids made deterministic within a batch and for the dedup alias map of the worker.
 */
import { isRefKey, isRefListKey } from '../identifiers';
import { DEFAULT_MAX_DEPTH, isJsonObject } from '../semantic/prescreen';

/**
 * Returns `obj` with every reference found in `idMap` replaced by its new id, duplicates removed from the
 * `*_refs` arrays that changed. Pure: the input is not modified, and when no reference changes the input
 * object itself is returned (callers may compare by identity to know whether anything changed).
 */
export function rewriteRefs(obj: Record<string, unknown>, idMap: ReadonlyMap<string, string>): Record<string, unknown> {
  if (idMap.size === 0) return obj;
  return rewriteIn(obj, idMap, 1);
}

function rewriteIn(obj: Record<string, unknown>, idMap: ReadonlyMap<string, string>, depth: number): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in obj) {
    const value = obj[key];
    // Only `*_ref` strings and nested arrays/objects can hold a reference.
    if (typeof value === 'string' ? !isRefKey(key) : typeof value !== 'object' || value === null) continue;
    const next = rewriteValue(key, value, idMap, depth);
    if (next !== value) {
      copy ??= { ...obj };
      copy[key] = next;
    }
  }
  return copy ?? obj;
}

function rewriteValue(key: string, value: unknown, idMap: ReadonlyMap<string, string>, depth: number): unknown {
  if (depth > DEFAULT_MAX_DEPTH) return value;
  if (typeof value === 'string') {
    return isRefKey(key) ? (idMap.get(value) ?? value) : value;
  }
  if (Array.isArray(value)) {
    // Arrays are copied from their first change on (most have none).
    let copy: unknown[] | undefined;
    if (isRefListKey(key)) {
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        const n = typeof v === 'string' ? idMap.get(v) : undefined;
        if (n === undefined) continue;
        copy ??= [...value];
        copy[i] = n;
      }
      return copy === undefined ? value : [...new Set(copy)];
    }
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (!isJsonObject(v)) continue;
      const n = rewriteIn(v, idMap, depth + 1);
      if (n !== v) {
        copy ??= [...value];
        copy[i] = n;
      }
    }
    return copy ?? value;
  }
  if (isJsonObject(value)) return rewriteIn(value, idMap, depth + 1);
  return value;
}

/** Collects every reference (`*_ref` / `*_refs` values) of an object, at any depth. */
export function collectRefs(obj: Record<string, unknown>, out: Set<string> = new Set(), depth = 1): Set<string> {
  if (depth > DEFAULT_MAX_DEPTH) return out;
  for (const [key, value] of Object.entries(obj)) {
    if (typeof value === 'string') {
      if (isRefKey(key)) out.add(value);
    } else if (Array.isArray(value)) {
      for (const v of value) {
        if (typeof v === 'string' && isRefListKey(key)) out.add(v);
        else if (isJsonObject(v)) collectRefs(v, out, depth + 1);
      }
    } else if (isJsonObject(value)) {
      collectRefs(value, out, depth + 1);
    }
  }
  return out;
}
