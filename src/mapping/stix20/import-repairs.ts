/**
 * Repairs of STIX 2.0 objects before the ingest pipeline upgrades them (docs/mapping/stix20.md): what real 2.0
 * producers get wrong in ways that can be fixed without guessing, so one broken value does not cost the whole
 * object. Everything else is left to the pipeline, which rejects the broken object and keeps the rest. Pure.
 *  - a `*_refs` entry that is not an identifier is removed (the value is named in the issue); a list left
 *    empty is removed;
 *  - an optional `*_ref` that is not an identifier is removed (required ones are left for the pipeline to
 *    reject, as the object means nothing without them);
 *  - `identity_class` written as a list keeps its first value (2.1 wants one string);
 *  - an artifact of an observed-data `objects` dictionary whose `payload_bin` is base64 broken by white space
 *    gets it without the white space; one that is not base64 at all loses `payload_bin` (the value is named in
 *    the issue) and keeps its hashes and MIME type, instead of the whole artifact being rejected;
 *  - an external reference with only a `source_name` gets that name as its description (2.1 wants one more
 *    property; dropping the reference would lose the source); a `cve`/`capec` reference gets its id in the
 *    form 2.1 requires, or, when its id is not one, a source name that no longer claims it is;
 *  - an empty list under a property the specification defines (ATT&CK's `external_references: []`,
 *    `object_marking_refs: []`, `roles: []`) is removed: it says nothing, and 2.1 forbids empty lists; custom
 *    (`x_`) properties are left as written;
 *  - a report, vulnerability or other object whose type requires `name` and that has none (elevator output) is
 *    named after its CVE id (vulnerabilities) or the first line of its description; a report with neither name nor
 *    description after its labels and publication day;
 *  - a network-traffic without `protocols` gets the ones its addresses and extensions name;
 *  - `socket-ext` `options` written as booleans (2.0 producers) become 1 / 0, the integers 2.1 requires;
 *  - an indicator pattern that names an observable property 2.1 renamed or removed (`process:name`,
 *    `file:created`, `file:extensions.'archive-ext'.version`) names it as the upgraded SCOs carry it
 *    (`process:x_stix20_name`, `file:ctime`, `file:x_stix20_archive_ext_version`), so the pattern stays valid
 *    2.1 and still matches what the same 2.0 observable becomes.
 */
import { typeOfStixId } from '../../stix/identifiers';
import { type ContentIssue, issue } from '../../stix/issues';
import { EXTENSION_REMOVED, SCO_REMOVED, SCO_RENAMES, keptName } from '../../stix/normalize/upgrade';
import { lex } from '../../stix/pattern/lexer';
import type { StixObject } from '../types';
import { EXTERNAL_ID_FORMS, canonicalExternalId } from '../../stix/external-ids';

/** The `*_ref` properties STIX 2.x requires: removing them would change what the object says. */
const REQUIRED_REFS: ReadonlySet<string> = new Set(['source_ref', 'target_ref', 'sighting_of_ref']);

export interface Repaired {
  readonly object: StixObject;
  readonly issues: ContentIssue[];
}

