/**
 * STIX 2.1 → MISP event JSON (`{"Event": {...}}`), importable by MISP. Pure.
 *
 * Indicators become attributes with to_ids (single comparisons, or composite types such as filename|md5) or
 * MISP objects (several comparisons on one root type); observed-data SCOs become attributes without to_ids;
 * notes, vulnerabilities and campaigns become text/vulnerability/campaign-name attributes; galaxy-like SDOs
 * become `misp-galaxy:` tags and the event's galaxy clusters (`export-galaxy.ts`); sightings become attribute sightings. What cannot be expressed (complex
 * patterns, unknown paths) is kept as a `stix2-pattern` object with an issue.
 */
import { issue, type ContentIssue } from '../../stix/issues';
import { GATEWAY_ID_NAMESPACE, parseStixId, SCO_TYPES, uuidV5 } from '../../stix/identifiers';
import { strictestTlp } from '../../stix/markings';
import { compareTimestamps, isTimestamp } from '../../stix/time';
import type { ExportResult, StixObject } from '../types';
import { renderPattern, type Comparison } from './comparisons';
import { resolve, type Resolved } from './export-resolve';
import { sdoAsObject } from './export-sdo-objects';
import { templateObject } from './export-sdo-templates';
import { galaxyCluster, galaxyList, galaxyTag } from './export-galaxy';
import { ANALYSIS_LEVELS, confidenceLevelFor, defaultCategory, MISP_CATEGORIES, THREAT_LEVELS } from './misp-tables';
import { OBJECT_META_CATEGORY } from './object-table';
import { flatten, isJson, refsOf } from './sco-flatten';
import { timestampToEpoch } from './misp-json';
import { readAlternatives, readSimplePattern } from './pattern-reader';
import type { OutcomeCode } from '../../common/outcome-codes';

export interface MispExportOptions {
  /** Event title when the objects hold no report/grouping name. */
  readonly eventInfo?: string;
  /** Creator organisation when no object names a producer identity. */
  readonly orgName?: string;
  /** MISP distribution of the event (default 0, "your organisation only": the receiving MISP widens it). */
  readonly distribution?: 0 | 1 | 2 | 3;
}

type Json = Record<string, unknown>;

const RULE_LANGUAGES = new Set(['yara', 'snort', 'suricata', 'sigma']);
const GALAXY_SDOS = new Set(['threat-actor', 'intrusion-set', 'malware', 'tool', 'attack-pattern', 'course-of-action']);
const CONSUMED = new Set(['identity', 'marking-definition', 'report', 'grouping', 'relationship', 'sighting', 'extension-definition']);

/** Where each exported STIX object went: an attribute uuid or an object uuid. */
interface Placed {
  readonly attribute?: Json;
  readonly object?: Json;
}

/** Converts STIX 2.1 objects into one MISP event. Never throws on content; problems become issues. */
export function exportMisp(objects: readonly StixObject[], options: MispExportOptions = {}): ExportResult {
  return new MispExporter(objects, options).run();
}

class MispExporter {
  private readonly issues: ContentIssue[] = [];
  private readonly byId = new Map<string, StixObject>();
  private readonly attributes: Json[] = [];
  private readonly mispObjects: Json[] = [];
  private readonly placed = new Map<string, Placed>();
  private readonly eventTags: string[] = [];
  /** MISP event reports: notes the importer made from them, and the container's description. */
  private readonly eventReports: Json[] = [];
  /** Galaxy clusters of the galaxy-like SDOs (their descriptions, aliases, kill chains and other properties). */
  private readonly clusters: { galaxyType: string; cluster: Json }[] = [];
  /** SCOs exported through an observed-data or another SCO that references them. */
  private readonly consumedScos = new Set<string>();
  /** Ids some object references (`*_ref` / `*_refs`): producers, relationship ends, sighting targets. */
  private readonly referenced = new Set<string>();

  constructor(
    private readonly objects: readonly StixObject[],
    private readonly options: MispExportOptions,
  ) {
    for (const o of objects) this.byId.set(o.id, o);
    for (const o of objects) {
      for (const id of refsOf(o)) if (id !== o.id) this.referenced.add(id);
      if (o.type === 'observed-data') for (const id of this.scosOf(o).keys()) this.consumedScos.add(id);
      if (SCO_TYPES.has(o.type)) for (const id of refsOf(o)) this.consumedScos.add(id);
    }
  }

