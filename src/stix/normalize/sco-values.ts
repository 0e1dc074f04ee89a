/**
 * Canonical values of SCOs (addresses, names, URLs, hashes) through the shared canonicalizers of
 * src/stix/values. A value that cannot be canonicalized is kept as posted with a warning: the gateway does
 * not guess, and the schema/semantic stages decide what is acceptable.
 */
import { type ContentIssue, issue } from '../issues';
import { isJsonObject } from '../semantic/prescreen';
import { SCO_VALUE_CANONICALIZERS, canonicalHashName, canonicalHashValue, refang } from '../values';

/** SCO types (and their `hashes` property) whose hash names and values are canonicalized. */
const HASHED_TYPES: ReadonlySet<string> = new Set(['file', 'artifact', 'x509-certificate']);

/**
 * Canonicalizes the values of an SCO in `out` (a copy owned by the caller, modified in place; nested values
 * are replaced, never modified). Changes and warnings are appended to `changes`.
 */
export function canonicalizeScoValues(out: Record<string, unknown>, id: string | undefined, changes: ContentIssue[]): void {
  const type = typeof out['type'] === 'string' ? out['type'] : '';
  const canon = SCO_VALUE_CANONICALIZERS[type];
  const value = out['value'];
  if (canon !== undefined && typeof value === 'string') {
    const r = refang(value);
    if (r.changed) {
      changes.push(issue('warning', 'REFANGED', '/value', `defanged value refanged: '${value}' → '${r.value}'`, id));
      if (out['defanged'] === true) delete out['defanged'];
    }
    const c = canon(r.value);
    if (c === undefined) {
      changes.push(issue('warning', 'SCO_VALUE_NOT_CANONICAL', '/value', `'${r.value}' is not a valid ${type} value; kept as posted`, id));
      if (r.changed) out['value'] = r.value;
    } else if (c !== value) {
      out['value'] = c;
      if (c !== r.value) changes.push(issue('info', 'VALUE_CANONICALIZED', '/value', `value canonicalized: '${r.value}' → '${c}'`, id));
    }
  }
  if (HASHED_TYPES.has(type) && isJsonObject(out['hashes'])) {
    const hashes = canonicalHashes(out['hashes'], '/hashes', id, changes);
    if (hashes !== undefined) out['hashes'] = hashes;
  }
}

/** Canonical hash names and values; returns undefined when nothing changed. */
export function canonicalHashes(
  hashes: Record<string, unknown>,
  path: string,
  id: string | undefined,
  changes: ContentIssue[],
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let changed = false;
  for (const [name, value] of Object.entries(hashes)) {
    const cname = canonicalHashName(name) ?? name;
    let cvalue: unknown = value;
    if (typeof value === 'string') {
      const v = canonicalHashValue(cname, value);
      if (v === undefined) {
        changes.push(
          issue(
            'warning',
            'SCO_VALUE_NOT_CANONICAL',
            `${path}/${cname}`,
            `'${value.slice(0, 140)}' is not a valid ${cname} value; kept as posted`,
            id,
          ),
        );
      } else {
        cvalue = v;
      }
    }
    if (cname !== name || cvalue !== value) {
      changed = true;
      const shown = typeof cvalue === 'string' ? cvalue : '';
      changes.push(
        issue('info', 'HASH_CANONICALIZED', `${path}/${cname}`, `hash canonicalized: ${name} '${String(value)}' → ${cname} '${shown}'`, id),
      );
    }
    if (cname in out) {
      changes.push(issue('warning', 'DUPLICATE_HASH', `${path}/${cname}`, `two spellings of ${cname} in hashes; the first is kept`, id));
      changed = true;
      continue;
    }
    out[cname] = cvalue;
  }
  return changed ? out : undefined;
}
