/**
 * STIX 2.1 → STIX 1.2 XML (the slider's direction). Indicators with simple patterns become CybOX observables
 * with conditions; snort/yara indicators become Test_Mechanisms; observed-data and bare SCOs become CybOX
 * Observables; malware, attack patterns, tools and infrastructure become TTPs; vulnerabilities become
 * Exploit_Targets; courses of action, campaigns, threat actors, incidents and reports become their STIX 1
 * constructs, holding the relationships STIX 1 can express (Indicated_TTP, Observed_TTPs, Attribution, …).
 * TLP is written per construct as a TLP marking structure (most restrictive level, never widened:
 * AMBER+STRICT is written as RED), statement markings as Terms of Use. What cannot be represented is
 * reported; an unrepresentable pattern is kept in the indicator's Description.
 */
import { CUSTOM_OBJECT_NS, CUSTOM_OBSERVABLE_TYPES, customObservableXml, templateObservableXml } from './export-custom';
import { type PlacedTerms, versionInfoItems } from './export-openioc';
import { uuidV5, GATEWAY_ID_NAMESPACE, parseStixId, SCO_TYPES } from '../../stix/identifiers';
import { issue, type ContentIssue } from '../../stix/issues';
import type { TlpLevel } from '../../stix/markings';
import { isWellKnownTlpId, strictestTlp } from '../../stix/markings';
import { escapeXmlAttr as ea, escapeXmlText as et } from '../common/xml';
import type { ExportResult, StixObject } from '../types';
import { type CyboxItem, CYBOX_EXPORT_NS, cyboxProperties } from './export-cybox';
import {
  campaignXml,
  coaXml,
  endType,
  type ExportHost,
  exploitTargetXml,
  incidentXml,
  informationSourceXml,
  openiocTermsNote,
  killChainXml,
  observableXml,
  related,
  reportXml,
  noteXml,
  str,
  strings,
  threatActorXml,
  TTP_TYPES,
  ttpXml,
} from './export-constructs';
import { SECTORS } from './ais';
import { EXTRAS_WRITTEN, ruleVersionXml } from './export-extras';
import { CYBOX_OBJECT_NS, NS } from './namespaces';
import { type Comparison, type Expr, renderPath, singleRoot } from './pattern-tree';
import { literalFromLike, literalFromRegex, parseSimplePattern } from './simple-pattern';
import { INDICATOR_TYPE_MAP } from './vocab';

export interface Stix1ExportOptions {
  /** Namespace URI of the producer's ids (default `urn:stix-taxii-gateway`). */
  readonly namespace?: string;
  /** Prefix bound to that namespace (default `gateway`). */
  readonly prefix?: string;
  /** Package title (default "STIX 2.1 export"). */
  readonly title?: string;
}

const DECLS: Readonly<Record<string, string>> = {
  stix: NS.stix,
  stixCommon: NS.stixCommon,
  indicator: NS.indicator,
  ttp: NS.ttp,
  et: NS.exploitTarget,
  coa: NS.coa,
  campaign: NS.campaign,
  ta: NS.threatActor,
  incident: NS.incident,
  report: NS.report,
  cybox: NS.cybox,
  cyboxCommon: NS.cyboxCommon,
  cyboxVocabs: NS.cyboxVocabs,
  stixVocabs: NS.stixVocabs,
  marking: NS.marking,
  tlpMarking: NS.tlp,
  TOUMarking: NS.termsOfUse,
  AIS: 'http://www.us-cert.gov/STIXMarkingStructure#AISConsentMarking-2',
  'stix-ciq': 'http://stix.mitre.org/extensions/Identity#CIQIdentity3.0-1',
  xpil: 'urn:oasis:names:tc:ciq:xpil:3',
  xnl: 'urn:oasis:names:tc:ciq:xnl:3',
  xal: 'urn:oasis:names:tc:ciq:xal:3',
  snortTM: NS.snort,
  yaraTM: NS.yara,
  xsi: NS.xsi,
  ...CYBOX_OBJECT_NS,
  ...CYBOX_EXPORT_NS,
  ...CUSTOM_OBJECT_NS,
};

const TLP_COLOR = { clear: 'WHITE', green: 'GREEN', amber: 'AMBER', 'amber+strict': 'RED', red: 'RED' } as const;

class CannotMap extends Error {}

const NO_TERMS: PlacedTerms = { items: [], used: new Set() };

