/**
 * Semantic validation of one STIX 2.1 object: the rules a JSON schema cannot express (docs/architecture.md, POST step 2).
 * Input is an object that passed the pre-screen (and, in the pipeline, the schema); output is issues with
 * a JSON-pointer path and a stable code. Severity policy:
 *  - error: the object is rejected (bad ids, impossible timestamps, wrong reference types, fake TLP ids,
 *    pattern syntax);
 *  - warning: accepted as posted or repaired by normalization (non-deterministic SCO ids, second-precision
 *    `created`/`modified`, custom names that break the SHOULDs).
 */
import { type ContentIssue, issue } from '../issues';
import { deterministicScoId, isRefKey, isRefListKey, typeOfStixId } from '../identifiers';
import { isWellKnownTlpId, TLP2_EXTENSION_ID, tlpLevelOfMarking } from '../markings';
import { compareParsedTimestamps, type ParsedTimestamp, parseTimestamp } from '../time';
import { checkTypeAndId, DEFAULT_MAX_DEPTH, isJsonObject } from './prescreen';
import { checkOfficialMarking } from './official-markings';
import { describeRule, refAllowed, refRule } from './ref-rules';
import { categoryOf, COMMON_PROPERTIES, standardProperties, TIMESTAMP_PROPERTIES } from './stix-types';
import type { OutcomeCode } from '../../common/outcome-codes';

export interface SemanticOptions {
  /**
   * Checks a STIX pattern (pattern_type `stix`) and returns the pattern engine's issues (paths relative to
   * the pattern, e.g. `@[3,9]`). Absent: patterns are not parsed here — the prepare stage parses each
   * pattern once, while canonicalizing it.
   */
  readonly checkPattern?: (pattern: string) => readonly ContentIssue[];
  /**
   * The caller already ran checkTypeAndId on this object's type and id and it found nothing (the prepare stage's
   * pre-screen does): it is not run again.
   */
  readonly typeAndIdChecked?: boolean;
  /**
   * Told the type each well-formed reference names, wherever checkObject finds one (`*_ref`, `*_refs`, at any
   * depth, outside an observed-data `objects` dictionary). The prepare stage uses it to know which objects can
   * refer to an SCO whose id a batch rewrites.
   */
  readonly references?: ReferenceObserver;
}

/**
 * Receives the target types of an object's references. An object with a method rather than a callback: hot code
 * then always calls the same function, where a fresh closure per caller would be a new call target each time
 * (and optimized code specialized on one would keep its caller's data alive).
 */
export interface ReferenceObserver {
  onReference(targetType: string): void;
}

/** Checks one object; returns every issue found (an empty array when the object is semantically valid). */
export function checkObject(obj: Record<string, unknown>, options: SemanticOptions = {}): ContentIssue[] {
  if (options.typeAndIdChecked !== true) {
    const idCheck = checkTypeAndId(obj);
    if (idCheck.length > 0) return idCheck;
  }
  // checkTypeAndId guarantees both are strings here.
  const type = String(obj['type']);
  const id = String(obj['id']);
  const out: ContentIssue[] = [];
  const category = categoryOf(type);

  if (category === 'sco') checkScoId(obj, id, out);
  const timestamps = checkTimestamps(obj, id, category === 'sco' || category === 'custom' ? false : true, out);
  checkOrder(obj, id, timestamps, out);
  checkRefs(obj, { type, id, out, references: options.references });
  // An official id with other content is TLP_MARKING_TAMPERED (official-markings.ts); the id rule covers the rest.
  if (type === 'marking-definition' && !checkOfficialMarking(obj, id, out)) checkTlpMarking(obj, id, out);
  checkCustomNames(obj, type, id, out);
  if (type === 'indicator' && options.checkPattern) checkPattern(obj, id, options.checkPattern, out);
  return out;
}

