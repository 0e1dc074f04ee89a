/**
 * STIX 2.1 SDOs and SCOs → STIX 1.2 constructs (the slider's direction): observed-data and bare SCOs →
 * CybOX Observables; malware / attack-pattern / tool / infrastructure → TTP; vulnerability → Exploit_Target;
 * course-of-action, campaign, threat-actor, incident → their constructs; report → Report. Relationships the
 * STIX 1 constructs can hold are written inside them and recorded as expressed; the caller reports the rest.
 */
import { issue, type ContentIssue } from '../../stix/issues';
import { escapeXmlAttr as ea, escapeXmlText as et } from '../common/xml';
import type { StixObject } from '../types';
import { type CyboxItem, cyboxProperties } from './export-cybox';
import { renderPath } from './pattern-tree';
import { emailItems } from './export-email';
import { cvssXml, weaknessXml } from './export-extras';

/** What the construct writers need from the package writer. */
export interface ExportHost {
  readonly issues: ContentIssue[];
  readonly byId: ReadonlyMap<string, StixObject>;
  /** The STIX 1 id for a STIX 2.1 id (same UUID under the producer's prefix). */
  id(kind: string, stixId?: string): string;
  /** Relationships by source id. */
  readonly outgoing: ReadonlyMap<string, readonly StixObject[]>;
  /** Relationships by target id. */
  readonly incoming: ReadonlyMap<string, readonly StixObject[]>;
  /** Marks a relationship (or an SCO) as written. */
  expressed(rel: StixObject): void;
  /** `<prefix:Handling>` for an object's markings ('' when none). */
  handling(o: StixObject, prefix: string): string;
  /** Adds a construct of the package's own (a Victim_Targeting TTP) to a package section (`TTPs`). */
  addConstruct(section: string, xml: string): void;
  /** The STIX 1 id kind and element a 2.1 id becomes (`ttp` for malware …), or undefined. */
  kindOf(stixId: string): { kind: string; element: string; xsiType: string } | undefined;
}

export function str(o: StixObject, k: string): string | undefined {
  const v = o[k];
  return typeof v === 'string' ? v : undefined;
}