/** Applies the repairs to one 2.0 object found at JSON pointer `path`. */
export function repairStix20Object(o: StixObject, path: string): Repaired {
  const issues: ContentIssue[] = [];
  /** Per list property whose entries a repair removed: the original index of each entry kept, in order. */
  const keptEntries = new Map<string, number[]>();
  /** Values a repair copied from other content: the copy must be marked as its source is. */
  const derived: Derivation[] = [];
  let out: Record<string, unknown> | undefined;
  const set = (key: string, value: unknown): void => {
    out ??= { ...o };
    if (value === undefined) delete out[key];
    else out[key] = value;
  };
  for (const [key, value] of Object.entries(o)) {
    if (key.endsWith('_refs') && Array.isArray(value)) {
      const bad = value.filter((r: unknown) => typeof r !== 'string' || typeOfStixId(r) === undefined);
      if (bad.length === 0) continue;
      const kept = value.filter((r: unknown) => !bad.includes(r));
      keptEntries.set(
        key,
        value.flatMap((r: unknown, i) => (bad.includes(r) ? [] : [i])),
      );
      set(key, kept.length > 0 ? kept : undefined);
      for (const b of bad)
        issues.push(refIssue(o, `${path}/${key}`, b, kept.length === 0 ? `${key} was left empty and removed` : undefined));
    } else if (key.endsWith('_ref') && !REQUIRED_REFS.has(key) && (typeof value !== 'string' || typeOfStixId(value) === undefined)) {
      set(key, undefined);
      issues.push(refIssue(o, `${path}/${key}`, value, undefined));
    }
  }
  const identityClass = o['identity_class'];
  if (o.type === 'identity' && Array.isArray(identityClass) && typeof identityClass[0] === 'string') {
    set('identity_class', identityClass[0]);
    issues.push(
      issue(
        'warning',
        'STIX20_VALUE_REPAIRED',
        `${path}/identity_class`,
        `identity_class ${JSON.stringify(identityClass).slice(0, 120)} is a list: "${identityClass[0]}" kept`,
        o.id,
      ),
    );
  }
  for (const [key, value] of Object.entries(o)) {
    if (!Array.isArray(value) || value.length > 0 || key.startsWith('x_')) continue;
    set(key, undefined);
    issues.push(issue('info', 'STIX20_VALUE_REPAIRED', `${path}/${key}`, `empty list ${key} removed (2.1 forbids empty lists)`, o.id));
  }
  const named = missingName(o);
  if (named !== undefined) {
    set('name', named.name);
    derived.push({ to: 'name', from: named.sources });
    issues.push(
      issue(
        'warning',
        'STIX20_VALUE_REPAIRED',
        `${path}/name`,
        `${o.type} has no name: named ${JSON.stringify(named.name)} after its ${named.from}`,
        o.id,
      ),
    );
  }
  const pattern = o.type === 'indicator' ? renamePatternProperties(o['pattern']) : undefined;
  if (pattern !== undefined) {
    set('pattern', pattern.text);
    issues.push(
      issue(
        'info',
        'STIX20_VALUE_REPAIRED',
        `${path}/pattern`,
        `pattern names STIX 2.0 observable properties: ${pattern.renamed.join(', ')} (as the upgraded SCOs carry them)`,
        o.id,
      ),
    );
  }
  const refs = repairExternalReferences(o['external_references'], `${path}/external_references`, o.id, issues, derived);
  if (refs !== undefined) set('external_references', refs);
  const objects = o.type === 'observed-data' ? repairObservedObjects(o['objects'], path, o.id, issues) : undefined;
  if (objects !== undefined) set('objects', objects);
  const withDerived = markDerived(o['granular_markings'], derived);
  if (withDerived !== undefined) set('granular_markings', withDerived);
  if (out !== undefined) {
    const markings = remapGranularMarkings(
      { ...o, granular_markings: withDerived ?? o['granular_markings'] },
      out,
      keptEntries,
      path,
      issues,
    );
    if (markings !== undefined) for (const [k, v] of Object.entries(markings)) set(k, v);
  }
  if (o.type === 'observed-data') {
    const current = out === undefined ? o : out;
    const moved = followKeptExtensionProperties(current['granular_markings'], keptExtensionProperties(current['objects']));
    if (moved !== undefined) set('granular_markings', moved);
  }
  return { object: out === undefined ? o : { ...out, type: o.type, id: o.id }, issues };
}

/**
 * External references that name only their source (STIX 2.1 §2.5 wants a description, url or external_id as
 * well; 2.0 producers such as ATT&CK wrote bare `{"source_name": ...}`): the source name is repeated as the
 * description, so the reference and the object stay. Undefined when nothing changed.
 */
