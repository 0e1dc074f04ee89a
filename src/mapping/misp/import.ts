/**
 * MISP event JSON → STIX 2.1 (docs/mapping/misp.md). Pure: text in, objects and issues out.
 *
 * Shapes: an event becomes a report (published) or a grouping (unpublished) holding everything it produced;
 * `to_ids` attributes and objects become indicators (`indicator--<MISP uuid>`), the others observed-data
 * with SCOs (`observed-data--<MISP uuid>`), or notes for text-like types; Orgc becomes the producer identity
 * (`identity--<Orgc uuid>`); tags become TLP markings, confidence and labels; galaxies become SDOs with
 * relationships; sightings become sighting SROs.
 */
import { readJsonInput } from '../common/json-input';
import { issue, type ContentIssue } from '../../stix/issues';
import { isUuid } from '../../stix/identifiers';
import { TLP2_IDS } from '../../stix/markings';
import { compareTimestamps } from '../../stix/time';
import type { TlpLevel } from '../../stix/markings';
import { derivedId, indicator, organizationIdentity } from '../common/stix-builders';
import type { ImportOptions, ImportResult, StixObject } from '../types';
import { buildScos, canonicalValue, ipType, parsePath, renderPattern, scoIsComplete, type Comparison } from './comparisons';
import {
  ANALYSIS_LEVELS,
  ATTRIBUTE_TYPES,
  CONFIDENCE_LEVELS,
  DEFAULT_TO_IDS,
  GALAXY_SDO_TYPES,
  OBJECT_TYPES,
  THREAT_LEVELS,
  type FieldSpec,
  type PatternMapping,
} from './misp-tables';
import {
  bool,
  dateToTimestamp,
  epochToTimestamp,
  isoToStixTimestamp,
  isRecord,
  records,
  str,
  text,
  type JsonRecord,
} from './misp-json';

/** Inputs above this size are refused with one error issue (a MISP event this big is not a CERT feed item). */
export const MAX_MISP_INPUT_BYTES = 64 * 1024 * 1024;
/** Longest attribute value turned into a pattern or note (YARA rules included). */
const MAX_VALUE_CHARS = 200_000;
const MAX_EVENTS = 10_000;

const FORMAT = 'MISP';

interface TagInfo {
  readonly tlp?: TlpLevel;
  readonly confidence?: number;
  readonly labels: readonly string[];
}

const TLP_TAGS: Readonly<Record<string, TlpLevel>> = {
  'tlp:white': 'clear',
  'tlp:clear': 'clear',
  'tlp:green': 'green',
  'tlp:amber': 'amber',
  'tlp:amber+strict': 'amber+strict',
  'tlp:red': 'red',
};

interface Located {
  readonly event: JsonRecord;
  readonly pointer: string;
}

/** Mutable state of one import (across events). */
class ImportState {
  readonly objects = new Map<string, StixObject>();
  readonly issues: ContentIssue[] = [];
  indicators = 0;
  observables = 0;
  skipped = 0;

  add(o: StixObject): void {
    if (!this.objects.has(o.id)) this.objects.set(o.id, o);
    if (o.type === 'indicator') this.indicators++;
    if (o.type === 'observed-data') this.observables++;
  }

  warn(code: string, path: string, message: string, objectId?: string): void {
    this.issues.push(issue('warning', code, path, message, objectId));
  }

  info(code: string, path: string, message: string, objectId?: string): void {
    this.issues.push(issue('info', code, path, message, objectId));
  }
}

/**
 * Converts MISP JSON — `{"Event": {...}}`, a bare event, a REST `{"response": [...]}` or a feed manifest — into
 * STIX 2.1 objects. Never throws: unreadable input yields one error issue and no objects.
 */
export function importMisp(input: string | Buffer, options: ImportOptions): ImportResult {
  const state = new ImportState();
  const fail = (code: string, path: string, message: string): ImportResult => ({
    objects: [],
    issues: [issue('error', code, path, `${FORMAT}: ${message}`)],
    stats: { indicators: 0, observables: 0, otherObjects: 0, skipped: 0 },
  });
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > MAX_MISP_INPUT_BYTES) return fail('INPUT_TOO_LARGE', '/', `input of ${size} bytes exceeds ${MAX_MISP_INPUT_BYTES}`);
  const read = readJsonInput(input, FORMAT, 'MISP_INVALID_JSON');
  if (!read.ok) return { objects: [], issues: [read.issue], stats: { indicators: 0, observables: 0, otherObjects: 0, skipped: 0 } };
  const doc = read.value;
  try {
    const located = locateEvents(doc, state);
    if (located === 'manifest') return finish(state);
    if (located.length === 0) return fail('MISP_UNRECOGNIZED', '/', 'no MISP event found (expected {"Event": {...}}, a bare event, {"response": [...]} or a feed manifest)');
    if (located.length > MAX_EVENTS) return fail('INPUT_TOO_LARGE', '/', `${located.length} events exceed ${MAX_EVENTS}`);
    for (const l of located) new EventConverter(l, options, state).convert();
  } catch (e) {
    // Defensive: a converter bug must surface as a content error, not escape the importer.
    const detail = e instanceof Error ? e.message : String(e);
    return fail('MISP_IMPORT_FAILED', '/', `conversion failed (${detail.slice(0, 200)})`);
  }
  return finish(state);
}

