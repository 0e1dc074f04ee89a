/**
 * The pure "prepare" stage of the ingest pipeline (docs/architecture.md, POST step 3): for each posted object,
 * pre-screen → 2.0 upgrade → schema validation → semantic checks → normalization → one JSON.stringify.
 * A failure never affects the other objects. The worker adds dedup and storage around it; the offline
 * `validate`/`normalize` commands use it too.
 */
import type { TlpLevel } from './markings';
import { SCO_TYPES } from './identifiers';
import { indicatorKey } from './indicator-key';
import { type ContentIssue, hasErrors } from './issues';
import { type BatchItem, fixBatchRefs } from './normalize/batch-refs';
import { type CanonicalizePattern, normalizeObject } from './normalize/normalize-object';
import { canonicalizeTimestamps, hasLowerCaseTimestamp } from './normalize/timestamps';
import { expandObservedData, hasObjectsDictionary, type UpgradeResult, upgradeObject } from './normalize/upgrade';
import { checkObject, type ReferenceObserver, type SemanticOptions } from './semantic/check-object';
import { prescreen } from './semantic/prescreen';
import { canonicalizePattern } from './pattern';
import { createPrecompiledSchemaValidator } from './precompiled-schemas';

export { rewriteRefs } from './normalize/rewrite-refs';

export interface PreparedObject {
  /** Position in the posted envelope (SCOs expanded from an observed-data: the parent's index). */
  readonly index: number;
  /** Final id (may differ from the posted one for SCOs). */
  readonly id: string;
  /** The id as posted, when it changed. */
  readonly postedId?: string;
  readonly type: string;
  /** "2.1" after upgrade (custom objects: as posted, or "2.1"). */
  readonly specVersion: string;
  /** modified ?? created, exactly as stored; undefined → the store uses date_added. */
  readonly version?: string;
  /** The canonical object as stored. */
  readonly json: string;
  /** The posted object, when normalization changed it. */
  readonly originalJson?: string;
  /** Info and warnings, for the status message. */
  readonly changes: readonly ContentIssue[];
  readonly createdByRef?: string;
  readonly markingRefs: readonly string[];
  /** Indicators: sha256 hex of `${pattern_type}\u0000${canonical pattern}` (the dedup key). */
  readonly indicatorKey?: string;
  /** Indicators with pattern_type stix: the canonical pattern (for the value index, without re-parsing JSON). */
  readonly stixPattern?: string;
  /**
   * With `stixPattern` (when the pattern canonicalizer provides them, as the real one does): the values the
   * pattern compares with `=` or `IN`, strings and numbers as text, at most 100, in the order of the canonical
   * pattern — exactly `comparedValues(stixPattern)` of src/store/indicator-entries.ts, taken from the AST
   * prepare already has, so the value index needs no second parse (`valueDigestsOf(comparedValues)`).
   */
  readonly comparedValues?: readonly string[];
}

export type PrepareOutcome =
  | { readonly ok: true; readonly object: PreparedObject }
  | {
      readonly ok: false;
      readonly index: number;
      readonly id?: string;
      readonly version?: string;
      readonly issues: readonly ContentIssue[];
    };

export interface PrepareOptions {
  /** The collection's default TLP, added to objects that carry no TLP marking. */
  readonly defaultTlp?: TlpLevel;
  /** Largest accepted object in bytes of JSON (default 1 MiB). */
  readonly maxObjectBytes?: number;
  /** `is_family` for upgraded 2.0 malware (default false). */
  readonly malwareIsFamilyDefault?: boolean;
}

/** The validators prepare depends on (injected so tests and tools can substitute them). */
export interface PrepareDeps {
  /** JSON-schema validation of one (2.1) object; errors reject it. */
  readonly schemaValidate: (obj: Record<string, unknown>) => readonly ContentIssue[];
  /** The pattern engine's canonicalizer; error issues reject the indicator. */
  readonly canonicalizePattern: CanonicalizePattern;
}

