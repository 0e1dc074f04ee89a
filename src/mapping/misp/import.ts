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
import { issue } from '../../stix/issues';
import { isUuid } from '../../stix/identifiers';
import { TLP2_IDS } from '../../stix/markings';
import { containerIdAt, levelOfObject, splitByMarking, stricter, type Level } from './container-markings';
import { finish, ImportState, locateEvents, type Located } from './import-input';
import { galaxyObject } from './import-galaxy';
import { relationshipType, stixId } from './import-ids';
import { readTags, type TagInfo } from './import-tags';
import { comparisonsOf, phaseName, refTyped } from './import-values';
import { sdoFromObject, type SdoFromObject } from './import-sdo-objects';
import { compareTimestamps } from '../../stix/time';
import type { TlpLevel } from '../../stix/markings';
import { indicator, organizationIdentity } from '../common/stix-builders';
import type { ImportOptions, ImportResult, StixObject } from '../types';
import { canonicalValue, parsePath, renderPattern, type Comparison } from './comparisons';
import { buildScos, scoIsComplete } from './sco-builder';
import { ANALYSIS_LEVELS, ATTRIBUTE_TYPES, DEFAULT_TO_IDS, THREAT_LEVELS } from './misp-tables';
import { customPath, OBJECT_TYPES, type ObjectMapping } from './object-table';
import { bool, dateToTimestamp, epochToTimestamp, isoToStixTimestamp, isRecord, records, str, text, type JsonRecord } from './misp-json';
import type { OutcomeCode } from '../../common/outcome-codes';

/** Inputs above this size are refused with one error issue (a MISP event this big is not a CERT feed item). */
export const MAX_MISP_INPUT_BYTES = 64 * 1024 * 1024;
/** Longest attribute value turned into a pattern or note (YARA rules included). */
const MAX_VALUE_CHARS = 200_000;
const MAX_EVENTS = 10_000;

const FORMAT = 'MISP';

/**
 * Converts MISP JSON — `{"Event": {...}}`, a bare event, a REST `{"response": [...]}` or a feed manifest — into
 * STIX 2.1 objects. Never throws: unreadable input yields one error issue and no objects.
 */
