/**
 * Hash algorithm names and values. Names follow the STIX 2.1 `hashing-algorithm-ov` vocabulary (MD5, SHA-1,
 * SHA-256, SHA-512, SHA3-256, SHA3-512, SSDEEP, TLSH), plus the STIX 2.0 names SHA-224, SHA-384, SHA3-224 and
 * SHA3-384 so upgraded content keeps them.
 */

/** Vocabulary spelling, keyed by the name upper-cased with `-`, `_` and spaces removed. */
const NAMES: Readonly<Record<string, string>> = {
  MD5: 'MD5',
  SHA1: 'SHA-1',
  SHA224: 'SHA-224',
  SHA256: 'SHA-256',
  SHA384: 'SHA-384',
  SHA512: 'SHA-512',
  SHA2224: 'SHA-224',
  SHA2256: 'SHA-256',
  SHA2384: 'SHA-384',
  SHA2512: 'SHA-512',
  SHA3224: 'SHA3-224',
  SHA3256: 'SHA3-256',
  SHA3384: 'SHA3-384',
  SHA3512: 'SHA3-512',
  SSDEEP: 'SSDEEP',
  TLSH: 'TLSH',
};

/** Hex digest length per algorithm (the fuzzy hashes SSDEEP and TLSH have none). */
const HEX_LENGTH: Readonly<Record<string, number>> = {
  MD5: 32,
  'SHA-1': 40,
  'SHA-224': 56,
  'SHA-256': 64,
  'SHA-384': 96,
  'SHA-512': 128,
  'SHA3-224': 56,
  'SHA3-256': 64,
  'SHA3-384': 96,
  'SHA3-512': 128,
};

/** The vocabulary spelling of a hash algorithm name (`sha256`, `SHA_256` → `SHA-256`); undefined if unknown. */
export function canonicalHashName(name: string): string | undefined {
  if (name.length > 32) return undefined;
  return NAMES[name.replace(/[-_\s]/g, '').toUpperCase()];
}

/** True for a name already spelled as the vocabulary (or its STIX 2.0 extensions). */
export function isCanonicalHashName(name: string): boolean {
  return canonicalHashName(name) === name;
}

/**
 * The canonical hash value: hex digests lower-cased and length-checked (undefined when the length or the
 * characters are wrong); SSDEEP and TLSH trimmed and otherwise kept; values of unknown algorithms trimmed.
 */
export function canonicalHashValue(name: string, value: string): string | undefined {
  const algo = canonicalHashName(name) ?? name;
  const v = value.trim();
  const len = HEX_LENGTH[algo];
  if (len === undefined) return v.length === 0 ? undefined : v;
  if (v.length !== len || !/^[0-9A-Fa-f]+$/.test(v)) return undefined;
  return v.toLowerCase();
}