function repairExternalReferences(
  list: unknown,
  path: string,
  ownerId: string,
  issues: ContentIssue[],
  derived: Derivation[],
): unknown[] | undefined {
  if (!Array.isArray(list)) return undefined;
  let changed = false;
  const out = list.map((ref: unknown, i) => {
    if (typeof ref !== 'object' || ref === null || Array.isArray(ref)) return ref;
    const r = ref as Record<string, unknown>;
    const name = r['source_name'];
    const formed = idForm(r, `${path}/${i}`, ownerId, issues);
    if (formed !== undefined) {
      changed = true;
      return formed;
    }
    if (typeof name !== 'string' || name === '' || ['description', 'url', 'external_id'].some((k) => r[k] !== undefined)) return ref;
    changed = true;
    issues.push(
      issue(
        'warning',
        'STIX20_VALUE_REPAIRED',
        `${path}/${i}`,
        `external reference ${JSON.stringify(name).slice(0, 120)} has no description, url or external_id: its source name is used as description`,
        ownerId,
      ),
    );
    derived.push({ to: `external_references.[${i}].description`, from: [`external_references.[${i}].source_name`] });
    return { ...r, description: name };
  });
  return changed ? out : undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A `cve` or `capec` reference whose `external_id` is not in the form 2.1 requires: a bare or lower-case id
 * (`2015-2808`, `capec-66`) is written in that form; anything else (the elevator writes an ATT&CK `T1068` under
 * `capec`) keeps its value but no longer claims the source, `source_name` becoming `capec (not a CAPEC id)`, so
 * nothing is lost and nothing is passed off as a CAPEC id. Undefined when the reference is fine or not one of these.
 */
function idForm(r: Record<string, unknown>, path: string, ownerId: string, issues: ContentIssue[]): Record<string, unknown> | undefined {
  const source = r['source_name'];
  const spec = typeof source === 'string' ? EXTERNAL_ID_FORMS[source] : undefined;
  const id = r['external_id'];
  if (spec === undefined || typeof source !== 'string' || (typeof id === 'string' && spec.form.test(id))) return undefined;
  const fixed = typeof id === 'string' ? canonicalExternalId(source, id) : undefined;
  const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 60)) : 'missing';
  if (fixed !== undefined) {
    issues.push(
      issue('warning', 'STIX20_VALUE_REPAIRED', `${path}/external_id`, `${source} external_id ${shown} written as ${fixed}`, ownerId),
    );
    return { ...r, external_id: fixed };
  }
  const renamed = `${source} (not a ${spec.label})`;
  issues.push(
    issue(
      'warning',
      'STIX20_VALUE_REPAIRED',
      `${path}/source_name`,
      `a ${source} reference needs a ${spec.label} as external_id; it is ${shown}: source_name is now ${JSON.stringify(renamed)}, the value kept`,
      ownerId,
    ),
  );
  return { ...r, source_name: renamed };
}

/** An artifact whose payload_bin is not base64: white space removed, or the payload dropped and named. */
function repairArtifact(sco: unknown, path: string, ownerId: string, issues: ContentIssue[]): unknown {
  if (typeof sco !== 'object' || sco === null || Array.isArray(sco)) return sco;
  const rec = sco as Record<string, unknown>;
  const payload = rec['payload_bin'];
  if (rec['type'] !== 'artifact' || typeof payload !== 'string' || BASE64.test(payload)) return sco;
  const compact = payload.replace(/\s+/g, '');
  const shown = JSON.stringify(payload.length > 120 ? `${payload.slice(0, 120)}…` : payload);
  if (BASE64.test(compact)) {
    issues.push(
      issue(
        'warning',
        'STIX20_VALUE_REPAIRED',
        `${path}/payload_bin`,
        'artifact payload_bin had white space in its base64: removed',
        ownerId,
      ),
    );
    return { ...rec, payload_bin: compact };
  }
  const rest = { ...rec };
  delete rest['payload_bin'];
  issues.push(
    issue(
      'warning',
      'STIX20_VALUE_REPAIRED',
      `${path}/payload_bin`,
      `artifact payload_bin ${shown} is not base64: removed, the artifact keeps its other properties`,
      ownerId,
    ),
  );
  return rest;
}

/** The repaired entries of an observed-data `objects` dictionary; undefined when nothing changed. */
function repairObservedObjects(
  objects: unknown,
  path: string,
  ownerId: string,
  issues: ContentIssue[],
): Record<string, unknown> | undefined {
  if (typeof objects !== 'object' || objects === null || Array.isArray(objects)) return undefined;
  const dictionary = objects as Record<string, unknown>;
  let changed = false;
  const repaired: Record<string, unknown> = {};
  for (const [key, sco] of Object.entries(dictionary)) {
    const at = `${path}/objects/${key}`;
    const fixed = repairProtocols(
      repairSocketOptions(repairArtifact(sco, at, ownerId, issues), at, ownerId, issues),
      dictionary,
      at,
      ownerId,
      issues,
    );
    repaired[key] = fixed;
    if (fixed !== sco) changed = true;
  }
  return changed ? repaired : undefined;
}

