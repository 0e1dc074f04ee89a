/**
 * STIX 1.0–1.2 XML → STIX 2.1 (the elevator's mapping, docs/mapping/stix1.md). Pure: text in, objects and issues out.
 *
 * - Indicators (Observable patterns, compositions, Composite_Indicator_Expression) → indicator with a
 *   STIX pattern; Snort/YARA Test_Mechanisms → indicators with pattern_type snort/yara.
 * - Top-level Observables and Incident Related_Observables (instances) → observed-data + SCOs.
 * - TTP Malware → malware, TTP Attack_Pattern → attack-pattern, Indicated_TTP → `indicates`.
 * - Incident → incident (+ `related-to` relationships); the package → report.
 * - Handling: TLP → the TLP 1.0 marking ids of STIX 2.1 §7.2.1.4, Terms of Use / Simple / AIS consent → statement markings.
 * - Ids keep the UUID of the STIX 1 id (`NCCIC:indicator-c51b…` → `indicator--c51b…`), else derivedId.
 */
import { isRfc4122Uuid, SCO_TYPES } from '../../stix/identifiers';
import { issue, type ContentIssue } from '../../stix/issues';
import { strictestTlp, TLP1_IDS, tlp2IdFor, tlpLevelOfMarking } from '../../stix/markings';
import { compareTimestamps } from '../../stix/time';
import type { TlpLevel } from '../../stix/markings';
import { derivedId, indicator, type IndicatorFields, organizationIdentity } from '../common/stix-builders';
import { descriptionOf } from './descriptions';
import { type XmlElement, attr, child, children, childPath, descendants, parseXml, textOf, xsiType } from '../common/xml';
import { openiocMechanismPattern } from './openioc-mechanism';
import type { ImportOptions, ImportResult, StixObject } from '../types';
import { aisLabel, aisStatement, type AisMarking, readAis, readIdentity } from './ais';
import {
  convertCampaignRef,
  convertCoaRef,
  convertExploitTargetRef,
  convertReport,
  convertSightings,
  convertThreatActorRef,
  convertTtp,
  referenceUrls,
  sdo,
} from './constructs';
import type { ConstructBase, PackageCtx, Stix1Host } from './context';
import { extractFacts, type Fact } from './cybox-objects';
import { unknownMarkingStatement } from './unknown-markings';
import { factToExpr, factsToScos } from './facts';
import { type KillChainPhase, KillChainTable, mergePhases, stixLiteral } from './kill-chains';
import { AIS_NS_PREFIX, NS } from './namespaces';
import { combine, type Expr, renderPattern } from './pattern-tree';
import { toStixTimestamp } from './timestamps';
import { INDICATOR_TYPE_MAP, confidenceOf } from './vocab';

const FORMAT = 'STIX 1.x';

