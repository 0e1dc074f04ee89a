/**
 * STIX 2.0 → 2.1 upgrade of one object (docs/mapping/stix20.md), and the expansion of an observed-data
 * `objects` dictionary into top-level SCOs. Pure: inputs are never modified.
 */
import { type ContentIssue, issue } from '../issues';
import { deterministicScoId, GATEWAY_ID_NAMESPACE, isStixType, SCO_TYPES, uuidV4From } from '../identifiers';
import { officialTlpDefinition } from '../semantic/official-markings';
import { isJsonObject } from '../semantic/prescreen';

export interface UpgradeOptions {
  /** `is_family` given to upgraded 2.0 malware (2.1 requires it; python-stix2 uses false). Default false. */
  readonly malwareIsFamilyDefault?: boolean;
}

export interface UpgradeResult {
  readonly object: Record<string, unknown>;
  readonly changes: ContentIssue[];
}

/** 2.0 `labels` became a typed vocabulary property in 2.1 for these types. */
export const LABELS_TO: Readonly<Record<string, string>> = {
  indicator: 'indicator_types',
  malware: 'malware_types',
  tool: 'tool_types',
  'threat-actor': 'threat_actor_types',
  report: 'report_types',
};

/**
 * True when the object is STIX 2.0: `spec_version` "2.0", or no `spec_version` on a type that is not an SCO
 * (2.1 requires it everywhere except on SCOs, and 2.0 had no top-level SCOs).
 */
export function isStix20(obj: Record<string, unknown>): boolean {
  const sv = obj['spec_version'];
  if (sv === '2.0') return true;
  return sv === undefined && typeof obj['type'] === 'string' && !SCO_TYPES.has(obj['type']);
}

/** Upgrades one 2.0 object to 2.1 (a 2.1 object is returned as is, with no changes). */
export function upgradeObject(obj: Record<string, unknown>, options: UpgradeOptions = {}): UpgradeResult {
  const type = typeof obj['type'] === 'string' ? obj['type'] : '';
  const id = typeof obj['id'] === 'string' ? obj['id'] : undefined;
  const changes: ContentIssue[] = [];
  if (obj['spec_version'] === undefined && SCO_TYPES.has(type)) {
    changes.push(issue('info', 'SPEC_VERSION_ADDED', '/spec_version', 'spec_version "2.1" added to the SCO', id));
    return { object: { ...obj, spec_version: '2.1' }, changes };
  }
  if (!isStix20(obj)) return { object: obj, changes };

  const out: Record<string, unknown> = { ...obj, spec_version: '2.1' };
  changes.push(issue('info', 'UPGRADED_FROM_2_0', '/spec_version', 'STIX 2.0 object upgraded to 2.1', id));

  const typesProp = LABELS_TO[type];
  if (typesProp !== undefined && out[typesProp] === undefined && Array.isArray(out['labels'])) {
    out[typesProp] = out['labels'];
    delete out['labels'];
    changes.push(issue('info', 'LABELS_MOVED', `/${typesProp}`, `labels moved to ${typesProp}`, id));
    const granular = renameSelectors(out['granular_markings'], { labels: typesProp });
    if (granular !== undefined) out['granular_markings'] = granular;
  }
  if (type === 'marking-definition' && id !== undefined) addOfficialTlpName(out, id, changes);
  if (type === 'indicator' && out['pattern_type'] === undefined) {
    out['pattern_type'] = 'stix';
    changes.push(issue('info', 'PATTERN_TYPE_ADDED', '/pattern_type', 'pattern_type "stix" added', id));
  }
  if (type === 'malware' && out['is_family'] === undefined) {
    const isFamily = options.malwareIsFamilyDefault ?? false;
    out['is_family'] = isFamily;
    changes.push(issue('info', 'IS_FAMILY_ADDED', '/is_family', `is_family ${String(isFamily)} added`, id));
  }
  return { object: out, changes };
}

export interface ExpansionResult {
  /** The observed-data with `object_refs` instead of `objects`. */
  readonly observed: Record<string, unknown>;
  /** The SCOs of the dictionary, with ids and references resolved. */
  readonly scos: Record<string, unknown>[];
  /** Info on the expansion; errors for dictionary entries that could not be turned into SCOs. */
  readonly changes: ContentIssue[];
}

/** Largest `objects` dictionary expanded (bounds the resolution loop, which is quadratic in the worst case). */
const MAX_DICTIONARY_ENTRIES = 1000;

/** True when this is an observed-data still carrying the (2.0, deprecated in 2.1) `objects` dictionary. */
export function hasObjectsDictionary(obj: Record<string, unknown>): boolean {
  return obj['type'] === 'observed-data' && isJsonObject(obj['objects']) && obj['object_refs'] === undefined;
}

