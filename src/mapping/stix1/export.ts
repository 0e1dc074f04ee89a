/**
 * STIX 2.1 → STIX 1.2 XML (the slider's direction, docs/mapping/stix1.md). Indicators with simple patterns become
 * CybOX observables with conditions; snort/yara indicators become Test_Mechanisms; malware becomes a TTP
 * and `indicates` relationships become Indicated_TTP. TLP is written per indicator as a TLP marking
 * structure (most restrictive level, never widened: AMBER+STRICT is written as RED), statement markings as
 * Terms of Use. What cannot be represented is reported; an unrepresentable pattern is kept in the
 * indicator's Description.
 */
import { uuidV5, GATEWAY_ID_NAMESPACE, parseStixId } from '../../stix/identifiers';
import { issue, type ContentIssue } from '../../stix/issues';
import { strictestTlp } from '../../stix/markings';
import { escapeXmlAttr as ea, escapeXmlText as et } from '../common/xml';
import type { ExportResult, StixObject } from '../types';
import { CYBOX_OBJECT_NS, NS } from './namespaces';
import { type Comparison, type Expr, renderPath, singleRoot } from './pattern-tree';
import { literalFromLike, literalFromRegex, parseSimplePattern } from './simple-pattern';
import { HASH_NAMES_OUT } from './vocab';

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
  cybox: NS.cybox,
  cyboxCommon: NS.cyboxCommon,
  cyboxVocabs: NS.cyboxVocabs,
  marking: NS.marking,
  tlpMarking: NS.tlp,
  TOUMarking: NS.termsOfUse,
  snortTM: NS.snort,
  yaraTM: NS.yara,
  xsi: NS.xsi,
  ...CYBOX_OBJECT_NS,
};

const TLP_COLOR = { clear: 'WHITE', green: 'GREEN', amber: 'AMBER', 'amber+strict': 'RED', red: 'RED' } as const;

class CannotMap extends Error {}

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
    default:
      throw new CannotMap(`operator ${c.op}`);
  }
}

function valueEl(tag: string, c: Comparison, attrs = ''): string {
  const cond = condition(c);
  const apply = cond.apply !== undefined ? ` apply_condition="${cond.apply}"` : '';
  return `<${tag}${attrs} condition="${cond.condition}"${apply}>${et(cond.values)}</${tag}>`;
}

