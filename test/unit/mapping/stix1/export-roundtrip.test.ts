import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseXml } from '../../../../src/mapping/common/xml';
import { exportStix1 } from '../../../../src/mapping/stix1/export';
import { importStix1 } from '../../../../src/mapping/stix1/import';
import type { StixObject } from '../../../../src/mapping/types';
import { stixOutputProblems } from '../../../helpers/stix-output';

const OPTS = { now: '2024-01-01T00:00:00Z' };
const AMBER_STRICT = 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003';
// A STIX 1 RED comes back as the TLP 1.0 red of STIX 2.1 §7.2.1.4.
const TLP1_RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';

function ind(id: string, pattern: string, extra: Record<string, unknown> = {}): StixObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: '2021-01-01T00:00:00Z',
    modified: '2021-01-01T00:00:00Z',
    pattern,
    pattern_type: 'stix',
    valid_from: '2021-01-01T00:00:00Z',
    ...extra,
  };
}

describe('exportStix1', () => {
  it('when a package is imported, exported and re-imported, then indicator ids, patterns and TLP are kept', () => {
    const input = readFileSync(join(__dirname, '../../../fixtures/mapping/stix1/indicators-prefixes-tlp.input.xml'));
    const first = importStix1(input, OPTS);
    const exported = exportStix1(first.objects, { prefix: 'cert', namespace: 'https://cert.example/stix' });
    expect(parseXml(exported.output, { format: 'STIX 1.x' }).issues).toEqual([]);
    const again = importStix1(exported.output, OPTS);
    const before = first.objects.filter((o) => o.type === 'indicator');
    for (const o of before) {
      const back = again.objects.find((x) => x.id === o.id);
      expect(back?.['pattern']).toBe(o['pattern']);
      expect(back?.['object_marking_refs']).toEqual(o['object_marking_refs']);
    }
  });

  it('when an indicator is TLP:AMBER+STRICT, then it is written as RED (never widened) with an issue', () => {
    const out = exportStix1([
      ind('indicator--6a0b1e1c-1d0b-4d5e-9a77-1c2d3e4f5a6b', "[url:value = 'http://x.example/a']", { object_marking_refs: [AMBER_STRICT] }),
    ]);
    expect(out.output).toContain('color="RED"');
    expect(out.issues.map((i) => i.code)).toContain('STIX1_EXPORT_TLP_NARROWED');
    const back = importStix1(out.output, OPTS).objects.find((o) => o.type === 'indicator');
    expect(back?.['object_marking_refs']).toEqual([TLP1_RED]);
  });

  it('when a pattern uses a qualifier, then the pattern goes to the description and an issue is reported', () => {
    const pattern = "[file:name = 'a.exe'] REPEATS 5 TIMES";
    const out = exportStix1([ind('indicator--7a0b1e1c-1d0b-4d5e-9a77-1c2d3e4f5a6b', pattern)]);
    expect(out.issues.map((i) => i.code)).toEqual(['STIX1_EXPORT_PATTERN_UNSUPPORTED']);
    expect(out.output).toContain('REPEATS 5 TIMES');
  });

  it('when values need escaping, then the XML stays well-formed and values survive the round trip', () => {
    const pattern = "[file:name = 'a<b>&\\'c.exe' AND file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']";
    const out = exportStix1([ind('indicator--8a0b1e1c-1d0b-4d5e-9a77-1c2d3e4f5a6b', pattern)]);
    const back = importStix1(out.output, OPTS).objects.find((o) => o.type === 'indicator');
    expect(back?.['pattern']).toBe(pattern);
  });
});

const DIR = join(__dirname, '../../../fixtures/mapping/stix1');

