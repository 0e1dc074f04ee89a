/**
 * MISP objects that misp-stix's documented mapping turns into SDOs (identity templates, geolocation, script)
 * or into SCOs of further templates (cpe-asset, network-traffic, artifact keys).
 */
import { importMisp } from '../../../../src/mapping/misp/import';
import { prepareObjects } from '../../../../src/stix/prepare';
import type { StixObject } from '../../../../src/mapping/types';

const NOW = '2024-01-01T00:00:00.000Z';
let n = 0;

function attr(relation: string, type: string, value: string, toIds = false): Record<string, unknown> {
  n++;
  return { uuid: `5c1e0000-0000-4000-8000-0000000${String(n).padStart(5, '0')}`, object_relation: relation, type, value, to_ids: toIds };
}

function convert(name: string, attributes: Record<string, unknown>[]): StixObject[] {
  const input = JSON.stringify({
    Event: {
      uuid: '5c1e0000-0000-4000-8000-00000000c001',
      info: 'objects',
      date: '2024-01-01',
      timestamp: '1704067200',
      Orgc: { name: 'CERT-T', uuid: '5c1e0000-0000-4000-8000-000000000001' },
      Object: [
        { name, 'meta-category': 'misc', uuid: '5c1e0000-0000-4000-8000-00000000c002', timestamp: '1704067200', Attribute: attributes },
      ],
    },
  });
  const imported = importMisp(input, { now: NOW }).objects;
  // Every object passes the gateway's own validation (none is rejected on the way into a collection).
  expect(prepareObjects(imported, {}).filter((o) => !o.ok)).toEqual([]);
  return imported.filter((o) => !['report', 'grouping', 'marking-definition'].includes(o.type) && o['name'] !== 'CERT-T');
}

describe('MISP objects → STIX 2.1 SDOs and further SCO templates', () => {
  it('when a person object names first and last name and a role, then one individual identity keeps them', () => {
    const [o] = convert('person', [
      attr('first-name', 'first-name', 'John'),
      attr('last-name', 'last-name', 'Doe'),
      attr('role', 'text', 'Suspect'),
      attr('nationality', 'nationality', 'French'),
    ]);
    expect(o).toMatchObject({
      type: 'identity',
      name: 'John Doe',
      identity_class: 'individual',
      roles: ['Suspect'],
      x_misp_nationality: 'French',
    });
    expect(o?.id).toBe('identity--5c1e0000-0000-4000-8000-00000000c002');
  });

  it('when an organization object has a name and description, then an organization identity keeps them', () => {
    const [o] = convert('organization', [attr('name', 'text', 'Acme'), attr('description', 'text', 'A company')]);
    expect(o).toMatchObject({ type: 'identity', name: 'Acme', identity_class: 'organization', description: 'A company' });
  });

  it('when a geolocation has a country code, coordinates and an accuracy radius in km, then a location keeps them (precision in metres)', () => {
    const [o] = convert('geolocation', [
      attr('city', 'text', 'Paris'),
      attr('countrycode', 'text', 'fr'),
      attr('latitude', 'float', '48.8566'),
      attr('longitude', 'float', '2.3522'),
      attr('accuracy-radius', 'float', '1'),
      attr('zipcode', 'text', '75000'),
    ]);
    expect(o).toMatchObject({
      type: 'location',
      city: 'Paris',
      country: 'FR',
      latitude: 48.8566,
      longitude: 2.3522,
      precision: 1000,
      postal_code: '75000',
    });
  });

  it('when a geolocation has neither country code, region nor coordinates, then no location is made and the values stay on a custom object', () => {
    const out = convert('geolocation', [attr('city', 'text', 'Atlantis')]);
    expect(out.some((o) => o.type === 'location')).toBe(false);
    expect(JSON.stringify(out)).toContain('Atlantis');
  });

  it('when a script object is malicious, then it is a malware; otherwise a tool', () => {
    const [m] = convert('script', [
      attr('filename', 'filename', 'drop.py'),
      attr('language', 'text', 'Python'),
      attr('state', 'text', 'Malicious'),
    ]);
    expect(m).toMatchObject({ type: 'malware', name: 'drop.py', is_family: false, implementation_languages: ['python'] });
    const [t] = convert('script', [attr('filename', 'filename', 'admin.sh'), attr('state', 'text', 'Harmless')]);
    expect(t).toMatchObject({ type: 'tool', name: 'admin.sh', x_misp_state: 'Harmless' });
  });

  it('when cpe-asset and network-traffic objects are observed, then software and network-traffic SCOs hold their relations', () => {
    const soft = convert('cpe-asset', [
      attr('cpe', 'cpe', 'cpe:2.3:a:adobe:acrobat:10.0:*:*:*:*:*:*:*'),
      attr('product', 'text', 'Acrobat'),
      attr('vendor', 'text', 'Adobe'),
    ]);
    expect(soft.find((o) => o.type === 'software')).toMatchObject({
      name: 'Acrobat',
      vendor: 'Adobe',
      cpe: 'cpe:2.3:a:adobe:acrobat:10.0:*:*:*:*:*:*:*',
    });
    const traffic = convert('network-traffic', [
      attr('src_ip', 'ip-src', '203.0.113.1'),
      attr('dst_port', 'port', '53'),
      attr('src_byte_count', 'size-in-bytes', '357'),
      attr('protocol', 'text', 'UDP'),
    ]);
    expect(traffic.find((o) => o.type === 'network-traffic')).toMatchObject({ dst_port: 53, src_byte_count: 357, protocols: ['udp'] });
    expect(traffic.find((o) => o.type === 'ipv4-addr')).toMatchObject({ value: '203.0.113.1' });
  });
});