/** One CybOX object (all comparisons on one root, ANDed) as a `cybox:Properties` element. */
function properties(root: string, cs: readonly Comparison[]): string {
  const by = (p: string): Comparison[] => cs.filter((c) => renderPath(c.path) === p);
  const known = new Set<Comparison>();
  const take = (list: Comparison[]): Comparison[] => {
    for (const c of list) known.add(c);
    return list;
  };
  let out: string;
  switch (root) {
    case 'ipv4-addr':
    case 'ipv6-addr':
    case 'email-addr':
    case 'mac-addr': {
      const category = root === 'email-addr' ? 'e-mail' : root === 'mac-addr' ? 'mac' : root;
      out = `<cybox:Properties xsi:type="AddressObj:AddressObjectType" category="${category}">${take(by('value')).map((c) => valueEl('AddressObj:Address_Value', c)).join('')}</cybox:Properties>`;
      break;
    }
    case 'domain-name':
      out = `<cybox:Properties xsi:type="DomainNameObj:DomainNameObjectType" type="FQDN">${take(by('value')).map((c) => valueEl('DomainNameObj:Value', c)).join('')}</cybox:Properties>`;
      break;
    case 'url':
      out = `<cybox:Properties xsi:type="URIObj:URIObjectType" type="URL">${take(by('value')).map((c) => valueEl('URIObj:Value', c)).join('')}</cybox:Properties>`;
      break;
    case 'file': {
      const hashes = take(cs.filter((c) => c.path[0] === 'hashes' && c.path.length === 2));
      const hashXml = hashes
        .map((c) => {
          const name = HASH_NAMES_OUT[c.path[1] ?? ''];
          if (name === undefined) throw new CannotMap(`hash ${c.path[1] ?? ''}`);
          const tag = name === 'SSDEEP' ? 'cyboxCommon:Fuzzy_Hash_Value' : 'cyboxCommon:Simple_Hash_Value';
          return `<cyboxCommon:Hash><cyboxCommon:Type xsi:type="cyboxVocabs:HashNameVocab-1.0">${name}</cyboxCommon:Type>${valueEl(tag, c)}</cyboxCommon:Hash>`;
        })
        .join('');
      out =
        `<cybox:Properties xsi:type="FileObj:FileObjectType">` +
        take(by('name')).map((c) => valueEl('FileObj:File_Name', c)).join('') +
        take(by('parent_directory_ref.path')).map((c) => valueEl('FileObj:File_Path', c)).join('') +
        take(by('size')).map((c) => valueEl('FileObj:Size_In_Bytes', c)).join('') +
        (hashXml === '' ? '' : `<FileObj:Hashes>${hashXml}</FileObj:Hashes>`) +
        `</cybox:Properties>`;
      break;
    }
    case 'mutex':
      out = `<cybox:Properties xsi:type="MutexObj:MutexObjectType">${take(by('name')).map((c) => valueEl('MutexObj:Name', c)).join('')}</cybox:Properties>`;
      break;
    case 'windows-registry-key': {
      const names = take(by('values[*].name'));
      const datas = take(by('values[*].data'));
      const vals =
        names.length + datas.length === 0
          ? ''
          : `<WinRegistryKeyObj:Values><WinRegistryKeyObj:Value>${names.map((c) => valueEl('WinRegistryKeyObj:Name', c)).join('')}${datas
              .map((c) => valueEl('WinRegistryKeyObj:Data', c))
              .join('')}</WinRegistryKeyObj:Value></WinRegistryKeyObj:Values>`;
      out = `<cybox:Properties xsi:type="WinRegistryKeyObj:WindowsRegistryKeyObjectType">${take(by('key')).map((c) => valueEl('WinRegistryKeyObj:Key', c)).join('')}${vals}</cybox:Properties>`;
      break;
    }
    case 'email-message': {
      const from = take(by('from_ref.value')).map((c) => `<EmailMessageObj:From category="e-mail">${valueEl('AddressObj:Address_Value', c)}</EmailMessageObj:From>`);
      const subject = take(by('subject')).map((c) => valueEl('EmailMessageObj:Subject', c));
      out = `<cybox:Properties xsi:type="EmailMessageObj:EmailMessageObjectType"><EmailMessageObj:Header>${from.join('')}${subject.join('')}</EmailMessageObj:Header></cybox:Properties>`;
      break;
    }
    case 'network-traffic': {
      const ips = take(by('dst_ref.value')).map((c) => `<SocketAddressObj:IP_Address category="ipv4-addr">${valueEl('AddressObj:Address_Value', c)}</SocketAddressObj:IP_Address>`);
      const ports = take(by('dst_port')).map((c) => `<SocketAddressObj:Port>${valueEl('PortObj:Port_Value', c)}</SocketAddressObj:Port>`);
      out = `<cybox:Properties xsi:type="NetworkConnectionObj:NetworkConnectionObjectType"><NetworkConnectionObj:Destination_Socket_Address>${ips.join('')}${ports.join('')}</NetworkConnectionObj:Destination_Socket_Address></cybox:Properties>`;
      break;
    }
    case 'autonomous-system':
      out = `<cybox:Properties xsi:type="ASObj:ASObjectType">${take(by('number')).map((c) => valueEl('ASObj:Number', c)).join('')}</cybox:Properties>`;
      break;
    default:
      throw new CannotMap(`object type ${root}`);
  }
  const left = cs.filter((c) => !known.has(c));
  if (left.length > 0) throw new CannotMap(`${root}:${renderPath(left[0]?.path ?? [])}`);
  return out;
}

class Writer {
  readonly issues: ContentIssue[] = [];
  n = 0;
  constructor(readonly prefix: string, readonly seed: string) {}

  id(kind: string, stixId?: string): string {
    const uuid = stixId === undefined ? undefined : parseStixId(stixId)?.uuid;
    return `${this.prefix}:${kind}-${uuid ?? uuidV5(`${this.seed}\u0000${kind}\u0000${this.n++}`, GATEWAY_ID_NAMESPACE)}`;
  }

