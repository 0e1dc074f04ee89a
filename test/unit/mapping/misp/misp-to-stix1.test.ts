/**
 * MISP → STIX 1.x goes MISP → STIX 2.1 (src/mapping/misp/import.ts) → STIX 1.x (src/mapping/stix1/export.ts): every
 * attribute value of misp-stix's STIX 1 mapping must reach the XML, with its CybOX object type.
 */
import { importMisp } from '../../../../src/mapping/misp/import';
import { exportStix1 } from '../../../../src/mapping/stix1/export';

const NOW = '2024-01-01T00:00:00.000Z';

function toStix1(attributes: Record<string, unknown>[]): string {
  const input = JSON.stringify({
    Event: { uuid: '5c1e0000-0000-4000-8000-00000000c001', info: 'stix1', timestamp: '1704067200', Attribute: attributes },
  });
  return exportStix1(importMisp(input, { now: NOW }).objects).output;
}

let n = 0;
const attr = (type: string, value: string, toIds: boolean): Record<string, unknown> => ({
  uuid: `5c1e0000-0000-4000-8000-0000000c${String(++n).padStart(4, '0')}`,
  type,
  value,
  to_ids: toIds,
  category: 'Payload delivery',
});

describe('MISP → STIX 1.x', () => {
  it.each([true, false])(
    'when hashes outside CybOX vocabulary are exported (to_ids %s), then each keeps its name as the hash Type',
    (toIds) => {
      const xml = toStix1([attr('sha3-256', 'ab'.repeat(32), toIds), attr('filename|tlsh', `a.bin|${'cd'.repeat(35)}`, toIds)]);
      expect(xml).toContain(
        `<cyboxCommon:Type>SHA3-256</cyboxCommon:Type><cyboxCommon:Simple_Hash_Value${toIds ? ' condition="Equals"' : ''}>${'ab'.repeat(32)}`,
      );
      expect(xml).toContain('<cyboxCommon:Type>TLSH</cyboxCommon:Type>');
      expect(xml).toContain('a.bin');
      expect(xml).toContain('FileObj:FileObjectType');
    },
  );

  it('when an attribute type has no STIX object, then it becomes a CybOX Custom object named after the MISP type', () => {
    const xml = toStix1([attr('btc', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT', true), attr('text', 'free text', false)]);
    expect(xml).toContain('xmlns:CustomObj="http://cybox.mitre.org/objects#CustomObject-1"');
    expect(xml).toContain(
      '<cybox:Properties xsi:type="CustomObj:CustomObjectType" custom_name="btc"><cyboxCommon:Custom_Properties><cyboxCommon:Property name="btc">1BoatSLRHtKNngkdXEeobR76b53LETtpyT</cyboxCommon:Property>',
    );
    expect(xml).toContain('<cyboxCommon:Property name="text">free text</cyboxCommon:Property>');
  });

  it('when domain|ip is observed, then the domain and its address are both written (an AND composition)', () => {
    const xml = toStix1([attr('domain|ip', 'example.org|198.51.100.7', false)]);
    expect(xml).toContain('<DomainNameObj:Value>example.org</DomainNameObj:Value>');
    expect(xml).toContain('<AddressObj:Address_Value>198.51.100.7</AddressObj:Address_Value>');
    expect(xml).toContain('operator="AND"');
  });

  it('when a certificate fingerprint is observed, then it is the certificate signature with its algorithm', () => {
    const xml = toStix1([attr('x509-fingerprint-sha1', '46aba99aa7158e4609aaa72b50990842fd22ae87', false)]);
    expect(xml).toContain(
      '<X509CertificateObj:Certificate_Signature><X509CertificateObj:Signature_Algorithm>SHA1</X509CertificateObj:Signature_Algorithm><X509CertificateObj:Signature>46aba99aa7158e4609aaa72b50990842fd22ae87</X509CertificateObj:Signature></X509CertificateObj:Certificate_Signature>',
    );
  });

  it('when an SCO carries x_misp_ custom properties, then they become CybOX custom properties of the object', () => {
    const xml = toStix1([attr('filename|imphash', 'a.exe|68f013d7437aa653a8a98a05807afeb1', false)]);
    expect(xml).toContain(
      '<cyboxCommon:Property name="x_misp_windows_pebinary_ext.imphash">68f013d7437aa653a8a98a05807afeb1</cyboxCommon:Property>',
    );
    expect(xml).toContain('<FileObj:File_Name>a.exe</FileObj:File_Name>');
  });

  it('when an observed MISP object has values CybOX has no element for, then they are kept as custom properties named by the STIX path', () => {
    const input = JSON.stringify({
      Event: {
        uuid: '5c1e0000-0000-4000-8000-00000000c101',
        info: 'stix1 objects',
        timestamp: '1704067200',
        Object: [
          {
            name: 'x509',
            'meta-category': 'network',
            uuid: '5c1e0000-0000-4000-8000-00000000c102',
            Attribute: [
              { object_relation: 'issuer', type: 'text', value: 'CN=Issuer', to_ids: false },
              { object_relation: 'pubkey-info-exponent', type: 'text', value: '65537', to_ids: false },
            ],
          },
        ],
      },
    });
    const result = exportStix1(importMisp(input, { now: NOW }).objects);
    expect(result.output).toContain('<cyboxCommon:Property name="subject_public_key_exponent">65537</cyboxCommon:Property>');
    expect(result.output).toContain('CN=Issuer');
    expect(result.issues.map((i) => i.code)).toContain('STIX1_EXPORT_PROPERTY_CUSTOM');
  });

  it('when observed objects reference SCOs with more than their main value, then STIX 1 keeps those values as custom properties', () => {
    const obj = (name: string, uuid: string, attrs: [string, string, string][]): Record<string, unknown> => ({
      name,
      uuid,
      timestamp: '1704067200',
      Attribute: attrs.map(([relation, type, value]) => ({ object_relation: relation, type, value, to_ids: false })),
    });
    const input = JSON.stringify({
      Event: {
        uuid: '5c1e0000-0000-4000-8000-00000000c101',
        info: 'stix1 refs',
        timestamp: '1704067200',
        Object: [
          obj('email', '5c1e0000-0000-4000-8000-00000000c102', [
            ['from', 'email-src', 'sender@example.org'],
            ['from-display-name', 'email-src-display-name', 'Sender Name'],
            ['to', 'email-dst', 'victim@example.com'],
            ['to-display-name', 'email-dst-display-name', 'Victim Name'],
          ]),
          obj('process', '5c1e0000-0000-4000-8000-00000000c103', [
            ['pid', 'text', '2510'],
            ['parent-pid', 'text', '2107'],
            ['parent-image', 'filename', 'parent.exe'],
          ]),
        ],
      },
    });
    const result = exportStix1(importMisp(input, { now: NOW }).objects);
    expect(result.output).toContain('<cyboxCommon:Property name="from_ref.display_name">Sender Name</cyboxCommon:Property>');
    expect(result.output).toContain('<cyboxCommon:Property name="to_refs[*].display_name">Victim Name</cyboxCommon:Property>');
    expect(result.output).toContain('<cyboxCommon:Property name="parent_ref.image_ref.name">parent.exe</cyboxCommon:Property>');
    expect(result.issues.map((i) => i.code)).toContain('STIX1_EXPORT_PROPERTY_CUSTOM');
  });

  it('when an observed attribute has a comment, then the CybOX Observable carries it as its Description (no unmapped report)', () => {
    const input = JSON.stringify({
      Event: {
        uuid: '5c1e0000-0000-4000-8000-00000000c201',
        info: 'stix1 comment',
        timestamp: '1704067200',
        Attribute: [{ ...attr('ip-dst', '192.0.2.7', false), comment: 'seen scanning' }],
      },
    });
    const result = exportStix1(importMisp(input, { now: NOW }).objects);
    expect(result.output).toMatch(/<cybox:Observable id="[^"]+"><cybox:Description>seen scanning<\/cybox:Description><cybox:Object/);
    expect(result.issues.filter((i) => i.code === 'STIX1_EXPORT_PROPERTY_UNMAPPED')).toEqual([]);
  });
});
