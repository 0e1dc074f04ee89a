/**
 * CybOX object properties → STIX 2.1 object paths. The table says which property element of which object
 * type lands on which SCO path; `extractFacts` walks a `cybox:Properties` element with it. Object types are
 * recognised by the local name of their resolved `xsi:type` inside the CybOX objects namespace family.
 */
import { type XmlElement, attr, child, textOf, xsiType } from '../common/xml';
import { CYBOX_OBJECTS_NS_PREFIX, NS } from './namespaces';
import { HASH_NAMES, REGISTRY_HIVES } from './vocab';
import { customProperties, customPropertyName, stixPathOfCustomProperty } from './custom-objects';
import { INTEGER_PROPERTIES } from '../../stix/sco-properties';
import { keptAsCustom } from './kept-properties';

/** How a value is checked and normalized before it goes into a pattern. */
export type ValueType =
  'string' | 'int' | 'hash' | 'ip' | 'domain' | 'url' | 'email' | 'binary' | 'path' | 'timestamp' | 'float' | 'bool' | 'hex' | 'language';

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
  /** Position in a list property (the `*` of the path) when the fact describes one list item of an instance. */
  readonly index?: number;
  /** A value only an observed object needs (a guessed required property): never a pattern term. */
  readonly instanceOnly?: boolean;
}

interface PropSpec {
  /** Local names from the Properties element down to the value element. */
  readonly element: readonly string[];
  readonly path: readonly string[];
  readonly valueType: ValueType;
  /** Root override (e.g. a process property of a service object). */
  readonly root?: string;
  /**
   * The value is one part of the target, not all of it (a process argument is a piece of its command line): an
   * Equals is matched as contained, so it neither contradicts the whole value nor replaces it in an observed object.
   */
  readonly part?: boolean;
}

interface ObjectSpec {
  readonly root: string;
  readonly props: readonly PropSpec[];
  /** Custom handling beyond the simple table. */
  readonly special?: 'address' | 'file' | 'archive' | 'netsocket' | 'registry' | 'uri' | 'socket' | 'artifact' | 'pe' | 'http';
  /** Properties handled elsewhere (email Links and Attachments: their referenced objects are converted too). */
  readonly consumed?: readonly string[];
  /** Properties that are understood but have no STIX 2.1 pattern counterpart (listed in one info issue). */
  readonly ignored?: readonly string[];
  /** A property the object type itself says (a Unix account is `account_type = 'unix'`). */
  readonly fixed?: { readonly path: readonly string[]; readonly value: string };
}

const FILE_IGNORED = ['File_Format', 'Peak_Entropy', 'Resources', 'Entropy', 'Digital_Signature', 'Imports', 'Exports'];

/** The PDF document information dictionary fields CybOX names (the same keys in pdf-ext `document_info_dict`). */
const PDF_INFO_FIELDS = ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer', 'CreationDate', 'ModDate', 'Trapped'];

const ACCOUNT_PROPS: readonly PropSpec[] = [
  { element: ['Username'], path: ['account_login'], valueType: 'string' },
  { element: ['Full_Name'], path: ['display_name'], valueType: 'string' },
  { element: ['User_ID'], path: ['user_id'], valueType: 'string' },
  { element: ['Disabled'], path: ['is_disabled'], valueType: 'bool' },
  { element: ['Locked_Out'], path: ['can_escalate_privs'], valueType: 'bool', root: 'skip' },
  { element: ['Creation_Date'], path: ['account_created'], valueType: 'timestamp' },
  { element: ['Last_Login'], path: ['account_last_login'], valueType: 'timestamp' },
  { element: ['Password_Required'], path: ['credential'], valueType: 'string', root: 'skip' },
  { element: ['Home_Directory'], path: ['extensions', 'unix-account-ext', 'home_dir'], valueType: 'path' },
  { element: ['Login_Shell'], path: ['extensions', 'unix-account-ext', 'shell'], valueType: 'string' },
  { element: ['Group_ID'], path: ['extensions', 'unix-account-ext', 'gid'], valueType: 'int' },
];

const PROCESS_PROPS: readonly PropSpec[] = [
  { element: ['Name'], path: ['image_ref', 'name'], valueType: 'string' },
  { element: ['PID'], path: ['pid'], valueType: 'int' },
  { element: ['Creation_Time'], path: ['created_time'], valueType: 'timestamp' },
  { element: ['Parent_PID'], path: ['parent_ref', 'pid'], valueType: 'int' },
  { element: ['Image_Info', 'File_Name'], path: ['image_ref', 'name'], valueType: 'string' },
  { element: ['Image_Info', 'Command_Line'], path: ['command_line'], valueType: 'string' },
  { element: ['Image_Info', 'Current_Directory'], path: ['cwd'], valueType: 'path' },
  { element: ['Argument_List', 'Argument'], path: ['command_line'], valueType: 'string', part: true },
  { element: ['Child_PID_List', 'Child_PID'], path: ['child_refs', '*', 'pid'], valueType: 'int' },
  { element: ['Window_Title'], path: ['extensions', 'windows-process-ext', 'window_title'], valueType: 'string' },
];

const ICMP_EXT = ['extensions', 'icmp-ext'];
const PACKET_PROPS: readonly PropSpec[] = [
  ...(['ICMPv4', 'ICMPv6'] as const).flatMap((v): PropSpec[] => [
    { element: ['Internet_Layer', v, `${v}_Header`, 'Type'], path: [...ICMP_EXT, 'icmp_type_hex'], valueType: 'hex' },
    { element: ['Internet_Layer', v, `${v}_Header`, 'Code'], path: [...ICMP_EXT, 'icmp_code_hex'], valueType: 'hex' },
  ]),
  { element: ['Internet_Layer', 'IPv4', 'IPv4_Header', 'Src_IPv4_Addr', 'Address_Value'], path: ['src_ref', 'value'], valueType: 'ip' },
  { element: ['Internet_Layer', 'IPv4', 'IPv4_Header', 'Dest_IPv4_Addr', 'Address_Value'], path: ['dst_ref', 'value'], valueType: 'ip' },
  { element: ['Internet_Layer', 'IPv6', 'IPv6_Header', 'Src_IPv6_Addr', 'Address_Value'], path: ['src_ref', 'value'], valueType: 'ip' },
  { element: ['Internet_Layer', 'IPv6', 'IPv6_Header', 'Dest_IPv6_Addr', 'Address_Value'], path: ['dst_ref', 'value'], valueType: 'ip' },
  ...(['TCP', 'UDP'] as const).flatMap((v): PropSpec[] => [
    { element: ['Transport_Layer', v, `${v}_Header`, 'Src_Port', 'Port_Value'], path: ['src_port'], valueType: 'int' },
    { element: ['Transport_Layer', v, `${v}_Header`, 'Dest_Port', 'Port_Value'], path: ['dst_port'], valueType: 'int' },
  ]),
];