  run(): ExportResult {
    const containers = this.objects.filter((o) => o.type === 'report' || o.type === 'grouping');
    const container = containers[0];
    if (containers.length > 1) {
      this.issues.push(
        issue(
          'warning',
          'MISP_EXPORT_SEVERAL_CONTAINERS',
          `/${this.objects.indexOf(containers[1] as StixObject)}`,
          `${containers.length} reports/groupings: merged into one event named after the first`,
        ),
      );
    }
    this.objects.forEach((o, i) => this.exportObject(o, `/${i}`));
    this.relationships();
    this.sightings();
    if (container !== undefined) this.links(container);
    const event = this.event(container);
    return { output: `${JSON.stringify({ Event: event }, null, 2)}\n`, issues: this.issues };
  }

  private warn(code: OutcomeCode, path: string, message: string, objectId?: string): void {
    this.issues.push(issue('warning', code, path, message, objectId));
  }

  private info(code: OutcomeCode, path: string, message: string, objectId?: string): void {
    this.issues.push(issue('info', code, path, message, objectId));
  }

  private exportObject(o: StixObject, ptr: string): void {
    if (o['revoked'] === true) {
      this.info('MISP_EXPORT_REVOKED_SKIPPED', ptr, 'revoked object not exported', o.id);
      return;
    }
    const template = templateObject(o);
    if (template !== undefined) {
      // An SDO the importer made from a MISP object (identity templates, geolocation, script): that object again.
      this.emitResolved(o, { kind: 'object', type: template.name, relations: template.relations, unmapped: template.unmapped }, false, ptr);
      return;
    }
    switch (o.type) {
      case 'indicator':
        return this.indicator(o, ptr);
      case 'observed-data':
        return this.observedData(o, ptr);
      case 'note':
        return this.note(o);
      case 'x-misp-attribute':
        return this.customAttribute(o, ptr);
      case 'x-misp-object':
        return this.customObject(o, ptr);
      case 'vulnerability': {
        const cve = externalId(o, 'cve');
        this.attribute(o, 'vulnerability', cve ?? stringProp(o, 'name') ?? '', false);
        return;
      }
      case 'campaign':
        this.attribute(o, 'campaign-name', stringProp(o, 'name') ?? '', false);
        return;
      default:
        if (GALAXY_SDOS.has(o.type)) {
          const tag = galaxyTag(o);
          if (tag !== undefined && !this.eventTags.includes(tag)) this.eventTags.push(tag);
          const cluster = galaxyCluster(o);
          if (cluster !== undefined) this.clusters.push(cluster);
          return;
        }
        if (SCO_TYPES.has(o.type)) {
          if (!this.consumedScos.has(o.id)) this.standaloneSco(o, ptr);
          return;
        }
        if (this.sdoObject(o, ptr)) return;
        if (!CONSUMED.has(o.type)) {
          this.warn('MISP_EXPORT_UNSUPPORTED', ptr, `${o.type} has no MISP equivalent: not exported`, o.id);
        }
    }
  }

  /**
   * A location, malware-analysis or unreferenced identity → its MISP object (misp-stix's mapping of other
   * producers' SDOs). An identity another object points to (a producer, a sector) stays the event's context.
   */
  private sdoObject(o: StixObject, ptr: string): boolean {
    if (o.type === 'identity' && this.referenced.has(o.id)) return false;
    const r = sdoAsObject(o);
    if (r === undefined) return false;
    this.emitResolved(o, { kind: 'object', type: r.name, relations: r.relations, unmapped: r.unmapped }, false, ptr);
    return true;
  }

  // ---- indicators -------------------------------------------------------------------------------------------

