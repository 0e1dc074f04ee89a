/**
 * STIX 2.1 → STIX 2.0 bundle (downgrade for peers that only read 2.0). Pure.
 *
 * Policy (docs/mapping/stix20.md): `spec_version` moves to the bundle; `*_types` become `labels`; 2.1-only
 * types and properties are dropped with an issue (never emitted as unknown properties a strict 2.0 reader
 * rejects); top-level SCOs are folded into the `objects` dictionary of the observed-data that reference them;
 * TLP 2.0 markings become TLP 1.0 (AMBER+STRICT → RED: never widened); references to dropped objects are
 * removed, and an object left without a required reference is dropped too.
 */
import { issue, type ContentIssue } from '../../stix/issues';
import { GATEWAY_ID_NAMESPACE, SCO_TYPES, uuidV5 } from '../../stix/identifiers';
import { tlp1IdFor, tlpLevelOfMarking } from '../../stix/markings';
import type { ExportResult, StixObject } from '../types';
import { EXTENSION_REMOVED, keptName, SCO_REMOVED, SCO_RENAMES } from '../../stix/normalize/upgrade';
import { COMMON_21_ONLY, PROPERTIES_21_ONLY, TLP1_DEFINITIONS, TYPES_21_ONLY, TYPES_TO_LABELS } from './stix20-tables';
import type { OutcomeCode } from '../../common/outcome-codes';
import { lex } from '../../stix/pattern/lexer';

export interface Stix20ExportOptions {
  /** Bundle id; by default derived from the exported object ids (same objects → same bundle id). */
  readonly bundleId?: string;
}

type Json = Record<string, unknown>;