const SOCKET_EXT = ['extensions', 'socket-ext'];

/** `Standard_Extensions` children → `x509_v3_extensions` (the names are the same in snake case). */
const X509_V3_PROPS: readonly PropSpec[] = [
  ...[
    'Basic_Constraints',
    'Name_Constraints',
    'Policy_Constraints',
    'Key_Usage',
    'Extended_Key_Usage',
    'Subject_Key_Identifier',
    'Authority_Key_Identifier',
    'Subject_Alternative_Name',
    'Issuer_Alternative_Name',
    'Subject_Directory_Attributes',
    'CRL_Distribution_Points',
    'Inhibit_Any_Policy',
    'Certificate_Policies',
    'Policy_Mappings',
  ].map((e): PropSpec => ({
    element: ['Certificate', 'Standard_Extensions', e],
    path: ['x509_v3_extensions', e.toLowerCase()],
    valueType: 'string',
  })),
  ...(['Not_Before', 'Not_After'] as const).map((e): PropSpec => ({
    element: ['Certificate', 'Standard_Extensions', 'Private_Key_Usage_Period', e],
    path: ['x509_v3_extensions', `private_key_usage_period_${e.toLowerCase()}`],
    valueType: 'timestamp',
  })),
];

const EMAIL_PROPS: readonly PropSpec[] = [
  { element: ['Header', 'From', 'Address_Value'], path: ['from_ref', 'value'], valueType: 'email' },
  { element: ['Header', 'Sender', 'Address_Value'], path: ['sender_ref', 'value'], valueType: 'email' },
  { element: ['Header', 'To', 'Recipient', 'Address_Value'], path: ['to_refs', '*', 'value'], valueType: 'email' },
  { element: ['Header', 'CC', 'Recipient', 'Address_Value'], path: ['cc_refs', '*', 'value'], valueType: 'email' },
  { element: ['Header', 'BCC', 'Recipient', 'Address_Value'], path: ['bcc_refs', '*', 'value'], valueType: 'email' },
  { element: ['Header', 'Subject'], path: ['subject'], valueType: 'string' },
  { element: ['Header', 'Date'], path: ['date'], valueType: 'timestamp' },
  { element: ['Header', 'Content_Type'], path: ['content_type'], valueType: 'string' },
  { element: ['Header', 'Message_ID'], path: ['message_id'], valueType: 'string' },
  { element: ['Header', 'Reply_To', 'Address_Value'], path: ['additional_header_fields', 'Reply-To'], valueType: 'email' },
  { element: ['Header', 'In_Reply_To'], path: ['additional_header_fields', 'In-Reply-To'], valueType: 'string' },
  { element: ['Header', 'Errors_To'], path: ['additional_header_fields', 'Errors-To'], valueType: 'string' },
  { element: ['Header', 'MIME_Version'], path: ['additional_header_fields', 'MIME-Version'], valueType: 'string' },
  { element: ['Header', 'Precedence'], path: ['additional_header_fields', 'Precedence'], valueType: 'string' },
  { element: ['Header', 'Boundary'], path: ['additional_header_fields', 'Boundary'], valueType: 'string' },
  { element: ['Header', 'User_Agent'], path: ['additional_header_fields', 'User-Agent'], valueType: 'string' },
  { element: ['Header', 'X_Mailer'], path: ['additional_header_fields', 'X-Mailer'], valueType: 'string' },
  { element: ['Header', 'X_Originating_IP', 'Address_Value'], path: ['additional_header_fields', 'X-Originating-IP'], valueType: 'ip' },
  { element: ['Header', 'X_Priority'], path: ['additional_header_fields', 'X-Priority'], valueType: 'string' },
  { element: ['Header', 'Received_Lines', 'Received'], path: ['additional_header_fields', 'Received'], valueType: 'string' },
  { element: ['Raw_Body'], path: ['body'], valueType: 'string' },
  { element: ['Raw_Header'], path: ['additional_header_fields', 'X-Raw-Header'], valueType: 'string', root: 'skip' },
];