/** CybOX condition attributes for one comparison. */
function condition(c: Comparison): { condition: string; values: string; apply?: string } {
  const v = c.value;
  const text = (x: string | number): string => String(x);
  if (v.kind === 'set') {
    if (c.op !== 'IN' || c.negated) throw new CannotMap('negated IN');
    return { condition: 'Equals', values: v.values.map(text).join('##comma##'), apply: 'ANY' };
  }
  const value = v.kind === 'string' || v.kind === 'timestamp' || v.kind === 'binary' ? v.value : String(v.value);
  const sub = (kind: string, val: string): { condition: string; values: string } => {
    if (kind === 'exact') return { condition: c.negated ? 'DoesNotEqual' : 'Equals', values: val };
    if (c.negated) {
      if (kind === 'contains') return { condition: 'DoesNotContain', values: val };
      throw new CannotMap('negated StartsWith/EndsWith');
    }
    return { condition: kind === 'starts' ? 'StartsWith' : kind === 'ends' ? 'EndsWith' : 'Contains', values: val };
  };
  switch (c.op) {
    case '=':
      return { condition: c.negated ? 'DoesNotEqual' : 'Equals', values: value };
    case '!=':
      return { condition: c.negated ? 'Equals' : 'DoesNotEqual', values: value };
    case 'MATCHES': {
      const lit = literalFromRegex(value);
      if (lit !== undefined) return sub(lit.kind, lit.value);
      if (c.negated) throw new CannotMap('negated regex');
      return { condition: 'FitsPattern', values: value };
    }
    case 'LIKE': {
      const lit = literalFromLike(value);
      if (lit === undefined) throw new CannotMap('LIKE with inner wildcards');
      return sub(lit.kind, lit.value);
    }
    case '>':
    case '<':
    case '>=':
    case '<=': {
      if (c.negated) throw new CannotMap('negated ordering');
      const names = { '>': 'GreaterThan', '<': 'LessThan', '>=': 'GreaterThanOrEqual', '<=': 'LessThanOrEqual' } as const;
      return { condition: names[c.op], values: value };
    }
    case 'ISSUBSET': {
      // An address in a network: CybOX writes the network as the address value (CIDR notation).
      const isAddress = (c.root === 'ipv4-addr' || c.root === 'ipv6-addr') && c.path.length === 1 && c.path[0] === 'value';
      if (c.negated || !isAddress || !value.includes('/')) throw new CannotMap('ISSUBSET other than an address in a CIDR block');
      return { condition: 'Equals', values: value };
    }
    default:
      throw new CannotMap(`operator ${c.op}`);
  }
}

/** A comparison as a CybOX item: its path and value with the condition attributes. */
function item(c: Comparison): CyboxItem {
  const cond = condition(c);
  const apply = cond.apply !== undefined ? ` apply_condition="${cond.apply}"` : '';
  return { path: renderPath(c.path), text: cond.values, attrs: ` condition="${cond.condition}"${apply}` };
}

/**
 * `X_ref.type = 'ipv4-addr'` beside a comparison of `X_ref.value`: CybOX writes the address as an IPv4 Address
 * object (its category), so the type comparison says nothing more and is left out.
 */
function impliedTypesLeftOut(cs: readonly Comparison[]): readonly Comparison[] {
  const paths = new Set(cs.map((c) => renderPath(c.path)));
  return cs.filter((c) => {
    const p = renderPath(c.path);
    if (!p.endsWith('_ref.type') || c.op !== '=' || c.negated || c.value.kind !== 'string' || c.value.value !== 'ipv4-addr') return true;
    return !paths.has(`${p.slice(0, -'type'.length)}value`);
  });
}

/**
 * One CybOX object (all comparisons on one root, ANDed, and extra items) as a `cybox:Properties` element.
 * Comparisons of a STIX property CybOX has no element for are custom properties, listed in `customs`.
 */
function properties(root: string, cs: readonly Comparison[], customs: string[], extra: readonly CyboxItem[] = []): string {
  try {
    const r = cyboxProperties(root, [...impliedTypesLeftOut(cs).map(item), ...extra], false, true);
    customs.push(...r.customs.map((c) => `${root}:${c}`));
    return r.xml;
  } catch (e) {
    if (e instanceof CannotMap) throw e;
    throw new CannotMap(e instanceof Error ? e.message : String(e));
  }
}

const KINDS: Readonly<Record<string, { kind: string; element: string; xsiType: string }>> = {
  indicator: { kind: 'indicator', element: 'Indicator', xsiType: 'indicator:IndicatorType' },
  'observed-data': { kind: 'Observable', element: 'Observable', xsiType: '' },
  malware: { kind: 'ttp', element: 'TTP', xsiType: 'ttp:TTPType' },
  'attack-pattern': { kind: 'ttp', element: 'TTP', xsiType: 'ttp:TTPType' },
  tool: { kind: 'ttp', element: 'TTP', xsiType: 'ttp:TTPType' },
  infrastructure: { kind: 'ttp', element: 'TTP', xsiType: 'ttp:TTPType' },
  vulnerability: { kind: 'et', element: 'Exploit_Target', xsiType: 'et:ExploitTargetType' },
  'course-of-action': { kind: 'coa', element: 'Course_Of_Action', xsiType: 'coa:CourseOfActionType' },
  campaign: { kind: 'campaign', element: 'Campaign', xsiType: 'campaign:CampaignType' },
  'threat-actor': { kind: 'threatactor', element: 'Threat_Actor', xsiType: 'ta:ThreatActorType' },
  incident: { kind: 'incident', element: 'Incident', xsiType: 'incident:IncidentType' },
};

class Writer implements ExportHost {
  readonly issues: ContentIssue[] = [];
  readonly outgoing = new Map<string, StixObject[]>();
  readonly incoming = new Map<string, StixObject[]>();
  readonly done = new Set<string>();
  n = 0;
  constructor(
    readonly prefix: string,
    readonly seed: string,
    readonly byId: ReadonlyMap<string, StixObject>,
  ) {
    for (const o of byId.values()) {
      if (o.type !== 'relationship') continue;
      const src = str(o, 'source_ref') ?? '';
      const tgt = str(o, 'target_ref') ?? '';
      this.outgoing.set(src, [...(this.outgoing.get(src) ?? []), o]);
      this.incoming.set(tgt, [...(this.incoming.get(tgt) ?? []), o]);
    }
  }