  private indicator(o: StixObject, ptr: string): void {
    const pattern = stringProp(o, 'pattern') ?? '';
    const patternType = stringProp(o, 'pattern_type') ?? 'stix';
    if (patternType !== 'stix') {
      if (RULE_LANGUAGES.has(patternType)) {
        this.attribute(o, patternType, pattern, true);
      } else {
        this.warn(
          'MISP_EXPORT_PATTERN_TYPE',
          `${ptr}/pattern_type`,
          `pattern_type "${patternType}" has no MISP attribute type: kept as a text attribute`,
          o.id,
        );
        this.attribute(o, 'text', pattern, true);
      }
      return;
    }
    const observations = readSimplePattern(pattern);
    if (observations === undefined || observations.length !== 1 || observations[0] === undefined) {
      if (this.alternatives(o, pattern, ptr)) return;
      this.stix2Pattern(
        o,
        pattern,
        ptr,
        observations === undefined ? 'pattern uses operators MISP cannot express' : 'pattern has several observations',
      );
      return;
    }
    const resolved = resolve(observations[0], hints(o));
    if (resolved === undefined) {
      this.stix2Pattern(o, pattern, ptr, 'pattern paths have no MISP attribute or object mapping');
      return;
    }
    this.emitResolved(o, resolved, true, ptr);
  }

  /** `[a OR b] OR [c]` of single values: one to_ids attribute per alternative (each matches on its own). */
  private alternatives(o: StixObject, pattern: string, ptr: string): boolean {
    const list = readAlternatives(pattern);
    if (list === undefined || list.length < 2) return false;
    const resolved = list.map((c) => resolve([c], {}));
    if (resolved.some((r) => r === undefined || r.kind !== 'attribute')) return false;
    this.info('MISP_EXPORT_PATTERN_ALTERNATIVES', `${ptr}/pattern`, `pattern ORs ${list.length} single values: one attribute each`, o.id);
    resolved.forEach((r, i) => {
      if (r !== undefined) this.emitResolved(o, r, true, ptr, `alternative ${i}`);
    });
    return true;
  }

  private stix2Pattern(o: StixObject, pattern: string, ptr: string, why: string): void {
    this.warn('MISP_EXPORT_RAW_PATTERN', `${ptr}/pattern`, `${why}: kept as a stix2-pattern object`, o.id);
    this.emitResolved(
      o,
      {
        kind: 'object',
        type: 'stix2-pattern',
        relations: [
          { relation: 'stix2-pattern', type: 'stix2-pattern', value: pattern },
          { relation: 'version', type: 'text', value: 'stix 2.1' },
        ],
      },
      true,
      ptr,
    );
  }

  private emitResolved(o: StixObject, r: Resolved, toIds: boolean, ptr: string, uuidSeed?: string): void {
    const uuid = uuidSeed === undefined ? uuidOf(o.id) : uuidV5(`${o.id}\u0000${uuidSeed}`, GATEWAY_ID_NAMESPACE);
    if (r.kind === 'attribute') {
      this.attribute(o, r.type, r.value, toIds, uuid);
      return;
    }
    const ts = timestampToEpoch(stringProp(o, 'modified') ?? '') ?? '0';
    const category = categoryOf(o);
    const attrs = r.relations.map((rel) => ({
      uuid: uuidV5(`${uuid}\u0000${rel.relation}\u0000${rel.value}`, GATEWAY_ID_NAMESPACE),
      object_relation: rel.relation,
      type: rel.type,
      category: category ?? defaultCategory(rel.type),
      to_ids: toIds,
      value: rel.value,
      timestamp: ts,
      distribution: '5',
      disable_correlation: false,
      comment: '',
    }));
    const unmapped = r.unmapped ?? [];
    if (unmapped.length > 0) {
      this.warn(
        'MISP_EXPORT_VALUE_UNMAPPED',
        ptr,
        `${r.type} object: no relation holds ${unmapped.join('; ').slice(0, 1000)}; kept in the object comment`,
        o.id,
      );
    }
    const description = commentOf(
      o,
      r.relations.map((x) => x.value),
    );
    const comment = [
      ...(description === '' ? [] : [description]),
      ...(unmapped.length > 0 ? [`unmapped STIX: ${unmapped.join('; ')}`] : []),
    ];
    const obj: Json = {
      uuid,
      name: r.type,
      'meta-category': OBJECT_META_CATEGORY[r.type] ?? 'misc',
      timestamp: ts,
      distribution: '5',
      comment: comment.join('\n'),
      Attribute: attrs,
      ObjectReference: [],
    };
    const chain = killChainTags(o);
    if (chain.length > 0) obj['Tag'] = chain.map((name) => ({ name }));
    this.mispObjects.push(obj);
    if (!this.placed.has(o.id)) this.placed.set(o.id, { object: obj });
  }