/** Escapes one JSON-pointer reference token (RFC 6901). */
export function pointerToken(key: string): string {
  if (!key.includes('~') && !key.includes('/')) return key;
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function checkScoId(obj: Record<string, unknown>, id: string, out: ContentIssue[]): void {
  const expected = deterministicScoId(obj);
  if (expected !== undefined && expected !== id) {
    out.push(issue('warning', 'SCO_ID_NOT_DETERMINISTIC', '/id', `SCO id is not the deterministic UUIDv5 (expected ${expected})`, id));
  }
}

/** The parsed string timestamp properties of an object (undefined: invalid), parsed once and shared by the checks. */
type ParsedTimestamps = ReadonlyMap<string, ParsedTimestamp | undefined>;

function checkTimestamps(obj: Record<string, unknown>, id: string, needsMillis: boolean, out: ContentIssue[]): ParsedTimestamps {
  const parsedByKey = new Map<string, ParsedTimestamp | undefined>();
  for (const key in obj) {
    if (!TIMESTAMP_PROPERTIES.has(key)) continue;
    const v = obj[key];
    if (typeof v !== 'string') continue;
    const parsed = parseTimestamp(v);
    parsedByKey.set(key, parsed);
    if (parsed === undefined) {
      out.push(issue('error', 'INVALID_TIMESTAMP', `/${key}`, `"${v.slice(0, 60)}" is not an RFC 3339 timestamp in UTC (…Z)`, id));
      continue;
    }
    if (needsMillis && (key === 'created' || key === 'modified') && parsed.fractionDigits < 3) {
      out.push(
        issue(
          'warning',
          'TIMESTAMP_PRECISION',
          `/${key}`,
          `${key} must be precise to the millisecond; "${v}" will be padded with zeros`,
          id,
        ),
      );
    }
  }
  return parsedByKey;
}

/** Pairs [earlier, later, strict?, code]: `later` must not precede `earlier` (or must follow it when strict). */
const ORDER_RULES: readonly (readonly [string, string, boolean, OutcomeCode])[] = [
  ['created', 'modified', false, 'MODIFIED_BEFORE_CREATED'],
  ['valid_from', 'valid_until', true, 'VALID_UNTIL_NOT_AFTER_VALID_FROM'],
  ['first_seen', 'last_seen', false, 'LAST_SEEN_BEFORE_FIRST_SEEN'],
  ['first_observed', 'last_observed', false, 'LAST_OBSERVED_BEFORE_FIRST_OBSERVED'],
  ['start_time', 'stop_time', true, 'STOP_TIME_NOT_AFTER_START_TIME'],
];

function checkOrder(obj: Record<string, unknown>, id: string, timestamps: ParsedTimestamps, out: ContentIssue[]): void {
  for (const [a, b, strict, code] of ORDER_RULES) {
    const va = obj[a];
    const vb = obj[b];
    if (typeof va !== 'string' || typeof vb !== 'string') continue;
    const pa = timestamps.has(a) ? timestamps.get(a) : parseTimestamp(va);
    const pb = timestamps.has(b) ? timestamps.get(b) : parseTimestamp(vb);
    if (pa === undefined || pb === undefined) continue;
    const cmp = compareParsedTimestamps(vb, pb, va, pa);
    if (cmp < 0 || (strict && cmp === 0)) {
      out.push(issue('error', code, `/${b}`, `${b} (${vb}) must be ${strict ? 'later than' : 'at or after'} ${a} (${va})`, id));
    }
  }
}

/** What the reference walk carries along: the object's type and id, the issue list, the reference observer. */
interface RefWalk {
  readonly type: string;
  readonly id: string;
  readonly out: ContentIssue[];
  readonly references: ReferenceObserver | undefined;
}

function checkRefs(obj: Record<string, unknown>, walk: RefWalk): void {
  for (const key in obj) {
    // The (deprecated) observed-data `objects` dictionary uses local keys ("0", "1") as references.
    if (key === 'objects' && walk.type === 'observed-data') continue;
    walkRefs(key, obj[key], '', 1, walk);
  }
}

/**
 * Checks the references in `value`, the property `key` of the object at JSON pointer `parent`. The pointer of
 * `value` is built only when needed: for an issue, or to look inside a nested object.
 */
function walkRefs(key: string, value: unknown, parent: string, depth: number, walk: RefWalk): void {
  if (depth > DEFAULT_MAX_DEPTH) return;
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'string' && isRefKey(key)) checkOneRef(key, value, parent, -1, walk);
    return;
  }
  if (!Array.isArray(value)) {
    walkNested(value, `${parent}/${pointerToken(key)}`, depth, walk);
    return;
  }
  const refs = isRefListKey(key);
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (refs) {
      if (typeof v === 'string') checkOneRef(key, v, parent, i, walk);
    } else if (typeof v === 'object' && v !== null) {
      walkNested(v, `${parent}/${pointerToken(key)}/${i}`, depth + 1, walk);
    }
  }
}

/** Checks the references inside an object or array found at JSON pointer `path` (an array element has no key). */
function walkNested(value: object, path: string, depth: number, walk: RefWalk): void {
  if (depth > DEFAULT_MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' && v !== null) walkNested(v, `${path}/${i}`, depth + 1, walk);
    }
  } else if (isJsonObject(value)) {
    for (const k in value) walkRefs(k, value[k], path, depth + 1, walk);
  }
}

/** Checks `ref`, the value of property `key` (element `index` of it when not -1) of the object at pointer `parent`. */
function checkOneRef(key: string, ref: string, parent: string, index: number, walk: RefWalk): void {
  const { type, id, out } = walk;
  const rule = refRule(type, key);
  const targetType = typeOfStixId(ref);
  if (targetType === undefined) {
    // A custom `_ref` property the spec does not define only gets a warning.
    out.push(
      issue(rule ? 'error' : 'warning', 'INVALID_REF', refPath(parent, key, index), `"${ref.slice(0, 120)}" is not a STIX identifier`, id),
    );
    return;
  }
  walk.references?.onReference(targetType);
  if (rule && !refAllowed(rule, targetType)) {
    out.push(
      issue(
        'error',
        'REF_TYPE_NOT_ALLOWED',
        refPath(parent, key, index),
        `${key} of a ${type} must point to ${describeRule(rule)}, not to a ${targetType}`,
        id,
      ),
    );
  }
}

