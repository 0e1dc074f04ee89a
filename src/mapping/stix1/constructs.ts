/**
 * STIX 1 constructs other than indicators and observables → STIX 2.1 SDOs and their relationships:
 * TTP (malware, attack-pattern, tool, infrastructure), Threat_Actor, Campaign, Course_Of_Action,
 * Exploit_Target (vulnerability), STIX 1.2 Report, and indicator Sightings. Each construct is one small step;
 * what a step cannot carry is reported (`STIX1_PROPERTY_DROPPED`), never silently lost.
 */
import { issue } from '../../stix/issues';
import { derivedId } from '../common/stix-builders';
import { descriptionOf } from './descriptions';
import { type XmlElement, attr, child, childPath, children, descendants, textOf } from '../common/xml';
import type { StixObject } from '../types';
import { readIdentity } from './ais';
import type { ConstructBase, ExternalReference, PackageCtx, Stix1Host } from './context';
import { type KillChainPhase, stixLiteral } from './kill-chains';
import { NS } from './namespaces';
import { confidenceOf } from './vocab';
import { canonicalExternalId } from '../../stix/external-ids';

/** SDO types made from a construct: they carry its Information_Source references (not relationships, identities). */
const REFERENCED_TYPES = new Set([
  'attack-pattern',
  'campaign',
  'course-of-action',
  'incident',
  'infrastructure',
  'malware',
  'report',
  'threat-actor',
  'tool',
  'vulnerability',
]);

function withSourceReferences(own: unknown, source: readonly ExternalReference[]): unknown[] {
  const list: unknown[] = [...(Array.isArray(own) ? own : []), ...source];
  const seen = new Set<string>();
  return list.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An SDO with the common properties set and no undefined keys. */
export function sdo(type: string, id: string, base: ConstructBase, fields: Readonly<Record<string, unknown>>): StixObject {
  const o: Record<string, unknown> = { type, spec_version: '2.1', id, created: base.created, modified: base.created };
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    o[k] = v;
  }
  const refs = REFERENCED_TYPES.has(type) ? withSourceReferences(o['external_references'], base.references ?? []) : [];
  if (refs.length > 0) o['external_references'] = refs;
  if (base.createdBy !== undefined) o['created_by_ref'] = base.createdBy;
  if (base.markings.length > 0) o['object_marking_refs'] = [...base.markings];
  return { ...o, type, id };
}

/** Texts of child elements; a StatementType child (`<ta:Type><stixCommon:Value>…`) gives its Value. */
function texts(el: XmlElement, ns: string, local: string): string[] {
  return children(el, ns, local).flatMap((c) => {
    const t = textOf(child(c, NS.stixCommon, 'Value')) ?? textOf(c);
    return t === undefined ? [] : [t];
  });
}

function literals(el: XmlElement, ns: string, local: string): string[] {
  return [
    ...new Set(
      texts(el, ns, local)
        .map(stixLiteral)
        .filter((t) => t !== ''),
    ),
  ];
}

/** Parts every construct step converts (title, description, markings, source). */
const COMMON_PARTS = ['Title', 'Description', 'Handling', 'Information_Source'];

/** Reports the children of a construct that no step converted (beyond the common parts and `handled`). */
function reportDropped(host: Stix1Host, el: XmlElement, ns: string, handled: readonly string[], objectId: string): void {
  const known = new Set([...COMMON_PARTS, ...handled]);
  const dropped = [...new Set(el.children.filter((c) => c.ns === ns && !known.has(c.local)).map((c) => c.local))];
  if (dropped.length > 0) {
    host.issues.push(issue('info', 'STIX1_PROPERTY_DROPPED', el.path, `${el.local} parts not converted: ${dropped.join(', ')}`, objectId));
  }
}

/** The TTPs a construct names (converted where first met) → `uses` relationships from it. */
function usesTtps(host: Stix1Host, refs: readonly XmlElement[], id: string, base: ConstructBase, pkg: PackageCtx): void {
  for (const t of refs) {
    const target = host.convertTtpRef(t, pkg);
    if (target !== undefined) host.relationship(id, 'uses', target, base, pkg);
  }
}

/** Every construct reference (`stixCommon:<local>`) below a wrapper element, e.g. Related_TTPs/Related_TTP/TTP. */
function refsUnder(el: XmlElement, ns: string, wrapper: string, local: string): XmlElement[] {
  const w = child(el, ns, wrapper);
  return w === undefined ? [] : descendants(w, NS.stixCommon, local);
}