  private attribute(o: StixObject, type: string, value: string, toIds: boolean, uuid?: string): void {
    const a: Json = {
      uuid: uuid ?? uuidOf(o.id),
      type,
      category: categoryOf(o) ?? defaultCategory(type),
      to_ids: toIds,
      value,
      timestamp: timestampToEpoch(stringProp(o, 'modified') ?? stringProp(o, 'created') ?? '') ?? '0',
      distribution: '5',
      disable_correlation: false,
      comment: commentOf(o, [value]),
    };
    const created = stringProp(o, 'created');
    const validFrom = stringProp(o, 'valid_from') ?? stringProp(o, 'first_observed');
    if (validFrom !== undefined && created !== undefined && validFrom !== created) a['first_seen'] = validFrom;
    const validUntil = stringProp(o, 'valid_until');
    if (validUntil !== undefined) a['last_seen'] = validUntil;
    const tags = [...plainLabels(o), ...killChainTags(o)].map((name) => ({ name }));
    if (typeof o['confidence'] === 'number') tags.push({ name: `misp:confidence-level="${confidenceLevelFor(o['confidence'])}"` });
    if (tags.length > 0) a['Tag'] = tags;
    this.attributes.push(a);
    if (!this.placed.has(o.id)) this.placed.set(o.id, { attribute: a });
  }

  // ---- observed-data and notes ------------------------------------------------------------------------------

  private observedData(o: StixObject, ptr: string): void {
    const scos = this.scosOf(o);
    const referenced = new Set<string>();
    for (const s of scos.values()) for (const r of refsOf(s)) referenced.add(r);
    const roots = [...scos.entries()].filter(([key]) => !referenced.has(key));
    const hint = hints(o);
    roots.forEach(([key, sco], n) => {
      const comparisons = flatten(sco, scos);
      const resolved = resolve(comparisons, n === 0 ? hint : {});
      if (resolved === undefined) this.observableAsPattern(o, sco, comparisons, `${ptr}/object_refs`, n === 0 ? undefined : key);
      else this.emitResolved(o, resolved, false, ptr, n === 0 ? undefined : key);
    });
    if (roots.length === 0) this.warn('MISP_EXPORT_UNMAPPED_OBSERVABLE', ptr, 'observed-data without resolvable observables', o.id);
  }

  /** An SCO outside any observed-data: exported like an observation (to_ids false). */
  private standaloneSco(o: StixObject, ptr: string): void {
    const scos = new Map<string, StixObject>([[o.id, o]]);
    for (const r of refsOf(o)) {
      const target = this.byId.get(r);
      if (target !== undefined) scos.set(r, target);
    }
    const comparisons = flatten(o, scos);
    const resolved = resolve(comparisons, {});
    if (resolved === undefined) this.observableAsPattern(o, o, comparisons, ptr);
    else this.emitResolved(o, resolved, false, ptr);
  }

  /** An observable no MISP type holds: kept as the pattern that matches it (a `stix2-pattern` object, to_ids false). */
  private observableAsPattern(o: StixObject, sco: StixObject, comparisons: readonly Comparison[], ptr: string, uuidSeed?: string): void {
    if (comparisons.length === 0) {
      this.warn('MISP_EXPORT_UNMAPPED_OBSERVABLE', ptr, `${sco.type} observable has no property to export`, o.id);
      return;
    }
    const pattern = renderPattern(comparisons);
    this.warn(
      'MISP_EXPORT_RAW_PATTERN',
      ptr,
      `${sco.type} observable has no MISP attribute or object mapping: kept as a stix2-pattern object`,
      o.id,
    );
    const relations = [
      { relation: 'stix2-pattern', type: 'stix2-pattern', value: pattern },
      { relation: 'version', type: 'text', value: 'stix 2.1' },
    ];
    this.emitResolved(o, { kind: 'object', type: 'stix2-pattern', relations }, false, ptr, uuidSeed);
  }