function isJson(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Converts STIX 2.1 objects into a STIX 2.0 bundle (JSON text). Never throws on content. */
export function exportStix20(objects: readonly StixObject[], options: Stix20ExportOptions = {}): ExportResult {
  const issues: ContentIssue[] = [];
  const byId = new Map<string, StixObject>();
  for (const o of objects) byId.set(o.id, o);
  const ptrOf = new Map<string, string>();
  objects.forEach((o, i) => ptrOf.set(o.id, `/${i}`));
  const dropped = new Set<string>();
  const drop = (o: StixObject, code: OutcomeCode, message: string, severity: 'warning' | 'info' = 'warning'): void => {
    dropped.add(o.id);
    issues.push(issue(severity, code, ptrOf.get(o.id) ?? '/', message, o.id));
  };

  // SCOs that some observed-data references (directly or through another SCO) are folded, not dropped.
  const folded = new Set<string>();
  for (const o of objects) {
    if (o.type !== 'observed-data' || !Array.isArray(o['object_refs'])) continue;
    for (const id of closure(
      o['object_refs'].filter((r): r is string => typeof r === 'string'),
      byId,
    ))
      folded.add(id);
  }

  const converted: Json[] = [];
  let usedTlp1 = new Set<string>();
  for (const o of objects) {
    if (SCO_TYPES.has(o.type)) {
      if (!folded.has(o.id))
        drop(o, 'STIX20_SCO_DROPPED', `${o.type} is not referenced by any observed-data: STIX 2.0 has no top-level cyber observables`);
      else dropped.add(o.id);
      continue;
    }
    if (TYPES_21_ONLY.has(o.type)) {
      drop(o, 'STIX20_TYPE_DROPPED', `${o.type} does not exist in STIX 2.0`);
      continue;
    }
    if (o.type === 'marking-definition') {
      const level = tlpLevelOfMarking(o.id);
      if (level !== undefined) {
        // Replaced by the TLP 1.0 definition (added once below).
        dropped.add(o.id);
        usedTlp1.add(tlp1IdFor(level));
        continue;
      }
      if (o['extensions'] !== undefined || o['definition_type'] === undefined) {
        drop(o, 'STIX20_MARKING_DROPPED', 'marking definition defined through an extension cannot be expressed in STIX 2.0');
        continue;
      }
    }
    if (o.type === 'indicator') {
      const patternType = typeof o['pattern_type'] === 'string' ? o['pattern_type'] : 'stix';
      if (patternType !== 'stix') {
        drop(o, 'STIX20_PATTERN_TYPE', `pattern_type "${patternType}" cannot be expressed in STIX 2.0 (STIX patterns only)`);
        continue;
      }
    }
    converted.push(downgrade(o, byId, issues, ptrOf.get(o.id) ?? '/'));
  }

  // Markings, references to dropped objects, and objects that lose a required reference.
  const out: Json[] = [];
  let changed = true;
  let current = converted;
  while (changed) {
    changed = false;
    const next: Json[] = [];
    for (const o of current) {
      const id = String(o['id']);
      const lostRequired = pruneRefs(o, dropped);
      if (lostRequired !== undefined) {
        dropped.add(id);
        issues.push(
          issue(
            'warning',
            'STIX20_DANGLING_DROPPED',
            ptrOf.get(id) ?? '/',
            `${String(o['type'])} dropped: every object in ${lostRequired} was dropped`,
            id,
          ),
        );
        changed = true;
        continue;
      }
      next.push(o);
    }
    current = next;
  }
  for (const o of current) {
    mapMarkingRefs(o, usedTlp1);
    out.push(o);
  }
  usedTlp1 = new Set([...usedTlp1].filter((id) => !out.some((o) => o['id'] === id)));
  const markings = [...usedTlp1].map((id) => TLP1_DEFINITIONS[id]).filter((m): m is Json => m !== undefined);
  const all = [...markings, ...out];
  const bundleId =
    options.bundleId ??
    `bundle--${uuidV5(
      all
        .map((o) => String(o['id']))
        .sort()
        .join(','),
      GATEWAY_ID_NAMESPACE,
    )}`;
  // A bundle's `objects` holds one or more objects when present: an empty export leaves it out.
  const bundle =
    all.length === 0
      ? { type: 'bundle', id: bundleId, spec_version: '2.0' }
      : { type: 'bundle', id: bundleId, spec_version: '2.0', objects: all };
  if (all.length === 0)
    issues.push(issue('warning', 'EMPTY_BUNDLE', '/objects', 'nothing to export: the bundle is written without an objects property'));
  return { output: `${JSON.stringify(bundle, null, 2)}\n`, issues };
}

/** All ids reachable from the given SCO ids through `*_ref` / `*_refs` (bounded by the object count). */
function closure(start: readonly string[], byId: ReadonlyMap<string, StixObject>): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0 && seen.size <= byId.size) {
    const id = queue.pop() as string;
    if (seen.has(id)) continue;
    const o = byId.get(id);
    if (o === undefined || !SCO_TYPES.has(o.type)) continue;
    seen.add(id);
    for (const r of refsOf(o)) queue.push(r);
  }
  return seen;
}

function refsOf(o: Json): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (k.endsWith('_ref') && typeof v === 'string') out.push(v);
    if (k.endsWith('_refs') && Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x);
  }
  return out;
}