// ------------------------------------------------------------------------------------------------ TTP

export interface TtpResult {
  readonly ids: string[];
  readonly phases: KillChainPhase[];
}

/**
 * The id of the i-th SDO made from a TTP: the first SDO of the TTP keeps the TTP's UUID, the others are derived
 * from the TTP id and their position (`salt` keeps ids of older releases stable).
 */
function ttpPartId(host: Stix1Host, ttp: XmlElement, pkg: PackageCtx, r: TtpResult, type: string, ...salt: string[]): string {
  const stix1Id = attr(ttp, 'id');
  return r.ids.length === 0 ? host.stixId(type, stix1Id, pkg.id ?? '', ttp.path) : derivedId(type, 'stix1', stix1Id ?? ttp.path, ...salt);
}

/**
 * The TTP's own title, when the SDO made from one of its parts is named otherwise (a malware instance's Name):
 * kept at the end of the description, so it is not lost (the reference elevator keeps it there too).
 */
function withTtpTitle(ttp: XmlElement, name: string, description: string | undefined): string | undefined {
  const title = textOf(child(ttp, NS.ttp, 'Title'));
  if (title === undefined || title === name || description?.includes(title) === true) return description;
  return description === undefined ? `TTP title: ${title}` : `${description}\n\nTTP title: ${title}`;
}

function ttpMalware(
  host: Stix1Host,
  ttp: XmlElement,
  base: ConstructBase,
  pkg: PackageCtx,
  r: TtpResult,
  samples: (mi: XmlElement, id: string, base: ConstructBase) => string[],
): void {
  const title = textOf(child(ttp, NS.ttp, 'Title'));
  const list = children(childPath(ttp, NS.ttp, 'Behavior', 'Malware') ?? ttp, NS.ttp, 'Malware_Instance');
  list.forEach((mi, i) => {
    const id = ttpPartId(host, ttp, pkg, r, 'malware', String(i));
    const sampleRefs = samples(mi, id, base);
    // Further Names of one instance are its aliases (the reference elevator does the same).
    const [first, ...others] = children(mi, NS.ttp, 'Name').flatMap((n) => textOf(n) ?? []);
    const name = first ?? textOf(child(mi, NS.ttp, 'Title')) ?? title ?? 'unnamed malware';
    host.add(
      sdo('malware', id, base, {
        name,
        description: withTtpTitle(ttp, name, descriptionOf(mi, NS.ttp) ?? descriptionOf(ttp, NS.ttp)),
        is_family: false,
        aliases: others.length > 0 ? others : undefined,
        malware_types: literals(mi, NS.ttp, 'Type'),
        kill_chain_phases: r.phases,
        sample_refs: sampleRefs,
      }),
      pkg,
    );
    r.ids.push(id);
  });
}

function ttpAttackPatterns(host: Stix1Host, ttp: XmlElement, base: ConstructBase, pkg: PackageCtx, r: TtpResult): void {
  const title = textOf(child(ttp, NS.ttp, 'Title'));
  const list = children(childPath(ttp, NS.ttp, 'Behavior', 'Attack_Patterns') ?? ttp, NS.ttp, 'Attack_Pattern');
  list.forEach((ap, i) => {
    const id = ttpPartId(host, ttp, pkg, r, 'attack-pattern', String(i));
    const capec = attr(ap, 'capec_id');
    const desc = descriptionOf(ap, NS.ttp);
    const name = textOf(child(ap, NS.ttp, 'Title')) ?? desc ?? title ?? capec ?? 'unnamed attack pattern';
    host.add(
      sdo('attack-pattern', id, base, {
        name,
        description: withTtpTitle(ttp, name, desc !== name ? desc : undefined),
        kill_chain_phases: r.phases,
        external_references: capec === undefined ? undefined : [capecReference(capec)],
      }),
      pkg,
    );
    r.ids.push(id);
  });
}

/**
 * A STIX 1 `capec_id` → an external reference. STIX 2.1 requires `CAPEC-<n>` under source `capec`: a bare number
 * gets the prefix; an ATT&CK technique id written there (`T1068`) goes under `mitre-attack`; anything else is kept
 * under a source of its own rather than as an invalid CAPEC id.
 */
