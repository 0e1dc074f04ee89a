import { exportStix1 } from '../../../../src/mapping/stix1/export';
import { importStix1 } from '../../../../src/mapping/stix1/import';
import type { StixObject } from '../../../../src/mapping/types';

const OPTS = { now: '2024-01-01T00:00:00Z' };
// STIX 1 colours come back as the TLP 1.0 definitions of STIX 2.1 §7.2.1.4.
const TLP1_RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
const TLP1_GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';
const TLP1_AMBER = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82';
const T = '2026-01-01T00:00:00.000Z';

const IP = 'ipv4-addr--5e3f2b9a-0c54-5b8e-9a3c-7d1e2f4a6b8c';
const OBSERVED = 'observed-data--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const DOMAIN = 'domain-name--7d1e2f4a-6b8c-5e3f-9b9a-0c545b8e9a3c';

const MIXED: StixObject[] = [
  {
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    created: T,
    modified: T,
    pattern: "[domain-name:value = 'red.example']",
    pattern_type: 'stix',
    valid_from: T,
    object_marking_refs: [TLP1_RED],
  },
  { type: 'ipv4-addr', spec_version: '2.1', id: IP, value: '198.51.100.9' },
  {
    type: 'observed-data',
    spec_version: '2.1',
    id: OBSERVED,
    created: T,
    modified: T,
    first_observed: T,
    last_observed: T,
    number_observed: 1,
    object_refs: [IP],
    object_marking_refs: [TLP1_GREEN],
  },
  { type: 'domain-name', spec_version: '2.1', id: DOMAIN, value: 'bare.example', object_marking_refs: [TLP1_AMBER] },
];

function markingsByValue(objects: readonly StixObject[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of objects) {
    const key = typeof o['value'] === 'string' ? o['value'] : typeof o['pattern'] === 'string' ? o['pattern'] : o.type;
    out[key] = o['object_marking_refs'];
  }
  return out;
}

describe('STIX 1 observables and their markings', () => {
  it('when marked observed-data and bare SCOs are exported, then the package header marks each observable by id with its own TLP', () => {
    const { output } = exportStix1(MIXED);
    const header = /<stix:STIX_Header>.*<\/stix:STIX_Header>/s.exec(output)?.[0] ?? '';
    expect(header).toContain(
      `<marking:Controlled_Structure>//cybox:Observable[@id='gateway:Observable-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d']/descendant-or-self::node()`,
    );
    expect(header).toMatch(/Observable-1a2b3c4d[^<]*<\/marking:Controlled_Structure><marking:Marking_Structure [^>]*color="GREEN"/);
    expect(header).toMatch(/Observable-7d1e2f4a[^<]*<\/marking:Controlled_Structure><marking:Marking_Structure [^>]*color="AMBER"/);
    // the indicator keeps its own Handling; RED does not leak onto the header
    expect(header).not.toContain('color="RED"');
  });

  it('when the export is imported again, then every observable and its SCOs come back with their own marking and no other', () => {
    const back = importStix1(exportStix1(MIXED).output, OPTS).objects;
    expect(markingsByValue(back)).toMatchObject({
      "[domain-name:value = 'red.example']": [TLP1_RED],
      '198.51.100.9': [TLP1_GREEN],
      'bare.example': [TLP1_AMBER],
    });
    const observed = back.filter((o) => o.type === 'observed-data').map((o) => o['object_marking_refs']);
    expect(observed).toEqual(expect.arrayContaining([[TLP1_GREEN], [TLP1_AMBER]]));
  });

  it('when a TLP:RED package holds an observable, then the SCOs made from it are marked RED too (never left to the collection default)', () => {
    const xml =
      `<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:cybox="http://cybox.mitre.org/cybox-2" ` +
      `xmlns:AddressObj="http://cybox.mitre.org/objects#AddressObject-2" xmlns:marking="http://data-marking.mitre.org/Marking-1" ` +
      `xmlns:tlpMarking="http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1" ` +
      `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ex="http://example.com" ` +
      `id="ex:Package-1b5c9a2e-3f1d-4c6e-9b7a-2d8e4f6a1c3b" version="1.2" timestamp="2026-01-02T03:04:05Z">` +
      `<stix:STIX_Header><stix:Handling><marking:Marking><marking:Controlled_Structure>//node() | //@*</marking:Controlled_Structure>` +
      `<marking:Marking_Structure xsi:type="tlpMarking:TLPMarkingStructureType" color="RED"/></marking:Marking></stix:Handling></stix:STIX_Header>` +
      `<stix:Observables cybox_major_version="2" cybox_minor_version="1"><cybox:Observable id="ex:Observable-2b5c9a2e-3f1d-4c6e-9b7a-2d8e4f6a1c3b">` +
      `<cybox:Object><cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr">` +
      `<AddressObj:Address_Value>198.51.100.7</AddressObj:Address_Value></cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>` +
      `</stix:STIX_Package>`;
    const objects = importStix1(xml, OPTS).objects;
    const ip = objects.find((o) => o.type === 'ipv4-addr');
    expect(ip?.['object_marking_refs']).toEqual([TLP1_RED]);
  });

  it('when a header marking names observables in any other XPath form, then it marks the whole package (never under-marks)', () => {
    const xml = exportStix1(MIXED).output.replace(
      "//cybox:Observable[@id='gateway:Observable-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d']/descendant-or-self::node() | ",
      '//cybox:Observable[1]/descendant-or-self::node() | ',
    );
    const back = importStix1(xml, OPTS).objects;
    const indicator = back.find((o) => o.type === 'indicator');
    expect(indicator?.['object_marking_refs']).toEqual(expect.arrayContaining([TLP1_RED, TLP1_GREEN]));
  });

  it('when the header Handling holds scoped markings and a structure outside any Marking, then that structure still marks the whole package', () => {
    const xml = exportStix1(MIXED).output.replace(
      '<stix:Handling>',
      '<stix:Handling><marking:Marking_Structure xsi:type="tlpMarking:TLPMarkingStructureType" color="RED"/>',
    );
    const back = importStix1(xml, OPTS).objects;
    const ip = back.find((o) => o.type === 'ipv4-addr');
    expect(ip?.['object_marking_refs']).toEqual(expect.arrayContaining([TLP1_RED, TLP1_GREEN]));
  });
});