/** Types whose `name` STIX 2.1 requires, and that 2.0 producers (the reference elevator) wrote without one. */
const NAMED_TYPES: ReadonlySet<string> = new Set([
  'attack-pattern',
  'campaign',
  'course-of-action',
  'identity',
  'intrusion-set',
  'report',
  'threat-actor',
  'tool',
  'vulnerability',
]);

/**
 * A name for an object of a named type that has none: a vulnerability takes its CVE id (the name the
 * vulnerability is known by; any other external id when there is no CVE), anything else the first line of its
 * description. Undefined when the object has a name or nothing to name it from.
 */
function missingName(o: StixObject): { name: string; from: string; sources: string[] } | undefined {
  if (!NAMED_TYPES.has(o.type) || o['name'] !== undefined) return undefined;
  if (o.type === 'vulnerability') {
    const refs = Array.isArray(o['external_references']) ? (o['external_references'] as unknown[]) : [];
    const ids = refs.flatMap((r: unknown) => {
      if (typeof r !== 'object' || r === null) return [];
      const { source_name: source, external_id: id } = r as Record<string, unknown>;
      return typeof id === 'string' && id.trim() !== '' ? [{ cve: source === 'cve', id: id.trim() }] : [];
    });
    const chosen = ids.find((i) => i.cve) ?? ids[0];
    if (chosen !== undefined) return { name: chosen.id, from: chosen.cve ? 'CVE id' : 'external id', sources: ['external_references'] };
  }
  const line = nameFromDescription(o['description']);
  if (line !== undefined) return { name: line, from: 'description', sources: ['description'] };
  return o.type === 'report' ? reportNameFromLabels(o) : undefined;
}

/**
 * A report with neither name nor description (the reference elevator writes one per STIX 1 package whose header
 * has only intents and markings): named after what its producer said it is, its labels (2.0 requires at least one)
 * and its publication day, e.g. `Report (threat-report, indicator) published 2022-09-13`. Undefined without labels.
 */
function reportNameFromLabels(o: StixObject): { name: string; from: string; sources: string[] } | undefined {
  const labels = Array.isArray(o['labels']) ? o['labels'].filter((l): l is string => typeof l === 'string' && l.trim() !== '') : [];
  if (labels.length === 0) return undefined;
  const published = o['published'];
  const day = typeof published === 'string' && /^\d{4}-\d\d-\d\d/.test(published) ? ` published ${published.slice(0, 10)}` : '';
  const name = `Report (${labels.map((l) => l.trim()).join(', ')})${day}`;
  return { name: name.length > 200 ? `${name.slice(0, 199)}…` : name, from: 'labels (no description)', sources: ['labels', 'published'] };
}

/** The protocol a network-traffic extension names (2.1 §6.12.2–6.12.5). */
const EXTENSION_PROTOCOLS: readonly (readonly [string, string])[] = [
  ['tcp-ext', 'tcp'],
  ['icmp-ext', 'icmp'],
  ['http-request-ext', 'http'],
];

/**
 * A network-traffic without `protocols` (required in 2.0 and 2.1; the reference elevator writes some without):
 * the protocols its own content names, outer to inner: `ipv4`/`ipv6` when an end is an address of that kind, then
 * the protocol each extension stands for. One that names none is left for the pipeline to reject.
 */
function repairProtocols(
  sco: unknown,
  dictionary: Record<string, unknown>,
  path: string,
  ownerId: string,
  issues: ContentIssue[],
): unknown {
  if (typeof sco !== 'object' || sco === null || Array.isArray(sco)) return sco;
  const rec = sco as Record<string, unknown>;
  if (rec['type'] !== 'network-traffic' || rec['protocols'] !== undefined) return sco;
  const protocols: string[] = [];
  for (const end of ['src_ref', 'dst_ref']) {
    const key = rec[end];
    const target = typeof key === 'string' ? dictionary[key] : undefined;
    const type = typeof target === 'object' && target !== null ? (target as Record<string, unknown>)['type'] : undefined;
    const layer = type === 'ipv4-addr' ? 'ipv4' : type === 'ipv6-addr' ? 'ipv6' : undefined;
    if (layer !== undefined && !protocols.includes(layer)) protocols.push(layer);
  }
  const extensions = rec['extensions'];
  for (const [ext, protocol] of EXTENSION_PROTOCOLS)
    if (typeof extensions === 'object' && extensions !== null && ext in extensions) protocols.push(protocol);
  if (protocols.length === 0) return sco;
  issues.push(
    issue(
      'warning',
      'STIX20_VALUE_REPAIRED',
      `${path}/protocols`,
      `network-traffic has no protocols: ${JSON.stringify(protocols)} taken from its addresses and extensions`,
      ownerId,
    ),
  );
  return { ...rec, protocols };
}

