/**
 * STIX 1.0–1.2 XML → STIX 2.1 (the elevator's mapping, docs/mapping/stix1.md). Pure: text in, objects and issues out.
 *
 * - Indicators (Observable patterns, compositions, Composite_Indicator_Expression) → indicator with a
 *   STIX pattern; Snort/YARA Test_Mechanisms → indicators with pattern_type snort/yara.
 * - Top-level Observables and Incident Related_Observables (instances) → observed-data + SCOs.
 * - TTP Malware → malware, TTP Attack_Pattern → attack-pattern, Indicated_TTP → `indicates`.
 * - Incident → incident (+ `related-to` relationships); the package → report.
 * - Handling: TLP → TLP 2.0 marking ids, Terms of Use / Simple / AIS consent → statement markings.
 * - Ids keep the UUID of the STIX 1 id (`NCCIC:indicator-c51b…` → `indicator--c51b…`), else derivedId.
 */
import { issue, type ContentIssue } from '../../stix/issues';
import { tlp2IdFor } from '../../stix/markings';
import type { TlpLevel } from '../../stix/markings';
import { derivedId, indicator, organizationIdentity } from '../common/stix-builders';
import { type XmlElement, attr, child, children, childPath, descendants, parseXml, textOf, xsiType } from '../common/xml';
import type { ImportOptions, ImportResult, StixObject } from '../types';
import { extractFacts, type Fact } from './cybox-objects';
import { factToExpr, factsToScos } from './facts';
import { AIS_NS_PREFIX, NS } from './namespaces';
import { combine, type Expr, renderPattern } from './pattern-tree';
import { toStixTimestamp } from './timestamps';
import { CONFIDENCE_MAP, INDICATOR_TYPE_MAP, KILL_CHAIN_NAMES } from './vocab';

