/**
 * The shapes of a US-CERT Malware Analysis Report package (test/fixtures/corpus/stix1-to-stix21/uscert-mar-shapes.xml,
 * synthetic): every observed value survives into valid STIX 2.1, those without a STIX 2.1 property as custom
 * properties of the observed file (they were reported and dropped), never as pattern terms.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importStix1 } from '../../../../src/mapping/stix1/import';
import { stixOutputProblems } from '../../../helpers/stix-output';

const XML = readFileSync(join(__dirname, '../../../fixtures/corpus/stix1-to-stix21/uscert-mar-shapes.xml'));
const OPTS = { now: '2024-01-01T00:00:00Z' };

describe('US-CERT MAR shapes', () => {
  const r = importStix1(XML, OPTS);

  it('when an observed executable has file format, entropies and version information, then the file keeps them as x_ properties', () => {
    expect(stixOutputProblems(r.objects)).toEqual([]);
    const file = r.objects.find((o) => o.type === 'file');
    expect(file).toMatchObject({
      name: 'mar-shape.exe',
      x_file_format: 'PE32 executable (GUI) Intel 80386, for MS Windows',
      x_peak_entropy: '6.1',
      x_headers_entropy: { value: '2.75' },
      x_resources: { version_info_resource: { file_version: '9.8.7.6', original_filename: 'mar-shape-orig.exe' } },
    });
    const kept = r.issues.find((i) => i.code === 'STIX1_PROPERTY_CUSTOM');
    expect(kept?.message).toContain('File_Format → x_file_format');
  });

  it('when a kept element repeats a value path (two packers), then it is not kept and stays reported', () => {
    const file = r.objects.find((o) => o.type === 'file');
    expect(file?.['x_packer_list']).toBeUndefined();
    expect(r.issues.some((i) => i.code === 'STIX1_PROPERTY_UNMAPPED' && i.message.includes('Packer_List'))).toBe(true);
  });

  it('when an indicator object has a property without a 2.1 path, then the pattern has no custom term and the property is reported', () => {
    const ind = r.objects.find((o) => o.type === 'indicator');
    expect(ind?.['pattern']).toBe("[file:hashes.MD5 = 'a1b2c3d4e5f60718293a4b5c6d7e8f90']");
    expect(ind?.['indicator_types']).toEqual(['malware-artifacts']);
    expect(ind?.['kill_chain_phases']).toEqual([{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'installation' }]);
    expect(r.issues.some((i) => i.code === 'STIX1_PROPERTY_UNMAPPED' && i.message.includes('Peak_Entropy'))).toBe(true);
  });
});
