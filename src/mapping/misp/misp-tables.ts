/**
 * The MISP ⇄ STIX 2.1 mapping tables, as plain data. Facts (type names, STIX paths, object relations,
 * confidence scale) follow misp-stix's documented mappings; the pattern shapes follow the gateway's rules
 * (one root object type per `[...]`, integers for ports and AS numbers).
 */

/** How an attribute or object-relation value is read and canonicalized before it enters a pattern. */
export type ValueKind =
  | 'string'
  | 'hash'
  | 'ip'
  | 'domain'
  | 'url'
  | 'email'
  | 'mac'
  | 'int'
  /** An integer up to 2^53 - 1 (file sizes, PE addresses): JSON numbers stay exact up to there. */
  | 'long'
  | 'as-number'
  | 'float'
  /** true/false, 1/0, yes/no → a boolean. */
  | 'bool'
  /** ISO 8601 date-time (offset or none, taken as UTC) → a STIX timestamp (a `t'...'` literal in patterns). */
  | 'timestamp'
  /** A protocol name, lower-cased (STIX protocols are IANA service names in lower case). */
  | 'protocol';

/** One property of an SCO: a path relative to the root type (`hashes.SHA-256`, `resolves_to_refs[*].value`). */
export interface FieldSpec {
  readonly path: string;
  readonly kind: ValueKind;
}

/**
 * An attribute type whose value becomes pattern comparisons on one root SCO type. `root: 'ip-addr'` means
 * ipv4-addr or ipv6-addr depending on the value. Composite types (`a|b`) have two fields, split on the first `|`.
 */
export interface PatternMapping {
  readonly kind: 'pattern';
  readonly root: string;
  readonly fields: readonly FieldSpec[];
}

export type AttributeMapping =
  | PatternMapping
  /** A detection rule in another language: indicator with pattern_type = the language. */
  | { readonly kind: 'rule'; readonly patternType: string }
  /** A CVE: vulnerability SDO. */
  | { readonly kind: 'vulnerability' }
  /** A campaign name: campaign SDO. */
  | { readonly kind: 'campaign' }
  /** A reference link: an external reference of the container (a url pattern when to_ids is set). */
  | { readonly kind: 'link' };

/** A composite attribute type (`a|b`): two fields on one root type. */
const pair = (root: string, first: FieldSpec, second: FieldSpec): PatternMapping => ({ kind: 'pattern', root, fields: [first, second] });

const one = (root: string, path: string, kind: ValueKind): PatternMapping => ({
  kind: 'pattern',
  root,
  fields: [{ path, kind }],
});

const hash = (name: string): PatternMapping => one('file', `hashes.${name}`, 'hash');
const fileAnd = (name: string): PatternMapping => pair('file', { path: 'name', kind: 'string' }, { path: `hashes.${name}`, kind: 'hash' });

/** A network-traffic side's address (ip or domain) and port: `ip-dst|port`, `ip-src|port`, `hostname|port`. */
const addressPort = (side: 'src' | 'dst', kind: ValueKind): PatternMapping =>
  pair('network-traffic', { path: `${side}_ref.value`, kind }, { path: `${side}_port`, kind: 'int' });

/** MISP hash attribute types and their STIX hash-algorithm names (the STIX vocabulary spelling). */
export const HASH_TYPES: Readonly<Record<string, string>> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha224: 'SHA-224',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
  'sha3-224': 'SHA3-224',
  'sha3-256': 'SHA3-256',
  'sha3-384': 'SHA3-384',
  'sha3-512': 'SHA3-512',
  ssdeep: 'SSDEEP',
  tlsh: 'TLSH',
  // Not in the STIX vocabulary: custom hash names (the gateway's schema allows letters, digits, '-' and '_').
  'sha512/224': 'SHA512-224',
  'sha512/256': 'SHA512-256',
  authentihash: 'AUTHENTIHASH',
  pehash: 'PEHASH',
  vhash: 'VHASH',
  telfhash: 'TELFHASH',
  impfuzzy: 'IMPFUZZY',
  cdhash: 'CDHASH',
};

const hashEntries = Object.entries(HASH_TYPES);