function finish(state: ImportState): ImportResult {
  const objects = [...state.objects.values()];
  return {
    objects,
    issues: state.issues,
    stats: {
      indicators: state.indicators,
      observables: state.observables,
      otherObjects: objects.length - state.indicators - state.observables,
      skipped: state.skipped,
    },
  };
}

function looksLikeEvent(r: JsonRecord): boolean {
  return typeof r['info'] === 'string' || Array.isArray(r['Attribute']) || Array.isArray(r['Object']);
}

/** Finds the events of every accepted container form; a feed manifest is reported entry by entry. */
function locateEvents(doc: unknown, state: ImportState): Located[] | 'manifest' {
  if (Array.isArray(doc)) return locateInList(doc, '', state);
  if (!isRecord(doc)) return [];
  const ev = doc['Event'];
  if (isRecord(ev)) return [{ event: ev, pointer: '/Event' }];
  const response = doc['response'];
  if (Array.isArray(response)) return locateInList(response, '/response', state);
  if (isRecord(response)) {
    if (isRecord(response['Event'])) return [{ event: response['Event'], pointer: '/response/Event' }];
    if (Array.isArray(response['Attribute']) || Array.isArray(response['Object'])) {
      state.info('MISP_ATTRIBUTE_COLLECTION', '/response', 'attribute collection without an event: grouped into a synthetic grouping');
      return [{ event: response, pointer: '/response' }];
    }
  }
  if (looksLikeEvent(doc)) return [{ event: doc, pointer: '' }];
  const keys = Object.keys(doc);
  if (keys.length > 0 && keys.every((k) => isUuid(k.toLowerCase())) && keys.every((k) => isRecord(doc[k]))) {
    for (const k of keys) {
      const entry = doc[k];
      const info = isRecord(entry) ? (text(entry, 'info') ?? '(no title)') : '(no title)';
      const date = isRecord(entry) ? (text(entry, 'date') ?? 'no date') : 'no date';
      const orgc = isRecord(entry) && isRecord(entry['Orgc']) ? (text(entry['Orgc'], 'name') ?? 'unknown org') : 'unknown org';
      state.warn(
        'MISP_FEED_MANIFEST_ENTRY',
        `/${k}`,
        `feed manifest entry "${info.slice(0, 200)}" (${date}, ${orgc}): a manifest holds no attributes; import ${k}.json for its content`,
      );
      state.skipped++;
    }
    return 'manifest';
  }
  return [];
}

function locateInList(list: readonly unknown[], base: string, state: ImportState): Located[] {
  const out: Located[] = [];
  const loose: JsonRecord[] = [];
  list.forEach((item, i) => {
    if (!isRecord(item)) {
      state.warn('MISP_UNRECOGNIZED_ENTRY', `${base}/${i}`, 'entry is not a JSON object');
      return;
    }
    if (isRecord(item['Event'])) out.push({ event: item['Event'], pointer: `${base}/${i}/Event` });
    else if (isRecord(item['Object'])) loose.push(item['Object']);
    else if (isRecord(item['Attribute'])) loose.push({ Attribute: [item['Attribute']] });
    else if (looksLikeEvent(item)) out.push({ event: item, pointer: `${base}/${i}` });
    else state.warn('MISP_UNRECOGNIZED_ENTRY', `${base}/${i}`, 'entry is neither an event, an object nor an attribute');
  });
  if (loose.length > 0) {
    const objects = loose.filter((r) => !Array.isArray(r['Attribute']) || typeof r['name'] === 'string');
    const attributes = loose.filter((r) => !objects.includes(r)).flatMap((r) => records(r, 'Attribute'));
    state.info('MISP_ATTRIBUTE_COLLECTION', base, 'object/attribute collection without an event: grouped into a synthetic grouping');
    out.push({ event: { Object: objects, Attribute: attributes }, pointer: base });
  }
  return out;
}

function readTags(holder: JsonRecord, pointer: string, state: ImportState): TagInfo {
  let tlp: TlpLevel | undefined;
  let confidence: number | undefined;
  const labels: string[] = [];
  records(holder, 'Tag').forEach((tag, i) => {
    const name = text(tag, 'name');
    if (name === undefined) return;
    const level = TLP_TAGS[name.toLowerCase()];
    if (level !== undefined) {
      // Several TLP tags: the most restrictive wins (never widen).
      if (tlp === undefined || tlpIndex(level) > tlpIndex(tlp)) tlp = level;
      return;
    }
    const conf = /^misp:confidence-level="([a-z-]{1,40})"$/.exec(name)?.[1];
    if (conf !== undefined) {
      const v = CONFIDENCE_LEVELS[conf];
      if (v === undefined) {
        state.warn('MISP_UNKNOWN_CONFIDENCE', `${pointer}/Tag/${i}`, `unknown confidence level "${conf}", kept as a label`);
        labels.push(name);
      } else confidence = confidence === undefined ? v : Math.min(confidence, v);
      return;
    }
    if (name.toLowerCase().startsWith('tlp:')) {
      state.warn('MISP_UNKNOWN_TLP', `${pointer}/Tag/${i}`, `unknown TLP tag "${name.slice(0, 100)}", kept as a label`);
    }
    labels.push(name);
  });
  return { ...(tlp === undefined ? {} : { tlp }), ...(confidence === undefined ? {} : { confidence }), labels };
}

