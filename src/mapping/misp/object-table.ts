/**
 * MISP object templates → STIX 2.1 SCO properties, as data (facts after misp-stix's documented mapping of
 * MISP objects to STIX 2.1). Each relation names a path on the object's root SCO type and the MISP attribute
 * type written back on export. A relation absent from its template's table becomes the custom property
 * `x_misp_<relation>` (see `customPath`), so no value of a mapped object is lost.
 */
import { HASH_TYPES, type FieldSpec, type ValueKind } from './misp-tables';

/** One relation: STIX path on the root SCO, value kind, and the MISP attribute type (export). */
export interface RelationSpec extends FieldSpec {
  readonly type: string;
  /** Export: the MISP value written for a STIX value (`is_listening` true → state `listening`). */
  readonly valueText?: Readonly<Record<string, string>>;
}

export interface ObjectMapping {
  readonly root: string;
  readonly relations: Readonly<Record<string, RelationSpec>>;
  /** Comparisons every object of this template carries (`account_type` of social-network accounts). */
  readonly fixed?: Readonly<Record<string, string>>;
  /** Where relations without a STIX property go (default: the root, `x_misp_<relation>`). */
  readonly customPrefix?: string;
  /**
   * Export only: further STIX paths other producers write that a relation of this template holds (misp-stix's
   * mapping of STIX 2.1 from other producers), e.g. `body_multipart[*].body` → `email-body`. The import keeps
   * writing `relations`, so these never change what the gateway emits.
   */
  readonly exportOnly?: Readonly<Record<string, RelationSpec>>;
  /**
   * Relations whose n-th values describe the same list element (the n-th `to` and the n-th `to-display-name`
   * are one e-mail address): the import gives them the list position n.
   */
  readonly paired?: readonly string[];
  /**
   * Comparisons a relation implies (an e-mail attachment's part is `content_disposition: attachment`): the import
   * writes each with the relation's list position, the export reads them as said by that relation.
   */
  readonly implied?: Readonly<Record<string, { readonly path: string; readonly value: string }>>;
}

const rel = (path: string, kind: ValueKind, type: string): RelationSpec => ({ path, kind, type });

const hashEntries = Object.entries(HASH_TYPES);
const FILE_HASH_RELATIONS = Object.fromEntries(hashEntries.map(([t, h]) => [t, rel(`hashes.${h}`, 'hash', t)]));
const SECTION_HASH_RELATIONS = Object.fromEntries(
  hashEntries.map(([t, h]) => [t, rel(`extensions.windows-pebinary-ext.sections[*].hashes.${h}`, 'hash', t)]),
);

const EMAIL_RELATIONS: Record<string, RelationSpec> = {
  from: rel('from_ref.value', 'email', 'email-src'),
  'from-display-name': rel('from_ref.display_name', 'string', 'email-src-display-name'),
  to: rel('to_refs[*].value', 'email', 'email-dst'),
  'to-display-name': rel('to_refs[*].display_name', 'string', 'email-dst-display-name'),
  cc: rel('cc_refs[*].value', 'email', 'email-dst'),
  'cc-display-name': rel('cc_refs[*].display_name', 'string', 'email-dst-display-name'),
  bcc: rel('bcc_refs[*].value', 'email', 'email-dst'),
  'bcc-display-name': rel('bcc_refs[*].display_name', 'string', 'email-dst-display-name'),
  subject: rel('subject', 'string', 'email-subject'),
  'message-id': rel('message_id', 'string', 'email-message-id'),
  'reply-to': rel('additional_header_fields.Reply-To', 'email', 'email-reply-to'),
  'return-path': rel('additional_header_fields.Return-Path', 'string', 'email-src'),
  'x-mailer': rel('additional_header_fields.X-Mailer', 'string', 'email-x-mailer'),
  'send-date': rel('date', 'timestamp', 'datetime'),
  attachment: rel('body_multipart[*].body_raw_ref.name', 'string', 'email-attachment'),
  'email-body': rel('body', 'string', 'email-body'),
  header: rel('received_lines[*]', 'string', 'email-header'),
};