function capecReference(raw: string): { source_name: string; external_id: string } {
  const v = raw.trim();
  const capec = canonicalExternalId('capec', v);
  if (capec !== undefined) return { source_name: 'capec', external_id: capec };
  if (/^T\d{4}(?:\.\d{3})?$/.test(v)) return { source_name: 'mitre-attack', external_id: v };
  return { source_name: 'stix1-capec-id', external_id: v };
}

function ttpTools(host: Stix1Host, ttp: XmlElement, base: ConstructBase, pkg: PackageCtx, r: TtpResult): void {
  const list = children(childPath(ttp, NS.ttp, 'Resources', 'Tools') ?? ttp, NS.ttp, 'Tool');
  list.forEach((tool, i) => {
    const id = ttpPartId(host, ttp, pkg, r, 'tool', 'tool', String(i));
    const name =
      textOf(child(tool, NS.cyboxCommon, 'Name')) ??
      textOf(child(tool, NS.cyboxCommon, 'Title')) ??
      textOf(child(ttp, NS.ttp, 'Title')) ??
      'unnamed tool';
    host.add(
      sdo('tool', id, base, {
        name,
        description: withTtpTitle(ttp, name, descriptionOf(tool, NS.cyboxCommon)),
        tool_types: literals(tool, NS.cyboxCommon, 'Type'),
        tool_version: textOf(child(tool, NS.cyboxCommon, 'Version')),
        kill_chain_phases: r.phases,
      }),
      pkg,
    );
    r.ids.push(id);
  });
}

function ttpInfrastructure(host: Stix1Host, ttp: XmlElement, base: ConstructBase, pkg: PackageCtx, r: TtpResult): void {
  const infra = childPath(ttp, NS.ttp, 'Resources', 'Infrastructure');
  if (infra === undefined) return;
  const id = ttpPartId(host, ttp, pkg, r, 'infrastructure', 'infrastructure');
  const name = textOf(child(infra, NS.ttp, 'Title')) ?? textOf(child(ttp, NS.ttp, 'Title')) ?? 'unnamed infrastructure';
  host.add(
    sdo('infrastructure', id, base, {
      name,
      description: withTtpTitle(ttp, name, descriptionOf(infra, NS.ttp) ?? descriptionOf(ttp, NS.ttp)),
      infrastructure_types: literals(infra, NS.ttp, 'Type'),
      kill_chain_phases: r.phases,
    }),
    pkg,
  );
  r.ids.push(id);
  for (const obs of descendants(child(infra, NS.ttp, 'Observable_Characterization') ?? infra, NS.cybox, 'Observable')) {
    const target = host.convertObservable(obs, pkg);
    if (target !== undefined) host.relationship(id, 'consists-of', target, base, pkg);
  }
}

/** Victim_Targeting → the targeted identity (a TTP that only names its victims becomes that identity). */
function ttpVictim(host: Stix1Host, ttp: XmlElement, base: ConstructBase, pkg: PackageCtx, r: TtpResult): void {
  const vt = child(ttp, NS.ttp, 'Victim_Targeting');
  if (vt === undefined) return;
  const identityEl = child(vt, NS.ttp, 'Identity');
  const named =
    textOf(childPath(identityEl ?? vt, undefined, 'Name')) ??
    textOf(childPath(identityEl ?? vt, undefined, 'Specification', 'PartyName', 'OrganisationName', 'NameElement'));
  // The identity's own id when it has one (the exporter writes it), else one from the TTP.
  const ownId = identityEl === undefined ? undefined : attr(identityEl, 'id');
  const id =
    ownId === undefined
      ? ttpPartId(host, ttp, pkg, r, 'identity', 'victim')
      : host.stixId('identity', ownId, pkg.id ?? '', identityEl?.path ?? ttp.path);
  const targeted = [...texts(vt, NS.ttp, 'Targeted_Information'), ...texts(vt, NS.ttp, 'Targeted_Systems')];
  host.add(
    sdo('identity', id, base, {
      name: named ?? textOf(child(ttp, NS.ttp, 'Title')) ?? 'targeted victim',
      identity_class: 'unknown',
      description: targeted.length === 0 ? undefined : `Targeted: ${targeted.join('; ')}`,
    }),
    pkg,
  );
  r.ids.push(id);
  if (identityEl !== undefined) relatedVictims(host, identityEl, base, pkg, r);
}

