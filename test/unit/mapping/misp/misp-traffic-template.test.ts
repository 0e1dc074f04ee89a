/**
 * Third round: the MISP template of a network-traffic (misp-stix's documented mapping of other producers' STIX
 * 2.1: a socket-ext → `network-socket`, an http-request-ext → `http-request`, any other traffic → its generic
 * `network-traffic` template; `ip-port` / `network-connection` only for content labelled with them). Before, a
 * producer's traffic with a source became `network-connection` and one without became `ip-port`.
 */
import { exportMisp } from '../../../../src/mapping/misp/export';
import { importMisp } from '../../../../src/mapping/misp/import';
import type { StixObject } from '../../../../src/mapping/types';

const T = '2024-01-01T00:00:00.000Z';

interface MispObject {
  name: string;
  Attribute: { object_relation: string; value: string }[];
}

function objectsOf(objects: StixObject[]): MispObject[] {
  return (JSON.parse(exportMisp(objects).output) as { Event: { Object: MispObject[] } }).Event.Object;
}

function indicator(pattern: string, labels?: string[]): StixObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--7a3c0000-0000-4000-8000-000000000001',
    created: T,
    modified: T,
    pattern,
    pattern_type: 'stix',
    valid_from: T,
    ...(labels === undefined ? {} : { labels }),
  };
}

const relations = (o: MispObject | undefined): string[] => (o?.Attribute ?? []).map((a) => `${a.object_relation}=${a.value}`).sort();

describe('network-traffic → MISP template (third round)', () => {
  it('when a producer traffic has a source, a destination and a protocol, then it is the network-traffic template', () => {
    const [o] = objectsOf([
      indicator(
        "[network-traffic:src_ref.value = '192.0.2.5' AND network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:dst_port = 443 AND network-traffic:protocols[0] = 'tcp']",
      ),
    ]);
    expect(o?.name).toBe('network-traffic');
    expect(relations(o)).toEqual(['dst_ip=198.51.100.7', 'dst_port=443', 'protocol=tcp', 'src_ip=192.0.2.5']);
  });

  it('when a producer traffic names only a destination and its port, then it is the network-traffic template too', () => {
    const [o] = objectsOf([indicator("[network-traffic:dst_ref.value = 'c2.example.org' AND network-traffic:dst_port = 8080]")]);
    expect(o?.name).toBe('network-traffic');
    expect(relations(o)).toEqual(['dst_hostname=c2.example.org', 'dst_port=8080']);
  });

  it('when a producer traffic has a socket-ext, then it is a network-socket', () => {
    const [o] = objectsOf([
      indicator(
        "[network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:dst_port = 4444 AND network-traffic:extensions.'socket-ext'.address_family = 'AF_INET']",
      ),
    ]);
    expect(o?.name).toBe('network-socket');
    expect(relations(o)).toContain('address-family=AF_INET');
  });

  it('when MISP network-connection and ip-port objects go to STIX and back, then they keep their templates', () => {
    const event = {
      Event: {
        uuid: '7a3c0000-0000-4000-8000-00000000e001',
        info: 'traffic',
        date: '2024-01-01',
        timestamp: '1704067200',
        Object: [
          [
            'network-connection',
            '7a3c0000-0000-4000-8000-00000000c001',
            [
              ['ip-src', 'ip-src', '192.0.2.5'],
              ['dst-port', 'port', '443'],
            ],
          ],
          [
            'ip-port',
            '7a3c0000-0000-4000-8000-00000000c002',
            [
              ['ip', 'ip-dst', '198.51.100.7'],
              ['dst-port', 'port', '8443'],
            ],
          ],
        ].map(([name, uuid, attrs]) => ({
          name,
          uuid,
          timestamp: '1704067200',
          Attribute: (attrs as string[][]).map(([relation, type, value]) => ({ object_relation: relation, type, value, to_ids: true })),
        })),
      },
    };
    const back = objectsOf(importMisp(JSON.stringify(event), { now: T }).objects);
    expect(back.map((o) => o.name).sort()).toEqual(['ip-port', 'network-connection']);
  });
});