  readonly own = new Map<string, string[]>();
  /** Comparisons of the pattern being written that became custom properties (`root:path = "value"`). */
  patternCustoms: string[] = [];

  expressed(rel: StixObject): void {
    this.done.add(rel.id);
  }

  addConstruct(section: string, xml: string): void {
    this.own.set(section, [...(this.own.get(section) ?? []), xml]);
  }

  kindOf(stixId: string): { kind: string; element: string; xsiType: string } | undefined {
    const type = endType(this.byId, stixId);
    return type === undefined ? undefined : KINDS[type];
  }

  handling(o: StixObject, prefix: string): string {
    return handlingXml(o, prefix, this);
  }

  id(kind: string, stixId?: string): string {
    const uuid = stixId === undefined ? undefined : parseStixId(stixId)?.uuid;
    return `${this.prefix}:${kind}-${uuid ?? uuidV5(`${this.seed}\u0000${kind}\u0000${this.n++}`, GATEWAY_ID_NAMESPACE)}`;
  }

  /** An observable for an expression: one object per root, compositions for OR and for several roots. */
  observable(e: Expr, extra: PlacedTerms = NO_TERMS): string {
    const root = singleRoot(e);
    if (
      root !== undefined &&
      (e.kind === 'cmp' || (e.kind === 'and' && e.observations !== true && e.items.every((i) => i.kind === 'cmp')))
    ) {
      const cs = e.kind === 'cmp' ? [e] : e.items.filter((i): i is Comparison => i.kind === 'cmp');
      const more = root === 'file' ? extra.items : [];
      return `<cybox:Observable id="${ea(this.id('Observable'))}"><cybox:Object>${properties(root, cs, this.patternCustoms, more)}</cybox:Object></cybox:Observable>`;
    }
    if (e.kind === 'cmp') throw new CannotMap('comparison');
    const parts: string[] = [];
    if (e.kind === 'and' && e.observations !== true) {
      // Same-root comparisons of an AND describe one object.
      const groups = new Map<string, Comparison[]>();
      const order: (string | Expr)[] = [];
      for (const it of e.items) {
        if (it.kind !== 'cmp') order.push(it);
        else if (groups.has(it.root)) groups.get(it.root)?.push(it);
        else {
          groups.set(it.root, [it]);
          order.push(it.root);
        }
      }
      for (const o of order) {
        parts.push(
          typeof o === 'string'
            ? `<cybox:Observable id="${ea(this.id('Observable'))}"><cybox:Object>${properties(o, groups.get(o) ?? [], this.patternCustoms)}</cybox:Object></cybox:Observable>`
            : this.observable(o),
        );
      }
    } else {
      for (const it of e.items) parts.push(this.observable(it));
    }
    if (parts.length === 1) return parts[0] ?? '';
    return `<cybox:Observable id="${ea(this.id('Observable'))}"><cybox:Observable_Composition operator="${e.kind.toUpperCase()}">${parts.join('')}</cybox:Observable_Composition></cybox:Observable>`;
  }
}

/** Which section each 2.1 type is written to, in STIX 1.2 package order. */
const SECTIONS: readonly { readonly section: string; readonly types: readonly string[] }[] = [
  { section: 'Observables', types: ['observed-data', ...CUSTOM_OBSERVABLE_TYPES] },
  { section: 'Indicators', types: ['indicator'] },
  { section: 'TTPs', types: TTP_TYPES },
  { section: 'Exploit_Targets', types: ['vulnerability'] },
  { section: 'Incidents', types: ['incident'] },
  { section: 'Courses_Of_Action', types: ['course-of-action'] },
  { section: 'Campaigns', types: ['campaign'] },
  { section: 'Threat_Actors', types: ['threat-actor'] },
  { section: 'Reports', types: ['report', 'note'] },
];
const HANDLED = new Set([...SECTIONS.flatMap((x) => x.types), 'identity', 'marking-definition', 'relationship', 'sighting']);

type ConstructWriter = (w: Writer, o: StixObject) => string | undefined;

/** The writer of each 2.1 type that becomes a STIX 1 construct (or an observable). */
const CONSTRUCTS: Readonly<Record<string, ConstructWriter>> = {
  // observed-data has no description; a MISP comment rides as x_misp_comment: the CybOX Observable's Description.
  'observed-data': (w, o) => observableXml(w, o.id, strings(o, 'object_refs'), undefined, str(o, 'x_misp_comment')),
  'x-misp-attribute': customObservableXml,
  'x-misp-object': customObservableXml,
  indicator: (w, o) => indicatorXml(o, w),
  vulnerability: exploitTargetXml,
  incident: incidentXml,
  'course-of-action': coaXml,
  campaign: campaignXml,
  'threat-actor': threatActorXml,
  report: reportXml,
  note: noteXml,
  ...Object.fromEntries(TTP_TYPES.map((t): [string, ConstructWriter] => [t, ttpXml])),
};

