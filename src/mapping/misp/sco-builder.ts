/**
 * Comparisons → SCOs (observed-data of the MISP importer). One builder per root SCO: plain paths become
 * (nested) properties, `x_ref.<prop>` comparisons are grouped into one referenced SCO per reference, list
 * paths (`[*]`) become lists, and a final repair step moves what STIX would reject (an extension missing its
 * required properties, a vocabulary-bound value outside its enumeration) into an `x_misp_` custom property,
 * so every SCO emitted is valid and no value is lost.
 */
import { canonicalJson } from '../../stix/canonical-json';
import { deterministicScoId, SCO_ID_NAMESPACE, uuidV4From } from '../../stix/identifiers';
import type { StixObject } from '../types';
import { pathText, refTargetType, type Comparison } from './comparisons';
import { customPath } from './object-table';

/** The SCO type a reference property points at, when it does not follow from the value. */
const REF_TYPES: Readonly<Record<string, string>> = {
  parent_directory_ref: 'directory',
  image_ref: 'file',
  parent_ref: 'process',
  child_refs: 'process',
  content_ref: 'artifact',
  body_raw_ref: 'file',
  belongs_to_refs: 'autonomous-system',
  from_ref: 'email-addr',
  sender_ref: 'email-addr',
  to_refs: 'email-addr',
  cc_refs: 'email-addr',
  bcc_refs: 'email-addr',
};

export interface ScoBuild {
  /** The SCOs, root first, then the ones it references. */
  readonly objects: StixObject[];
  /** Paths that could not be placed in an SCO (already rendered in patterns, lost in observed-data). */
  readonly unplaced: string[];
}

type Mutable = Record<string, unknown>;

function isMutable(v: unknown): v is Mutable {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function withId(o: Mutable): StixObject {
  // SCOs without ID-contributing properties need a UUIDv4 (STIX 2.1 §2.9): one whose random bits are a hash of
  // all their properties, so a re-import still yields the same id.
  const id = deterministicScoId(o) ?? `${String(o['type'])}--${uuidV4From(canonicalJson(o), SCO_ID_NAMESPACE)}`;
  const full: Mutable = { type: o['type'], spec_version: '2.1', id, ...o };
  return full as StixObject;
}

/** Sets a nested property; false when something is already there (first value wins). */
function setNested(target: Mutable, path: readonly string[], value: unknown): boolean {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i] ?? '';
    const next = node[seg];
    if (next === undefined) {
      const created: Mutable = {};
      node[seg] = created;
      node = created;
    } else if (isMutable(next)) {
      node = next;
    } else {
      return false;
    }
  }
  const last = path[path.length - 1];
  if (last === undefined || node[last] !== undefined) return false;
  node[last] = value;
  return true;
}

/** Sets a custom property; a second, different value turns it into a list of every value. */
function addCustom(target: Mutable, path: readonly string[], value: unknown): boolean {
  if (setNested(target, path, value)) return true;
  let node: unknown = target;
  for (const seg of path.slice(0, -1)) node = isMutable(node) ? node[seg] : undefined;
  const last = path[path.length - 1] ?? '';
  if (!isMutable(node)) return false;
  const old = node[last];
  if (Array.isArray(old)) {
    if (!old.includes(value)) old.push(value);
    return true;
  }
  if (typeof old === 'object' && old !== null) return false;
  if (old !== value) node[last] = [old, value];
  return true;
}

/** The list at a path (created empty when absent), or undefined when something else is there. */
function listAt(target: Mutable, path: readonly string[]): unknown[] | undefined {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i] ?? '';
    if (node[seg] === undefined) node[seg] = {};
    const next = node[seg];
    if (!isMutable(next)) return undefined;
    node = next;
  }
  const last = path[path.length - 1] ?? '';
  if (node[last] === undefined) node[last] = [];
  const list = node[last];
  return Array.isArray(list) ? list : undefined;
}

const isRefKey = (s: string): boolean => s.endsWith('_ref') || s.endsWith('_refs');

class ScoBuilder {
  private readonly rootObj: Mutable;
  private readonly singleRefs = new Map<string, Mutable>();
  private readonly nestedRefs = new Map<string, Map<string, Mutable>>();
  private readonly indexedRefs = new Map<string, { head: string; props: Mutable; comparisons: Comparison[] }>();
  private readonly elements = new Map<string, Mutable>();
  private readonly refs: StixObject[] = [];
  readonly unplaced: string[] = [];

  constructor(private readonly root: string) {
    this.rootObj = { type: root };
  }