const EMAIL_EXPORT_ONLY: Record<string, RelationSpec> = {
  'email-body': rel('body_multipart[*].body', 'string', 'email-body'),
  'received-header-ip': rel('additional_header_fields.X-Originating-IP', 'ip', 'ip-src'),
};

/** misp-stix's `network-traffic` template (generic traffic: addresses, ports, protocols, byte and packet counts). */
const TRAFFIC_RELATIONS: Record<string, RelationSpec> = {
  src_ip: rel('src_ref.value', 'ip', 'ip-src'),
  dst_ip: rel('dst_ref.value', 'ip', 'ip-dst'),
  src_hostname: rel('src_ref.value', 'domain', 'hostname'),
  dst_hostname: rel('dst_ref.value', 'domain', 'hostname'),
  src_mac: rel('src_ref.value', 'mac', 'mac-address'),
  dst_mac: rel('dst_ref.value', 'mac', 'mac-address'),
  src_port: rel('src_port', 'int', 'port'),
  dst_port: rel('dst_port', 'int', 'port'),
  protocol: rel('protocols[*]', 'protocol', 'text'),
  src_byte_count: rel('src_byte_count', 'int', 'size-in-bytes'),
  dst_byte_count: rel('dst_byte_count', 'int', 'size-in-bytes'),
  src_packets: rel('src_packets', 'int', 'counter'),
  dst_packets: rel('dst_packets', 'int', 'counter'),
  'first-seen': rel('start', 'timestamp', 'datetime'),
  'last-seen': rel('end', 'timestamp', 'datetime'),
  is_active: rel('is_active', 'bool', 'boolean'),
};

/** ip-port: the order decides which synonym the exporter writes (the template's own names first). */
const IP_PORT_RELATIONS: Record<string, RelationSpec> = {
  ip: rel('dst_ref.value', 'ip', 'ip-dst'),
  'ip-dst': rel('dst_ref.value', 'ip', 'ip-dst'),
  'ip-src': rel('src_ref.value', 'ip', 'ip-src'),
  'dst-port': rel('dst_port', 'int', 'port'),
  'src-port': rel('src_port', 'int', 'port'),
  domain: rel('dst_ref.value', 'domain', 'domain'),
  hostname: rel('dst_ref.value', 'domain', 'hostname'),
  protocol: rel('protocols[*]', 'protocol', 'text'),
  'first-seen': rel('start', 'timestamp', 'datetime'),
  'last-seen': rel('end', 'timestamp', 'datetime'),
};

/** Both ends of a connection or socket: addresses, host names and ports. */
const ENDPOINT_RELATIONS: Record<string, RelationSpec> = {
  'ip-src': rel('src_ref.value', 'ip', 'ip-src'),
  'ip-dst': rel('dst_ref.value', 'ip', 'ip-dst'),
  'src-port': rel('src_port', 'int', 'port'),
  'dst-port': rel('dst_port', 'int', 'port'),
  'hostname-src': rel('src_ref.value', 'domain', 'hostname'),
  'hostname-dst': rel('dst_ref.value', 'domain', 'hostname'),
};

const CONNECTION_RELATIONS: Record<string, RelationSpec> = {
  ...ENDPOINT_RELATIONS,
  'layer3-protocol': rel('protocols[*]', 'protocol', 'text'),
  'layer4-protocol': rel('protocols[*]', 'protocol', 'text'),
  'layer7-protocol': rel('protocols[*]', 'protocol', 'text'),
  'first-packet-seen': rel('start', 'timestamp', 'datetime'),
  ip: rel('dst_ref.value', 'ip', 'ip-dst'),
  'dst-ip': rel('dst_ref.value', 'ip', 'ip-dst'),
  'src-ip': rel('src_ref.value', 'ip', 'ip-src'),
  hostname: rel('dst_ref.value', 'domain', 'hostname'),
  domain: rel('dst_ref.value', 'domain', 'domain'),
  protocol: rel('protocols[*]', 'protocol', 'text'),
  'first-seen': rel('start', 'timestamp', 'datetime'),
  'last-seen': rel('end', 'timestamp', 'datetime'),
};