describe('exportStix1 round trip of the fixtures', () => {
  const cases = ['ciscp-ais-killchain', 'cybox-observables-only', 'mechanisms-ttp-incident', 'indicators-prefixes-tlp'];

  it.each(cases)('when %s is imported, exported and re-imported, then every object comes back with the same id and pattern', (name) => {
    const first = importStix1(readFileSync(join(DIR, `${name}.input.xml`)), OPTS);
    const exported = exportStix1(first.objects);
    expect(parseXml(exported.output, { format: 'STIX 1.x' }).issues).toEqual([]);
    const again = importStix1(exported.output, OPTS);
    const back = new Map(again.objects.map((o) => [o.id, o]));
    const lost = first.objects.filter((o) => !back.has(o.id));
    expect(lost.map((o) => o.id)).toEqual([]);
    for (const o of first.objects.filter((x) => x.type === 'indicator')) expect(back.get(o.id)?.['pattern']).toBe(o['pattern']);
    expect(stixOutputProblems(again.objects)).toEqual([]);
  });

  it('when SDOs and their relationships are exported, then each becomes its STIX 1 construct holding the relationship', () => {
    const first = importStix1(readFileSync(join(DIR, 'ciscp-ais-killchain.input.xml')), OPTS);
    const out = exportStix1(first.objects).output;
    expect(out).toContain('<stix:Threat_Actor id="gateway:threatactor-e0000000-0000-4000-8000-000000000002"');
    expect(out).toContain('<ta:Observed_TTPs><ta:Observed_TTP><stixCommon:TTP idref="gateway:ttp-c0000000-0000-4000-8000-000000000001"');
    expect(out).toContain(
      '<campaign:Attribution><campaign:Attributed_Threat_Actor><stixCommon:Threat_Actor idref="gateway:threatactor-e0000000-0000-4000-8000-000000000002"',
    );
    expect(out).toContain('<et:CVE_ID>CVE-2017-11882</et:CVE_ID>');
    expect(out).toContain('<indicator:Sightings sightings_count="2">');
    expect(out).toContain(
      'name="Delivery" kill_chain_name="LM Cyber Kill Chain" phase_id="stix:KillChainPhase-79a0e041-9d5f-49bb-ada4-8322622b162d"',
    );
    expect(out).toContain('<indicator:Type xsi:type="stixVocabs:IndicatorTypeVocab-1.1">Malicious E-mail</indicator:Type>');
  });

  it('when observed-data holds several objects, then they become one Observable with an AND composition and the SCO values', () => {
    const first = importStix1(readFileSync(join(DIR, 'cybox-observables-only.input.xml')), OPTS);
    const out = exportStix1(first.objects).output;
    // (the observed-data's count and times come first: sighting_count and Observable_Source, second slider round)
    expect(out).toMatch(
      /<cybox:Observable id="gateway:Observable-5e000000-0000-4000-8000-000000000004" sighting_count="1"><cybox:Observable_Source>.*?<\/cybox:Observable_Source><cybox:Observable_Composition operator="AND">/,
    );
    expect(out).toContain('<HostnameObj:Hostname_Value>c2.bad.example</HostnameObj:Hostname_Value>');
    expect(out).toContain('<WinExecutableFileObj:Name>.text</WinExecutableFileObj:Name>');
    expect(out).toContain('<NetworkConnectionObj:Layer7_Protocol>HTTP</NetworkConnectionObj:Layer7_Protocol>');
  });

  it('when the producer has a location, then the export writes it as a CIQ address and the AIS statement as an AIS marking', () => {
    const first = importStix1(readFileSync(join(DIR, 'ciscp-ais-killchain.input.xml')), OPTS);
    const out = exportStix1(first.objects);
    expect(out.output).toContain('<xal:Country><xal:NameElement xal:NameCode="US"/></xal:Country>');
    expect(out.output).toContain(
      '<AIS:Is_Proprietary CISA_Proprietary="true"><AIS:AISConsent consent="USG"/><AIS:TLPMarking color="GREEN"/></AIS:Is_Proprietary>',
    );
    expect(out.issues.filter((i) => i.code === 'STIX1_EXPORT_UNSUPPORTED_OBJECT')).toEqual([]);
  });

  it('when an object type has no STIX 1 construct, then the export reports it by id', () => {
    // (a note is a Report of its own since the second slider round; an opinion still has no construct)
    const opinion = {
      type: 'opinion',
      spec_version: '2.1',
      id: 'opinion--1b2c3d4e-0000-4000-8000-000000000001',
      created: '2021-01-01T00:00:00Z',
      modified: '2021-01-01T00:00:00Z',
      opinion: 'agree',
      object_refs: ['indicator--8a0b1e1c-1d0b-4d5e-9a77-1c2d3e4f5a6b'],
    };
    const out = exportStix1([ind('indicator--8a0b1e1c-1d0b-4d5e-9a77-1c2d3e4f5a6b', "[ipv4-addr:value = '198.51.100.1']"), opinion]);
    expect(out.issues.map((i) => [i.code, i.objectId])).toEqual([['STIX1_EXPORT_UNSUPPORTED_OBJECT', opinion.id]]);
  });
});