function downgrade(o: StixObject, byId: ReadonlyMap<string, StixObject>, issues: ContentIssue[], ptr: string): Json {
  const out: Json = {};
  const removed: string[] = [];
  const only21 = PROPERTIES_21_ONLY[o.type] ?? [];
  for (const [k, v] of Object.entries(o)) {
    if (k === 'spec_version') continue;
    if (COMMON_21_ONLY.has(k) || only21.includes(k)) {
      removed.push(k);
      continue;
    }
    out[k] = v;
  }
  const typesProp = TYPES_TO_LABELS[o.type];
  if (typesProp !== undefined) {
    const types = Array.isArray(o[typesProp]) ? o[typesProp].filter((t): t is string => typeof t === 'string') : [];
    const labels = Array.isArray(o['labels']) ? o['labels'].filter((t): t is string => typeof t === 'string') : [];
    delete out[typesProp];
    const merged = [...new Set([...types, ...labels])];
    if (merged.length === 0) {
      merged.push('unknown');
      issues.push(
        issue('info', 'STIX20_LABELS_DEFAULTED', `${ptr}/${typesProp}`, `STIX 2.0 requires labels on ${o.type}: "unknown" used`, o.id),
      );
    }
    out['labels'] = merged;
  }
  if (o.type === 'indicator') {
    delete out['pattern_type'];
    delete out['pattern_version'];
    // Lossless, like the SCOs' names in stix20Names: no issue.
    const pattern = typeof o['pattern'] === 'string' ? patternTo20(o['pattern']) : undefined;
    if (pattern !== undefined) out['pattern'] = pattern;
  }
  if (o.type === 'identity' && typeof out['identity_class'] !== 'string') {
    out['identity_class'] = 'unknown';
    issues.push(
      issue('info', 'STIX20_IDENTITY_CLASS_DEFAULTED', `${ptr}/identity_class`, 'STIX 2.0 requires identity_class: "unknown" used', o.id),
    );
  }
  if (o.type === 'observed-data' && Array.isArray(o['object_refs'])) {
    delete out['object_refs'];
    const embedded = embed(
      o['object_refs'].filter((r): r is string => typeof r === 'string'),
      byId,
      issues,
      ptr,
      o.id,
    );
    out['objects'] = embedded.objects;
    if (embedded.granular.length > 0) {
      out['granular_markings'] = [...(Array.isArray(out['granular_markings']) ? out['granular_markings'] : []), ...embedded.granular];
    }
  }
  if (removed.length > 0) {
    issues.push(issue('info', 'STIX20_PROPERTY_DROPPED', ptr, `not in STIX 2.0 for ${o.type}: ${removed.join(', ')}`, o.id));
  }
  if (Array.isArray(o['granular_markings']))
    moveSelectors(out, (sel) => {
      const [head, ...rest] = sel.split('.');
      if (head === undefined) return sel;
      if (typesProp !== undefined && head === typesProp) return 'labels'; // merged into labels: all of them marked
      return removed.includes(head) ? undefined : [head, ...rest].join('.');
    });
  return out;
}

/**
 * Rewrites the granular selectors of a downgraded object: `move` gives a selector's new form, or undefined when
 * the content it selected is not in the 2.0 object; such a marking moves onto `object_marking_refs`, so nothing
 * is served less marked than in 2.1 (it may be more).
 */
function moveSelectors(out: Json, move: (selector: string) => string | undefined): void {
  const granular = out['granular_markings'];
  if (!Array.isArray(granular)) return;
  const whole: unknown[] = [];
  const next = granular.flatMap((g: unknown) => {
    if (!isJson(g) || !Array.isArray(g['selectors'])) return [g];
    const selectors: string[] = [];
    for (const sel of g['selectors']) {
      const moved = typeof sel === 'string' ? move(sel) : undefined;
      if (moved === undefined) whole.push(g['marking_ref']);
      else if (!selectors.includes(moved)) selectors.push(moved);
    }
    return selectors.length > 0 ? [{ ...g, selectors }] : [];
  });
  if (next.length > 0) out['granular_markings'] = next;
  else delete out['granular_markings'];
  if (whole.length > 0) {
    const refs = Array.isArray(out['object_marking_refs']) ? out['object_marking_refs'] : [];
    out['object_marking_refs'] = [...new Set([...refs, ...whole])];
  }
}

/**
 * The 2.0 `objects` dictionary of an observed-data: keys "0", "1", … with `*_ref(s)` rewritten to keys, and the
 * granular markings that keep each SCO's own markings on its entry (`objects.K`, `objects.K.property`): 2.0
 * observables have no markings of their own, and an entry must not be less marked than the SCO it came from.
 */