/** One construct's XML, or undefined when it produced nothing. */
function constructXml(w: Writer, o: StixObject): string | undefined {
  return CONSTRUCTS[o.type]?.(w, o);
}

/**
 * Identities no object points to and locations the MISP importer made from MISP objects (organization, person,
 * geolocation, ...): STIX 1.x has no construct for them, so each is a CybOX Custom object (export-custom.ts).
 */
function templateObservables(objects: readonly StixObject[], w: Writer): string[] {
  const referenced = new Set(
    objects.flatMap((o) =>
      // A container listing it does not make it a producer, a relationship end or a sighting's place.
      Object.entries(o).flatMap(([k, v]) =>
        k.endsWith('_ref') ? [v] : k.endsWith('_refs') && k !== 'object_refs' && Array.isArray(v) ? v : [],
      ),
    ),
  );
  return objects.flatMap((o) => {
    if ((o.type !== 'identity' && o.type !== 'location') || referenced.has(o.id)) return [];
    const xml = templateObservableXml(w, o);
    if (xml !== undefined) w.done.add(o.id);
    return xml ?? [];
  });
}

/** SCOs no observed-data lists become observables of their own. */
function bareScos(objects: readonly StixObject[], w: Writer): string[] {
  const listed = new Set(objects.flatMap((o) => (o.type === 'observed-data' ? strings(o, 'object_refs') : [])));
  const scos = objects.filter((o) => SCO_TYPES.has(o.type) && !listed.has(o.id));
  const ids = scos.map((o) => o.id);
  const referenced = new Set(
    scos.flatMap((o) =>
      Object.entries(o).flatMap(([k, v]) =>
        k.endsWith('_ref') && typeof v === 'string' ? [v] : k.endsWith('_refs') && Array.isArray(v) ? v : [],
      ),
    ),
  );
  return ids.filter((id) => !referenced.has(id)).flatMap((id) => observableXml(w, id, [id, ...scoRefs(w, id)]) ?? []);
}

/** The ids an SCO references (transitively one level: addresses of traffic, directory of a file). */
function scoRefs(w: Writer, id: string): string[] {
  const o = w.byId.get(id);
  if (o === undefined) return [];
  return Object.entries(o).flatMap(([k, v]) =>
    k.endsWith('_ref') && typeof v === 'string'
      ? [v]
      : k.endsWith('_refs') && Array.isArray(v)
        ? v.filter((x): x is string => typeof x === 'string')
        : [],
  );
}

/** Custom properties (`x_…`) a construct cannot hold, named with their values (x_openioc_terms is written). */
function reportCustomProperties(o: StixObject, i: number, w: Writer): void {
  const custom = Object.keys(o).filter(
    (k) =>
      k.startsWith('x_') &&
      !(k === 'x_openioc_terms' && (o.type === 'indicator' || o.type === 'report')) &&
      !(k === 'x_misp_comment' && o.type === 'observed-data') &&
      EXTRAS_WRITTEN[o.type]?.has(k) !== true,
  );
  if (custom.length === 0) return;
  const shown = custom.map((k) => {
    const v = JSON.stringify(o[k]) ?? '';
    return `${k} = ${v.length > 200 ? `${v.slice(0, 200)}…` : v}`;
  });
  w.issues.push(
    issue(
      'info',
      'STIX1_EXPORT_PROPERTY_UNMAPPED',
      `/objects/${i}`,
      `custom properties without a STIX 1.x place: ${shown.join('; ')}`,
      o.id,
    ),
  );
}

/** A relationship end as an issue names it: its type and name (`identity "US Gov"`), or its id. */
function endName(w: Writer, rel: StixObject, key: string): string {
  const id = str(rel, key) ?? '';
  const end = w.byId.get(id);
  const name = end === undefined ? undefined : str(end, 'name');
  return end === undefined ? id : name === undefined ? end.type : `${end.type} ${JSON.stringify(name)}`;
}

function reportUnexpressed(objects: readonly StixObject[], w: Writer): void {
  objects.forEach((o, i) => {
    if (HANDLED.has(o.type) && o.type !== 'marking-definition' && o.type !== 'relationship') reportCustomProperties(o, i, w);
    if (o.type === 'relationship' && !w.done.has(o.id)) {
      w.issues.push(
        issue(
          'info',
          'STIX1_EXPORT_UNSUPPORTED_OBJECT',
          `/objects/${i}`,
          `relationship '${str(o, 'relationship_type') ?? ''}' has no STIX 1.x form between these constructs (${endName(w, o, 'source_ref')} → ${endName(w, o, 'target_ref')})`,
          o.id,
        ),
      );
    } else if (!HANDLED.has(o.type) && !SCO_TYPES.has(o.type) && !w.done.has(o.id)) {
      w.issues.push(
        issue(
          'info',
          'STIX1_EXPORT_UNSUPPORTED_OBJECT',
          `/objects/${i}`,
          `${o.type} objects are not exported to STIX 1.x${typeof o['name'] === 'string' ? ` (${JSON.stringify(o['name'])} left out)` : ''}`,
          o.id,
        ),
      );
    }
  });
}

/** industry-sector-ov → the AIS sector name (`technology` → `Information Technology Sector`); others as written. */
const SECTOR_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries(SECTORS).map(([name, sector]) => [sector, name.replace(/\b(?!and\b)[a-z]/g, (c) => c.toUpperCase())]),
);

