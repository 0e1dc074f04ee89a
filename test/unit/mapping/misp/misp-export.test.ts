import { exportMisp } from '../../../../src/mapping/misp/export';
import { readSimplePattern } from '../../../../src/mapping/misp/pattern-reader';
import type { StixObject } from '../../../../src/mapping/types';

const T = '2023-01-01T00:00:00.000Z';

function ind(id: string, pattern: string, extra: Record<string, unknown> = {}): StixObject {
  return { type: 'indicator', spec_version: '2.1', id, created: T, modified: T, pattern, pattern_type: 'stix', valid_from: T, ...extra };
}

interface Event {
  uuid: string;
  info: string;
  Attribute: { type: string; value: string; to_ids: boolean; uuid: string }[];
  Object: { name: string; uuid: string; Attribute: { object_relation: string; type: string; value: string }[] }[];
  Tag: { name: string }[];
  Orgc?: { name: string };
}

function run(objects: StixObject[], options = {}): { event: Event; codes: string[] } {
  const r = exportMisp(objects, options);
  return { event: (JSON.parse(r.output) as { Event: Event }).Event, codes: r.issues.map((i) => i.code) };
}

describe('exportMisp', () => {
  it('when a pattern ANDs several hashes of one file, then one file object is written', () => {
    const { event } = run([
      ind(
        'indicator--00000000-0000-4000-8000-000000000001',
        "[file:hashes.MD5 = '0123456789abcdef0123456789abcdef' AND file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' AND file:name = 'a.exe']",
      ),
    ]);
    expect(event.Attribute).toHaveLength(0);
    expect(event.Object).toHaveLength(1);
    expect(event.Object[0]?.name).toBe('file');
    expect(event.Object[0]?.uuid).toBe('00000000-0000-4000-8000-000000000001');
    expect(event.Object[0]?.Attribute.map((a) => [a.object_relation, a.type])).toEqual([
      ['md5', 'md5'],
      ['sha256', 'sha256'],
      ['filename', 'filename'],
    ]);
  });

  it('when a pattern uses operators MISP cannot express, then a stix2-pattern object keeps it with an issue', () => {
    const pattern = "[file:size > 100] FOLLOWEDBY [url:value = 'http://x.example/']";
    const { event, codes } = run([ind('indicator--00000000-0000-4000-8000-000000000002', pattern)]);
    expect(codes).toContain('MISP_EXPORT_RAW_PATTERN');
    expect(event.Object[0]?.name).toBe('stix2-pattern');
    expect(event.Object[0]?.Attribute[0]).toMatchObject({ type: 'stix2-pattern', value: pattern });
  });

  it('when an IP address is written as domain-name:value, then it is exported as ip-dst', () => {
    const { event } = run([ind('indicator--00000000-0000-4000-8000-000000000003', "[domain-name:value = '176.223.111.131']")]);
    expect(event.Attribute[0]).toMatchObject({ type: 'ip-dst', value: '176.223.111.131', to_ids: true });
  });

  it('when the objects carry TLP 2.0 AMBER+STRICT and GREEN, then the event is tagged with the strictest', () => {
    const { event } = run([
      ind('indicator--00000000-0000-4000-8000-000000000004', "[url:value = 'http://a.example/']", {
        object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
      }),
      ind('indicator--00000000-0000-4000-8000-000000000005', "[url:value = 'http://b.example/']", {
        object_marking_refs: ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003'],
      }),
    ]);
    expect(event.Tag.map((t) => t.name)).toEqual(['tlp:amber+strict']);
  });

  it('when no report or grouping is given, then eventInfo and orgName are used', () => {
    const { event } = run([ind('indicator--00000000-0000-4000-8000-000000000006', "[ipv4-addr:value = '192.0.2.1']")], {
      eventInfo: 'Daily feed',
      orgName: 'CERT-XX',
    });
    expect(event.info).toBe('Daily feed');
    expect(event.Orgc?.name).toBe('CERT-XX');
    expect(event.Attribute[0]).toMatchObject({ type: 'ip-dst', value: '192.0.2.1' });
  });

  it('when an observed-data references top-level SCOs, then they become attributes without to_ids', () => {
    const { event, codes } = run([
      {
        type: 'observed-data',
        spec_version: '2.1',
        id: 'observed-data--00000000-0000-4000-8000-000000000007',
        created: T,
        modified: T,
        first_observed: T,
        last_observed: T,
        number_observed: 1,
        object_refs: ['network-traffic--00000000-0000-4000-8000-000000000008', 'ipv4-addr--00000000-0000-4000-8000-000000000009'],
      },
      {
        type: 'network-traffic',
        spec_version: '2.1',
        id: 'network-traffic--00000000-0000-4000-8000-000000000008',
        dst_ref: 'ipv4-addr--00000000-0000-4000-8000-000000000009',
        dst_port: 8080,
        protocols: ['tcp'],
      },
      { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--00000000-0000-4000-8000-000000000009', value: '198.51.100.1' },
    ]);
    expect(codes).not.toContain('MISP_EXPORT_UNSUPPORTED');
    expect(event.Object).toHaveLength(1);
    // misp-stix's documented mapping of other producers' traffic: its generic network-traffic template.
    expect(event.Object[0]?.name).toBe('network-traffic');
    expect(event.Object[0]?.Attribute.map((a) => [a.object_relation, a.value])).toEqual([
      ['dst_ip', '198.51.100.1'],
      ['dst_port', '8080'],
      ['protocol', 'tcp'],
    ]);
    expect(event.Object[0]?.Attribute.every((a) => !('to_ids' in a) || (a as { to_ids?: boolean }).to_ids === false)).toBe(true);
  });

  it('when a 2.1-only object has no MISP counterpart, then it is reported and not exported', () => {
    const { codes } = run([
      {
        type: 'infrastructure',
        spec_version: '2.1',
        id: 'infrastructure--00000000-0000-4000-8000-00000000000a',
        created: T,
        modified: T,
        name: 'C2',
      },
    ]);
    expect(codes).toContain('MISP_EXPORT_UNSUPPORTED');
  });
});

describe('readSimplePattern', () => {
  it('when a pattern is a conjunction of equalities, then its comparisons are returned with list indexes as *', () => {
    expect(readSimplePattern("[domain-name:value = 'a.example' AND domain-name:resolves_to_refs[0].value = '1.2.3.4']")).toEqual([
      [
        { root: 'domain-name', path: ['value'], value: 'a.example' },
        { root: 'domain-name', path: ['resolves_to_refs', '*', 'value'], value: '1.2.3.4' },
      ],
    ]);
  });

  it('when a string literal holds escaped quotes and backslashes, then they are unescaped', () => {
    expect(readSimplePattern("[windows-registry-key:key = 'HKLM\\\\It\\'s']")?.[0]?.[0]?.value).toBe("HKLM\\It's");
  });

  it.each([
    '[file:size > 10]',
    "[url:value = 'a'] OR [url:value = 'b']",
    "[url:value = 'a'] WITHIN 10 SECONDS",
    "[url:value MATCHES 'a']",
    "[url:value = 'unterminated]",
  ])('when the pattern is %s, then it is not simple', (p) => {
    expect(readSimplePattern(p)).toBeUndefined();
  });
});
