/**
 * Third round of MISP object families after misp-stix's documented MISP object → STIX 2.1 mapping: an e-mail's
 * attachments are parts with `content_disposition: attachment` in the pattern too (misp-stix writes
 * `body_multipart[n].content_disposition = 'attachment'`), and what the importer writes reads back without
 * noise (the disposition is implied by the attachment relation; an indicator named after its template is not a
 * producer's name). Before, the pattern lacked the disposition and an observed e-mail came back with an
 * "unmapped STIX" comment and a MISP_EXPORT_VALUE_UNMAPPED warning per attachment.
 */
import { importMisp } from '../../../../src/mapping/misp/import';
import { exportMisp } from '../../../../src/mapping/misp/export';
import { prepareObjects } from '../../../../src/stix/prepare';
import { exportStix1 } from '../../../../src/mapping/stix1/export';
import { validateDocument } from '../../../../src/stix/conformance/validate-document';

const NOW = '2024-01-01T00:00:00.000Z';

function emailEvent(toIds: boolean): string {
  const attr = (relation: string, type: string, value: string): Record<string, unknown> => ({
    object_relation: relation,
    type,
    value,
    to_ids: toIds,
  });
  return JSON.stringify({
    Event: {
      uuid: '3e1f0000-0000-4000-8000-00000000e001',
      info: 'e-mail',
      date: '2024-01-01',
      timestamp: '1704067200',
      Object: [
        {
          name: 'email',
          uuid: '3e1f0000-0000-4000-8000-00000000c001',
          timestamp: '1704067200',
          Attribute: [
            attr('from', 'email-src', 'sender@example.org'),
            attr('attachment', 'email-attachment', 'invoice.doc'),
            attr('attachment', 'email-attachment', 'terms.pdf'),
          ],
        },
      ],
    },
  });
}

describe('MISP object families, third round', () => {
  it('when an e-mail object with attachments is for detection, then the pattern marks each part as an attachment', () => {
    const objects = importMisp(emailEvent(true), { now: NOW }).objects;
    expect(prepareObjects(objects, {}).filter((o) => !o.ok)).toEqual([]);
    const pattern = String(objects.find((o) => o.type === 'indicator')?.['pattern']);
    expect(pattern).toContain(
      "body_multipart[0].body_raw_ref.name = 'invoice.doc' AND email-message:body_multipart[0].content_disposition = 'attachment'",
    );
    expect(pattern).toContain(
      "body_multipart[1].body_raw_ref.name = 'terms.pdf' AND email-message:body_multipart[1].content_disposition = 'attachment'",
    );
  });

  it.each([true, false])(
    'when an e-mail object with attachments (to_ids %s) goes to STIX and back, then nothing is reported unmapped',
    (toIds) => {
      const result = exportMisp(importMisp(emailEvent(toIds), { now: NOW }).objects);
      expect(result.issues.map((i) => i.code)).not.toContain('MISP_EXPORT_VALUE_UNMAPPED');
      const event = (
        JSON.parse(result.output) as { Event: { Object: { name: string; comment: string; Attribute: { value: string }[] }[] } }
      ).Event;
      expect(event.Object.map((o) => [o.name, o.comment])).toEqual([['email', '']]);
      expect(event.Object[0]?.Attribute.map((a) => a.value).sort()).toEqual(['invoice.doc', 'sender@example.org', 'terms.pdf']);
    },
  );
});

describe('strict validity of what the MISP importer writes (third round)', () => {
  function strictErrors(event: Record<string, unknown>): string[] {
    const objects = importMisp(JSON.stringify({ Event: event }), { now: NOW }).objects;
    return validateDocument({ type: 'bundle', id: 'bundle--3e1f0000-0000-4000-8000-0000000000b9', objects })
      .issues.filter((i) => i.severity === 'error')
      .map((i) => `${i.code} ${i.message}`);
  }
  const base = { uuid: '3e1f0000-0000-4000-8000-00000000e006', info: 'validity', date: '2024-01-01', timestamp: '1704067200' };

  it('when an attribute has a sighting, then the sighting is one instant (first_seen, no equal last_seen) and validates strictly', () => {
    const event = {
      ...base,
      Attribute: [{ type: 'domain', value: 'evil.example', to_ids: true, Sighting: [{ type: '0', date_sighting: '1704067300' }] }],
    };
    const sighting = importMisp(JSON.stringify({ Event: event }), { now: NOW }).objects.find((o) => o.type === 'sighting');
    expect(sighting?.['first_seen']).toBeDefined();
    expect(sighting?.['last_seen']).toBeUndefined();
    expect(strictErrors(event)).toEqual([]);
  });

  it('when a connection was seen at one instant (first-seen = last-seen), then the traffic has a start and no equal end', () => {
    const when = '2024-01-01T10:00:00Z';
    const event = {
      ...base,
      Object: [
        {
          name: 'network-connection',
          uuid: '3e1f0000-0000-4000-8000-00000000c030',
          Attribute: [
            { object_relation: 'ip-dst', type: 'ip-dst', value: '198.51.100.9' },
            { object_relation: 'first-packet-seen', type: 'datetime', value: when },
            { object_relation: 'last-packet-seen', type: 'datetime', value: when },
          ],
        },
      ],
    };
    const traffic = importMisp(JSON.stringify({ Event: event }), { now: NOW }).objects.find((o) => o.type === 'network-traffic');
    expect(traffic?.['end']).toBeUndefined();
    expect(strictErrors(event)).toEqual([]);
  });

  it('when a cpe-asset names its language, then an ISO 639-2 code is lower-cased and a language name stays a custom property', () => {
    const object = (uuid: string, language: string): Record<string, unknown> => ({
      name: 'cpe-asset',
      uuid,
      Attribute: [
        { object_relation: 'product', type: 'text', value: `Office ${language}` },
        { object_relation: 'language', type: 'text', value: language },
      ],
    });
    const event = {
      ...base,
      Object: [object('3e1f0000-0000-4000-8000-00000000c031', 'ENG'), object('3e1f0000-0000-4000-8000-00000000c032', 'English')],
    };
    const software = importMisp(JSON.stringify({ Event: event }), { now: NOW }).objects.filter((o) => o.type === 'software');
    expect(software.map((o) => [o['languages'], o['x_misp_language']])).toEqual([
      [['eng'], undefined],
      [undefined, 'English'],
    ]);
    expect(strictErrors(event)).toEqual([]);
  });
});