/**
 * The first non-blank line of a description, at most 100 characters; undefined when there is none. A first line
 * that is only a section label of the reference elevator (an upper-case word and a colon, such as TITLE:) names nothing: the
 * line after it is taken.
 */
function nameFromDescription(description: unknown): string | undefined {
  if (typeof description !== 'string') return undefined;
  const lines = description
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const line = lines[0] !== undefined && /^[A-Z][A-Z_ ]*:$/.test(lines[0]) ? lines[1] : lines[0];
  if (line === undefined) return undefined;
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

/** `socket-ext` options whose values are booleans (2.0 producers) → 1 / 0; other values are left to the schema. */
function repairSocketOptions(sco: unknown, path: string, ownerId: string, issues: ContentIssue[]): unknown {
  if (typeof sco !== 'object' || sco === null || Array.isArray(sco)) return sco;
  const rec = sco as Record<string, unknown>;
  const ext: unknown = (rec['extensions'] as Record<string, unknown> | undefined)?.['socket-ext'];
  if (typeof ext !== 'object' || ext === null || Array.isArray(ext)) return sco;
  const options = (ext as Record<string, unknown>)['options'];
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return sco;
  const entries = Object.entries(options);
  if (!entries.some(([, v]) => typeof v === 'boolean')) return sco;
  const fixed = Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 1 : 0) : v]));
  issues.push(
    issue(
      'info',
      'STIX20_VALUE_REPAIRED',
      `${path}/extensions/socket-ext/options`,
      'socket-ext options written as booleans: true → 1, false → 0 (2.1 wants integers)',
      ownerId,
    ),
  );
  const extensions = { ...(rec['extensions'] as Record<string, unknown>), 'socket-ext': { ...ext, options: fixed } };
  return { ...rec, extensions };
}

function refIssue(o: StixObject, path: string, value: unknown, extra: string | undefined): ContentIssue {
  const shown = JSON.stringify(value)?.slice(0, 120) ?? String(value);
  return issue(
    'warning',
    'STIX20_REF_DROPPED',
    path,
    `${shown} is not a STIX identifier: removed${extra === undefined ? '' : ` (${extra})`}`,
    o.id,
  );
}

/**
 * A 2.0 pattern with the observable properties 2.1 renamed or removed written under their 2.1 names (the same
 * tables the SCO upgrade uses, src/stix/normalize/upgrade.ts). Only the first step of an object path is renamed,
 * where the object type is known; literals are untouched (the lexer tells paths from strings). Undefined when the
 * pattern does not lex or names none of them.
 */
function renamePatternProperties(pattern: unknown): { text: string; renamed: string[] } | undefined {
  if (typeof pattern !== 'string') return undefined;
  const lexed = lex(pattern);
  if (!lexed.ok) return undefined;
  const t = lexed.tokens;
  const edits: { start: number; end: number; text: string; was: string }[] = [];
  for (let i = 0; i + 2 < t.length; i++) {
    const [type, colon, prop] = [t[i], t[i + 1], t[i + 2]];
    if (type?.type !== 'ident' || colon?.type !== ':' || prop?.type !== 'ident') continue;
    const renamed = SCO_RENAMES[type.text]?.[prop.text];
    if (renamed !== undefined) {
      edits.push({ start: prop.start, end: prop.end, text: renamed, was: `${type.text}:${prop.text} → ${renamed}` });
    } else if ((SCO_REMOVED[type.text] ?? []).includes(prop.text)) {
      const kept = keptName(prop.text);
      edits.push({ start: prop.start, end: prop.end, text: kept, was: `${type.text}:${prop.text} → ${kept}` });
    } else if (prop.text === 'extensions') {
      const [dot1, ext, dot2, sub] = [t[i + 3], t[i + 4], t[i + 5], t[i + 6]];
      if (dot1?.type !== '.' || dot2?.type !== '.' || sub?.type !== 'ident') continue;
      if (ext?.type !== 'string' && ext?.type !== 'ident') continue;
      if (!(EXTENSION_REMOVED[ext.text] ?? []).includes(sub.text)) continue;
      const kept = keptName(sub.text, ext.text);
      edits.push({ start: prop.start, end: sub.end, text: kept, was: `${type.text}:extensions.'${ext.text}'.${sub.text} → ${kept}` });
    }
  }
  if (edits.length === 0) return undefined;
  let text = pattern;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return { text, renamed: [...new Set(edits.map((e) => e.was))] };
}