/** The package's Information_Source: the producer most objects name, with its location and sectors in CIQ. */
function informationSource(objects: readonly StixObject[], w: Writer): string {
  const counts = new Map<string, number>();
  for (const o of objects) {
    const c = str(o, 'created_by_ref');
    if (c !== undefined) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  const identity = top === undefined ? undefined : w.byId.get(top);
  const name = identity === undefined ? undefined : str(identity, 'name');
  if (identity === undefined || name === undefined) return '';
  const loc = related(w, identity.id, 'located-at', ['location']).flatMap((id) => w.byId.get(id) ?? [])[0];
  const country = loc === undefined ? undefined : str(loc, 'country');
  const sectors = strings(identity, 'sectors').map((x) => SECTOR_NAMES.get(x) ?? x);
  if ((loc === undefined || country === undefined) && sectors.length === 0) {
    return `<stix:Information_Source><stixCommon:Identity><stixCommon:Name>${et(name)}</stixCommon:Name></stixCommon:Identity></stix:Information_Source>`;
  }
  let address = '';
  if (loc !== undefined && country !== undefined) {
    w.done.add(loc.id);
    const area = str(loc, 'administrative_area');
    const areaXml =
      area === undefined ? '' : `<xal:AdministrativeArea><xal:NameElement xal:NameCode="${ea(area)}"/></xal:AdministrativeArea>`;
    address = `<xpil:Addresses><xpil:Address><xal:Country><xal:NameElement xal:NameCode="${ea(country)}"/></xal:Country>${areaXml}</xpil:Address></xpil:Addresses>`;
  }
  const info = sectors.length === 0 ? '' : `<xpil:OrganisationInfo xpil:IndustryType="${ea(sectors.join(' | '))}"/>`;
  return (
    `<stix:Information_Source><stixCommon:Identity xsi:type="stix-ciq:CIQIdentity3.0InstanceType"><stix-ciq:Specification>` +
    `<xpil:PartyName><xnl:OrganisationName><xnl:NameElement>${et(name)}</xnl:NameElement></xnl:OrganisationName></xpil:PartyName>` +
    `${address}${info}</stix-ciq:Specification></stixCommon:Identity></stix:Information_Source>`
  );
}

/** Converts STIX 2.1 objects to one STIX 1.2 package. */
export function exportStix1(objects: readonly StixObject[], options: Stix1ExportOptions = {}): ExportResult {
  const prefix = options.prefix ?? 'gateway';
  const namespace = options.namespace ?? 'urn:stix-taxii-gateway';
  const byId = new Map(objects.map((o) => [o.id, o]));
  const w = new Writer(prefix, [...byId.keys()].sort().join(','), byId);
  let latest = '';
  const parts = new Map<string, string[]>();
  for (const o of objects) {
    const modified = str(o, 'modified') ?? str(o, 'created') ?? '';
    if (modified > latest) latest = modified;
    const section = SECTIONS.find((x) => x.types.includes(o.type))?.section;
    const xml = section === undefined ? undefined : constructXml(w, o);
    if (section !== undefined && xml !== undefined) parts.set(section, [...(parts.get(section) ?? []), xml]);
  }
  parts.set('Observables', [...(parts.get('Observables') ?? []), ...templateObservables(objects, w), ...bareScos(objects, w)]);
  for (const [section, xml] of w.own) parts.set(section, [...(parts.get(section) ?? []), ...xml]);
  const source = informationSource(objects, w);
  const reports = objects.filter((o) => o.type === 'report');
  // A lone grouping (an unpublished MISP event) has no STIX 1 construct: its name is the package's title.
  const groupings = objects.filter((o) => o.type === 'grouping');
  const grouping = reports.length === 0 && groupings.length === 1 ? groupings[0] : undefined;
  const title =
    options.title ??
    (reports.length === 1 && reports[0] !== undefined ? str(reports[0], 'name') : undefined) ??
    (grouping === undefined ? undefined : str(grouping, 'name')) ??
    'STIX 2.1 export';
  if (grouping !== undefined && options.title === undefined && str(grouping, 'name') !== undefined) w.done.add(grouping.id);
  reportUnexpressed(objects, w);
  const xmlns = Object.entries({ ...DECLS, [prefix]: namespace })
    .map(([p, u]) => `xmlns:${p}="${ea(u)}"`)
    .join(' ');

  const body = SECTIONS.map(({ section }) => {
    const list = parts.get(section) ?? [];
    if (list.length === 0) return '';
    const attrs = section === 'Observables' ? ' cybox_major_version="2" cybox_minor_version="1" cybox_update_version="0"' : '';
    return `<stix:${section}${attrs}>${list.join('')}</stix:${section}>`;
  }).join('');
  const out =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<stix:STIX_Package ${xmlns} id="${ea(w.id('Package'))}" version="1.2"${latest === '' ? '' : ` timestamp="${ea(latest)}"`}>` +
    `<stix:STIX_Header><stix:Title>${et(title)}</stix:Title>${observableHandling(objects, body, w)}${source}</stix:STIX_Header>` +
    body +
    `</stix:STIX_Package>\n`;
  return { output: out, issues: w.issues };
}

/** IndicatorTypeVocab names by their 2.1 label. */
const INDICATOR_TYPES_OUT: ReadonlyMap<string, string> = new Map(
  Object.entries(INDICATOR_TYPE_MAP).map(([k, v]) => [
    v,
    k === 'c2'
      ? 'C2'
      : k
          .replace(/\b[a-z]/g, (c) => c.toUpperCase())
          .replace('Ip ', 'IP ')
          .replace('Url ', 'URL ')
          .replace('Imei', 'IMEI')
          .replace('Imsi', 'IMSI')
          .replace('E-Mail', 'E-mail'),
  ]),
);

/** The pattern as an Observable, or as Test_Mechanisms; what cannot be expressed goes to the description. */
function patternParts(o: StixObject, w: Writer): { observable: string; mechanism: string; note?: string; used?: ReadonlySet<unknown> } {
  const patternType = str(o, 'pattern_type') ?? 'stix';
  const pattern = str(o, 'pattern') ?? '';
  if (patternType === 'snort' || patternType === 'yara') {
    const tm = patternType === 'snort' ? 'snortTM:SnortTestMechanismType' : 'yaraTM:YaraTestMechanismType';
    const rule = patternType === 'snort' ? 'snortTM:Rule' : 'yaraTM:Rule';
    const version = ruleVersionXml(o, patternType === 'snort' ? 'snortTM' : 'yaraTM');
    return {
      observable: '',
      mechanism: `<indicator:Test_Mechanisms><indicator:Test_Mechanism xsi:type="${tm}">${version}<${rule}>${et(pattern)}</${rule}></indicator:Test_Mechanism></indicator:Test_Mechanisms>`,
    };
  }
  if (patternType !== 'stix') {
    w.issues.push(
      issue(
        'warning',
        'STIX1_EXPORT_PATTERN_UNSUPPORTED',
        '/pattern_type',
        `pattern_type '${patternType}' has no STIX 1.x form; kept in the description`,
        o.id,
      ),
    );
    return { observable: '', mechanism: '', note: `${patternType} pattern: ${pattern}` };
  }
  const parsed = parseSimplePattern(pattern);
  try {
    if ('error' in parsed) throw new CannotMap(parsed.error);
    const terms = versionInfoItems(o);
    const placed = singleRoot(parsed.expr) === 'file' && parsed.expr.kind !== 'or' ? terms : NO_TERMS;
    w.patternCustoms = [];
    const observable = w
      .observable(parsed.expr, placed)
      .replace(/^<cybox:Observable /, '<indicator:Observable ')
      .replace(/<\/cybox:Observable>$/, '</indicator:Observable>');
    if (w.patternCustoms.length === 0) return { observable, mechanism: '', used: placed.used };
    // Values without a CybOX element are custom properties of their object; the pattern text stays exact beside them.
    w.issues.push(
      issue(
        'info',
        'STIX1_EXPORT_PROPERTY_CUSTOM',
        '/pattern',
        `pattern comparisons without a CybOX element kept as custom properties (the pattern is in the description): ${w.patternCustoms.join(', ')}`,
        o.id,
      ),
    );
    return { observable, mechanism: '', used: placed.used, note: `STIX 2.1 pattern: ${pattern}` };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    w.issues.push(
      issue(
        'warning',
        'STIX1_EXPORT_PATTERN_UNSUPPORTED',
        '/pattern',
        `pattern cannot be expressed as a CybOX observable (${why}); kept in the description`,
        o.id,
      ),
    );
    return { observable: '', mechanism: '', note: `STIX 2.1 pattern: ${pattern}` };
  }
}

/** The statement the importer keeps an AIS marking as (see ais.ts). */
const AIS_STATEMENT = /^AIS consent: (EVERYONE|USG|NONE) \((proprietary|not proprietary); CISA proprietary: (true|false)\)$/;

/** An AIS marking structure rebuilt from its statement and the object's TLP. */
function aisStructure(consent: string, proprietary: boolean, cisa: boolean, tlp: TlpLevel | undefined): string {
  const tag = proprietary ? 'AIS:Is_Proprietary' : 'AIS:Not_Proprietary';
  const color = tlp === undefined ? '' : `<AIS:TLPMarking color="${TLP_COLOR[tlp]}"/>`;
  return `<marking:Marking_Structure xsi:type="AIS:AISMarkingStructure"><${tag} CISA_Proprietary="${cisa ? 'true' : 'false'}"><AIS:AISConsent consent="${consent}"/>${color}</${tag}></marking:Marking_Structure>`;
}

/** An AIS marking written as a 2.1 `ais` definition (consent, proprietary flags, TLP colour). */
function aisDefinition(def: Record<string, unknown>, tlp: TlpLevel | undefined): string {
  const flag = (k: string): boolean => def[k] === true || def[k] === 'true';
  const consent = typeof def['consent'] === 'string' ? def['consent'].toUpperCase() : 'NONE';
  const own = typeof def['tlp'] === 'string' ? def['tlp'].toLowerCase() : undefined;
  const colour = own === 'white' || own === 'clear' ? 'clear' : own === 'green' || own === 'amber' || own === 'red' ? own : tlp;
  return aisStructure(consent, flag('is_proprietary'), flag('is_cisa_proprietary'), colour);
}

/** A marking STIX 1 cannot carry is reported (never dropped in silence). */
function unmappedMarking(o: StixObject, ref: string, w: Writer): void {
  const md = w.byId.get(ref);
  const what = md === undefined ? ref : `${ref} (${String(md['definition_type'] ?? md['name'] ?? 'extension')})`;
  w.issues.push(
    issue('warning', 'STIX1_EXPORT_PROPERTY_UNMAPPED', '/object_marking_refs', `marking without a STIX 1.x form: ${what}`, o.id),
  );
}

/** `<prefix:Handling>` with the TLP (strictest, never widened) and statement markings of an object. */
function handlingXml(o: StixObject, prefix: string, w: Writer): string {
  const structures = markingStructures(o, strings(o, 'object_marking_refs'), w);
  if (structures.length === 0) return '';
  return `<${prefix}:Handling><marking:Marking><marking:Controlled_Structure>../../../descendant-or-self::node() | ../../../descendant-or-self::node()/@*</marking:Controlled_Structure>${structures.join('')}</marking:Marking></${prefix}:Handling>`;
}

/** The STIX 1 marking structures for `markingRefs` (reported against `o` when one has no STIX 1 form). */
function markingStructures(o: StixObject, markingRefs: readonly string[], w: Writer): string[] {
  const structures: string[] = [];
  const tlp = strictestTlp(markingRefs);
  if (tlp !== undefined) {
    if (tlp === 'amber+strict')
      w.issues.push(
        issue(
          'info',
          'STIX1_EXPORT_TLP_NARROWED',
          '/object_marking_refs',
          'TLP:AMBER+STRICT has no TLP 1.0 colour; written as RED (never widened)',
          o.id,
        ),
      );
    structures.push(`<marking:Marking_Structure xsi:type="tlpMarking:TLPMarkingStructureType" color="${TLP_COLOR[tlp]}"/>`);
  }
  for (const ref of markingRefs) {
    const md = w.byId.get(ref);
    const def = md?.['definition'];
    if (md !== undefined && md['definition_type'] === 'ais' && typeof def === 'object' && def !== null) {
      structures.push(aisDefinition(def as Record<string, unknown>, tlp));
      continue;
    }
    if (md === undefined || md['definition_type'] !== 'statement' || typeof def !== 'object' || def === null) {
      if (!isWellKnownTlpId(ref)) unmappedMarking(o, ref, w);
      continue;
    }
    const statement = (def as Record<string, unknown>)['statement'];
    const ais = typeof statement === 'string' ? AIS_STATEMENT.exec(statement) : null;
    if (ais !== null) {
      structures.push(aisStructure(ais[1] ?? '', ais[2] === 'proprietary', ais[3] === 'true', tlp));
    } else if (typeof statement === 'string') {
      structures.push(
        `<marking:Marking_Structure xsi:type="TOUMarking:TermsOfUseMarkingStructureType"><TOUMarking:Terms_Of_Use>${et(statement)}</TOUMarking:Terms_Of_Use></marking:Marking_Structure>`,
      );
    }
  }
  return structures;
}

/**
 * A CybOX Observable has no Handling of its own, so the markings of the package's top-level observables
 * (their observed-data, custom observable or bare SCO, and the SCOs written in them) go in the package header,
 * one Marking per set of structures, its Controlled_Structure naming those observables by id. The importer
 * (import.ts, packageContext) reads exactly this form back onto them; any other form it applies package-wide.
 */
function observableHandling(objects: readonly StixObject[], body: string, w: Writer): string {
  const groups = new Map<string, string[]>();
  for (const o of objects) {
    const isOwner = o.type === 'observed-data' || o.type === 'x-misp-attribute' || o.type === 'x-misp-object' || SCO_TYPES.has(o.type);
    // (an id without a UUID would draw a fresh observable id: never the one written)
    if (!isOwner || parseStixId(o.id) === undefined) continue;
    const obsId = w.id('Observable', o.id);
    if (!body.includes(`<cybox:Observable id="${ea(obsId)}"`)) continue;
    const inner = o.type === 'observed-data' ? strings(o, 'object_refs') : SCO_TYPES.has(o.type) ? scoRefs(w, o.id) : [];
    const refs = [o, ...inner.flatMap((id) => w.byId.get(id) ?? [])].flatMap((x) => strings(x, 'object_marking_refs'));
    const structures = markingStructures(o, [...new Set(refs)], w).join('');
    if (structures !== '') groups.set(structures, [...(groups.get(structures) ?? []), obsId]);
  }
  if (groups.size === 0) return '';
  const markings = [...groups].map(([structures, ids]) => {
    const nodes = `//cybox:Observable[${ids.map((id) => `@id='${id}'`).join(' or ')}]/descendant-or-self::node()`;
    return `<marking:Marking><marking:Controlled_Structure>${et(`${nodes} | ${nodes}/@*`)}</marking:Controlled_Structure>${structures}</marking:Marking>`;
  });
  return `<stix:Handling>${markings.join('')}</stix:Handling>`;
}

