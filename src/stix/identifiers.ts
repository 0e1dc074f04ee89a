/**
 * STIX identifiers: `<type>--<uuid>`, UUIDv5 generation, and the deterministic ids of SCOs (STIX 2.1 §2.9:
 * UUIDv5 in the namespace 00abedb4-aa42-466c-9c01-fed23315a9b7 over the canonical JSON of the type's
 * ID-contributing properties).
 */
import * as crypto from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { META_TYPES, SDO_TYPES, SRO_TYPES } from './type-names';

/** The namespace STIX 2.1 defines for deterministic SCO identifiers. */
export const SCO_ID_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/** A namespace of this project for ids it derives from native-format content (CSV/TXT rows, etc.). */
export const GATEWAY_ID_NAMESPACE = '3c1f6f2e-6a43-5b8e-9d2a-7f4b0c8e1a55';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** STIX type names: lower-case ASCII letters, digits and single hyphens, 3–250 characters. */
const TYPE_RE = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;

export function isUuid(text: string): boolean {
  return UUID_RE.test(text);
}

/**
 * An RFC 4122 UUID as STIX 2.1 §2.9 requires: lower-case text, a version of 1 to 5 (third group's first digit)
 * and the RFC 4122 variant (fourth group's first digit 8, 9, a or b). `isUuid` only checks the shape.
 */
const RFC4122_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isRfc4122Uuid(text: string): boolean {
  return RFC4122_RE.test(text);
}

/** The version digit of a UUID (1–5 for RFC 4122 ones), or undefined when `text` is not UUID-shaped. */
export function uuidVersion(text: string): number | undefined {
  return UUID_RE.test(text) ? parseInt(text.charAt(14), 16) : undefined;
}

export function isStixType(text: string): boolean {
  // The standard types all match the rule (test/unit/stix/identifiers.test.ts); most posted types are one of them.
  if (STANDARD_TYPES.has(text)) return true;
  return text.length <= 250 && TYPE_RE.test(text) && !text.includes('--');
}

/** True for a `*_ref` property name (its value is one reference). */
export function isRefKey(key: string): boolean {
  // The last character first: most property names are told apart without calling endsWith.
  return key.charCodeAt(key.length - 1) === 102 /* f */ && key.endsWith('_ref');
}

/** True for a `*_refs` property name (its value is a list of references). */
export function isRefListKey(key: string): boolean {
  return key.charCodeAt(key.length - 1) === 115 /* s */ && key.endsWith('_refs');
}

/** Length of a UUID in its canonical text form. */
const UUID_LENGTH = 36;

/** True when `text[start, start + 36)` is a lower-case UUID (what UUID_RE matches), without a RegExp. */
function isUuidAt(text: string, start: number): boolean {
  for (let i = 0; i < UUID_LENGTH; i++) {
    const c = text.charCodeAt(start + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45 /* - */) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) {
      return false; // not 0-9 a-f
    }
  }
  return true;
}

/**
 * Splits a STIX id into its type and UUID, or returns undefined when it is not `<type>--<uuid>` (the same
 * result as `^([a-z0-9-]{1,250})--(<UUID_RE>)$` plus isStixType on the type). Read by position, without a
 * RegExp, as ids are checked several times per ingested object: a UUID has a fixed length, so the type is
 * everything before the last 38 characters.
 */
export function parseStixId(id: string): { type: string; uuid: string } | undefined {
  const type = typeOfStixId(id);
  return type === undefined ? undefined : { type, uuid: id.slice(type.length + 2) };
}

/** `parseStixId(id)?.type`, without building the rest. */
export function typeOfStixId(id: string): string | undefined {
  if (id.length > 300) return undefined;
  const typeLength = id.length - UUID_LENGTH - 2;
  if (typeLength < 1 || typeLength > 250) return undefined;
  if (id.charCodeAt(typeLength) !== 45 || id.charCodeAt(typeLength + 1) !== 45) return undefined;
  if (!isUuidAt(id, typeLength + 2)) return undefined;
  const type = id.slice(0, typeLength);
  return isStixType(type) ? type : undefined;
}

/**
 * True when `id` is `<type>--<uuid>` for this `type` and the type is a valid type name — exactly
 * `parseStixId(id)?.type === type`, without building the parts.
 */
export function isIdOfType(id: string, type: string): boolean {
  const n = type.length;
  return (
    id.length === n + UUID_LENGTH + 2 &&
    id.charCodeAt(n) === 45 /* - */ &&
    id.charCodeAt(n + 1) === 45 &&
    id.startsWith(type) &&
    isUuidAt(id, n + 2) &&
    isStixType(type)
  );
}

/** Node's one-shot `crypto.hash` (Node >= 20.12; see sha256.ts), or undefined on older Node 20. */
const oneShotHash: ((algorithm: string, data: Buffer, encoding: 'hex') => string) | undefined =
  typeof crypto.hash === 'function' ? crypto.hash : undefined;