const TLP_INDEX: readonly TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
function tlpIndex(level: TlpLevel): number {
  return TLP_INDEX.indexOf(level);
}

/** A MISP uuid as a STIX id, or a deterministic one when the uuid is missing or malformed. */
function stixId(type: string, uuid: string | undefined, ...fallback: string[]): string {
  const u = uuid?.toLowerCase();
  return u !== undefined && isUuid(u) ? `${type}--${u}` : derivedId(type, 'misp', ...fallback);
}

/** Relationship types are lower-case words joined by hyphens. */
function relationshipType(raw: string): string {
  const t = raw.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return t === '' ? 'related-to' : t.slice(0, 100);
}

interface Produced {
  readonly id: string;
  readonly isIndicator: boolean;
}

/** Converts one event (its attributes, objects, galaxies, sightings and container). */
class EventConverter {
  private readonly event: JsonRecord;
  private readonly pointer: string;
  private readonly created: string;
  private readonly modified: string;
  private readonly containerId: string;
  private readonly published: boolean;
  private readonly identityId: string | undefined;
  private readonly tags: TagInfo;
  private readonly refs: string[] = [];
  private readonly links: Record<string, unknown>[] = [];
  /** MISP uuid (attribute or object) → the STIX object it produced, for ObjectReference and sightings. */
  private readonly byUuid = new Map<string, string>();
  private readonly eventKey: string;

  constructor(
    located: Located,
    private readonly options: ImportOptions,
    private readonly state: ImportState,
  ) {
    this.event = located.event;
    this.pointer = located.pointer;
    const ev = this.event;
    this.modified = epochToTimestamp(str(ev, 'timestamp')) ?? dateToTimestamp(text(ev, 'date')) ?? options.now;
    const day = dateToTimestamp(text(ev, 'date'));
    this.created = day !== undefined && compareTimestamps(day, this.modified) <= 0 ? day : this.modified;
    this.published = bool(ev, 'published') === true;
    const uuid = text(ev, 'uuid');
    this.eventKey = uuid ?? `${text(ev, 'info') ?? ''}|${text(ev, 'date') ?? ''}|${this.collectionKey()}`;
    const containerType = this.published ? 'report' : 'grouping';
    this.containerId = stixId(containerType, uuid, containerType, this.eventKey);
    if (uuid !== undefined && !isUuid(uuid.toLowerCase())) {
      state.warn('MISP_INVALID_UUID', `${this.pointer}/uuid`, `event uuid "${uuid.slice(0, 60)}" is not a UUID: a derived id is used`);
    }
    this.identityId = this.producer();
    this.tags = readTags(ev, this.pointer, state);
  }

  /** A stable key for events without uuid (attribute collections): the attribute and object uuids. */
  private collectionKey(): string {
    const uuids = [...records(this.event, 'Attribute'), ...records(this.event, 'Object')].map((r) => text(r, 'uuid') ?? '');
    return uuids.sort().join(',');
  }

  private producer(): string | undefined {
    const orgc = this.event['Orgc'];
    if (isRecord(orgc)) {
      const name = text(orgc, 'name');
      const uuid = text(orgc, 'uuid')?.toLowerCase();
      if (name !== undefined) {
        const identity = organizationIdentity(name, this.created, uuid !== undefined && isUuid(uuid) ? `identity--${uuid}` : undefined);
        this.state.add(identity);
        this.refs.push(identity.id);
        return identity.id;
      }
    }
    return this.options.source?.identity;
  }

  /** Markings, created_by_ref and confidence for an object, attribute tags overriding the event's. */
  private common(own?: TagInfo): Record<string, unknown> {
    const level = own?.tlp ?? this.tags.tlp;
    const out: Record<string, unknown> = {};
    if (this.identityId !== undefined) out['created_by_ref'] = this.identityId;
    if (level !== undefined) out['object_marking_refs'] = [TLP2_IDS[level]];
    return out;
  }

  convert(): void {
    const ev = this.event;
    const distribution = str(ev, 'distribution');
    if (distribution === '0') {
      this.state.warn('MISP_DISTRIBUTION_ORG_ONLY', `${this.pointer}/distribution`, 'event distribution is "your organisation only": check that it may be shared', this.containerId);
    }
    const eventGalaxies = this.galaxies(ev, this.pointer);
    records(ev, 'Attribute').forEach((a, i) => this.attribute(a, `${this.pointer}/Attribute/${i}`));
    records(ev, 'Object').forEach((o, i) => this.object(o, `${this.pointer}/Object/${i}`));
    records(ev, 'Object').forEach((o, i) => this.objectReferences(o, `${this.pointer}/Object/${i}`));
    this.galaxyRelationships(eventGalaxies);
    this.container();
  }

  private emit(o: StixObject): void {
    this.state.add(o);
    if (!this.refs.includes(o.id)) this.refs.push(o.id);
  }

  // ---- attributes -------------------------------------------------------------------------------------------

