/**
 * The MUST rules the prepare stage cannot see, because it repairs them first (spec_version, timestamp case) or
 * because they concern the posted object as a whole or the document (UUIDs across objects, versions, an empty
 * `objects` list). Used by `validate` on the posted objects, before any upgrade or repair; the codes are in
 * rules.ts. Pure.
 */
import { canonicalJson } from '../canonical-json';
import { sha256 } from '../sha256';
import { isRfc4122Uuid, parseStixId, SCO_ID_PROPERTIES, uuidVersion } from '../identifiers';
import { type ContentIssue, issue } from '../issues';
import { categoryOf, TIMESTAMP_PROPERTIES } from '../semantic/stix-types';
import { objectIssues } from './object-checks';
import { patternPathIssues } from './pattern-paths';
import { scoIssues } from './sco-checks';
import { VersionHistory } from './version-history';

type Json = Record<string, unknown>;

/** The strict checks of one posted object (an object whose type and id are strings; others are left alone). */
export function strictObjectIssues(obj: Json): ContentIssue[] {
  const type = obj['type'];
  const id = obj['id'];
  if (typeof type !== 'string' || typeof id !== 'string') return [];
  const out: ContentIssue[] = [];
  const category = categoryOf(type);
  checkSpecVersion(obj, type, id, category === 'sco' || category === 'custom', out);
  if (obj['defanged'] !== undefined && category !== 'sco' && category !== 'custom') {
    out.push(
      issue('error', 'DEFANGED_NOT_ALLOWED', '/defanged', `defanged may only be used on cyber-observable objects, not on a ${type}`, id),
    );
  }
  checkUuid(obj, type, id, category === 'sco', out);
  checkTimestampCase(obj, id, out);
  checkSelectors(obj, id, out);
  if (category === 'sco') out.push(...scoIssues(obj, type, id));
  out.push(...objectIssues(obj, type, id));
  const pattern = obj['pattern'];
  if (type === 'indicator' && typeof pattern === 'string' && (obj['pattern_type'] ?? 'stix') === 'stix') {
    out.push(...patternPathIssues(pattern, id));
  }
  return out;
}

/**
 * STIX 2.1 §7.2.3.1: each selector of a granular marking MUST select a property or list item present in the
 * object (`name`, `external_references.[0].url`).
 */
function checkSelectors(obj: Json, id: string, out: ContentIssue[]): void {
  const granular = obj['granular_markings'];
  if (!Array.isArray(granular)) return;
  granular.forEach((g: unknown, i) => {
    const selectors = typeof g === 'object' && g !== null && !Array.isArray(g) ? (g as Json)['selectors'] : undefined;
    if (!Array.isArray(selectors)) return;
    selectors.forEach((sel: unknown, j) => {
      if (typeof sel !== 'string' || selects(obj, sel)) return;
      out.push(
        issue(
          'error',
          'GRANULAR_SELECTOR_NOT_FOUND',
          `/granular_markings/${i}/selectors/${j}`,
          `selector "${sel.slice(0, 120)}" does not select a property or list item of the object`,
          id,
        ),
      );
    });
  });
}

/** True when `selector` (dot-separated property names and `[index]` list items) reaches a value in `obj`. */
function selects(obj: Json, selector: string): boolean {
  let at: unknown = obj;
  for (const step of selector.split('.')) {
    const index = /^\[(0|[1-9]\d*)\]$/.exec(step);
    if (index !== null) {
      if (!Array.isArray(at)) return false;
      at = at[Number(index[1])];
    } else {
      if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.prototype.hasOwnProperty.call(at, step)) return false;
      at = (at as Json)[step];
    }
    if (at === undefined) return false;
  }
  return true;
}

function checkSpecVersion(obj: Json, type: string, id: string, optional: boolean, out: ContentIssue[]): void {
  const sv = obj['spec_version'];
  if (sv === undefined) {
    if (!optional)
      out.push(issue('error', 'SPEC_VERSION_MISSING', '/spec_version', `a STIX 2.1 ${type} must carry spec_version "2.1"`, id));
  } else if (sv !== '2.1') {
    out.push(issue('error', 'SPEC_VERSION_NOT_2_1', '/spec_version', `spec_version is ${JSON.stringify(sv).slice(0, 20)}, not "2.1"`, id));
  }
}

function checkUuid(obj: Json, type: string, id: string, isSco: boolean, out: ContentIssue[]): void {
  const parsed = parseStixId(id);
  if (parsed === undefined) return; // INVALID_ID comes from the pre-screen
  if (!isRfc4122Uuid(parsed.uuid)) {
    out.push(
      issue('error', 'ID_NOT_RFC4122', '/id', `the UUID of ${id} has no RFC 4122 version (1–5) and variant (8, 9, a, b) digits`, id),
    );
  }
  const props = SCO_ID_PROPERTIES[type];
  const version = uuidVersion(parsed.uuid);
  // §2.9 and §6: with none of its ID-contributing properties (a process never has any), an SCO's id is a UUIDv4.
  if (isSco && props !== undefined && props.every((p) => obj[p] === undefined) && version !== 4 && isRfc4122Uuid(parsed.uuid)) {
    out.push(
      issue(
        'error',
        'SCO_UUIDV5_WITHOUT_ID_PROPERTIES',
        '/id',
        `a ${type} without ID-contributing properties must have a UUIDv4 id, not a UUIDv${version ?? '?'}`,
        id,
      ),
    );
  }
}

