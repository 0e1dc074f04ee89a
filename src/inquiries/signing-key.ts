/**
 * This gateway's Ed25519 inquiry signing key, kept in the data directory like the generated credentials:
 * created on first start (private key PEM, mode 0600; the directory 0700), reused afterwards. The public key
 * is written next to it (`inquiry-signing-key.pub.pem`) for the partner's `inquiries.partner_keys`.
 *
 * Creation is atomic and race-free: the key is written to a temporary file and hard-linked to its name, which
 * fails when another process got there first; that process's key is then read and used.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { writeNewPrivateFile } from '../common/private-file';
import type { GatewayConfig } from '../config/types';
import { Keyring, type KeyringEntry, type Signer, keyIdOf, signerFor } from './signature';

export const SIGNING_KEY_FILE = 'inquiry-signing-key.pem';
export const PUBLIC_KEY_FILE = 'inquiry-signing-key.pub.pem';

function isNodeError(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === code;
}

function parsePrivate(pem: string, file: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file} does not hold an Ed25519 private key`);
  return key;
}

/** The key of `dataDir`, created on first use; `created` says whether this call made it. */
export async function loadOrCreateSigningKey(dataDir: string): Promise<{ signer: Signer; created: boolean; publicKeyFile: string }> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, SIGNING_KEY_FILE);
  const publicKeyFile = join(dataDir, PUBLIC_KEY_FILE);
  let created = false;
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    if (!isNodeError(err, 'ENOENT')) throw err;
    const { privateKey } = generateKeyPairSync('ed25519');
    const text = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    await writeNewPrivateFile(tmp, text);
    try {
      await link(tmp, file);
      created = true;
    } catch (linkErr) {
      if (!isNodeError(linkErr, 'EEXIST')) throw linkErr;
    } finally {
      await unlink(tmp);
    }
    pem = await readFile(file, 'utf8');
  }
  await chmod(file, 0o600);
  const signer = signerFor(parsePrivate(pem, file));
  await writeFile(publicKeyFile, exportPublicKey(signer.publicKey), { mode: 0o644 });
  return { signer, created, publicKeyFile };
}

export function exportPublicKey(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** Reads an Ed25519 public key from PEM text. */
export function parsePublicKey(pem: string, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new Error(`${what}: not a public key in PEM (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${what}: not an Ed25519 public key`);
  return key;
}

/**
 * The keyring of a configuration: each partner key signs for the identities of its listed principals, this
 * gateway's own key for every other principal's identity. Partner key files are read now (relative paths
 * against the directory of collections.yaml).
 */
export async function keyringFor(config: GatewayConfig, own: KeyObject | undefined): Promise<Keyring> {
  const identityOf = new Map(config.principals.map((p) => [p.name, p.identity]));
  const partnerSigned = new Set<string>();
  const entries: KeyringEntry[] = [];
  for (const k of config.inquiries.partner_keys) {
    const path = isAbsolute(k.public_key_file) ? k.public_key_file : join(dirname(config.file), k.public_key_file);
    const publicKey = parsePublicKey(await readFile(path, 'utf8'), path);
    const identities = new Set(k.authorities.flatMap((a) => identityOf.get(a) ?? []));
    for (const a of k.authorities) partnerSigned.add(a);
    entries.push({ keyId: keyIdOf(publicKey), publicKey, identities });
  }
  if (own !== undefined) {
    const identities = new Set(config.principals.filter((p) => !partnerSigned.has(p.name)).map((p) => p.identity));
    entries.push({ keyId: keyIdOf(own), publicKey: own, identities });
  }
  return new Keyring(entries);
}