/** An observable's object: the schema writes `cybox:Object`; producers (the elevator's idioms) also `stix:Object`. */
function objectOf(obs: XmlElement): XmlElement | undefined {
  return child(obs, NS.cybox, 'Object') ?? child(obs, NS.stix, 'Object');
}
const MAX_DEPTH = 32;
const UUID_TAIL = /([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

class Converter implements Stix1Host {
  readonly issues: ContentIssue[] = [];
  readonly objects = new Map<string, StixObject>();
  readonly index = new Map<string, XmlElement>();
  /** STIX 1 TTP id → STIX 2.1 id of what it became, and the TTP's kill chain phases. */
  readonly ttpIds = new Map<string, string>();
  /** A victims-only TTP naming several identities: its first identity (the TTP's id) → the others. */
  readonly furtherVictims = new Map<string, readonly string[]>();
  readonly ttpPhaseMap = new Map<string, KillChainPhase[]>();
  readonly done = new Set<XmlElement>();
  /** UUID → the STIX 2.1 type it was minted for (a UUID never serves two types, STIX 2.1 §2.9). */
  readonly uuidTypes = new Map<string, string>();
  readonly killChains: KillChainTable;
  /** The latest timestamp written anywhere in the document: the fallback for constructs without one. */
  readonly docTime: string | undefined;
  /** The AIS marking of the handling read last (its consent labels the package's submitter). */
  lastAis: AisMarking | undefined;
  /** Markings the package header scopes to single top-level observables, by their STIX 1 id (headerMarkings). */
  readonly scopedMarkings = new Map<string, string[]>();
  indicators = 0;
  observables = 0;
  skipped = 0;
  zoneWarned = false;

  constructor(
    readonly options: ImportOptions,
    root: XmlElement,
  ) {
    indexIds(root, this.index);
    this.killChains = new KillChainTable(root);
    this.docTime = latestTimestamp(root);
  }

  add(o: StixObject, pkg?: PackageCtx): void {
    if (!this.objects.has(o.id)) {
      this.objects.set(o.id, o);
      if (pkg !== undefined && o.type !== 'identity' && o.type !== 'marking-definition' && !SCO_TYPES.has(o.type)) pkg.produced.push(o.id);
    }
  }

  has(id: string): boolean {
    return this.objects.has(id);
  }

  /**
   * An SCO carries the markings of what it was observed in (its observable, or the construct holding it): an
   * unmarked SCO would be stored at the collection's default TLP and served to readers the package's
   * marking excludes. An SCO met again under other markings keeps them all (the strictest TLP decides).
   */
  addSco(s: StixObject, markings: readonly string[]): void {
    const held = this.objects.get(s.id) ?? s;
    const before = Array.isArray(held['object_marking_refs']) ? held['object_marking_refs'].filter((m) => typeof m === 'string') : [];
    const all = [...new Set([...before, ...markings])];
    this.objects.set(s.id, all.length === 0 ? held : { ...held, object_marking_refs: all });
  }

  claim(el: XmlElement): boolean {
    if (this.done.has(el)) return false;
    this.done.add(el);
    return true;
  }

  time(text: string | undefined, at: string): string | undefined {
    const t = toStixTimestamp(text);
    if (t === undefined) {
      if (text !== undefined && text.trim() !== '')
        this.issues.push(issue('warning', 'STIX1_TIMESTAMP_INVALID', at, `unreadable timestamp '${text.slice(0, 60)}'`));
      return undefined;
    }
    if (t.assumedUtc && !this.zoneWarned) {
      this.zoneWarned = true;
      this.issues.push(issue('info', 'STIX1_TIMESTAMP_NO_ZONE', at, 'timestamps without a time zone are taken as UTC'));
    }
    return t.value;
  }

  /** The STIX 2.1 id of a STIX 1 construct: keep the RFC 4122 UUID of its id unless another type already has it, else derive one. */
  stixId(type: string, stix1Id: string | undefined, ...fallback: string[]): string {
    if (stix1Id === undefined) return derivedId(type, 'stix1', ...fallback);
    const uuid = UUID_TAIL.exec(stix1Id.trim())?.[1]?.toLowerCase();
    // A UUID without RFC 4122 version and variant digits would make an invalid id (STIX 2.1 §2.9): derive one.
    if (uuid === undefined || !isRfc4122Uuid(uuid)) return derivedId(type, 'stix1', stix1Id.trim());
    const owner = this.uuidTypes.get(uuid);
    if (owner !== undefined && owner !== type) return derivedId(type, 'stix1', stix1Id.trim());
    this.uuidTypes.set(uuid, type);
    return `${type}--${uuid}`;
  }

  resolve(el: XmlElement): XmlElement | undefined {
    const ref = attr(el, 'idref');
    if (ref === undefined) return el;
    const target = this.index.get(ref);
    // An element that carries an idref AND its own content (producers write both): the content is what it says.
    const inline = target === undefined && el.children.length > 0;
    if (target === undefined) {
      this.issues.push(
        issue(
          'warning',
          'STIX1_UNRESOLVED_IDREF',
          el.path,
          `idref '${ref.slice(0, 120)}' does not resolve to a construct in this package${inline ? '; its inline content is used' : ''}`,
        ),
      );
    }
    return inline ? el : target;
  }

  /**
   * An identity (plain name or CIQ) → identity, plus its CIQ address as a location `located-at`. With AIS
   * labels, the identity and its location carry the package's markings (they come from marked content).
   */
  identity(
    identityEl: XmlElement | undefined,
    created: string,
    ais?: { labels: string[]; markings: readonly string[] },
  ): string | undefined {
    if (identityEl === undefined) return undefined;
    const d = readIdentity(identityEl);
    if (d.name === undefined) return undefined;
    const o: Record<string, unknown> = { ...organizationIdentity(d.name, created) };
    if (d.sectors.length > 0) o['sectors'] = [...d.sectors];
    if (d.unknownSectors.length > 0) {
      this.issues.push(
        issue('info', 'STIX1_SECTOR_UNMAPPED', identityEl.path, `industry types without a STIX 2.1 sector: ${d.unknownSectors.join(', ')}`),
      );
    }
    const markings = ais?.markings ?? [];
    if (ais !== undefined && ais.labels.length > 0) o['labels'] = ais.labels;
    if (markings.length > 0) o['object_marking_refs'] = [...markings];
    const id = String(o['id']);
    this.add({ ...o, type: 'identity', id });
    if (d.country !== undefined) {
      const base: ConstructBase = { created, createdBy: id, markings };
      const loc = sdo('location', derivedId('location', 'stix1', d.country, d.administrativeArea ?? ''), base, {
        country: d.country,
        administrative_area: d.administrativeArea,
      });
      this.add(loc);
      this.add(
        sdo('relationship', derivedId('relationship', id, 'located-at', loc.id), base, {
          relationship_type: 'located-at',
          source_ref: id,
          target_ref: loc.id,
        }),
      );
    }
    return id;
  }

  /**
   * The package-wide markings of a header's Handling. A Marking whose Controlled_Structure names top-level
   * observables by id, in the one form the exporter writes (`//cybox:Observable[@id='…' or …]/descendant-or-
   * self::node()`, optionally `| …/@*`), marks those observables only (kept in scopedMarkings); any other
   * Controlled_Structure marks the whole package, which never under-marks.
   */
  headerMarkings(handling: XmlElement | undefined, created: string): string[] {
    if (handling === undefined) return [];
    const scoped = new Set<XmlElement>();
    for (const m of handling.children.filter((c) => c.ns === NS.marking && c.local === 'Marking')) {
      const ids = scopedObservableIds(textOf(child(m, NS.marking, 'Controlled_Structure')));
      if (ids === undefined) continue;
      scoped.add(m);
      const refs = this.markings(m, created);
      for (const id of ids) this.scopedMarkings.set(id, [...(this.scopedMarkings.get(id) ?? []), ...refs]);
    }
    // Everything else of the Handling (whatever its shape) is read as before: package-wide.
    return this.markings(
      scoped.size === 0 ? handling : { ...handling, children: handling.children.filter((c) => !scoped.has(c)) },
      created,
    );
  }

  markings(handling: XmlElement | undefined, created: string): string[] {
    if (handling === undefined) return [];
    const ids: string[] = [];
    for (const msEl of descendants(handling, NS.marking, 'Marking_Structure')) {
      // A structure may be given by idref to one defined elsewhere (the package header's, usually).
      const ms = this.resolve(msEl);
      if (ms === undefined) continue;
      const t = xsiType(ms);
      if (t?.ns === NS.tlp) {
        const level = tlpLevel(attr(ms, 'color'));
        if (level === undefined) {
          // Fail closed: a colour we cannot read is taken as the strictest.
          this.issues.push(
            issue('warning', 'STIX1_MARKING_UNSUPPORTED', ms.path, `unknown TLP color '${attr(ms, 'color') ?? ''}': marked TLP:RED`),
          );
          ids.push(stix1TlpId('red'));
        } else ids.push(stix1TlpId(level));
      } else if (t?.ns === NS.termsOfUse) {
        const text = textOf(child(ms, NS.termsOfUse, 'Terms_Of_Use'));
        if (text !== undefined) ids.push(this.statement(text, created));
      } else if (t?.ns === NS.simple) {
        const text = textOf(child(ms, NS.simple, 'Statement'));
        if (text !== undefined) ids.push(this.statement(text, created));
      } else if (t !== undefined && t.ns.startsWith(AIS_NS_PREFIX)) {
        const ais = readAis(ms);
        const level = tlpLevel(ais.color);
        if (level !== undefined) ids.push(stix1TlpId(level));
        else
          this.issues.push(
            issue(
              'warning',
              'STIX1_MARKING_UNSUPPORTED',
              ms.path,
              'AIS marking without a TLP colour: the TLP is left to the collection default',
            ),
          );
        ids.push(this.statement(aisStatement(ais), created));
        this.lastAis = ais;
      } else {
        // Fail closed (unknown-markings.ts): TLP:RED on what it marks, its content kept as a statement.
        const typeName = t === undefined ? '(no xsi:type)' : `${t.ns}#${t.local}`;
        ids.push(stix1TlpId('red'), this.statement(unknownMarkingStatement(ms, t?.local ?? 'Marking_Structure'), created));
        this.issues.push(
          issue(
            'warning',
            'STIX1_MARKING_UNSUPPORTED',
            ms.path,
            `marking structure ${typeName} is not mapped: what it marks is marked TLP:RED (fail closed) and its terms are kept as a statement`,
          ),
        );
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

  base(el: XmlElement, ns: string, pkg: PackageCtx): ConstructBase {
    const created = this.time(attr(el, 'timestamp'), el.path) ?? pkg.timestamp;
    const source = child(el, ns, 'Information_Source');
    const sourceIdentity = source === undefined ? undefined : child(source, NS.stixCommon, 'Identity');
    const createdBy = this.identity(sourceIdentity, created) ?? pkg.createdBy;
    const markings = [...new Set([...pkg.markings, ...this.markings(child(el, ns, 'Handling'), created)])];
    const sourceName = (sourceIdentity === undefined ? undefined : readIdentity(sourceIdentity).name) ?? 'information-source';
    const references = referenceUrls(source === undefined ? undefined : child(source, NS.stixCommon, 'References'), sourceName);
    return { created, createdBy, markings, references };
  }

  relationship(source: string, kind: string, target: string, base: ConstructBase, pkg: PackageCtx): void {
    // A TTP that names victims became an identity: using it means targeting it; nothing indicates an identity.
    const victim = target.startsWith('identity--');
    const type = victim && kind === 'uses' ? 'targets' : victim && kind === 'indicates' ? 'related-to' : kind;
    // Using a TTP that names several victims targets each of them (one level: no chain through other TTPs).
    for (const t of [target, ...(victim ? (this.furtherVictims.get(target) ?? []) : [])]) {
      const id = derivedId('relationship', source, type, t);
      this.add(sdo('relationship', id, base, { relationship_type: type, source_ref: source, target_ref: t }), pkg);
    }
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
    const extracted = props === undefined ? undefined : extractFacts(props);
    const parentRoot = extracted?.facts[0]?.root;
    if (
      props !== undefined &&
      (extracted?.typeName === 'EmailMessageObjectType' || extracted?.typeName === 'NetworkConnectionObjectType')
    ) {
      for (const f of [...this.attachmentFacts(props, obj), ...this.layer7Facts(props, obj)]) {
        const e = factToExpr(f, this.issues, objectId);
        if (e !== undefined) parts.push(e);
      }
    }
    const related: Expr[] = [];
    for (const rel of descendantsShallow(obj, 'Related_Object')) {
      const resolved = this.resolvedTo(parentRoot, rel);
      if (resolved !== undefined) {
        for (const f of resolved) {
          const e = factToExpr(f, this.issues, objectId);
          if (e !== undefined) parts.push(e);
        }
        continue;
      }
      const e = this.objectExpr(rel, objectId, depth + 1);
      if (e !== undefined) {
        related.push(e);
        this.issues.push(
          issue(
            'info',
            'STIX1_RELATED_OBJECT_FLATTENED',
            rel.path,
            'related object joined with AND (the relationship kind is not kept)',
            objectId,
          ),
        );
      }
    }
    // A related object is an object of its own: its own observation (`[a] AND [b]`), never merged into this
    // object's `[…]` (two addresses of one type there asked for one address with two values: unsatisfiable).
    const own = combine('and', parts);
    return related.length === 0 ? own : combine('and', [...(own === undefined ? [] : [own]), ...related], true);
  }

  /**
   * E-mail `Attachments/File object_reference` (to an object anywhere in the document): the file's facts as
   * `email-message:body_multipart[*].body_raw_ref.…` terms, as the reference elevator writes them.
   */
  /**
   * A network connection's `Layer7_Connections/HTTP_Session object_reference` (to a session anywhere in the
   * document): the session's request (the http-request-ext and its protocol) describes this connection's traffic.
   * An inline session is read with the connection itself (cybox-objects.ts).
   */
  layer7Facts(props: XmlElement, obj: XmlElement): Fact[] {
    const layer7 = child(props, undefined, 'Layer7_Connections');
    if (layer7 === undefined) return [];
    const out: Fact[] = [];
    for (const el of children(layer7, undefined, 'HTTP_Session')) {
      const ref = attr(el, 'object_reference');
      const target = ref === undefined ? undefined : this.index.get(ref);
      const o = target?.local === 'Observable' ? objectOf(target) : target;
      const sessionProps = o === undefined || o === obj ? undefined : child(o, NS.cybox, 'Properties');
      if (sessionProps === undefined) continue;
      const own = (f: Fact): boolean => f.root === 'network-traffic' && (f.path[0] === 'extensions' || f.path[0] === 'protocols');
      out.push(...extractFacts(sessionProps).facts.filter(own));
    }
    return out;
  }

  attachmentFacts(props: XmlElement, obj: XmlElement): Fact[] {
    const out: Fact[] = [];
    for (const el of children(child(props, undefined, 'Attachments') ?? props, undefined, 'File')) {
      const ref = attr(el, 'object_reference');
      const target = ref === undefined ? undefined : this.index.get(ref);
      const o = target?.local === 'Observable' ? objectOf(target) : target;
      const fileProps = o === undefined || o === obj ? undefined : child(o, NS.cybox, 'Properties');
      if (fileProps === undefined) continue;
      for (const f of extractFacts(fileProps).facts.filter((x) => x.root === 'file')) {
        out.push({ ...f, root: 'email-message', path: ['body_multipart', '*', 'body_raw_ref', ...f.path] });
      }
    }
    return out;
  }

  /**
   * A `Resolved_To` related object of a domain name (an address or another name) or of an IP address (a MAC
   * address): its values become the parent's `resolves_to_refs`. Undefined for any other relationship (the caller flattens it, reported).
   */
  resolvedTo(parentRoot: string | undefined, rel: XmlElement): Fact[] | undefined {
    const targets = parentRoot === undefined ? undefined : RESOLVABLE[parentRoot];
    if (parentRoot === undefined || targets === undefined) return undefined;
    const kind = textOf(child(rel, NS.cybox, 'Relationship'))?.toLowerCase();
    if (kind !== 'resolved_to') return undefined;
    const target = this.resolve(rel);
    const props = target === undefined ? undefined : child(target, NS.cybox, 'Properties');
    if (props === undefined) return undefined;
    const facts = extractFacts(props).facts;
    const addressLike = (f: Fact): boolean => targets.has(f.root) && f.path.length === 1 && f.path[0] === 'value';
    if (facts.length === 0 || !facts.every(addressLike)) return undefined;
    return facts.map((f) => ({ ...f, root: parentRoot, path: ['resolves_to_refs', '*', 'value'] }));
  }

  propertiesExpr(props: XmlElement, objectId: string | undefined): Expr | undefined {
    const { facts, unmapped, typeName } = extractFacts(props);
    if (typeName === undefined) {
      const t = xsiType(props);
      this.issues.push(
        issue(
          'warning',
          'STIX1_OBJECT_UNSUPPORTED',
          props.path,
          `CybOX object type ${t === undefined ? '(none)' : t.local} has no STIX 2.1 pattern mapping`,
          objectId,
        ),
      );
      return undefined;
    }
    if (unmapped.length > 0) {
      this.issues.push(
        issue(
          'info',
          'STIX1_PROPERTY_UNMAPPED',
          props.path,
          `${typeName} properties not mapped: ${[...new Set(unmapped)].join(', ')}`,
          objectId,
        ),
      );
    }
    const parts: Expr[] = [];
    for (const f of facts) {
      const e = factToExpr(f, this.issues, objectId);
      if (e !== undefined) parts.push(e);
    }
    return combine('and', parts);
  }

  /**
   * The members of an Observable_Composition. The schema puts them in the CybOX namespace; producers (the
   * elevator's idioms among them) also write `indicator:Observable` or `stix:Observable` there, which say the
   * same. Anything else is reported, never skipped silently.
   */
  compositionMembers(comp: XmlElement, objectId: string | undefined): XmlElement[] {
    const members: XmlElement[] = [];
    for (const c of comp.children) {
      if (c.local === 'Observable' && (c.ns === NS.cybox || c.ns === NS.indicator || c.ns === NS.stix)) members.push(c);
      else
        this.issues.push(
          issue('warning', 'STIX1_PROPERTY_UNMAPPED', c.path, `Observable_Composition member ${c.local} is not an Observable`, objectId),
        );
    }
    return members;
  }

  observableExpr(obsEl: XmlElement, objectId: string | undefined, depth: number): Expr | undefined {
    const obs = this.resolve(obsEl);
    if (obs === undefined || depth > MAX_DEPTH) return undefined;
    let e: Expr | undefined;
    const comp = child(obs, NS.cybox, 'Observable_Composition');
    const obj = objectOf(obs);
    if (comp !== undefined) {
      const op = (attr(comp, 'operator') ?? 'AND').toUpperCase() === 'OR' ? 'or' : 'and';
      const parts: Expr[] = [];
      for (const c of this.compositionMembers(comp, objectId)) {
        const ce = this.observableExpr(c, objectId, depth + 1);
        if (ce !== undefined) parts.push(ce);
        else
          this.issues.push(
            issue(
              'warning',
              'STIX1_COMPOSITION_PARTIAL',
              c.path,
              op === 'and'
                ? 'a term of an AND composition could not be mapped; the pattern is broader than the original'
                : 'a term of an OR composition could not be mapped; the pattern matches less than the original',
              objectId,
            ),
          );
      }
      e = combine(op, parts, true);
    } else if (obj !== undefined) {
      e = this.objectExpr(obj, objectId, depth + 1);
    } else if (child(obs, NS.cybox, 'Event') !== undefined) {
      this.issues.push(
        issue('warning', 'STIX1_OBJECT_UNSUPPORTED', obs.path, 'CybOX Event observables have no STIX 2.1 pattern mapping', objectId),
      );
    }
    if (e !== undefined && attr(obs, 'negate') === 'true') {
      if (e.kind === 'cmp') e = { ...e, negated: !e.negated };
      else
        this.issues.push(
          issue(
            'warning',
            'STIX1_NEGATE_LOST',
            obs.path,
            'negate on a composite observable cannot be expressed (NOT applies to comparisons only)',
            objectId,
          ),
        );
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
      // The schema puts it in the indicator namespace; some producers write it in the CybOX one.
      const obs = child(ind, NS.indicator, 'Observable') ?? child(ind, NS.cybox, 'Observable');
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
        return combine(op, parts, true);
      }
      return undefined;
    } finally {
      visiting.delete(ind);
    }
  }

  // ---------------------------------------------------------------- indicators

  convertIndicatorRef(el: XmlElement, pkg: PackageCtx): string | undefined {
    const ind = this.resolve(el);
    if (ind === undefined) return undefined;
    const id = this.stixId('indicator', attr(ind, 'id'), pkg.id ?? '', ind.path);
    if (!this.claim(ind)) return this.objects.has(id) ? id : undefined;
    return this.convertIndicator(ind, id, pkg);
  }

  /** The properties every indicator made from one STIX 1 Indicator shares (pattern aside). */
  indicatorFields(ind: XmlElement, id: string, base: ConstructBase): Omit<IndicatorFields, 'id' | 'pattern'> {
    const validTime = child(ind, NS.indicator, 'Valid_Time_Position');
    const validFrom = this.time(textOf(child(validTime ?? ind, NS.indicator, 'Start_Time')), validTime?.path ?? ind.path) ?? base.created;
    let validUntil = this.time(textOf(child(validTime ?? ind, NS.indicator, 'End_Time')), validTime?.path ?? ind.path);
    if (validUntil !== undefined && validUntil <= validFrom) {
      this.issues.push(
        issue(
          'warning',
          'STIX1_VALID_TIME_INVERTED',
          validTime?.path ?? ind.path,
          'End_Time is not after Start_Time; valid_until dropped',
          id,
        ),
      );
      validUntil = undefined;
    }
    const types = children(ind, NS.indicator, 'Type').flatMap((t) => {
      const text = textOf(t)?.replace(/\s+/g, ' ');
      return text === undefined ? [] : [INDICATOR_TYPE_MAP[text.toLowerCase()] ?? stixLiteral(text)];
    });
    const confText = textOf(childPath(ind, undefined, 'Confidence', 'Value'));
    const confidence = confText === undefined ? undefined : confidenceOf(confText);
    if (confText !== undefined && confidence === undefined) {
      this.issues.push(issue('info', 'STIX1_CONFIDENCE_UNMAPPED', ind.path, `confidence '${confText}' is not on a known scale`, id));
    }
    const producer = child(ind, NS.indicator, 'Producer');
    const externalReferences = children(childPath(producer ?? ind, NS.stixCommon, 'References') ?? ind, NS.stixCommon, 'Reference').flatMap(
      (r) => {
        const url = textOf(r);
        return url === undefined
          ? []
          : [{ source_name: textOf(childPath(producer ?? ind, undefined, 'Identity', 'Name')) ?? 'stix1-producer', url }];
      },
    );
    const ttpPhases = children(ind, NS.indicator, 'Indicated_TTP').flatMap((r) => {
      const ref = attr(child(r, NS.stixCommon, 'TTP') ?? r, 'idref') ?? attr(child(r, NS.stixCommon, 'TTP') ?? r, 'id');
      return ref === undefined ? [] : this.phasesOfTtp(ref);
    });
    return {
      created: base.created,
      valid_from: validFrom,
      valid_until: validUntil,
      name: textOf(child(ind, NS.indicator, 'Title')),
      description: descriptionOf(ind, NS.indicator),
      indicator_types: [...new Set(types)],
      created_by_ref: base.createdBy,
      object_marking_refs: base.markings,
      confidence,
      kill_chain_phases: mergePhases(this.killChains.phasesOf(child(ind, NS.indicator, 'Kill_Chain_Phases')), ttpPhases),
      external_references: externalReferences,
    };
  }

  /** Snort / YARA test mechanisms → indicators with those pattern types; OpenIOC ones → STIX patterns (openioc-mechanism.ts). */
  mechanisms(ind: XmlElement, id: string, fields: Omit<IndicatorFields, 'id' | 'pattern'>, produced: string[], pkg: PackageCtx): void {
    const stix1Id = attr(ind, 'id');
    let n = 0;
    for (const tm of children(child(ind, NS.indicator, 'Test_Mechanisms') ?? ind, NS.indicator, 'Test_Mechanism')) {
      const t = xsiType(tm);
      const kind = t?.ns === NS.snort ? 'snort' : t?.ns === NS.yara ? 'yara' : undefined;
      if (kind === undefined && t?.ns === NS.openiocTm) {
        const ruleId = produced.length === 0 ? id : derivedId('indicator', 'stix1', stix1Id ?? ind.path, 'openioc', String(n++));
        const r = openiocMechanismPattern(tm, fields.created, ruleId);
        this.issues.push(...r.issues);
        if (r.pattern === undefined) continue;
        const o = indicator({ ...fields, id: ruleId, pattern: r.pattern, pattern_type: 'stix' });
        this.add(r.terms.length > 0 ? { ...o, x_openioc_terms: r.terms } : o, pkg);
        produced.push(ruleId);
        continue;
      }
      if (kind === undefined) {
        this.issues.push(
          issue(
            'warning',
            'STIX1_TEST_MECHANISM_UNSUPPORTED',
            tm.path,
            `test mechanism ${t?.local ?? '(no xsi:type)'} is not converted`,
            id,
          ),
        );
        continue;
      }
      for (const rule of kind === 'snort' ? children(tm, NS.snort, 'Rule') : children(tm, NS.yara, 'Rule')) {
        const text = textOf(rule);
        if (text === undefined) continue;
        const ruleId = produced.length === 0 ? id : derivedId('indicator', 'stix1', stix1Id ?? ind.path, kind, String(n));
        n++;
        const tmProducer = child(tm, NS.indicator, 'Producer');
        const createdBy = this.identity(child(tmProducer ?? tm, NS.stixCommon, 'Identity'), fields.created) ?? fields.created_by_ref;
        this.add(indicator({ ...fields, id: ruleId, pattern: text, pattern_type: kind, created_by_ref: createdBy }), pkg);
        produced.push(ruleId);
      }
    }
  }

  /** Indicated TTPs, related campaigns, indicators and COAs, and sightings. */
  indicatorRelations(ind: XmlElement, produced: readonly string[], base: ConstructBase, pkg: PackageCtx): void {
    const link = (refs: XmlElement[], type: string, convert: (el: XmlElement) => string | undefined, reverse = false): void => {
      for (const r of refs) {
        const target = convert(r);
        if (target === undefined) continue;
        for (const src of produced) this.relationship(reverse ? target : src, type, reverse ? src : target, base, pkg);
      }
    };
    link(
      children(ind, NS.indicator, 'Indicated_TTP').flatMap((x) => children(x, NS.stixCommon, 'TTP')),
      'indicates',
      (e) => this.convertTtpRef(e, pkg),
    );
    link(refsBelow(ind, 'Related_Campaigns', 'Campaign'), 'indicates', (e) => convertCampaignRef(this, e, pkg));
    link(refsBelow(ind, 'Related_Indicators', 'Indicator'), 'related-to', (e) => this.convertIndicatorRef(e, pkg));
    // STIX 2.1 §4.3: a course of action `investigates` an indicator (what the elevator writes for Suggested_COAs).
    link(refsBelow(ind, 'Suggested_COAs', 'Course_Of_Action'), 'investigates', (e) => convertCoaRef(this, e, pkg), true);
    const first = produced[0];
    if (first !== undefined) convertSightings(this, ind, first, base, pkg);
  }

  convertIndicator(ind: XmlElement, id: string, pkg: PackageCtx): string | undefined {
    const base = this.base(ind, NS.indicator, pkg);
    const producer = child(ind, NS.indicator, 'Producer');
    const createdBy = this.identity(child(producer ?? ind, NS.stixCommon, 'Identity'), base.created) ?? base.createdBy;
    const own: ConstructBase = { ...base, createdBy };
    const fields = this.indicatorFields(ind, id, own);
    if (attr(ind, 'negate') === 'true') {
      this.issues.push(
        issue(
          'warning',
          'STIX1_NEGATE_LOST',
          ind.path,
          'negate="true" on an indicator is not representable in STIX 2.1 and is dropped',
          id,
        ),
      );
    }
    const dropped = ['Likely_Impact', 'Short_Description'].filter((n) => child(ind, NS.indicator, n) !== undefined);
    if (dropped.length > 0)
      this.issues.push(issue('info', 'STIX1_PROPERTY_DROPPED', ind.path, `indicator parts not converted: ${dropped.join(', ')}`, id));
    const produced: string[] = [];
    const expr = this.indicatorExpr(ind, id, 0, new Set());
    if (expr !== undefined) {
      this.add(indicator({ ...fields, id, pattern: renderPattern(expr) }), pkg);
      produced.push(id);
    }
    this.mechanisms(ind, id, fields, produced, pkg);
    if (produced.length === 0) {
      this.skipped++;
      this.issues.push(
        issue('warning', 'STIX1_INDICATOR_EMPTY', ind.path, 'indicator has no convertible observable pattern or test mechanism', id),
      );
      return undefined;
    }
    this.indicators += produced.length;
    this.indicatorRelations(ind, produced, own, pkg);
    return produced[0];
  }

  // ---------------------------------------------------------------- TTPs

  /** Kill chain phases of a TTP, converting it first when it was not yet (forward references). */
  phasesOfTtp(stix1Id: string): readonly KillChainPhase[] {
    const known = this.ttpPhaseMap.get(stix1Id);
    if (known !== undefined) return known;
    const el = this.index.get(stix1Id);
    return el === undefined ? [] : this.killChains.phasesOf(child(el, NS.ttp, 'Kill_Chain_Phases'));
  }

  ttpPhases(stix1Id: string): readonly KillChainPhase[] {
    return this.phasesOfTtp(stix1Id);
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
    if (!this.claim(ttp)) return undefined;
    const r = convertTtp(this, ttp, pkg, (mi, id, base) => this.malwareSamples(mi, id, base, pkg));
    const main = r.ids[0];
    if (stix1Id !== undefined) this.ttpPhaseMap.set(stix1Id, r.phases);
    if (main !== undefined && stix1Id !== undefined) this.ttpIds.set(stix1Id, main);
    if (main !== undefined && r.ids.length > 1 && r.ids.every((x) => x.startsWith('identity--')))
      this.furtherVictims.set(main, r.ids.slice(1));
    return main;
  }

  /**
   * MAEC malware instances: each malware subject's analysed file becomes a sample SCO, and each of its
   * anti-virus classifications a `malware-analysis` (product = vendor, result_name = the classification,
   * result `malicious`: the engine flagged the sample) that is `av-analysis-of` the malware.
   */
  malwareSamples(mi: XmlElement, objectId: string, base: ConstructBase, pkg: PackageCtx): string[] {
    const out: string[] = [];
    const subjects = descendants(mi, undefined, 'Malware_Subject');
    for (const subject of subjects.length > 0 ? subjects : [mi]) {
      let sample: string | undefined;
      for (const ref of descendants(subject, undefined, 'Malware_Instance_Object_Attributes')) {
        const target = this.resolve(ref);
        const props = target === undefined ? undefined : child(target, NS.cybox, 'Properties');
        if (props === undefined) continue;
        const scos = factsToScos(
          extractFacts(props).facts.filter((f) => f.root === 'file'),
          this.issues,
          objectId,
        );
        for (const s of scos) this.addSco(s, base.markings);
        const file = scos.find((s) => s.type === 'file');
        if (file !== undefined) out.push(file.id);
        sample ??= file?.id;
      }
      for (const av of descendants(subject, undefined, 'AV_Classification')) this.avAnalysis(av, objectId, sample, base, pkg);
    }
    return out;
  }

  avAnalysis(av: XmlElement, malwareId: string, sample: string | undefined, base: ConstructBase, pkg: PackageCtx): void {
    const vendor = textOf(child(av, undefined, 'Vendor'));
    const name = textOf(child(av, undefined, 'Classification_Name'));
    if (vendor === undefined && name === undefined) return;
    const product = vendor ?? 'unknown';
    const id = derivedId('malware-analysis', 'stix1', malwareId, product, name ?? '');
    this.add(
      sdo('malware-analysis', id, base, {
        product,
        version: textOf(child(av, undefined, 'Engine_Version')),
        result_name: name,
        result: 'malicious',
        sample_ref: sample,
      }),
      pkg,
    );
    this.relationship(id, 'av-analysis-of', malwareId, base, pkg);
  }

  /** Objects an object points at by `object_reference` (email Links and Attachments): their values are kept too. */
  referencedObjects(obj: XmlElement): XmlElement[] {
    const props = child(obj, NS.cybox, 'Properties');
    if (props === undefined) return [];
    const out: XmlElement[] = [];
    for (const el of [...descendants(props, undefined, 'Link'), ...descendants(props, undefined, 'File')]) {
      const ref = attr(el, 'object_reference');
      const target = ref === undefined ? undefined : this.index.get(ref);
      const o = target === undefined ? undefined : target.local === 'Observable' ? objectOf(target) : target;
      if (o !== undefined && o !== obj) out.push(o);
    }
    return out;
  }

  /**
   * The CybOX objects of an observable (nested observables, related and referenced objects), each with the
   * facts its `Resolved_To` related objects add to it (those are then not separate objects).
   */
  observedObjects(obs: XmlElement): { obj: XmlElement; extra: Fact[] }[] {
    const out: { obj: XmlElement; extra: Fact[] }[] = [];
    for (const o of [obs, ...descendants(obs, NS.cybox, 'Observable')]) {
      const obj = objectOf(o);
      const resolved = obj === undefined ? undefined : this.resolve(obj);
      if (resolved === undefined) continue;
      const props = child(resolved, NS.cybox, 'Properties');
      const parentRoot = props === undefined ? undefined : extractFacts(props).facts[0]?.root;
      const extra: Fact[] = props === undefined ? [] : this.layer7Facts(props, resolved);
      const related: XmlElement[] = [];
      for (const rel of descendantsShallow(resolved, 'Related_Object')) {
        const r = this.resolvedTo(parentRoot, rel);
        if (r === undefined) related.push(rel);
        else extra.push(...r);
      }
      out.push({ obj: resolved, extra }, ...[...related, ...this.referencedObjects(resolved)].map((x) => ({ obj: x, extra: [] })));
    }
    return out;
  }

  /** An observable instance → observed-data + SCOs. */
  convertObservable(el: XmlElement, pkg: PackageCtx): string | undefined {
    const obs = this.resolve(el);
    if (obs === undefined) return undefined;
    const id = this.stixId('observed-data', attr(obs, 'id'), pkg.id ?? '', obs.path);
    if (!this.claim(obs)) return this.objects.has(id) ? id : undefined;
    const facts: Fact[] = [];
    const propsList = this.observedObjects(obs);
    const scos: StixObject[] = [];
    for (const { obj, extra } of propsList) {
      const props = child(obj, NS.cybox, 'Properties');
      if (props === undefined) continue;
      const r = extractFacts(props);
      if (r.typeName === undefined) {
        this.issues.push(
          issue(
            'warning',
            'STIX1_OBJECT_UNSUPPORTED',
            props.path,
            `CybOX object type ${xsiType(props)?.local ?? '(none)'} has no STIX 2.1 SCO mapping`,
            id,
          ),
        );
        continue;
      }
      const kept = r.kept ?? new Map<string, string>();
      const lost = [...new Set(r.unmapped)].filter((n) => !kept.has(n));
      if (lost.length > 0) {
        this.issues.push(
          issue('info', 'STIX1_PROPERTY_UNMAPPED', props.path, `${r.typeName} properties not mapped: ${lost.join(', ')}`, id),
        );
      }
      if (kept.size > 0) {
        const list = [...kept].map(([n, p]) => `${n} → ${p}`).join(', ');
        this.issues.push(
          issue(
            'info',
            'STIX1_PROPERTY_CUSTOM',
            props.path,
            `${r.typeName} properties without a STIX 2.1 property kept as custom properties: ${list}`,
            id,
          ),
        );
      }
      facts.push(...r.facts, ...extra);
      scos.push(...factsToScos([...r.facts, ...extra], this.issues, id));
    }
    if (scos.length === 0) {
      this.skipped++;
      this.issues.push(issue('warning', 'STIX1_OBSERVABLE_EMPTY', obs.path, 'observable has no convertible object', id));
      return undefined;
    }
    const markings = [...new Set([...pkg.markings, ...(this.scopedMarkings.get(attr(obs, 'id') ?? '') ?? [])])];
    for (const s of scos) this.addSco(s, markings);
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
    if (markings.length > 0) o['object_marking_refs'] = markings;
    this.add(o as StixObject, pkg);
    this.observables += scos.length;
    return id;
  }

  convertIncident(inc: XmlElement, pkg: PackageCtx): void {
    const id = this.stixId('incident', attr(inc, 'id'), pkg.id ?? '', inc.path);
    if (!this.claim(inc)) return;
    const b = this.base(inc, NS.incident, pkg);
    const createdBy = this.identity(childPath(inc, undefined, 'Reporter', 'Identity'), b.created) ?? b.createdBy;
    const base: ConstructBase = { ...b, createdBy };
    const ext = children(inc, NS.incident, 'External_ID').flatMap((e) => {
      const v = textOf(e);
      return v === undefined ? [] : [{ source_name: attr(e, 'source') ?? 'stix1', external_id: v }];
    });
    const name = textOf(child(inc, NS.incident, 'Title')) ?? 'STIX 1.x incident';
    const fields = {
      name,
      description: descriptionOf(inc, NS.incident),
      labels: children(inc, NS.incident, 'Categories')
        .flatMap((c) => children(c, NS.incident, 'Category').flatMap((x) => textOf(x) ?? []))
        .map(stixLiteral),
      external_references: ext,
    };
    this.add(sdo('incident', id, base, fields), pkg);
    for (const ri of refsBelow(inc, 'Related_Indicators', 'Indicator')) {
      const target = this.convertIndicatorRef(ri, pkg);
      if (target !== undefined) this.relationship(target, 'related-to', id, base, pkg);
    }
    for (const ro of refsBelow(inc, 'Related_Observables', 'Observable')) {
      const target = this.convertObservable(ro, pkg);
      if (target !== undefined) this.relationship(id, 'related-to', target, base, pkg);
    }
    for (const lt of refsBelow(inc, 'Leveraged_TTPs', 'TTP')) {
      const target = this.convertTtpRef(lt, pkg);
      if (target !== undefined) this.relationship(id, 'related-to', target, base, pkg);
    }
    for (const ta of refsBelow(inc, 'Attributed_Threat_Actors', 'Threat_Actor')) {
      const target = convertThreatActorRef(this, ta, pkg);
      if (target !== undefined) this.relationship(id, 'attributed-to', target, base, pkg);
    }
  }

  convertIncidentRef(el: XmlElement, pkg: PackageCtx): string | undefined {
    const inc = this.resolve(el);
    if (inc === undefined) return undefined;
    this.convertIncident(inc, pkg);
    const id = this.stixId('incident', attr(inc, 'id'), pkg.id ?? '', inc.path);
    return this.objects.has(id) ? id : undefined;
  }

  /** The first identity of `Contributing_Sources`; further ones are reported (one producer per object). */
  contributingSource(infoSource: XmlElement | undefined): XmlElement | undefined {
    const sources = infoSource === undefined ? undefined : child(infoSource, NS.stixCommon, 'Contributing_Sources');
    if (sources === undefined) return undefined;
    const identities = children(sources, NS.stixCommon, 'Source').flatMap((s) => child(s, NS.stixCommon, 'Identity') ?? []);
    const others = identities.slice(1).flatMap((i) => readIdentity(i).name ?? []);
    if (others.length > 0) {
      this.issues.push(
        issue(
          'info',
          'STIX1_PROPERTY_DROPPED',
          sources.path,
          `contributing sources after the first are not producers: ${others.join(', ')}`,
        ),
      );
    }
    return identities[0];
  }

  /** Timestamp, producer and markings of a package (inheriting from its parent). */
  packageContext(el: XmlElement, parent: PackageCtx | undefined): PackageCtx {
    const header = child(el, NS.stix, 'STIX_Header');
    const infoSource = child(header ?? el, NS.stix, 'Information_Source');
    let timestamp =
      this.time(attr(el, 'timestamp'), el.path) ??
      this.time(textOf(childPath(infoSource ?? el, undefined, 'Time', 'Produced_Time')), infoSource?.path ?? el.path) ??
      parent?.timestamp ??
      this.docTime;
    if (timestamp === undefined) {
      timestamp = this.options.now;
      this.issues.push(
        issue(
          'info',
          'STIX1_TIMESTAMP_MISSING',
          el.path,
          'the document carries no timestamp; the import time is used (a re-import makes new versions)',
        ),
      );
    }
    this.lastAis = undefined;
    const handling = child(header ?? el, NS.stix, 'Handling');
    const own = this.headerMarkings(handling, timestamp);
    const markings = [...new Set([...(parent?.markings ?? []), ...own])];
    const ais = this.lastAis === undefined ? undefined : aisLabel(this.lastAis);
    // Without a package Information_Source identity, the marking's source (the AIS submitter) produced the
    // package, else its first contributing source (AIS packages name the submitter there).
    const identityEl =
      child(infoSource ?? el, NS.stixCommon, 'Identity') ??
      (handling === undefined ? [] : descendants(handling, NS.marking, 'Information_Source'))
        .map((s) => child(s, NS.stixCommon, 'Identity'))
        .find((x) => x !== undefined) ??
      this.contributingSource(infoSource);
    const createdBy =
      this.identity(identityEl, timestamp, ais === undefined ? undefined : { labels: [ais], markings }) ??
      parent?.createdBy ??
      this.options.source?.identity;
    return { el, id: attr(el, 'id'), timestamp, markings, createdBy, produced: [] };
  }

  /** Every section of a package, in an order where idrefs mostly point backwards. */
  convertSections(el: XmlElement, pkg: PackageCtx, depth: number): void {
    // Exploit targets are written `stixCommon:Exploit_Target` by the schema, the other sections in the STIX namespace.
    const section = (name: string, local: string): XmlElement[] =>
      (child(el, NS.stix, name) ?? el).children.filter((c) => c.local === local && (c.ns === NS.stix || c.ns === NS.stixCommon));
    for (const ttp of section('TTPs', 'TTP')) this.convertTtp(ttp, pkg);
    for (const et of section('Exploit_Targets', 'Exploit_Target')) convertExploitTargetRef(this, et, pkg);
    for (const coa of section('Courses_Of_Action', 'Course_Of_Action')) convertCoaRef(this, coa, pkg);
    for (const ind of section('Indicators', 'Indicator')) this.convertIndicatorRef(ind, pkg);
    // The schema writes cybox:Observable; some producers write the element in the STIX namespace.
    const observables = (child(el, NS.stix, 'Observables') ?? el).children.filter(
      (c) => c.local === 'Observable' && (c.ns === NS.cybox || c.ns === NS.stix),
    );
    for (const obs of observables) this.convertObservable(obs, pkg);
    for (const inc of section('Incidents', 'Incident')) this.convertIncident(inc, pkg);
    for (const ta of section('Threat_Actors', 'Threat_Actor')) convertThreatActorRef(this, ta, pkg);
    for (const c of section('Campaigns', 'Campaign')) convertCampaignRef(this, c, pkg);
    for (const rep of section('Reports', 'Report')) convertReport(this, rep, pkg, (item) => this.convertAny(item, pkg));
    for (const rp of section('Related_Packages', 'Related_Package')) {
      const inner = child(rp, NS.stix, 'Package') ?? child(rp, NS.stix, 'STIX_Package');
      if (inner !== undefined) this.convertPackage(inner, pkg, depth + 1);
    }
  }

  /** Any construct reference (as listed by a STIX 1.2 Report) → the ids it produced. */
  convertAny(item: XmlElement, pkg: PackageCtx): string[] {
    const one = (id: string | undefined): string[] => (id === undefined ? [] : [id]);
    switch (item.local) {
      case 'Indicator':
        return one(this.convertIndicatorRef(item, pkg));
      case 'Observable':
        return one(this.convertObservable(item, pkg));
      case 'TTP':
        return one(this.convertTtpRef(item, pkg));
      case 'Threat_Actor':
        return one(convertThreatActorRef(this, item, pkg));
      case 'Campaign':
        return one(convertCampaignRef(this, item, pkg));
      case 'Course_Of_Action':
        return one(convertCoaRef(this, item, pkg));
      case 'Exploit_Target':
        return convertExploitTargetRef(this, item, pkg);
      case 'Incident':
        return one(this.convertIncidentRef(item, pkg));
      default:
        return [];
    }
  }

  convertPackage(el: XmlElement, parent: PackageCtx | undefined, depth: number): void {
    if (depth > 4) {
      this.issues.push(issue('warning', 'STIX1_NESTING_TOO_DEEP', el.path, 'Related_Packages nested too deeply; inner packages skipped'));
      return;
    }
    const pkg = this.packageContext(el, parent);
    this.convertSections(el, pkg, depth);
    if (parent !== undefined) parent.produced.push(...pkg.produced);
    const header = child(el, NS.stix, 'STIX_Header');
    const title = textOf(child(header ?? el, NS.stix, 'Title'));
    // STIX 1.2 Reports are the package's containers: no second report is made from the package itself.
    const hasReports = children(child(el, NS.stix, 'Reports') ?? el, NS.stix, 'Report').length > 0;
    if (pkg.produced.length > 0 && !hasReports && (parent === undefined || title !== undefined)) {
      const id = this.stixId('report', pkg.id, el.path);
      const refs = [...new Set(pkg.produced)];
      const base: ConstructBase = {
        created: pkg.timestamp,
        createdBy: pkg.createdBy,
        markings: this.containerMarkings(pkg.markings, refs),
      };
      const intents = children(header ?? el, NS.stix, 'Package_Intent')
        .flatMap((i) => textOf(i) ?? [])
        .map(stixLiteral);
      const fields = {
        name: title ?? 'STIX 1.x package',
        description: descriptionOf(header ?? el, NS.stix),
        report_types: intents,
        published: pkg.timestamp,
        object_refs: refs,
      };
      this.add(sdo('report', id, base, fields));
      if (parent !== undefined) parent.produced.push(id);
    }
  }

  /**
   * Markings of a container: its own, every statement its members carry, and the strictest TLP among them
   * (a container never lists ids of objects more restricted than itself).
   */
  containerMarkings(own: readonly string[], refs: readonly string[]): string[] {
    const all = new Set(own);
    for (const ref of refs) {
      const m = this.objects.get(ref)?.['object_marking_refs'];
      if (Array.isArray(m)) for (const x of m) if (typeof x === 'string') all.add(x);
    }
    const level = strictestTlp([...all]);
    const out = [...all].filter((m) => tlpLevelOfMarking(m) === undefined);
    return level === undefined ? out : [stix1TlpId(level), ...out];
  }
}

/** Construct references two levels below a wrapper: `Related_Indicators/Related_Indicator/stixCommon:Indicator`. */
function refsBelow(el: XmlElement, wrapper: string, local: string): XmlElement[] {
  const w = el.children.find((c) => c.local === wrapper);
  if (w === undefined) return [];
  return w.children.flatMap((c) => (c.ns === NS.stixCommon && c.local === local ? [c] : children(c, NS.stixCommon, local)));
}

/** The latest valid timestamp written in the document (`timestamp` attributes and Produced_Time). */
function latestTimestamp(root: XmlElement): string | undefined {
  let best: string | undefined;
  const stack: XmlElement[] = [root];
  while (stack.length > 0) {
    const el = stack.pop();
    if (el === undefined) break;
    const raw = attr(el, 'timestamp') ?? (el.local === 'Produced_Time' ? textOf(el) : undefined);
    const t = toStixTimestamp(raw)?.value;
    if (t !== undefined && (best === undefined || compareTimestamps(t, best) > 0)) best = t;
    for (const c of el.children) stack.push(c);
  }
  return best;
}

/**
 * STIX 1 TLP colours are TLP 1.0: they become the TLP 1.0 marking definitions STIX 2.1 itself defines
 * (§7.2.1.4; WHITE is the 1.0 white). Only AMBER+STRICT, which TLP 1.0 lacks, uses the TLP 2.0 id.
 */
function stix1TlpId(level: TlpLevel): string {
  switch (level) {
    case 'clear':
      return TLP1_IDS.white;
    case 'amber+strict':
      return tlp2IdFor(level);
    default:
      return TLP1_IDS[level];
  }
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
/**
 * `created` and `modified` MUST be precise to the millisecond (STIX 2.1 §3.2): a STIX 1 timestamp written
 * to the second gets `.000`. Finer fractions are kept as written; other timestamps are left as they are.
 */
function millisecondTimes(o: StixObject): StixObject {
  let out = o;
  for (const key of ['created', 'modified'] as const) {
    const v = out[key];
    if (typeof v === 'string' && /T\d{2}:\d{2}:\d{2}Z$/.test(v)) out = { ...out, [key]: `${v.slice(0, -1)}.000Z` };
  }
  return out;
}

/** What each object type may resolve to (STIX 2.1 `resolves_to_refs` of domain names and IP addresses). */
const RESOLVABLE: Readonly<Record<string, ReadonlySet<string>>> = {
  'domain-name': new Set(['ipv4-addr', 'ipv6-addr', 'domain-name']),
  'ipv4-addr': new Set(['mac-addr']),
  'ipv6-addr': new Set(['mac-addr']),
};

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
      issue(
        'error',
        'STIX1_NOT_A_PACKAGE',
        root.path,
        `not a STIX 1.x document: root element is {${root.ns}}${root.local}, expected {${NS.stix}}STIX_Package`,
      ),
    ]);
  }
  const conv = new Converter(options, root);
  conv.issues.push(...parsed.issues);
  try {
    conv.convertPackage(pkgEl, undefined, 0);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return emptyResult([
      ...conv.issues,
      issue('error', 'STIX1_INTERNAL', pkgEl.path, `STIX 1.x conversion failed: ${message.slice(0, 200)}`),
    ]);
  }
  const objects = [...conv.objects.values()].map(millisecondTimes);
  const otherObjects = objects.filter((o) => o.type !== 'indicator' && !SCO_TYPES.has(o.type)).length;
  if (objects.length === 0)
    conv.issues.push(issue('warning', 'STIX1_NOTHING_CONVERTED', pkgEl.path, 'the package produced no STIX 2.1 objects'));
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

const SCOPED_OBSERVABLES =
  /^\/\/cybox:Observable\[(@id='[^']+'(?: or @id='[^']+')*)\]\/descendant-or-self::node\(\)(?: \| \/\/cybox:Observable\[\1\]\/descendant-or-self::node\(\)\/@\*)?$/;

/** The observable ids a Controlled_Structure of the exporter's scoped form names, or undefined for any other form. */
function scopedObservableIds(xpath: string | undefined): string[] | undefined {
  const m = SCOPED_OBSERVABLES.exec(xpath?.trim() ?? '');
  if (m === null || m[1] === undefined) return undefined;
  return [...m[1].matchAll(/@id='([^']+)'/g)].flatMap((x) => (x[1] === undefined ? [] : [x[1]]));
}
