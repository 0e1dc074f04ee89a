/**
 * STIX 2.1 from producers other than MISP (no misp:* labels) → MISP objects, after misp-stix's documented mapping
 * of external STIX 2.1 to MISP objects: which template, which relation holds each value.
 */
import { exportMisp } from '../../../../src/mapping/misp/export';
import type { StixObject } from '../../../../src/mapping/types';

const T = '2024-01-01T00:00:00.000Z';

interface MispObject {
  name: string;
  comment: string;
  Attribute: { object_relation: string; type: string; value: string; to_ids: boolean }[];
}

function ind(n: number, pattern: string): StixObject {
  const id = `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return { type: 'indicator', spec_version: '2.1', id, created: T, modified: T, pattern, pattern_type: 'stix', valid_from: T };
}

function observed(n: number, scos: StixObject[]): StixObject[] {
  const id = `observed-data--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const od: StixObject = {
    type: 'observed-data',
    spec_version: '2.1',
    id,
    created: T,
    modified: T,
    first_observed: T,
    last_observed: T,
    number_observed: 1,
    object_refs: scos.map((s) => s.id),
  };
  return [od, ...scos];
}

function objects(input: StixObject[]): MispObject[] {
  const r = exportMisp(input);
  return (JSON.parse(r.output) as { Event: { Object: MispObject[] } }).Event.Object;
}

const pairs = (o: MispObject | undefined): string[][] => (o?.Attribute ?? []).map((a) => [a.object_relation, a.value]).sort();

describe('exportMisp of other producers’ STIX into MISP objects', () => {
  it('when a traffic pattern has byte counts and three protocols, then a network-traffic object holds every value', () => {
    const [o] = objects([
      ind(
        1,
        "[network-traffic:src_ref.value = '203.0.113.1' AND network-traffic:dst_ref.value = '198.51.100.34' AND network-traffic:src_port = 2487 AND network-traffic:dst_port = 53 AND network-traffic:protocols[0] = 'ipv4' AND network-traffic:protocols[1] = 'udp' AND network-traffic:protocols[2] = 'dns' AND network-traffic:src_byte_count = 35779 AND network-traffic:dst_byte_count = 935750]",
      ),
    ]);
    expect(o?.name).toBe('network-traffic');
    expect(pairs(o)).toEqual(
      [
        ['src_ip', '203.0.113.1'],
        ['dst_ip', '198.51.100.34'],
        ['src_port', '2487'],
        ['dst_port', '53'],
        ['protocol', 'ipv4'],
        ['protocol', 'udp'],
        ['protocol', 'dns'],
        ['src_byte_count', '35779'],
        ['dst_byte_count', '935750'],
      ].sort(),
    );
    expect(o?.Attribute.every((a) => a.to_ids)).toBe(true);
    expect(o?.comment).toBe('');
  });

  it('when an observed traffic lists ipv4 and pptp, then both protocols are kept', () => {
    const src = { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--00000000-0000-4000-8000-0000000000a1', value: '198.51.100.2' };
    const nt = {
      type: 'network-traffic',
      spec_version: '2.1',
      id: 'network-traffic--00000000-0000-4000-8000-0000000000a2',
      src_ref: src.id,
      dst_port: 1723,
      protocols: ['ipv4', 'pptp'],
      src_byte_count: 10,
    };
    const [o] = objects(observed(2, [nt, src]));
    expect(o?.name).toBe('network-traffic');
    expect(pairs(o)).toEqual(
      [
        ['src_ip', '198.51.100.2'],
        ['dst_port', '1723'],
        ['protocol', 'ipv4'],
        ['protocol', 'pptp'],
        ['src_byte_count', '10'],
      ].sort(),
    );
    expect(o?.Attribute.some((a) => a.to_ids)).toBe(false);
  });

  it('when an e-mail observation has display names, received lines, an originating IP and a multipart body, then the email object holds them', () => {
    const from = {
      type: 'email-addr',
      spec_version: '2.1',
      id: 'email-addr--00000000-0000-4000-8000-0000000000b1',
      value: 'jdoe@example.com',
      display_name: 'John Doe',
    };
    const to = {
      type: 'email-addr',
      spec_version: '2.1',
      id: 'email-addr--00000000-0000-4000-8000-0000000000b2',
      value: 'bob@example.com',
      display_name: 'Bob Smith',
    };
    const msg = {
      type: 'email-message',
      spec_version: '2.1',
      id: 'email-message--00000000-0000-4000-8000-0000000000b3',
      is_multipart: true,
      from_ref: from.id,
      to_refs: [to.id],
      subject: 'Check',
      received_lines: ['from mail.example.com ([198.51.100.3]) by smtp.example.org'],
      additional_header_fields: { 'X-Mailer': 'Mutt/1.5.23', 'X-Originating-IP': '198.51.100.3' },
      body_multipart: [{ body: 'Cats are funny!', content_type: 'text/plain' }],
    };
    const [o] = objects(observed(3, [msg, from, to]));
    expect(o?.name).toBe('email');
    const got = pairs(o);
    for (const p of [
      ['from', 'jdoe@example.com'],
      ['from-display-name', 'John Doe'],
      ['to', 'bob@example.com'],
      ['to-display-name', 'Bob Smith'],
      ['subject', 'Check'],
      ['header', 'from mail.example.com ([198.51.100.3]) by smtp.example.org'],
      ['x-mailer', 'Mutt/1.5.23'],
      ['received-header-ip', '198.51.100.3'],
      ['email-body', 'Cats are funny!'],
    ]) {
      expect(got).toContainEqual(p);
    }
  });

  it('when patterns name a socket that listens, a process name, an artifact key and an AS number, then each lands on its relation', () => {
    const out = objects([
      ind(
        4,
        "[network-traffic:src_ref.value = '1.2.3.4' AND network-traffic:dst_port = 80 AND network-traffic:extensions.'socket-ext'.address_family = 'AF_INET' AND network-traffic:extensions.'socket-ext'.is_listening = true]",
      ),
      ind(5, "[process:pid = 2107 AND process:name = 'Friends_From_H']"),
      ind(
        6,
        "[artifact:mime_type = 'application/zip' AND artifact:encryption_algorithm = 'mime-type-indicated' AND artifact:decryption_key = 'infected']",
      ),
      ind(7, "[autonomous-system:number = 197869 AND autonomous-system:name = 'CIRCL']"),
    ]);
    expect(out.map((o) => o.name)).toEqual(['network-socket', 'process', 'artifact', 'asn']);
    expect(pairs(out[0])).toContainEqual(['state', 'listening']);
    expect(pairs(out[1])).toEqual([
      ['name', 'Friends_From_H'],
      ['pid', '2107'],
    ]);
    expect(pairs(out[2])).toEqual([
      ['decryption_key', 'infected'],
      ['encryption_algorithm', 'mime-type-indicated'],
      ['mime_type', 'application/zip'],
    ]);
    expect(pairs(out[3])).toEqual([
      ['asn', 'AS197869'],
      ['description', 'CIRCL'],
    ]);
    expect(out.every((o) => o.comment === '')).toBe(true);
  });
});