/**
 * Further victims named as the victim identity's `Related_Identities` (the exporter writes a TTP's second and later
 * targeted identities so): each an identity of its own (its own id when written), targeted like the first.
 */
function relatedVictims(host: Stix1Host, identityEl: XmlElement, base: ConstructBase, pkg: PackageCtx, r: TtpResult): void {
  const related = child(identityEl, NS.stixCommon, 'Related_Identities');
  const list = related === undefined ? [] : related.children.flatMap((ri) => child(ri, NS.stixCommon, 'Identity') ?? []);
  list.forEach((el, i) => {
    const name = textOf(child(el, NS.stixCommon, 'Name'));
    if (name === undefined) return;
    const own = attr(el, 'id');
    const id =
      own === undefined
        ? derivedId('identity', 'stix1', attr(identityEl, 'id') ?? identityEl.path, 'related-victim', String(i))
        : host.stixId('identity', own, pkg.id ?? '', el.path);
    host.add(sdo('identity', id, base, { name, identity_class: 'unknown' }), pkg);
    r.ids.push(id);
  });
}

/** A TTP → its SDOs (malware, attack patterns, tools, infrastructure, victims) with the TTP's kill chain phases. */
export function convertTtp(
  host: Stix1Host,
  ttp: XmlElement,
  pkg: PackageCtx,
  samples: (mi: XmlElement, id: string, base: ConstructBase) => string[],
): TtpResult {
  const base = host.base(ttp, NS.ttp, pkg);
  const r: TtpResult = { ids: [], phases: host.killChains.phasesOf(child(ttp, NS.ttp, 'Kill_Chain_Phases')) };
  ttpMalware(host, ttp, base, pkg, r, samples);
  ttpAttackPatterns(host, ttp, base, pkg, r);
  ttpTools(host, ttp, base, pkg, r);
  ttpInfrastructure(host, ttp, base, pkg, r);
  ttpVictim(host, ttp, base, pkg, r);
  const main = r.ids[0];
  if (main === undefined) {
    const title = textOf(child(ttp, NS.ttp, 'Title')) ?? attr(ttp, 'id') ?? '';
    host.issues.push(
      issue(
        'warning',
        'STIX1_TTP_UNMAPPED',
        ttp.path,
        `TTP '${title}' has no Malware, Attack_Pattern, Tool or Infrastructure; not converted`,
      ),
    );
    return r;
  }
  for (const et of refsUnder(ttp, NS.ttp, 'Exploit_Targets', 'Exploit_Target')) {
    for (const v of convertExploitTargetRef(host, et, pkg))
      for (const src of r.ids.filter((x) => !x.startsWith('identity--'))) host.relationship(src, 'targets', v, base, pkg);
  }
  const victims = r.ids.filter((x) => x.startsWith('identity--'));
  for (const src of r.ids.filter((x) => !x.startsWith('identity--')))
    for (const v of victims) host.relationship(src, 'targets', v, base, pkg);
  const handled = ['Behavior', 'Resources', 'Victim_Targeting', 'Kill_Chain_Phases', 'Exploit_Targets'];
  reportDropped(host, ttp, NS.ttp, handled, main);
  return r;
}

// ------------------------------------------------------------------------------------------------ others

/** Every `stixCommon:Reference` URL under a References element, as external references named `sourceName`. */
export function referenceUrls(refs: XmlElement | undefined, sourceName: string): ExternalReference[] {
  if (refs === undefined) return [];
  return children(refs, NS.stixCommon, 'Reference').flatMap((r) => {
    const url = textOf(r);
    return url === undefined ? [] : [{ source_name: sourceName, url }];
  });
}