export function strings(o: StixObject, k: string): string[] {
  const v = o[k];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

const el = (tag: string, text: string | undefined): string => (text === undefined ? '' : `<${tag}>${et(text)}</${tag}>`);

function timestampAttr(o: StixObject): string {
  const t = str(o, 'modified') ?? str(o, 'created');
  return t === undefined ? '' : ` timestamp="${ea(t)}"`;
}

/**
 * The type of a relationship end: the object's, or, for an object the bundle does not hold, the type its id
 * names (`malware--…`): STIX 1 refers to such an end by idref, as to any construct outside the package.
 */
export function endType(byId: ReadonlyMap<string, StixObject>, id: string): string | undefined {
  const held = byId.get(id)?.type;
  if (held !== undefined) return held;
  const m = /^([a-z0-9][a-z0-9-]*[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.exec(id);
  return m?.[1];
}

/** The relationships of one type from `id` to targets of the given types (marked as expressed). */
function related(host: ExportHost, id: string, type: string, targetTypes: readonly string[], reverse = false): string[] {
  const rels = (reverse ? host.incoming : host.outgoing).get(id) ?? [];
  const out: string[] = [];
  for (const r of rels) {
    if (str(r, 'relationship_type') !== type) continue;
    const other = str(r, reverse ? 'source_ref' : 'target_ref') ?? '';
    const t = endType(host.byId, other);
    if (t === undefined || !targetTypes.includes(t)) continue;
    host.expressed(r);
    out.push(other);
  }
  return out;
}

/**
 * `<wrapper><item><stixCommon:X idref=…/></item></wrapper>` for related constructs; `victims` adds an item for a
 * Victim_Targeting TTP of the package's own (with the relationship it stands for).
 */
function refList(host: ExportHost, wrapper: string, item: string, ids: readonly string[], victims?: string): string {
  if (ids.length === 0 && victims === undefined) return '';
  const inner = ids
    .map((id) => {
      const k = host.kindOf(id);
      if (k === undefined) return '';
      return `<${item}><stixCommon:${k.element} idref="${ea(host.id(k.kind, id))}" xsi:type="${k.xsiType}"/></${item}>`;
    })
    .join('');
  const own =
    victims === undefined
      ? ''
      : `<${item}><stixCommon:Relationship>targets</stixCommon:Relationship><stixCommon:TTP idref="${ea(victims)}" xsi:type="ttp:TTPType"/></${item}>`;
  return `<${wrapper}>${inner}${own}</${wrapper}>`;
}

/**
 * Identities as one STIX 1 identity element: the first by name (or by idref when the bundle does not hold it),
 * the others as its Related_Identities.
 */
function identitiesXml(host: ExportHost, tag: string, ids: readonly string[], withIds = false): string {
  const one = (id: string, t: string): string => {
    const name = str(host.byId.get(id) ?? { type: '', id: '' }, 'name');
    // A victim's identity carries its id, so that a re-import gives the identity its own id back (not the TTP's).
    const own = withIds ? ` id="${ea(host.id('identity', id))}"` : '';
    return name === undefined
      ? `<${t} idref="${ea(host.id('identity', id))}"/>`
      : `<${t}${own}><stixCommon:Name>${et(name)}</stixCommon:Name></${t}>`;
  };
  const [first, ...rest] = ids;
  if (first === undefined) return '';
  if (rest.length === 0) return one(first, tag);
  const others = rest.map((id) => `<stixCommon:Related_Identity>${one(id, 'stixCommon:Identity')}</stixCommon:Related_Identity>`).join('');
  const head = one(first, tag);
  const open = head.endsWith('/>') ? `${head.slice(0, -2)}>` : head.slice(0, -`</${tag}>`.length);
  return `${open}<stixCommon:Related_Identities>${others}</stixCommon:Related_Identities></${tag}>`;
}

/** A TTP's Victim_Targeting for the identities it targets ('' when none). */
function victimTargetingXml(host: ExportHost, ids: readonly string[]): string {
  return ids.length === 0 ? '' : `<ttp:Victim_Targeting>${identitiesXml(host, 'ttp:Identity', ids, true)}</ttp:Victim_Targeting>`;
}

/**
 * A threat actor or campaign that `targets` identities: STIX 1 says whom through a TTP's Victim_Targeting, so the
 * package gets a TTP of its own (id from the first such relationship) that the construct lists with the
 * relationship `targets`. Returns that TTP's id, or undefined when the object targets no identity.
 */
function victimTtp(host: ExportHost, o: StixObject, type: string): string | undefined {
  const rels = (host.outgoing.get(o.id) ?? []).filter(
    (r) => str(r, 'relationship_type') === type && endType(host.byId, str(r, 'target_ref') ?? '') === 'identity',
  );
  const first = rels[0];
  if (first === undefined) return undefined;
  const ids = related(host, o.id, type, ['identity']);
  const id = host.id('ttp', first.id);
  const title = `Victims targeted by ${str(o, 'name') ?? o.id}`;
  host.addConstruct(
    'TTPs',
    `<stix:TTP id="${ea(id)}"${timestampAttr(o)} xsi:type="ttp:TTPType" version="1.2">${el('ttp:Title', title)}${victimTargetingXml(host, ids)}</stix:TTP>`,
  );
  return id;
}

export function killChainXml(o: StixObject, tag: string): string {
  const kc = o['kill_chain_phases'];
  if (!Array.isArray(kc) || kc.length === 0) return '';
  const phases = kc.flatMap((k) => {
    if (typeof k !== 'object' || k === null) return [];
    const rec = k as Record<string, unknown>;
    const chain =
      rec['kill_chain_name'] === 'lockheed-martin-cyber-kill-chain' ? 'LM Cyber Kill Chain' : String(rec['kill_chain_name'] ?? '');
    const phase = String(rec['phase_name'] ?? '');
    const lmco = LMCO_OUT[phase];
    const ids =
      chain === 'LM Cyber Kill Chain' && lmco !== undefined
        ? ` phase_id="stix:KillChainPhase-${lmco.id}" kill_chain_id="stix:KillChain-af3e707f-2fb9-49e5-8c37-14026ca0a5ff"`
        : '';
    const name = chain === 'LM Cyber Kill Chain' && lmco !== undefined ? lmco.name : phase;
    return [`<stixCommon:Kill_Chain_Phase name="${ea(name)}" kill_chain_name="${ea(chain)}"${ids}/>`];
  });
  return `<${tag}>${phases.join('')}</${tag}>`;
}

/** LMCO phase names back to their STIX 1.2 ids (the slider rebuilds the chain from the names). */
const LMCO_OUT: Readonly<Record<string, { id: string; name: string }>> = {
  reconnaissance: { id: 'af1016d6-a744-4ed7-ac91-00fe2272185a', name: 'Reconnaissance' },
  weaponization: { id: '445b4827-3cca-42bd-8421-f2e947133c16', name: 'Weaponization' },
  delivery: { id: '79a0e041-9d5f-49bb-ada4-8322622b162d', name: 'Delivery' },
  exploitation: { id: 'f706e4e7-53d8-44ef-967f-81535c9db7d0', name: 'Exploitation' },
  installation: { id: 'e1e4e3f7-be3b-4b39-b80a-a593cfd99a4f', name: 'Installation' },
  'command-and-control': { id: 'd6dc32b9-2538-4951-8733-3cb9ef1daae2', name: 'Command and Control' },
  'actions-on-objectives': { id: '786ca8f9-2d9a-4213-b38e-399af4a2e5d6', name: 'Actions on Objectives' },
  'actions-on-objective': { id: '786ca8f9-2d9a-4213-b38e-399af4a2e5d6', name: 'Actions on Objectives' },
};

// ------------------------------------------------------------------------------------------------ SCOs

const SKIP = new Set([
  'type',
  'id',
  'spec_version',
  'defanged',
  'object_marking_refs',
  'granular_markings',
  'is_multipart',
  'resolves_to_refs',
]);
const MAIN_PROP: Readonly<Record<string, string>> = { directory: 'path', file: 'name', process: 'pid' };

/** The values of an SCO as CybOX items (references resolved to the referenced object's main value). */
export function scoItems(sco: StixObject, byId: ReadonlyMap<string, StixObject>): CyboxItem[] {
  const items: CyboxItem[] = [];
  const push = (path: string, text: string, group: string): void => {
    items.push(group === '' ? { path, text, attrs: '' } : { path, text, attrs: '', group });
  };
  const walk = (value: unknown, path: readonly string[], group: string): void => {
    const last = path[path.length - 1] ?? '';
    if (typeof value === 'string' && (last.endsWith('_ref') || (path[path.length - 2] ?? '').endsWith('_refs'))) {
      const target = byId.get(value);
      if (target === undefined) return;
      const prop = MAIN_PROP[target.type] ?? 'value';
      const v = target[prop];
      // Endpoints of traffic say which kind of address they are (the CybOX element differs).
      const hint = (last === 'src_ref' || last === 'dst_ref') && target.type !== 'ipv4-addr' ? `|${target.type}` : '';
      if (typeof v === 'string' || typeof v === 'number') push(`${renderPath([...path, prop])}${hint}`, String(v), group);
      // The referenced object's other values (a recipient's display name, a parent process's image, an address's
      // AS) under the reference's path: a CybOX element when there is one, else a custom property — never dropped.
      // References are followed two deep at most (a parent process's image file, an address's AS).
      if (path.filter((seg) => seg.endsWith('_ref') || seg.endsWith('_refs')).length > 2) return;
      for (const [k, x] of Object.entries(target)) if (k !== prop && !SKIP.has(k)) walk(x, [...path, k], group);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, '*'], typeof v === 'object' && v !== null ? `${group}${i}.` : group));
      return;
    }
    if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k], group);
      return;
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') push(renderPath(path), String(value), group);
  };
  for (const [k, v] of Object.entries(sco)) if (!SKIP.has(k)) walk(v, [k], '');
  return sco.type === 'email-message' ? emailItems(items) : items;
}

