/**
 * CybOX object properties → STIX 2.1 object paths. The table says which property element of which object
 * type lands on which SCO path; `extractFacts` walks a `cybox:Properties` element with it. Object types are
 * recognised by the local name of their resolved `xsi:type` inside the CybOX objects namespace family.
 */
import { type XmlElement, attr, textOf, xsiType } from '../common/xml';
import { CYBOX_OBJECTS_NS_PREFIX, NS } from './namespaces';
import { HASH_NAMES, REGISTRY_HIVES } from './vocab';

/** How a value is checked and normalized before it goes into a pattern. */
export type ValueType = 'string' | 'int' | 'hash' | 'ip' | 'domain' | 'url' | 'email' | 'binary' | 'path' | 'timestamp';

/** One property of an observable: where it goes in STIX 2.1 and its (possibly list-valued) condition. */
export interface Fact {
  readonly root: string;
  readonly path: readonly string[];
  readonly values: readonly string[];
  readonly condition: string | undefined;
  readonly applyCondition: 'ANY' | 'ALL';
  readonly valueType: ValueType;
  /** Element path in the input, for issues. */
  readonly at: string;
  /** Set when the mapping had to guess (reported as an issue). */
  readonly guess?: string;
}

interface PropSpec {
  /** Local names from the Properties element down to the value element. */
  readonly element: readonly string[];
  readonly path: readonly string[];
  readonly valueType: ValueType;
  /** Root override (e.g. a process property of a service object). */
  readonly root?: string;
}

interface ObjectSpec {
  readonly root: string;
  readonly props: readonly PropSpec[];
  /** Custom handling beyond the simple table. */
  readonly special?: 'address' | 'file' | 'registry' | 'uri' | 'socket' | 'artifact';
  /** Properties that are understood but have no STIX 2.1 pattern counterpart (listed in one info issue). */
  readonly ignored?: readonly string[];
}

const FILE_IGNORED = ['File_Format', 'Peak_Entropy', 'Sections', 'Headers', 'Resources', 'Entropy', 'Type', 'Digital_Signature', 'Imports', 'Exports'];

/** The mapping table (data). Keys are the local names of the CybOX object types. */
export const OBJECT_TYPES: Readonly<Record<string, ObjectSpec>> = {
  AddressObjectType: { root: 'ipv4-addr', props: [], special: 'address' },
  DomainNameObjectType: { root: 'domain-name', props: [{ element: ['Value'], path: ['value'], valueType: 'domain' }] },
  HostnameObjectType: { root: 'domain-name', props: [{ element: ['Hostname_Value'], path: ['value'], valueType: 'domain' }] },
  URIObjectType: { root: 'url', props: [], special: 'uri' },
  LinkObjectType: { root: 'url', props: [], special: 'uri' },
  FileObjectType: { root: 'file', props: [], special: 'file', ignored: FILE_IGNORED },
  WindowsFileObjectType: { root: 'file', props: [], special: 'file', ignored: FILE_IGNORED },
  WindowsExecutableFileObjectType: { root: 'file', props: [], special: 'file', ignored: FILE_IGNORED },
  ArchiveFileObjectType: { root: 'file', props: [], special: 'file', ignored: FILE_IGNORED },
  ArtifactObjectType: { root: 'artifact', props: [], special: 'artifact', ignored: ['Packaging'] },
  MutexObjectType: { root: 'mutex', props: [{ element: ['Name'], path: ['name'], valueType: 'string' }] },
  WindowsMutexObjectType: { root: 'mutex', props: [{ element: ['Name'], path: ['name'], valueType: 'string' }] },
  WindowsRegistryKeyObjectType: { root: 'windows-registry-key', props: [], special: 'registry' },
  EmailMessageObjectType: {
    root: 'email-message',
    props: [
      { element: ['Header', 'From', 'Address_Value'], path: ['from_ref', 'value'], valueType: 'email' },
      { element: ['Header', 'Sender', 'Address_Value'], path: ['sender_ref', 'value'], valueType: 'email' },
      { element: ['Header', 'To', 'Recipient', 'Address_Value'], path: ['to_refs', '*', 'value'], valueType: 'email' },
      { element: ['Header', 'CC', 'Recipient', 'Address_Value'], path: ['cc_refs', '*', 'value'], valueType: 'email' },
      { element: ['Header', 'Subject'], path: ['subject'], valueType: 'string' },
      { element: ['Header', 'Reply_To', 'Address_Value'], path: ['additional_header_fields', 'Reply-To'], valueType: 'email' },
      { element: ['Header', 'X_Mailer'], path: ['additional_header_fields', 'X-Mailer'], valueType: 'string' },
      { element: ['Header', 'Message_ID'], path: ['message_id'], valueType: 'string' },
      { element: ['Raw_Body'], path: ['body'], valueType: 'string' },
    ],
    ignored: ['Attachments', 'Links', 'Raw_Header'],
  },
  NetworkConnectionObjectType: { root: 'network-traffic', props: [], special: 'socket' },
  SocketAddressObjectType: { root: 'network-traffic', props: [], special: 'socket' },
  PortObjectType: {
    root: 'network-traffic',
    props: [
      { element: ['Port_Value'], path: ['dst_port'], valueType: 'int' },
      { element: ['Layer4_Protocol'], path: ['protocols', '*'], valueType: 'string' },
    ],
  },
  ProcessObjectType: {
    root: 'process',
    props: [
      { element: ['Name'], path: ['image_ref', 'name'], valueType: 'string' },
      { element: ['PID'], path: ['pid'], valueType: 'int' },
      { element: ['Argument_List', 'Argument'], path: ['command_line'], valueType: 'string' },
    ],
  },
  WindowsProcessObjectType: {
    root: 'process',
    props: [
      { element: ['Name'], path: ['image_ref', 'name'], valueType: 'string' },
      { element: ['PID'], path: ['pid'], valueType: 'int' },
    ],
  },
  WindowsServiceObjectType: {
    root: 'process',
    props: [
      { element: ['Service_Name'], path: ['extensions', 'windows-service-ext', 'service_name'], valueType: 'string' },
      { element: ['Display_Name'], path: ['extensions', 'windows-service-ext', 'display_name'], valueType: 'string' },
    ],
  },
  ASObjectType: { root: 'autonomous-system', props: [{ element: ['Number'], path: ['number'], valueType: 'int' }, { element: ['Name'], path: ['name'], valueType: 'string' }] },
  X509CertificateObjectType: {
    root: 'x509-certificate',
    props: [
      { element: ['Certificate', 'Serial_Number'], path: ['serial_number'], valueType: 'string' },
      { element: ['Certificate', 'Subject'], path: ['subject'], valueType: 'string' },
      { element: ['Certificate', 'Issuer'], path: ['issuer'], valueType: 'string' },
    ],
  },
  UserAccountObjectType: { root: 'user-account', props: [{ element: ['Username'], path: ['account_login'], valueType: 'string' }] },
};