/** The 16 bytes of the two namespaces used all the time (others are converted per call). */
const NAMESPACE_BYTES: ReadonlyMap<string, Buffer> = new Map(
  [SCO_ID_NAMESPACE, GATEWAY_ID_NAMESPACE].map((ns): [string, Buffer] => [ns, namespaceBytes(ns)]),
);

function namespaceBytes(namespace: string): Buffer {
  return Buffer.from(namespace.replace(/-/g, ''), 'hex');
}

/** RFC 4122 UUID version 5 (SHA-1, name-based). */
export function uuidV5(name: string, namespace: string): string {
  const ns = NAMESPACE_BYTES.get(namespace) ?? namespaceBytes(namespace);
  if (oneShotHash === undefined) {
    const hash = crypto.createHash('sha1').update(ns).update(Buffer.from(name, 'utf8')).digest();
    return uuidFromHex(hash.toString('hex'));
  }
  // SHA-1 over namespace bytes followed by the UTF-8 name, hashed in one call from one buffer.
  const data = Buffer.allocUnsafe(ns.length + Buffer.byteLength(name, 'utf8'));
  ns.copy(data, 0);
  data.write(name, ns.length, 'utf8');
  return uuidFromHex(oneShotHash('sha1', data, 'hex'));
}

/**
 * A UUID whose 122 free bits are the SHA-1 of (namespace, name) but whose version digit is 4. STIX 2.1 §2.9
 * asks for a UUIDv4 for SCOs without ID-contributing properties; the gateway still wants the same input to give
 * the same id on re-import, and hash bits serve as the pseudo-random bits RFC 4122 §4.4 allows.
 */
export function uuidV4From(name: string, namespace: string): string {
  const v5 = uuidV5(name, namespace);
  return `${v5.slice(0, 14)}4${v5.slice(15)}`;
}

/** The UUID text of the first 16 bytes of a hash (hex), with the version (5) and RFC 4122 variant bits set. */
function uuidFromHex(h: string): string {
  // Byte 6: high nibble := 5 (hex digit 12). Byte 8: top two bits := 10 (hex digit 16 becomes 8, 9, a or b).
  const variant = '89ab'.charAt(parseInt(h.charAt(16), 16) & 0x3);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function randomStixId(type: string): string {
  return `${type}--${crypto.randomUUID()}`;
}

/** ID-contributing properties per SCO type (STIX 2.1 §6). `process` has none: its ids are random. */
export const SCO_ID_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  artifact: ['hashes', 'payload_bin'],
  'autonomous-system': ['number'],
  directory: ['path'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  'email-message': ['from_ref', 'subject', 'body'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': ['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions'],
  process: [],
  software: ['name', 'cpe', 'swid', 'vendor', 'version'],
  url: ['value'],
  'user-account': ['account_type', 'user_id', 'account_login'],
  'windows-registry-key': ['key', 'values'],
  'x509-certificate': ['hashes', 'serial_number'],
};

/** The SCO types of STIX 2.1. */
export const SCO_TYPES: ReadonlySet<string> = new Set(Object.keys(SCO_ID_PROPERTIES));

/** Every type STIX 2.1 defines (SDOs, SROs, SCOs, meta objects). */
export const STANDARD_TYPES: ReadonlySet<string> = new Set([...SDO_TYPES, ...SRO_TYPES, ...SCO_TYPES, ...META_TYPES]);

/** When `hashes` contributes to an id, one hash is used, chosen in this order (as python-stix2 does). */
const HASH_PREFERENCE = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'];

function chooseOneHash(hashes: Record<string, unknown>): Record<string, unknown> {
  for (const name of HASH_PREFERENCE) {
    if (hashes[name] !== undefined) return { [name]: hashes[name] };
  }
  const first = Object.keys(hashes).sort()[0];
  return first === undefined ? {} : { [first]: hashes[first] };
}

/**
 * The deterministic id of an SCO from its ID-contributing properties, or undefined when the type has none
 * of them set (the spec then asks for a UUIDv4) or is not a known SCO type.
 */
export function deterministicScoId(sco: Readonly<Record<string, unknown>>): string | undefined {
  const type = sco['type'];
  if (typeof type !== 'string') return undefined;
  const props = SCO_ID_PROPERTIES[type];
  if (props === undefined || props.length === 0) return undefined;
  const contributing: Record<string, unknown> = {};
  for (const p of props) {
    const v = sco[p];
    if (v === undefined) continue;
    if (p === 'hashes' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      contributing[p] = chooseOneHash(v as Record<string, unknown>);
    } else {
      contributing[p] = v;
    }
  }
  if (Object.keys(contributing).length === 0) return undefined;
  return `${type}--${uuidV5(canonicalJson(contributing), SCO_ID_NAMESPACE)}`;
}