/** Properties every SCO has that carry no observed value. */
const BOOKKEEPING = new Set(['type', 'id', 'spec_version', 'defanged', 'object_marking_refs', 'granular_markings']);

/**
 * Whether a referenced SCO travels whole inside the object that references it: only its main value (and an
 * address's display name) is written there, so an SCO with more (a user account, a file with hashes, an AS) is an
 * object of its own.
 */
function carriedByReference(o: StixObject): boolean {
  const main = MAIN_PROP[o.type] ?? 'value';
  return Object.keys(o).every((k) => BOOKKEEPING.has(k) || k === main || (o.type === 'email-addr' && k === 'display_name'));
}

/** SCO types that stand on their own in CybOX (referenced addresses and directories travel inside their object). */
function mainScos(ids: readonly string[], byId: ReadonlyMap<string, StixObject>): StixObject[] {
  const referenced = new Set<string>();
  const scos = ids.flatMap((id) => byId.get(id) ?? []);
  for (const s of scos) {
    const refs: string[] = [];
    for (const [k, v] of Object.entries(s)) {
      if (k.endsWith('_ref') && typeof v === 'string') refs.push(v);
      // A domain's resolutions are objects of their own (a domain AND its addresses), not values inside the domain.
      if (k.endsWith('_refs') && k !== 'resolves_to_refs' && Array.isArray(v))
        refs.push(...v.filter((x): x is string => typeof x === 'string'));
    }
    for (const r of refs) {
      const target = byId.get(r);
      if (target === undefined || carriedByReference(target)) referenced.add(r);
    }
  }
  return scos.filter((s) => !referenced.has(s.id));
}

/**
 * An email's MIME parts whose `body_raw_ref` is a file or artifact written in the same Observable: CybOX
 * `Attachments` pointing at that object (the part's other fields stay reported), and the attachment paths taken.
 */
function attachments(host: ExportHost, sco: StixObject, written: ReadonlySet<string>): { xml: string; taken: ReadonlySet<string> } {
  const parts = sco['body_multipart'];
  if (sco.type !== 'email-message' || !Array.isArray(parts)) return { xml: '', taken: new Set() };
  const refs = parts.flatMap((p: unknown) => {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) return [];
    const ref = (p as Record<string, unknown>)['body_raw_ref'];
    return typeof ref === 'string' && written.has(ref) ? [ref] : [];
  });
  if (refs.length === 0) return { xml: '', taken: new Set() };
  const files = refs.map((r) => `<EmailMessageObj:File object_reference="${ea(host.id('Object', r))}"/>`).join('');
  const taken = new Set(['body_multipart[*].body_raw_ref.name', 'body_multipart[*].body_raw_ref.value']);
  return { xml: `<EmailMessageObj:Attachments>${files}</EmailMessageObj:Attachments>`, taken };
}