const FORMAT = 'STIX 1.x';
const MAX_DEPTH = 32;
const UUID_TAIL = /([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

interface PackageCtx {
  readonly el: XmlElement;
  readonly id: string | undefined;
  readonly timestamp: string;
  readonly markings: readonly string[];
  readonly createdBy: string | undefined;
  /** STIX 2.1 ids produced from this package (for its report). */
  readonly produced: string[];
}

class Converter {
  readonly issues: ContentIssue[] = [];
  readonly objects = new Map<string, StixObject>();
  readonly index = new Map<string, XmlElement>();
  /** STIX 1 TTP id → STIX 2.1 id of what it became. */
  readonly ttpIds = new Map<string, string>();
  readonly done = new Set<XmlElement>();
  indicators = 0;
  observables = 0;
  skipped = 0;
  zoneWarned = false;

  constructor(readonly options: ImportOptions) {}

  add(o: StixObject, pkg?: PackageCtx): void {
    if (!this.objects.has(o.id)) {
      this.objects.set(o.id, o);
      if (pkg !== undefined && o.type !== 'identity' && o.type !== 'marking-definition' && !isSco(o.type)) pkg.produced.push(o.id);
    }
  }

  time(text: string | undefined, at: string): string | undefined {
    const t = toStixTimestamp(text);
    if (t === undefined) {
      if (text !== undefined && text.trim() !== '') this.issues.push(issue('warning', 'STIX1_TIMESTAMP_INVALID', at, `unreadable timestamp '${text.slice(0, 60)}'`));
      return undefined;
    }
    if (t.assumedUtc && !this.zoneWarned) {
      this.zoneWarned = true;
      this.issues.push(issue('info', 'STIX1_TIMESTAMP_NO_ZONE', at, 'timestamps without a time zone are taken as UTC'));
    }
    return t.value;
  }

  /** The STIX 2.1 id of a STIX 1 construct: keep the UUID of its id, else derive one. */
  stixId(type: string, stix1Id: string | undefined, ...fallback: string[]): string {
    if (stix1Id !== undefined) {
      const m = UUID_TAIL.exec(stix1Id.trim());
      if (m?.[1] !== undefined) return `${type}--${m[1].toLowerCase()}`;
      return derivedId(type, 'stix1', stix1Id.trim());
    }
    return derivedId(type, 'stix1', ...fallback);
  }

  resolve(el: XmlElement): XmlElement | undefined {
    const ref = attr(el, 'idref');
    if (ref === undefined) return el;
    if (el.children.length > 0 && attr(el, 'id') === undefined) {
      // Some producers write an idref and inline content; the content wins.
    }
    const target = this.index.get(ref);
    if (target === undefined) {
      this.issues.push(issue('warning', 'STIX1_UNRESOLVED_IDREF', el.path, `idref '${ref.slice(0, 120)}' does not resolve to a construct in this package`));
    }
    return target;
  }

  identity(identityEl: XmlElement | undefined, created: string): string | undefined {
    if (identityEl === undefined) return undefined;
    const name = textOf(child(identityEl, undefined, 'Name')) ?? textOf(childPath(identityEl, undefined, 'Specification', 'PartyName', 'OrganisationName', 'NameElement'));
    if (name === undefined) return undefined;
    const o = organizationIdentity(name, created);
    this.add(o);
    return o.id;
  }

  markings(handling: XmlElement | undefined, created: string): string[] {
    if (handling === undefined) return [];
    const ids: string[] = [];
    for (const marking of children(handling, NS.marking, 'Marking')) {
      for (const ms of children(marking, NS.marking, 'Marking_Structure')) {
        const t = xsiType(ms);
        if (t?.ns === NS.tlp) {
          const level = tlpLevel(attr(ms, 'color'));
          if (level === undefined) this.issues.push(issue('warning', 'STIX1_MARKING_UNSUPPORTED', ms.path, `unknown TLP color '${attr(ms, 'color') ?? ''}'`));
          else ids.push(tlp2IdFor(level));
        } else if (t?.ns === NS.termsOfUse) {
          const text = textOf(child(ms, NS.termsOfUse, 'Terms_Of_Use'));
          if (text !== undefined) ids.push(this.statement(text, created));
        } else if (t?.ns === NS.simple) {
          const text = textOf(child(ms, NS.simple, 'Statement'));
          if (text !== undefined) ids.push(this.statement(text, created));
        } else if (t !== undefined && t.ns.startsWith(AIS_NS_PREFIX)) {
          const prop = child(ms, undefined, 'Not_Proprietary') ?? child(ms, undefined, 'Is_Proprietary');
          const level = tlpLevel(attr(child(prop ?? ms, undefined, 'TLPMarking') ?? ms, 'color'));
          if (level !== undefined) ids.push(tlp2IdFor(level));
          const consent = attr(child(prop ?? ms, undefined, 'AISConsent') ?? ms, 'consent');
          if (consent !== undefined) ids.push(this.statement(`AIS consent: ${consent.toUpperCase()}${prop?.local === 'Is_Proprietary' ? ' (proprietary)' : ''}`, created));
          this.issues.push(issue('info', 'STIX1_AIS_MARKING', ms.path, 'AIS marking mapped to its TLP color plus a consent statement'));
        } else {
          this.issues.push(
            issue('warning', 'STIX1_MARKING_UNSUPPORTED', ms.path, `marking structure ${t === undefined ? '(no xsi:type)' : `${t.ns}#${t.local}`} is not mapped`),
          );
        }
      }
    }
    return [...new Set(ids)];
  }

  statement(text: string, created: string): string {
    const id = derivedId('marking-definition', 'statement', text);
    this.add({
      type: 'marking-definition',
      spec_version: '2.1',
      id,
      created,
      definition_type: 'statement',
      definition: { statement: text },
    });
    return id;
  }

  // ---------------------------------------------------------------- patterns

  objectExpr(objEl: XmlElement, objectId: string | undefined, depth: number): Expr | undefined {
    const obj = this.resolve(objEl);
    if (obj === undefined || depth > MAX_DEPTH) return undefined;
    const parts: Expr[] = [];
    const props = child(obj, NS.cybox, 'Properties');
    if (props !== undefined) {
      const e = this.propertiesExpr(props, objectId);
      if (e !== undefined) parts.push(e);
    }
    for (const rel of descendantsShallow(obj, 'Related_Object')) {
      const e = this.objectExpr(rel, objectId, depth + 1);
      if (e !== undefined) {
        parts.push(e);
        this.issues.push(issue('info', 'STIX1_RELATED_OBJECT_FLATTENED', rel.path, 'related object joined with AND (the relationship kind is not kept)', objectId));
      }
    }
    return combine('and', parts);
  }

  propertiesExpr(props: XmlElement, objectId: string | undefined): Expr | undefined {
    const { facts, unmapped, typeName } = extractFacts(props);
    if (typeName === undefined) {
      const t = xsiType(props);
      this.issues.push(
        issue('warning', 'STIX1_OBJECT_UNSUPPORTED', props.path, `CybOX object type ${t === undefined ? '(none)' : t.local} has no STIX 2.1 pattern mapping`, objectId),
      );
      return undefined;
    }
    if (unmapped.length > 0) {
      this.issues.push(issue('info', 'STIX1_PROPERTY_UNMAPPED', props.path, `${typeName} properties not mapped: ${[...new Set(unmapped)].join(', ')}`, objectId));
    }
    const parts: Expr[] = [];
    for (const f of facts) {
      const e = factToExpr(f, this.issues, objectId);
      if (e !== undefined) parts.push(e);
    }
    return combine('and', parts);
  }

  observableExpr(obsEl: XmlElement, objectId: string | undefined, depth: number): Expr | undefined {
    const obs = this.resolve(obsEl);
    if (obs === undefined || depth > MAX_DEPTH) return undefined;
    let e: Expr | undefined;
    const comp = child(obs, NS.cybox, 'Observable_Composition');
    const obj = child(obs, NS.cybox, 'Object');
    if (comp !== undefined) {
      const op = (attr(comp, 'operator') ?? 'AND').toUpperCase() === 'OR' ? 'or' : 'and';
      const parts: Expr[] = [];
      for (const c of children(comp, NS.cybox, 'Observable')) {
        const ce = this.observableExpr(c, objectId, depth + 1);
        if (ce !== undefined) parts.push(ce);
        else if (op === 'and') this.issues.push(issue('warning', 'STIX1_COMPOSITION_PARTIAL', c.path, 'a term of an AND composition could not be mapped; the pattern is broader than the original', objectId));
      }
      e = combine(op, parts);
    } else if (obj !== undefined) {
      e = this.objectExpr(obj, objectId, depth + 1);
    } else if (child(obs, NS.cybox, 'Event') !== undefined) {
      this.issues.push(issue('warning', 'STIX1_OBJECT_UNSUPPORTED', obs.path, 'CybOX Event observables have no STIX 2.1 pattern mapping', objectId));
    }
    if (e !== undefined && attr(obs, 'negate') === 'true') {
      if (e.kind === 'cmp') e = { ...e, negated: !e.negated };
      else this.issues.push(issue('warning', 'STIX1_NEGATE_LOST', obs.path, 'negate on a composite observable cannot be expressed (NOT applies to comparisons only)', objectId));
    }
    return e;
  }

  indicatorExpr(ind: XmlElement, objectId: string | undefined, depth: number, visiting: Set<XmlElement>): Expr | undefined {
    if (depth > MAX_DEPTH || visiting.has(ind)) {
      this.issues.push(issue('warning', 'STIX1_COMPOSITION_CYCLE', ind.path, 'indicator composition is cyclic or too deep', objectId));
      return undefined;
    }
    visiting.add(ind);
    try {
      const obs = child(ind, NS.indicator, 'Observable');
      if (obs !== undefined) return this.observableExpr(obs, objectId, depth + 1);
      const cie = child(ind, NS.indicator, 'Composite_Indicator_Expression');
      if (cie !== undefined) {
        const op = (attr(cie, 'operator') ?? 'AND').toUpperCase() === 'OR' ? 'or' : 'and';
        const parts: Expr[] = [];
        for (const c of children(cie, NS.indicator, 'Indicator')) {
          const target = this.resolve(c);
          if (target === undefined) continue;
          const e = this.indicatorExpr(target, objectId, depth + 1, visiting);
          if (e !== undefined) parts.push(e);
        }
        return combine(op, parts);
      }
      return undefined;
    } finally {
      visiting.delete(ind);
    }
  }

  // ---------------------------------------------------------------- constructs

  convertIndicator(el: XmlElement, pkg: PackageCtx): string | undefined {
    const ind = this.resolve(el);
    if (ind === undefined) return undefined;
    const stix1Id = attr(ind, 'id');
    const id = this.stixId('indicator', stix1Id, pkg.id ?? '', ind.path);
    if (this.done.has(ind)) return this.objects.has(id) ? id : undefined;
    this.done.add(ind);
    const created = this.time(attr(ind, 'timestamp'), ind.path) ?? pkg.timestamp;
    const producer = child(ind, NS.indicator, 'Producer');
    const createdBy = this.identity(child(producer ?? ind, NS.stixCommon, 'Identity'), created) ?? pkg.createdBy;
    const markings = [...new Set([...pkg.markings, ...this.markings(child(ind, NS.indicator, 'Handling'), created)])];
    const validTime = child(ind, NS.indicator, 'Valid_Time_Position');
    const validFrom = this.time(textOf(child(validTime ?? ind, NS.indicator, 'Start_Time')), validTime?.path ?? ind.path) ?? created;
    let validUntil = this.time(textOf(child(validTime ?? ind, NS.indicator, 'End_Time')), validTime?.path ?? ind.path);
    if (validUntil !== undefined && validUntil <= validFrom) {
      this.issues.push(issue('warning', 'STIX1_VALID_TIME_INVERTED', validTime?.path ?? ind.path, 'End_Time is not after Start_Time; valid_until dropped', id));
      validUntil = undefined;
    }
    const types: string[] = [];
    for (const t of children(ind, NS.indicator, 'Type')) {
      const text = textOf(t)?.replace(/\s+/g, ' ');
      if (text === undefined) continue;
      types.push(INDICATOR_TYPE_MAP[text.toLowerCase()] ?? text.toLowerCase().replace(/[^a-z0-9]+/g, '-'));
    }
    const confText = textOf(childPath(ind, undefined, 'Confidence', 'Value'));
    const confidence = confText === undefined ? undefined : CONFIDENCE_MAP[confText.toLowerCase()];
    if (confText !== undefined && confidence === undefined) {
      this.issues.push(issue('info', 'STIX1_CONFIDENCE_UNMAPPED', ind.path, `confidence '${confText}' is not on a known scale`, id));
    }
    const killChain = children(child(ind, NS.indicator, 'Kill_Chain_Phases') ?? ind, NS.stixCommon, 'Kill_Chain_Phase').flatMap((k) => {
      const phase = attr(k, 'name');
      const chain = attr(k, 'kill_chain_name');
      if (phase === undefined || chain === undefined) return [];
      return [{ kill_chain_name: KILL_CHAIN_NAMES[chain.toLowerCase()] ?? slug(chain), phase_name: slug(phase) }];
    });
    const externalReferences = children(childPath(producer ?? ind, NS.stixCommon, 'References') ?? ind, NS.stixCommon, 'Reference').flatMap((r) => {
      const url = textOf(r);
      return url === undefined ? [] : [{ source_name: textOf(childPath(producer ?? ind, undefined, 'Identity', 'Name')) ?? 'stix1-producer', url }];
    });
    if (attr(ind, 'negate') === 'true') {
      this.issues.push(issue('warning', 'STIX1_NEGATE_LOST', ind.path, 'negate="true" on an indicator is not representable in STIX 2.1 and is dropped', id));
    }
    const dropped = ['Sightings', 'Suggested_COAs', 'Related_Indicators', 'Likely_Impact', 'Related_Campaigns', 'Short_Description'].filter(
      (n) => child(ind, NS.indicator, n) !== undefined,
    );
    if (dropped.length > 0) this.issues.push(issue('info', 'STIX1_PROPERTY_DROPPED', ind.path, `indicator parts not converted: ${dropped.join(', ')}`, id));

    const base = {
      created,
      modified: created,
      valid_from: validFrom,
      valid_until: validUntil,
      name: textOf(child(ind, NS.indicator, 'Title')),
      description: textOf(child(ind, NS.indicator, 'Description')),
      indicator_types: types,
      created_by_ref: createdBy,
      object_marking_refs: markings,
      confidence,
      kill_chain_phases: killChain,
      external_references: externalReferences,
    };
    const produced: string[] = [];
    const expr = this.indicatorExpr(ind, id, 0, new Set());
    if (expr !== undefined) {
      this.add(indicator({ ...base, id, pattern: renderPattern(expr) }), pkg);
      produced.push(id);
    }
    const mechanisms = children(child(ind, NS.indicator, 'Test_Mechanisms') ?? ind, NS.indicator, 'Test_Mechanism');
    let n = 0;
    for (const tm of mechanisms) {
      const t = xsiType(tm);
      const kind = t?.ns === NS.snort ? 'snort' : t?.ns === NS.yara ? 'yara' : undefined;
      if (kind === undefined) {
        this.issues.push(issue('warning', 'STIX1_TEST_MECHANISM_UNSUPPORTED', tm.path, `test mechanism ${t?.local ?? '(no xsi:type)'} is not converted`, id));
        continue;
      }
      const rules = kind === 'snort' ? children(tm, NS.snort, 'Rule') : children(tm, NS.yara, 'Rule');
      for (const rule of rules) {
        const text = textOf(rule);
        if (text === undefined) continue;
        const ruleId = produced.length === 0 ? id : derivedId('indicator', 'stix1', stix1Id ?? ind.path, kind, String(n));
        n++;
        const tmProducer = child(tm, NS.indicator, 'Producer');
        const tmCreatedBy = this.identity(child(tmProducer ?? tm, NS.stixCommon, 'Identity'), created) ?? createdBy;
        this.add(indicator({ ...base, id: ruleId, pattern: text, pattern_type: kind, created_by_ref: tmCreatedBy }), pkg);
        produced.push(ruleId);
      }
    }
    if (produced.length === 0) {
      this.skipped++;
      this.issues.push(issue('warning', 'STIX1_INDICATOR_EMPTY', ind.path, 'indicator has no convertible observable pattern or test mechanism', id));
      return undefined;
    }
    this.indicators += produced.length;
    for (const ttpRef of children(ind, NS.indicator, 'Indicated_TTP')) {
      const ttpEl = child(ttpRef, NS.stixCommon, 'TTP');
      if (ttpEl === undefined) continue;
      const target = this.convertTtpRef(ttpEl, pkg);
      if (target === undefined) continue;
      for (const src of produced) this.relationship(src, 'indicates', target, created, pkg, markings, createdBy);
    }
    return produced[0];
  }

  relationship(source: string, type: string, target: string, created: string, pkg: PackageCtx, markings: readonly string[], createdBy?: string): void {
    const rel: Record<string, unknown> = {
      type: 'relationship',
      spec_version: '2.1',
      id: derivedId('relationship', source, type, target),
      created,
      modified: created,
      relationship_type: type,
      source_ref: source,
      target_ref: target,
    };
    if (createdBy !== undefined) rel['created_by_ref'] = createdBy;
    if (markings.length > 0) rel['object_marking_refs'] = [...markings];
    this.add(rel as StixObject, pkg);
  }

  convertTtpRef(el: XmlElement, pkg: PackageCtx): string | undefined {
    const ref = attr(el, 'idref');
    if (ref !== undefined && this.ttpIds.has(ref)) return this.ttpIds.get(ref);
    const ttp = this.resolve(el);
    if (ttp === undefined) return undefined;
    return this.convertTtp(ttp, pkg);
  }

  convertTtp(ttp: XmlElement, pkg: PackageCtx): string | undefined {
    const stix1Id = attr(ttp, 'id');
    if (stix1Id !== undefined && this.ttpIds.has(stix1Id)) return this.ttpIds.get(stix1Id);
    if (this.done.has(ttp)) return undefined;
    this.done.add(ttp);
    const created = this.time(attr(ttp, 'timestamp'), ttp.path) ?? pkg.timestamp;
    const title = textOf(child(ttp, NS.ttp, 'Title'));
    const description = textOf(child(ttp, NS.ttp, 'Description'));
    const markings = [...new Set([...pkg.markings, ...this.markings(child(ttp, NS.ttp, 'Handling'), created)])];
    const behavior = child(ttp, NS.ttp, 'Behavior');
    const malware = children(child(behavior ?? ttp, NS.ttp, 'Malware') ?? ttp, NS.ttp, 'Malware_Instance');
    const attackPatterns = children(child(behavior ?? ttp, NS.ttp, 'Attack_Patterns') ?? ttp, NS.ttp, 'Attack_Pattern');
    const common = (o: Record<string, unknown>): StixObject => {
      if (pkg.createdBy !== undefined) o['created_by_ref'] = pkg.createdBy;
      if (markings.length > 0) o['object_marking_refs'] = markings;
      return o as StixObject;
    };
    let mainId: string | undefined;
    malware.forEach((mi, i) => {
      const id = i === 0 ? this.stixId('malware', stix1Id, pkg.id ?? '', ttp.path) : derivedId('malware', 'stix1', stix1Id ?? ttp.path, String(i));
      const name = textOf(child(mi, NS.ttp, 'Name')) ?? textOf(child(mi, NS.ttp, 'Title')) ?? title ?? 'unnamed malware';
      const o: Record<string, unknown> = { type: 'malware', spec_version: '2.1', id, created, modified: created, name, is_family: false };
      const desc = textOf(child(mi, NS.ttp, 'Description')) ?? description;
      if (desc !== undefined) o['description'] = desc;
      const types = children(mi, NS.ttp, 'Type').flatMap((t) => (textOf(t) === undefined ? [] : [slug(textOf(t) ?? '')]));
      if (types.length > 0) o['malware_types'] = types;
      const samples = this.malwareSamples(mi, id);
      if (samples.length > 0) o['sample_refs'] = samples;
      this.add(common(o), pkg);
      mainId ??= id;
    });
    attackPatterns.forEach((ap, i) => {
      const id = mainId === undefined && i === 0 ? this.stixId('attack-pattern', stix1Id, pkg.id ?? '', ttp.path) : derivedId('attack-pattern', 'stix1', stix1Id ?? ttp.path, String(i));
      const capec = attr(ap, 'capec_id');
      const name = textOf(child(ap, NS.ttp, 'Title')) ?? textOf(child(ap, NS.ttp, 'Description')) ?? title ?? capec ?? 'unnamed attack pattern';
      const o: Record<string, unknown> = { type: 'attack-pattern', spec_version: '2.1', id, created, modified: created, name };
      const desc = textOf(child(ap, NS.ttp, 'Description'));
      if (desc !== undefined && desc !== name) o['description'] = desc;
      if (capec !== undefined) o['external_references'] = [{ source_name: 'capec', external_id: capec }];
      this.add(common(o), pkg);
      mainId ??= id;
    });
    if (mainId === undefined) {
      this.issues.push(issue('warning', 'STIX1_TTP_UNMAPPED', ttp.path, `TTP '${title ?? stix1Id ?? ''}' has no Malware or Attack_Pattern behavior; not converted`));
      return undefined;
    }
    if (stix1Id !== undefined) this.ttpIds.set(stix1Id, mainId);
    return mainId;
  }

  /** MAEC malware instances point at the analysed file: keep it as a sample SCO. */
  malwareSamples(mi: XmlElement, objectId: string): string[] {
    const out: string[] = [];
    for (const ref of descendants(mi, undefined, 'Malware_Instance_Object_Attributes')) {
      const target = this.resolve(ref);
      const props = target === undefined ? undefined : child(target, NS.cybox, 'Properties');
      if (props === undefined) continue;
      const scos = factsToScos(extractFacts(props).facts.filter((f) => f.root === 'file'), this.issues, objectId);
      for (const s of scos) this.add(s);
      const file = scos.find((s) => s.type === 'file');
      if (file !== undefined) out.push(file.id);
    }
    return out;
  }

  /** An observable instance → observed-data + SCOs. */
  convertObservable(el: XmlElement, pkg: PackageCtx): string | undefined {
    const obs = this.resolve(el);
    if (obs === undefined) return undefined;
    const id = this.stixId('observed-data', attr(obs, 'id'), pkg.id ?? '', obs.path);
    if (this.done.has(obs)) return this.objects.has(id) ? id : undefined;
    this.done.add(obs);
    const facts: Fact[] = [];
    const propsList = [obs, ...descendants(obs, NS.cybox, 'Observable')].flatMap((o) => {
      const obj = child(o, NS.cybox, 'Object');
      const resolved = obj === undefined ? undefined : this.resolve(obj);
      return resolved === undefined ? [] : [resolved, ...descendantsShallow(resolved, 'Related_Object')];
    });
    const scos: StixObject[] = [];
    for (const obj of propsList) {
      const props = child(obj, NS.cybox, 'Properties');
      if (props === undefined) continue;
      const r = extractFacts(props);
      if (r.typeName === undefined) {
        this.issues.push(issue('warning', 'STIX1_OBJECT_UNSUPPORTED', props.path, `CybOX object type ${xsiType(props)?.local ?? '(none)'} has no STIX 2.1 SCO mapping`, id));
        continue;
      }
      if (r.unmapped.length > 0) {
        this.issues.push(issue('info', 'STIX1_PROPERTY_UNMAPPED', props.path, `${r.typeName} properties not mapped: ${[...new Set(r.unmapped)].join(', ')}`, id));
      }
      facts.push(...r.facts);
      scos.push(...factsToScos(r.facts, this.issues, id));
    }
    if (scos.length === 0) {
      this.skipped++;
      this.issues.push(issue('warning', 'STIX1_OBSERVABLE_EMPTY', obs.path, 'observable has no convertible object', id));
      return undefined;
    }
    for (const s of scos) this.add(s);
    const o: Record<string, unknown> = {
      type: 'observed-data',
      spec_version: '2.1',
      id,
      created: pkg.timestamp,
      modified: pkg.timestamp,
      first_observed: pkg.timestamp,
      last_observed: pkg.timestamp,
      number_observed: 1,
      object_refs: [...new Set(scos.map((s) => s.id))],
    };
    if (pkg.createdBy !== undefined) o['created_by_ref'] = pkg.createdBy;
    if (pkg.markings.length > 0) o['object_marking_refs'] = [...pkg.markings];
    this.add(o as StixObject, pkg);
    this.observables += scos.length;
    return id;
  }

  convertIncident(inc: XmlElement, pkg: PackageCtx): void {
    const id = this.stixId('incident', attr(inc, 'id'), pkg.id ?? '', inc.path);
    const created = this.time(attr(inc, 'timestamp'), inc.path) ?? pkg.timestamp;
    const createdBy =
      this.identity(childPath(inc, undefined, 'Information_Source', 'Identity'), created) ??
      this.identity(childPath(inc, undefined, 'Reporter', 'Identity'), created) ??
      pkg.createdBy;
    const markings = [...new Set([...pkg.markings, ...this.markings(child(inc, NS.incident, 'Handling'), created)])];
    const o: Record<string, unknown> = {
      type: 'incident',
      spec_version: '2.1',
      id,
      created,
      modified: created,
      name: textOf(child(inc, NS.incident, 'Title')) ?? 'STIX 1.x incident',
    };
    const desc = textOf(child(inc, NS.incident, 'Description'));
    if (desc !== undefined) o['description'] = desc;
    const ext = children(inc, NS.incident, 'External_ID').flatMap((e) => {
      const v = textOf(e);
      return v === undefined ? [] : [{ source_name: attr(e, 'source') ?? 'stix1', external_id: v }];
    });
    if (ext.length > 0) o['external_references'] = ext;
    if (createdBy !== undefined) o['created_by_ref'] = createdBy;
    if (markings.length > 0) o['object_marking_refs'] = markings;
    this.add(o as StixObject, pkg);
    for (const ri of descendants(child(inc, NS.incident, 'Related_Indicators') ?? inc, NS.stixCommon, 'Indicator')) {
      const target = this.convertIndicator(ri, pkg);
      if (target !== undefined) this.relationship(target, 'related-to', id, created, pkg, markings, createdBy);
    }
    for (const ro of descendants(child(inc, NS.incident, 'Related_Observables') ?? inc, NS.stixCommon, 'Observable')) {
      const target = this.convertObservable(ro, pkg);
      if (target !== undefined) this.relationship(id, 'related-to', target, created, pkg, markings, createdBy);
    }
    for (const lt of descendants(child(inc, NS.incident, 'Leveraged_TTPs') ?? inc, NS.stixCommon, 'TTP')) {
      const target = this.convertTtpRef(lt, pkg);
      if (target !== undefined) this.relationship(id, 'related-to', target, created, pkg, markings, createdBy);
    }
  }

  convertPackage(el: XmlElement, parent: PackageCtx | undefined, depth: number): void {
    if (depth > 4) {
      this.issues.push(issue('warning', 'STIX1_NESTING_TOO_DEEP', el.path, 'Related_Packages nested too deeply; inner packages skipped'));
      return;
    }
    const header = child(el, NS.stix, 'STIX_Header');
    const infoSource = child(header ?? el, NS.stix, 'Information_Source');
    const timestamp =
      this.time(attr(el, 'timestamp'), el.path) ??
      this.time(textOf(childPath(infoSource ?? el, undefined, 'Time', 'Produced_Time')), infoSource?.path ?? el.path) ??
      parent?.timestamp ??
      this.options.now;
    const createdBy = this.identity(child(infoSource ?? el, NS.stixCommon, 'Identity'), timestamp) ?? parent?.createdBy ?? this.options.source?.identity;
    const markings = [...new Set([...(parent?.markings ?? []), ...this.markings(child(header ?? el, NS.stix, 'Handling'), timestamp)])];
    const pkg: PackageCtx = { el, id: attr(el, 'id'), timestamp, markings, createdBy, produced: [] };

    for (const ttp of children(child(el, NS.stix, 'TTPs') ?? el, NS.stix, 'TTP')) this.convertTtp(ttp, pkg);
    for (const ind of children(child(el, NS.stix, 'Indicators') ?? el, NS.stix, 'Indicator')) this.convertIndicator(ind, pkg);
    for (const obs of children(child(el, NS.stix, 'Observables') ?? el, NS.cybox, 'Observable')) this.convertObservable(obs, pkg);
    for (const inc of children(child(el, NS.stix, 'Incidents') ?? el, NS.stix, 'Incident')) this.convertIncident(inc, pkg);
    for (const section of ['Campaigns', 'Threat_Actors', 'Courses_Of_Action', 'Exploit_Targets', 'Reports']) {
      const s = child(el, NS.stix, section);
      if (s !== undefined && s.children.length > 0) {
        this.issues.push(issue('warning', 'STIX1_CONSTRUCT_UNSUPPORTED', s.path, `${s.children.length} ${section} construct(s) are not converted`));
      }
    }
    for (const rp of children(child(el, NS.stix, 'Related_Packages') ?? el, NS.stix, 'Related_Package')) {
      const inner = child(rp, NS.stix, 'Package') ?? child(rp, NS.stix, 'STIX_Package');
      if (inner !== undefined) this.convertPackage(inner, pkg, depth + 1);
    }
    if (parent !== undefined) parent.produced.push(...pkg.produced);

    const title = textOf(child(header ?? el, NS.stix, 'Title'));
    if (pkg.produced.length > 0 && (parent === undefined || title !== undefined)) {
      const report: Record<string, unknown> = {
        type: 'report',
        spec_version: '2.1',
        id: this.stixId('report', pkg.id, el.path),
        created: timestamp,
        modified: timestamp,
        name: title ?? 'STIX 1.x package',
        published: timestamp,
        object_refs: [...new Set(pkg.produced)],
      };
      const desc = textOf(child(header ?? el, NS.stix, 'Description'));
      if (desc !== undefined) report['description'] = desc;
      if (createdBy !== undefined) report['created_by_ref'] = createdBy;
      if (markings.length > 0) report['object_marking_refs'] = markings;
      this.add(report as StixObject);
      if (parent !== undefined) parent.produced.push(String(report['id']));
    }
  }
}

function isSco(type: string): boolean {
  return [
    'artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message', 'file', 'ipv4-addr', 'ipv6-addr',
    'mac-addr', 'mutex', 'network-traffic', 'process', 'software', 'url', 'user-account', 'windows-registry-key', 'x509-certificate',
  ].includes(type);
}

function slug(text: string): string {
  return text.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

function tlpLevel(color: string | undefined): TlpLevel | undefined {
  switch ((color ?? '').trim().toUpperCase()) {
    case 'WHITE':
    case 'CLEAR':
      return 'clear';
    case 'GREEN':
      return 'green';
    case 'AMBER':
      return 'amber';
    case 'AMBER+STRICT':
      return 'amber+strict';
    case 'RED':
      return 'red';
    default:
      return undefined;
  }
}

/** `cybox:Related_Objects/cybox:Related_Object` directly under an object. */
function descendantsShallow(obj: XmlElement, local: 'Related_Object'): XmlElement[] {
  return children(child(obj, NS.cybox, 'Related_Objects') ?? obj, NS.cybox, local);
}

function indexIds(root: XmlElement, index: Map<string, XmlElement>): void {
  const stack: XmlElement[] = [root];
  while (stack.length > 0) {
    const el = stack.pop();
    if (el === undefined) break;
    const id = attr(el, 'id');
    if (id !== undefined && !index.has(id)) index.set(id, el);
    for (let i = el.children.length - 1; i >= 0; i--) {
      const c = el.children[i];
      if (c !== undefined) stack.push(c);
    }
  }
}

function emptyResult(issues: ContentIssue[]): ImportResult {
  return { objects: [], issues, stats: { indicators: 0, observables: 0, otherObjects: 0, skipped: 0 } };
}

/** Imports a STIX 1.x package. Never throws: bad input yields one error issue and no objects. */
export function importStix1(input: string | Buffer, options: ImportOptions): ImportResult {
  const parsed = parseXml(input, { format: FORMAT });
  if (parsed.root === undefined) return emptyResult(parsed.issues);
  const root = parsed.root;
  const pkgEl = root.ns === NS.stix && root.local === 'STIX_Package' ? root : descendants(root, NS.stix, 'STIX_Package')[0];
  if (pkgEl === undefined) {
    return emptyResult([
      ...parsed.issues,
      issue('error', 'STIX1_NOT_A_PACKAGE', root.path, `not a STIX 1.x document: root element is {${root.ns}}${root.local}, expected {${NS.stix}}STIX_Package`),
    ]);
  }
  const conv = new Converter(options);
  conv.issues.push(...parsed.issues);
  try {
    indexIds(root, conv.index);
    conv.convertPackage(pkgEl, undefined, 0);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return emptyResult([...conv.issues, issue('error', 'STIX1_INTERNAL', pkgEl.path, `STIX 1.x conversion failed: ${message.slice(0, 200)}`)]);
  }
  const objects = [...conv.objects.values()];
  const otherObjects = objects.filter((o) => o.type !== 'indicator' && !isSco(o.type)).length;
  if (objects.length === 0) conv.issues.push(issue('warning', 'STIX1_NOTHING_CONVERTED', pkgEl.path, 'the package produced no STIX 2.1 objects'));
  const seen = new Set<string>();
  const issues = conv.issues.filter((i) => {
    const key = `${i.code}\u0000${i.path}\u0000${i.objectId ?? ''}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    objects,
    issues,
    stats: { indicators: conv.indicators, observables: conv.observables, otherObjects, skipped: conv.skipped },
  };
}
