/** MISP attribute values → pattern comparisons (canonical values, composite types split on the first `|`). */
import { canonicalValue, ipType, parsePath, type Comparison } from './comparisons';
import type { ImportState } from './import-input';
import type { FieldSpec, PatternMapping } from './misp-tables';

/** Kill-chain phase names are lower-case words joined by hyphens ("Payload delivery" → "payload-delivery"). */
export function phaseName(category: string): string {
  return (
    category
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'other'
  );
}

/** A comparison on `x_ref.value` also states the referenced type, so the pattern can only match that type. */
export function refTyped(root: string, path: string[], kind: string, value: string | number | boolean): Comparison[] {
  const last = path[path.length - 1];
  const head = path[0] ?? '';
  if (path.length === 2 && last === 'value' && head.endsWith('_ref')) {
    const refType = kind === 'ip' ? ipType(String(value)) : kind === 'domain' ? 'domain-name' : kind === 'email' ? 'email-addr' : undefined;
    if (refType !== undefined)
      return [
        { root, path: [head, 'type'], value: refType },
        { root, path, value },
      ];
  }
  return [kind === 'timestamp' ? { root, path, value, timestamp: true } : { root, path, value }];
}

/** Value(s) of an attribute → comparisons, or undefined (with an issue) when a value is unusable. */
export function comparisonsOf(
  mapping: PatternMapping,
  type: string,
  raw: string,
  ptr: string,
  state: ImportState,
): Comparison[] | undefined {
  let parts: string[];
  if (mapping.fields.length === 2) {
    const bar = raw.indexOf('|');
    if (bar < 0) {
      state.warn('MISP_COMPOSITE_MALFORMED', `${ptr}/value`, `composite "${type}" value has no "|": skipped`);
      return undefined;
    }
    parts = [raw.slice(0, bar), raw.slice(bar + 1)];
  } else parts = [raw];
  const out: Comparison[] = [];
  let root = mapping.root;
  for (let i = 0; i < mapping.fields.length; i++) {
    const field = mapping.fields[i] as FieldSpec;
    const path = parsePath(field.path);
    const r = canonicalValue(field.kind, parts[i] ?? '', path);
    if (!r.ok) {
      state.warn('MISP_INVALID_VALUE', `${ptr}/value`, `${type}: ${r.reason}; attribute skipped`);
      return undefined;
    }
    if (r.refanged) state.info('REFANGED', `${ptr}/value`, `defanged ${type} value refanged`);
    if (root === 'ip-addr') root = ipType(String(r.value));
    out.push(...refTyped(root, path, field.kind, r.value));
  }
  return out;
}