function objectXml(host: ExportHost, sco: StixObject, ownerId: string, written: ReadonlySet<string> = new Set()): string {
  // Written (a custom SCO type as a CybOX Custom object too): not reported as left out.
  host.expressed(sco);
  const att = attachments(host, sco, written);
  const r0 = cyboxProperties(
    sco.type,
    scoItems(sco, host.byId).filter((i) => !att.taken.has(i.path)),
    true,
  );
  // Attachments follow the header and raw body in the CybOX email schema, and nothing this exporter writes comes after.
  const r = att.xml === '' ? r0 : { ...r0, xml: r0.xml.replace(/<\/cybox:Properties>$/, `${att.xml}</cybox:Properties>`) };
  const reports = [
    ['STIX1_EXPORT_PROPERTY_UNMAPPED', 'properties without a CybOX place', r.skipped],
    ['STIX1_EXPORT_PROPERTY_CUSTOM', 'properties without a CybOX element kept as custom properties', r.customs],
  ] as const;
  for (const [code, what, paths] of reports) {
    if (paths.length > 0) host.issues.push(issue('info', code, `/${sco.id}`, `${sco.type} ${what}: ${paths.join(', ')}`, ownerId));
  }
  return `<cybox:Object id="${ea(host.id('Object', sco.id))}">${r.xml}</cybox:Object>`;
}

/** An observed-data's `number_observed` as the Observable's `sighting_count` ('' for anything else). */
function observedAttrs(o: StixObject | undefined): string {
  const n = o?.type === 'observed-data' ? o['number_observed'] : undefined;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? ` sighting_count="${n}"` : '';
}

/** An observed-data's first and last observation as the Observable_Source time ('' for anything else). */
function observedSource(o: StixObject | undefined): string {
  if (o?.type !== 'observed-data') return '';
  const first = str(o, 'first_observed');
  const last = str(o, 'last_observed');
  if (first === undefined && last === undefined) return '';
  return `<cybox:Observable_Source><cyboxCommon:Time>${el('cyboxCommon:Start_Time', first)}${el('cyboxCommon:End_Time', last)}</cyboxCommon:Time></cybox:Observable_Source>`;
}

/** observed-data (or a bare SCO) → one CybOX Observable; several objects become an AND composition. */
export function observableXml(
  host: ExportHost,
  ownerId: string,
  refs: readonly string[],
  title?: string,
  description?: string,
): string | undefined {
  const mains = mainScos(refs, host.byId).filter((s) => {
    try {
      cyboxProperties(s.type, [], true);
      return true;
    } catch {
      host.issues.push(
        issue('warning', 'STIX1_EXPORT_UNSUPPORTED_OBJECT', `/${s.id}`, `${s.type} objects have no CybOX form in this exporter`, ownerId),
      );
      return false;
    }
  });
  if (mains.length === 0) return undefined;
  const owner = host.byId.get(ownerId);
  const head = `<cybox:Observable id="${ea(host.id('Observable', ownerId))}"${observedAttrs(owner)}>${el('cybox:Title', title)}${el('cybox:Description', description)}${observedSource(owner)}`;
  const first = mains[0];
  const written = new Set(mains.map((m) => m.id));
  if (mains.length === 1 && first !== undefined) return `${head}${objectXml(host, first, ownerId, written)}</cybox:Observable>`;
  const parts = mains.map(
    (s) => `<cybox:Observable id="${ea(host.id('Observable', s.id))}">${objectXml(host, s, ownerId, written)}</cybox:Observable>`,
  );
  return `${head}<cybox:Observable_Composition operator="AND">${parts.join('')}</cybox:Observable_Composition></cybox:Observable>`;
}

// ------------------------------------------------------------------------------------------------ SDOs

/** External references the construct writes elsewhere (CAPEC id on an attack pattern, CVE or CWE on a vulnerability). */
function writtenElsewhere(o: StixObject, ref: Record<string, unknown>): boolean {
  if (o.type === 'vulnerability' && String(ref['source_name']).toLowerCase() === 'cwe' && typeof ref['external_id'] === 'string')
    return true;
  const source = ref['source_name'];
  return (
    typeof ref['external_id'] === 'string' &&
    ((o.type === 'attack-pattern' && source === 'capec') ||
      (o.type === 'vulnerability' && (source === 'cve' || osvdbNumber(ref) !== undefined)) ||
      o.type === 'incident')
  );
}