  private attribute(a: JsonRecord, ptr: string): void {
    const type = text(a, 'type');
    const value = str(a, 'value');
    const uuid = text(a, 'uuid');
    if (bool(a, 'deleted') === true) {
      this.state.info('MISP_DELETED_SKIPPED', ptr, `deleted attribute ${uuid ?? ''} skipped`);
      this.state.skipped++;
      return;
    }
    if (type === undefined || value === undefined || value.trim() === '') {
      this.state.warn('MISP_ATTRIBUTE_INCOMPLETE', ptr, 'attribute without type or value skipped');
      this.state.skipped++;
      return;
    }
    if (value.length > MAX_VALUE_CHARS) {
      this.state.warn('MISP_VALUE_TOO_LONG', `${ptr}/value`, `value of ${value.length} characters skipped`);
      this.state.skipped++;
      return;
    }
    const proposals = records(a, 'ShadowAttribute').length;
    if (proposals > 0) {
      this.state.info('MISP_PROPOSAL_DROPPED', `${ptr}/ShadowAttribute`, `${proposals} proposal(s) not carried into STIX`);
    }
    if (typeof a['data'] === 'string' && a['data'] !== '') {
      this.state.info('MISP_ATTACHMENT_DROPPED', `${ptr}/data`, `${type} payload (base64) not carried into STIX; only its name/hash are kept`);
    }
    const toIds = bool(a, 'to_ids') ?? DEFAULT_TO_IDS.has(type);
    const category = text(a, 'category');
    const tags = readTags(a, ptr, this.state);
    const fallbackKey = [this.eventKey, type, value];
    const produced = this.attributeObjects(a, ptr, { type, value, uuid, toIds, category, tags, fallbackKey });
    if (produced === undefined) {
      this.state.skipped++;
      return;
    }
    if (uuid !== undefined) this.byUuid.set(uuid.toLowerCase(), produced.id);
    const galaxyIds = this.galaxies(a, ptr);
    for (const g of galaxyIds) this.relate(produced.id, produced.isIndicator ? 'indicates' : 'related-to', g);
    this.sightings(a, ptr, produced.id);
  }

  private attributeObjects(
    a: JsonRecord,
    ptr: string,
    f: { type: string; value: string; uuid: string | undefined; toIds: boolean; category: string | undefined; tags: TagInfo; fallbackKey: string[] },
  ): Produced | undefined {
    const ts = epochToTimestamp(str(a, 'timestamp')) ?? this.modified;
    const labels = [`misp:type="${f.type}"`, ...(f.category === undefined ? [] : [`misp:category="${f.category}"`]), ...f.tags.labels];
    const comment = text(a, 'comment');
    const mapping = ATTRIBUTE_TYPES[f.type];
    const firstSeen = isoToStixTimestamp(text(a, 'first_seen'));
    const lastSeen = isoToStixTimestamp(text(a, 'last_seen'));
    const base = { ts, labels, comment, category: f.category, tags: f.tags, firstSeen, lastSeen };
    if (mapping === undefined) {
      return this.note(stixId('note', f.uuid, 'note', ...f.fallbackKey), f.value, base, ptr, `type "${f.type}" has no STIX equivalent: kept as a note`);
    }
    switch (mapping.kind) {
      case 'pattern': {
        const comparisons = this.comparisonsOf(mapping, f.type, f.value, ptr);
        if (comparisons === undefined) return undefined;
        if (f.toIds) return this.indicatorFrom(stixId('indicator', f.uuid, 'indicator', ...f.fallbackKey), comparisons, f.value, base);
        return this.observedFrom(stixId('observed-data', f.uuid, 'observed-data', ...f.fallbackKey), stixId('note', f.uuid, 'note', ...f.fallbackKey), comparisons, f.value, base, ptr);
      }
      case 'rule': {
        if (!f.toIds) return this.note(stixId('note', f.uuid, 'note', ...f.fallbackKey), f.value, base, ptr);
        const o = indicator({
          id: stixId('indicator', f.uuid, 'indicator', ...f.fallbackKey),
          pattern: f.value,
          pattern_type: mapping.patternType,
          ...this.indicatorFields(base),
        });
        this.emit(o);
        return { id: o.id, isIndicator: true };
      }
      case 'vulnerability': {
        const cve = /^CVE-\d{4}-\d{4,7}$/i.test(f.value.trim()) ? f.value.trim().toUpperCase() : undefined;
        const o = this.sdo('vulnerability', stixId('vulnerability', f.uuid, 'vulnerability', ...f.fallbackKey), ts, {
          name: cve ?? f.value.trim(),
          ...(comment === undefined ? {} : { description: comment }),
          ...(cve === undefined ? {} : { external_references: [{ source_name: 'cve', external_id: cve }] }),
          labels,
          ...this.common(f.tags),
        });
        return { id: o.id, isIndicator: false };
      }
      case 'campaign': {
        const o = this.sdo('campaign', stixId('campaign', f.uuid, 'campaign', ...f.fallbackKey), ts, {
          name: f.value.trim(),
          ...(comment === undefined ? {} : { description: comment }),
          labels,
          ...this.common(f.tags),
        });
        return { id: o.id, isIndicator: false };
      }
      case 'link': {
        if (f.toIds) {
          const comparisons = this.comparisonsOf({ kind: 'pattern', root: 'url', fields: [{ path: 'value', kind: 'url' }] }, f.type, f.value, ptr);
          if (comparisons === undefined) return undefined;
          return this.indicatorFrom(stixId('indicator', f.uuid, 'indicator', ...f.fallbackKey), comparisons, f.value, base);
        }
        this.links.push({ source_name: 'link', url: f.value.trim(), ...(comment === undefined ? {} : { description: comment }) });
        if (f.uuid !== undefined) this.byUuid.set(f.uuid.toLowerCase(), this.containerId);
        return { id: this.containerId, isIndicator: false };
      }
    }
  }