  place(c: Comparison): void {
    const before = this.unplaced.length;
    this.placeOne(c);
    if (this.unplaced.length === before || c.relation === undefined) return;
    const key = customPath(undefined, c.relation);
    if (key !== undefined && addCustom(this.rootObj, [key], c.value)) this.unplaced.pop();
  }

  private placeOne(c: Comparison): void {
    const [head, second, ...rest] = c.path;
    if (head === undefined) return;
    // `x_ref.type` only constrains the pattern; the referenced SCO's type follows from its value.
    if (head.endsWith('_ref') && second === 'type' && rest.length === 0) return;
    if (head.endsWith('_ref') && second !== undefined) return this.refProp(head, c.path.slice(1), c);
    if (head.endsWith('_refs') && second === '*' && rest.length > 0) return this.listRef(this.rootObj, head, rest, c);
    const star = c.path.indexOf('*');
    if (star >= 0) return this.listItem(c, star);
    const last = c.path[c.path.length - 1] ?? '';
    // A relation MISP repeats (`subnet-announced`, `phone`) keeps every value: its custom property becomes a list.
    const placed = last.startsWith('x_misp_') ? addCustom(this.rootObj, c.path, c.value) : setNested(this.rootObj, c.path, c.value);
    if (!placed) this.unplaced.push(pathText(c.path));
  }

  private refProp(head: string, rest: readonly string[], c: Comparison): void {
    const props = this.singleRefs.get(head) ?? {};
    // Reserve the property's place, so the SCO lists its properties in the order MISP gave them.
    if (!this.singleRefs.has(head) && !(head in this.rootObj)) this.rootObj[head] = undefined;
    this.singleRefs.set(head, props);
    const [sub, ...subRest] = rest;
    // One reference further (`parent_ref.image_ref.name`, `src_ref.belongs_to_refs[*].number`): a nested SCO.
    if (sub !== undefined && isRefKey(sub) && subRest.length > 0) {
      const tail = sub.endsWith('_refs') && subRest[0] === '*' ? subRest.slice(1) : subRest;
      const nested = this.nestedProps(head, sub);
      if (tail.length === 0 || tail.some((s) => s === '*' || isRefKey(s)) || !setNested(nested, tail, c.value)) {
        this.unplaced.push(pathText(c.path));
      }
      return;
    }
    if (rest.some((s) => s === '*' || isRefKey(s)) || !setNested(props, rest, c.value)) this.unplaced.push(pathText(c.path));
  }

  /** Referenced SCOs of paired relations, in list order; what cannot form one keeps its custom property. */
  private finishIndexedRefs(): void {
    const entries = [...this.indexedRefs.values()].sort((x, y) => (x.comparisons[0]?.index ?? 0) - (y.comparisons[0]?.index ?? 0));
    for (const { head, props, comparisons } of entries) {
      const ref = this.makeRef(head, props);
      const list = ref === undefined ? undefined : listAt(this.rootObj, [head]);
      if (ref !== undefined && list !== undefined) {
        if (!list.includes(ref.id)) list.push(ref.id);
        continue;
      }
      for (const c of comparisons) {
        const key = c.relation === undefined ? undefined : customPath(undefined, c.relation);
        if (key === undefined || !addCustom(this.rootObj, [key], c.value)) this.unplaced.push(pathText(c.path));
      }
    }
    for (const { head } of this.indexedRefs.values()) if (this.rootObj[head] === undefined) delete this.rootObj[head];
  }

  /** The properties of the SCO a referenced SCO references in turn (one per reference property). */
  private nestedProps(head: string, sub: string): Mutable {
    const byHead = this.nestedRefs.get(head) ?? new Map<string, Mutable>();
    this.nestedRefs.set(head, byHead);
    const props = byHead.get(sub) ?? {};
    byHead.set(sub, props);
    return props;
  }

  private listRef(holder: Mutable, head: string, rest: readonly string[], c: Comparison): void {
    if (c.index !== undefined && !rest.some((s) => s === '*' || isRefKey(s))) {
      // Paired relations (an address and its display name): one referenced SCO per list position, made at the end.
      const key = `${head}#${c.index}`;
      const entry = this.indexedRefs.get(key) ?? { head, props: {}, comparisons: [] };
      this.indexedRefs.set(key, entry);
      if (!(head in this.rootObj)) this.rootObj[head] = undefined;
      if (setNested(entry.props, rest, c.value)) entry.comparisons.push(c);
      else this.unplaced.push(pathText(c.path));
      return;
    }
    const props: Mutable = {};
    const ref = rest.some((s) => s === '*' || isRefKey(s)) || !setNested(props, rest, c.value) ? undefined : this.makeRef(head, props);
    const list = ref === undefined ? undefined : listAt(holder, [head]);
    if (ref === undefined || list === undefined) {
      this.unplaced.push(pathText(c.path));
      return;
    }
    if (!list.includes(ref.id)) list.push(ref.id);
  }

