/** Vocabulary tables of the STIX 1.x ⇄ 2.1 mapping (data only; facts from the OASIS elevator docs). */

/** IndicatorTypeVocab-1.1 → indicator_types (the elevator's labels; open vocabulary in 2.1). */
export const INDICATOR_TYPE_MAP: Readonly<Record<string, string>> = {
  anonymization: 'anonymization',
  c2: 'command-and-control',
  'domain watchlist': 'domain-watchlist',
  exfiltration: 'exfiltration',
  'file hash watchlist': 'file-hash-watchlist',
  'host characteristics': 'host-characteristics',
  'ip watchlist': 'ip-watchlist',
  'malicious e-mail': 'malicious-email',
  'malware artifacts': 'malware-artifacts',
  'url watchlist': 'url-watchlist',
  'imei watchlist': 'imei-watchlist',
  'imsi watchlist': 'imsi-watchlist',
};

/** HighMediumLowVocab → confidence (elevator scale). */
export const CONFIDENCE_MAP: Readonly<Record<string, number>> = { none: 0, low: 15, medium: 50, high: 85 };

/** A STIX 1 confidence: High/Medium/Low/None (the default vocabulary) or a whole percentage 0–100 as written. */
export function confidenceOf(text: string): number | undefined {
  const t = text.trim().replace(/%$/, '');
  if (/^\d{1,3}$/.test(t) && Number(t) <= 100) return Number(t);
  return CONFIDENCE_MAP[t.toLowerCase()];
}

/** Kill chain names as STIX 1 writes them → STIX 2.1 kill_chain_name. */
export const KILL_CHAIN_NAMES: Readonly<Record<string, string>> = {
  'lmco kill chain': 'lockheed-martin-cyber-kill-chain',
  'lockheed martin cyber kill chain': 'lockheed-martin-cyber-kill-chain',
};

/** CybOX HashNameVocab → STIX 2.1 hash-algorithm-ov keys. */
export const HASH_NAMES: Readonly<Record<string, string>> = {
  MD5: 'MD5',
  MD6: 'MD6',
  SHA1: 'SHA-1',
  'SHA-1': 'SHA-1',
  SHA224: 'SHA-224',
  SHA256: 'SHA-256',
  'SHA-256': 'SHA-256',
  SHA384: 'SHA-384',
  SHA512: 'SHA-512',
  'SHA-512': 'SHA-512',
  SSDEEP: 'SSDEEP',
  TLSH: 'TLSH',
};

/** STIX 2.1 hash keys → CybOX hash type names (export). */
export const HASH_NAMES_OUT: Readonly<Record<string, string>> = {
  MD5: 'MD5',
  'SHA-1': 'SHA1',
  'SHA-224': 'SHA224',
  'SHA-256': 'SHA256',
  'SHA-384': 'SHA384',
  'SHA-512': 'SHA512',
  SSDEEP: 'SSDEEP',
};

/** CybOX registry hive names (abbreviations are expanded by the elevator too). */
export const REGISTRY_HIVES: Readonly<Record<string, string>> = {
  HKLM: 'HKEY_LOCAL_MACHINE',
  HKCU: 'HKEY_CURRENT_USER',
  HKCR: 'HKEY_CLASSES_ROOT',
  HKU: 'HKEY_USERS',
  HKCC: 'HKEY_CURRENT_CONFIG',
};