  /** Value(s) of an attribute → comparisons, or undefined (with an issue) when a value is unusable. */
  private comparisonsOf(mapping: PatternMapping, type: string, raw: string, ptr: string): Comparison[] | undefined {
    let parts: string[];
    if (mapping.fields.length === 2) {
      const bar = raw.indexOf('|');
      if (bar < 0) {
        this.state.warn('MISP_COMPOSITE_MALFORMED', `${ptr}/value`, `composite "${type}" value has no "|": skipped`);
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
        this.state.warn('MISP_INVALID_VALUE', `${ptr}/value`, `${type}: ${r.reason}; attribute skipped`);
        return undefined;
      }
      if (r.refanged) this.state.info('REFANGED', `${ptr}/value`, `defanged ${type} value refanged`);
      if (root === 'ip-addr') root = ipType(String(r.value));
      out.push(...refTyped(root, path, field.kind, r.value));
    }
    return out;
  }

  private indicatorFields(b: AttrBase): Omit<Parameters<typeof indicator>[0], 'id' | 'pattern'> {
    const common = this.common(b.tags);
    const validFrom = b.firstSeen ?? b.ts;
    const validUntil = b.lastSeen !== undefined && compareTimestamps(b.lastSeen, validFrom) > 0 ? b.lastSeen : undefined;
    const confidence = b.tags.confidence ?? this.tags.confidence;
    const categories = b.categories ?? (b.category === undefined ? [] : [b.category]);
    return {
      created: b.ts,
      valid_from: validFrom,
      ...(validUntil === undefined ? {} : { valid_until: validUntil }),
      ...(b.comment === undefined ? {} : { description: b.comment }),
      indicator_types: ['malicious-activity'],
      labels: b.labels,
      ...(confidence === undefined ? {} : { confidence }),
      ...(categories.length > 0
        ? { kill_chain_phases: categories.map((c) => ({ kill_chain_name: 'misp-category', phase_name: phaseName(c) })) }
        : {}),
      ...(typeof common['created_by_ref'] === 'string' ? { created_by_ref: common['created_by_ref'] } : {}),
      ...(Array.isArray(common['object_marking_refs']) ? { object_marking_refs: common['object_marking_refs'] as string[] } : {}),
    };
  }

  private indicatorFrom(id: string, comparisons: readonly Comparison[], name: string, b: AttrBase): Produced {
    const o = indicator({ id, pattern: renderPattern(comparisons), name: name.slice(0, 256), ...this.indicatorFields(b) });
    this.emit(o);
    return { id, isIndicator: true };
  }

  private observedFrom(id: string, noteId: string, comparisons: readonly Comparison[], value: string, b: AttrBase, ptr: string): Produced | undefined {
    const byRoot = new Map<string, Comparison[]>();
    for (const c of comparisons) byRoot.set(c.root, [...(byRoot.get(c.root) ?? []), c]);
    const scos: StixObject[] = [];
    for (const [root, list] of byRoot) {
      const built = buildScos(root, list);
      const first = built.objects[0];
      if (first === undefined || !scoIsComplete(first)) {
        return this.note(noteId, value, b, ptr, `no complete ${root} observable can be built from this value: kept as a note`);
      }
      if (built.unplaced.length > 0) {
        this.state.info('MISP_OBSERVABLE_LOSSY', ptr, `not representable in the ${root} observable: ${built.unplaced.join(', ')}`, id);
      }
      scos.push(...built.objects);
    }
    const markings = this.common(b.tags)['object_marking_refs'];
    for (const s of scos) this.emit(markings === undefined ? s : { ...s, object_marking_refs: markings });
    const o = this.sdo('observed-data', id, b.ts, {
      first_observed: b.firstSeen ?? b.ts,
      last_observed: b.lastSeen !== undefined && compareTimestamps(b.lastSeen, b.firstSeen ?? b.ts) >= 0 ? b.lastSeen : (b.firstSeen ?? b.ts),
      number_observed: 1,
      object_refs: [...new Set(scos.map((s) => s.id))],
      labels: b.labels,
      ...this.common(b.tags),
    });
    return { id: o.id, isIndicator: false };
  }

  private note(id: string, content: string, b: AttrBase, ptr: string, why?: string): Produced {
    if (why !== undefined) this.state.info('MISP_KEPT_AS_NOTE', ptr, why, id);
    const o = this.sdo('note', id, b.ts, {
      ...(b.comment === undefined ? {} : { abstract: b.comment.slice(0, 1000) }),
      content,
      object_refs: [this.containerId],
      labels: b.labels,
      ...this.common(b.tags),
    });
    return { id: o.id, isIndicator: false };
  }