function embed(
  refs: readonly string[],
  byId: ReadonlyMap<string, StixObject>,
  issues: ContentIssue[],
  ptr: string,
  ownerId: string,
): { objects: Json; granular: Json[] } {
  const ids = [...closure(refs, byId)];
  const missing = refs.filter((r) => !byId.has(r));
  if (missing.length > 0) {
    issues.push(
      issue(
        'warning',
        'STIX20_OBSERVABLE_MISSING',
        `${ptr}/object_refs`,
        `${missing.length} referenced observable(s) not among the exported objects`,
        ownerId,
      ),
    );
  }
  // Referenced objects first so keys are stable: the listed refs in order, then what they reference.
  const ordered = [...refs.filter((r) => ids.includes(r)), ...ids.filter((id) => !refs.includes(id))];
  const keyOf = new Map<string, string>();
  ordered.forEach((id, i) => keyOf.set(id, String(i)));
  const dict: Json = {};
  const granular: Json[] = [];
  for (const id of ordered) {
    const sco = byId.get(id);
    if (sco === undefined) continue;
    const key = keyOf.get(id) ?? String(Object.keys(dict).length);
    granular.push(...entryMarkings(sco, key));
    const copy: Json = {};
    for (const [k, v] of Object.entries(stix20Names(sco))) {
      if (k === 'id' || k === 'spec_version' || k === 'object_marking_refs' || k === 'granular_markings' || k === 'defanged') continue;
      if (k.endsWith('_ref') && typeof v === 'string') {
        const key = keyOf.get(v);
        if (key !== undefined) copy[k] = key;
      } else if (k.endsWith('_refs') && Array.isArray(v)) {
        const keys = v.map((x) => (typeof x === 'string' ? keyOf.get(x) : undefined)).filter((x): x is string => x !== undefined);
        if (keys.length > 0) copy[k] = keys;
      } else {
        copy[k] = v;
      }
    }
    dict[key] = copy;
  }
  return { objects: dict, granular };
}

/** An SCO's object and granular markings as granular markings of the observed-data entry `key`. */
function entryMarkings(sco: StixObject, key: string): Json[] {
  const out: Json[] = [];
  const names = reverseNames(sco.type);
  if (Array.isArray(sco['object_marking_refs'])) {
    for (const ref of sco['object_marking_refs'])
      if (typeof ref === 'string') out.push({ marking_ref: ref, selectors: [`objects.${key}`] });
  }
  if (Array.isArray(sco['granular_markings'])) {
    for (const g of sco['granular_markings']) {
      if (!isJson(g) || typeof g['marking_ref'] !== 'string' || !Array.isArray(g['selectors'])) continue;
      const selectors = g['selectors']
        .filter((x): x is string => typeof x === 'string')
        .map((sel) => {
          const dot = sel.indexOf('.');
          const head = dot < 0 ? sel : sel.slice(0, dot);
          return `objects.${key}.${names[head] ?? head}${dot < 0 ? '' : sel.slice(dot)}`;
        });
      out.push({ marking_ref: g['marking_ref'], selectors });
    }
  }
  return out;
}

/** 2.1 → 2.0 names of an observable type's properties: the renamed ones and those the import kept as `x_stix20_*`. */
function reverseNames(type: string): Readonly<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const [from20, to21] of Object.entries(SCO_RENAMES[type] ?? {})) names[to21] = from20;
  for (const p of SCO_REMOVED[type] ?? []) names[keptName(p)] = p;
  return names;
}

/**
 * A 2.1 pattern with the observable properties 2.1 renamed, and those the import kept as `x_stix20_*`, under their
 * 2.0 names (`process:created_time` → `process:created`, `file:x_stix20_archive_ext_version` →
 * `file:extensions.'archive-ext'.version`), as the SCOs folded into observed-data get them back. Only the first step
 * of an object path is renamed; literals are untouched. Undefined when the pattern does not lex or has none.
 */