/** The number of an OSVDB reference (`osvdb` as the elevator writes it, `OSVDB_ID` as the slider's inputs do). */
function osvdbNumber(ref: Record<string, unknown>): string | undefined {
  const source = ref['source_name'];
  const id = ref['external_id'];
  if (typeof source !== 'string' || !/^osvdb(_id)?$/i.test(source) || typeof id !== 'string') return undefined;
  return /^(?:OSVDB-)?([0-9]+)$/i.exec(id)?.[1];
}

/**
 * `<tag>` (an InformationSourceType: `ttp:Information_Source`, `indicator:Producer`, …) holding the producer's name
 * (created_by_ref) and every external reference with a URL as a `stixCommon:Reference`; '' when there is neither.
 * A reference without URL that the construct does not write elsewhere is reported by value
 * (STIX1_EXPORT_PROPERTY_UNMAPPED), as STIX 1 references are URIs.
 */
export function informationSourceXml(host: ExportHost, o: StixObject, tag: string): string {
  const producer = host.byId.get(str(o, 'created_by_ref') ?? '');
  const name = producer === undefined ? undefined : str(producer, 'name');
  const urls: string[] = [];
  const lost: string[] = [];
  for (const r of Array.isArray(o['external_references']) ? o['external_references'] : []) {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) continue;
    const ref = r as Record<string, unknown>;
    const url = ref['url'];
    if (typeof url === 'string') urls.push(url);
    else if (!writtenElsewhere(o, ref)) {
      const parts = [ref['source_name'], ref['external_id'], ref['description']].filter((x): x is string => typeof x === 'string');
      // STIX 1 references are URIs: a reference without one is kept as text in the source's description.
      if (parts.length > 0) lost.push(parts.join(' '));
    }
  }
  if (name === undefined && urls.length === 0 && lost.length === 0) return '';
  const description = lost.length === 0 ? '' : el('stixCommon:Description', lost.map((x) => `SOURCE: ${x}`).join('\n'));
  const identity = name === undefined ? '' : `<stixCommon:Identity><stixCommon:Name>${et(name)}</stixCommon:Name></stixCommon:Identity>`;
  const refs =
    urls.length === 0
      ? ''
      : `<stixCommon:References>${urls.map((u) => `<stixCommon:Reference>${et(u)}</stixCommon:Reference>`).join('')}</stixCommon:References>`;
  return `<${tag}>${description}${identity}${refs}</${tag}>`;
}

const TTP_TYPES = ['malware', 'attack-pattern', 'tool', 'infrastructure'];

/** malware / attack-pattern / tool / infrastructure → stix:TTP. */
export function ttpXml(host: ExportHost, o: StixObject): string {
  const name = str(o, 'name');
  let behavior = '';
  let resources = '';
  if (o.type === 'malware') {
    const types = strings(o, 'malware_types')
      .map((t) => `<ttp:Type>${et(t)}</ttp:Type>`)
      .join('');
    behavior = `<ttp:Behavior><ttp:Malware><ttp:Malware_Instance>${types}${el('ttp:Name', name)}${el('ttp:Description', str(o, 'description'))}</ttp:Malware_Instance></ttp:Malware></ttp:Behavior>`;
  } else if (o.type === 'attack-pattern') {
    const capec = (Array.isArray(o['external_references']) ? o['external_references'] : []).find(
      (r): r is Record<string, unknown> => typeof r === 'object' && r !== null && (r as Record<string, unknown>)['source_name'] === 'capec',
    );
    const capecAttr = typeof capec?.['external_id'] === 'string' ? ` capec_id="${ea(capec['external_id'])}"` : '';
    behavior = `<ttp:Behavior><ttp:Attack_Patterns><ttp:Attack_Pattern${capecAttr}>${el('ttp:Title', name)}${el('ttp:Description', str(o, 'description'))}</ttp:Attack_Pattern></ttp:Attack_Patterns></ttp:Behavior>`;
  } else if (o.type === 'tool') {
    const types = strings(o, 'tool_types')
      .map((t) => `<cyboxCommon:Type>${et(t)}</cyboxCommon:Type>`)
      .join('');
    resources = `<ttp:Resources><ttp:Tools><ttp:Tool>${el('cyboxCommon:Name', name)}${types}${el('cyboxCommon:Description', str(o, 'description'))}${el('cyboxCommon:Version', str(o, 'tool_version'))}</ttp:Tool></ttp:Tools></ttp:Resources>`;
  } else {
    const types = strings(o, 'infrastructure_types')
      .map((t) => `<ttp:Type>${et(t)}</ttp:Type>`)
      .join('');
    const consists = related(host, o.id, 'consists-of', ['observed-data']);
    const chars = consists.map((id) => `<cybox:Observable idref="${ea(host.id('Observable', id))}"/>`).join('');
    const oc =
      chars === ''
        ? ''
        : `<ttp:Observable_Characterization cybox_major_version="2" cybox_minor_version="1">${chars}</ttp:Observable_Characterization>`;
    resources = `<ttp:Resources><ttp:Infrastructure>${el('ttp:Title', name)}${el('ttp:Description', str(o, 'description'))}${types}${oc}</ttp:Infrastructure></ttp:Resources>`;
  }
  const victims = victimTargetingXml(host, related(host, o.id, 'targets', ['identity']));
  const ets = refList(host, 'ttp:Exploit_Targets', 'ttp:Exploit_Target', related(host, o.id, 'targets', ['vulnerability']));
  const body = `${el('ttp:Title', name)}${behavior}${resources}${victims}${ets}${relatedTtpsXml(host, o)}${killChainXml(o, 'ttp:Kill_Chain_Phases')}${informationSourceXml(host, o, 'ttp:Information_Source')}${host.handling(o, 'ttp')}`;
  return `<stix:TTP id="${ea(host.id('ttp', o.id))}"${timestampAttr(o)} xsi:type="ttp:TTPType" version="1.2">${body}</stix:TTP>`;
}