/** Exploit_Target → one vulnerability per Vulnerability (CVE → name and external reference). */
export function convertExploitTarget(host: Stix1Host, et: XmlElement, pkg: PackageCtx): string[] {
  const base = host.base(et, NS.exploitTarget, pkg);
  const stix1Id = attr(et, 'id');
  const ids: string[] = [];
  children(et, NS.exploitTarget, 'Vulnerability').forEach((v, i) => {
    const cve = textOf(child(v, NS.exploitTarget, 'CVE_ID'));
    const osvdb = textOf(child(v, NS.exploitTarget, 'OSVDB_ID'));
    const id =
      i === 0
        ? host.stixId('vulnerability', stix1Id, pkg.id ?? '', et.path)
        : derivedId('vulnerability', 'stix1', stix1Id ?? et.path, String(i));
    const refs = [
      ...(cve === undefined ? [] : [{ source_name: 'cve', external_id: cve }]),
      ...(osvdb === undefined ? [] : [{ source_name: 'osvdb', external_id: osvdb }]),
      ...referenceUrls(child(v, NS.exploitTarget, 'References'), 'internet_resource'),
    ];
    const name =
      textOf(child(v, NS.exploitTarget, 'Title')) ??
      textOf(child(et, NS.exploitTarget, 'Title')) ??
      cve ??
      osvdb ??
      'unnamed vulnerability';
    host.add(
      sdo('vulnerability', id, base, {
        name,
        description: descriptionOf(v, NS.exploitTarget) ?? descriptionOf(et, NS.exploitTarget),
        external_references: refs,
      }),
      pkg,
    );
    ids.push(id);
  });
  if (ids.length === 0) {
    host.issues.push(
      issue(
        'warning',
        'STIX1_CONSTRUCT_UNSUPPORTED',
        et.path,
        'Exploit_Target without a Vulnerability (Weakness, Configuration) has no STIX 2.1 counterpart',
      ),
    );
    return ids;
  }
  for (const coa of refsUnder(et, NS.exploitTarget, 'Potential_COAs', 'Course_Of_Action')) {
    const c = convertCoaRef(host, coa, pkg);
    if (c !== undefined) for (const v of ids) host.relationship(c, 'mitigates', v, base, pkg);
  }
  reportDropped(host, et, NS.exploitTarget, ['Vulnerability', 'Potential_COAs'], ids[0] ?? '');
  return ids;
}

const etDone = new WeakMap<XmlElement, string[]>();

export function convertExploitTargetRef(host: Stix1Host, el: XmlElement, pkg: PackageCtx): string[] {
  const et = host.resolve(el);
  if (et === undefined) return [];
  const known = etDone.get(et);
  if (known !== undefined) return known;
  etDone.set(et, []);
  const ids = convertExploitTarget(host, et, pkg);
  etDone.set(et, ids);
  return ids;
}

/**
 * The opening every referenced construct shares: the element behind an idref, its STIX id, and whether this call
 * converts it (`node` set) or it was converted already (`done`: its id when it was added, else undefined).
 */
function claimConstruct(
  host: Stix1Host,
  el: XmlElement,
  type: string,
  pkg: PackageCtx,
): { readonly node: XmlElement; readonly id: string } | { readonly done: string | undefined } {
  const node = host.resolve(el);
  if (node === undefined) return { done: undefined };
  const id = host.stixId(type, attr(node, 'id'), pkg.id ?? '', node.path);
  if (!host.claim(node)) return { done: host.has(id) ? id : undefined };
  return { node, id };
}

/** Course_Of_Action → course-of-action. */
export function convertCoaRef(host: Stix1Host, el: XmlElement, pkg: PackageCtx): string | undefined {
  const claimed = claimConstruct(host, el, 'course-of-action', pkg);
  if ('done' in claimed) return claimed.done;
  const { node: coa, id } = claimed;
  const base = host.base(coa, NS.coa, pkg);
  host.add(
    sdo('course-of-action', id, base, {
      name: textOf(child(coa, NS.coa, 'Title')) ?? 'unnamed course of action',
      description: descriptionOf(coa, NS.coa),
    }),
    pkg,
  );
  reportDropped(host, coa, NS.coa, [], id);
  return id;
}

/** Threat_Actor → threat-actor; observed TTPs → `uses`, associated campaigns → `attributed-to`. */
export function convertThreatActorRef(host: Stix1Host, el: XmlElement, pkg: PackageCtx): string | undefined {
  const claimed = claimConstruct(host, el, 'threat-actor', pkg);
  if ('done' in claimed) return claimed.done;
  const { node: ta, id } = claimed;
  const base = host.base(ta, NS.threatActor, pkg);
  const identityName =
    textOf(childPath(ta, NS.threatActor, 'Identity')) ??
    textOf(childPath(child(ta, NS.threatActor, 'Identity') ?? ta, NS.stixCommon, 'Name'));
  host.add(
    sdo('threat-actor', id, base, {
      name: textOf(child(ta, NS.threatActor, 'Title')) ?? identityName ?? 'unnamed threat actor',
      description: descriptionOf(ta, NS.threatActor),
      threat_actor_types: literals(ta, NS.threatActor, 'Type'),
      sophistication: literals(ta, NS.threatActor, 'Sophistication')[0],
      primary_motivation: literals(ta, NS.threatActor, 'Motivation')[0],
      goals: texts(ta, NS.threatActor, 'Intended_Effect'),
    }),
    pkg,
  );
  actorIdentity(host, ta, id, base, pkg);
  usesTtps(host, refsUnder(ta, NS.threatActor, 'Observed_TTPs', 'TTP'), id, base, pkg);
  for (const c of refsUnder(ta, NS.threatActor, 'Associated_Campaigns', 'Campaign')) {
    const camp = convertCampaignRef(host, c, pkg);
    if (camp !== undefined) host.relationship(camp, 'attributed-to', id, base, pkg);
  }
  const handled = ['Identity', 'Type', 'Sophistication', 'Motivation', 'Intended_Effect', 'Observed_TTPs', 'Associated_Campaigns'];
  reportDropped(host, ta, NS.threatActor, handled, id);
  return id;
}