/**
 * Turns an observed-data `objects` dictionary into top-level 2.1 SCOs plus `object_refs`. Local references
 * ("0", "1") inside the dictionary become the SCOs' ids. Ids are deterministic: the STIX UUIDv5 of the SCO
 * where its type has ID-contributing properties, otherwise a UUIDv5 of (observed-data id, local key) in the
 * gateway's namespace with the version digit 4, so re-posting the same observed-data yields the same SCOs.
 */
export function expandObservedData(obj: Record<string, unknown>): ExpansionResult {
  const parentId = typeof obj['id'] === 'string' ? obj['id'] : '';
  const dict = isJsonObject(obj['objects']) ? obj['objects'] : {};
  const changes: ContentIssue[] = [];
  const entries = Object.entries(dict).slice(0, MAX_DICTIONARY_ENTRIES);
  if (Object.keys(dict).length > MAX_DICTIONARY_ENTRIES) {
    changes.push(issue('error', 'OBSERVED_OBJECTS_TOO_MANY', '/objects', `more than ${MAX_DICTIONARY_ENTRIES} observed objects`, parentId));
  }
  const pending = new Map<string, Record<string, unknown>>();
  for (const [key, value] of entries) {
    if (!isJsonObject(value) || typeof value['type'] !== 'string' || !isStixType(value['type'])) {
      changes.push(issue('error', 'INVALID_OBSERVED_OBJECT', `/objects/${key}`, 'observed object has no valid "type"', parentId));
      continue;
    }
    pending.set(key, value);
  }
  const marks = parentMarkings(obj);
  const localToId = new Map<string, string>();
  const resolved = new Map<string, Record<string, unknown>>();
  const assign = (key: string, sco: Record<string, unknown>, force: boolean): boolean => {
    if (!force && localRefs(sco).some((r) => r !== key && pending.has(r))) return false;
    const type = String(sco['type']);
    const rest = withoutTypeAndVersion(mapLocalRefs(renamed20Properties(sco, `/objects/${key}`, parentId, changes), localToId));
    // No ID-contributing property: STIX 2.1 §2.9 wants a UUIDv4 (hash-derived, so re-posting gives the same id).
    const id = deterministicScoId({ type, ...rest }) ?? `${type}--${uuidV4From(`${parentId}\u0000${key}`, GATEWAY_ID_NAMESPACE)}`;
    localToId.set(key, id);
    resolved.set(key, { type, spec_version: '2.1', id, ...rest, ...marks.forKey(key, type) });
    pending.delete(key);
    return true;
  };
  // Resolve in dependency order (an SCO whose id depends on references needs their ids first).
  let progress = true;
  while (pending.size > 0 && progress) {
    progress = false;
    for (const [key, sco] of [...pending]) if (assign(key, sco, false)) progress = true;
  }
  // Reference cycles: give the rest ids from what is known; every local reference is mapped below.
  for (const [key, sco] of [...pending]) assign(key, sco, true);
  const scos = [...resolved.values()].map((sco) => mapLocalRefs(sco, localToId));

  const observed: Record<string, unknown> = { ...obj };
  delete observed['objects'];
  if (marks.parentGranular === undefined) delete observed['granular_markings'];
  else observed['granular_markings'] = marks.parentGranular;
  observed['object_refs'] = [...new Set(scos.map((s) => String(s['id'])))];
  changes.push(
    issue(
      'info',
      'OBSERVED_DATA_EXPANDED',
      '/objects',
      `observed-data "objects" dictionary replaced by ${scos.length} top-level SCOs in object_refs`,
      parentId,
    ),
  );
  return { observed, scos, changes };
}

/** Cyber-observable properties STIX 2.1 renamed (type → 2.0 name → 2.1 name). */
export const SCO_RENAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  file: { created: 'ctime', modified: 'mtime', accessed: 'atime' },
  directory: { created: 'ctime', modified: 'mtime', accessed: 'atime' },
  process: { binary_ref: 'image_ref', created: 'created_time' },
  'windows-registry-key': { modified: 'modified_time' },
  'user-account': { password_last_changed: 'credential_last_changed' },
};

/**
 * Cyber-observable properties of STIX 2.0 that STIX 2.1 removed (type → property). Their values are kept under
 * a custom name, `x_stix20_<property>`, so nothing the producer said is lost and the SCO stays valid 2.1.
 */
export const SCO_REMOVED: Readonly<Record<string, readonly string[]>> = {
  file: ['is_encrypted', 'encryption_algorithm', 'decryption_key'],
  process: ['name', 'arguments'],
};