/**
 * Granular markings after the repairs changed the object: a selector into a list whose entries were removed follows
 * its entry to the new index (`object_refs.[2]` → `object_refs.[1]`); a selector whose content a repair removed or
 * reshaped (a removed entry, `payload_bin`, an `identity_class` list made a string) moves to the nearest enclosing
 * content that is still there, and to the whole object (`object_marking_refs`) when none is. A marking is never
 * lost nor left on content it did not mark: it may mark more than before (over-marking), never less. Undefined
 * when every selector still holds.
 */
function remapGranularMarkings(
  before: StixObject,
  after: Record<string, unknown>,
  keptEntries: ReadonlyMap<string, number[]>,
  path: string,
  issues: ContentIssue[],
): Record<string, unknown> | undefined {
  const granular = before['granular_markings'];
  if (!Array.isArray(granular)) return undefined;
  let changed = false;
  const promoted: string[] = [];
  const markings = granular.flatMap((g: unknown, gi) => {
    if (typeof g !== 'object' || g === null || Array.isArray(g)) return [g];
    const rec = g as Record<string, unknown>;
    const selectors = rec['selectors'];
    if (!Array.isArray(selectors) || typeof rec['marking_ref'] !== 'string') return [g];
    const next: string[] = [];
    let toObject = false;
    for (const sel of selectors) {
      if (typeof sel !== 'string') {
        next.push(sel as string);
        continue;
      }
      const moved = remapSelector(sel, after, keptEntries);
      if (moved === sel) {
        next.push(sel);
        continue;
      }
      changed = true;
      issues.push(
        issue(
          'warning',
          'STIX20_VALUE_REPAIRED',
          `${path}/granular_markings/${gi}/selectors`,
          `granular marking selector "${sel}" selects content that is not there after the repairs: ${moved === undefined ? 'the marking now marks the whole object' : `now "${moved}"`}`,
          before.id,
        ),
      );
      if (moved === undefined) toObject = true;
      else if (!next.includes(moved)) next.push(moved);
    }
    if (toObject) promoted.push(rec['marking_ref']);
    return next.length > 0 ? [{ ...rec, selectors: next }] : [];
  });
  if (!changed) return undefined;
  const objectRefs = Array.isArray(after['object_marking_refs']) ? (after['object_marking_refs'] as unknown[]) : [];
  const refs = [...objectRefs, ...promoted.filter((m) => !objectRefs.includes(m))];
  return {
    granular_markings: markings.length > 0 ? markings : undefined,
    object_marking_refs: refs.length > 0 ? [...new Set(refs)] : undefined,
  };
}

/** Where a selector points after the repairs: itself, its new form, or undefined for the whole object. */
function remapSelector(selector: string, after: Record<string, unknown>, keptEntries: ReadonlyMap<string, number[]>): string | undefined {
  const steps = selector.split('.');
  const kept = steps[0] === undefined ? undefined : keptEntries.get(steps[0]);
  const index = /^\[(\d+)\]$/.exec(steps[1] ?? '');
  if (kept !== undefined && index?.[1] !== undefined) {
    const at = kept.indexOf(Number(index[1]));
    if (at < 0) steps.length = 1;
    else steps[1] = `[${at}]`;
  }
  // the longest prefix that still selects content of the repaired object
  let node: unknown = after;
  let depth = 0;
  for (const step of steps) {
    const i = /^\[(\d+)\]$/.exec(step);
    if (i?.[1] !== undefined && Array.isArray(node) && Number(i[1]) < node.length) node = node[Number(i[1])];
    else if (i === null && typeof node === 'object' && node !== null && !Array.isArray(node) && step in node)
      node = (node as Record<string, unknown>)[step];
    else break;
    depth++;
  }
  // e.g. `identity_class.[1]` once the list is a string: `identity_class`
  return depth === 0 ? undefined : steps.slice(0, depth).join('.');
}

