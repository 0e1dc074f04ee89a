/**
 * Detached Ed25519 signatures over the canonical JSON (RFC 8785, JCS) of inquiry objects.
 *
 * The signature lives in the object's inquiry extension as `signature: { algorithm, key_id, value }`; the
 * signed bytes are the JCS form of the whole object with exactly that one property removed. The digest that
 * receipts and replies name (`in_reply_to.sha256`) is the SHA-256 of the JCS form of the whole object,
 * signature included, so a receipt pins both the content and who signed it.
 *
 * A keyring says which key may sign for which authority (STIX identity): a valid signature by a key that
 * is not the authority's own is a forged authority, not a valid object.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import { INQUIRY_EXTENSION_ID } from './model';

export interface InquirySignature {
  readonly algorithm: 'Ed25519';
  /** `ed25519:` + the first 32 hex digits of the SHA-256 of the public key (SubjectPublicKeyInfo DER). */
  readonly key_id: string;
  /** Base64 of the 64-byte signature. */
  readonly value: string;
}

export type SignatureProblemCode =
  'SIGNATURE_MISSING' | 'SIGNATURE_MALFORMED' | 'SIGNATURE_UNKNOWN_KEY' | 'SIGNATURE_INVALID' | 'SIGNATURE_FORGED_AUTHORITY';

export type SignatureCheck =
  { readonly ok: true; readonly keyId: string } | { readonly ok: false; readonly code: SignatureProblemCode; readonly message: string };

/** The canonical text of a JSON value; throws on values JSON cannot hold (a fault of the caller). */
export function canonicalText(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/** SHA-256 (hex) of the canonical form of a whole object: the digest receipts and replies name. */
export function objectDigest(obj: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(canonicalText(obj), 'utf8').digest('hex');
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `ed25519:${createHash('sha256').update(der).digest('hex').slice(0, 32)}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The inquiry extension of an object, when it has one. */
export function inquiryExtension(obj: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const ext = obj['extensions'];
  if (!isRecord(ext)) return undefined;
  const mine = ext[INQUIRY_EXTENSION_ID];
  return isRecord(mine) ? mine : undefined;
}

/** The object without its signature (a copy; the input is unchanged): what the signature covers. */
export function unsigned(obj: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const ext = inquiryExtension(obj);
  if (ext === undefined) return { ...obj };
  const { signature: _signature, ...rest } = ext;
  const extensions = isRecord(obj['extensions']) ? obj['extensions'] : {};
  return { ...obj, extensions: { ...extensions, [INQUIRY_EXTENSION_ID]: rest } };
}

/** A signing key of this gateway. */
export interface Signer {
  readonly keyId: string;
  readonly publicKey: KeyObject;
  sign(data: Buffer): Buffer;
}

export function signerFor(privateKey: KeyObject): Signer {
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), publicKey, sign: (data) => sign(null, data, privateKey) };
}

/** The object with its signature set (any earlier signature is replaced). Needs the inquiry extension. */
export function signObject(obj: Readonly<Record<string, unknown>>, signer: Signer): Record<string, unknown> {
  const body = unsigned(obj);
  const ext = inquiryExtension(body);
  if (ext === undefined) throw new TypeError('only objects with the inquiry extension are signed');
  const signature: InquirySignature = {
    algorithm: 'Ed25519',
    key_id: signer.keyId,
    value: signer.sign(Buffer.from(canonicalText(body), 'utf8')).toString('base64'),
  };
  const extensions = isRecord(body['extensions']) ? body['extensions'] : {};
  return { ...body, extensions: { ...extensions, [INQUIRY_EXTENSION_ID]: { ...ext, signature } } };
}

/** One key the verifier knows, and the STIX identities it may sign for. */
export interface KeyringEntry {
  readonly keyId: string;
  readonly publicKey: KeyObject;
  readonly identities: ReadonlySet<string>;
}

export class Keyring {
  private readonly byId = new Map<string, KeyringEntry>();

  constructor(entries: readonly KeyringEntry[]) {
    for (const e of entries) {
      const had = this.byId.get(e.keyId);
      this.byId.set(e.keyId, had === undefined ? e : { ...e, identities: new Set([...had.identities, ...e.identities]) });
    }
  }

  entries(): KeyringEntry[] {
    return [...this.byId.values()];
  }

  /** Checks the signature of `obj` and that its key may sign for the object's `created_by_ref`. */
  verify(obj: Readonly<Record<string, unknown>>): SignatureCheck {
    const ext = inquiryExtension(obj);
    const sig = ext?.['signature'];
    if (sig === undefined) return { ok: false, code: 'SIGNATURE_MISSING', message: 'the object carries no signature' };
    if (!isRecord(sig) || sig['algorithm'] !== 'Ed25519' || typeof sig['key_id'] !== 'string' || typeof sig['value'] !== 'string') {
      return { ok: false, code: 'SIGNATURE_MALFORMED', message: 'signature must be { algorithm: "Ed25519", key_id, value }' };
    }
    const value = Buffer.from(sig['value'], 'base64');
    if (value.length !== 64 || value.toString('base64') !== sig['value']) {
      return { ok: false, code: 'SIGNATURE_MALFORMED', message: 'signature value must be 64 bytes in base64' };
    }
    const entry = this.byId.get(sig['key_id']);
    if (entry === undefined) {
      return { ok: false, code: 'SIGNATURE_UNKNOWN_KEY', message: `no known public key has id ${sig['key_id'].slice(0, 80)}` };
    }
    const data = Buffer.from(canonicalText(unsigned(obj)), 'utf8');
    if (!verify(null, data, entry.publicKey, value)) {
      return {
        ok: false,
        code: 'SIGNATURE_INVALID',
        message: 'the signature does not match the object (changed after signing, or not signed by this key)',
      };
    }
    const author = obj['created_by_ref'];
    if (typeof author !== 'string' || !entry.identities.has(author)) {
      return {
        ok: false,
        code: 'SIGNATURE_FORGED_AUTHORITY',
        message: `key ${entry.keyId} does not sign for ${typeof author === 'string' ? author.slice(0, 100) : 'an object without created_by_ref'}`,
      };
    }
    return { ok: true, keyId: entry.keyId };
  }
}
