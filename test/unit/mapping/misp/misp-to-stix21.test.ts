import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importMisp } from '../../../../src/mapping/misp/import';
import { exportMisp } from '../../../../src/mapping/misp/export';
import { exportStix21 } from '../../../../src/mapping/stix21/export';
import { prepareObjects } from '../../../../src/stix/prepare';

const NOW = '2024-01-01T00:00:00.000Z';

function event(attributes: Record<string, unknown>[], tags: string[] = []): string {
  return JSON.stringify({
    Event: {
      uuid: '5c1e0000-0000-4000-8000-00000000b001',
      info: 'synthetic',
      date: '2024-01-01',
      timestamp: '1704067200',
      Orgc: { name: 'CERT-T', uuid: '5c1e0000-0000-4000-8000-000000000001' },
      Tag: tags.map((name) => ({ name })),
      Attribute: attributes,
    },
  });
}

describe('MISP → STIX 2.1 bundles', () => {
  it('when an event converts to nothing, then the bundle omits "objects" instead of writing an empty list', () => {
    const result = importMisp(JSON.stringify({ Event: { info: 'empty', Attribute: [] } }), { now: NOW });
    expect(result.objects).toEqual([]);
    const bundle = JSON.parse(exportStix21(result.objects).output) as Record<string, unknown>;
    expect(bundle['type']).toBe('bundle');
    expect('objects' in bundle).toBe(false);
  });

  it('when the same MISP file is imported twice, then ids and versions are identical (exact duplicates on re-ingest)', () => {
    const input = event([
      { uuid: '5c1e0000-0000-4000-8000-00000000b002', type: 'sha512/256', value: 'ab'.repeat(32), to_ids: true, timestamp: '1704067200' },
    ]);
    const first = importMisp(input, { now: NOW }).objects;
    const second = importMisp(input, { now: '2030-01-01T00:00:00.000Z' }).objects;
    expect(second.map((o) => [o.id, o['modified']])).toEqual(first.map((o) => [o.id, o['modified']]));
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it.each([
    ['sha512/224', 'ab'.repeat(28), "[file:hashes.'SHA512-224' = '" + 'ab'.repeat(28) + "']"],
    ['sha512/256', 'cd'.repeat(32), "[file:hashes.'SHA512-256' = '" + 'cd'.repeat(32) + "']"],
    ['authentihash', 'ef'.repeat(32), "[file:hashes.AUTHENTIHASH = '" + 'ef'.repeat(32) + "']"],
    ['vhash', '015076651d1bz', "[file:hashes.VHASH = '015076651d1bz']"],
    ['filename|sha512/256', 'a.exe|' + '01'.repeat(32), "[file:name = 'a.exe' AND file:hashes.'SHA512-256' = '" + '01'.repeat(32) + "']"],
    ['x509-fingerprint-sha256', '02'.repeat(32), "[x509-certificate:hashes.'SHA-256' = '" + '02'.repeat(32) + "']"],
    ['email-src-display-name', 'Jane Roe', "[email-message:from_ref.display_name = 'Jane Roe']"],
  ])('when a %s attribute has to_ids, then the indicator pattern is %s', (type, value, pattern) => {
    const result = importMisp(event([{ uuid: '5c1e0000-0000-4000-8000-00000000b003', type, value, to_ids: true }]), { now: NOW });
    const indicator = result.objects.find((o) => o.type === 'indicator');
    expect(indicator?.['pattern']).toBe(pattern);
  });

  it('when an attribute is tlp:red in a tlp:green event, then the green container does not list it', () => {
    const result = importMisp(
      event(
        [
          { uuid: '5c1e0000-0000-4000-8000-00000000b004', type: 'domain', value: 'green.example.com', to_ids: true },
          {
            uuid: '5c1e0000-0000-4000-8000-00000000b005',
            type: 'domain',
            value: 'red.example.com',
            to_ids: true,
            Tag: [{ name: 'tlp:red' }],
          },
        ],
        ['tlp:green'],
      ),
      { now: NOW },
    );
    const containers = result.objects.filter((o) => o.type === 'grouping');
    const green = containers.find((c) => c.id === 'grouping--5c1e0000-0000-4000-8000-00000000b001');
    const red = containers.find((c) => c.id !== green?.id);
    expect(green?.['object_refs']).not.toContain('indicator--5c1e0000-0000-4000-8000-00000000b005');
    expect(green?.['object_marking_refs']).toEqual(['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb']);
    expect(red?.['object_refs']).toContain('indicator--5c1e0000-0000-4000-8000-00000000b005');
    expect(red?.['object_marking_refs']).toEqual(['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1']);
  });

  it('when an attribute is tagged tlp:clear in a tlp:amber event, then it stays amber (a tag never widens the event)', () => {
    const result = importMisp(
      event(
        [{ uuid: '5c1e0000-0000-4000-8000-00000000b006', type: 'ip-dst', value: '192.0.2.1', to_ids: true, Tag: [{ name: 'tlp:clear' }] }],
        ['tlp:amber'],
      ),
      { now: NOW },
    );
    const indicator = result.objects.find((o) => o.type === 'indicator');
    expect(indicator?.['object_marking_refs']).toEqual(['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421']);
  });

  it('when a url attribute is not a URI and has no to_ids, then no url SCO is made (an x-misp-attribute keeps it)', () => {
    const result = importMisp(
      event([{ uuid: '5c1e0000-0000-4000-8000-00000000b007', type: 'url', value: 'evil.example.com/path', to_ids: false }]),
      { now: NOW },
    );
    expect(result.objects.some((o) => o.type === 'url')).toBe(false);
    expect(result.objects.find((o) => o.type === 'x-misp-attribute')?.['x_misp_value']).toBe('evil.example.com/path');
  });

  it('when an observed attribute carries a comment, then the observed-data keeps it and a MISP export restores it', () => {
    const result = importMisp(
      event([
        { uuid: '5c1e0000-0000-4000-8000-00000000b008', type: 'mutex', value: 'Global\\M', to_ids: false, comment: 'seen in memory' },
      ]),
      { now: NOW },
    );
    expect(result.objects.find((o) => o.type === 'observed-data')?.['x_misp_comment']).toBe('seen in memory');
    const back = JSON.parse(exportMisp(result.objects).output) as { Event: { Attribute: { type: string; comment: string }[] } };
    expect(back.Event.Attribute.map((a) => [a.type, a.comment])).toEqual([['mutex', 'seen in memory']]);
  });

  it('when an object of an unknown template has an observable attribute, then its other relations become x_misp_ properties', () => {
    const input = JSON.stringify({
      Event: {
        uuid: '5c1e0000-0000-4000-8000-00000000b010',
        info: 'unknown template',
        Object: [
          {
            name: 'original-imported-file',
            uuid: '5c1e0000-0000-4000-8000-00000000b011',
            Attribute: [
              { object_relation: 'imported-sample', type: 'attachment', value: 'report.xml', to_ids: false },
              { object_relation: 'format', type: 'text', value: 'STIX 1.1.1', to_ids: false },
            ],
          },
        ],
      },
    });
    const result = importMisp(input, { now: NOW });
    expect(result.objects.find((o) => o.type === 'file')).toMatchObject({ name: 'report.xml', x_misp_format: 'STIX 1.1.1' });
    expect(result.issues.map((i) => i.code)).toContain('MISP_OBJECT_ATTRIBUTE_CUSTOM');
  });

  it('when an attribute type has no STIX object, then an x-misp-attribute keeps type, value, category and comment, and MISP export restores them', () => {
    const result = importMisp(
      event([
        {
          uuid: '5c1e0000-0000-4000-8000-00000000b020',
          type: 'btc',
          category: 'Financial fraud',
          value: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
          to_ids: true,
          comment: 'wallet',
        },
        { uuid: '5c1e0000-0000-4000-8000-00000000b021', type: 'port', category: 'Network activity', value: '8443', to_ids: false },
      ]),
      { now: NOW },
    );
    expect(result.objects.some((o) => o.type === 'note')).toBe(false);
    expect(result.objects.find((o) => o.id === 'x-misp-attribute--5c1e0000-0000-4000-8000-00000000b020')).toMatchObject({
      x_misp_type: 'btc',
      x_misp_value: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
      x_misp_category: 'Financial fraud',
      x_misp_comment: 'wallet',
    });
    expect(result.issues.map((i) => i.code)).toContain('MISP_KEPT_AS_CUSTOM');
    const back = JSON.parse(exportMisp(result.objects).output) as {
      Event: { Attribute: { uuid: string; type: string; value: string; category: string; to_ids: boolean; comment: string }[] };
    };
    expect(back.Event.Attribute.map((a) => [a.uuid, a.type, a.value, a.category, a.to_ids, a.comment])).toEqual([
      ['5c1e0000-0000-4000-8000-00000000b020', 'btc', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 'Financial fraud', true, 'wallet'],
      ['5c1e0000-0000-4000-8000-00000000b021', 'port', '8443', 'Network activity', false, ''],
    ]);
  });

  it('when an object template has no observable attribute, then an x-misp-object holds every attribute and MISP export restores the object', () => {
    const input = JSON.stringify({
      Event: {
        uuid: '5c1e0000-0000-4000-8000-00000000b030',
        info: 'custom object',
        Object: [
          {
            uuid: '5c1e0000-0000-4000-8000-00000000b031',
            name: 'passport',
            'meta-category': 'misc',
            Attribute: [
              { type: 'first-name', object_relation: 'first-name', value: 'Jane', to_ids: false },
              { type: 'last-name', object_relation: 'last-name', value: 'Doe', to_ids: false },
            ],
          },
        ],
      },
    });
    const result = importMisp(input, { now: NOW });
    expect(result.objects.find((o) => o.id === 'x-misp-object--5c1e0000-0000-4000-8000-00000000b031')).toMatchObject({
      x_misp_name: 'passport',
      x_misp_meta_category: 'misc',
      x_misp_attributes: [
        { type: 'first-name', object_relation: 'first-name', value: 'Jane' },
        { type: 'last-name', object_relation: 'last-name', value: 'Doe' },
      ],
    });
    const back = JSON.parse(exportMisp(result.objects).output) as {
      Event: { Object: { name: string; Attribute: { object_relation: string; value: string }[] }[] };
    };
    expect(back.Event.Object.map((o) => [o.name, o.Attribute.map((a) => `${a.object_relation}=${a.value}`)])).toEqual([
      ['passport', ['first-name=Jane', 'last-name=Doe']],
    ]);
  });

  it('when a detection rule has no to_ids, then it is still an indicator with its rule language as pattern_type', () => {
    const result = importMisp(
      event([{ uuid: '5c1e0000-0000-4000-8000-00000000b040', type: 'yara', value: 'rule x { condition: true }', to_ids: false }]),
      { now: NOW },
    );
    expect(result.objects.find((o) => o.type === 'indicator')).toMatchObject({
      pattern: 'rule x { condition: true }',
      pattern_type: 'yara',
    });
  });

  it('when regkey|value and filename|imphash are observed, then their SCOs are valid (value name "", pe values kept as custom)', () => {
    const result = importMisp(
      event([
        { uuid: '5c1e0000-0000-4000-8000-00000000b050', type: 'regkey|value', value: 'HKLM\\Software\\x|data', to_ids: false },
        {
          uuid: '5c1e0000-0000-4000-8000-00000000b051',
          type: 'filename|imphash',
          value: 'a.exe|68f013d7437aa653a8a98a05807afeb1',
          to_ids: false,
        },
      ]),
      { now: NOW },
    );
    expect(result.objects.find((o) => o.type === 'windows-registry-key')).toMatchObject({ values: [{ name: '', data: 'data' }] });
    expect(result.objects.find((o) => o.type === 'file')).toMatchObject({
      name: 'a.exe',
      x_misp_windows_pebinary_ext: { imphash: '68f013d7437aa653a8a98a05807afeb1' },
    });
    expect(prepareObjects(result.objects, {}).filter((r) => !r.ok)).toEqual([]);
  });

  it('when a to_ids file object includes a pe object and its sections, then one indicator ANDs them on one file with indexed sections', () => {
    const event = JSON.parse(readFileSync(join(__dirname, '../../../fixtures/mapping/misp/file-pe-merge.input.json'), 'utf8')) as {
      Event: { Object: { Attribute: { to_ids: boolean }[] }[] };
    };
    const md5 = event.Event.Object[0]?.Attribute[1];
    if (md5 !== undefined) md5.to_ids = true;
    const result = importMisp(JSON.stringify(event), { now: NOW });
    const indicators = result.objects.filter((o) => o.type === 'indicator');
    expect(indicators.map((o) => o.id)).toEqual(['indicator--5c1e0000-0000-4000-8000-00000000d001']);
    const pattern = String(indicators[0]?.['pattern']);
    for (const term of [
      "file:name = 'oui.exe'",
      "file:hashes.MD5 = 'b2a5abfeef9e36964281a31e17b57c97'",
      "file:extensions.'windows-pebinary-ext'.imphash = '23ea835ab4b9017c74dfb023d2301c99'",
      "file:extensions.'windows-pebinary-ext'.pe_type = 'exe'",
      "file:extensions.'windows-pebinary-ext'.sections[0].name = '.rsrc'",
      "file:extensions.'windows-pebinary-ext'.sections[0].entropy = 7.836462238824369",
      "file:extensions.'windows-pebinary-ext'.sections[1].name = '.text'",
    ]) {
      expect(pattern).toContain(term);
    }
    expect(pattern).not.toContain("file:name = 'PuTTy'");
    expect(result.objects.some((o) => o.type === 'relationship')).toBe(false);
  });

  it('when a link has no to_ids, then it is a url observable too (misp-stix) and MISP export writes it back once', () => {
    const result = importMisp(
      event([{ uuid: '5c1e0000-0000-4000-8000-00000000b060', type: 'link', value: 'https://blog.example.org/post', to_ids: false }]),
      { now: NOW },
    );
    expect(result.objects.find((o) => o.type === 'url')?.['value']).toBe('https://blog.example.org/post');
    expect(result.objects.find((o) => o.id === 'observed-data--5c1e0000-0000-4000-8000-00000000b060')).toBeDefined();
    const back = JSON.parse(exportMisp(result.objects).output) as { Event: { Attribute: { type: string; value: string }[] } };
    expect(back.Event.Attribute.map((a) => [a.type, a.value])).toEqual([['link', 'https://blog.example.org/post']]);
  });
});