  /** The SCOs of an observed-data: top-level ones through object_refs, or the embedded `objects` dictionary. */
  private scosOf(o: StixObject): Map<string, StixObject> {
    const out = new Map<string, StixObject>();
    const embedded = o['objects'];
    if (typeof embedded === 'object' && embedded !== null && !Array.isArray(embedded)) {
      for (const [k, v] of Object.entries(embedded as Record<string, unknown>)) {
        if (isJson(v) && typeof v['type'] === 'string') out.set(k, { ...v, type: v['type'], id: k });
      }
      return out;
    }
    const refs = Array.isArray(o['object_refs']) ? o['object_refs'] : [];
    for (const r of refs) {
      if (typeof r !== 'string') continue;
      const sco = this.byId.get(r);
      if (sco !== undefined) out.set(r, sco);
    }
    return out;
  }

  private note(o: StixObject): void {
    if (labelsOf(o).includes('misp:data-layer="Event Report"') && typeof o['content'] === 'string') {
      // A MISP event report (the importer's note) goes back to being one.
      this.eventReports.push(eventReport(uuidOf(o.id), stringProp(o, 'abstract') ?? 'Event report', o['content'], o));
      return;
    }
    const hint = hints(o);
    const content = stringProp(o, 'content') ?? '';
    // The importer writes notes for values that could not be observables; their `misp:type` label keeps the type.
    const type = hint.type ?? 'text';
    this.attribute(o, type, content, false);
  }

  /** An `x-misp-attribute` (misp-stix's custom object for types STIX has no object for) → the attribute it holds. */
  private customAttribute(o: StixObject, ptr: string): void {
    const type = stringProp(o, 'x_misp_type') ?? hints(o).type;
    const value = stringProp(o, 'x_misp_value');
    if (type === undefined || value === undefined) {
      this.warn('MISP_EXPORT_UNSUPPORTED', ptr, 'x-misp-attribute without x_misp_type or x_misp_value: not exported', o.id);
      return;
    }
    this.attribute(o, type, value, labelsOf(o).includes('misp:to_ids="True"'));
  }

  /** An `x-misp-object` → the MISP object with its attributes (relation, type, value, category, to_ids, comment). */
  private customObject(o: StixObject, ptr: string): void {
    const name = stringProp(o, 'x_misp_name') ?? hints(o).name;
    const list = Array.isArray(o['x_misp_attributes']) ? o['x_misp_attributes'].filter(isJson) : [];
    const relations = list.flatMap((a) => {
      const relation = typeof a['object_relation'] === 'string' ? a['object_relation'] : undefined;
      const type = typeof a['type'] === 'string' ? a['type'] : undefined;
      const value = typeof a['value'] === 'string' ? a['value'] : undefined;
      return relation === undefined || type === undefined || value === undefined ? [] : [{ relation, type, value }];
    });
    if (name === undefined || relations.length === 0) {
      this.warn('MISP_EXPORT_UNSUPPORTED', ptr, 'x-misp-object without x_misp_name or attributes: not exported', o.id);
      return;
    }
    this.emitResolved(o, { kind: 'object', type: name, relations }, labelsOf(o).includes('misp:to_ids="True"'), ptr);
  }

  // ---- relationships, sightings, links ----------------------------------------------------------------------