  private sdo(type: string, id: string, ts: string, props: Record<string, unknown>): StixObject {
    const o: StixObject = { type, spec_version: '2.1', id, created: ts, modified: ts, ...props };
    if (Array.isArray(o['labels']) && o['labels'].length === 0) delete o['labels'];
    this.emit(o);
    return o;
  }

  // ---- objects ----------------------------------------------------------------------------------------------

  private object(o: JsonRecord, ptr: string): void {
    const name = text(o, 'name') ?? 'unnamed';
    const uuid = text(o, 'uuid');
    if (bool(o, 'deleted') === true) {
      this.state.info('MISP_DELETED_SKIPPED', ptr, `deleted object ${name} ${uuid ?? ''} skipped`);
      this.state.skipped++;
      return;
    }
    const mapping = OBJECT_TYPES[name];
    if (mapping === undefined) {
      this.state.info('MISP_OBJECT_UNKNOWN', ptr, `object template "${name}" has no mapping: attributes mapped by their types`);
    }
    const comparisons: Comparison[] = [];
    const unmapped: string[] = [];
    const categories = new Set<string>();
    let toIds = false;
    const attrs = records(o, 'Attribute');
    attrs.forEach((a, i) => {
      const aptr = `${ptr}/Attribute/${i}`;
      if (bool(a, 'deleted') === true) {
        this.state.info('MISP_DELETED_SKIPPED', aptr, `deleted object attribute skipped`);
        return;
      }
      const relation = text(a, 'object_relation') ?? '';
      const type = text(a, 'type') ?? '';
      const value = str(a, 'value') ?? '';
      if (value.length > MAX_VALUE_CHARS || value.trim() === '') {
        this.state.warn('MISP_ATTRIBUTE_INCOMPLETE', aptr, 'object attribute with an empty or oversized value skipped');
        return;
      }
      if (typeof a['data'] === 'string' && a['data'] !== '') {
        this.state.info('MISP_ATTACHMENT_DROPPED', `${aptr}/data`, `${type} payload (base64) not carried into STIX`);
      }
      const spec = mapping?.relations[relation];
      let found: Comparison[] | undefined;
      if (spec !== undefined) {
        const path = parsePath(spec.path);
        const r = canonicalValue(spec.kind, value, path);
        if (!r.ok) {
          this.state.warn('MISP_INVALID_VALUE', `${aptr}/value`, `${name}/${relation}: ${r.reason}; attribute skipped`);
          return;
        }
        if (r.refanged) this.state.info('REFANGED', `${aptr}/value`, `defanged ${relation} value refanged`);
        found = refTyped(mapping?.root ?? '', path, spec.kind, r.value);
      } else {
        const byType = ATTRIBUTE_TYPES[type];
        // Falling back to the attribute type is only sound on the object's own root type (or for unknown objects).
        if (byType?.kind === 'pattern' && (mapping === undefined || byType.root === mapping.root)) {
          found = this.comparisonsOf(byType, type, value, aptr);
          if (found === undefined) return;
        }
      }
      if (found === undefined) {
        unmapped.push(`${relation}=${value.slice(0, 80)}`);
        return;
      }
      comparisons.push(...found);
      const cat = text(a, 'category');
      if (cat !== undefined) categories.add(cat);
      if (bool(a, 'to_ids') ?? DEFAULT_TO_IDS.has(type)) toIds = true;
    });
    const ts = epochToTimestamp(str(o, 'timestamp')) ?? this.modified;
    const metaCategory = text(o, 'meta-category');
    const labels = [`misp:name="${name}"`, ...(metaCategory === undefined ? [] : [`misp:meta-category="${metaCategory}"`])];
    const b: AttrBase = {
      ts,
      labels,
      comment: text(o, 'comment'),
      category: undefined,
      categories: [...categories],
      tags: readTags(o, ptr, this.state),
      firstSeen: isoToStixTimestamp(text(o, 'first_seen')),
      lastSeen: isoToStixTimestamp(text(o, 'last_seen')),
    };
    const key = [this.eventKey, 'object', name, String(attrs.length), ...attrs.map((a) => str(a, 'value') ?? '')];
    let produced: Produced | undefined;
    if (comparisons.length === 0) {
      const content = `${name}: ${attrs.map((a) => `${text(a, 'object_relation') ?? '?'}=${str(a, 'value') ?? ''}`).join('; ')}`;
      produced = this.note(stixId('note', uuid, 'note', ...key), content.slice(0, MAX_VALUE_CHARS), b, ptr, `object "${name}" has no attribute with a STIX equivalent: kept as a note`);
    } else {
      if (unmapped.length > 0) {
        this.state.info('MISP_OBJECT_ATTRIBUTE_UNMAPPED', ptr, `${name}: no STIX property for ${unmapped.join(', ').slice(0, 500)}`);
      }
      if (new Set(comparisons.map((c) => c.root)).size > 1) {
        this.state.info('MISP_OBJECT_SPLIT_ROOTS', ptr, `${name}: attributes span several object types; one observation per type, ANDed`);
      }
      produced = toIds
        ? this.indicatorFrom(stixId('indicator', uuid, 'indicator', ...key), comparisons, `${name} object`, b)
        : this.observedFrom(stixId('observed-data', uuid, 'observed-data', ...key), stixId('note', uuid, 'note', ...key), comparisons, name, b, ptr);
    }
    if (produced === undefined) return;
    if (uuid !== undefined) this.byUuid.set(uuid.toLowerCase(), produced.id);
    for (const a of attrs) {
      const au = text(a, 'uuid');
      if (au !== undefined) this.byUuid.set(au.toLowerCase(), produced.id);
    }
    attrs.forEach((a, i) => this.sightings(a, `${ptr}/Attribute/${i}`, produced.id));
    for (const g of this.galaxies(o, ptr)) this.relate(produced.id, produced.isIndicator ? 'indicates' : 'related-to', g);
  }

