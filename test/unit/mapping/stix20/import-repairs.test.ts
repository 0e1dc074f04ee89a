import { repairStix20Object } from '../../../../src/mapping/stix20/import-repairs';
import type { StixObject } from '../../../../src/mapping/types';

const observed = (artifact: Record<string, unknown>): StixObject => ({
  type: 'observed-data',
  id: 'observed-data--9a28189d-2670-4ba6-b968-d3c475b1ec0a',
  created: '2017-05-22T13:03:55.429Z',
  modified: '2017-05-22T13:03:55.429Z',
  first_observed: '2017-05-22T13:03:55.429Z',
  last_observed: '2017-05-22T13:03:55.429Z',
  number_observed: 1,
  objects: { '0': { type: 'file', name: 'tabby.png' }, '1': artifact },
});
const HASHES = { 'SHA-256': 'effb46bba03f6c8aea5c653f9cf984f170dcdd3bbbe2ff6843c3e5da0e698766' };

describe('repairStix20Object: artifacts in observed-data', () => {
  it('when payload_bin is not base64, then it is removed, named in the issue, and the hashes and MIME type stay', () => {
    const r = repairStix20Object(
      observed({ type: 'artifact', mime_type: 'image/png', payload_bin: 'VBORw0KGgo== ...', hashes: HASHES }),
      '/objects/0',
    );
    expect(r.object['objects']).toEqual({
      '0': { type: 'file', name: 'tabby.png' },
      '1': { type: 'artifact', mime_type: 'image/png', hashes: HASHES },
    });
    expect(r.issues.map((i) => [i.code, i.path, i.message])).toEqual([
      [
        'STIX20_VALUE_REPAIRED',
        '/objects/0/objects/1/payload_bin',
        'artifact payload_bin "VBORw0KGgo== ..." is not base64: removed, the artifact keeps its other properties',
      ],
    ]);
  });

  it('when payload_bin is base64 wrapped on several lines, then the white space is removed and the payload kept', () => {
    const r = repairStix20Object(observed({ type: 'artifact', payload_bin: 'aGVsbG8g\r\nd29ybGQ=' }), '/objects/0');
    expect(r.object['objects']).toMatchObject({ '1': { payload_bin: 'aGVsbG8gd29ybGQ=' } });
    expect(r.issues.map((i) => i.code)).toEqual(['STIX20_VALUE_REPAIRED']);
  });

  it('when payload_bin is valid base64, then the object is returned unchanged', () => {
    const o = observed({ type: 'artifact', payload_bin: 'aGVsbG8gd29ybGQ=' });
    const r = repairStix20Object(o, '/objects/0');
    expect(r.object).toBe(o);
    expect(r.issues).toEqual([]);
  });
});