  private relationships(): void {
    let dropped = 0;
    for (const r of this.objects) {
      if (r.type !== 'relationship') continue;
      const source = this.placed.get(stringProp(r, 'source_ref') ?? '');
      const targetObject = this.byId.get(stringProp(r, 'target_ref') ?? '');
      const target = this.placed.get(stringProp(r, 'target_ref') ?? '');
      const relType = stringProp(r, 'relationship_type') ?? 'related-to';
      if (source !== undefined && targetObject !== undefined && GALAXY_SDOS.has(targetObject.type)) {
        const tag = galaxyTag(targetObject);
        const holder = source.attribute ?? source.object;
        if (tag !== undefined && holder !== undefined) {
          const tags = Array.isArray(holder['Tag']) ? (holder['Tag'] as unknown[]) : [];
          tags.push({ name: tag });
          holder['Tag'] = tags;
          // The attribute (an object's first attribute) also lists the cluster, so the link reads back as a relationship.
          const cluster = galaxyCluster(targetObject);
          const first = Array.isArray(source.object?.['Attribute']) ? source.object['Attribute'].find(isJson) : undefined;
          const clusterHolder = source.attribute ?? first;
          if (cluster !== undefined && clusterHolder !== undefined) attachCluster(clusterHolder, cluster);
          continue;
        }
      }
      if (source?.object !== undefined && target !== undefined) {
        const refs = source.object['ObjectReference'];
        const referenced = target.object ?? target.attribute;
        if (Array.isArray(refs) && referenced !== undefined) {
          refs.push({
            uuid: uuidOf(r.id),
            object_uuid: source.object['uuid'],
            referenced_uuid: referenced['uuid'],
            relationship_type: relType,
            comment: stringProp(r, 'description') ?? '',
          });
          continue;
        }
      }
      dropped++;
    }
    if (dropped > 0)
      this.info('MISP_EXPORT_RELATIONSHIP_DROPPED', '/', `${dropped} relationship(s) between objects MISP cannot link were not exported`);
  }

  private sightings(): void {
    for (const s of this.objects) {
      if (s.type !== 'sighting') continue;
      const target = this.placed.get(stringProp(s, 'sighting_of_ref') ?? '');
      const holder =
        target?.attribute ?? (Array.isArray(target?.object?.['Attribute']) ? (target?.object?.['Attribute'] as Json[])[0] : undefined);
      if (holder === undefined) {
        this.info('MISP_EXPORT_SIGHTING_DROPPED', '/', 'sighting of an object that was not exported', s.id);
        continue;
      }
      const list = Array.isArray(holder['Sighting']) ? (holder['Sighting'] as unknown[]) : [];
      const where = Array.isArray(s['where_sighted_refs']) ? this.byId.get(String(s['where_sighted_refs'][0])) : undefined;
      const sighting: Json = {
        uuid: uuidOf(s.id),
        type: '0',
        date_sighting: timestampToEpoch(stringProp(s, 'first_seen') ?? stringProp(s, 'created') ?? '') ?? '0',
        source: '',
      };
      if (where !== undefined && stringProp(where, 'name') !== undefined) {
        sighting['Organisation'] = { name: stringProp(where, 'name'), uuid: uuidOf(where.id) };
      }
      list.push(sighting);
      holder['Sighting'] = list;
    }
  }

  private links(container: StixObject): void {
    const refs = Array.isArray(container['external_references']) ? container['external_references'] : [];
    const exported = new Set(this.attributes.filter((a) => a['type'] === 'link').map((a) => a['value']));
    for (const ref of refs) {
      if (!isJson(ref) || typeof ref['url'] !== 'string') continue;
      // A link the importer also wrote as a url observable is already an attribute.
      if (exported.has(ref['url'])) continue;
      this.attributes.push({
        uuid: uuidV5(`${container.id}\u0000link\u0000${ref['url']}`, GATEWAY_ID_NAMESPACE),
        type: 'link',
        category: 'External analysis',
        to_ids: false,
        value: ref['url'],
        timestamp: timestampToEpoch(stringProp(container, 'modified') ?? '') ?? '0',
        distribution: '5',
        disable_correlation: false,
        comment: typeof ref['description'] === 'string' ? ref['description'] : '',
      });
    }
  }

  // ---- event ------------------------------------------------------------------------------------------------