describe('MISP object references (third round)', () => {
  it('when an object reference has a comment, then the relationship describes the link with it, and it comes back', () => {
    const input = JSON.stringify({
      Event: {
        uuid: '3e1f0000-0000-4000-8000-00000000e005',
        info: 'references',
        timestamp: '1704067200',
        Object: [
          {
            name: 'file',
            uuid: '3e1f0000-0000-4000-8000-00000000c020',
            Attribute: [{ object_relation: 'filename', type: 'filename', value: 'dropper.bin' }],
            ObjectReference: [
              {
                uuid: '3e1f0000-0000-4000-8000-00000000b020',
                referenced_uuid: '3e1f0000-0000-4000-8000-00000000c021',
                relationship_type: 'drops',
                comment: 'MachO indicators',
              },
            ],
          },
          {
            name: 'file',
            uuid: '3e1f0000-0000-4000-8000-00000000c021',
            Attribute: [{ object_relation: 'filename', type: 'filename', value: 'payload.bin' }],
          },
        ],
      },
    });
    const objects = importMisp(input, { now: NOW }).objects;
    expect(objects.find((o) => o.type === 'relationship')).toMatchObject({ relationship_type: 'drops', description: 'MachO indicators' });
    const event = (JSON.parse(exportMisp(objects).output) as { Event: { Object: { ObjectReference: { comment: string }[] }[] } }).Event;
    expect(event.Object.flatMap((o) => o.ObjectReference.map((r) => r.comment))).toEqual(['MachO indicators']);
  });
});

describe('MISP objects that become SDOs → STIX 1.x (third round)', () => {
  function toStix1(objects: Record<string, unknown>[]): { xml: string; codes: string[] } {
    const input = JSON.stringify({
      Event: { uuid: '3e1f0000-0000-4000-8000-00000000e002', info: 'sdo', date: '2024-01-01', timestamp: '1704067200', Object: objects },
    });
    const r = exportStix1(importMisp(input, { now: NOW }).objects);
    return { xml: r.output, codes: r.issues.map((i) => `${i.code} ${i.objectId ?? ''}`) };
  }
  const attr = (relation: string, type: string, value: string): Record<string, unknown> => ({ object_relation: relation, type, value });

  it('when an organization and a geolocation go to STIX 1, then each is a CybOX Custom object with every value', () => {
    const { xml, codes } = toStix1([
      {
        name: 'organization',
        uuid: '3e1f0000-0000-4000-8000-00000000c010',
        Attribute: [
          attr('name', 'text', 'CERT Example'),
          attr('e-mail', 'email-src', 'info@cert.example'),
          attr('role', 'text', 'national CERT'),
        ],
      },
      {
        name: 'geolocation',
        uuid: '3e1f0000-0000-4000-8000-00000000c011',
        Attribute: [attr('countrycode', 'text', 'LU'), attr('city', 'text', 'Luxembourg'), attr('zipcode', 'text', 'L-1160')],
      },
    ]);
    expect(xml).toContain('custom_name="organization"');
    expect(xml).toContain('custom_name="geolocation"');
    for (const v of ['CERT Example', 'info@cert.example', 'national CERT', 'Luxembourg', 'L-1160']) expect(xml).toContain(v);
    expect(codes.filter((c) => /UNSUPPORTED_OBJECT (identity|location)--/.test(c))).toEqual([]);
  });

  it('when the identity is the event producer, then it stays the package source and is not a Custom object', () => {
    const input = JSON.stringify({
      Event: {
        uuid: '3e1f0000-0000-4000-8000-00000000e003',
        info: 'producer',
        timestamp: '1704067200',
        Orgc: { name: 'CERT Producer', uuid: '3e1f0000-0000-4000-8000-00000000f003' },
        Attribute: [{ type: 'domain', value: 'evil.example', to_ids: true }],
      },
    });
    const xml = exportStix1(importMisp(input, { now: NOW }).objects).output;
    expect(xml).toContain('<stixCommon:Name>CERT Producer</stixCommon:Name>');
    expect(xml).not.toContain('CustomObj:CustomObjectType');
  });

  it('when an unpublished event (a grouping) goes to STIX 1, then its info is the package title and it is not reported left out', () => {
    const input = JSON.stringify({
      Event: {
        uuid: '3e1f0000-0000-4000-8000-00000000e004',
        info: 'Phishing wave against ministries',
        timestamp: '1704067200',
        published: false,
        Attribute: [{ type: 'domain', value: 'evil.example', to_ids: true }],
      },
    });
    const r = exportStix1(importMisp(input, { now: NOW }).objects);
    expect(r.output).toContain('<stix:Title>Phishing wave against ministries</stix:Title>');
    expect(r.issues.filter((i) => i.objectId?.startsWith('grouping--') === true)).toEqual([]);
  });
});
