/**
 * Third round: STIX 2.1 from other producers (an Amnesty-style set: a malware SDO, indicators that `indicate` it,
 * one of them on a custom observable type) → MISP → STIX 2.1. Before, the malware became a bare galaxy tag (its
 * description, aliases and is_family lost), and the pattern MISP cannot express came back as an x-misp-object
 * without its relationship. Synthetic bundle after the shape of the Amnesty investigations' STIX files.
 */
import { importMisp } from '../../../../src/mapping/misp/import';
import { exportMisp } from '../../../../src/mapping/misp/export';
import { prepareObjects } from '../../../../src/stix/prepare';
import type { StixObject } from '../../../../src/mapping/types';

const NOW = '2024-01-01T00:00:00.000Z';
const T = '2024-12-13T21:15:49.152Z';
const MALWARE = 'malware--0b7e3a10-0000-4000-8000-000000000001';

function indicator(n: number, pattern: string): StixObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--0b7e3a10-0000-4000-8000-00000000010${n}`,
    created: T,
    modified: T,
    indicator_types: ['malicious-activity'],
    pattern,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: T,
  };
}

function indicates(n: number): StixObject {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: `relationship--0b7e3a10-0000-4000-8000-00000000020${n}`,
    created: T,
    modified: T,
    relationship_type: 'indicates',
    source_ref: `indicator--0b7e3a10-0000-4000-8000-00000000010${n}`,
    target_ref: MALWARE,
  };
}

const BUNDLE: StixObject[] = [
  {
    type: 'malware',
    spec_version: '2.1',
    id: MALWARE,
    created: T,
    modified: T,
    name: 'SpyKit',
    description: 'IOCs for the SpyKit Android spyware',
    is_family: false,
    aliases: ['SK-Droid'],
    malware_types: ['spyware'],
    kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'installation' }],
    external_references: [{ source_name: 'report', url: 'https://example.org/spykit' }],
  },
  indicator(1, "[domain-name:value = 'c2.spykit.example']"),
  indicator(2, "[x-android-app:id = 'com.example.spykit']"),
  indicates(1),
  indicates(2),
];

function toMisp(objects: readonly StixObject[]): Record<string, unknown> {
  const event = (JSON.parse(exportMisp(objects).output) as { Event: Record<string, unknown> }).Event;
  return event;
}

function roundTrip(objects: readonly StixObject[]): StixObject[] {
  const back = importMisp(exportMisp(objects).output, { now: NOW }).objects;
  expect(prepareObjects(back, {}).filter((o) => !o.ok)).toEqual([]);
  return back;
}

describe('STIX 2.1 SDOs of other producers → MISP galaxy clusters (third round)', () => {
  it('when a malware SDO is exported, then the event lists its galaxy cluster with description, synonyms, kill chain, refs and is_family', () => {
    const galaxies = toMisp(BUNDLE)['Galaxy'] as { type: string; GalaxyCluster: Record<string, unknown>[] }[];
    expect(galaxies).toHaveLength(1);
    const cluster = galaxies[0]?.GalaxyCluster[0];
    expect(cluster).toMatchObject({
      uuid: '0b7e3a10-0000-4000-8000-000000000001',
      value: 'SpyKit',
      description: 'IOCs for the SpyKit Android spyware',
      meta: {
        synonyms: ['SK-Droid'],
        kill_chain: ['lockheed-martin-cyber-kill-chain:installation'],
        refs: ['https://example.org/spykit'],
        is_family: false,
        malware_types: ['spyware'],
      },
    });
  });

  it('when the indicated malware is exported, then each indicating attribute carries its tag and its cluster', () => {
    const event = toMisp(BUNDLE);
    const attribute = (event['Attribute'] as Record<string, unknown>[]).find((a) => a['value'] === 'c2.spykit.example');
    expect(attribute?.['Tag']).toEqual([{ name: 'misp-galaxy:malpedia="SpyKit"' }]);
    expect(JSON.stringify(attribute?.['Galaxy'])).toContain('"description":"IOCs for the SpyKit Android spyware"');
  });

  it('when the MISP event is read back, then the malware keeps its description, aliases, types and is_family', () => {
    const malware = roundTrip(BUNDLE).find((o) => o.type === 'malware');
    expect(malware).toMatchObject({
      id: MALWARE,
      name: 'SpyKit',
      description: 'IOCs for the SpyKit Android spyware',
      is_family: false,
      aliases: ['SK-Droid'],
      malware_types: ['spyware'],
      kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'installation' }],
    });
  });

  it('when a pattern MISP cannot express is read back, then it is an indicator again and still indicates the malware', () => {
    const back = roundTrip(BUNDLE);
    const custom = back.find((o) => o.type === 'indicator' && String(o['pattern']).includes('x-android-app'));
    expect(custom?.['pattern']).toBe("[x-android-app:id = 'com.example.spykit']");
    const links = back.filter((o) => o.type === 'relationship' && o['relationship_type'] === 'indicates' && o['target_ref'] === MALWARE);
    expect(links.map((r) => r['source_ref']).sort()).toEqual([BUNDLE[1]?.id, BUNDLE[2]?.id].sort());
  });

  it('when a stix2-pattern object is not for detection or does not parse, then it stays an x-misp-object (never a refused indicator)', () => {
    const event = {
      Event: {
        uuid: '0b7e3a10-0000-4000-8000-00000000e001',
        info: 'patterns',
        date: '2024-01-01',
        timestamp: '1704067200',
        Object: [
          ['0b7e3a10-0000-4000-8000-00000000c001', "[file:name = 'a.exe'", true],
          ['0b7e3a10-0000-4000-8000-00000000c002', "[file:name = 'b.exe']", false],
        ].map(([uuid, pattern, toIds]) => ({
          name: 'stix2-pattern',
          uuid,
          timestamp: '1704067200',
          Attribute: [{ object_relation: 'stix2-pattern', type: 'stix2-pattern', value: pattern, to_ids: toIds }],
        })),
      },
    };
    const objects = importMisp(JSON.stringify(event), { now: NOW }).objects;
    expect(objects.filter((o) => o.type === 'indicator')).toEqual([]);
    expect(objects.filter((o) => o.type === 'x-misp-object')).toHaveLength(2);
  });

  it("when an event holds misp-stix's stix-2.1 galaxy clusters, then they become SDOs with their meta properties", () => {
    const event = {
      Event: {
        uuid: '0b7e3a10-0000-4000-8000-00000000e002',
        info: 'clusters',
        date: '2024-01-01',
        timestamp: '1704067200',
        Galaxy: [
          {
            type: 'stix-2.1-threat-actor',
            GalaxyCluster: [
              {
                uuid: '0b7e3a10-0000-4000-8000-00000000d001',
                type: 'stix-2.1-threat-actor',
                value: 'Ugly Gorilla',
                description: 'An actor',
                meta: { synonyms: ['Greenfield'], roles: ['agent'], resource_level: 'government', threat_actor_types: ['spy'] },
              },
            ],
          },
        ],
      },
    };
    const actor = importMisp(JSON.stringify(event), { now: NOW }).objects.find((o) => o.type === 'threat-actor');
    expect(actor).toMatchObject({
      id: 'threat-actor--0b7e3a10-0000-4000-8000-00000000d001',
      name: 'Ugly Gorilla',
      description: 'An actor',
      aliases: ['Greenfield'],
      roles: ['agent'],
      resource_level: 'government',
      threat_actor_types: ['spy'],
    });
  });
});