/** One object on its way through the stages. */
interface Unit extends BatchItem {
  readonly index: number;
  readonly posted: unknown;
  /** Posted id (undefined for SCOs expanded from an observed-data dictionary). */
  readonly postedId?: string;
  /** The id before normalization made it deterministic, when it changed (feeds the batch id map). */
  readonly previousId?: string;
  /** Indicators: the compared values of the canonical STIX pattern (PreparedObject.comparedValues). */
  readonly comparedValues?: readonly string[];
}

/** Prepares the elements of an envelope's `objects` array; one outcome per stored object, failures included. */
export function prepareObjects(objects: readonly unknown[], options: PrepareOptions, deps?: PrepareDeps): PrepareOutcome[] {
  const d = deps ?? createPrepareDeps();
  const failures: PrepareOutcome[] = [];
  const units: Unit[] = [];
  const mayReferToRewrittenIds: Unit[] = [];
  const idMap = new Map<string, string>();
  const scoRefs = new ScoReferences();
  const checkPosted: SemanticOptions = { typeAndIdChecked: true, references: scoRefs };
  const checkExpanded: SemanticOptions = { references: scoRefs };

  objects.forEach((posted, index) => {
    const screened = prescreen(posted, { maxObjectBytes: options.maxObjectBytes });
    if (screened.object === undefined || hasErrors(screened.issues)) {
      failures.push(failure(index, screened.id, undefined, screened.issues));
      return;
    }
    const upgraded = repairTimestampCase(upgradeObject(screened.object, { malwareIsFamilyDefault: options.malwareIsFamilyDefault }));
    // Candidates with a postedId carry the posted type and id, which the pre-screen checked.
    const candidates: { obj: Record<string, unknown>; changes: ContentIssue[]; postedId?: string }[] = [];
    if (hasObjectsDictionary(upgraded.object)) {
      const exp = expandObservedData(upgraded.object);
      if (hasErrors(exp.changes)) {
        failures.push(failure(index, screened.id, versionOf(upgraded.object), [...upgraded.changes, ...exp.changes]));
        return;
      }
      candidates.push({ obj: exp.observed, changes: [...upgraded.changes, ...exp.changes], postedId: screened.id });
      for (const sco of exp.scos) candidates.push({ obj: sco, changes: [] });
    } else {
      candidates.push({ obj: upgraded.object, changes: upgraded.changes, postedId: screened.id });
    }
    for (const c of candidates) {
      scoRefs.found = false;
      const semantic = c.postedId !== undefined ? checkPosted : checkExpanded;
      const unit = validateAndNormalize(index, posted, c.obj, c.changes, c.postedId, semantic, options, d);
      if ('issues' in unit) {
        failures.push(unit);
        continue;
      }
      units.push(unit);
      if (unit.previousId !== undefined) idMap.set(unit.previousId, String(unit.object['id']));
      // Only references to SCOs can change when the batch's SCO ids are made deterministic (the id map holds
      // nothing else): objects without any are left out of that walk. (They are still finished after the loop:
      // stringifying them here, while hot in the cache, was faster in a tsc build but kept each batch's output
      // alive across more scavenges, and under tsx the promotions made the whole stage slower.)
      if (scoRefs.found || hasObservedObjects(unit.object)) mayReferToRewrittenIds.push(unit);
    }
  });

  fixBatchRefs(mayReferToRewrittenIds, idMap);
  return inIndexOrder(
    failures,
    units.map((u): PrepareOutcome => ({ ok: true, object: finish(u) })),
  );
}

/** Notes whether the object being checked names an SCO in a reference (checkObject tells it every target type). */
class ScoReferences implements ReferenceObserver {
  found = false;

  onReference(targetType: string): void {
    if (SCO_TYPES.has(targetType)) this.found = true;
  }
}

