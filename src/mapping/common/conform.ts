/**
 * The last step of every importer (the registry runs it over each import's objects): whatever a converter
 * produced, the objects that leave the mapping layer keep the MUSTs of STIX 2.1 that a converter can get wrong
 * without noticing, each repair reported as an issue naming the value:
 *  - every id holds an RFC 4122 UUID (a source UUID with a wrong version or variant digit is replaced by a
 *    UUIDv5 of the old id), and an SCO without ID-contributing properties has a UUIDv4 (§2.9);
 *  - one UUID is never used for two object types (§2.9): the second type gets a UUID of its own;
 *  - a `url` SCO's value is a URI (RFC 3986): a scheme-less value gets `http://`, characters a URI cannot
 *    hold are percent-encoded, and what still is no URI is dropped;
 *  - two objects with the same id and version hold the same content (§3.6): later differing copies are dropped.
 * References are rewritten through the id changes. Pure.
 */
import { canonicalJson } from '../../stix/canonical-json';
import {
  deterministicScoId,
  GATEWAY_ID_NAMESPACE,
  isRfc4122Uuid,
  parseStixId,
  SCO_ID_PROPERTIES,
  SCO_TYPES,
  uuidV4From,
  uuidV5,
  uuidVersion,
} from '../../stix/identifiers';
import { type ContentIssue, issue } from '../../stix/issues';
import { rewriteRefs } from '../../stix/normalize/rewrite-refs';
import type { ImportResult, StixObject } from '../types';

export interface ConformResult {
  readonly objects: StixObject[];
  readonly issues: ContentIssue[];
}

/** Runs conformObjects over an import's objects and adds its issues to the report. */
export function conformImport(result: ImportResult): ImportResult {
  if (result.objects.length === 0) return result;
  const c = conformObjects(result.objects);
  return { ...result, objects: c.objects, issues: [...result.issues, ...c.issues] };
}

/** Applies the repairs listed in the module comment; objects that need none are returned as they are. */
export function conformObjects(objects: readonly StixObject[]): ConformResult {
  const issues: ContentIssue[] = [];
  const idMap = new Map<string, string>();
  const kept: StixObject[] = [];
  for (const o of objects) {
    const fixed = o.type === 'url' ? conformUrl(o, issues) : o;
    if (fixed === undefined) continue;
    if (fixed.id !== o.id) idMap.set(o.id, fixed.id);
    kept.push(fixed);
  }
  for (const [from, to] of remintIds(kept, issues)) idMap.set(from, to);
  const rewritten = kept.map((o) => withIdMap(o, idMap));
  return { objects: dropConflictingCopies(rewritten, issues), issues };
}

function withIdMap(o: StixObject, idMap: ReadonlyMap<string, string>): StixObject {
  if (idMap.size === 0) return o;
  const newId = idMap.get(o.id) ?? o.id;
  const refs = rewriteRefs(o, idMap);
  if (refs === o && newId === o.id) return o;
  return { ...refs, type: o.type, id: newId };
}

/** True when an SCO sets none of its type's ID-contributing properties (its UUID must then be a v4). */
function lacksIdProperties(o: StixObject): boolean {
  const props = SCO_ID_PROPERTIES[o.type];
  return props !== undefined && props.every((p) => o[p] === undefined);
}