/** The mapping table (data). Keys are the local names of the CybOX object types. */
export const OBJECT_TYPES: Readonly<Record<string, ObjectSpec>> = {
  AddressObjectType: { root: 'ipv4-addr', props: [], special: 'address' },
  DomainNameObjectType: { root: 'domain-name', props: [{ element: ['Value'], path: ['value'], valueType: 'domain' }] },
  HostnameObjectType: { root: 'domain-name', props: [{ element: ['Hostname_Value'], path: ['value'], valueType: 'domain' }] },
  URIObjectType: { root: 'url', props: [], special: 'uri' },
  LinkObjectType: { root: 'url', props: [], special: 'uri' },
  FileObjectType: { root: 'file', props: [], special: 'file', ignored: FILE_IGNORED },
  WindowsFileObjectType: { root: 'file', props: [], special: 'file', ignored: FILE_IGNORED },
  WindowsExecutableFileObjectType: { root: 'file', props: [], special: 'pe', ignored: FILE_IGNORED },
  ArchiveFileObjectType: {
    root: 'file',
    props: [
      { element: ['Comment'], path: ['extensions', 'archive-ext', 'comment'], valueType: 'string' },
      // STIX 2.1 dropped `version` from archive-ext (§6.7.1): kept as a custom property of the file, never invalid.
      { element: ['Version'], path: ['x_archive_version'], valueType: 'string' },
    ],
    special: 'archive',
    ignored: FILE_IGNORED,
  },
  // CybOX Image_File / PDF_File: file + raster-image-ext / pdf-ext (STIX 2.1 §6.7.4, §6.7.3).
  ImageFileObjectType: {
    root: 'file',
    props: [
      { element: ['Image_Height'], path: ['extensions', 'raster-image-ext', 'image_height'], valueType: 'int' },
      { element: ['Image_Width'], path: ['extensions', 'raster-image-ext', 'image_width'], valueType: 'int' },
      { element: ['Bits_Per_Pixel'], path: ['extensions', 'raster-image-ext', 'bits_per_pixel'], valueType: 'int' },
    ],
    special: 'file',
    ignored: FILE_IGNORED,
  },
  PDFFileObjectType: {
    root: 'file',
    props: [
      { element: ['Version'], path: ['extensions', 'pdf-ext', 'version'], valueType: 'string' },
      ...PDF_INFO_FIELDS.map((f) => ({
        element: ['Metadata', 'Document_Information_Dictionary', f],
        path: ['extensions', 'pdf-ext', 'document_info_dict', f],
        valueType: 'string' as const,
      })),
    ],
    special: 'file',
    consumed: ['Trailers'],
    ignored: FILE_IGNORED,
  },
  ArtifactObjectType: { root: 'artifact', props: [], special: 'artifact', ignored: ['Packaging'] },
  MutexObjectType: { root: 'mutex', props: [{ element: ['Name'], path: ['name'], valueType: 'string' }] },
  WindowsMutexObjectType: { root: 'mutex', props: [{ element: ['Name'], path: ['name'], valueType: 'string' }] },
  WindowsRegistryKeyObjectType: {
    root: 'windows-registry-key',
    props: [{ element: ['Creator_Username'], path: ['creator_user_ref', 'user_id'], valueType: 'string' }],
    special: 'registry',
  },
  EmailMessageObjectType: {
    root: 'email-message',
    props: EMAIL_PROPS.filter((p) => p.root !== 'skip'),
    consumed: ['Attachments', 'Links'],
  },
  NetworkConnectionObjectType: {
    root: 'network-traffic',
    props: [{ element: ['Creation_Time'], path: ['start'], valueType: 'timestamp' }],
    special: 'socket',
  },
  SocketAddressObjectType: { root: 'network-traffic', props: [], special: 'socket' },
  PortObjectType: {
    root: 'network-traffic',
    props: [
      { element: ['Port_Value'], path: ['dst_port'], valueType: 'int' },
      { element: ['Layer4_Protocol'], path: ['protocols', '*'], valueType: 'string' },
    ],
  },
  ProcessObjectType: { root: 'process', props: PROCESS_PROPS },
  UnixProcessObjectType: { root: 'process', props: PROCESS_PROPS },
  WindowsProcessObjectType: { root: 'process', props: PROCESS_PROPS },
  WindowsServiceObjectType: {
    root: 'process',
    props: [
      ...PROCESS_PROPS,
      { element: ['Service_Name'], path: ['extensions', 'windows-service-ext', 'service_name'], valueType: 'string' },
      { element: ['Display_Name'], path: ['extensions', 'windows-service-ext', 'display_name'], valueType: 'string' },
      { element: ['Startup_Command_Line'], path: ['extensions', 'windows-service-ext', 'start_command_line'], valueType: 'string' },
      {
        element: ['Description_List', 'Description'],
        path: ['extensions', 'windows-service-ext', 'descriptions', '*'],
        valueType: 'string',
      },
      { element: ['Group_Name'], path: ['extensions', 'windows-service-ext', 'group_name'], valueType: 'string' },
      { element: ['Startup_Type'], path: ['extensions', 'windows-service-ext', 'start_type'], valueType: 'string' },
      { element: ['Service_Type'], path: ['extensions', 'windows-service-ext', 'service_type'], valueType: 'string' },
      { element: ['Service_Status'], path: ['extensions', 'windows-service-ext', 'service_status'], valueType: 'string' },
    ],
  },
  ASObjectType: {
    root: 'autonomous-system',
    props: [
      { element: ['Number'], path: ['number'], valueType: 'int' },
      { element: ['Name'], path: ['name'], valueType: 'string' },
      { element: ['Regional_Internet_Registry'], path: ['rir'], valueType: 'string' },
    ],
  },
  NetworkPacketObjectType: { root: 'network-traffic', props: PACKET_PROPS },
  X509CertificateObjectType: {
    root: 'x509-certificate',
    props: [
      { element: ['Certificate', 'Version'], path: ['version'], valueType: 'string' },
      { element: ['Certificate', 'Serial_Number'], path: ['serial_number'], valueType: 'string' },
      { element: ['Certificate', 'Signature_Algorithm'], path: ['signature_algorithm'], valueType: 'string' },
      { element: ['Certificate', 'Issuer'], path: ['issuer'], valueType: 'string' },
      { element: ['Certificate', 'Validity', 'Not_Before'], path: ['validity_not_before'], valueType: 'timestamp' },
      { element: ['Certificate', 'Validity', 'Not_After'], path: ['validity_not_after'], valueType: 'timestamp' },
      { element: ['Certificate', 'Subject'], path: ['subject'], valueType: 'string' },
      {
        element: ['Certificate', 'Subject_Public_Key', 'Public_Key_Algorithm'],
        path: ['subject_public_key_algorithm'],
        valueType: 'string',
      },
      {
        element: ['Certificate', 'Subject_Public_Key', 'RSA_Public_Key', 'Modulus'],
        path: ['subject_public_key_modulus'],
        valueType: 'string',
      },
      {
        element: ['Certificate', 'Subject_Public_Key', 'RSA_Public_Key', 'Exponent'],
        path: ['subject_public_key_exponent'],
        valueType: 'int',
      },
      ...X509_V3_PROPS,
    ],
    ignored: ['Raw_Certificate', 'Certificate_Signature'],
  },
  NetworkSocketObjectType: {
    root: 'network-traffic',
    props: [
      { element: ['Address_Family'], path: [...SOCKET_EXT, 'address_family'], valueType: 'string' },
      { element: ['Domain'], path: [...SOCKET_EXT, 'protocol_family'], valueType: 'string' },
      { element: ['Type'], path: [...SOCKET_EXT, 'socket_type'], valueType: 'string' },
      { element: ['Protocol'], path: ['protocols', '*'], valueType: 'string' },
      { element: ['Local_Address', 'IP_Address', 'Address_Value'], path: ['src_ref', 'value'], valueType: 'ip' },
      { element: ['Local_Address', 'Port', 'Port_Value'], path: ['src_port'], valueType: 'int' },
      { element: ['Remote_Address', 'IP_Address', 'Address_Value'], path: ['dst_ref', 'value'], valueType: 'ip' },
      { element: ['Remote_Address', 'Port', 'Port_Value'], path: ['dst_port'], valueType: 'int' },
    ],
    special: 'netsocket',
  },
  UserAccountObjectType: { root: 'user-account', props: ACCOUNT_PROPS.filter((p) => p.root !== 'skip') },
  AccountObjectType: { root: 'user-account', props: ACCOUNT_PROPS.filter((p) => p.root !== 'skip') },
  UnixUserAccountObjectType: {
    root: 'user-account',
    props: ACCOUNT_PROPS.filter((p) => p.root !== 'skip'),
    fixed: { path: ['account_type'], value: 'unix' },
  },
  WindowsUserAccountObjectType: {
    root: 'user-account',
    props: ACCOUNT_PROPS.filter((p) => p.root !== 'skip'),
    fixed: { path: ['account_type'], value: 'windows-local' },
  },
  ProductObjectType: {
    root: 'software',
    props: [
      { element: ['Product'], path: ['name'], valueType: 'string' },
      { element: ['Vendor'], path: ['vendor'], valueType: 'string' },
      { element: ['Version'], path: ['version'], valueType: 'string' },
      { element: ['Language'], path: ['languages', '*'], valueType: 'language' },
    ],
  },
  WhoisObjectType: {
    root: 'domain-name',
    props: [{ element: ['Domain_Name', 'Value'], path: ['value'], valueType: 'domain' }],
    ignored: [
      'Registrar_Info',
      'Registrants',
      'Contact_Info',
      'Creation_Date',
      'Updated_Date',
      'Expiration_Date',
      'Nameservers',
      'Status',
      'IP_Address',
      'Remarks',
      'Sponsoring_Registrar',
      'Regional_Internet_Registry',
      'Server_Name',
      'DNSSEC',
      'Lookup_Date',
    ],
  },
  HTTPSessionObjectType: { root: 'network-traffic', props: [], special: 'http' },
};

