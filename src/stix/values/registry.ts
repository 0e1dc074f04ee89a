/**
 * Windows registry keys: STIX 2.1 §6.17 wants the hive of a key written in full. Pure.
 */

/** Abbreviated registry hives and their full names (STIX 2.1 §6.17: the hive MUST be written in full). */
const HIVES: Readonly<Record<string, string>> = {
  hklm: 'HKEY_LOCAL_MACHINE',
  hkcu: 'HKEY_CURRENT_USER',
  hkcr: 'HKEY_CLASSES_ROOT',
  hku: 'HKEY_USERS',
  hkcc: 'HKEY_CURRENT_CONFIG',
  hkpd: 'HKEY_PERFORMANCE_DATA',
};

/** The registry key with an abbreviated hive (`HKLM\Software`) written in full; other keys unchanged. */
export function expandRegistryHive(key: string): string {
  const m = /^(HK[A-Z]{1,2})(?=\\|$)/i.exec(key);
  const full = m === null ? undefined : HIVES[(m[1] ?? '').toLowerCase()];
  return full === undefined ? key : `${full}${key.slice((m?.[1] ?? '').length)}`;
}