/** Properties of predefined 2.0 extensions that 2.1 removed (extension → property); kept on the SCO as `x_stix20_<ext>_<property>`. */
export const EXTENSION_REMOVED: Readonly<Record<string, readonly string[]>> = {
  'archive-ext': ['version'],
  'raster-image-ext': ['image_compression_algorithm'],
  'socket-ext': ['protocol_family'],
};

/** The custom 2.1 name a removed 2.0 property is kept under. */
export function keptName(property: string, extension?: string): string {
  return extension === undefined ? `x_stix20_${property}` : `x_stix20_${extension.replace(/-/g, '_')}_${property}`;
}

/** 2.0 → 2.1 names of one observable type's top-level properties (renamed and removed ones). */
function propertyNames20(type: string): Readonly<Record<string, string>> {
  const names: Record<string, string> = { ...SCO_RENAMES[type] };
  for (const p of SCO_REMOVED[type] ?? []) names[p] = keptName(p);
  return names;
}

/**
 * The 2.0 observable with its renamed properties under their 2.1 names and its removed properties under custom
 * names (an info change for each).
 */
function renamed20Properties(
  sco: Record<string, unknown>,
  path: string,
  parentId: string,
  changes: ContentIssue[],
): Record<string, unknown> {
  const type = String(sco['type']);
  let out: Record<string, unknown> | undefined;
  for (const [from, to] of Object.entries(SCO_RENAMES[type] ?? {})) {
    if (sco[from] === undefined || sco[to] !== undefined) continue;
    out ??= { ...sco };
    out[to] = out[from];
    delete out[from];
    changes.push(issue('info', 'PROPERTY_RENAMED', `${path}/${from}`, `STIX 2.0 ${from} became ${to} in STIX 2.1`, parentId));
  }
  const keep = (from: string, to: string, value: unknown, at: string): void => {
    out ??= { ...sco };
    out[to] = value;
    changes.push(
      issue(
        'info',
        'STIX20_PROPERTY_KEPT_AS_CUSTOM',
        `${path}/${at}`,
        `STIX 2.0 ${from} has no place in STIX 2.1: kept as ${to}`,
        parentId,
      ),
    );
  };
  for (const p of SCO_REMOVED[type] ?? []) {
    if (sco[p] === undefined || sco[keptName(p)] !== undefined) continue;
    keep(p, keptName(p), sco[p], p);
    if (out !== undefined) delete out[p];
  }
  const extensions = sco['extensions'];
  if (isJsonObject(extensions)) {
    let exts: Record<string, unknown> | undefined;
    for (const [ext, props] of Object.entries(EXTENSION_REMOVED)) {
      const body = extensions[ext];
      if (!isJsonObject(body)) continue;
      for (const p of props) {
        if (body[p] === undefined) continue;
        exts ??= { ...extensions };
        const copy: Record<string, unknown> = { ...(exts[ext] as Record<string, unknown>) };
        delete copy[p];
        exts[ext] = copy;
        keep(`${ext} ${p}`, keptName(p, ext), body[p], `extensions/${ext}/${p}`);
      }
    }
    if (exts !== undefined && out !== undefined) out['extensions'] = exts;
  }
  return out ?? sco;
}

/** Granular markings with the first segment of each selector renamed (undefined when nothing changed). */
function renameSelectors(granular: unknown, names: Readonly<Record<string, string>>): unknown[] | undefined {
  if (!Array.isArray(granular)) return undefined;
  let changed = false;
  const out = granular.map((g: unknown) => {
    if (!isJsonObject(g) || !Array.isArray(g['selectors'])) return g;
    const selectors = g['selectors'].map((sel: unknown) => {
      if (typeof sel !== 'string') return sel;
      const dot = sel.indexOf('.');
      const head = dot < 0 ? sel : sel.slice(0, dot);
      const to = names[head];
      if (to === undefined) return sel;
      changed = true;
      return dot < 0 ? to : `${to}${sel.slice(dot)}`;
    });
    return { ...g, selectors };
  });
  return changed ? out : undefined;
}

/** The official TLP 1.0 `name` (TLP:AMBER, ...) added to a 2.0 TLP definition that says the same level. */
function addOfficialTlpName(out: Record<string, unknown>, id: string, changes: ContentIssue[]): void {
  const official = officialTlpDefinition(id);
  if (official === undefined || out['name'] !== undefined || official['definition_type'] !== 'tlp') return;
  const def = out['definition'];
  const officialDef = official['definition'];
  if (out['definition_type'] !== 'tlp' || !isJsonObject(def) || !isJsonObject(officialDef) || def['tlp'] !== officialDef['tlp']) return;
  out['name'] = official['name'];
  changes.push(issue('info', 'TLP_NAME_ADDED', '/name', `name "${String(official['name'])}" of the official TLP definition added`, id));
}

