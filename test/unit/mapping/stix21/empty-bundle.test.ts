import { exportStix21 } from '../../../../src/mapping/stix21/export';
import { importStix1 } from '../../../../src/mapping/stix1/import';

describe('exportStix21 of nothing', () => {
  it('when a STIX 1 package converts to no object, then the bundle omits "objects" instead of writing an empty list', () => {
    const xml =
      '<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" id="x:Package-1" version="1.2" timestamp="2020-01-01T00:00:00Z">' +
      '<stix:STIX_Header><stix:Title>empty</stix:Title></stix:STIX_Header></stix:STIX_Package>';
    const imported = importStix1(xml, { now: '2024-01-01T00:00:00Z' });
    expect(imported.objects).toEqual([]);
    expect(imported.issues.map((i) => i.code)).toContain('STIX1_NOTHING_CONVERTED');
    const bundle: unknown = JSON.parse(exportStix21(imported.objects).output);
    expect(bundle).toEqual({ type: 'bundle', id: expect.stringMatching(/^bundle--/) });
  });
});