/** Relationships from a TTP to other TTPs (`uses`, `drops`, `variant-of`, …) → Related_TTPs naming the type. */
function relatedTtpsXml(host: ExportHost, o: StixObject): string {
  const items = (host.outgoing.get(o.id) ?? []).flatMap((r) => {
    const target = str(r, 'target_ref') ?? '';
    if (!TTP_TYPES.includes(endType(host.byId, target) ?? '')) return [];
    host.expressed(r);
    const type = el('stixCommon:Relationship', str(r, 'relationship_type'));
    return [`<ttp:Related_TTP>${type}<stixCommon:TTP idref="${ea(host.id('ttp', target))}" xsi:type="ttp:TTPType"/></ttp:Related_TTP>`];
  });
  return items.length === 0 ? '' : `<ttp:Related_TTPs>${items.join('')}</ttp:Related_TTPs>`;
}

export function exploitTargetXml(host: ExportHost, o: StixObject): string {
  const refs = Array.isArray(o['external_references']) ? o['external_references'] : [];
  const cve = refs.find(
    (r): r is Record<string, unknown> => typeof r === 'object' && r !== null && (r as Record<string, unknown>)['source_name'] === 'cve',
  );
  const cveId = typeof cve?.['external_id'] === 'string' ? cve['external_id'] : undefined;
  const name = str(o, 'name');
  const osvdbId = refs.flatMap((r) => (typeof r === 'object' && r !== null ? (osvdbNumber(r as Record<string, unknown>) ?? []) : []))[0];
  const vuln = `<et:Vulnerability>${name !== cveId ? el('et:Title', name) : ''}${el('et:Description', str(o, 'description'))}${el('et:CVE_ID', cveId)}${el('et:OSVDB_ID', osvdbId)}${cvssXml(o)}</et:Vulnerability>${weaknessXml(o)}`;
  const coas = refList(host, 'et:Potential_COAs', 'et:Potential_COA', related(host, o.id, 'mitigates', ['course-of-action'], true));
  return `<stix:Exploit_Target id="${ea(host.id('et', o.id))}"${timestampAttr(o)} xsi:type="et:ExploitTargetType" version="1.2">${el('et:Title', name)}${vuln}${coas}${informationSourceXml(host, o, 'et:Information_Source')}${host.handling(o, 'et')}</stix:Exploit_Target>`;
}

export function coaXml(host: ExportHost, o: StixObject): string {
  const body = `${el('coa:Title', str(o, 'name'))}${el('coa:Description', str(o, 'description'))}${informationSourceXml(host, o, 'coa:Information_Source')}${host.handling(o, 'coa')}`;
  return `<stix:Course_Of_Action id="${ea(host.id('coa', o.id))}"${timestampAttr(o)} xsi:type="coa:CourseOfActionType" version="1.2">${body}</stix:Course_Of_Action>`;
}

export function campaignXml(host: ExportHost, o: StixObject): string {
  const aliases = strings(o, 'aliases');
  const names =
    aliases.length === 0
      ? ''
      : `<campaign:Names>${aliases.map((a) => `<campaign:Name>${et(a)}</campaign:Name>`).join('')}</campaign:Names>`;
  const victims = victimTtp(host, o, 'targets');
  const ttps = refList(host, 'campaign:Related_TTPs', 'campaign:Related_TTP', related(host, o.id, 'uses', TTP_TYPES), victims);
  // An incident attributed to the campaign: STIX 1 says it from the campaign's side.
  const incidents = refList(
    host,
    'campaign:Related_Incidents',
    'campaign:Related_Incident',
    related(host, o.id, 'attributed-to', ['incident'], true),
  );
  const actors = related(host, o.id, 'attributed-to', ['threat-actor']);
  const attribution = actors.length === 0 ? '' : refList(host, 'campaign:Attribution', 'campaign:Attributed_Threat_Actor', actors);
  const body = `${el('campaign:Title', str(o, 'name'))}${el('campaign:Description', str(o, 'description'))}${names}${el('campaign:Intended_Effect', str(o, 'objective'))}${ttps}${incidents}${attribution}${informationSourceXml(host, o, 'campaign:Information_Source')}${host.handling(o, 'campaign')}`;
  return `<stix:Campaign id="${ea(host.id('campaign', o.id))}"${timestampAttr(o)} xsi:type="campaign:CampaignType" version="1.2">${body}</stix:Campaign>`;
}