  /** An observable for an expression: one object per root, compositions for OR and for several roots. */
  observable(e: Expr): string {
    const root = singleRoot(e);
    if (root !== undefined && (e.kind === 'cmp' || (e.kind === 'and' && e.items.every((i) => i.kind === 'cmp')))) {
      const cs = e.kind === 'cmp' ? [e] : e.items.filter((i): i is Comparison => i.kind === 'cmp');
      return `<cybox:Observable id="${ea(this.id('Observable'))}"><cybox:Object>${properties(root, cs)}</cybox:Object></cybox:Observable>`;
    }
    if (e.kind === 'cmp') throw new CannotMap('comparison');
    const parts: string[] = [];
    if (e.kind === 'and') {
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
            ? `<cybox:Observable id="${ea(this.id('Observable'))}"><cybox:Object>${properties(o, groups.get(o) ?? [])}</cybox:Object></cybox:Observable>`
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

function str(o: StixObject, k: string): string | undefined {
  const v = o[k];
  return typeof v === 'string' ? v : undefined;
}

function strings(o: StixObject, k: string): string[] {
  const v = o[k];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Converts STIX 2.1 objects to one STIX 1.2 package. */
export function exportStix1(objects: readonly StixObject[], options: Stix1ExportOptions = {}): ExportResult {
  const prefix = options.prefix ?? 'gateway';
  const namespace = options.namespace ?? 'urn:stix-taxii-gateway';
  const byId = new Map(objects.map((o) => [o.id, o]));
  const seed = [...byId.keys()].sort().join(',');
  const w = new Writer(prefix, seed);
  const indicatorsXml: string[] = [];
  const ttpsXml: string[] = [];
  const indicates = new Map<string, string[]>();
  for (const o of objects) {
    if (o.type === 'relationship' && str(o, 'relationship_type') === 'indicates') {
      const src = str(o, 'source_ref');
      const tgt = str(o, 'target_ref');
      if (src !== undefined && tgt !== undefined && byId.get(tgt)?.type === 'malware') indicates.set(src, [...(indicates.get(src) ?? []), tgt]);
    }
  }
  let latest = '';
  for (const o of objects) {
    const modified = str(o, 'modified') ?? str(o, 'created') ?? '';
    if (modified > latest) latest = modified;
    if (o.type === 'indicator') indicatorsXml.push(indicatorXml(o, w, byId, indicates));
    else if (o.type === 'malware') {
      const name = str(o, 'name') ?? 'malware';
      ttpsXml.push(
        `<stix:TTP id="${ea(w.id('ttp', o.id))}" timestamp="${ea(modified)}" xsi:type="ttp:TTPType"><ttp:Title>${et(name)}</ttp:Title><ttp:Behavior><ttp:Malware><ttp:Malware_Instance><ttp:Name>${et(name)}</ttp:Name></ttp:Malware_Instance></ttp:Malware></ttp:Behavior></stix:TTP>`,
      );
    } else if (!['identity', 'marking-definition', 'relationship'].includes(o.type)) {
      w.issues.push(issue('info', 'STIX1_EXPORT_UNSUPPORTED_OBJECT', `/objects/${objects.indexOf(o)}`, `${o.type} objects are not exported to STIX 1.x`, o.id));
    } else if (o.type === 'relationship' && str(o, 'relationship_type') !== 'indicates') {
      w.issues.push(issue('info', 'STIX1_EXPORT_UNSUPPORTED_OBJECT', `/objects/${objects.indexOf(o)}`, `relationship '${str(o, 'relationship_type') ?? ''}' is not exported`, o.id));
    }
  }
  const xmlns = Object.entries({ ...DECLS, [prefix]: namespace })
    .map(([p, u]) => `xmlns:${p}="${ea(u)}"`)
    .join(' ');
  const out =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<stix:STIX_Package ${xmlns} id="${ea(w.id('Package'))}" version="1.2"${latest === '' ? '' : ` timestamp="${ea(latest)}"`}>` +
    `<stix:STIX_Header><stix:Title>${et(options.title ?? 'STIX 2.1 export')}</stix:Title></stix:STIX_Header>` +
    (indicatorsXml.length > 0 ? `<stix:Indicators>${indicatorsXml.join('')}</stix:Indicators>` : '') +
    (ttpsXml.length > 0 ? `<stix:TTPs>${ttpsXml.join('')}</stix:TTPs>` : '') +
    `</stix:STIX_Package>\n`;
  return { output: out, issues: w.issues };
}

function indicatorXml(o: StixObject, w: Writer, byId: ReadonlyMap<string, StixObject>, indicates: ReadonlyMap<string, string[]>): string {
  const parts: string[] = [];
  const name = str(o, 'name');
  if (name !== undefined) parts.push(`<indicator:Title>${et(name)}</indicator:Title>`);
  let description = str(o, 'description');
  const validFrom = str(o, 'valid_from');
  const validUntil = str(o, 'valid_until');
  const patternType = str(o, 'pattern_type') ?? 'stix';
  const pattern = str(o, 'pattern') ?? '';
  let observable = '';
  let mechanism = '';
  if (patternType === 'stix') {
    const parsed = parseSimplePattern(pattern);
    try {
      if ('error' in parsed) throw new CannotMap(parsed.error);
      observable = w.observable(parsed.expr).replace(/^<cybox:Observable /, '<indicator:Observable ').replace(/<\/cybox:Observable>$/, '</indicator:Observable>');
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      w.issues.push(issue('warning', 'STIX1_EXPORT_PATTERN_UNSUPPORTED', '/pattern', `pattern cannot be expressed as a CybOX observable (${why}); kept in the description`, o.id));
      description = `${description === undefined ? '' : `${description}\n\n`}STIX 2.1 pattern: ${pattern}`;
    }
  } else if (patternType === 'snort' || patternType === 'yara') {
    const tm = patternType === 'snort' ? 'snortTM:SnortTestMechanismType' : 'yaraTM:YaraTestMechanismType';
    const rule = patternType === 'snort' ? 'snortTM:Rule' : 'yaraTM:Rule';
    mechanism = `<indicator:Test_Mechanisms><indicator:Test_Mechanism xsi:type="${tm}"><${rule}>${et(pattern)}</${rule}></indicator:Test_Mechanism></indicator:Test_Mechanisms>`;
  } else {
    w.issues.push(issue('warning', 'STIX1_EXPORT_PATTERN_UNSUPPORTED', '/pattern_type', `pattern_type '${patternType}' has no STIX 1.x form; kept in the description`, o.id));
    description = `${description === undefined ? '' : `${description}\n\n`}${patternType} pattern: ${pattern}`;
  }
  if (description !== undefined) parts.push(`<indicator:Description>${et(description)}</indicator:Description>`);
  if (validFrom !== undefined || validUntil !== undefined) {
    parts.push(
      `<indicator:Valid_Time_Position>${validFrom === undefined ? '' : `<indicator:Start_Time>${et(validFrom)}</indicator:Start_Time>`}${
        validUntil === undefined ? '' : `<indicator:End_Time>${et(validUntil)}</indicator:End_Time>`
      }</indicator:Valid_Time_Position>`,
    );
  }
  parts.push(observable);
  for (const target of indicates.get(o.id) ?? []) {
    parts.push(`<indicator:Indicated_TTP><stixCommon:TTP idref="${ea(w.id('ttp', target))}" xsi:type="ttp:TTPType"/></indicator:Indicated_TTP>`);
  }
  const kc = o['kill_chain_phases'];
  if (Array.isArray(kc) && kc.length > 0) {
    const phases = kc.flatMap((k) => {
      if (typeof k !== 'object' || k === null) return [];
      const rec = k as Record<string, unknown>;
      const chain = rec['kill_chain_name'] === 'lockheed-martin-cyber-kill-chain' ? 'LMCO Kill Chain' : String(rec['kill_chain_name'] ?? '');
      return [`<stixCommon:Kill_Chain_Phase name="${ea(String(rec['phase_name'] ?? ''))}" kill_chain_name="${ea(chain)}"/>`];
    });
    parts.push(`<indicator:Kill_Chain_Phases>${phases.join('')}</indicator:Kill_Chain_Phases>`);
  }
  parts.push(mechanism);
  const markingRefs = strings(o, 'object_marking_refs');
  const structures: string[] = [];
  const tlp = strictestTlp(markingRefs);
  if (tlp !== undefined) {
    if (tlp === 'amber+strict') w.issues.push(issue('info', 'STIX1_EXPORT_TLP_NARROWED', '/object_marking_refs', 'TLP:AMBER+STRICT has no TLP 1.0 colour; written as RED (never widened)', o.id));
    structures.push(`<marking:Marking_Structure xsi:type="tlpMarking:TLPMarkingStructureType" color="${TLP_COLOR[tlp]}"/>`);
  }
  for (const ref of markingRefs) {
    const md = byId.get(ref);
    const def = md?.['definition'];
    if (md !== undefined && md['definition_type'] === 'statement' && typeof def === 'object' && def !== null) {
      const statement = (def as Record<string, unknown>)['statement'];
      if (typeof statement === 'string') {
        structures.push(`<marking:Marking_Structure xsi:type="TOUMarking:TermsOfUseMarkingStructureType"><TOUMarking:Terms_Of_Use>${et(statement)}</TOUMarking:Terms_Of_Use></marking:Marking_Structure>`);
      }
    }
  }
  if (structures.length > 0) {
    parts.push(
      `<indicator:Handling><marking:Marking><marking:Controlled_Structure>../../../descendant-or-self::node() | ../../../descendant-or-self::node()/@*</marking:Controlled_Structure>${structures.join('')}</marking:Marking></indicator:Handling>`,
    );
  }
  const confidence = o['confidence'];
  if (typeof confidence === 'number') {
    const level = confidence >= 70 ? 'High' : confidence >= 30 ? 'Medium' : confidence > 0 ? 'Low' : 'None';
    parts.push(`<indicator:Confidence><stixCommon:Value>${level}</stixCommon:Value></indicator:Confidence>`);
  }
  const producer = byId.get(str(o, 'created_by_ref') ?? '');
  const producerName = producer === undefined ? undefined : str(producer, 'name');
  if (producerName !== undefined) {
    parts.push(`<indicator:Producer><stixCommon:Identity><stixCommon:Name>${et(producerName)}</stixCommon:Name></stixCommon:Identity></indicator:Producer>`);
  }
  const timestamp = str(o, 'modified');
  return `<stix:Indicator id="${ea(w.id('indicator', o.id))}"${timestamp === undefined ? '' : ` timestamp="${ea(timestamp)}"`} xsi:type="indicator:IndicatorType" version="2.1.1">${parts.join('')}</stix:Indicator>`;
}
