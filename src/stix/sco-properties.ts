/**
 * The STIX 2.1 Cyber-observable object types (§6) and their top-level property names, used to check the
 * first step of an object path and the properties of posted SCOs. Custom types (`x-…`) and custom properties
 * (`x_…`) are not checked.
 */

/** Properties every SCO may carry (common properties, §3.2 and §6). */
export const SCO_COMMON_PROPERTIES: readonly string[] = [
  'type',
  'id',
  'spec_version',
  'object_marking_refs',
  'granular_markings',
  'defanged',
  'extensions',
];

/** The type-specific property names of each SCO type (the one table: pattern paths and object checks use it). */
export const SCO_PROPERTY_NAMES: Readonly<Record<string, readonly string[]>> = {
  artifact: ['mime_type', 'payload_bin', 'url', 'hashes', 'encryption_algorithm', 'decryption_key'],
  'autonomous-system': ['number', 'name', 'rir'],
  directory: ['path', 'path_enc', 'ctime', 'mtime', 'atime', 'contains_refs'],
  'domain-name': ['value', 'resolves_to_refs'],
  'email-addr': ['value', 'display_name', 'belongs_to_ref'],
  'email-message': [
    'is_multipart',
    'date',
    'content_type',
    'from_ref',
    'sender_ref',
    'to_refs',
    'cc_refs',
    'bcc_refs',
    'message_id',
    'subject',
    'received_lines',
    'additional_header_fields',
    'body',
    'body_multipart',
    'raw_email_ref',
  ],
  file: [
    'hashes',
    'size',
    'name',
    'name_enc',
    'magic_number_hex',
    'mime_type',
    'ctime',
    'mtime',
    'atime',
    'parent_directory_ref',
    'contains_refs',
    'content_ref',
  ],
  'ipv4-addr': ['value', 'resolves_to_refs', 'belongs_to_refs'],
  'ipv6-addr': ['value', 'resolves_to_refs', 'belongs_to_refs'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': [
    'start',
    'end',
    'is_active',
    'src_ref',
    'dst_ref',
    'src_port',
    'dst_port',
    'protocols',
    'src_byte_count',
    'dst_byte_count',
    'src_packets',
    'dst_packets',
    'ipfix',
    'src_payload_ref',
    'dst_payload_ref',
    'encapsulates_refs',
    'encapsulated_by_ref',
  ],
  process: [
    'is_hidden',
    'pid',
    'created_time',
    'cwd',
    'command_line',
    'environment_variables',
    'opened_connection_refs',
    'creator_user_ref',
    'image_ref',
    'parent_ref',
    'child_refs',
  ],
  software: ['name', 'cpe', 'swid', 'languages', 'vendor', 'version'],
  url: ['value'],
  'user-account': [
    'user_id',
    'credential',
    'account_login',
    'account_type',
    'display_name',
    'is_service_account',
    'is_privileged',
    'can_escalate_privs',
    'is_disabled',
    'account_created',
    'account_expires',
    'credential_last_changed',
    'account_first_login',
    'account_last_login',
  ],
  'windows-registry-key': ['key', 'values', 'modified_time', 'creator_user_ref', 'number_of_subkeys'],
  'x509-certificate': [
    'is_self_signed',
    'hashes',
    'version',
    'serial_number',
    'signature_algorithm',
    'issuer',
    'validity_not_before',
    'validity_not_after',
    'subject',
    'subject_public_key_algorithm',
    'subject_public_key_modulus',
    'subject_public_key_exponent',
    'x509_v3_extensions',
  ],
};

const PROPERTIES: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(SCO_PROPERTY_NAMES).map(([type, props]) => [type, new Set([...SCO_COMMON_PROPERTIES, ...props])]),
);

/** The STIX 2.1 SCO type names. */
export const SCO_TYPES: ReadonlySet<string> = new Set(Object.keys(SCO_PROPERTY_NAMES));

/** True for a custom object type (`x-…`), which is never checked against the table. */
export function isCustomObjectType(type: string): boolean {
  return type.startsWith('x-');
}

/** A type name STIX 2.1 allows for a custom object: 3 to 250 characters of a-z, 0-9 and hyphen. */
export function isWellFormedTypeName(type: string): boolean {
  return type.length >= 3 && type.length <= 250 && /^[a-z0-9-]+$/.test(type);
}

/**
 * Whether `property` is defined on the SCO `type`: true/false for STIX SCO types, undefined for types the table
 * does not describe (custom types). Custom properties (`x_…`) count as defined.
 */
export function scoHasProperty(type: string, property: string): boolean | undefined {
  const props = PROPERTIES.get(type);
  if (!props) return undefined;
  return props.has(property) || property.startsWith('x_');
}

/** Integer-valued properties, as `type:property` (their string-written values are turned into integers). */
export const INTEGER_PROPERTIES: ReadonlySet<string> = new Set([
  'network-traffic:src_port',
  'network-traffic:dst_port',
  'network-traffic:src_byte_count',
  'network-traffic:dst_byte_count',
  'network-traffic:src_packets',
  'network-traffic:dst_packets',
  'autonomous-system:number',
  'file:size',
  'process:pid',
  'windows-registry-key:number_of_subkeys',
]);