/** The network-connection relation of a protocol name (its OSI layer; application protocols otherwise). */
export function protocolLayerRelation(protocol: string): string {
  const p = protocol.toLowerCase();
  if (['ip', 'ipv4', 'ipv6', 'icmp', 'icmpv6', 'igmp', 'ipsec', 'arp'].includes(p)) return 'layer3-protocol';
  if (['tcp', 'udp', 'sctp', 'dccp', 'quic'].includes(p)) return 'layer4-protocol';
  return 'layer7-protocol';
}

const HTTP = 'extensions.http-request-ext';
const HTTP_RELATIONS: Record<string, RelationSpec> = {
  'ip-src': rel('src_ref.value', 'ip', 'ip-src'),
  'ip-dst': rel('dst_ref.value', 'ip', 'ip-dst'),
  method: rel(`${HTTP}.request_method`, 'string', 'http-method'),
  uri: rel(`${HTTP}.request_value`, 'string', 'uri'),
  host: rel(`${HTTP}.request_header.Host`, 'string', 'hostname'),
  'user-agent': rel(`${HTTP}.request_header.User-Agent`, 'string', 'user-agent'),
  referer: rel(`${HTTP}.request_header.Referer`, 'string', 'other'),
  'content-type': rel(`${HTTP}.request_header.Content-Type`, 'string', 'other'),
  cookie: rel(`${HTTP}.request_header.Cookie`, 'string', 'text'),
};

const SOCKET = 'extensions.socket-ext';
const SOCKET_RELATIONS: Record<string, RelationSpec> = {
  ...ENDPOINT_RELATIONS,
  protocol: rel('protocols[*]', 'protocol', 'text'),
  'address-family': rel(`${SOCKET}.address_family`, 'string', 'text'),
  'socket-type': rel(`${SOCKET}.socket_type`, 'string', 'text'),
  // misp-stix: a listening socket's state is `is_listening`; any other state stays `x_misp_state`.
  state: { ...rel(`${SOCKET}.is_listening`, 'bool', 'text'), valueText: { True: 'listening' } },
};

const SOCKET_EXPORT_ONLY: Record<string, RelationSpec> = {
  'socket-state': { ...rel(`${SOCKET}.is_blocking`, 'bool', 'text'), valueText: { True: 'blocking' } },
};

const UNIX = 'extensions.unix-account-ext';
const ACCOUNT_RELATIONS: Record<string, RelationSpec> = {
  username: rel('account_login', 'string', 'text'),
  'user-id': rel('user_id', 'string', 'text'),
  'display-name': rel('display_name', 'string', 'text'),
  password: rel('credential', 'string', 'text'),
  'account-type': rel('account_type', 'string', 'text'),
  created: rel('account_created', 'timestamp', 'datetime'),
  expires: rel('account_expires', 'timestamp', 'datetime'),
  first_login: rel('account_first_login', 'timestamp', 'datetime'),
  last_login: rel('account_last_login', 'timestamp', 'datetime'),
  password_last_changed: rel('credential_last_changed', 'timestamp', 'datetime'),
  disabled: rel('is_disabled', 'bool', 'boolean'),
  privileged: rel('is_privileged', 'bool', 'boolean'),
  can_escalate_privs: rel('can_escalate_privs', 'bool', 'boolean'),
  is_service_account: rel('is_service_account', 'bool', 'boolean'),
  group: rel(`${UNIX}.groups[*]`, 'string', 'text'),
  'group-id': rel(`${UNIX}.gid`, 'int', 'text'),
  home_dir: rel(`${UNIX}.home_dir`, 'string', 'text'),
  shell: rel(`${UNIX}.shell`, 'string', 'text'),
};

/** Social-network account templates: id, login and display name relations, with a fixed account_type. */
function account(type: string, id: string, login: string, display?: string): ObjectMapping {
  const relations: Record<string, RelationSpec> = {
    [id]: rel('user_id', 'string', 'text'),
    [login]: rel('account_login', 'string', 'text'),
  };
  if (display !== undefined) relations[display] = rel('display_name', 'string', 'text');
  return { root: 'user-account', relations, fixed: { account_type: type } };
}

const PE = 'extensions.windows-pebinary-ext';