/**
 * A threat actor's `ta:Identity` (plain name or CIQ) → an identity of class `unknown` (who stands behind the actor
 * is rarely known to be a person or an organisation), and the actor `attributed-to` it, as the reference elevator
 * writes it (the export writes that relationship back as the actor's Identity).
 */
function actorIdentity(host: Stix1Host, ta: XmlElement, actorId: string, base: ConstructBase, pkg: PackageCtx): void {
  const el = child(ta, NS.threatActor, 'Identity');
  const name = el === undefined ? undefined : readIdentity(el).name;
  if (el === undefined || name === undefined) return;
  const id = host.stixId('identity', attr(el, 'id'), actorId, name);
  host.add(sdo('identity', id, base, { name, identity_class: 'unknown' }), pkg);
  host.relationship(actorId, 'attributed-to', id, base, pkg);
}

/** Campaign → campaign; related TTPs → `uses`, attributed actors → `attributed-to`. */
export function convertCampaignRef(host: Stix1Host, el: XmlElement, pkg: PackageCtx): string | undefined {
  const claimed = claimConstruct(host, el, 'campaign', pkg);
  if ('done' in claimed) return claimed.done;
  const { node: c, id } = claimed;
  const base = host.base(c, NS.campaign, pkg);
  const aliases = descendants(child(c, NS.campaign, 'Names') ?? c, NS.campaign, 'Name').flatMap((n) =>
    textOf(n) === undefined ? [] : [textOf(n) ?? ''],
  );
  host.add(
    sdo('campaign', id, base, {
      name: textOf(child(c, NS.campaign, 'Title')) ?? aliases[0] ?? 'unnamed campaign',
      description: descriptionOf(c, NS.campaign),
      aliases: child(c, NS.campaign, 'Names') === undefined ? undefined : aliases,
      objective: textOf(child(c, NS.campaign, 'Intended_Effect')),
    }),
    pkg,
  );
  usesTtps(host, refsUnder(c, NS.campaign, 'Related_TTPs', 'TTP'), id, base, pkg);
  for (const ta of refsUnder(c, NS.campaign, 'Attribution', 'Threat_Actor')) {
    const actor = convertThreatActorRef(host, ta, pkg);
    if (actor !== undefined) host.relationship(id, 'attributed-to', actor, base, pkg);
  }
  for (const ind of refsUnder(c, NS.campaign, 'Related_Indicators', 'Indicator')) {
    const src = host.convertIndicatorRef(ind, pkg);
    if (src !== undefined) host.relationship(src, 'indicates', id, base, pkg);
  }
  for (const inc of refsUnder(c, NS.campaign, 'Related_Incidents', 'Incident')) {
    const target = host.convertIncidentRef(inc, pkg);
    if (target !== undefined) host.relationship(target, 'related-to', id, base, pkg);
  }
  const handled = ['Names', 'Intended_Effect', 'Related_TTPs', 'Attribution', 'Related_Indicators', 'Related_Incidents'];
  reportDropped(host, c, NS.campaign, handled, id);
  return id;
}

/**
 * Indicator/Sightings → one sighting per Sighting (or one carrying sightings_count when none is listed). A Sighting's
 * Related_Observables (each a `stixCommon:Observable`, inline or by idref) become its observed_data_refs, its
 * Confidence its confidence; what cannot be kept is reported, never dropped silently.
 */