/** MISP attribute type → STIX shape. Types absent from this table become notes (text-like context). */
export const ATTRIBUTE_TYPES: Readonly<Record<string, AttributeMapping>> = {
  ...Object.fromEntries(hashEntries.map(([t, h]) => [t, hash(h)])),
  ...Object.fromEntries(hashEntries.map(([t, h]) => [`filename|${t}`, fileAnd(h)])),
  imphash: one('file', 'extensions.windows-pebinary-ext.imphash', 'hash'),
  'filename|imphash': pair('file', { path: 'name', kind: 'string' }, { path: 'extensions.windows-pebinary-ext.imphash', kind: 'hash' }),
  filename: one('file', 'name', 'string'),
  'size-in-bytes': one('file', 'size', 'int'),
  'malware-sample': fileAnd('MD5'),
  attachment: one('file', 'name', 'string'),
  domain: one('domain-name', 'value', 'domain'),
  hostname: one('domain-name', 'value', 'domain'),
  'domain|ip': pair('domain-name', { path: 'value', kind: 'domain' }, { path: 'resolves_to_refs[*].value', kind: 'ip' }),
  'ip-dst': one('ip-addr', 'value', 'ip'),
  'ip-src': one('network-traffic', 'src_ref.value', 'ip'),
  'ip-dst|port': addressPort('dst', 'ip'),
  'ip-src|port': addressPort('src', 'ip'),
  'hostname|port': addressPort('dst', 'domain'),
  port: one('network-traffic', 'dst_port', 'int'),
  url: one('url', 'value', 'url'),
  uri: one('url', 'value', 'url'),
  link: { kind: 'link' },
  email: one('email-addr', 'value', 'email'),
  'email-src': one('email-message', 'from_ref.value', 'email'),
  'email-dst': one('email-message', 'to_refs[*].value', 'email'),
  'email-subject': one('email-message', 'subject', 'string'),
  'email-body': one('email-message', 'body', 'string'),
  'email-message-id': one('email-message', 'message_id', 'string'),
  'email-reply-to': one('email-message', 'additional_header_fields.Reply-To', 'email'),
  'email-x-mailer': one('email-message', 'additional_header_fields.X-Mailer', 'string'),
  'email-attachment': one('email-message', 'body_multipart[*].body_raw_ref.name', 'string'),
  mutex: one('mutex', 'name', 'string'),
  regkey: one('windows-registry-key', 'key', 'string'),
  'regkey|value': pair('windows-registry-key', { path: 'key', kind: 'string' }, { path: 'values[*].data', kind: 'string' }),
  AS: one('autonomous-system', 'number', 'as-number'),
  'mac-address': one('mac-addr', 'value', 'mac'),
  'user-agent': one('network-traffic', 'extensions.http-request-ext.request_header.User-Agent', 'string'),
  'http-method': one('network-traffic', 'extensions.http-request-ext.request_method', 'string'),
  'x509-fingerprint-md5': one('x509-certificate', 'hashes.MD5', 'hash'),
  'x509-fingerprint-sha1': one('x509-certificate', 'hashes.SHA-1', 'hash'),
  'x509-fingerprint-sha256': one('x509-certificate', 'hashes.SHA-256', 'hash'),
  'email-src-display-name': one('email-message', 'from_ref.display_name', 'string'),
  'email-header': one('email-message', 'received_lines[*]', 'string'),
  'github-username': one('user-account', 'account_login', 'string'),
  'whois-registrant-email': one('email-addr', 'value', 'email'),
  'windows-service-name': one('process', 'extensions.windows-service-ext.service_name', 'string'),
  'mime-type': one('file', 'mime_type', 'string'),
  yara: { kind: 'rule', patternType: 'yara' },
  snort: { kind: 'rule', patternType: 'snort' },
  suricata: { kind: 'rule', patternType: 'suricata' },
  sigma: { kind: 'rule', patternType: 'sigma' },
  vulnerability: { kind: 'vulnerability' },
  'campaign-name': { kind: 'campaign' },
};

/**
 * MISP's default `to_ids` per type, used when an attribute omits the flag (after MISP's sane defaults): types
 * not listed default to false.
 */
export const DEFAULT_TO_IDS: ReadonlySet<string> = new Set([
  ...Object.keys(HASH_TYPES),
  ...Object.keys(HASH_TYPES).map((t) => `filename|${t}`),
  'imphash',
  'filename|imphash',
  'filename',
  'malware-sample',
  'domain',
  'hostname',
  'domain|ip',
  'ip-dst',
  'ip-src',
  'ip-dst|port',
  'ip-src|port',
  'hostname|port',
  'url',
  'uri',
  'email',
  'email-src',
  'email-dst',
  'email-subject',
  'email-attachment',
  'email-reply-to',
  'mutex',
  'regkey',
  'regkey|value',
  'x509-fingerprint-md5',
  'x509-fingerprint-sha1',
  'x509-fingerprint-sha256',
  'yara',
  'snort',
  'suricata',
  'sigma',
]);