/** Timestamps use upper-case `T` and `Z` (the ingest pipeline repairs lower case ones). */
function checkTimestampCase(obj: Json, id: string, out: ContentIssue[]): void {
  for (const key in obj) {
    const v = obj[key];
    if (!TIMESTAMP_PROPERTIES.has(key) || typeof v !== 'string') continue;
    if (/^\d{4}-\d{2}-\d{2}t|z$/.test(v)) {
      out.push(issue('error', 'TIMESTAMP_NOT_UPPER_CASE', `/${key}`, `timestamp "${v.slice(0, 40)}" must use upper-case T and Z`, id));
    }
  }
}

/**
 * The document-wide rules, fed one posted object at a time (memory: one digest per id and version, plus the
 * ids of the document and the observed-data references still unresolved): a UUID belongs to one object type; two
 * copies of one id and version hold the same content; an observed-data's `object_refs` name objects of the same
 * document; `objects`, when present, is not empty.
 */
export class DocumentChecker {
  private readonly typeOfUuid = new Map<string, string>();
  private readonly contentOfVersion = new Map<string, string>();
  private readonly reportedUuids = new Set<string>();
  private readonly out: ContentIssue[] = [];
  private readonly ids = new Set<string>();
  private readonly versions = new VersionHistory();
  /** Observed-data references not (yet) met in the document: target id → [observed-data id, JSON pointer]. */
  private readonly observed = new Map<string, [string, string]>();

  add(obj: Json): void {
    const id = obj['id'];
    if (typeof id !== 'string') return;
    this.ids.add(id);
    this.observed.delete(id);
    if (obj['type'] === 'observed-data') this.noteObservedRefs(obj['object_refs'], id);
    const parsed = parseStixId(id);
    if (parsed === undefined) return;
    const owner = this.typeOfUuid.get(parsed.uuid);
    if (owner === undefined) this.typeOfUuid.set(parsed.uuid, parsed.type);
    else if (owner !== parsed.type && !this.reportedUuids.has(`${parsed.uuid}\u0000${parsed.type}`)) {
      this.reportedUuids.add(`${parsed.uuid}\u0000${parsed.type}`);
      this.out.push(
        issue('error', 'UUID_REUSED_ACROSS_TYPES', '/id', `UUID ${parsed.uuid} is used by a ${owner} and a ${parsed.type}`, id),
      );
    }
    this.checkVersion(obj, id);
    this.versions.add(obj, id, this.out);
  }

  private checkVersion(obj: Json, id: string): void {
    const modified = obj['modified'];
    const version = typeof modified === 'string' ? modified : obj['type'] === 'marking-definition' ? obj['created'] : undefined;
    if (typeof version !== 'string') return;
    const key = `${id}\u0000${version}`;
    const content = sha256(canonicalJson(obj), 'base64url');
    const earlier = this.contentOfVersion.get(key);
    if (earlier === undefined) this.contentOfVersion.set(key, content);
    else if (earlier !== content) {
      this.out.push(
        issue(
          'error',
          'CONFLICTING_VERSIONS',
          '/modified',
          `two copies of ${id} with version ${version} differ in content (a new version needs a new modified)`,
          id,
        ),
      );
    }
  }

  /** §4.14: the objects an observed-data names are part of the observation, so they travel in the same document. */
  private noteObservedRefs(refs: unknown, id: string): void {
    if (!Array.isArray(refs)) return;
    refs.forEach((r: unknown, i) => {
      if (typeof r === 'string' && !this.ids.has(r) && !this.observed.has(r)) this.observed.set(r, [id, `/object_refs/${i}`]);
    });
  }

  /**
   * The document's issues; `sawObjects`: the input had an `objects` property; `count`: its elements;
   * `whole`: the input is a whole document (a bundle or a list, not a TAXII page), where observed objects travel
   * with their observed-data.
   */
  finish(sawObjects: boolean, count: number, whole = true): ContentIssue[] {
    for (const [ref, [id, path]] of whole ? this.observed : []) {
      this.out.push(
        issue(
          'error',
          'OBSERVED_DATA_REF_MISSING',
          path,
          `object_refs names ${ref.slice(0, 120)}, which is not in the document (the observed objects travel with their observed-data)`,
          id,
        ),
      );
    }
    this.observed.clear();
    if (sawObjects && count === 0) {
      this.out.push(issue('error', 'EMPTY_OBJECTS', '/objects', 'a bundle objects list must hold at least one object (or be left out)'));
    }
    return this.out;
  }
}