export interface ExtractResult {
  readonly facts: Fact[];
  /** Property element names present but not mapped. */
  readonly unmapped: string[];
  /** The object type name, or undefined when unknown. */
  readonly typeName: string | undefined;
}

/** Child elements by local name inside the CybOX object namespaces (inherited properties use the base type's namespace). */
function objChildren(el: XmlElement, local: string): XmlElement[] {
  return el.children.filter((c) => c.local === local && (c.ns.startsWith(CYBOX_OBJECTS_NS_PREFIX) || c.ns === NS.cyboxCommon));
}

function walk(el: XmlElement, path: readonly string[]): XmlElement[] {
  let cur: XmlElement[] = [el];
  for (const p of path) cur = cur.flatMap((c) => objChildren(c, p));
  return cur;
}

/** Splits a CybOX value list (`a##comma##b`). */
export function splitValues(text: string): string[] {
  return text
    .split('##comma##')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function fact(root: string, path: readonly string[], valueEl: XmlElement, valueType: ValueType, valueText?: string): Fact | undefined {
  const text = valueText ?? textOf(valueEl);
  if (text === undefined) return undefined;
  const apply = (attr(valueEl, 'apply_condition') ?? 'ANY').toUpperCase() === 'ALL' ? 'ALL' : 'ANY';
  return {
    root,
    path,
    values: splitValues(text),
    condition: attr(valueEl, 'condition'),
    applyCondition: apply,
    valueType,
    at: valueEl.path,
  };
}

const IPV6_HINT = /:/;

function addressFacts(props: XmlElement, facts: Fact[]): void {
  const category = (attr(props, 'category') ?? '').toLowerCase();
  for (const v of objChildren(props, 'Address_Value')) {
    const text = textOf(v) ?? '';
    let root: string;
    let valueType: ValueType = 'ip';
    switch (category) {
      case 'ipv4-addr':
      case 'ipv4-net':
      case 'cidr':
        root = 'ipv4-addr';
        break;
      case 'ipv6-addr':
      case 'ipv6-net':
        root = 'ipv6-addr';
        break;
      case 'e-mail':
        root = 'email-addr';
        valueType = 'email';
        break;
      case 'mac':
        root = 'mac-addr';
        valueType = 'string';
        break;
      case 'asn':
        root = 'autonomous-system';
        valueType = 'int';
        break;
      default:
        // Category is optional (schema default ipv4-addr); guess from the value instead of dropping it.
        root = text.includes('@') ? 'email-addr' : IPV6_HINT.test(text) ? 'ipv6-addr' : 'ipv4-addr';
        valueType = root === 'email-addr' ? 'email' : 'ip';
    }
    const f = fact(root, [root === 'autonomous-system' ? 'number' : 'value'], v, valueType);
    if (f !== undefined) facts.push(category === '' ? { ...f, guess: `Address category missing; taken as ${root} from the value` } : f);
  }
}

function fileFacts(props: XmlElement, facts: Fact[]): void {
  for (const el of objChildren(props, 'File_Name')) {
    const f = fact('file', ['name'], el, 'string');
    if (f) facts.push(f);
  }
  const hasName = objChildren(props, 'File_Name').length > 0;
  for (const el of objChildren(props, 'File_Path')) {
    const text = textOf(el);
    if (text === undefined) continue;
    const cut = Math.max(text.lastIndexOf('\\'), text.lastIndexOf('/'));
    const condition = attr(el, 'condition');
    const exact = condition === undefined || condition === 'Equals';
    if (exact && cut >= 0 && cut < text.length - 1 && !hasName) {
      // A fully qualified path: directory part and file name part.
      const dir = fact('file', ['parent_directory_ref', 'path'], el, 'path', text.slice(0, cut));
      const name = fact('file', ['name'], el, 'string', text.slice(cut + 1));
      if (name) facts.push(name);
      if (dir) facts.push(dir);
    } else {
      const f = fact('file', ['parent_directory_ref', 'path'], el, 'path');
      if (f) facts.push(f);
    }
  }
  for (const el of objChildren(props, 'File_Extension')) {
    const text = textOf(el);
    if (text === undefined) continue;
    facts.push({ root: 'file', path: ['name'], values: [`.${text.replace(/^\./, '')}`], condition: 'EndsWith', applyCondition: 'ANY', valueType: 'string', at: el.path });
  }
  for (const el of objChildren(props, 'Size_In_Bytes')) {
    const f = fact('file', ['size'], el, 'int');
    if (f) facts.push(f);
  }
  for (const hash of walk(props, ['Hashes', 'Hash'])) {
    const typeEl = hash.children.find((c) => c.local === 'Type' && c.ns === NS.cyboxCommon);
    const valueEl = hash.children.find((c) => (c.local === 'Simple_Hash_Value' || c.local === 'Fuzzy_Hash_Value') && c.ns === NS.cyboxCommon);
    const typeName = (textOf(typeEl) ?? '').toUpperCase();
    if (valueEl === undefined) continue;
    const key = HASH_NAMES[typeName] ?? (typeName === '' ? undefined : typeName);
    if (key === undefined) continue;
    const f = fact('file', ['hashes', key], valueEl, 'hash');
    if (f) facts.push(f);
  }
}

function registryFacts(props: XmlElement, facts: Fact[]): void {
  const keyEl = objChildren(props, 'Key')[0];
  const hiveEl = objChildren(props, 'Hive')[0];
  const keyText = textOf(keyEl);
  const hiveText = textOf(hiveEl);
  if (keyEl !== undefined && keyText !== undefined) {
    const hive = hiveText === undefined ? undefined : (REGISTRY_HIVES[hiveText.toUpperCase()] ?? hiveText);
    const full = hive !== undefined && !keyText.toUpperCase().startsWith(hive.toUpperCase()) ? `${hive}\\${keyText}` : keyText;
    const f = fact('windows-registry-key', ['key'], keyEl, 'path', full);
    if (f) facts.push(f);
  }
  for (const v of walk(props, ['Values', 'Value'])) {
    for (const [local, prop] of [['Name', 'name'], ['Data', 'data']] as const) {
      const el = objChildren(v, local)[0];
      if (el === undefined) continue;
      const f = fact('windows-registry-key', ['values', '*', prop], el, 'string');
      if (f) facts.push(f);
    }
  }
}

function uriFacts(props: XmlElement, facts: Fact[]): void {
  const kind = (attr(props, 'type') ?? 'URL').toLowerCase();
  const isDomain = kind === 'domain name' || kind === 'domain';
  for (const el of objChildren(props, 'Value')) {
    const f = fact(isDomain ? 'domain-name' : 'url', ['value'], el, isDomain ? 'domain' : 'url');
    if (f) facts.push(f);
  }
}

function socketSide(sock: XmlElement, side: 'src' | 'dst', facts: Fact[]): void {
  for (const a of walk(sock, ['IP_Address', 'Address_Value'])) {
    const f = fact('network-traffic', [`${side}_ref`, 'value'], a, 'ip');
    if (f) facts.push(f);
  }
  for (const h of walk(sock, ['Hostname', 'Hostname_Value'])) {
    const f = fact('network-traffic', [`${side}_ref`, 'value'], h, 'domain');
    if (f) facts.push(f);
  }
  for (const p of walk(sock, ['Port', 'Port_Value'])) {
    const f = fact('network-traffic', [`${side}_port`], p, 'int');
    if (f) facts.push(f);
  }
}

function socketFacts(props: XmlElement, typeName: string, facts: Fact[]): void {
  if (typeName === 'SocketAddressObjectType') {
    socketSide(props, 'dst', facts);
    return;
  }
  for (const s of objChildren(props, 'Source_Socket_Address')) socketSide(s, 'src', facts);
  for (const s of objChildren(props, 'Destination_Socket_Address')) socketSide(s, 'dst', facts);
  for (const p of objChildren(props, 'Layer4_Protocol')) {
    const text = textOf(p);
    const f = fact('network-traffic', ['protocols', '*'], p, 'string', text?.toLowerCase());
    if (f) facts.push(f);
  }
}

/** Whole base64: the alphabet, padding only at the end, length a multiple of 4. */
function isBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

function artifactFacts(props: XmlElement, facts: Fact[]): void {
  for (const el of objChildren(props, 'Raw_Artifact')) {
    const text = textOf(el);
    if (text === undefined) continue;
    const payload = text.replace(/\s+/g, '');
    // A payload that is not whole base64 (truncated in the source) would make the pattern invalid.
    if (!isBase64(payload)) continue;
    facts.push({ root: 'artifact', path: ['payload_bin'], values: [payload], condition: attr(el, 'condition'), applyCondition: 'ANY', valueType: 'binary', at: el.path });
  }
  for (const hash of walk(props, ['Hashes', 'Hash'])) {
    const typeEl = hash.children.find((c) => c.local === 'Type');
    const valueEl = hash.children.find((c) => c.local === 'Simple_Hash_Value');
    const key = HASH_NAMES[(textOf(typeEl) ?? '').toUpperCase()];
    if (valueEl === undefined || key === undefined) continue;
    const f = fact('artifact', ['hashes', key], valueEl, 'hash');
    if (f) facts.push(f);
  }
}

const SPECIAL_CONSUMED: Readonly<Record<string, readonly string[]>> = {
  address: ['Address_Value'],
  file: ['File_Name', 'File_Path', 'File_Extension', 'Size_In_Bytes', 'Hashes'],
  registry: ['Key', 'Hive', 'Values'],
  uri: ['Value'],
  socket: ['Source_Socket_Address', 'Destination_Socket_Address', 'Layer4_Protocol', 'IP_Address', 'Hostname', 'Port'],
  artifact: ['Raw_Artifact', 'Hashes'],
};

/** Extracts the facts of one `cybox:Properties` element. */
export function extractFacts(props: XmlElement): ExtractResult {
  const type = xsiType(props);
  const typeName = type !== undefined && type.ns.startsWith(CYBOX_OBJECTS_NS_PREFIX) ? type.local : undefined;
  const spec = typeName === undefined ? undefined : OBJECT_TYPES[typeName];
  if (spec === undefined || typeName === undefined) return { facts: [], unmapped: [], typeName: undefined };
  const facts: Fact[] = [];
  // `ignored` properties are known to have no counterpart; they are still reported as unmapped (never silent).
  const consumed = new Set<string>();
  switch (spec.special) {
    case 'address':
      addressFacts(props, facts);
      break;
    case 'file':
      fileFacts(props, facts);
      break;
    case 'registry':
      registryFacts(props, facts);
      break;
    case 'uri':
      uriFacts(props, facts);
      break;
    case 'socket':
      socketFacts(props, typeName, facts);
      break;
    case 'artifact':
      artifactFacts(props, facts);
      break;
    case undefined:
      break;
  }
  for (const c of SPECIAL_CONSUMED[spec.special ?? ''] ?? []) consumed.add(c);
  for (const p of spec.props) {
    const first = p.element[0];
    if (first !== undefined) consumed.add(first);
    for (const el of walk(props, p.element)) {
      const f = fact(p.root ?? spec.root, p.path, el, p.valueType);
      if (f) facts.push(f);
    }
  }
  const unmapped = props.children.filter((c) => !consumed.has(c.local)).map((c) => c.local);
  return { facts, unmapped, typeName };
}