export function threatActorXml(host: ExportHost, o: StixObject): string {
  const types = strings(o, 'threat_actor_types')
    .map((t) => `<ta:Type><stixCommon:Value>${et(t)}</stixCommon:Value></ta:Type>`)
    .join('');
  const motivation = str(o, 'primary_motivation');
  const soph = str(o, 'sophistication');
  const goals = strings(o, 'goals')
    .map((g) => `<ta:Intended_Effect><stixCommon:Value>${et(g)}</stixCommon:Value></ta:Intended_Effect>`)
    .join('');
  const camps = refList(
    host,
    'ta:Associated_Campaigns',
    'ta:Associated_Campaign',
    related(host, o.id, 'attributed-to', ['campaign'], true),
  );
  // attributed-to identities: the actor's Identity (the first; the others as its Related_Identities)
  const identityXml = identitiesXml(host, 'ta:Identity', related(host, o.id, 'attributed-to', ['identity']));
  const victims = victimTtp(host, o, 'targets');
  const observed = [...related(host, o.id, 'uses', TTP_TYPES)];
  const ttps = refList(host, 'ta:Observed_TTPs', 'ta:Observed_TTP', observed, victims);
  const body =
    `${el('ta:Title', str(o, 'name'))}${el('ta:Description', str(o, 'description'))}` +
    `${identityXml}${types}` +
    [motivation, ...strings(o, 'secondary_motivations')]
      .flatMap((m) => (m === undefined ? [] : [`<ta:Motivation><stixCommon:Value>${et(m)}</stixCommon:Value></ta:Motivation>`]))
      .join('') +
    `${soph === undefined ? '' : `<ta:Sophistication><stixCommon:Value>${et(soph)}</stixCommon:Value></ta:Sophistication>`}` +
    `${goals}${ttps}${camps}${host.handling(o, 'ta')}${informationSourceXml(host, o, 'ta:Information_Source')}`;
  return `<stix:Threat_Actor id="${ea(host.id('threatactor', o.id))}"${timestampAttr(o)} xsi:type="ta:ThreatActorType" version="1.2">${body}</stix:Threat_Actor>`;
}

export function incidentXml(host: ExportHost, o: StixObject): string {
  const ext = (Array.isArray(o['external_references']) ? o['external_references'] : []).flatMap((r) => {
    if (typeof r !== 'object' || r === null) return [];
    const rec = r as Record<string, unknown>;
    return typeof rec['external_id'] === 'string'
      ? [`<incident:External_ID source="${ea(String(rec['source_name'] ?? ''))}">${et(rec['external_id'])}</incident:External_ID>`]
      : [];
  });
  const inds = related(host, o.id, 'related-to', ['indicator'], true);
  const indXml =
    inds.length === 0
      ? ''
      : `<incident:Related_Indicators>${inds.map((id) => `<incident:Related_Indicator><stixCommon:Indicator idref="${ea(host.id('indicator', id))}"/></incident:Related_Indicator>`).join('')}</incident:Related_Indicators>`;
  const obs = related(host, o.id, 'related-to', ['observed-data']);
  const obsXml =
    obs.length === 0
      ? ''
      : `<incident:Related_Observables>${obs.map((id) => `<incident:Related_Observable><stixCommon:Observable idref="${ea(host.id('Observable', id))}"/></incident:Related_Observable>`).join('')}</incident:Related_Observables>`;
  const ttps = refList(
    host,
    'incident:Leveraged_TTPs',
    'incident:Leveraged_TTP',
    related(host, o.id, 'related-to', TTP_TYPES).concat(related(host, o.id, 'uses', TTP_TYPES)),
  );
  const actors = refList(
    host,
    'incident:Attributed_Threat_Actors',
    'incident:Threat_Actor',
    related(host, o.id, 'attributed-to', ['threat-actor']),
  );
  const body = `${el('incident:Title', str(o, 'name'))}${ext.join('')}${el('incident:Description', str(o, 'description'))}${indXml}${obsXml}${ttps}${actors}${informationSourceXml(host, o, 'incident:Information_Source')}${host.handling(o, 'incident')}`;
  return `<stix:Incident id="${ea(host.id('incident', o.id))}"${timestampAttr(o)} xsi:type="incident:IncidentType" version="1.2">${body}</stix:Incident>`;
}

/**
 * OpenIOC terms the OpenIOC import could not map (`x_openioc_terms`, docs/mapping/openioc.md): written as text in the
 * indicator's (or report's) Description, one `search condition "value"` line each, so OpenIOC → STIX 1 keeps every term.
 */