export interface ExtractResult {
  readonly facts: Fact[];
  /** Property element names present but not mapped. */
  readonly unmapped: string[];
  /** The object type name, or undefined when unknown. */
  readonly typeName: string | undefined;
  /** Unmapped names kept on observed objects as custom properties (name → property), see kept-properties.ts. */
  readonly kept?: ReadonlyMap<string, string>;
}

/**
 * Child elements by local name inside the CybOX object namespaces (inherited properties use the base type's
 * namespace). Elements in no namespace are read too: producers that forgot the prefix still mean the property.
 */
function objChildren(el: XmlElement, local: string): XmlElement[] {
  return el.children.filter(
    (c) => c.local === local && (c.ns.startsWith(CYBOX_OBJECTS_NS_PREFIX) || c.ns === NS.cyboxCommon || c.ns === ''),
  );
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

/** The CybOX condition names, by lower-case spelling: producers write `equals` as often as `Equals`. */
const CONDITIONS: ReadonlyMap<string, string> = new Map(
  [
    'Equals',
    'DoesNotEqual',
    'Contains',
    'DoesNotContain',
    'StartsWith',
    'EndsWith',
    'FitsPattern',
    'GreaterThan',
    'GreaterThanOrEqual',
    'LessThan',
    'LessThanOrEqual',
    'InclusiveBetween',
    'ExclusiveBetween',
    'BitwiseAnd',
    'BitwiseOr',
  ].map((c) => [c.toLowerCase(), c]),
);

/** The element's `condition`, in its schema spelling (an unknown one is kept as written, to be reported). */
export function conditionOf(el: XmlElement): string | undefined {
  const raw = attr(el, 'condition')?.trim();
  if (raw === undefined) return undefined;
  return CONDITIONS.get(raw.toLowerCase()) ?? raw;
}

function fact(root: string, path: readonly string[], valueEl: XmlElement, valueType: ValueType, valueText?: string): Fact | undefined {
  const text = valueText ?? textOf(valueEl);
  if (text === undefined) return undefined;
  const apply = (attr(valueEl, 'apply_condition') ?? 'ANY').toUpperCase() === 'ALL' ? 'ALL' : 'ANY';
  return {
    root,
    path,
    values: splitValues(text),
    condition: conditionOf(valueEl),
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
  // Full_Path (the device, path and name) reads like a fully qualified File_Path.
  for (const el of [...objChildren(props, 'File_Path'), ...objChildren(props, 'Full_Path')]) {
    const text = undoubledBackslashes(textOf(el), el);
    if (text === undefined) continue;
    const cut = Math.max(text.lastIndexOf('\\'), text.lastIndexOf('/'));
    const condition = conditionOf(el);
    const exact = condition === undefined || condition === 'Equals';
    const nameText = textOf(objChildren(props, 'File_Name')[0]);
    if (exact && hasName && nameText !== undefined && cut >= 0 && text.slice(cut + 1) === nameText) {
      // The path repeats the file name: keep only its directory part.
      const dir = fact('file', ['parent_directory_ref', 'path'], el, 'path', text.slice(0, cut));
      if (dir) facts.push(dir);
    } else if (exact && cut >= 0 && cut < text.length - 1 && !hasName) {
      // A fully qualified path: directory part and file name part.
      const dir = fact('file', ['parent_directory_ref', 'path'], el, 'path', text.slice(0, cut));
      const name = fact('file', ['name'], el, 'string', text.slice(cut + 1));
      if (name) facts.push(name);
      if (dir) facts.push(dir);
    } else {
      const f = fact('file', ['parent_directory_ref', 'path'], el, 'path', text);
      if (f) facts.push(f);
    }
  }
  for (const el of objChildren(props, 'File_Extension')) {
    const text = textOf(el);
    if (text === undefined) continue;
    facts.push({
      root: 'file',
      path: ['name'],
      values: [`.${text.replace(/^\./, '')}`],
      condition: 'EndsWith',
      applyCondition: 'ANY',
      valueType: 'string',
      at: el.path,
    });
  }
  for (const el of objChildren(props, 'Size_In_Bytes')) {
    const f = fact('file', ['size'], el, 'int');
    if (f) facts.push(f);
  }
  for (const hash of walk(props, ['Hashes', 'Hash'])) {
    const typeEl = hash.children.find((c) => c.local === 'Type' && c.ns === NS.cyboxCommon);
    const valueEl = hash.children.find(
      (c) => (c.local === 'Simple_Hash_Value' || c.local === 'Fuzzy_Hash_Value') && c.ns === NS.cyboxCommon,
    );
    const typeName = (textOf(typeEl) ?? '').toUpperCase();
    if (valueEl === undefined) continue;
    const key = HASH_NAMES[typeName] ?? (typeName === '' ? undefined : typeName);
    if (key === undefined) continue;
    const f = fact('file', ['hashes', key], valueEl, 'hash');
    if (f) facts.push(f);
  }
}

/**
 * Windows paths and registry keys written with doubled backslashes (`HKEY_CURRENT_USER\\\\Software`: the STIX 2.1
 * pattern escaping left in the value, as the reference slider writes them) have their separators undoubled: no
 * key or path segment is empty. A UNC path's leading `\\\\` and regular expressions (FitsPattern) are kept.
 */
function undoubledBackslashes(text: string | undefined, el: XmlElement | undefined): string | undefined {
  if (text === undefined || el === undefined || conditionOf(el) === 'FitsPattern') return text;
  const unc = text.startsWith('\\\\') ? '\\\\' : '';
  return unc + text.slice(unc.length).replace(/\\{2,}/g, '\\');
}

function registryFacts(props: XmlElement, facts: Fact[]): void {
  const keyEl = objChildren(props, 'Key')[0];
  const hiveEl = objChildren(props, 'Hive')[0];
  const keyText = undoubledBackslashes(textOf(keyEl), keyEl);
  const hiveText = textOf(hiveEl);
  if (keyEl !== undefined && keyText !== undefined) {
    const hive = hiveText === undefined ? undefined : (REGISTRY_HIVES[hiveText.toUpperCase()] ?? hiveText);
    const full = hive !== undefined && !keyText.toUpperCase().startsWith(hive.toUpperCase()) ? `${hive}\\${keyText}` : keyText;
    const f = fact('windows-registry-key', ['key'], keyEl, 'path', full);
    if (f) facts.push(f);
  }
  for (const v of walk(props, ['Values', 'Value'])) {
    for (const [local, prop] of [
      ['Name', 'name'],
      ['Data', 'data'],
      ['Datatype', 'data_type'],
    ] as const) {
      const el = objChildren(v, local)[0];
      if (el === undefined) continue;
      const f = fact('windows-registry-key', ['values', '*', prop], el, 'string');
      if (f) facts.push(f);
    }
  }
}

function registryModified(props: XmlElement, facts: Fact[]): void {
  for (const el of objChildren(props, 'Modified_Time')) {
    const f = fact('windows-registry-key', ['modified_time'], el, 'timestamp');
    if (f) facts.push(f);
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
  // The port's transport protocol is one of the traffic's protocols (lower case, as STIX 2.1 §6.12 recommends).
  for (const p of walk(sock, ['Port', 'Layer4_Protocol'])) {
    const f = fact('network-traffic', ['protocols', '*'], p, 'string', textOf(p)?.toLowerCase());
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
  for (const session of walk(props, ['Layer7_Connections', 'HTTP_Session'])) httpFacts(session, facts);
  for (const p of [
    ...objChildren(props, 'Layer3_Protocol'),
    ...objChildren(props, 'Layer4_Protocol'),
    ...objChildren(props, 'Layer7_Protocol'),
  ]) {
    const text = textOf(p);
    const f = fact('network-traffic', ['protocols', '*'], p, 'string', text?.toLowerCase());
    if (f) facts.push(f);
  }
}

/**
 * A process's `Network_Connection_List`: each connection's socket addresses as
 * `process:opened_connection_refs[*].…` terms (STIX 2.1 §6.11); an observed process lists them as network-traffic
 * objects (facts.ts).
 */
function processConnectionFacts(props: XmlElement, facts: Fact[]): void {
  walk(props, ['Network_Connection_List', 'Network_Connection']).forEach((conn, index) => {
    const inner: Fact[] = [];
    socketFacts(conn, 'NetworkConnectionObjectType', inner);
    for (const f of inner) facts.push({ ...f, root: 'process', path: ['opened_connection_refs', '*', ...f.path], index });
  });
}

/**
 * A process's `Environment_Variable_List` → `environment_variables` (a dictionary, STIX 2.1 §6.11): each
 * `Environment_Variable` with a Name and a Value is the key and its value. One without both stays unmapped
 * (returned by element name).
 */
function processEnvironmentFacts(props: XmlElement, facts: Fact[]): string[] {
  const unmapped: string[] = [];
  for (const v of walk(props, ['Environment_Variable_List', 'Environment_Variable'])) {
    const name = textOf(child(v, NS.cyboxCommon, 'Name'))?.trim();
    const valueEl = child(v, NS.cyboxCommon, 'Value');
    const f =
      name === undefined || name === '' || valueEl === undefined
        ? undefined
        : fact('process', ['environment_variables', name], valueEl, 'string');
    if (f) facts.push(f);
    else unmapped.push('Environment_Variable_List');
  }
  return unmapped;
}

/**
 * `cyboxCommon:Custom_Properties` of a standard object: each named property → a custom `x_` property of the
 * object (STIX 2.1 §11.1; `ID` → `x_id`), a pattern term and an observed value alike. Returns what has no name
 * or value.
 */
function customPropertyFacts(custom: XmlElement, root: string, facts: Fact[]): string[] {
  const unmapped: string[] = [];
  for (const p of custom.children) {
    const raw = attr(p, 'name');
    const stixPath = raw === undefined ? undefined : stixPathOfCustomProperty(raw.trim(), root);
    if (stixPath !== undefined) {
      const f = fact(root, stixPath, p, customPathValueType(root, stixPath));
      if (f) facts.push(f);
      else unmapped.push(`Custom_Properties/${raw ?? p.local}`);
      continue;
    }
    const name = raw === undefined ? undefined : customPropertyName(raw);
    const f = name === undefined ? undefined : fact(root, [name.startsWith('x_') ? name : `x_${name}`], p, 'string');
    if (f) facts.push(f);
    else unmapped.push(`Custom_Properties/${raw ?? p.local}`);
  }
  return unmapped;
}

/**
 * A PDF trailer's file identifier: its first and second `ID_String` → pdf-ext `pdfid0` / `pdfid1` (by position:
 * the same path twice would ask for one identifier with two values); `Metadata@optimized` → `is_optimized`.
 */
function pdfIdFacts(props: XmlElement, facts: Fact[]): void {
  const trailer = walk(props, ['Trailers', 'Trailer'])[0];
  const ids = trailer === undefined ? [] : walk(trailer, ['ID', 'ID_String']);
  ids.slice(0, 2).forEach((el, i) => {
    const f = fact('file', ['extensions', 'pdf-ext', `pdfid${i}`], el, 'string');
    if (f) facts.push(f);
  });
  const meta = walk(props, ['Metadata'])[0];
  const optimized = meta === undefined ? undefined : attr(meta, 'optimized');
  if (meta !== undefined && optimized !== undefined) {
    const f = fact('file', ['extensions', 'pdf-ext', 'is_optimized'], meta, 'bool', optimized.trim());
    if (f) facts.push(f);
  }
}

/** The trace clauses of a structured CybOX `Received` line, in RFC 5321 order, with the keyword each is written after. */
const RECEIVED_CLAUSES: readonly (readonly [string, string])[] = [
  ['From', 'from'],
  ['By', 'by'],
  ['Via', 'via'],
  ['With', 'with'],
  ['For', 'for'],
  ['ID', 'id'],
];

/**
 * A structured `Header/Received_Lines/Received` (its From, By, Via, With, For, ID and Timestamp children, as the
 * exporter writes a 2.1 `received_lines` entry) → that line again as one `received_lines` item:
 * `from a by b with c id d; <date>`, the date in RFC 5322 form in UTC (the source's offset is not in CybOX). The
 * condition is the clauses' own (the same on each, as written). A Received written as plain text stays the
 * `Received` header field (the table above).
 */
function receivedLineFacts(props: XmlElement, facts: Fact[]): void {
  for (const received of walk(props, ['Header', 'Received_Lines', 'Received'])) {
    const parts: string[] = [];
    let first: XmlElement | undefined;
    for (const [element, keyword] of RECEIVED_CLAUSES) {
      const el = received.children.find((c) => c.local === element);
      const text = textOf(el);
      if (text === undefined) continue;
      first ??= el;
      parts.push(`${keyword} ${text}`);
    }
    const stampEl = received.children.find((c) => c.local === 'Timestamp');
    const stamp = Date.parse(textOf(stampEl) ?? '');
    const date = Number.isNaN(stamp) ? '' : `; ${new Date(stamp).toUTCString().replace(/GMT$/, '+0000')}`;
    const valueEl = first ?? stampEl;
    if (valueEl === undefined || parts.length + date.length === 0) continue;
    const f = fact('email-message', ['received_lines', '*'], valueEl, 'string', `${parts.join(' ')}${date}`);
    if (f) facts.push({ ...f, values: [`${parts.join(' ')}${date}`], at: received.path });
  }
}

/** The value type of a custom property read back at its STIX path: hashes and the integer properties keep theirs. */
function customPathValueType(root: string, path: readonly string[]): ValueType {
  if (path.includes('hashes')) return 'hash';
  return INTEGER_PROPERTIES.has(`${root}:${path[0] ?? ''}`) ? 'int' : 'string';
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
    facts.push({
      root: 'artifact',
      path: ['payload_bin'],
      values: [payload],
      condition: conditionOf(el),
      applyCondition: 'ANY',
      valueType: 'binary',
      at: el.path,
    });
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

const PE_EXT = ['extensions', 'windows-pebinary-ext'] as const;

/** `Type` of a Windows executable (or, failing that, its File_Format) → windows-pebinary-type-ov. */
function peType(props: XmlElement): { value: string; guessed: boolean } {
  const text = `${textOf(objChildren(props, 'Type')[0]) ?? ''} ${textOf(objChildren(props, 'File_Format')[0]) ?? ''}`.toLowerCase();
  if (/\bdll\b/.test(text)) return { value: 'dll', guessed: false };
  if (/\bsys\b|driver/.test(text)) return { value: 'sys', guessed: false };
  if (/\bexe\b|executable/.test(text)) return { value: 'exe', guessed: false };
  return { value: 'exe', guessed: true };
}

/** Hashes under `el/<wrapper>/Hash` as facts on `path + ['hashes' | name, key]`. */
function hashFacts(el: XmlElement, wrapper: string, root: string, path: readonly string[], facts: Fact[], index?: number): void {
  for (const hash of walk(el, [wrapper, 'Hash'])) {
    const typeEl = hash.children.find((c) => c.local === 'Type' && c.ns === NS.cyboxCommon);
    const valueEl = hash.children.find(
      (c) => (c.local === 'Simple_Hash_Value' || c.local === 'Fuzzy_Hash_Value') && c.ns === NS.cyboxCommon,
    );
    const typeName = (textOf(typeEl) ?? '').toUpperCase();
    const key = HASH_NAMES[typeName] ?? (typeName === '' ? undefined : typeName);
    if (valueEl === undefined || key === undefined) continue;
    const f = fact(root, [...path, key], valueEl, 'hash');
    if (f) facts.push(index === undefined ? f : { ...f, index });
  }
}

/** Optional_Header fields whose STIX 2.1 name is not the lower-cased element name (the `_hex` ones). */
const OPTIONAL_HEADER_HEX: Readonly<Record<string, string>> = {
  Magic: 'magic_hex',
  Win32_Version_Value: 'win32_version_value_hex',
  Checksum: 'checksum_hex',
  Subsystem: 'subsystem_hex',
  DLL_Characteristics: 'dll_characteristics_hex',
  Loader_Flags: 'loader_flags_hex',
};

/** The integer fields of the PE optional header (STIX 2.1 §6.7.7 windows-pe-optional-header-type). */
const OPTIONAL_HEADER_INT = new Set([
  'Major_Linker_Version',
  'Minor_Linker_Version',
  'Size_Of_Code',
  'Size_Of_Initialized_Data',
  'Size_Of_Uninitialized_Data',
  'Address_Of_Entry_Point',
  'Base_Of_Code',
  'Base_Of_Data',
  'Image_Base',
  'Section_Alignment',
  'File_Alignment',
  'Major_OS_Version',
  'Minor_OS_Version',
  'Major_Image_Version',
  'Minor_Image_Version',
  'Major_Subsystem_Version',
  'Minor_Subsystem_Version',
  'Size_Of_Image',
  'Size_Of_Headers',
  'Size_Of_Stack_Reserve',
  'Size_Of_Stack_Commit',
  'Size_Of_Heap_Reserve',
  'Size_Of_Heap_Commit',
  'Number_Of_Rva_And_Sizes',
]);

/** The PE optional header → `optional_header`; returns the element names it has no place for. */
function optionalHeaderFacts(oh: XmlElement, facts: Fact[]): string[] {
  const path = [...PE_EXT, 'optional_header'];
  const unmapped: string[] = [];
  for (const c of oh.children) {
    if (c.local === 'Hashes') {
      hashFacts(oh, 'Hashes', 'file', [...path, 'hashes'], facts);
      continue;
    }
    const hex = OPTIONAL_HEADER_HEX[c.local];
    const prop = hex ?? (OPTIONAL_HEADER_INT.has(c.local) ? c.local.toLowerCase() : undefined);
    if (prop === undefined) {
      unmapped.push(`Optional_Header/${c.local}`);
      continue;
    }
    const f = fact('file', [...path, prop], c, hex === undefined ? 'int' : 'hex');
    if (f) facts.push(f);
  }
  return unmapped;
}

/** Header parts other than the file and optional headers (DOS header, signature, entropy): no STIX 2.1 place. */
function otherHeaderParts(headers: XmlElement | undefined): string[] {
  if (headers === undefined) return [];
  return headers.children.filter((c) => c.local !== 'File_Header' && c.local !== 'Optional_Header').map((c) => `Headers/${c.local}`);
}

/**
 * Windows executables: the file facts plus the PE header and sections (windows-pebinary-ext). Returns the header
 * parts it has no STIX 2.1 place for (reported with the object's other unmapped properties).
 */
function peFacts(props: XmlElement, facts: Fact[]): string[] {
  fileFacts(props, facts);
  const headers = objChildren(props, 'Headers')[0];
  const sections = walk(props, ['Sections', 'Section']);
  if (headers === undefined && sections.length === 0) return [];
  const type = peType(props);
  facts.push({
    root: 'file',
    path: [...PE_EXT, 'pe_type'],
    values: [type.value],
    condition: undefined,
    applyCondition: 'ANY',
    valueType: 'string',
    at: props.path,
    ...(type.guessed ? { guess: 'PE type not stated; taken as exe', instanceOnly: true } : {}),
  });
  const fh = headers === undefined ? undefined : objChildren(headers, 'File_Header')[0];
  const header: readonly [string, string, ValueType][] = [
    ['Number_Of_Sections', 'number_of_sections', 'int'],
    ['Time_Date_Stamp', 'time_date_stamp', 'timestamp'],
    ['Size_Of_Optional_Header', 'size_of_optional_header', 'int'],
    ['Number_Of_Symbols', 'number_of_symbols', 'int'],
    ['Machine', 'machine_hex', 'hex'],
    ['Characteristics', 'characteristics_hex', 'hex'],
    ['Pointer_To_Symbol_Table', 'pointer_to_symbol_table_hex', 'hex'],
  ];
  for (const [el, prop, vt] of header) {
    for (const v of fh === undefined ? [] : objChildren(fh, el)) {
      const f = fact('file', [...PE_EXT, prop], v, vt);
      if (f) facts.push(f);
    }
  }
  if (fh !== undefined) hashFacts(fh, 'Hashes', 'file', [...PE_EXT, 'file_header_hashes'], facts);
  sections.forEach((sec, index) => {
    const path = [...PE_EXT, 'sections', '*'];
    for (const [els, prop, vt] of [
      [['Section_Header', 'Name'], 'name', 'string'],
      [['Section_Header', 'Size_Of_Raw_Data'], 'size', 'int'],
      [['Entropy', 'Value'], 'entropy', 'float'],
    ] as const) {
      for (const v of walk(sec, els)) {
        const f = fact('file', [...path, prop], v, vt);
        if (f) facts.push({ ...f, index });
      }
    }
    hashFacts(sec, 'Header_Hashes', 'file', [...path, 'hashes'], facts, index);
  });
  const oh = headers === undefined ? undefined : objChildren(headers, 'Optional_Header')[0];
  return [...(oh === undefined ? [] : optionalHeaderFacts(oh, facts)), ...otherHeaderParts(headers)];
}

/** Parsed_Header children whose HTTP header name is not the element name with `_` → `-`. */
const HTTP_HEADER_NAMES: Readonly<Record<string, string>> = {
  Content_MD5: 'Content-MD5',
  TE: 'TE',
  DNT: 'DNT',
  X_ATT_DeviceId: 'X-ATT-DeviceId',
  X_Wap_Profile: 'X-Wap-Profile',
};

/** The value element of a parsed header: its text, else the `Value` (URI, address) or `Domain_Name/Value` inside it. */
function headerValue(el: XmlElement): XmlElement | undefined {
  if (textOf(el) !== undefined) return el;
  return [...walk(el, ['Value']), ...walk(el, ['Address_Value']), ...walk(el, ['Domain_Name', 'Value'])].find(
    (c) => textOf(c) !== undefined,
  );
}

/** Every parsed request header → `request_header` (Host also → `dst_ref`, its port → `dst_port`). */
function httpHeaderFacts(parsed: XmlElement, ext: readonly string[], facts: Fact[]): void {
  for (const h of parsed.children) {
    if (h.local === 'Host') {
      for (const [els, path, vt] of [
        [['Domain_Name', 'Value'], [...ext, 'request_header', 'Host'], 'string'],
        [['Domain_Name', 'Value'], ['dst_ref', 'value'], 'domain'],
        [['Port', 'Port_Value'], ['dst_port'], 'int'],
      ] as const) {
        for (const v of walk(h, els)) {
          const f = fact('network-traffic', path, v, vt);
          if (f) facts.push(f);
        }
      }
      continue;
    }
    const valueEl = headerValue(h);
    if (valueEl === undefined) continue;
    const name = HTTP_HEADER_NAMES[h.local] ?? h.local.replace(/_/g, '-');
    const f = fact('network-traffic', [...ext, 'request_header', name], valueEl, name === 'Date' ? 'timestamp' : 'string');
    if (f) facts.push(f);
  }
}

/** HTTP sessions: each client request → network-traffic with the http-request-ext. */
function httpFacts(props: XmlElement, facts: Fact[]): void {
  const ext = ['extensions', 'http-request-ext'];
  for (const req of walk(props, ['HTTP_Request_Response', 'HTTP_Client_Request'])) {
    facts.push({
      root: 'network-traffic',
      path: ['protocols', '*'],
      values: ['http'],
      condition: undefined,
      applyCondition: 'ANY',
      valueType: 'string',
      at: req.path,
    });
    const line = objChildren(req, 'HTTP_Request_Line')[0];
    if (line !== undefined) {
      for (const [els, prop] of [
        [['HTTP_Method'], 'request_method'],
        [['Value'], 'request_value'],
        [['Version'], 'request_version'],
      ] as const) {
        for (const v of walk(line, els)) {
          const f = fact('network-traffic', [...ext, prop], v, 'string');
          if (f) facts.push(f);
        }
      }
    }
    for (const parsed of walk(req, ['HTTP_Request_Header', 'Parsed_Header'])) httpHeaderFacts(parsed, ext, facts);
    httpBodyFacts(req, ext, facts);
  }
}

/**
 * The request's message body: its length → `message_body_length`; an exact body → an artifact (the text's
 * UTF-8 bytes, base64) as `message_body_data_ref`. A body given with another condition stays a value of no
 * artifact (the bytes of a part are not the body): it is not made into one.
 */
function httpBodyFacts(req: XmlElement, ext: readonly string[], facts: Fact[]): void {
  for (const body of objChildren(req, 'HTTP_Message_Body')) {
    for (const len of objChildren(body, 'Length')) {
      const f = fact('network-traffic', [...ext, 'message_body_length'], len, 'int');
      if (f) facts.push(f);
    }
    for (const el of objChildren(body, 'Message_Body')) {
      const text = textOf(el);
      const condition = conditionOf(el) ?? 'Equals';
      if (text === undefined || text === '' || condition !== 'Equals') continue;
      const payload = Buffer.from(text, 'utf8').toString('base64');
      facts.push({
        root: 'network-traffic',
        path: [...ext, 'message_body_data_ref', 'payload_bin'],
        values: [payload],
        condition: undefined,
        applyCondition: 'ANY',
        valueType: 'binary',
        at: el.path,
      });
    }
  }
}

/** The path of the archive extension's contained files; facts under it describe one contained file (`index`). */
export const ARCHIVE_CONTAINS = ['extensions', 'archive-ext', 'contains_refs', '*'] as const;

/** Each `Archived_File` of an archive: its file facts under `contains_refs[*]`, one index per archived file. */
function archiveFacts(props: XmlElement, facts: Fact[]): void {
  objChildren(props, 'Archived_File').forEach((archived, index) => {
    const inner: Fact[] = [];
    fileFacts(archived, inner);
    for (const f of inner) facts.push({ ...f, path: [...ARCHIVE_CONTAINS, ...f.path], index });
  });
}

/**
 * Socket flags (attributes) and options of a NetworkSocket. STIX 2.1 option values are integers: a boolean
 * option becomes 1 or 0.
 */
function socketOptionFacts(props: XmlElement, facts: Fact[]): void {
  const one = (path: readonly string[], value: string, valueType: ValueType, at: string): void => {
    facts.push({ root: 'network-traffic', path, values: [value], condition: undefined, applyCondition: 'ANY', valueType, at });
  };
  for (const [name, prop] of [
    ['is_listening', 'is_listening'],
    ['is_blocking', 'is_blocking'],
  ] as const) {
    const v = attr(props, name);
    if (v !== undefined) one([...SOCKET_EXT, prop], v.trim(), 'bool', props.path);
  }
  for (const opt of walk(props, ['Options']).flatMap((o) => o.children)) {
    const text = textOf(opt);
    if (text === undefined) continue;
    const lower = text.toLowerCase();
    const value = lower === 'true' ? '1' : lower === 'false' ? '0' : text;
    const f = fact('network-traffic', [...SOCKET_EXT, 'options', opt.local], opt, 'int', value);
    if (f) facts.push(f);
  }
}

const SPECIAL_CONSUMED: Readonly<Record<string, readonly string[]>> = {
  netsocket: ['Options'],
  archive: ['File_Name', 'File_Path', 'Full_Path', 'File_Extension', 'Size_In_Bytes', 'Hashes', 'Archived_File'],
  pe: ['File_Name', 'File_Path', 'Full_Path', 'File_Extension', 'Size_In_Bytes', 'Hashes', 'Headers', 'Sections', 'Type'],
  http: ['HTTP_Request_Response'],
  address: ['Address_Value'],
  file: ['File_Name', 'File_Path', 'Full_Path', 'File_Extension', 'Size_In_Bytes', 'Hashes'],
  registry: ['Key', 'Hive', 'Values', 'Modified_Time'],
  uri: ['Value'],
  socket: [
    'Source_Socket_Address',
    'Destination_Socket_Address',
    'Layer3_Protocol',
    'Layer4_Protocol',
    'Layer7_Protocol',
    'IP_Address',
    'Hostname',
    'Port',
    'Layer7_Connections',
  ],
  artifact: ['Raw_Artifact', 'Hashes'],
};

/** Extracts the facts of one `cybox:Properties` element. */
export function extractFacts(props: XmlElement): ExtractResult {
  const type = xsiType(props);
  const typeName = type !== undefined && type.ns.startsWith(CYBOX_OBJECTS_NS_PREFIX) ? type.local : undefined;
  if (typeName === 'CustomObjectType') {
    const custom = customProperties(props);
    const facts = custom.properties.flatMap(({ name, el }) => fact(custom.root, [name], el, 'string') ?? []);
    return { facts, unmapped: custom.unmapped, typeName };
  }
  const spec = typeName === undefined ? undefined : OBJECT_TYPES[typeName];
  if (spec === undefined || typeName === undefined) return { facts: [], unmapped: [], typeName: undefined };
  const facts: Fact[] = [];
  const partsUnmapped: string[] = [];
  // `ignored` properties are known to have no counterpart; they are still reported as unmapped (never silent).
  const consumed = new Set<string>();
  switch (spec.special) {
    case 'address':
      addressFacts(props, facts);
      break;
    case 'file':
      fileFacts(props, facts);
      break;
    case 'archive':
      fileFacts(props, facts);
      archiveFacts(props, facts);
      break;
    case 'netsocket':
      socketOptionFacts(props, facts);
      break;
    case 'registry':
      registryFacts(props, facts);
      registryModified(props, facts);
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
    case 'pe':
      partsUnmapped.push(...peFacts(props, facts));
      break;
    case 'http':
      httpFacts(props, facts);
      break;
    case undefined:
      break;
  }
  for (const c of [...(SPECIAL_CONSUMED[spec.special ?? ''] ?? []), ...(spec.consumed ?? [])]) consumed.add(c);
  // A raw artifact that is not whole base64 is left out of patterns and instances: reported, not silent.
  if (spec.special === 'artifact' && !facts.some((f) => f.path[0] === 'payload_bin')) consumed.delete('Raw_Artifact');
  for (const p of spec.props) {
    const first = p.element[0];
    if (first !== undefined) consumed.add(first);
    for (const el of walk(props, p.element)) {
      const f = fact(p.root ?? spec.root, p.path, el, p.valueType);
      if (f) facts.push(p.part === true && (f.condition ?? 'Equals') === 'Equals' ? { ...f, condition: 'Contains' } : f);
    }
  }
  const custom = child(props, NS.cyboxCommon, 'Custom_Properties');
  if (custom !== undefined) {
    consumed.add('Custom_Properties');
    partsUnmapped.push(...customPropertyFacts(custom, spec.root, facts));
  }
  if (spec.root === 'email-message') receivedLineFacts(props, facts);
  if (typeName === 'PDFFileObjectType') pdfIdFacts(props, facts);
  if (spec.root === 'process') {
    consumed.add('Network_Connection_List');
    processConnectionFacts(props, facts);
    consumed.add('Environment_Variable_List');
    partsUnmapped.push(...processEnvironmentFacts(props, facts));
  }
  if (spec.fixed !== undefined && facts.length > 0) {
    facts.push({
      root: spec.root,
      path: spec.fixed.path,
      values: [spec.fixed.value],
      condition: undefined,
      applyCondition: 'ANY',
      valueType: 'string',
      at: props.path,
    });
  }
  const disabled = attr(props, 'disabled');
  if (disabled !== undefined && spec.root === 'user-account') {
    facts.push({
      root: 'user-account',
      path: ['is_disabled'],
      values: [disabled],
      condition: undefined,
      applyCondition: 'ANY',
      valueType: 'bool',
      at: props.path,
    });
  }
  const loose = props.children.filter((c) => !consumed.has(c.local));
  const unmapped = [...loose.map((c) => c.local), ...partsUnmapped];
  const headerParts = partsUnmapped.flatMap((p) => {
    const m = /^Headers\/(\w+)$/.exec(p);
    return m === null ? [] : walk(props, ['Headers', m[1] ?? '']).map((el) => ({ name: p, el }));
  });
  const extra = keptAsCustom(spec.root, [...loose.map((el) => ({ name: el.local, el })), ...headerParts]);
  facts.push(...extra.facts);
  return { facts, unmapped, typeName, kept: extra.kept };
}