  private objectReferences(o: JsonRecord, ptr: string): void {
    const from = this.byUuid.get((text(o, 'uuid') ?? '').toLowerCase());
    if (from === undefined) return;
    records(o, 'ObjectReference').forEach((r, i) => {
      if (bool(r, 'deleted') === true) return;
      const target = this.byUuid.get((text(r, 'referenced_uuid') ?? '').toLowerCase());
      if (target === undefined || target === from) {
        this.state.info('MISP_REFERENCE_UNRESOLVED', `${ptr}/ObjectReference/${i}`, 'reference to an object or attribute that produced nothing: dropped');
        return;
      }
      this.relate(from, relationshipType(text(r, 'relationship_type') ?? 'related-to'), target, text(r, 'uuid'));
    });
  }

  private relate(source: string, type: string, target: string, uuid?: string): void {
    if (source === this.containerId || target === this.containerId) return;
    const id = stixId('relationship', uuid, 'relationship', source, type, target);
    this.sdo('relationship', id, this.modified, {
      relationship_type: type,
      source_ref: source,
      target_ref: target,
      ...this.common(),
    });
  }

  // ---- galaxies and sightings -------------------------------------------------------------------------------

  /** The SDOs of the galaxy clusters of an event/attribute/object (created as needed). */
  private galaxies(holder: JsonRecord, ptr: string): string[] {
    const ids: string[] = [];
    records(holder, 'Galaxy').forEach((g, gi) => {
      const galaxyType = text(g, 'type') ?? '';
      records(g, 'GalaxyCluster').forEach((c, ci) => {
        const cptr = `${ptr}/Galaxy/${gi}/GalaxyCluster/${ci}`;
        const id = this.galaxySdo(text(c, 'type') ?? galaxyType, c, cptr);
        if (id !== undefined) ids.push(id);
      });
    });
    return ids;
  }