export function openiocTermsNote(o: StixObject, placed: ReadonlySet<unknown> = new Set()): string | undefined {
  const terms = o['x_openioc_terms'];
  if (!Array.isArray(terms)) return undefined;
  const lines = terms.flatMap((t: unknown) => {
    if (typeof t !== 'object' || t === null || Array.isArray(t) || placed.has(t)) return [];
    const rec = t as Record<string, unknown>;
    const part = (k: string): string => (typeof rec[k] === 'string' ? rec[k] : '');
    return [`${part('search')} ${part('condition')} ${JSON.stringify(part('value'))}`];
  });
  return lines.length === 0 ? undefined : `OpenIOC terms without a STIX form:\n${lines.join('\n')}`;
}

/** report → stix:Report listing its objects by idref, section by section. */
export function reportXml(host: ExportHost, o: StixObject): string {
  const sections = new Map<string, string[]>();
  for (const ref of strings(o, 'object_refs')) {
    const k = host.kindOf(ref);
    const section = k === undefined ? undefined : SECTION_OF[k.element];
    if (k === undefined || section === undefined) continue;
    const list = sections.get(section) ?? [];
    list.push(`<report:${k.element} idref="${ea(host.id(k.kind, ref))}"/>`);
    sections.set(section, list);
  }
  const header = `<report:Header>${el('report:Title', str(o, 'name'))}${strings(o, 'report_types')
    .map((t) => `<report:Intent>${et(t)}</report:Intent>`)
    .join(
      '',
    )}${el('report:Description', [str(o, 'description'), openiocTermsNote(o)].filter((x): x is string => x !== undefined).join('\n\n') || undefined)}${informationSourceXml(host, o, 'report:Information_Source')}</report:Header>`;
  const body = REPORT_ORDER.map((sec) => {
    const list = sections.get(sec);
    return list === undefined ? '' : `<report:${sec}>${list.join('')}</report:${sec}>`;
  }).join('');
  return `<stix:Report id="${ea(host.id('report', o.id))}"${timestampAttr(o)} xsi:type="report:ReportType" version="1.0">${header}${body}</stix:Report>`;
}

/**
 * note → a stix:Report of its own (Intent `Note`): the abstract as its title, the content as its description, the
 * authors as contributing sources, the annotated constructs by idref (a report among them as a Related_Report).
 */
export function noteXml(host: ExportHost, o: StixObject): string {
  const sections = new Map<string, string[]>();
  const reports: string[] = [];
  for (const ref of strings(o, 'object_refs')) {
    if (endType(host.byId, ref) === 'report') {
      reports.push(`<report:Related_Report><stixCommon:Report idref="${ea(host.id('report', ref))}"/></report:Related_Report>`);
      continue;
    }
    const k = host.kindOf(ref);
    const section = k === undefined ? undefined : SECTION_OF[k.element];
    if (k === undefined || section === undefined) continue;
    sections.set(section, [...(sections.get(section) ?? []), `<report:${k.element} idref="${ea(host.id(k.kind, ref))}"/>`]);
  }
  const authors = strings(o, 'authors')
    .map(
      (a) =>
        `<stixCommon:Source><stixCommon:Identity><stixCommon:Name>${et(a)}</stixCommon:Name></stixCommon:Identity></stixCommon:Source>`,
    )
    .join('');
  const source =
    authors === ''
      ? informationSourceXml(host, o, 'report:Information_Source')
      : `<report:Information_Source><stixCommon:Contributing_Sources>${authors}</stixCommon:Contributing_Sources></report:Information_Source>`;
  const header = `<report:Header>${el('report:Title', str(o, 'abstract') ?? 'Note')}<report:Intent>Note</report:Intent>${el('report:Description', str(o, 'content'))}${source}</report:Header>`;
  const body = REPORT_ORDER.map((sec) => {
    const list = sections.get(sec);
    return list === undefined ? '' : `<report:${sec}>${list.join('')}</report:${sec}>`;
  }).join('');
  const related = reports.length === 0 ? '' : `<report:Related_Reports>${reports.join('')}</report:Related_Reports>`;
  return `<stix:Report id="${ea(host.id('report', o.id))}"${timestampAttr(o)} xsi:type="report:ReportType" version="1.0">${header}${body}${related}${host.handling(o, 'report')}</stix:Report>`;
}

const SECTION_OF: Readonly<Record<string, string>> = {
  Observable: 'Observables',
  Indicator: 'Indicators',
  TTP: 'TTPs',
  Exploit_Target: 'Exploit_Targets',
  Incident: 'Incidents',
  Course_Of_Action: 'Courses_Of_Action',
  Campaign: 'Campaigns',
  Threat_Actor: 'Threat_Actors',
};
const REPORT_ORDER = [
  'Observables',
  'Indicators',
  'TTPs',
  'Exploit_Targets',
  'Incidents',
  'Courses_Of_Action',
  'Campaigns',
  'Threat_Actors',
];

export { related, refList, el as textEl, TTP_TYPES };