/** A value a repair wrote (`to`, a selector) from other content of the object (`from`, selectors). */
interface Derivation {
  readonly to: string;
  readonly from: readonly string[];
}

/** Whether selector `a` selects `b` or content inside it, or content `b` holds (one is a prefix of the other). */
const overlaps = (a: string, b: string): boolean => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/**
 * Each granular marking's selectors passed through `rewrite` (the string selectors, in order); a marking whose
 * list comes back the same is kept as it was. Undefined when no marking changed.
 */
function rewriteSelectors(granular: unknown, rewrite: (selectors: string[]) => string[]): unknown[] | undefined {
  if (!Array.isArray(granular)) return undefined;
  let changed = false;
  const out = granular.map((g: unknown) => {
    if (typeof g !== 'object' || g === null || Array.isArray(g)) return g;
    const rec = g as Record<string, unknown>;
    const list: unknown = rec['selectors'];
    if (!Array.isArray(list)) return g;
    const before = list.filter((x): x is string => typeof x === 'string');
    // A malformed selector list is left as written, for validation to reject.
    if (before.length !== list.length) return g;
    const after = [...new Set(rewrite(before))];
    if (after.length === list.length && after.every((x, i) => x === list[i])) return g;
    changed = true;
    return { ...rec, selectors: after };
  });
  return changed ? out : undefined;
}

/**
 * Granular markings extended to the values the repairs copied: a name taken from a marked description (or labels,
 * or external id), a description copied from a marked source name, is marked as its source, since it says the same
 * thing. Undefined when no marking selects a source.
 */
function markDerived(granular: unknown, derived: readonly Derivation[]): unknown[] | undefined {
  if (derived.length === 0) return undefined;
  return rewriteSelectors(granular, (selectors) => [
    ...selectors,
    ...derived
      .filter((d) => d.from.some((f) => selectors.some((sel) => overlaps(sel, f))))
      .filter((d) => !selectors.some((sel) => sel === d.to || d.to.startsWith(`${sel}.`)))
      .map((d) => d.to),
  ]);
}

/**
 * Selectors of the extension properties the upgrade moves onto the SCO: one selecting the property (or inside it)
 * selects its new place instead; one selecting its extension or the extensions selects the new place as well.
 */
function followKeptExtensionProperties(granular: unknown, kept: readonly Derivation[]): unknown[] | undefined {
  if (kept.length === 0) return undefined;
  return rewriteSelectors(granular, (selectors) => {
    const next: string[] = [];
    for (const sel of selectors) {
      const hit = kept.find((k) => k.from.some((f) => sel === f || sel.startsWith(`${f}.`)));
      const from = hit?.from[0];
      next.push(hit !== undefined && from !== undefined ? hit.to + sel.slice(from.length) : sel);
      for (const k of kept) if (k.from.some((f) => f.startsWith(`${sel}.`)) && !k.to.startsWith(`${sel}.`)) next.push(k.to);
    }
    return next;
  });
}

/**
 * The extension properties 2.1 removed that the upgrade moves out of their extension onto the SCO
 * (`objects.K.extensions.archive-ext.version` → `objects.K.x_stix20_archive_ext_version`, src/stix/normalize/upgrade.ts):
 * a marking of the property, its extension or the extensions must follow it there.
 */
function keptExtensionProperties(objects: unknown): Derivation[] {
  if (typeof objects !== 'object' || objects === null || Array.isArray(objects)) return [];
  const out: Derivation[] = [];
  for (const [key, sco] of Object.entries(objects)) {
    const exts: unknown = typeof sco === 'object' && sco !== null ? (sco as Record<string, unknown>)['extensions'] : undefined;
    if (typeof exts !== 'object' || exts === null) continue;
    for (const [ext, props] of Object.entries(EXTENSION_REMOVED)) {
      const body: unknown = (exts as Record<string, unknown>)[ext];
      if (typeof body !== 'object' || body === null) continue;
      for (const p of props)
        if ((body as Record<string, unknown>)[p] !== undefined)
          out.push({ to: `objects.${key}.${keptName(p, ext)}`, from: [`objects.${key}.extensions.${ext}.${p}`] });
    }
  }
  return out;
}
