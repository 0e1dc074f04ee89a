/**
 * Hashing of passwords and bearer tokens with scrypt, in a self-describing text form:
 *
 *   scrypt$N=16384,r=8,p=1$<salt>$<key>               (a password or a token without id)
 *   scrypt$N=16384,r=8,p=1,tid=<token-id>$<salt>$<key> (a bearer token of the form <token-id>.<secret>)
 *
 * salt and key are standard base64 without padding. N=2^14, r=8 costs about 20–50 ms and 16 MiB per
 * verification: slow enough to make offline guessing expensive, fast enough for a cache-miss request.
 *
 * The optional `tid` is the public prefix of a bearer token. The authenticator uses it to find the one hash a
 * token can match, instead of running scrypt against every bearer hash it knows (see authenticator.ts).
 * It is only recorded for bearer tokens: a password's prefix must never leak into its hash.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** Default scrypt cost parameters for new hashes. */
export const SCRYPT_DEFAULTS = Object.freeze({ N: 16384, r: 8, p: 1, saltBytes: 16, keyBytes: 32 });

/** Largest memory one verification may use (128·N·r bytes), so a hash in the config cannot exhaust memory. */
const MAX_SCRYPT_MEMORY = 64 * 1024 * 1024;

/**
 * Syntax of an encoded hash. Linear-time: no nested quantifiers. The numeric bounds are checked by
 * parseSecretHash; the config schema uses the same pattern (schemas/config/collections.schema.json).
 */
export const SECRET_HASH_PATTERN =
  /^scrypt\$N=([0-9]{1,8}),r=([0-9]{1,3}),p=([0-9]{1,3})(?:,tid=([A-Za-z0-9_-]{8,64}))?\$([A-Za-z0-9+/]{22,88})\$([A-Za-z0-9+/]{43,172})$/;

/** A bearer token `<token-id>.<secret>`: the id is public, the secret is not. Linear-time. */
const TOKEN_WITH_ID = /^([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_~+/=.-]{16,})$/;

export interface ParsedSecretHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
  /** Public id of the bearer token this hash belongs to, when it was hashed with `{ bearer: true }`. */
  readonly tokenId?: string;
}

/** Thrown for a hash string that is not in the format above; the message says what is wrong. */
export class MalformedHashError extends Error {
  override readonly name = 'MalformedHashError';
}

/**
 * Parses and bounds-checks an encoded hash. Returns the parsed hash, or a reason why it is malformed.
 * Used both at config load (to report a positioned issue) and at start-up.
 */
export function checkSecretHash(encoded: string): { hash: ParsedSecretHash } | { error: string } {
  if (encoded.length > 512) return { error: 'hash is too long' };
  const m = SECRET_HASH_PATTERN.exec(encoded);
  if (!m) {
    return {
      error: 'not an scrypt hash of the form scrypt$N=<n>,r=<r>,p=<p>$<salt>$<key> (produce one with `taxii-gateway hash-secret`)',
    };
  }
  const N = Number(m[1]);
  const r = Number(m[2]);
  const p = Number(m[3]);
  if (N < 1024 || N > 1048576 || (N & (N - 1)) !== 0) return { error: `N=${N} must be a power of two from 1024 to 1048576` };
  if (r < 1 || r > 32) return { error: `r=${r} must be from 1 to 32` };
  if (p < 1 || p > 16) return { error: `p=${p} must be from 1 to 16` };
  if (128 * N * r > MAX_SCRYPT_MEMORY) return { error: `N=${N}, r=${r} need more than 64 MiB per verification` };
  const salt = Buffer.from(m[5] ?? '', 'base64');
  const key = Buffer.from(m[6] ?? '', 'base64');
  if (salt.length < 16) return { error: 'salt must be at least 16 bytes' };
  if (key.length < 32 || key.length > 128) return { error: 'key must be 32 to 128 bytes' };
  const tokenId = m[4];
  return { hash: tokenId === undefined ? { N, r, p, salt, key } : { N, r, p, salt, key, tokenId } };
}

/** Parses an encoded hash or throws MalformedHashError. */
export function parseSecretHash(encoded: string): ParsedSecretHash {
  const result = checkSecretHash(encoded);
  if ('error' in result) throw new MalformedHashError(`malformed secret hash: ${result.error}`);
  return result.hash;
}

/** The public id of a bearer token `<token-id>.<secret>`, or undefined when the token has no id. */
export function bearerTokenId(token: string): string | undefined {
  if (token.length > 1024) return undefined;
  return TOKEN_WITH_ID.exec(token)?.[1];
}

function scryptAsync(plain: string, salt: Buffer, keyLength: number, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(plain, salt, keyLength, { N, r, p, maxmem: 2 * 128 * N * r + 1024 * 1024 }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

function b64(buf: Buffer): string {
  return buf.toString('base64').replace(/=+$/, '');
}

/**
 * Hashes a secret with fresh salt. With `{ bearer: true }` and a token of the form `<token-id>.<secret>`,
 * the token id is recorded in the hash so the authenticator can find it without trying every hash.
 */
export async function hashSecret(plain: string, opts: { bearer?: boolean } = {}): Promise<string> {
  const { N, r, p, saltBytes, keyBytes } = SCRYPT_DEFAULTS;
  const salt = randomBytes(saltBytes);
  const key = await scryptAsync(plain, salt, keyBytes, N, r, p);
  const tokenId = opts.bearer === true ? bearerTokenId(plain) : undefined;
  const params = tokenId === undefined ? `N=${N},r=${r},p=${p}` : `N=${N},r=${r},p=${p},tid=${tokenId}`;
  return `scrypt$${params}$${b64(salt)}$${b64(key)}`;
}

/** Verifies a secret against a parsed hash in constant time with respect to the key comparison. */
export async function verifyParsedSecret(plain: string, hash: ParsedSecretHash): Promise<boolean> {
  const key = await scryptAsync(plain, hash.salt, hash.key.length, hash.N, hash.r, hash.p);
  return timingSafeEqual(key, hash.key);
}

/** Verifies a secret against an encoded hash; throws MalformedHashError when the hash is malformed. */
export async function verifySecret(plain: string, encoded: string): Promise<boolean> {
  return verifyParsedSecret(plain, parseSecretHash(encoded));
}

/**
 * A hash no secret matches (random key), with the default cost: verifying against it takes as long as a real
 * verification, so unknown users and unknown tokens cannot be told apart by timing.
 */
export function dummySecretHash(): ParsedSecretHash {
  const { N, r, p, saltBytes, keyBytes } = SCRYPT_DEFAULTS;
  return { N, r, p, salt: randomBytes(saltBytes), key: randomBytes(keyBytes) };
}

/** A random password for HTTP Basic: 24 random bytes, 32 URL-safe characters. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/** A random bearer token `<token-id>.<secret>`: a 12-character public id and 32 random bytes (base64url). */
export function generateBearerToken(): string {
  return `${randomBytes(9).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
}
