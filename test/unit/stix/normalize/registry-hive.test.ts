/**
 * STIX 2.1 §6.17: the hive of a registry key is written in full. The pipeline expands the abbreviations (HKLM,
 * HKCU, …), reports it, and derives the SCO id from the expanded key.
 */
import { deterministicScoId } from '../../../../src/stix/identifiers';
import { normalizeObject } from '../../../../src/stix/normalize/normalize-object';
import { expandRegistryHive } from '../../../../src/stix/values';

describe('registry hives', () => {
  it('when a key starts with an abbreviated hive, then it is written in full and other keys are unchanged', () => {
    expect(expandRegistryHive('HKLM\\Software\\Run')).toBe('HKEY_LOCAL_MACHINE\\Software\\Run');
    expect(expandRegistryHive('hkcu\\Environment')).toBe('HKEY_CURRENT_USER\\Environment');
    expect(expandRegistryHive('HKU')).toBe('HKEY_USERS');
    expect(expandRegistryHive('HKEY_CLASSES_ROOT\\.exe')).toBe('HKEY_CLASSES_ROOT\\.exe');
    expect(expandRegistryHive('HKLMX\\Software')).toBe('HKLMX\\Software');
  });

  it('when a posted registry key abbreviates its hive, then the stored SCO has the full hive and the id of that key', () => {
    const r = normalizeObject({
      type: 'windows-registry-key',
      spec_version: '2.1',
      id: 'windows-registry-key--2ba37ae7-2745-5082-9dfd-9486dad41016',
      key: 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run',
    });
    expect(r.object['key']).toBe('HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run');
    expect(r.object['id']).toBe(deterministicScoId({ type: 'windows-registry-key', key: r.object['key'] }));
    expect(r.changes.map((c) => c.code)).toContain('REGISTRY_HIVE_ABBREVIATED');
  });
});