interface ParentMarkings {
  /** The observed-data's granular markings whose selectors did not point into `objects` (undefined: none left). */
  readonly parentGranular: unknown[] | undefined;
  /** The marking properties an SCO made from dictionary entry `key` carries. */
  forKey(key: string, type: string): Record<string, unknown>;
}

const OBJECTS_SELECTOR = /^objects(?:\.([^.]+)(?:\.(.+))?)?$/;

/**
 * How the markings of a 2.0 observed-data carry over to the SCOs of its `objects` dictionary: its object
 * markings cover every entry (so an SCO made top-level is never less marked than the data it came from); a
 * granular marking selecting `objects` marks every SCO, `objects.K` marks SCO K as a whole, and
 * `objects.K.rest` marks `rest` of SCO K (renamed as the SCO's properties are).
 */
function parentMarkings(obj: Record<string, unknown>): ParentMarkings {
  const objectRefs = Array.isArray(obj['object_marking_refs'])
    ? obj['object_marking_refs'].filter((r: unknown): r is string => typeof r === 'string')
    : [];
  const all: string[] = [];
  const whole = new Map<string, string[]>();
  const partial = new Map<string, Map<string, string[]>>();
  const granular = Array.isArray(obj['granular_markings']) ? obj['granular_markings'] : undefined;
  const kept: unknown[] = [];
  for (const g of granular ?? []) {
    const ref = isJsonObject(g) ? g['marking_ref'] : undefined;
    if (!isJsonObject(g) || typeof ref !== 'string' || !Array.isArray(g['selectors'])) {
      kept.push(g);
      continue;
    }
    const stay: unknown[] = [];
    for (const sel of g['selectors']) {
      const m = typeof sel === 'string' ? OBJECTS_SELECTOR.exec(sel) : null;
      if (m === null) stay.push(sel);
      else if (m[1] === undefined) all.push(ref);
      else if (m[2] === undefined) whole.set(m[1], [...(whole.get(m[1]) ?? []), ref]);
      else {
        const byRef = partial.get(m[1]) ?? new Map<string, string[]>();
        byRef.set(ref, [...(byRef.get(ref) ?? []), m[2]]);
        partial.set(m[1], byRef);
      }
    }
    if (stay.length > 0) kept.push({ ...g, selectors: stay });
  }
  return {
    parentGranular: granular === undefined ? undefined : kept.length > 0 ? kept : undefined,
    forKey(key: string, type: string): Record<string, unknown> {
      const refs = [...new Set([...objectRefs, ...all, ...(whole.get(key) ?? [])])];
      const out: Record<string, unknown> = {};
      if (refs.length > 0) out['object_marking_refs'] = refs;
      const byRef = partial.get(key);
      if (byRef !== undefined) {
        const list = [...byRef].map(([marking_ref, selectors]) => ({ marking_ref, selectors }));
        out['granular_markings'] = renameSelectors(list, propertyNames20(type)) ?? list;
      }
      return out;
    },
  };
}

function withoutTypeAndVersion(o: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...o };
  delete copy['type'];
  delete copy['spec_version'];
  delete copy['id'];
  return copy;
}

/** Local keys referenced by a dictionary entry (top level and nested). */
function localRefs(sco: Record<string, unknown>): string[] {
  const out: string[] = [];
  const visit = (o: Record<string, unknown>, depth: number): void => {
    if (depth > 16) return;
    for (const [k, v] of Object.entries(o)) {
      if (k.endsWith('_ref') && typeof v === 'string') out.push(v);
      else if (k.endsWith('_refs') && Array.isArray(v))
        for (const x of v)
          if (typeof x === 'string') out.push(x);
          else if (isJsonObject(v)) visit(v, depth + 1);
          else if (Array.isArray(v)) for (const x of v) if (isJsonObject(x)) visit(x, depth + 1);
    }
  };
  visit(sco, 1);
  return out;
}

/** Replaces local keys by ids in every `*_ref`/`*_refs` (unknown keys are left as written). */
function mapLocalRefs(sco: Record<string, unknown>, localToId: ReadonlyMap<string, string>): Record<string, unknown> {
  const visit = (o: Record<string, unknown>, depth: number): Record<string, unknown> => {
    if (depth > 16) return o;
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k.endsWith('_ref') && typeof v === 'string') copy[k] = localToId.get(v) ?? v;
      else if (k.endsWith('_refs') && Array.isArray(v)) {
        copy[k] = v.map((x: unknown) => (typeof x === 'string' ? (localToId.get(x) ?? x) : x));
      } else if (isJsonObject(v)) copy[k] = visit(v, depth + 1);
      else if (Array.isArray(v)) copy[k] = v.map((x: unknown) => (isJsonObject(x) ? visit(x, depth + 1) : x));
      else copy[k] = v;
    }
    return copy;
  };
  return visit(sco, 1);
}