function patternTo20(pattern: string): string | undefined {
  const lexed = lex(pattern);
  if (!lexed.ok) return undefined;
  const t = lexed.tokens;
  const kept = new Map<string, string>();
  for (const [ext, props] of Object.entries(EXTENSION_REMOVED))
    for (const p of props) kept.set(keptName(p, ext), `extensions.'${ext}'.${p}`);
  const edits: { start: number; end: number; text: string }[] = [];
  for (let i = 0; i + 2 < t.length; i++) {
    const [type, colon, prop] = [t[i], t[i + 1], t[i + 2]];
    if (type?.type !== 'ident' || colon?.type !== ':' || prop?.type !== 'ident') continue;
    const name = reverseNames(type.text)[prop.text] ?? kept.get(prop.text);
    if (name !== undefined) edits.push({ start: prop.start, end: prop.end, text: name });
  }
  if (edits.length === 0) return undefined;
  let text = pattern;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return text;
}

/** The SCO with its 2.0 property names back (2.1 names renamed, `x_stix20_*` values restored, in extensions too). */
function stix20Names(sco: StixObject): Json {
  const names = reverseNames(sco.type);
  const out: Json = {};
  for (const [k, v] of Object.entries(sco)) out[names[k] ?? k] = v;
  for (const [ext, props] of Object.entries(EXTENSION_REMOVED)) {
    for (const p of props) {
      const kept = keptName(p, ext);
      const exts = out['extensions'];
      if (out[kept] === undefined || !isJson(exts) || !isJson(exts[ext])) continue;
      out['extensions'] = { ...exts, [ext]: { ...exts[ext], [p]: out[kept] } };
      delete out[kept];
    }
  }
  return out;
}

/** Required reference properties per type: when all their targets are dropped, the object is dropped. */
const REQUIRED_REFS: Readonly<Record<string, readonly string[]>> = {
  relationship: ['source_ref', 'target_ref'],
  sighting: ['sighting_of_ref'],
  report: ['object_refs'],
};

/** Removes references to dropped objects; returns the property name when a required one is left empty. */
function pruneRefs(o: Json, dropped: ReadonlySet<string>): string | undefined {
  const required = REQUIRED_REFS[String(o['type'])] ?? [];
  for (const [k, v] of Object.entries(o)) {
    if (k === 'object_marking_refs') continue;
    if (k.endsWith('_ref') && typeof v === 'string' && dropped.has(v)) {
      if (required.includes(k)) return k;
      delete o[k];
    } else if (k.endsWith('_refs') && Array.isArray(v)) {
      const kept = v.filter((x) => !(typeof x === 'string' && dropped.has(x)));
      if (kept.length === v.length) continue;
      if (kept.length === 0) {
        if (required.includes(k)) return k;
        delete o[k];
      } else o[k] = kept;
      // a marked entry keeps its marking at its new index; the marking of a removed one covers the list
      const index = v.flatMap((x, i) => (kept.includes(x) ? [i] : []));
      moveSelectors(o, (sel) => {
        const [head, step, ...rest] = sel.split('.');
        const at = /^\[(\d+)\]$/.exec(step ?? '');
        if (head !== k || at?.[1] === undefined) return sel;
        if (kept.length === 0) return undefined;
        const n = index.indexOf(Number(at[1]));
        return n < 0 ? k : [head, `[${n}]`, ...rest].join('.');
      });
    }
  }
  return undefined;
}

/** TLP 2.0 marking refs → TLP 1.0 ids (AMBER+STRICT → RED); records which TLP 1.0 definitions are used. */
function mapMarkingRefs(o: Json, used: Set<string>): void {
  const rewrite = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    const level = tlpLevelOfMarking(v);
    if (level === undefined) return v;
    const id = tlp1IdFor(level);
    used.add(id);
    return id;
  };
  if (Array.isArray(o['object_marking_refs'])) o['object_marking_refs'] = [...new Set(o['object_marking_refs'].map(rewrite))];
  if (Array.isArray(o['granular_markings'])) {
    o['granular_markings'] = o['granular_markings'].map((g) => (isJson(g) ? { ...g, marking_ref: rewrite(g['marking_ref']) } : g));
  }
}