  private galaxySdo(galaxyType: string, c: JsonRecord, ptr: string): string | undefined {
    const value = text(c, 'value');
    const sdoType = GALAXY_SDO_TYPES[galaxyType];
    if (value === undefined) return undefined;
    if (sdoType === undefined) {
      this.state.info('MISP_GALAXY_UNMAPPED', ptr, `galaxy "${galaxyType}" has no STIX object type: kept as the label ${text(c, 'tag_name') ?? value}`);
      return undefined;
    }
    const meta = isRecord(c['meta']) ? c['meta'] : {};
    const metaUuid = Array.isArray(meta['uuid']) ? meta['uuid'].find((u): u is string => typeof u === 'string' && isUuid(u.toLowerCase())) : undefined;
    const clusterUuid = text(c, 'uuid');
    const uuid = clusterUuid !== undefined && isUuid(clusterUuid.toLowerCase()) ? clusterUuid : metaUuid;
    const id = stixId(sdoType, uuid, sdoType, galaxyType, value);
    const synonyms = Array.isArray(meta['synonyms']) ? meta['synonyms'].filter((s): s is string => typeof s === 'string' && s !== value) : [];
    const refs: Record<string, unknown>[] = [];
    const mitre = / - ([TSGMC]\d{4}(?:\.\d{3})?)$/.exec(value)?.[1];
    if (mitre !== undefined) refs.push({ source_name: 'mitre-attack', external_id: mitre });
    if (Array.isArray(meta['refs'])) {
      for (const u of meta['refs']) if (typeof u === 'string' && /^https?:\/\//.test(u)) refs.push({ source_name: galaxyType, url: u });
    }
    const name = mitre === undefined ? value : value.slice(0, value.length - mitre.length - 3);
    const props: Record<string, unknown> = { name };
    const description = text(c, 'description');
    if (description !== undefined) props['description'] = description;
    if (synonyms.length > 0 && sdoType !== 'attack-pattern' && sdoType !== 'course-of-action' && sdoType !== 'identity') {
      props['aliases'] = synonyms;
    }
    if (sdoType === 'malware') props['is_family'] = true;
    if (sdoType === 'identity') props['identity_class'] = 'class';
    if (sdoType === 'location') {
      const iso = typeof meta['ISO'] === 'string' && /^[A-Za-z]{2}$/.test(meta['ISO']) ? meta['ISO'].toUpperCase() : undefined;
      if (iso === undefined) {
        this.state.info('MISP_GALAXY_UNMAPPED', ptr, `location "${value.slice(0, 100)}" has no ISO country code: kept as a label only`);
        return undefined;
      }
      props['country'] = iso;
    }
    if (refs.length > 0) props['external_references'] = refs;
    props['x_misp_galaxy_type'] = galaxyType;
    const common = this.common();
    if (common['object_marking_refs'] !== undefined) props['object_marking_refs'] = common['object_marking_refs'];
    if (!this.state.objects.has(id)) this.sdo(sdoType, id, this.created, props);
    else if (!this.refs.includes(id)) this.refs.push(id);
    return id;
  }

  /** Event-level clusters: actors and intrusion sets `use` the malware, tools and techniques listed with them. */
  private galaxyRelationships(ids: readonly string[]): void {
    const users = ids.filter((id) => id.startsWith('threat-actor--') || id.startsWith('intrusion-set--'));
    const used = ids.filter((id) => id.startsWith('malware--') || id.startsWith('tool--') || id.startsWith('attack-pattern--'));
    for (const u of users) for (const t of used) this.relate(u, 'uses', t);
  }

  private sightings(a: JsonRecord, ptr: string, target: string): void {
    if (target === this.containerId) return;
    records(a, 'Sighting').forEach((s, i) => {
      const sptr = `${ptr}/Sighting/${i}`;
      const kind = str(s, 'type') ?? '0';
      if (kind !== '0') {
        this.state.info('MISP_SIGHTING_SKIPPED', sptr, kind === '1' ? 'false-positive sighting not mapped' : 'expiration sighting not mapped');
        return;
      }
      const when = epochToTimestamp(str(s, 'date_sighting')) ?? this.modified;
      const org = isRecord(s['Organisation']) ? s['Organisation'] : undefined;
      const orgName = org === undefined ? undefined : text(org, 'name');
      const orgUuid = org === undefined ? undefined : text(org, 'uuid')?.toLowerCase();
      let where: string | undefined;
      if (orgName !== undefined) {
        const identity = organizationIdentity(orgName, this.created, orgUuid !== undefined && isUuid(orgUuid) ? `identity--${orgUuid}` : undefined);
        this.emit(identity);
        where = identity.id;
      }
      const id = stixId('sighting', text(s, 'uuid'), 'sighting', target, when, String(i));
      this.sdo('sighting', id, when, {
        first_seen: when,
        last_seen: when,
        count: 1,
        sighting_of_ref: target,
        ...(where === undefined ? {} : { where_sighted_refs: [where] }),
        ...(text(s, 'source') === undefined ? {} : { description: `source: ${text(s, 'source') ?? ''}` }),
        ...this.common(),
      });
    });
  }

  // ---- container --------------------------------------------------------------------------------------------

  private container(): void {
    const ev = this.event;
    const info = text(ev, 'info') ?? 'MISP event';
    const refs = this.refs.filter((id) => id !== this.containerId);
    if (refs.length === 0) {
      this.state.warn('MISP_EMPTY_EVENT', this.pointer, `event "${info.slice(0, 200)}" produced no objects`);
      return;
    }
    const labels = [...this.tags.labels];
    const props: Record<string, unknown> = { name: info };
    const threat = THREAT_LEVELS[str(ev, 'threat_level_id') ?? ''];
    const analysis = ANALYSIS_LEVELS[str(ev, 'analysis') ?? ''];
    if (this.published) {
      props['report_types'] = ['threat-report'];
      props['published'] = epochToTimestamp(str(ev, 'publish_timestamp')) ?? this.modified;
    } else {
      props['context'] = 'suspicious-activity';
    }
    props['object_refs'] = refs;
    if (labels.length > 0) props['labels'] = labels;
    if (this.tags.confidence !== undefined) props['confidence'] = this.tags.confidence;
    if (this.links.length > 0) props['external_references'] = this.links;
    if (threat !== undefined) props['x_misp_threat_level'] = threat;
    if (analysis !== undefined) props['x_misp_analysis'] = analysis;
    const date = text(ev, 'date');
    if (date !== undefined) props['x_misp_date'] = date;
    const o: StixObject = {
      type: this.published ? 'report' : 'grouping',
      spec_version: '2.1',
      id: this.containerId,
      created: this.created,
      modified: this.modified,
      ...props,
      ...this.common(),
    };
    this.state.add(o);
  }
}

interface AttrBase {
  readonly ts: string;
  readonly labels: readonly string[];
  readonly comment: string | undefined;
  readonly category: string | undefined;
  readonly categories?: readonly string[];
  readonly tags: TagInfo;
  readonly firstSeen: string | undefined;
  readonly lastSeen: string | undefined;
}

/** Kill-chain phase names are lower-case words joined by hyphens ("Payload delivery" → "payload-delivery"). */
function phaseName(category: string): string {
  return category.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'other';
}

/** A comparison on `x_ref.value` also states the referenced type, so the pattern can only match that type. */
function refTyped(root: string, path: string[], kind: string, value: string | number): Comparison[] {
  const last = path[path.length - 1];
  const head = path[0] ?? '';
  if (path.length === 2 && last === 'value' && head.endsWith('_ref')) {
    const refType = kind === 'ip' ? ipType(String(value)) : kind === 'domain' ? 'domain-name' : kind === 'email' ? 'email-addr' : undefined;
    if (refType !== undefined) return [{ root, path: [head, 'type'], value: refType }, { root, path, value }];
  }
  return [{ root, path, value }];
}