function refPath(parent: string, key: string, index: number): string {
  const path = `${parent}/${pointerToken(key)}`;
  return index < 0 ? path : `${path}/${index}`;
}

const TLP_NAMES: Readonly<Record<string, string>> = {
  white: 'clear',
  clear: 'clear',
  green: 'green',
  amber: 'amber',
  'amber+strict': 'amber+strict',
  red: 'red',
};

/** The TLP level a marking-definition claims through its content, or undefined when it claims none. */
function claimedTlp(obj: Record<string, unknown>): string | undefined {
  const def = obj['definition'];
  if (obj['definition_type'] === 'tlp' && isJsonObject(def) && typeof def['tlp'] === 'string') {
    return TLP_NAMES[def['tlp'].toLowerCase()] ?? def['tlp'].toLowerCase();
  }
  const name = obj['name'];
  const ext = obj['extensions'];
  const isTlp2 = isJsonObject(ext) && ext[TLP2_EXTENSION_ID] !== undefined;
  if (typeof name === 'string' && name.length < 40 && name.toUpperCase().startsWith('TLP:')) {
    const colour = name.slice(4).trim().toLowerCase();
    return TLP_NAMES[colour] ?? colour;
  }
  return isTlp2 || obj['definition_type'] === 'tlp' ? 'unknown' : undefined;
}

function checkTlpMarking(obj: Record<string, unknown>, id: string, out: ContentIssue[]): void {
  const claimed = claimedTlp(obj);
  if (claimed === undefined) return;
  const known = tlpLevelOfMarking(id);
  if (!isWellKnownTlpId(id)) {
    out.push(issue('error', 'TLP_MARKING_ID', '/id', `a TLP marking must use the well-known id of its level; ${id} is not one`, id));
  } else if (claimed !== 'unknown' && claimed !== known) {
    out.push(issue('error', 'TLP_MARKING_ID', '/id', `marking ${id} is TLP ${known ?? '?'} but its content says TLP ${claimed}`, id));
  }
}

const CUSTOM_NAME = /^[a-z0-9_]{3,250}$/;
const CUSTOM_NAME_ANY_CASE = /^[A-Za-z0-9_]{3,250}$/;

function checkCustomNames(obj: Record<string, unknown>, type: string, id: string, out: ContentIssue[]): void {
  const standard = standardProperties(type);
  if (standard === undefined && !type.startsWith('x-')) {
    out.push(issue('warning', 'CUSTOM_OBJECT_TYPE', '/type', `custom object type "${type}" should start with "x-"`, id));
  }
  // Properties of a toplevel-property-extension sit at the top level under the extension's own names.
  const ext = obj['extensions'];
  const topLevelExt =
    isJsonObject(ext) && Object.values(ext).some((e: unknown) => isJsonObject(e) && e['extension_type'] === 'toplevel-property-extension');
  for (const key in obj) {
    if (standard ? standard.has(key) : COMMON_PROPERTIES.has(key)) continue;
    const path = `/${pointerToken(key)}`;
    if (!CUSTOM_NAME.test(key)) {
      const upper = CUSTOM_NAME_ANY_CASE.test(key);
      out.push(
        issue(
          upper ? 'warning' : 'error',
          'CUSTOM_PROPERTY_NAME',
          path,
          upper
            ? `custom property "${key}" should be lower case`
            : `custom property name "${key.slice(0, 60)}" must be 3–250 characters of a-z, 0-9 and _`,
          id,
        ),
      );
    } else if (standard !== undefined && !topLevelExt && !key.startsWith('x_')) {
      out.push(
        issue(
          'warning',
          'CUSTOM_PROPERTY_NAME',
          path,
          `non-standard property "${key}" should start with "x_" or move under extensions`,
          id,
        ),
      );
    }
  }
}

function checkPattern(
  obj: Record<string, unknown>,
  id: string,
  check: (pattern: string) => readonly ContentIssue[],
  out: ContentIssue[],
): void {
  const pattern = obj['pattern'];
  const patternType = obj['pattern_type'];
  if (typeof pattern !== 'string') return;
  if (typeof patternType === 'string' && patternType !== 'stix') {
    // yara, snort, sigma, … (OPAQUE_PATTERN_TYPES) and unknown languages: stored as opaque text.
    return;
  }
  for (const i of check(pattern)) out.push(patternIssue(i, id));
}

/** Re-homes a pattern-engine issue onto the object: path under /pattern, the object's id. */
export function patternIssue(i: ContentIssue, id: string | undefined): ContentIssue {
  const path = i.path.startsWith('/pattern') ? i.path : `/pattern${i.path}`;
  // Copied field by field: the code was checked when the pattern engine built the issue.
  return id === undefined
    ? { code: i.code, path, message: i.message, severity: i.severity }
    : { code: i.code, path, message: i.message, severity: i.severity, objectId: id };
}