/**
 * An observed-data that kept an `objects` dictionary (it also had object_refs): checkObject does not look for
 * references inside it, rewriteRefs does.
 */
function hasObservedObjects(obj: Record<string, unknown>): boolean {
  return obj['type'] === 'observed-data' && obj['objects'] !== undefined;
}

/**
 * Merges failures and prepared objects into one list by posted index. Both lists are already in index order;
 * at the same index (an observed-data and its SCOs) failures come first.
 */
function inIndexOrder(failures: readonly PrepareOutcome[], prepared: PrepareOutcome[]): PrepareOutcome[] {
  if (failures.length === 0) return prepared;
  const out: PrepareOutcome[] = [];
  let f = 0;
  let p = 0;
  while (f < failures.length || p < prepared.length) {
    const nextFailure = failures[f];
    const nextPrepared = prepared[p];
    if (nextFailure !== undefined && (nextPrepared === undefined || indexOf(nextFailure) <= indexOf(nextPrepared))) {
      out.push(nextFailure);
      f++;
    } else if (nextPrepared !== undefined) {
      out.push(nextPrepared);
      p++;
    }
  }
  return out;
}

/**
 * RFC 3339 allows `t` and `z`; the schemas (and most consumers) want `T`/`Z`. Fixed before schema validation,
 * as a lenient-input repair; precision padding waits for normalization, after the semantic checks.
 */
function repairTimestampCase(r: UpgradeResult): UpgradeResult {
  if (!hasLowerCaseTimestamp(r.object)) return r;
  const object = { ...r.object };
  const changes = [...r.changes];
  canonicalizeTimestamps(object, typeof object['id'] === 'string' ? object['id'] : undefined, false, changes);
  return { object, changes };
}

function indexOf(o: PrepareOutcome): number {
  return o.ok ? o.object.index : o.index;
}

function failure(
  index: number,
  id: string | undefined,
  version: string | undefined,
  issues: readonly ContentIssue[],
): Extract<PrepareOutcome, { ok: false }> {
  return { ok: false, index, ...(id === undefined ? {} : { id }), ...(version === undefined ? {} : { version }), issues };
}

function versionOf(obj: Record<string, unknown>): string | undefined {
  const m = obj['modified'];
  if (typeof m === 'string') return m;
  const c = obj['created'];
  return typeof c === 'string' ? c : undefined;
}

function validateAndNormalize(
  index: number,
  posted: unknown,
  obj: Record<string, unknown>,
  earlier: ContentIssue[],
  postedId: string | undefined,
  semanticOptions: SemanticOptions,
  options: PrepareOptions,
  deps: PrepareDeps,
): Unit | Extract<PrepareOutcome, { ok: false }> {
  const id = typeof obj['id'] === 'string' ? obj['id'] : undefined;
  const schemaIssues = withObjectId(deps.schemaValidate(obj), id);
  if (hasErrors(schemaIssues)) return failure(index, id, versionOf(obj), [...earlier, ...schemaIssues]);
  const semantic = checkObject(obj, semanticOptions);
  if (hasErrors(semantic)) return failure(index, id, versionOf(obj), [...earlier, ...schemaIssues, ...semantic]);
  const norm = normalizeObject(obj, {
    defaultTlp: options.defaultTlp,
    malwareIsFamilyDefault: options.malwareIsFamilyDefault,
    canonicalizePattern: deps.canonicalizePattern,
  });
  const changes = dedupe(earlier.concat(schemaIssues, semantic, norm.changes));
  if (norm.errors.length > 0) return failure(index, id, versionOf(obj), [...changes, ...norm.errors]);
  const unit: Unit = {
    index,
    posted,
    object: norm.object,
    changes,
    postedId,
    previousId: norm.previousId,
    comparedValues: norm.comparedValues,
  };
  return unit;
}