/** Sightings of an indicator (sighting objects whose sighting_of_ref is it). */
function sightingsXml(o: StixObject, w: Writer): string {
  const sightings = [...w.byId.values()].filter((x) => x.type === 'sighting' && str(x, 'sighting_of_ref') === o.id);
  if (sightings.length === 0) return '';
  const count = sightings.reduce((n, x) => n + (typeof x['count'] === 'number' ? x['count'] : 1), 0);
  const items = sightings.map((x) => {
    const seen = str(x, 'first_seen');
    const where = strings(x, 'where_sighted_refs').flatMap((id) => str(w.byId.get(id) ?? { type: '', id: '' }, 'name') ?? []);
    const source =
      where[0] === undefined
        ? ''
        : `<indicator:Source><stixCommon:Identity><stixCommon:Name>${et(where[0])}</stixCommon:Name></stixCommon:Identity></indicator:Source>`;
    return `<indicator:Sighting${seen === undefined ? '' : ` timestamp="${ea(seen)}"`}>${source}</indicator:Sighting>`;
  });
  return `<indicator:Sightings sightings_count="${count}">${items.join('')}</indicator:Sightings>`;
}

function indicatorXml(o: StixObject, w: Writer): string {
  const parts: string[] = [];
  const name = str(o, 'name');
  if (name !== undefined) parts.push(`<indicator:Title>${et(name)}</indicator:Title>`);
  for (const t of strings(o, 'indicator_types')) {
    const v = INDICATOR_TYPES_OUT.get(t);
    parts.push(
      v === undefined
        ? `<indicator:Type>${et(t)}</indicator:Type>`
        : `<indicator:Type xsi:type="stixVocabs:IndicatorTypeVocab-1.1">${et(v)}</indicator:Type>`,
    );
  }
  const pat = patternParts(o, w);
  const description = [str(o, 'description'), pat.note, openiocTermsNote(o, pat.used)]
    .filter((x): x is string => x !== undefined)
    .join('\n\n');
  if (description !== '') parts.push(`<indicator:Description>${et(description)}</indicator:Description>`);
  const validFrom = str(o, 'valid_from');
  const validUntil = str(o, 'valid_until');
  if (validFrom !== undefined || validUntil !== undefined) {
    const start = validFrom === undefined ? '' : `<indicator:Start_Time>${et(validFrom)}</indicator:Start_Time>`;
    const end = validUntil === undefined ? '' : `<indicator:End_Time>${et(validUntil)}</indicator:End_Time>`;
    parts.push(`<indicator:Valid_Time_Position>${start}${end}</indicator:Valid_Time_Position>`);
  }
  parts.push(pat.observable);
  for (const target of related(w, o.id, 'indicates', TTP_TYPES)) {
    parts.push(
      `<indicator:Indicated_TTP><stixCommon:TTP idref="${ea(w.id('ttp', target))}" xsi:type="ttp:TTPType"/></indicator:Indicated_TTP>`,
    );
  }
  parts.push(killChainXml(o, 'indicator:Kill_Chain_Phases'), pat.mechanism);
  const coas = [
    ...related(w, o.id, 'related-to', ['course-of-action'], true),
    ...related(w, o.id, 'mitigates', ['course-of-action'], true),
    ...related(w, o.id, 'investigates', ['course-of-action'], true),
  ];
  if (coas.length > 0) {
    parts.push(
      `<indicator:Suggested_COAs>${coas.map((c) => `<indicator:Suggested_COA><stixCommon:Course_Of_Action idref="${ea(w.id('coa', c))}"/></indicator:Suggested_COA>`).join('')}</indicator:Suggested_COAs>`,
    );
  }
  parts.push(handlingXml(o, 'indicator', w));
  const confidence = o['confidence'];
  if (typeof confidence === 'number') {
    const level = confidence >= 70 ? 'High' : confidence >= 30 ? 'Medium' : confidence > 0 ? 'Low' : 'None';
    parts.push(`<indicator:Confidence><stixCommon:Value>${level}</stixCommon:Value></indicator:Confidence>`);
  }
  parts.push(sightingsXml(o, w));
  const related1 = [...related(w, o.id, 'related-to', ['indicator']), ...related(w, o.id, 'related-to', ['indicator'], true)];
  if (related1.length > 0) {
    parts.push(
      `<indicator:Related_Indicators>${related1.map((i) => `<indicator:Related_Indicator><stixCommon:Indicator idref="${ea(w.id('indicator', i))}"/></indicator:Related_Indicator>`).join('')}</indicator:Related_Indicators>`,
    );
  }
  const campaigns = related(w, o.id, 'indicates', ['campaign']);
  if (campaigns.length > 0) {
    parts.push(
      `<indicator:Related_Campaigns>${campaigns.map((c) => `<indicator:Related_Campaign><stixCommon:Campaign idref="${ea(w.id('campaign', c))}"/></indicator:Related_Campaign>`).join('')}</indicator:Related_Campaigns>`,
    );
  }
  parts.push(informationSourceXml(w, o, 'indicator:Producer'));
  const timestamp = str(o, 'modified');
  return `<stix:Indicator id="${ea(w.id('indicator', o.id))}"${timestamp === undefined ? '' : ` timestamp="${ea(timestamp)}"`} xsi:type="indicator:IndicatorType" version="2.1.1">${parts.join('')}</stix:Indicator>`;
}
