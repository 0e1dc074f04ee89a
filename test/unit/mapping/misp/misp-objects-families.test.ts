/**
 * Second round of MISP object families after misp-stix's documented MISP object → STIX 2.1 mapping: nested
 * references (process parent image, netflow AS numbers), repeated custom relations, socket state, stand-alone
 * pe objects with their sections, large integers, JSON booleans, identity contact layout, rule references.
 * Synthetic objects; each family failed before this round.
 */
import { importMisp } from '../../../../src/mapping/misp/import';
import { exportMisp } from '../../../../src/mapping/misp/export';
import { prepareObjects } from '../../../../src/stix/prepare';
import type { StixObject } from '../../../../src/mapping/types';

const NOW = '2024-01-01T00:00:00.000Z';
let n = 0;

type Attr = Record<string, unknown>;

function attr(relation: string, type: string, value: unknown, toIds = false): Attr {
  n++;
  return { uuid: `6d2f0000-0000-4000-8000-0000000${String(n).padStart(5, '0')}`, object_relation: relation, type, value, to_ids: toIds };
}

interface ObjIn {
  name: string;
  uuid: string;
  attrs: Attr[];
  refs?: string[];
}

function eventOf(objects: ObjIn[]): string {
  return JSON.stringify({
    Event: {
      uuid: '6d2f0000-0000-4000-8000-00000000e001',
      info: 'families',
      date: '2024-01-01',
      timestamp: '1704067200',
      Orgc: { name: 'CERT-T', uuid: '6d2f0000-0000-4000-8000-000000000001' },
      Object: objects.map((o) => ({
        name: o.name,
        'meta-category': 'misc',
        uuid: o.uuid,
        timestamp: '1704067200',
        Attribute: o.attrs,
        ObjectReference: (o.refs ?? []).map((r) => ({ referenced_uuid: r, relationship_type: 'includes' })),
      })),
    },
  });
}

function convert(objects: ObjIn[]): StixObject[] {
  const imported = importMisp(eventOf(objects), { now: NOW }).objects;
  // Every object passes the gateway's own validation (none is rejected on the way into a collection).
  expect(prepareObjects(imported, {}).filter((o) => !o.ok)).toEqual([]);
  return imported;
}

const one = (name: string, attrs: Attr[]): StixObject[] => convert([{ name, uuid: '6d2f0000-0000-4000-8000-00000000c002', attrs }]);
const ofType = (objects: StixObject[], type: string): StixObject[] => objects.filter((o) => o.type === type);
const byId = (objects: StixObject[], id: unknown): StixObject | undefined => objects.find((o) => o.id === id);
const patternOf = (objects: StixObject[]): string => String(ofType(objects, 'indicator')[0]?.['pattern']);