/** MISP object templates the gateway maps (by object name). Unknown objects fall back to attribute types. */
export const OBJECT_TYPES: Readonly<Record<string, ObjectMapping>> = {
  file: {
    root: 'file',
    relations: {
      ...FILE_HASH_RELATIONS,
      filename: rel('name', 'string', 'filename'),
      'size-in-bytes': rel('size', 'long', 'size-in-bytes'),
      mimetype: rel('mime_type', 'string', 'mime-type'),
      'file-encoding': rel('name_enc', 'string', 'text'),
      path: rel('parent_directory_ref.path', 'string', 'text'),
      'creation-time': rel('ctime', 'timestamp', 'datetime'),
      'modification-time': rel('mtime', 'timestamp', 'datetime'),
      'access-time': rel('atime', 'timestamp', 'datetime'),
      imphash: rel(`${PE}.imphash`, 'hash', 'imphash'),
    },
  },
  pe: {
    root: 'file',
    customPrefix: PE,
    relations: {
      imphash: rel(`${PE}.imphash`, 'hash', 'imphash'),
      'number-sections': rel(`${PE}.number_of_sections`, 'int', 'counter'),
      type: rel(`${PE}.pe_type`, 'string', 'text'),
      'entrypoint-address': rel(`${PE}.optional_header.address_of_entry_point`, 'long', 'text'),
      'original-filename': rel('name', 'string', 'filename'),
      'internal-filename': rel('name', 'string', 'filename'),
      impfuzzy: rel('hashes.IMPFUZZY', 'hash', 'impfuzzy'),
    },
  },
  'pe-section': {
    root: 'file',
    relations: {
      ...SECTION_HASH_RELATIONS,
      name: rel(`${PE}.sections[*].name`, 'string', 'text'),
      entropy: rel(`${PE}.sections[*].entropy`, 'float', 'float'),
      'size-in-bytes': rel(`${PE}.sections[*].size`, 'long', 'size-in-bytes'),
    },
  },
  'ip-port': { root: 'network-traffic', relations: IP_PORT_RELATIONS },
  'network-connection': { root: 'network-traffic', relations: CONNECTION_RELATIONS },
  'network-socket': { root: 'network-traffic', relations: SOCKET_RELATIONS, exportOnly: SOCKET_EXPORT_ONLY },
  'network-traffic': { root: 'network-traffic', relations: TRAFFIC_RELATIONS },
  'http-request': { root: 'network-traffic', relations: HTTP_RELATIONS },
  'domain-ip': {
    root: 'domain-name',
    relations: {
      domain: rel('value', 'domain', 'domain'),
      hostname: rel('value', 'domain', 'hostname'),
      ip: rel('resolves_to_refs[*].value', 'ip', 'ip-dst'),
    },
  },
  url: { root: 'url', relations: { url: rel('value', 'url', 'url') } },
  'registry-key': {
    root: 'windows-registry-key',
    relations: {
      key: rel('key', 'string', 'regkey'),
      'last-modified': rel('modified_time', 'timestamp', 'datetime'),
      data: rel('values[*].data', 'string', 'text'),
      name: rel('values[*].name', 'string', 'text'),
      'data-type': rel('values[*].data_type', 'string', 'text'),
    },
  },
  email: {
    root: 'email-message',
    relations: EMAIL_RELATIONS,
    exportOnly: EMAIL_EXPORT_ONLY,
    paired: ['to', 'to-display-name', 'cc', 'cc-display-name', 'bcc', 'bcc-display-name', 'attachment'],
    implied: { attachment: { path: 'body_multipart[*].content_disposition', value: 'attachment' } },
  },
  asn: {
    root: 'autonomous-system',
    relations: { asn: rel('number', 'as-number', 'AS'), description: rel('name', 'string', 'text') },
  },
  mutex: { root: 'mutex', relations: { name: rel('name', 'string', 'text') } },
  process: {
    root: 'process',
    relations: {
      pid: rel('pid', 'int', 'text'),
      'command-line': rel('command_line', 'string', 'text'),
      'creation-time': rel('created_time', 'timestamp', 'datetime'),
      'current-directory': rel('cwd', 'string', 'text'),
      hidden: rel('is_hidden', 'bool', 'boolean'),
      image: rel('image_ref.name', 'string', 'filename'),
      'parent-pid': rel('parent_ref.pid', 'int', 'text'),
      'parent-command-line': rel('parent_ref.command_line', 'string', 'text'),
      'parent-image': rel('parent_ref.image_ref.name', 'string', 'filename'),
      'parent-process-name': rel('parent_ref.x_misp_process_name', 'string', 'text'),
      'child-pid': rel('child_refs[*].pid', 'int', 'text'),
    },
    // Other producers (and misp-stix) write a process name, which STIX 2.1 does not define.
    exportOnly: { name: rel('name', 'string', 'text') },
  },
  'user-account': { root: 'user-account', relations: ACCOUNT_RELATIONS },
  credential: {
    root: 'user-account',
    relations: { username: rel('user_id', 'string', 'text'), password: rel('credential', 'string', 'text') },
  },
  'github-user': account('github', 'id', 'username', 'user-fullname'),
  'gitlab-user': account('gitlab', 'id', 'username', 'name'),
  'twitter-account': account('twitter', 'id', 'name', 'displayed-name'),
  'facebook-account': account('facebook', 'account-id', 'account-name'),
  'reddit-account': account('reddit', 'account-id', 'account-name'),
  'parler-account': account('parler', 'account-id', 'account-name'),
  'telegram-account': account('telegram', 'id', 'username'),
  software: {
    root: 'software',
    relations: {
      name: rel('name', 'string', 'text'),
      vendor: rel('vendor', 'string', 'text'),
      version: rel('version', 'string', 'text'),
      cpe: rel('cpe', 'string', 'cpe'),
      swid: rel('swid', 'string', 'text'),
      language: rel('languages[*]', 'string', 'text'),
    },
  },
  directory: {
    root: 'directory',
    relations: {
      path: rel('path', 'string', 'text'),
      'path-encoding': rel('path_enc', 'string', 'text'),
      'creation-time': rel('ctime', 'timestamp', 'datetime'),
      'modification-time': rel('mtime', 'timestamp', 'datetime'),
      'access-time': rel('atime', 'timestamp', 'datetime'),
    },
  },
  artifact: {
    root: 'artifact',
    relations: {
      ...Object.fromEntries(hashEntries.map(([t, h]) => [t, rel(`hashes.${h}`, 'hash', t)])),
      mime_type: rel('mime_type', 'string', 'mime-type'),
      'mime-type': rel('mime_type', 'string', 'mime-type'),
      url: rel('url', 'url', 'url'),
      payload_bin: rel('payload_bin', 'string', 'text'),
      encryption_algorithm: rel('encryption_algorithm', 'string', 'text'),
      decryption_key: rel('decryption_key', 'string', 'text'),
    },
  },
  // Templates misp-stix also exports as SCOs (their other relations ride as x_misp_<relation>).
  'cpe-asset': {
    root: 'software',
    relations: {
      cpe: rel('cpe', 'string', 'cpe'),
      product: rel('name', 'string', 'text'),
      vendor: rel('vendor', 'string', 'text'),
      version: rel('version', 'string', 'text'),
      language: rel('languages[*]', 'string', 'text'),
    },
  },
  'android-app': { root: 'software', relations: { name: rel('name', 'string', 'text') } },
  lnk: {
    root: 'file',
    relations: {
      ...FILE_HASH_RELATIONS,
      filename: rel('name', 'string', 'filename'),
      path: rel('parent_directory_ref.path', 'string', 'text'),
      fullpath: rel('parent_directory_ref.path', 'string', 'text'),
      'size-in-bytes': rel('size', 'long', 'size-in-bytes'),
      'lnk-creation-time': rel('ctime', 'timestamp', 'datetime'),
      'lnk-modification-time': rel('mtime', 'timestamp', 'datetime'),
      'lnk-access-time': rel('atime', 'timestamp', 'datetime'),
    },
  },
  image: { root: 'file', relations: { filename: rel('name', 'string', 'filename') } },
  netflow: {
    root: 'network-traffic',
    relations: {
      'ip-src': rel('src_ref.value', 'ip', 'ip-src'),
      'ip-dst': rel('dst_ref.value', 'ip', 'ip-dst'),
      'src-port': rel('src_port', 'int', 'port'),
      'dst-port': rel('dst_port', 'int', 'port'),
      protocol: rel('protocols[*]', 'protocol', 'text'),
      'first-packet-seen': rel('start', 'timestamp', 'datetime'),
      'last-packet-seen': rel('end', 'timestamp', 'datetime'),
      'src-as': rel('src_ref.belongs_to_refs[*].number', 'as-number', 'AS'),
      'dst-as': rel('dst_ref.belongs_to_refs[*].number', 'as-number', 'AS'),
      'tcp-flags': rel('extensions.tcp-ext.src_flags_hex', 'string', 'text'),
    },
  },
  x509: {
    root: 'x509-certificate',
    relations: {
      'x509-fingerprint-md5': rel('hashes.MD5', 'hash', 'x509-fingerprint-md5'),
      'x509-fingerprint-sha1': rel('hashes.SHA-1', 'hash', 'x509-fingerprint-sha1'),
      'x509-fingerprint-sha256': rel('hashes.SHA-256', 'hash', 'x509-fingerprint-sha256'),
      'serial-number': rel('serial_number', 'string', 'text'),
      issuer: rel('issuer', 'string', 'text'),
      subject: rel('subject', 'string', 'text'),
      version: rel('version', 'string', 'text'),
      signature_algorithm: rel('signature_algorithm', 'string', 'text'),
      'pubkey-info-algorithm': rel('subject_public_key_algorithm', 'string', 'text'),
      'pubkey-info-modulus': rel('subject_public_key_modulus', 'string', 'text'),
      'pubkey-info-exponent': rel('subject_public_key_exponent', 'int', 'text'),
      'validity-not-before': rel('validity_not_before', 'timestamp', 'datetime'),
      'validity-not-after': rel('validity_not_after', 'timestamp', 'datetime'),
      self_signed: rel('is_self_signed', 'bool', 'boolean'),
    },
  },
};