export function importMisp(input: string | Buffer, options: ImportOptions): ImportResult {
  const state = new ImportState();
  const fail = (code: OutcomeCode, path: string, message: string): ImportResult => ({
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
    if (located.length === 0)
      return fail(
        'MISP_UNRECOGNIZED',
        '/',
        'no MISP event found (expected {"Event": {...}}, a bare event, {"response": [...]} or a feed manifest)',
      );
    if (located.length > MAX_EVENTS) return fail('INPUT_TOO_LARGE', '/', `${located.length} events exceed ${MAX_EVENTS}`);
    for (const l of located) new EventConverter(l, options, state).convert();
  } catch (e) {
    // Defensive: a converter bug must surface as a content error, not escape the importer.
    const detail = e instanceof Error ? e.message : String(e);
    return fail('MISP_IMPORT_FAILED', '/', `conversion failed (${detail.slice(0, 200)})`);
  }
  return finish(state);
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
  /** Reference links (event attributes of type link), with the TLP level of each. */
  private readonly links: { readonly level: Level; readonly ref: Record<string, unknown> }[] = [];
  /** Container ids handed out (one per TLP level that holds content). */
  private readonly containers = new Set<string>();
  /** MISP uuid (attribute or object) → the STIX object it produced, for ObjectReference and sightings. */
  private readonly byUuid = new Map<string, string>();
  /** uuids of pe / pe-section objects merged into their file object (references between them are internal). */
  private readonly mergedUuids = new Set<string>();
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

  /** Markings and created_by_ref for an object: the stricter of its own TLP and the event's (never widened). */
  private common(own?: TagInfo): Record<string, unknown> {
    return this.commonAt(stricter(own?.tlp, this.tags.tlp));
  }

  private commonAt(level: TlpLevel | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.identityId !== undefined) out['created_by_ref'] = this.identityId;
    if (level !== undefined) out['object_marking_refs'] = [TLP2_IDS[level]];
    return out;
  }

  convert(): void {
    const ev = this.event;
    const distribution = str(ev, 'distribution');
    if (distribution === '0') {
      this.state.warn(
        'MISP_DISTRIBUTION_ORG_ONLY',
        `${this.pointer}/distribution`,
        'event distribution is "your organisation only": check that it may be shared',
        this.containerId,
      );
    }
    const eventGalaxies = this.galaxies(ev, this.pointer);
    records(ev, 'Attribute').forEach((a, i) => this.attribute(a, `${this.pointer}/Attribute/${i}`));
    const merges = peMerges(records(ev, 'Object'), `${this.pointer}/Object`);
    records(ev, 'Object').forEach((o, i) => {
      if (!merges.absorbed.has(o)) this.object(o, `${this.pointer}/Object/${i}`, merges.parts.get(o));
    });
    records(ev, 'Object').forEach((o, i) => this.objectReferences(o, `${this.pointer}/Object/${i}`));
    this.galaxyRelationships(eventGalaxies);
    records(ev, 'EventReport').forEach((r, i) => this.eventReport(r, `${this.pointer}/EventReport/${i}`));
    this.container();
  }

  /** An event report (MISP's markdown write-up) → a note on the container, its name as the abstract. */
  private eventReport(r: JsonRecord, ptr: string): void {
    const content = str(r, 'content');
    if (bool(r, 'deleted') === true || content === undefined || content.trim() === '') return;
    if (content.length > MAX_VALUE_CHARS) {
      this.state.warn('MISP_VALUE_TOO_LONG', `${ptr}/content`, `event report of ${content.length} characters skipped`);
      return;
    }
    const ts = epochToTimestamp(str(r, 'timestamp')) ?? this.modified;
    const name = text(r, 'name');
    this.sdo('note', stixId('note', text(r, 'uuid'), 'note', this.eventKey, 'report', name ?? '', content), ts, {
      ...(name === undefined ? {} : { abstract: name.slice(0, 1000) }),
      content,
      object_refs: [this.containerAt(this.tags.tlp)],
      labels: ['misp:data-layer="Event Report"'],
      ...this.common(),
    });
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
      this.state.info(
        'MISP_ATTACHMENT_DROPPED',
        `${ptr}/data`,
        `${type} payload (base64) not carried into STIX; only its name/hash are kept`,
      );
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
    f: {
      type: string;
      value: string;
      uuid: string | undefined;
      toIds: boolean;
      category: string | undefined;
      tags: TagInfo;
      fallbackKey: string[];
    },
  ): Produced | undefined {
    const ts = epochToTimestamp(str(a, 'timestamp')) ?? this.modified;
    const labels = [`misp:type="${f.type}"`, ...(f.category === undefined ? [] : [`misp:category="${f.category}"`]), ...f.tags.labels];
    const comment = text(a, 'comment');
    const mapping = ATTRIBUTE_TYPES[f.type];
    const firstSeen = isoToStixTimestamp(text(a, 'first_seen'));
    const lastSeen = isoToStixTimestamp(text(a, 'last_seen'));
    const base = { ts, labels, comment, category: f.category, tags: f.tags, firstSeen, lastSeen };
    if (mapping === undefined) {
      return this.customAttribute(f, base, ptr, `type "${f.type}" has no STIX equivalent: kept as an x-misp-attribute object`);
    }
    switch (mapping.kind) {
      case 'pattern': {
        const comparisons = comparisonsOf(mapping, f.type, f.value, ptr, this.state);
        if (comparisons === undefined) return undefined;
        if (f.toIds) return this.indicatorFrom(stixId('indicator', f.uuid, 'indicator', ...f.fallbackKey), comparisons, f.value, base);
        return this.observedFrom(stixId('observed-data', f.uuid, 'observed-data', ...f.fallbackKey), comparisons, base, ptr, (why) =>
          this.customAttribute(f, base, ptr, why),
        );
      }
      case 'rule': {
        // A detection rule is an indicator whatever its to_ids flag (misp-stix's mapping): the rule is its pattern.
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
          const comparisons = comparisonsOf(
            { kind: 'pattern', root: 'url', fields: [{ path: 'value', kind: 'url' }] },
            f.type,
            f.value,
            ptr,
            this.state,
          );
          if (comparisons === undefined) return undefined;
          return this.indicatorFrom(stixId('indicator', f.uuid, 'indicator', ...f.fallbackKey), comparisons, f.value, base);
        }
        const level = stricter(f.tags.tlp, this.tags.tlp);
        this.links.push({
          level,
          ref: { source_name: 'link', url: f.value.trim(), ...(comment === undefined ? {} : { description: comment }) },
        });
        // misp-stix's mapping: a link is also a url observable (so it survives where the container does not travel).
        const urlComparisons = URI_LIKE.test(f.value.trim())
          ? comparisonsOf({ kind: 'pattern', root: 'url', fields: [{ path: 'value', kind: 'url' }] }, f.type, f.value, ptr, this.state)
          : undefined;
        if (urlComparisons !== undefined) {
          const observed = this.observedFrom(
            stixId('observed-data', f.uuid, 'observed-data', ...f.fallbackKey),
            urlComparisons,
            base,
            ptr,
            (why) => this.customAttribute(f, base, ptr, why),
          );
          if (observed !== undefined) return observed;
        }
        const holder = this.containerAt(level);
        if (f.uuid !== undefined) this.byUuid.set(f.uuid.toLowerCase(), holder);
        return { id: holder, isIndicator: false };
      }
    }
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
      // misp-stix's label layout: the MISP to_ids flag is said (true for every indicator).
      labels: [...b.labels, 'misp:to_ids="True"'],
      ...(confidence === undefined ? {} : { confidence }),
      ...(categories.length > 0 || b.tags.killChain !== undefined
        ? {
            kill_chain_phases: [
              ...categories.map((c) => ({ kill_chain_name: 'misp-category', phase_name: phaseName(c) })),
              ...(b.tags.killChain ?? []),
            ],
          }
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

  private observedFrom(
    id: string,
    comparisons: readonly Comparison[],
    b: AttrBase,
    ptr: string,
    fallback: (why: string) => Produced,
  ): Produced | undefined {
    const byRoot = new Map<string, Comparison[]>();
    for (const c of comparisons) byRoot.set(c.root, [...(byRoot.get(c.root) ?? []), c]);
    const scos: StixObject[] = [];
    for (const [root, list] of byRoot) {
      const built = buildScos(root, list);
      const first = built.objects[0];
      if (first === undefined || !scoIsComplete(first)) {
        return fallback(`no complete ${root} observable can be built: kept as a custom object`);
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
      last_observed:
        b.lastSeen !== undefined && compareTimestamps(b.lastSeen, b.firstSeen ?? b.ts) >= 0 ? b.lastSeen : (b.firstSeen ?? b.ts),
      number_observed: 1,
      object_refs: [...new Set(scos.map((s) => s.id))],
      labels: [...b.labels, 'misp:to_ids="False"'],
      // observed-data has no description: the MISP comment is kept as a custom property.
      ...(b.comment === undefined ? {} : { x_misp_comment: b.comment }),
      ...this.common(b.tags),
    });
    return { id: o.id, isIndicator: false };
  }

  /**
   * A MISP attribute STIX has no object for: an `x-misp-attribute` custom object (the shape misp-stix writes), holding
   * the type, value, category and comment, so MISP → STIX → MISP gives the attribute back.
   */
  private customAttribute(f: CustomSource, b: AttrBase, ptr: string, why: string): Produced {
    const id = stixId('x-misp-attribute', f.uuid, 'x-misp-attribute', ...f.fallbackKey);
    this.state.info('MISP_KEPT_AS_CUSTOM', ptr, why, id);
    const o = this.sdo('x-misp-attribute', id, b.ts, {
      labels: [...b.labels, `misp:to_ids="${f.toIds ? 'True' : 'False'}"`],
      x_misp_type: f.type,
      x_misp_value: f.value,
      ...(b.category === undefined ? {} : { x_misp_category: b.category }),
      ...(b.comment === undefined ? {} : { x_misp_comment: b.comment }),
      ...this.common(b.tags),
    });
    return { id: o.id, isIndicator: false };
  }

  /** A MISP object STIX has no observable for: an `x-misp-object` custom object holding every attribute (misp-stix's shape). */
  private customObject(
    f: {
      name: string;
      uuid: string | undefined;
      key: readonly string[];
      attrs: readonly JsonRecord[];
      toIds: boolean;
      metaCategory: string | undefined;
    },
    b: AttrBase,
    ptr: string,
    why: string,
  ): Produced {
    const id = stixId('x-misp-object', f.uuid, 'x-misp-object', ...f.key);
    this.state.info('MISP_KEPT_AS_CUSTOM', ptr, why, id);
    const attributes = f.attrs
      .filter((a) => bool(a, 'deleted') !== true && (str(a, 'value') ?? '').trim() !== '')
      .map((a) => {
        const out: Record<string, unknown> = {};
        for (const k of ['type', 'object_relation', 'value', 'category', 'comment', 'uuid']) {
          const v = str(a, k);
          if (v !== undefined && v !== '') out[k] = k === 'value' ? v.slice(0, MAX_VALUE_CHARS) : v;
        }
        const attrToIds = bool(a, 'to_ids');
        if (attrToIds !== undefined) out['to_ids'] = attrToIds;
        return out;
      });
    const o = this.sdo('x-misp-object', id, b.ts, {
      labels: [...b.labels, `misp:to_ids="${f.toIds ? 'True' : 'False'}"`],
      x_misp_name: f.name,
      ...(f.metaCategory === undefined ? {} : { x_misp_meta_category: f.metaCategory }),
      ...(b.comment === undefined ? {} : { x_misp_comment: b.comment }),
      x_misp_attributes: attributes,
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

  /**
   * One MISP object → STIX. `parts` are the pe / pe-section objects a file object includes: misp-stix merges them
   * into the file (one SCO with its windows-pebinary-ext, sections in order), and so does the gateway.
   */
  private object(o: JsonRecord, ptr: string, parts?: readonly PePart[]): void {
    const name = text(o, 'name') ?? 'unnamed';
    const uuid = text(o, 'uuid');
    if (bool(o, 'deleted') === true) {
      this.state.info('MISP_DELETED_SKIPPED', ptr, `deleted object ${name} ${uuid ?? ''} skipped`);
      this.state.skipped++;
      return;
    }
    const sdo = sdoFromObject(name, records(o, 'Attribute'));
    if (sdo !== undefined) {
      this.sdoObject(o, name, sdo, ptr);
      return;
    }
    const mapping = OBJECT_TYPES[name];
    if (mapping === undefined) {
      this.state.info('MISP_OBJECT_UNKNOWN', ptr, `object template "${name}" has no mapping: attributes mapped by their types`);
    }
    const entries: ObjectEntry[] = [
      ...withPairs(records(o, 'Attribute'), mapping).map((e, i) => ({ ...e, aptr: `${ptr}/Attribute/${i}`, mapping })),
      ...(parts ?? []).flatMap((p) =>
        records(p.object, 'Attribute').map((a, i) => ({
          a,
          aptr: `${p.ptr}/Attribute/${i}`,
          mapping: OBJECT_TYPES[p.template],
          part: true,
          ...(p.index === undefined ? {} : { index: p.index }),
        })),
      ),
    ];
    if (parts !== undefined && parts.length > 0) {
      this.state.info('MISP_OBJECT_PE_MERGED', ptr, `${name} object merged with ${parts.length} pe / pe-section object(s) into one file`);
    }
    const collected = this.objectComparisons(name, entries);
    if (mapping === undefined) customsOfUnknownTemplate(collected);
    if (mapping?.implied !== undefined) impliedComparisons(mapping.root, mapping.implied, collected.comparisons);
    if (mapping?.fixed !== undefined && collected.comparisons.length > 0) {
      for (const [path, value] of Object.entries(mapping.fixed)) {
        collected.comparisons.unshift({ root: mapping.root, path: parsePath(path), value });
      }
    }
    const attrs = entries.map((e) => e.a);
    const produced = this.produceObject(o, name, uuid, attrs, collected, ptr);
    if (produced === undefined) return;
    this.registerObject(o, uuid, attrs, parts, produced, ptr);
  }

  /** The comparisons of an object's attributes (and merged pe parts), with what could not be placed. */
  private objectComparisons(name: string, entries: readonly ObjectEntry[]): CollectedObject {
    const out: CollectedObject = { comparisons: [], unmapped: [], customs: [], unplacedValues: [], categories: new Set(), toIds: false };
    for (const entry of entries) {
      const { a, index } = entry;
      const placed = this.objectAttribute(name, entry);
      if (placed === undefined) continue;
      const relation = text(a, 'object_relation') ?? '';
      if ('unplaced' in placed) {
        out.unmapped.push(`${relation}=${placed.unplaced.slice(0, 80)}`);
        out.unplacedValues.push([relation, placed.unplaced.trim()]);
        continue;
      }
      if (placed.custom) out.customs.push(relation);
      out.comparisons.push(
        ...placed.found.map((c) => ({
          ...c,
          ...(relation === '' ? {} : { relation }),
          ...(index !== undefined && c.path.includes('*') ? { index } : {}),
        })),
      );
      const cat = text(a, 'category');
      if (cat !== undefined) out.categories.add(cat);
      if (bool(a, 'to_ids') ?? DEFAULT_TO_IDS.has(text(a, 'type') ?? '')) out.toIds = true;
    }
    return out;
  }

  /**
   * One object attribute → its comparisons (by the template's relation, else by its attribute type, else as an
   * `x_misp_<relation>` custom property), `unplaced` when none fits, undefined when it is skipped with an issue.
   */
  private objectAttribute(
    name: string,
    { a, aptr, mapping: m, part }: ObjectEntry,
  ): { found: Comparison[]; custom: boolean } | { unplaced: string } | undefined {
    if (bool(a, 'deleted') === true) {
      this.state.info('MISP_DELETED_SKIPPED', aptr, `deleted object attribute skipped`);
      return undefined;
    }
    const relation = text(a, 'object_relation') ?? '';
    const type = text(a, 'type') ?? '';
    const rawValue = a['value'];
    // MISP's boolean attributes may hold JSON booleans (`"value": false`): kept as MISP writes them.
    const value = typeof rawValue === 'boolean' ? (rawValue ? 'True' : 'False') : (str(a, 'value') ?? '');
    if (value.length > MAX_VALUE_CHARS || value.trim() === '') {
      this.state.warn('MISP_ATTRIBUTE_INCOMPLETE', aptr, 'object attribute with an empty or oversized value skipped');
      return undefined;
    }
    if (typeof a['data'] === 'string' && a['data'] !== '') {
      this.state.info('MISP_ATTACHMENT_DROPPED', `${aptr}/data`, `${type} payload (base64) not carried into STIX`);
    }
    // A merged pe's own file names (original-filename, ...) must not compete with the file's name: custom properties.
    const nameClash = part === true && m?.relations[relation]?.path === 'name';
    const tableSpec = nameClash ? undefined : m?.relations[relation];
    // A relation whose STIX value stands for one MISP word (`state: listening` → is_listening) takes only that word.
    const worded = tableSpec?.valueText === undefined ? value : wordValue(tableSpec.valueText, value);
    const spec = worded === undefined ? undefined : tableSpec;
    if (spec !== undefined) {
      const path = parsePath(spec.path);
      const r = canonicalValue(spec.kind, worded ?? value, path);
      if (!r.ok) {
        this.state.warn('MISP_INVALID_VALUE', `${aptr}/value`, `${name}/${relation}: ${r.reason}; attribute skipped`);
        return undefined;
      }
      if (r.refanged) this.state.info('REFANGED', `${aptr}/value`, `defanged ${relation} value refanged`);
      return { found: refTyped(m?.root ?? '', path, spec.kind, r.value), custom: false };
    }
    if (!nameClash) {
      const byType = ATTRIBUTE_TYPES[type];
      // Falling back to the attribute type is only sound on the object's own root type (or for unknown objects).
      if (byType?.kind === 'pattern' && (m === undefined || byType.root === m.root)) {
        const found = comparisonsOf(byType, type, value, aptr, this.state);
        return found === undefined ? undefined : { found, custom: false };
      }
    }
    const custom = m === undefined ? undefined : customPath(m, relation);
    if (m !== undefined && custom !== undefined)
      return { found: [{ root: m.root, path: parsePath(custom), value: value.trim() }], custom: true };
    return { unplaced: value };
  }

  /** The indicator, observed-data or x-misp-object of a collected object (with its issues). */
  private produceObject(
    o: JsonRecord,
    name: string,
    uuid: string | undefined,
    attrs: readonly JsonRecord[],
    { comparisons, unmapped, customs, categories, toIds }: CollectedObject,
    ptr: string,
  ): Produced | undefined {
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
    const custom = (why: string): Produced => this.customObject({ name, uuid, key, attrs, toIds, metaCategory }, b, ptr, why);
    if (comparisons.length === 0) return custom(`object "${name}" has no attribute with a STIX equivalent: kept as an x-misp-object`);
    if (customs.length > 0) {
      this.state.info(
        'MISP_OBJECT_ATTRIBUTE_CUSTOM',
        ptr,
        `${name}: no STIX property for ${[...new Set(customs)].join(', ').slice(0, 500)}; kept as x_misp_ custom properties`,
      );
    }
    if (unmapped.length > 0) {
      this.state.info('MISP_OBJECT_ATTRIBUTE_UNMAPPED', ptr, `${name}: no STIX property for ${unmapped.join(', ').slice(0, 500)}`);
    }
    if (new Set(comparisons.map((c) => c.root)).size > 1) {
      this.state.info('MISP_OBJECT_SPLIT_ROOTS', ptr, `${name}: attributes span several object types; one observation per type, ANDed`);
    }
    return toIds
      ? this.indicatorFrom(stixId('indicator', uuid, 'indicator', ...key), comparisons, `${name} object`, b)
      : this.observedFrom(stixId('observed-data', uuid, 'observed-data', ...key), comparisons, b, ptr, custom);
  }

  /** Remembers what an object (its parts and attributes) became, for references and sightings; links its galaxies. */
  private registerObject(
    o: JsonRecord,
    uuid: string | undefined,
    attrs: readonly JsonRecord[],
    parts: readonly PePart[] | undefined,
    produced: Produced,
    ptr: string,
  ): void {
    if (uuid !== undefined) this.byUuid.set(uuid.toLowerCase(), produced.id);
    for (const p of parts ?? []) {
      const pu = text(p.object, 'uuid')?.toLowerCase();
      if (pu === undefined) continue;
      this.byUuid.set(pu, produced.id);
      this.mergedUuids.add(pu);
    }
    for (const a of attrs) {
      const au = text(a, 'uuid');
      if (au !== undefined) this.byUuid.set(au.toLowerCase(), produced.id);
    }
    attrs.forEach((a, i) => this.sightings(a, `${ptr}/Attribute/${i}`, produced.id));
    // Clusters of the object and of its attributes (MISP attaches galaxies to attributes) describe what it became.
    const galaxies = [...this.galaxies(o, ptr), ...attrs.flatMap((a, i) => this.galaxies(a, `${ptr}/Attribute/${i}`))];
    for (const g of new Set(galaxies)) this.relate(produced.id, produced.isIndicator ? 'indicates' : 'related-to', g);
  }

  /** A non-observable object (rule, vulnerability, attack pattern, annotation) as its SDO. */
  private sdoObject(o: JsonRecord, name: string, sdo: SdoFromObject, ptr: string): void {
    const uuid = text(o, 'uuid');
    const ts = epochToTimestamp(str(o, 'timestamp')) ?? this.modified;
    const tags = readTags(o, ptr, this.state);
    const metaCategory = text(o, 'meta-category');
    const labels = [`misp:name="${name}"`, ...(metaCategory === undefined ? [] : [`misp:meta-category="${metaCategory}"`]), ...tags.labels];
    const id = stixId(sdo.type, uuid, sdo.type, this.eventKey, name, JSON.stringify(sdo.props));
    const extra: Record<string, unknown> =
      sdo.type === 'indicator'
        ? { valid_from: ts, indicator_types: ['malicious-activity'] }
        : sdo.type === 'note'
          ? { object_refs: [this.containerAt(stricter(tags.tlp, this.tags.tlp))] }
          : {};
    this.sdo(sdo.type, id, ts, { ...sdo.props, ...extra, labels, ...this.common(tags) });
    if (uuid !== undefined) this.byUuid.set(uuid.toLowerCase(), id);
    records(o, 'Attribute').forEach((a, i) => this.sightings(a, `${ptr}/Attribute/${i}`, id));
    const galaxies = [...this.galaxies(o, ptr), ...records(o, 'Attribute').flatMap((a, i) => this.galaxies(a, `${ptr}/Attribute/${i}`))];
    for (const g of new Set(galaxies)) this.relate(id, sdo.type === 'indicator' ? 'indicates' : 'related-to', g);
  }

  private objectReferences(o: JsonRecord, ptr: string): void {
    const from = this.byUuid.get((text(o, 'uuid') ?? '').toLowerCase());
    if (from === undefined) return;
    records(o, 'ObjectReference').forEach((r, i) => {
      if (bool(r, 'deleted') === true) return;
      const target = this.byUuid.get((text(r, 'referenced_uuid') ?? '').toLowerCase());
      if (target === from && this.mergedUuids.has((text(r, 'referenced_uuid') ?? '').toLowerCase())) return;
      if (target === undefined || target === from) {
        this.state.info(
          'MISP_REFERENCE_UNRESOLVED',
          `${ptr}/ObjectReference/${i}`,
          'reference to an object or attribute that produced nothing: dropped',
        );
        return;
      }
      this.relate(from, relationshipType(text(r, 'relationship_type') ?? 'related-to'), target, text(r, 'uuid'));
    });
  }

  /** A relationship is marked like the stricter of its two ends (it reveals both ids). */
  private relate(source: string, type: string, target: string, uuid?: string): void {
    if (this.isContainer(source) || this.isContainer(target)) return;
    const id = stixId('relationship', uuid, 'relationship', source, type, target);
    const level = stricter(this.levelOf(source), stricter(this.levelOf(target), this.tags.tlp));
    this.sdo('relationship', id, this.modified, {
      relationship_type: type,
      source_ref: source,
      target_ref: target,
      ...this.commonAt(level),
    });
  }

  private levelOf(id: string): TlpLevel | undefined {
    const o = this.state.objects.get(id);
    return o === undefined ? undefined : levelOfObject(o);
  }

  private isContainer(id: string): boolean {
    return id === this.containerId || id === this.containerAt(undefined) || this.containers.has(id);
  }

  /** The container listing objects of a TLP level: the event's own id at the event's level, a derived id above it. */
  private containerAt(level: Level): string {
    const id = level === this.tags.tlp ? this.containerId : containerIdAt(this.published ? 'report' : 'grouping', this.eventKey, level);
    this.containers.add(id);
    return id;
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
    const g = galaxyObject(galaxyType, c, ptr, this.state);
    if (g === undefined) return undefined;
    const marking = this.common()['object_marking_refs'];
    const props = marking === undefined ? g.props : { ...g.props, object_marking_refs: marking };
    if (!this.state.objects.has(g.id)) this.sdo(g.sdoType, g.id, this.created, props);
    else if (!this.refs.includes(g.id)) this.refs.push(g.id);
    return g.id;
  }

  /** Event-level clusters: actors and intrusion sets `use` the malware, tools and techniques listed with them. */
  private galaxyRelationships(ids: readonly string[]): void {
    const users = ids.filter((id) => id.startsWith('threat-actor--') || id.startsWith('intrusion-set--'));
    const used = ids.filter((id) => id.startsWith('malware--') || id.startsWith('tool--') || id.startsWith('attack-pattern--'));
    for (const u of users) for (const t of used) this.relate(u, 'uses', t);
  }

  private sightings(a: JsonRecord, ptr: string, target: string): void {
    if (this.isContainer(target)) return;
    records(a, 'Sighting').forEach((s, i) => {
      const sptr = `${ptr}/Sighting/${i}`;
      const kind = str(s, 'type') ?? '0';
      if (kind !== '0') {
        this.state.info(
          'MISP_SIGHTING_SKIPPED',
          sptr,
          kind === '1' ? 'false-positive sighting not mapped' : 'expiration sighting not mapped',
        );
        return;
      }
      const when = epochToTimestamp(str(s, 'date_sighting')) ?? this.modified;
      const org = isRecord(s['Organisation']) ? s['Organisation'] : undefined;
      const orgName = org === undefined ? undefined : text(org, 'name');
      const orgUuid = org === undefined ? undefined : text(org, 'uuid')?.toLowerCase();
      let where: string | undefined;
      if (orgName !== undefined) {
        const identity = organizationIdentity(
          orgName,
          this.created,
          orgUuid !== undefined && isUuid(orgUuid) ? `identity--${orgUuid}` : undefined,
        );
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
        ...this.commonAt(stricter(this.levelOf(target), this.tags.tlp)),
      });
    });
  }

  // ---- container --------------------------------------------------------------------------------------------

  private container(): void {
    const info = text(this.event, 'info') ?? 'MISP event';
    const refs = this.refs.filter((id) => !this.isContainer(id));
    const parts = splitByMarking(
      refs,
      (id) => this.levelOf(id),
      (id) => id.startsWith('identity--'),
      this.links.map((l) => l.level),
    );
    if (refs.length === 0 || parts.length === 0) {
      this.state.warn('MISP_EMPTY_EVENT', this.pointer, `event "${info.slice(0, 200)}" produced no objects`);
      return;
    }
    if (parts.length > 1) {
      const levels = parts.map((p) => p.level ?? 'unmarked').join(', ');
      this.state.info(
        'MISP_CONTAINER_SPLIT_BY_MARKING',
        this.pointer,
        `objects carry several TLP levels (${levels}): one container per level, each listing nothing stricter than its own marking`,
      );
    }
    const props = this.containerProps(info);
    for (const part of parts) {
      const links = this.links.filter((l) => stricter(l.level, part.level) === part.level).map((l) => l.ref);
      const o: StixObject = {
        type: this.published ? 'report' : 'grouping',
        spec_version: '2.1',
        id: this.containerAt(part.level),
        created: this.created,
        modified: this.modified,
        ...props,
        object_refs: part.refs,
        ...(links.length > 0 ? { external_references: links } : {}),
        ...this.commonAt(part.level),
      };
      this.state.add(o);
    }
  }

  /** Container properties every part shares (name, type, labels, confidence, MISP event fields). */
  private containerProps(info: string): Record<string, unknown> {
    const ev = this.event;
    const props: Record<string, unknown> = { name: info };
    if (this.published) {
      props['report_types'] = ['threat-report'];
      props['published'] = epochToTimestamp(str(ev, 'publish_timestamp')) ?? this.modified;
    } else {
      props['context'] = 'suspicious-activity';
    }
    if (this.tags.labels.length > 0) props['labels'] = [...this.tags.labels];
    if (this.tags.confidence !== undefined) props['confidence'] = this.tags.confidence;
    const threat = THREAT_LEVELS[str(ev, 'threat_level_id') ?? ''];
    const analysis = ANALYSIS_LEVELS[str(ev, 'analysis') ?? ''];
    if (threat !== undefined) props['x_misp_threat_level'] = threat;
    if (analysis !== undefined) props['x_misp_analysis'] = analysis;
    const date = text(ev, 'date');
    if (date !== undefined) props['x_misp_date'] = date;
    return props;
  }
}

/** A value with a URI scheme (a link without one stays only a reference of the container). */
const URI_LIKE = /^[A-Za-z][A-Za-z0-9+.-]{0,31}:\S+$/;

/** What an `x-misp-attribute` custom object is made from. */
interface CustomSource {
  readonly type: string;
  readonly value: string;
  readonly uuid: string | undefined;
  readonly toIds: boolean;
  readonly fallbackKey: readonly string[];
}

/** What a relation implies, at the relation's list position (misp-stix's `body_multipart[n].content_disposition`). */
function impliedComparisons(root: string, implied: NonNullable<ObjectMapping['implied']>, comparisons: Comparison[]): void {
  const out: Comparison[] = [];
  for (const c of comparisons) {
    out.push(c);
    const i = c.relation === undefined ? undefined : implied[c.relation];
    if (i !== undefined && c.root === root) {
      out.push({ root, path: parsePath(i.path), value: i.value, ...(c.index === undefined ? {} : { index: c.index }) });
    }
  }
  comparisons.splice(0, comparisons.length, ...out);
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

/** A pe or pe-section object merged into the file object that includes it (sections keep their order). */
/** One attribute of a MISP object (or of a pe / pe-section part merged into its file) with its template. */
interface ObjectEntry {
  readonly a: JsonRecord;
  readonly aptr: string;
  readonly mapping: ObjectMapping | undefined;
  readonly index?: number;
  readonly part?: boolean;
}

/** What an object's attributes gave: comparisons, and what no STIX property holds. */
interface CollectedObject {
  readonly comparisons: Comparison[];
  readonly unmapped: string[];
  readonly customs: string[];
  readonly unplacedValues: [string, string][];
  readonly categories: Set<string>;
  toIds: boolean;
}

/** An unknown template with observable attributes: its other relations ride along as x_misp_ properties. */
function customsOfUnknownTemplate(c: CollectedObject): void {
  const firstRoot = c.comparisons[0]?.root;
  if (firstRoot === undefined) return;
  c.unmapped.length = 0;
  for (const [relation, value] of c.unplacedValues) {
    const key = customPath(undefined, relation);
    if (key === undefined) {
      c.unmapped.push(`${relation}=${value.slice(0, 80)}`);
      continue;
    }
    c.comparisons.push({ root: firstRoot, path: [key], value, relation });
    c.customs.push(relation);
  }
}

interface PePart {
  readonly object: JsonRecord;
  readonly ptr: string;
  readonly template: 'pe' | 'pe-section';
  readonly index?: number;
}

/**
 * Finds file → pe → pe-section chains (by ObjectReference): each file object gets its pe object and the pe's
 * sections as parts, and those are absorbed (not converted on their own). A pe referenced by several files, or
 * a file with several pe objects, is left as it is; a pe no file includes gets its own sections.
 */
function peMerges(objects: readonly JsonRecord[], ptr: string): { parts: Map<JsonRecord, PePart[]>; absorbed: Set<JsonRecord> } {
  const byUuid = new Map<string, { o: JsonRecord; i: number }>();
  objects.forEach((o, i) => {
    const u = text(o, 'uuid');
    if (u !== undefined && bool(o, 'deleted') !== true) byUuid.set(u.toLowerCase(), { o, i });
  });
  const targets = (o: JsonRecord, name: string): { o: JsonRecord; i: number }[] =>
    records(o, 'ObjectReference')
      .filter((r) => bool(r, 'deleted') !== true)
      .flatMap((r) => byUuid.get((text(r, 'referenced_uuid') ?? '').toLowerCase()) ?? [])
      .filter((t) => text(t.o, 'name') === name);
  const peOwners = new Map<JsonRecord, number>();
  for (const o of objects)
    if (text(o, 'name') === 'file') for (const pe of targets(o, 'pe')) peOwners.set(pe.o, (peOwners.get(pe.o) ?? 0) + 1);
  const parts = new Map<JsonRecord, PePart[]>();
  const absorbed = new Set<JsonRecord>();
  for (const o of objects) {
    if (text(o, 'name') !== 'file' || bool(o, 'deleted') === true) continue;
    const pes = targets(o, 'pe');
    const pe = pes[0];
    if (pes.length !== 1 || pe === undefined || peOwners.get(pe.o) !== 1) continue;
    const sections = targets(pe.o, 'pe-section').filter((sec) => !absorbed.has(sec.o));
    const list: PePart[] = [
      { object: pe.o, ptr: `${ptr}/${pe.i}`, template: 'pe' },
      ...sections.map((sec, index) => ({ object: sec.o, ptr: `${ptr}/${sec.i}`, template: 'pe-section' as const, index })),
    ];
    parts.set(o, list);
    absorbed.add(pe.o);
    for (const sec of sections) absorbed.add(sec.o);
  }
  // A pe no file includes keeps its sections all the same (misp-stix: one file SCO with the pe extension).
  for (const o of objects) {
    if (text(o, 'name') !== 'pe' || bool(o, 'deleted') === true || absorbed.has(o) || peOwners.has(o)) continue;
    const sections = targets(o, 'pe-section').filter((sec) => !absorbed.has(sec.o));
    if (sections.length === 0) continue;
    parts.set(
      o,
      sections.map((sec, index) => ({ object: sec.o, ptr: `${ptr}/${sec.i}`, template: 'pe-section' as const, index })),
    );
    for (const sec of sections) absorbed.add(sec.o);
  }
  return { parts, absorbed };
}

/** The STIX value a MISP word stands for (`listening` → `True`), undefined for any other word. */
function wordValue(valueText: Readonly<Record<string, string>>, value: string): string | undefined {
  const wanted = value.trim().toLowerCase();
  return Object.entries(valueText).find(([, word]) => word.toLowerCase() === wanted)?.[0];
}

/** The attributes of an object, each paired relation's n-th value with list position n (`to` ↔ `to-display-name`). */
function withPairs(attrs: readonly JsonRecord[], mapping: ObjectMapping | undefined): { a: JsonRecord; index?: number }[] {
  const seen = new Map<string, number>();
  return attrs.map((a) => {
    const relation = text(a, 'object_relation') ?? '';
    if (mapping?.paired?.includes(relation) !== true || bool(a, 'deleted') === true) return { a };
    const index = seen.get(relation) ?? 0;
    seen.set(relation, index + 1);
    return { a, index };
  });
}