describe('MISP object families → STIX 2.1 (second round)', () => {
  it('when a process names its parent image and parent process name, then the parent process references a file with that name', () => {
    const objects = one('process', [
      attr('pid', 'text', '2510'),
      attr('parent-pid', 'text', '2107'),
      attr('parent-image', 'filename', 'parent_process.exe'),
      attr('parent-process-name', 'text', 'Friends_From_H'),
    ]);
    const root = ofType(objects, 'process').find((p) => p['pid'] === 2510);
    const parent = byId(objects, root?.['parent_ref']);
    expect(parent).toMatchObject({ pid: 2107, x_misp_process_name: 'Friends_From_H' });
    expect(byId(objects, parent?.['image_ref'])).toMatchObject({ type: 'file', name: 'parent_process.exe' });
    const indicator = one('process', [attr('pid', 'text', '2510', true), attr('parent-image', 'filename', 'p.exe', true)]);
    expect(patternOf(indicator)).toContain("process:parent_ref.image_ref.name = 'p.exe'");
  });

  it('when a netflow names AS numbers and TCP flags, then the addresses belong to autonomous systems and the flags are in tcp-ext', () => {
    const objects = one('netflow', [
      attr('ip-src', 'ip-src', '192.0.2.1'),
      attr('ip-dst', 'ip-dst', '198.51.100.2'),
      attr('src-as', 'AS', 'AS1234'),
      attr('dst-as', 'AS', 'AS5678'),
      attr('protocol', 'text', 'TCP'),
      attr('tcp-flags', 'text', '00000002'),
    ]);
    const traffic = ofType(objects, 'network-traffic')[0];
    expect(traffic?.['extensions']).toEqual({ 'tcp-ext': { src_flags_hex: '00000002' } });
    const src = byId(objects, traffic?.['src_ref']);
    const dst = byId(objects, traffic?.['dst_ref']);
    expect(byId(objects, (src?.['belongs_to_refs'] as string[])[0])).toMatchObject({ type: 'autonomous-system', number: 1234 });
    expect(byId(objects, (dst?.['belongs_to_refs'] as string[])[0])).toMatchObject({ type: 'autonomous-system', number: 5678 });
  });

  it('when a relation without a STIX property repeats, then the observed SCO keeps every value as a list', () => {
    const objects = one('telegram-account', [
      attr('id', 'text', '1234567890'),
      attr('phone', 'text', '0112233445'),
      attr('phone', 'text', '0556677889'),
    ]);
    expect(ofType(objects, 'user-account')[0]).toMatchObject({ account_type: 'telegram', x_misp_phone: ['0112233445', '0556677889'] });
  });

  it('when a network-socket is listening, then socket-ext says is_listening (another state stays x_misp_state)', () => {
    const sock = (state: string): StixObject | undefined =>
      ofType(
        one('network-socket', [
          attr('ip-dst', 'ip-dst', '192.0.2.30'),
          attr('protocol', 'text', 'TCP'),
          attr('address-family', 'text', 'AF_INET'),
          attr('state', 'text', state),
        ]),
        'network-traffic',
      )[0];
    expect(sock('listening')?.['extensions']).toMatchObject({ 'socket-ext': { is_listening: true } });
    expect(sock('established')).toMatchObject({ x_misp_state: 'established' });
  });

  it('when a pe object no file includes references a pe-section, then one file carries the section and the large entry point', () => {
    const objects = convert([
      {
        name: 'pe',
        uuid: '6d2f0000-0000-4000-8000-00000000c010',
        attrs: [
          attr('type', 'text', 'exe'),
          attr('entrypoint-address', 'text', '5369222868'),
          attr('original-filename', 'filename', 'PuTTy'),
        ],
        refs: ['6d2f0000-0000-4000-8000-00000000c011'],
      },
      {
        name: 'pe-section',
        uuid: '6d2f0000-0000-4000-8000-00000000c011',
        attrs: [
          attr('name', 'text', '.rsrc'),
          attr('size-in-bytes', 'size-in-bytes', '305152'),
          attr('md5', 'md5', '8a2a5fc2ce56b3b04d58539a95390600'),
        ],
      },
    ]);
    const files = ofType(objects, 'file');
    expect(files).toHaveLength(1);
    expect(files[0]?.['extensions']).toMatchObject({
      'windows-pebinary-ext': {
        pe_type: 'exe',
        optional_header: { address_of_entry_point: 5369222868 },
        sections: [{ name: '.rsrc', size: 305152, hashes: { MD5: '8a2a5fc2ce56b3b04d58539a95390600' } }],
      },
    });
  });

  it('when a boolean relation holds a JSON false, then the value is kept', () => {
    const objects = one('parler-account', [attr('account-id', 'text', '42'), attr('human', 'boolean', false)]);
    expect(ofType(objects, 'user-account')[0]).toMatchObject({ account_type: 'parler', x_misp_human: 'False' });
  });

  it('when identity templates give contact relations, then contact_information names each relation and business becomes sectors', () => {
    const [agency] = ofType(
      one('news-agency', [
        attr('name', 'text', 'Agence'),
        attr('address', 'text', '1 Rue A'),
        attr('e-mail', 'email-src', 'a@example.org'),
        attr('address', 'text', '2 Street B'),
        attr('link', 'link', 'https://example.org/'),
      ]),
      'identity',
    ).filter((o) => o['name'] === 'Agence');
    expect(agency?.['contact_information']).toBe('address: 1 Rue A; 2 Street B / e-mail: a@example.org / link: https://example.org/');
    const [entity] = ofType(
      one('legal-entity', [
        attr('name', 'text', 'Umbrella'),
        attr('business', 'text', 'Pharmaceutical'),
        attr('website', 'link', 'https://u.example'),
      ]),
      'identity',
    ).filter((o) => o['name'] === 'Umbrella');
    expect(entity).toMatchObject({ sectors: ['Pharmaceutical'], contact_information: 'website: https://u.example' });
  });

  it('when a rule object has web references and a malicious script a state, then they become external references and x_misp_state', () => {
    const [rule] = ofType(
      one('suricata', [
        attr('suricata', 'snort', 'alert http any 443 -> 192.0.2.8 any', true),
        attr('ref', 'link', 'https://docs.example/rule'),
      ]),
      'indicator',
    );
    expect(rule?.['external_references']).toEqual([{ source_name: 'url', url: 'https://docs.example/rule' }]);
    const [malware] = ofType(one('script', [attr('filename', 'filename', 'x.py'), attr('state', 'text', 'Malicious')]), 'malware');
    expect(malware).toMatchObject({ name: 'x.py', x_misp_state: 'Malicious' });
  });

  it('when the process and netflow objects are exported back to MISP, then the nested relations come back', () => {
    const objects = convert([
      {
        name: 'process',
        uuid: '6d2f0000-0000-4000-8000-00000000c020',
        attrs: [attr('pid', 'text', '1'), attr('parent-image', 'filename', 'p.exe')],
      },
      {
        name: 'netflow',
        uuid: '6d2f0000-0000-4000-8000-00000000c021',
        attrs: [attr('ip-src', 'ip-src', '192.0.2.1'), attr('src-as', 'AS', 'AS1234'), attr('protocol', 'text', 'TCP')],
      },
    ]);
    const back = (JSON.parse(exportMisp(objects).output) as { Event: { Object: { name: string; Attribute: Attr[] }[] } }).Event.Object;
    const relations = (name: string): unknown[] => back.find((o) => o.name === name)?.Attribute.map((a) => a['object_relation']) ?? [];
    expect(relations('process')).toEqual(expect.arrayContaining(['pid', 'parent-image']));
    expect(relations('netflow')).toEqual(expect.arrayContaining(['ip-src', 'src-as']));
  });

  it('when identity, geolocation and script objects are exported back to MISP, then the same templates come back with their relations', () => {
    const objects = convert([
      {
        name: 'organization',
        uuid: '6d2f0000-0000-4000-8000-00000000c030',
        attrs: [
          attr('name', 'text', 'CIRCL'),
          attr('description', 'text', 'A CERT'),
          attr('address', 'text', '16 bd'),
          attr('e-mail', 'email-src', 'info@example.lu'),
          attr('role', 'text', 'national CERT'),
          attr('alias', 'text', 'C'),
        ],
      },
      {
        name: 'legal-entity',
        uuid: '6d2f0000-0000-4000-8000-00000000c031',
        attrs: [attr('name', 'text', 'Umbrella'), attr('business', 'text', 'Pharmaceutical'), attr('website', 'link', 'https://u.example')],
      },
      {
        name: 'geolocation',
        uuid: '6d2f0000-0000-4000-8000-00000000c032',
        attrs: [attr('countrycode', 'text', 'US'), attr('city', 'text', 'Fort Meade'), attr('altitude', 'float', '55')],
      },
      {
        name: 'script',
        uuid: '6d2f0000-0000-4000-8000-00000000c033',
        attrs: [attr('filename', 'filename', 'x.py'), attr('state', 'text', 'Malicious'), attr('script', 'text', 'print(1)')],
      },
      {
        name: 'script',
        uuid: '6d2f0000-0000-4000-8000-00000000c034',
        attrs: [attr('filename', 'filename', 'hello.py'), attr('state', 'text', 'Harmless')],
      },
    ]);
    const event = (JSON.parse(exportMisp(objects).output) as { Event: { Object: { name: string; uuid: string; Attribute: Attr[] }[] } })
      .Event;
    const pairs = (uuid: string): string[] =>
      (event.Object.find((o) => o.uuid === uuid)?.Attribute ?? []).map((a) => `${String(a['object_relation'])}=${String(a['value'])}`);
    const named = (uuid: string): string | undefined => event.Object.find((o) => o.uuid === uuid)?.name;
    expect(named('6d2f0000-0000-4000-8000-00000000c030')).toBe('organization');
    expect(pairs('6d2f0000-0000-4000-8000-00000000c030').sort()).toEqual(
      ['name=CIRCL', 'description=A CERT', 'address=16 bd', 'e-mail=info@example.lu', 'role=national CERT', 'alias=C'].sort(),
    );
    expect(pairs('6d2f0000-0000-4000-8000-00000000c031').sort()).toEqual(
      ['name=Umbrella', 'business=Pharmaceutical', 'website=https://u.example'].sort(),
    );
    expect(pairs('6d2f0000-0000-4000-8000-00000000c032').sort()).toEqual(['countrycode=US', 'city=Fort Meade', 'altitude=55'].sort());
    expect(named('6d2f0000-0000-4000-8000-00000000c033')).toBe('script');
    expect(pairs('6d2f0000-0000-4000-8000-00000000c033').sort()).toEqual(['filename=x.py', 'state=Malicious', 'script=print(1)'].sort());
    expect(pairs('6d2f0000-0000-4000-8000-00000000c034').sort()).toEqual(['filename=hello.py', 'state=Harmless'].sort());
  });

  it('when an email object names recipients with display names and two attachments, then each address keeps its name and each attachment its part', () => {
    const objects = one('email', [
      attr('to', 'email-dst', 'a@example.org'),
      attr('to-display-name', 'email-dst-display-name', 'A Person'),
      attr('cc', 'email-dst', 'b@example.org'),
      attr('cc', 'email-dst', 'c@example.org'),
      attr('cc-display-name', 'email-dst-display-name', 'B Person'),
      attr('cc-display-name', 'email-dst-display-name', 'C Person'),
      attr('attachment', 'email-attachment', 'one.doc'),
      attr('attachment', 'email-attachment', 'two.doc'),
    ]);
    const message = ofType(objects, 'email-message')[0];
    const addr = (id: unknown): [unknown, unknown] => [byId(objects, id)?.['value'], byId(objects, id)?.['display_name']];
    expect((message?.['to_refs'] as string[]).map(addr)).toEqual([['a@example.org', 'A Person']]);
    expect((message?.['cc_refs'] as string[]).map(addr)).toEqual([
      ['b@example.org', 'B Person'],
      ['c@example.org', 'C Person'],
    ]);
    const parts = message?.['body_multipart'] as { body_raw_ref: string; content_disposition: string }[];
    expect(parts.map((p) => [byId(objects, p.body_raw_ref)?.['name'], p.content_disposition])).toEqual([
      ['one.doc', 'attachment'],
      ['two.doc', 'attachment'],
    ]);
  });
});