  /** `protocols[*]` (a list of values) or `values[*].data` (one list element per distinct list path). */
  private listItem(c: Comparison, star: number): void {
    const listPath = c.path.slice(0, star);
    const after = c.path.slice(star + 1);
    if (listPath.some(isRefKey) || after.includes('*')) {
      this.unplaced.push(pathText(c.path));
      return;
    }
    if (after.length === 0) {
      const list = listAt(this.rootObj, listPath);
      if (list === undefined) this.unplaced.push(pathText(c.path));
      else if (!list.includes(c.value)) list.push(c.value);
      return;
    }
    const element = this.element(listPath, c.index);
    if (element === undefined) {
      this.unplaced.push(pathText(c.path));
      return;
    }
    const [first, ...tail] = after;
    if (first !== undefined && first.endsWith('_ref') && tail.length > 0) {
      const props: Mutable = {};
      const ref = tail.some(isRefKey) || !setNested(props, tail, c.value) ? undefined : this.makeRef(first, props);
      if (ref === undefined || element[first] !== undefined) this.unplaced.push(pathText(c.path));
      else element[first] = ref.id;
      return;
    }
    if (after.some(isRefKey) || !setNested(element, after, c.value)) this.unplaced.push(pathText(c.path));
  }

  private element(listPath: readonly string[], index: number | undefined): Mutable | undefined {
    const key = index === undefined ? listPath.join('.') : `${listPath.join('.')}#${index}`;
    const known = this.elements.get(key);
    if (known !== undefined) return known;
    const list = listAt(this.rootObj, listPath);
    if (list === undefined) return undefined;
    const element: Mutable = {};
    list.push(element);
    this.elements.set(key, element);
    return element;
  }

  /** A referenced SCO from its properties (type from the reference name, else from the value's shape). */
  private makeRef(head: string, props: Mutable): StixObject | undefined {
    const value = props['value'];
    const fixed = REF_TYPES[head];
    const type = fixed ?? (typeof value === 'string' || typeof value === 'number' ? refTargetType(value) : 'unknown');
    if (type === 'unknown') return undefined;
    const own: Mutable = { ...props };
    if (fixed === undefined && type === 'file' && value !== undefined) {
      delete own['value'];
      own['name'] = value;
    }
    const sco = withId({ type, ...own });
    if (!scoIsComplete(sco)) return undefined;
    this.refs.push(sco);
    return sco;
  }

  finish(): ScoBuild {
    this.finishIndexedRefs();
    for (const [head, props] of this.singleRefs) {
      for (const [sub, subProps] of this.nestedRefs.get(head) ?? []) {
        const nested = this.makeRef(sub, subProps);
        if (nested === undefined) this.unplaced.push(`${head}.${sub} (${Object.keys(subProps).join(', ')})`);
        else props[sub] = sub.endsWith('_refs') ? [nested.id] : nested.id;
      }
      const ref = this.makeRef(head, props);
      if (ref !== undefined) this.rootObj[head] = ref.id;
      else {
        if (this.rootObj[head] === undefined) delete this.rootObj[head];
        this.unplaced.push(`${head} (${Object.keys(props).join(', ')})`);
      }
    }
    completeDefaults(this.root, this.rootObj, this.refs);
    repairVocabularies(this.root, this.rootObj);
    const seen = new Set<string>();
    const refs = this.refs.filter((o) => (seen.has(o.id) ? false : (seen.add(o.id), true)));
    return { objects: [withId(this.rootObj), ...refs], unplaced: this.unplaced };
  }
}

/**
 * Builds the SCOs of one root type from its comparisons (observed-data). Several values for one plain path
 * keep the first (the rest are reported as unplaced).
 */
export function buildScos(root: string, comparisons: readonly Comparison[]): ScoBuild {
  const b = new ScoBuilder(root);
  for (const c of comparisons) b.place(c);
  return b.finish();
}

function completeDefaults(root: string, o: Mutable, refs: readonly StixObject[]): void {
  if (root === 'email-message') o['is_multipart'] = Array.isArray(o['body_multipart']);
  // An attached file (MISP's attachment relation) is a MIME part with an attachment disposition.
  for (const part of root === 'email-message' && Array.isArray(o['body_multipart']) ? o['body_multipart'] : []) {
    if (isMutable(part) && part['body_raw_ref'] !== undefined && part['content_disposition'] === undefined)
      part['content_disposition'] = 'attachment';
  }
  if (root === 'email-message' && o['is_multipart'] === true && o['body'] !== undefined) {
    o['x_misp_body'] = o['body'];
    delete o['body'];
  }
  if (root === 'network-traffic' && o['protocols'] === undefined) {
    // STIX requires protocols; MISP ip|port values name no transport, only the address family is known.
    const family = refs.some((r) => r.type === 'ipv6-addr') ? 'ipv6' : 'ipv4';
    o['protocols'] = [family];
  }
}

