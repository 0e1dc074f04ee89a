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

describe('US-CERT ISA marking shapes', () => {
  const xml = readFileSync(join(__dirname, '../../../fixtures/corpus/stix1-to-stix21/uscert-isa-marking.xml'));
  const r = importStix1(xml, OPTS);
  const TLP1_RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';

  it('when a package carries ISA markings (no TLP), then every object is marked TLP:RED and the ISA terms are kept as statements', () => {
    expect(stixOutputProblems(r.objects)).toEqual([]);
    const statements = r.objects
      .filter((o) => o.type === 'marking-definition')
      .map((o) => JSON.stringify(o['definition']))
      .join('\n');
    expect(statements).toContain('ControlSet=CLS:U FD:AIS FD:FOUO');
    expect(statements).toContain('sharingScope=USA.USG');
    expect(statements).toContain('PolicyRef=urn:isa:policy:acs:ns:v3.0?privdefault=deny&sharedefault=deny');
    for (const o of r.objects.filter((x) => x.type !== 'marking-definition')) expect(o['object_marking_refs']).toContain(TLP1_RED);
    expect(r.issues.filter((i) => i.code === 'STIX1_MARKING_UNSUPPORTED').map((i) => i.message)).toEqual([
      expect.stringContaining('ISAMarkingsType is not mapped: what it marks is marked TLP:RED (fail closed)'),
      expect.stringContaining('ISAMarkingsAssertionType is not mapped: what it marks is marked TLP:RED (fail closed)'),
    ]);
  });

  it('when an address has a related address of the same type, then each is its own observation (not one unsatisfiable object)', () => {
    const ind = r.objects.find((o) => o.type === 'indicator');
    expect(ind?.['pattern']).toBe("[ipv4-addr:value = '203.0.113.41'] AND [ipv4-addr:value = '203.0.113.42']");
  });

  it('when a TLP marking has a colour outside TLP, then what it marks is TLP:RED', () => {
    const odd = importStix1(
      `<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:marking="http://data-marking.mitre.org/Marking-1"
        xmlns:tlpMarking="http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1" xmlns:indicator="http://stix.mitre.org/Indicator-2"
        xmlns:cybox="http://cybox.mitre.org/cybox-2" xmlns:AddressObj="http://cybox.mitre.org/objects#AddressObject-2"
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ex="http://example.com"
        id="ex:Package-2a0e0000-0000-4000-8000-000000000001" version="1.1.1" timestamp="2026-11-03T08:00:00Z">
        <stix:STIX_Header><stix:Handling><marking:Marking><marking:Controlled_Structure>//node()</marking:Controlled_Structure>
        <marking:Marking_Structure xsi:type="tlpMarking:TLPMarkingStructureType" color="PURPLE"/></marking:Marking></stix:Handling></stix:STIX_Header>
        <stix:Indicators><stix:Indicator id="ex:indicator-2a0e0000-0000-4000-8000-000000000002" xsi:type="indicator:IndicatorType">
        <indicator:Observable id="ex:Observable-2a0e0000-0000-4000-8000-000000000003"><cybox:Object>
        <cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr"><AddressObj:Address_Value>203.0.113.43</AddressObj:Address_Value></cybox:Properties>
        </cybox:Object></indicator:Observable></stix:Indicator></stix:Indicators></stix:STIX_Package>`,
      OPTS,
    );
    expect(odd.objects.find((o) => o.type === 'indicator')?.['object_marking_refs']).toEqual([TLP1_RED]);
  });
});