  private event(container: StixObject | undefined): Json {
    const stamps = this.objects
      .map((o) => stringProp(o, 'modified') ?? stringProp(o, 'created'))
      .filter((t): t is string => t !== undefined && isTimestamp(t));
    const latest = stamps.reduce<string | undefined>((a, b) => (a === undefined || compareTimestamps(b, a) > 0 ? b : a), undefined);
    const modified = (container === undefined ? undefined : stringProp(container, 'modified')) ?? latest ?? '1970-01-01T00:00:00Z';
    const created = (container === undefined ? undefined : stringProp(container, 'created')) ?? modified;
    const uuid =
      container !== undefined
        ? uuidOf(container.id)
        : uuidV5(
            this.objects
              .map((o) => o.id)
              .sort()
              .join(','),
            GATEWAY_ID_NAMESPACE,
          );
    const tags: Json[] = [];
    const level = strictestTlp(
      this.objects.flatMap((o) =>
        Array.isArray(o['object_marking_refs']) ? o['object_marking_refs'].filter((m): m is string => typeof m === 'string') : [],
      ),
    );
    if (level !== undefined) tags.push({ name: `tlp:${level}` });
    if (container !== undefined) {
      for (const l of plainLabels(container)) tags.push({ name: l });
      if (typeof container['confidence'] === 'number')
        tags.push({ name: `misp:confidence-level="${confidenceLevelFor(container['confidence'])}"` });
    }
    for (const t of this.eventTags) if (!tags.some((x) => x['name'] === t)) tags.push({ name: t });
    const event: Json = {
      uuid,
      info: (container === undefined ? undefined : stringProp(container, 'name')) ?? this.options.eventInfo ?? 'STIX 2.1 export',
      date: (container === undefined ? undefined : stringProp(container, 'x_misp_date')) ?? created.slice(0, 10),
      timestamp: timestampToEpoch(modified) ?? '0',
      published: container?.type === 'report',
      threat_level_id:
        reverseLookup(THREAT_LEVELS, container === undefined ? undefined : stringProp(container, 'x_misp_threat_level')) ?? '4',
      analysis: reverseLookup(ANALYSIS_LEVELS, container === undefined ? undefined : stringProp(container, 'x_misp_analysis')) ?? '0',
      distribution: String(this.options.distribution ?? 0),
    };
    if (container?.type === 'report' && typeof container['published'] === 'string') {
      event['publish_timestamp'] = timestampToEpoch(container['published']) ?? '0';
    }
    const orgc = this.orgc(container);
    if (orgc !== undefined) event['Orgc'] = orgc;
    event['Tag'] = tags;
    if (this.clusters.length > 0) event['Galaxy'] = galaxyList(this.clusters);
    const description = container === undefined ? undefined : stringProp(container, 'description');
    if (container !== undefined && description !== undefined && description.trim() !== '') {
      // MISP events have no description: the report's own is kept as an event report.
      const uuid = uuidV5(`${container.id}\u0000description`, GATEWAY_ID_NAMESPACE);
      this.eventReports.unshift(eventReport(uuid, `${container.type} description`, description, container));
    }
    if (this.eventReports.length > 0) event['EventReport'] = this.eventReports;
    event['Attribute'] = this.attributes;
    event['Object'] = this.mispObjects;
    return event;
  }

  private orgc(container: StixObject | undefined): Json | undefined {
    const ref = container === undefined ? undefined : stringProp(container, 'created_by_ref');
    const producer = ref ?? this.objects.map((o) => stringProp(o, 'created_by_ref')).find((r) => r !== undefined);
    const identity = producer === undefined ? undefined : this.byId.get(producer);
    const name = (identity === undefined ? undefined : stringProp(identity, 'name')) ?? this.options.orgName;
    if (name === undefined) return undefined;
    const uuid =
      producer !== undefined && identity !== undefined
        ? uuidOf(producer)
        : uuidV5(`organization\u0000${name.toLowerCase()}`, GATEWAY_ID_NAMESPACE);
    return { name, uuid };
  }
}

// ---- helpers ------------------------------------------------------------------------------------------------

function stringProp(o: Json, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

function uuidOf(id: string): string {
  return parseStixId(id)?.uuid ?? uuidV5(id, GATEWAY_ID_NAMESPACE);
}

function labelsOf(o: Json): string[] {
  return Array.isArray(o['labels']) ? o['labels'].filter((l): l is string => typeof l === 'string') : [];
}

/** Labels that are not the importer's own `misp:type/name/category/meta-category` hints. */
function plainLabels(o: Json): string[] {
  return labelsOf(o).filter((l) => !/^misp:(?:type|name|category|meta-category|to_ids)="/.test(l));
}

function hints(o: Json): { type?: string; name?: string } {
  const out: { type?: string; name?: string } = {};
  for (const l of labelsOf(o)) {
    const m = /^misp:(type|name)="([^"]{1,100})"$/.exec(l);
    if (m?.[1] === 'type' && m[2] !== undefined) out.type = m[2];
    if (m?.[1] === 'name' && m[2] !== undefined) out.name = m[2];
  }
  return out;
}