/** The custom property a relation without a STIX property becomes (`x_misp_` + relation, `-` → `_`). */
export function customPath(mapping: ObjectMapping | undefined, relation: string): string | undefined {
  const name = relation
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (name === '' || name.length > 200) return undefined;
  const prop = `x_misp_${name}`;
  return mapping?.customPrefix === undefined ? prop : `${mapping.customPrefix}.${prop}`;
}

/** The relation a custom `x_misp_<relation>` property came from (export): `_` back to `-`. */
export function relationOfCustom(key: string): string | undefined {
  const m = /^x_misp_([a-z0-9_]{1,200})$/.exec(key);
  return m?.[1]?.replace(/_/g, '-');
}

/** Object name chosen on export, by root SCO type, when several templates could hold the comparisons. */
export const OBJECT_FOR_ROOT: Readonly<Record<string, string>> = {
  file: 'file',
  'network-traffic': 'network-connection',
  'domain-name': 'domain-ip',
  url: 'url',
  'windows-registry-key': 'registry-key',
  'email-message': 'email',
  'autonomous-system': 'asn',
  'x509-certificate': 'x509',
  mutex: 'mutex',
  process: 'process',
  'user-account': 'user-account',
  software: 'software',
  directory: 'directory',
  artifact: 'artifact',
};

/** Meta-category MISP expects for the objects the exporter writes. */
export const OBJECT_META_CATEGORY: Readonly<Record<string, string>> = {
  file: 'file',
  pe: 'file',
  'pe-section': 'file',
  'ip-port': 'network',
  'network-connection': 'network',
  'network-socket': 'network',
  'network-traffic': 'network',
  'http-request': 'network',
  'domain-ip': 'network',
  url: 'network',
  'registry-key': 'misc',
  email: 'network',
  asn: 'network',
  x509: 'network',
  mutex: 'misc',
  process: 'misc',
  'user-account': 'misc',
  credential: 'misc',
  software: 'misc',
  directory: 'file',
  artifact: 'file',
  'cpe-asset': 'misc',
  'android-app': 'misc',
  lnk: 'file',
  image: 'file',
  netflow: 'network',
  'stix2-pattern': 'stix2-pattern',
  geolocation: 'misc',
  identity: 'misc',
  'malware-analysis': 'misc',
};
