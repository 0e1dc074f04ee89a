import { exportStix1 } from '../../../../src/mapping/stix1/export';
import { importStix1 } from '../../../../src/mapping/stix1/import';

const T = '2024-03-01T10:00:00.000Z';
const ACME = {
  type: 'identity',
  spec_version: '2.1',
  id: 'identity--0f3e1a52-7a7c-4c1e-9d53-3d1f8f2b6a01',
  created: T,
  modified: T,
  name: 'ACME CERT',
  identity_class: 'organization',
};
const CAMPAIGN = {
  type: 'campaign',
  spec_version: '2.1',
  id: 'campaign--5c2b6a4e-1f0d-4a6b-8e6c-2a9e0b7c1d02',
  created: T,
  modified: T,
  name: 'Compromise of ATM machines',
  created_by_ref: ACME.id,
  external_references: [
    { source_name: 'ACME', url: 'https://acme.example/reports/atm' },
    { source_name: 'ACME Bugzilla', external_id: '1370' },
  ],
};

describe('STIX 1 export: information sources', () => {
  it('when an SDO has a producer and external references, then they are written in its Information_Source and the URL-less one is reported', () => {
    const out = exportStix1([ACME, CAMPAIGN]);
    expect(out.output).toContain(
      '<campaign:Information_Source><stixCommon:Identity><stixCommon:Name>ACME CERT</stixCommon:Name></stixCommon:Identity>' +
        '<stixCommon:References><stixCommon:Reference>https://acme.example/reports/atm</stixCommon:Reference></stixCommon:References></campaign:Information_Source>',
    );
    const lost = out.issues.filter((i) => i.code === 'STIX1_EXPORT_PROPERTY_UNMAPPED');
    expect(lost.map((i) => [i.objectId, i.message])).toEqual([
      [CAMPAIGN.id, 'external references without URL have no STIX 1.x place: "ACME Bugzilla 1370"'],
    ]);
  });

  it('when an indicator has external references with URLs, then a re-import of its Producer gives them back', () => {
    const ind = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--3a1c6d2e-8b4f-4e0a-9c7d-1e2f3a4b5c03',
      created: T,
      modified: T,
      pattern: "[domain-name:value = 'c2.example.net']",
      pattern_type: 'stix',
      valid_from: T,
      created_by_ref: ACME.id,
      external_references: [{ source_name: 'ACME', url: 'https://acme.example/ioc/1' }],
    };
    const back = importStix1(exportStix1([ACME, ind]).output, { now: T });
    const again = back.objects.find((o) => o.id === ind.id);
    expect(again?.['external_references']).toEqual([{ source_name: 'ACME CERT', url: 'https://acme.example/ioc/1' }]);
  });
});