/** The MISP category: a misp-category kill-chain phase, else a `misp:category` label. */
function categoryOf(o: Json): string | undefined {
  const phases = Array.isArray(o['kill_chain_phases']) ? o['kill_chain_phases'] : [];
  for (const p of phases) {
    if (isJson(p) && p['kill_chain_name'] === 'misp-category' && typeof p['phase_name'] === 'string') {
      const name = p['phase_name'];
      const found = MISP_CATEGORIES.find((c) => c.toLowerCase().replace(/[^a-z0-9]+/g, '-') === name.toLowerCase() || c === name);
      if (found !== undefined) return found;
    }
  }
  for (const l of labelsOf(o)) {
    const m = /^misp:category="([^"]{1,60})"$/.exec(l)?.[1];
    if (m !== undefined && MISP_CATEGORIES.includes(m)) return m;
  }
  return undefined;
}

function externalId(o: Json, source: string): string | undefined {
  const refs = Array.isArray(o['external_references']) ? o['external_references'] : [];
  for (const r of refs) if (isJson(r) && r['source_name'] === source && typeof r['external_id'] === 'string') return r['external_id'];
  return undefined;
}

/** Kill-chain phases other than the MISP category, as `stix:kill-chain-phase="<chain>:<phase>"` tags (read back by the importer). */
function killChainTags(o: Json): string[] {
  const phases = Array.isArray(o['kill_chain_phases']) ? o['kill_chain_phases'].filter(isJson) : [];
  return phases.flatMap((p) =>
    typeof p['kill_chain_name'] === 'string' && typeof p['phase_name'] === 'string' && p['kill_chain_name'] !== 'misp-category'
      ? [`stix:kill-chain-phase="${`${p['kill_chain_name']}:${p['phase_name']}`.replace(/"/g, "'")}"`]
      : [],
  );
}

/**
 * The MISP comment of an exported object: its description (or a note's abstract, or the importer's
 * x_misp_comment); else its name when the name is not one of the values (`File hash for malware variant`); then
 * its external references, one `reference:` line each (MISP attributes have no place for either).
 */
function commentOf(o: Json, values: readonly string[]): string {
  const description = stringProp(o, 'description') ?? stringProp(o, 'abstract') ?? stringProp(o, 'x_misp_comment');
  // The importer names its indicators after the MISP value or template (`email object`): not a producer's name.
  const hinted = hints(o).type !== undefined || hints(o).name !== undefined;
  const name = hinted ? undefined : stringProp(o, 'name');
  const lines = description !== undefined ? [description] : name !== undefined && !values.includes(name) ? [name] : [];
  const refs = Array.isArray(o['external_references']) ? o['external_references'].filter(isJson) : [];
  for (const r of refs) {
    const parts = ['source_name', 'external_id', 'url', 'description'].flatMap((k) => (typeof r[k] === 'string' ? [r[k]] : []));
    if (parts.length > 0) lines.push(`reference: ${parts.join(' ')}`);
  }
  return lines.join('\n');
}

/** A MISP event report (markdown write-up) carrying a text of the STIX content. */
function eventReport(uuid: string, name: string, content: string, from: Json): Json {
  return {
    uuid,
    name,
    content,
    timestamp: timestampToEpoch(stringProp(from, 'modified') ?? stringProp(from, 'created') ?? '') ?? '0',
    distribution: '5',
  };
}

/** Adds a galaxy cluster to an attribute's `Galaxy` list (its galaxy created when missing). */
function attachCluster(attribute: Json, c: { galaxyType: string; cluster: Json }): void {
  const existing = Array.isArray(attribute['Galaxy']) ? attribute['Galaxy'].filter(isJson) : [];
  const clusters = existing.flatMap((g) =>
    Array.isArray(g['GalaxyCluster'])
      ? g['GalaxyCluster'].filter(isJson).map((cluster) => ({ galaxyType: String(g['type']), cluster }))
      : [],
  );
  attribute['Galaxy'] = galaxyList([...clusters, c]);
}

function reverseLookup(table: Readonly<Record<string, string>>, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Object.entries(table).find(([, v]) => v === value)?.[0];
}