/** The category MISP expects when the STIX side names none (export). */
export function defaultCategory(type: string): string {
  if (type in HASH_TYPES || type.startsWith('filename') || type === 'imphash' || type === 'malware-sample') {
    return 'Payload delivery';
  }
  if (type === 'attachment' || type === 'size-in-bytes') return 'Payload delivery';
  if (type.startsWith('email')) return 'Payload delivery';
  if (type === 'regkey' || type === 'regkey|value' || type === 'mutex' || type === 'pdb') return 'Artifacts dropped';
  if (type === 'yara' || type === 'snort' || type === 'suricata' || type === 'sigma') return 'Network activity';
  if (type === 'link' || type === 'vulnerability') return 'External analysis';
  if (type === 'campaign-name') return 'Attribution';
  if (type === 'text' || type === 'comment' || type === 'other' || type === 'stix2-pattern') return 'Other';
  if (type.startsWith('x509')) return 'Network activity';
  return 'Network activity';
}

/** `misp:confidence-level` tag values → STIX confidence (the minimum wins when several apply). */
export const CONFIDENCE_LEVELS: Readonly<Record<string, number>> = {
  'completely-confident': 100,
  'usually-confident': 75,
  'fairly-confident': 50,
  'rarely-confident': 25,
  unconfident: 0,
};

/** STIX confidence → `misp:confidence-level` value (export): the highest level not above the confidence. */
export function confidenceLevelFor(confidence: number): string {
  if (confidence >= 100) return 'completely-confident';
  if (confidence >= 75) return 'usually-confident';
  if (confidence >= 50) return 'fairly-confident';
  if (confidence >= 25) return 'rarely-confident';
  return 'unconfident';
}

/** Galaxy type → STIX SDO type. Galaxy types not listed are kept as labels with an issue. */
export const GALAXY_SDO_TYPES: Readonly<Record<string, string>> = {
  'threat-actor': 'threat-actor',
  'mitre-intrusion-set': 'intrusion-set',
  'mitre-enterprise-attack-intrusion-set': 'intrusion-set',
  'intrusion-set': 'intrusion-set',
  'microsoft-activity-group': 'intrusion-set',
  'mitre-malware': 'malware',
  'mitre-enterprise-attack-malware': 'malware',
  malpedia: 'malware',
  banker: 'malware',
  rat: 'malware',
  ransomware: 'malware',
  botnet: 'malware',
  stealer: 'malware',
  backdoor: 'malware',
  android: 'malware',
  'exploit-kit': 'malware',
  'mitre-tool': 'tool',
  'mitre-enterprise-attack-tool': 'tool',
  tool: 'tool',
  'mitre-attack-pattern': 'attack-pattern',
  'mitre-enterprise-attack-attack-pattern': 'attack-pattern',
  'mitre-pre-attack-attack-pattern': 'attack-pattern',
  'mitre-mobile-attack-attack-pattern': 'attack-pattern',
  'attack-pattern': 'attack-pattern',
  'mitre-course-of-action': 'course-of-action',
  'mitre-enterprise-attack-course-of-action': 'course-of-action',
  country: 'location',
  region: 'location',
  sector: 'identity',
  // misp-stix's galaxies for other producers' SDOs
  'stix-2.1-attack-pattern': 'attack-pattern',
  'stix-2.1-campaign': 'campaign',
  'stix-2.1-course-of-action': 'course-of-action',
  'stix-2.1-intrusion-set': 'intrusion-set',
  'stix-2.1-malware': 'malware',
  'stix-2.1-threat-actor': 'threat-actor',
  'stix-2.1-tool': 'tool',
};

/** Galaxy type written on export (as a `misp-galaxy:<type>="<name>"` tag) per STIX SDO type. */
export const GALAXY_FOR_SDO: Readonly<Record<string, string>> = {
  'threat-actor': 'threat-actor',
  'intrusion-set': 'mitre-intrusion-set',
  malware: 'malpedia',
  tool: 'tool',
  'attack-pattern': 'mitre-attack-pattern',
  'course-of-action': 'mitre-course-of-action',
};

/** MISP threat_level_id (1–4) names, used in labels and back. */
export const THREAT_LEVELS: Readonly<Record<string, string>> = { '1': 'high', '2': 'medium', '3': 'low', '4': 'undefined' };

/** MISP analysis (0–2) names. */
export const ANALYSIS_LEVELS: Readonly<Record<string, string>> = { '0': 'initial', '1': 'ongoing', '2': 'completed' };

/** MISP's attribute categories (kill-chain phase names are these, lower-cased with hyphens). */
export const MISP_CATEGORIES: readonly string[] = [
  'Internal reference',
  'Targeting data',
  'Antivirus detection',
  'Payload delivery',
  'Artifacts dropped',
  'Payload installation',
  'Persistence mechanism',
  'Network activity',
  'Payload type',
  'Attribution',
  'External analysis',
  'Financial fraud',
  'Support Tool',
  'Social network',
  'Person',
  'Other',
];