/** Schema issues carry the object's id (the validator may not know it). */
function withObjectId(issues: readonly ContentIssue[], id: string | undefined): readonly ContentIssue[] {
  if (issues.length === 0 || id === undefined) return issues;
  return issues.map((i) => (i.objectId === undefined ? { ...i, objectId: id } : i));
}

/** Drops repeated warnings (the schema and the semantic rules both flag custom object types). */
function dedupe(issues: ContentIssue[]): ContentIssue[] {
  if (!issues.some((i) => i.severity === 'warning')) return issues;
  const seen = new Set<string>();
  return issues.filter((i) => {
    if (i.severity !== 'warning') return true;
    const key = `${i.code}\u0000${i.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Change codes that mean the object was modified (the others only report on content left as posted). */
export const MODIFICATION_CODES: ReadonlySet<string> = new Set([
  'SPEC_VERSION_ADDED',
  'UPGRADED_FROM_2_0',
  'LABELS_MOVED',
  'PATTERN_TYPE_ADDED',
  'IS_FAMILY_ADDED',
  'OBSERVED_DATA_EXPANDED',
  'TIMESTAMP_CANONICALIZED',
  'PATTERN_CANONICALIZED',
  'REFANGED',
  'VALUE_CANONICALIZED',
  'HASH_CANONICALIZED',
  'DUPLICATE_HASH',
  'SCO_ID_REWRITTEN',
  'DEFAULT_TLP_ADDED',
  'REFS_REWRITTEN',
]);

function hasModification(changes: readonly ContentIssue[]): boolean {
  for (const c of changes) if (MODIFICATION_CODES.has(c.code)) return true;
  return false;
}

function finish(u: Unit): PreparedObject {
  const obj = u.object;
  const id = String(obj['id']);
  const type = String(obj['type']);
  const sv = obj['spec_version'];
  const createdBy = obj['created_by_ref'];
  const markings = obj['object_marking_refs'];
  const pattern = obj['pattern'];
  const modified = hasModification(u.changes);
  // Optional fields are set only when present (left out rather than undefined).
  const prepared: Mutable<PreparedObject> = {
    index: u.index,
    id,
    type,
    specVersion: typeof sv === 'string' ? sv : '2.1',
    json: JSON.stringify(obj),
    changes: u.changes,
    markingRefs: Array.isArray(markings) ? markings.filter((m: unknown): m is string => typeof m === 'string') : [],
  };
  if (u.postedId !== undefined && u.postedId !== id) prepared.postedId = u.postedId;
  const version = versionOf(obj);
  if (version !== undefined) prepared.version = version;
  if (modified && u.postedId !== undefined) prepared.originalJson = JSON.stringify(u.posted);
  if (typeof createdBy === 'string') prepared.createdByRef = createdBy;
  if (type === 'indicator' && typeof pattern === 'string') {
    const patternType = typeof obj['pattern_type'] === 'string' ? obj['pattern_type'] : 'stix';
    prepared.indicatorKey = indicatorKey(patternType, pattern);
    if ((obj['pattern_type'] ?? 'stix') === 'stix') {
      prepared.stixPattern = pattern;
      if (u.comparedValues !== undefined) prepared.comparedValues = u.comparedValues;
    }
  }
  return prepared;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

let defaultDeps: PrepareDeps | undefined;

/**
 * The real validators: the project's STIX 2.1 schemas (precompiled at build time, src/stix/precompiled-schemas.ts)
 * and the pattern engine, built on the first call and shared. `lazySchemas` (the offline CLI commands) loads each
 * type's code on its first use; the worker loads all of them at start-up. Only the first call decides.
 */
export function createPrepareDeps(options: { readonly lazySchemas?: boolean } = {}): PrepareDeps {
  if (defaultDeps === undefined) {
    const validator = createPrecompiledSchemaValidator({ lazy: options.lazySchemas === true });
    defaultDeps = {
      schemaValidate: (obj) => validator.validate(obj),
      canonicalizePattern: (text) => canonicalizePattern(text),
    };
  }
  return defaultDeps;
}