const ADDRESS_FAMILIES = ['AF_UNSPEC', 'AF_INET', 'AF_IPX', 'AF_APPLETALK', 'AF_NETBIOS', 'AF_INET6', 'AF_IRDA', 'AF_BTH'];
const SOCKET_TYPES = ['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_RDM', 'SOCK_SEQPACKET'];
const REGISTRY_DATA_TYPES = [
  'REG_NONE',
  'REG_SZ',
  'REG_EXPAND_SZ',
  'REG_BINARY',
  'REG_DWORD',
  'REG_DWORD_BIG_ENDIAN',
  'REG_DWORD_LITTLE_ENDIAN',
  'REG_LINK',
  'REG_MULTI_SZ',
  'REG_RESOURCE_LIST',
  'REG_FULL_RESOURCE_DESCRIPTION',
  'REG_RESOURCE_REQUIREMENTS_LIST',
  'REG_QWORD',
  'REG_INVALID_TYPE',
];

/** Extensions STIX would reject (required property missing, value outside its enumeration) → `x_misp_<ext>`. */
function repairVocabularies(root: string, o: Mutable): void {
  const ext = isMutable(o['extensions']) ? o['extensions'] : undefined;
  const demote = (name: string): void => {
    if (ext === undefined) return;
    o[`x_misp_${name.replace(/-/g, '_')}`] = ext[name];
    delete ext[name];
    if (Object.keys(ext).length === 0) delete o['extensions'];
  };
  const http = ext === undefined ? undefined : ext['http-request-ext'];
  if (isMutable(http) && (typeof http['request_method'] !== 'string' || typeof http['request_value'] !== 'string'))
    demote('http-request-ext');
  const socket = ext === undefined ? undefined : ext['socket-ext'];
  if (isMutable(socket)) {
    const family = socket['address_family'];
    const type = socket['socket_type'];
    if (typeof family !== 'string' || !ADDRESS_FAMILIES.includes(family) || (type !== undefined && !SOCKET_TYPES.includes(String(type))))
      demote('socket-ext');
  }
  // STIX requires pe_type in windows-pebinary-ext; MISP's imphash alone does not say it, so the values ride as a custom property.
  const pe = ext === undefined ? undefined : ext['windows-pebinary-ext'];
  if (isMutable(pe) && typeof pe['pe_type'] !== 'string') demote('windows-pebinary-ext');
  // A traffic seen at one instant (MISP first-seen = last-seen): `start` alone; an equal `end` is an empty window.
  if (root === 'network-traffic' && o['end'] !== undefined && o['end'] === o['start']) delete o['end'];
  if (root === 'windows-registry-key' && Array.isArray(o['values'])) {
    for (const v of o['values']) {
      // A registry value's name is required; MISP's regkey|value names none, and STIX writes the default value as "".
      if (isMutable(v) && typeof v['name'] !== 'string') v['name'] = '';
      if (isMutable(v) && v['data_type'] !== undefined && !REGISTRY_DATA_TYPES.includes(String(v['data_type']))) {
        o['x_misp_data_type'] = v['data_type'];
        delete v['data_type'];
      }
    }
  }
}

const URI = /^[A-Za-z][A-Za-z0-9+.-]{0,31}:[^\s]+$/;

/** Minimal shape rules of SCOs that STIX requires beyond the type (so an invalid SCO is never emitted). */
export function scoIsComplete(sco: StixObject): boolean {
  const has = (k: string): boolean => sco[k] !== undefined;
  switch (sco.type) {
    case 'network-traffic':
      return has('src_ref') || has('dst_ref');
    case 'file':
      return has('name') || has('hashes');
    case 'windows-registry-key':
      return has('key');
    case 'url':
      return typeof sco['value'] === 'string' && URI.test(sco['value']);
    case 'directory':
      return has('path');
    case 'artifact':
      return has('url') || has('payload_bin');
    case 'autonomous-system':
      return has('number');
    case 'mutex':
      return has('name');
    case 'email-addr':
    case 'domain-name':
    case 'ipv4-addr':
    case 'ipv6-addr':
    case 'mac-addr':
      return has('value');
    default:
      return Object.keys(sco).some((k) => k !== 'type' && k !== 'id' && k !== 'spec_version');
  }
}