/** Old id → new id for ids whose UUID breaks §2.9 or is already used by another type. */
function remintIds(objects: readonly StixObject[], issues: ContentIssue[]): Map<string, string> {
  const typeOfUuid = new Map<string, string>();
  const out = new Map<string, string>();
  for (const o of objects) {
    if (out.has(o.id)) continue;
    const parsed = parseStixId(o.id);
    if (parsed === undefined) continue; // the pipeline rejects it with INVALID_ID
    const scoWithoutProps = SCO_TYPES.has(o.type) && lacksIdProperties(o);
    const owner = typeOfUuid.get(parsed.uuid);
    let why: string | undefined;
    if (!isRfc4122Uuid(parsed.uuid)) why = 'is not an RFC 4122 UUID (version or variant digit)';
    else if (owner !== undefined && owner !== parsed.type) why = `is already the UUID of a ${owner}`;
    else if (scoWithoutProps && uuidVersion(parsed.uuid) === 5) why = 'is a UUIDv5 on an SCO without ID-contributing properties';
    if (why === undefined) {
      typeOfUuid.set(parsed.uuid, parsed.type);
      continue;
    }
    const uuid = scoWithoutProps ? uuidV4From(o.id, GATEWAY_ID_NAMESPACE) : uuidV5(`conform\u0000${o.id}`, GATEWAY_ID_NAMESPACE);
    const id = (!scoWithoutProps && SCO_TYPES.has(o.type) ? deterministicScoId(o) : undefined) ?? `${parsed.type}--${uuid}`;
    out.set(o.id, id);
    typeOfUuid.set(id.slice(id.length - 36), parsed.type);
    issues.push(issue('warning', 'ID_REMINTED', '/id', `the UUID of ${o.id} ${why}: the object is now ${id}`, id));
  }
  return out;
}

/** A URI scheme (RFC 3986 §3.1) at the start of a value. */
const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** A host name or address, optionally followed by a port and a path/query: what a scheme-less URL looks like. */
const HOST_START_RE = /^(?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+(?::\d{1,5})?(?:[/?#]|$)|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?(?:[/?#]|$)/;
/** Characters RFC 3986 does not allow in a URI (they must be percent-encoded). */
const NOT_IN_URI_RE = /[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/g;

/** True when `value` is a URI per RFC 3986: a scheme, then only characters a URI may hold. */
export function isUri(value: string): boolean {
  NOT_IN_URI_RE.lastIndex = 0;
  return SCHEME_RE.test(value) && !NOT_IN_URI_RE.test(value) && !/%(?![0-9A-Fa-f]{2})/.test(value);
}

/** The url SCO with a URI value (and its id recomputed when the value changed), or undefined when it is dropped. */
function conformUrl(o: StixObject, issues: ContentIssue[]): StixObject | undefined {
  const value = o['value'];
  if (typeof value !== 'string' || isUri(value)) return o;
  let repaired = value.trim();
  if (!SCHEME_RE.test(repaired) && HOST_START_RE.test(repaired)) repaired = `http://${repaired}`;
  repaired = repaired.replace(/%(?![0-9A-Fa-f]{2})/g, '%25').replace(NOT_IN_URI_RE, (c) => encodeURIComponent(c));
  if (!isUri(repaired)) {
    issues.push(issue('warning', 'URL_NOT_A_URI', '/value', `url value "${value.slice(0, 200)}" is not a URI and was dropped`, o.id));
    return undefined;
  }
  const fixed: StixObject = { ...o, value: repaired };
  const id = deterministicScoId(fixed) ?? o.id;
  issues.push(
    issue(
      'warning',
      'URL_REPAIRED',
      '/value',
      `url value "${value.slice(0, 200)}" is not a URI: written as "${repaired.slice(0, 200)}"`,
      id,
    ),
  );
  return { ...fixed, id };
}

/** Keeps the first of several objects with one id and version whose content differs (reports the others). */
function dropConflictingCopies(objects: readonly StixObject[], issues: ContentIssue[]): StixObject[] {
  const seen = new Map<string, string>();
  const out: StixObject[] = [];
  for (const o of objects) {
    const version = typeof o['modified'] === 'string' ? o['modified'] : typeof o['created'] === 'string' ? o['created'] : '';
    const key = `${o.id}\u0000${version}`;
    const content = canonicalJson(o);
    const earlier = seen.get(key);
    if (earlier === undefined) {
      seen.set(key, content);
      out.push(o);
    } else if (earlier !== content) {
      issues.push(
        issue(
          'warning',
          'CONFLICTING_COPY_DROPPED',
          '/',
          `a second ${o.type} with id ${o.id} and version "${version}" differs from the first: dropped`,
          o.id,
        ),
      );
    } else {
      out.push(o); // an exact repeat is allowed (the pipeline stores it once)
    }
  }
  return out;
}