export function convertSightings(host: Stix1Host, ind: XmlElement, indicatorId: string, base: ConstructBase, pkg: PackageCtx): void {
  const sightings = child(ind, NS.indicator, 'Sightings');
  if (sightings === undefined) return;
  const list = children(sightings, NS.indicator, 'Sighting');
  // An absent sightings_count is no count (Number('') would be 0: a reported sighting counted as none).
  const countText = attr(sightings, 'sightings_count')?.trim();
  const countAttr = countText === undefined || countText === '' ? NaN : Number(countText);
  const total = Number.isInteger(countAttr) && countAttr >= 0 && countAttr <= 999_999_999 ? countAttr : undefined;
  if (total !== undefined && list.length > 1 && total !== list.length) {
    host.issues.push(
      issue(
        'info',
        'STIX1_SIGHTING_COUNT_MISMATCH',
        sightings.path,
        `sightings_count ${total} differs from the ${list.length} Sighting elements listed: each is kept with count 1`,
        indicatorId,
      ),
    );
  }
  const items = list.length > 0 ? list : [sightings];
  items.forEach((s, i) => {
    const seen = host.time(attr(s, 'timestamp'), s.path);
    const where = host.identity(
      childPath(s, NS.indicator, 'Source', 'Identity') ?? child(child(s, NS.indicator, 'Source') ?? s, NS.stixCommon, 'Identity'),
      base.created,
    );
    const related = child(s, NS.indicator, 'Related_Observables');
    const relatedObs =
      related === undefined ? [] : [...descendants(related, NS.stixCommon, 'Observable'), ...descendants(related, NS.cybox, 'Observable')];
    const observed = relatedObs.flatMap((o) => {
      const od = host.convertObservable(o, pkg);
      if (od === undefined) {
        host.issues.push(
          issue(
            'warning',
            'STIX1_SIGHTING_OBSERVABLE_UNMAPPED',
            o.path,
            `related observable ${attr(o, 'idref') ?? attr(o, 'id') ?? '(no id)'} of a sighting converted to no observed-data; not referenced`,
            indicatorId,
          ),
        );
        return [];
      }
      return [od];
    });
    const confText = textOf(childPath(s, undefined, 'Confidence', 'Value'));
    const confidence = confText === undefined ? undefined : confidenceOf(confText);
    if (confText !== undefined && confidence === undefined) {
      host.issues.push(issue('info', 'STIX1_CONFIDENCE_UNMAPPED', s.path, `confidence '${confText}' is not on a known scale`, indicatorId));
    }
    const count = items.length === 1 ? (total ?? 1) : 1;
    host.add(
      sdo('sighting', derivedId('sighting', 'stix1', indicatorId, String(i)), base, {
        sighting_of_ref: indicatorId,
        count,
        // One timestamp is one instant: first_seen alone (an equal last_seen is an empty window the OASIS
        // validator rejects, EMPTY_TIME_WINDOW).
        first_seen: seen,
        where_sighted_refs: where === undefined ? undefined : [where],
        observed_data_refs: observed.length === 0 ? undefined : [...new Set(observed)],
        description: descriptionOf(s, NS.indicator),
        confidence,
      }),
      pkg,
    );
  });
}

/** A STIX 1.2 Report → report listing what its sections reference. */
export function convertReport(host: Stix1Host, rep: XmlElement, pkg: PackageCtx, convertAny: (el: XmlElement) => string[]): void {
  const header = child(rep, NS.report, 'Header');
  const base = host.base(rep, NS.report, pkg);
  const refs: string[] = [];
  for (const section of rep.children) {
    if (section.ns !== NS.report || section.local === 'Header' || section.local === 'Handling') continue;
    for (const item of section.children) refs.push(...convertAny(item));
  }
  const id = host.stixId('report', attr(rep, 'id'), pkg.id ?? '', rep.path);
  if (refs.length === 0) {
    host.issues.push(issue('warning', 'STIX1_REPORT_EMPTY', rep.path, 'Report references nothing that converted; not kept', id));
    return;
  }
  const intents = header === undefined ? [] : literals(header, NS.report, 'Intent');
  host.add(
    sdo('report', id, base, {
      name: textOf(child(header ?? rep, NS.report, 'Title')) ?? 'STIX 1.x report',
      description: descriptionOf(header ?? rep, NS.report),
      report_types: intents,
      published: base.created,
      object_refs: [...new Set(refs)],
    }),
    pkg,
  );
}
