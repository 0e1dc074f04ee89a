import { defang, exportTxt } from '../../../../src/mapping/txt/export';
import { importTxt } from '../../../../src/mapping/txt/import';
import type { StixObject } from '../../../../src/mapping/types';

const now = '2024-01-01T00:00:00.000Z';

function ind(n: number, pattern: string): StixObject {
  const id = `indicator--${String(n).repeat(8).slice(0, 8)}-1111-4111-8111-111111111111`;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: now,
    modified: now,
    pattern,
    pattern_type: 'stix',
    valid_from: now,
  };
}

const OBJECTS: StixObject[] = [
  ind(1, "[url:value = 'http://evil.com/a.php?x=1']"),
  ind(2, "[ipv4-addr:value = '10.0.0.1']"),
  ind(3, "[domain-name:value = 'evil.com'] OR [domain-name:value = 'bad.org']"),
  ind(4, "[email-addr:value = 'a@evil.com']"),
  ind(5, "[file:hashes.'SHA-256' = '385e31c97e3a07bbb81513f0cd0979e64e6b014943902efd002f57b21eadd41e']"),
  ind(6, "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '10.0.0.2' AND network-traffic:dst_port = 443]"),
  { type: 'domain-name', id: 'domain-name--6f3b2a4e-9f53-5d7c-8b57-1b0c7f7b2a10', value: 'sco.net' },
];

describe('exportTxt', () => {
  it('when objects are exported, then values are grouped under section headings in a fixed order', () => {
    expect(exportTxt(OBJECTS).output).toBe(
      [
        '# IPv4 addresses\n10.0.0.1\n10.0.0.2:443\n',
        '# Domains\nevil.com\nbad.org\nsco.net\n',
        '# URLs\nhttp://evil.com/a.php?x=1\n',
        '# E-mail addresses\na@evil.com\n',
        '# SHA-256\n385e31c97e3a07bbb81513f0cd0979e64e6b014943902efd002f57b21eadd41e\n',
      ].join('\n'),
    );
  });

  it('when defanging is asked, then no value stays clickable and hashes are unchanged', () => {
    const { output } = exportTxt(OBJECTS, { defang: true });
    expect(output).toContain('hxxp://evil[.]com/a.php?x=1');
    expect(output).toContain('10[.]0[.]0[.]1');
    expect(output).toContain('a[@]evil[.]com');
    expect(output).toContain('385e31c97e3a07bbb81513f0cd0979e64e6b014943902efd002f57b21eadd41e');
    expect(output).not.toMatch(/https?:\/\//);
  });

  it.each([false, true])('when the export (defang %s) is imported again, then the same patterns come back', (defangOn) => {
    const back = importTxt(exportTxt(OBJECTS, { defang: defangOn }).output, { now });
    const patterns = back.objects.map((o) => o['pattern']);
    expect(patterns).toEqual([
      "[ipv4-addr:value = '10.0.0.1']",
      "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '10.0.0.2' AND network-traffic:dst_port = 443]",
      "[domain-name:value = 'evil.com']",
      "[domain-name:value = 'bad.org']",
      "[domain-name:value = 'sco.net']",
      "[url:value = 'http://evil.com/a.php?x=1']",
      "[email-addr:value = 'a@evil.com']",
      "[file:hashes.'SHA-256' = '385e31c97e3a07bbb81513f0cd0979e64e6b014943902efd002f57b21eadd41e']",
    ]);
  });

  it('when a pattern compares a property no section is made for, then the value is kept in a comment with its STIX path', () => {
    const { output, issues } = exportTxt([ind(7, "[process:name = 'evil.exe']")]);
    expect(output).toContain('# process:name = "evil.exe"');
    expect(output.split('\n').filter((l) => l.length > 0 && !l.startsWith('#'))).toEqual([]);
    expect(issues).toEqual([]);
  });

  it('when a pattern holds a test other than equality, then the issue names the test and its value', () => {
    const { output, issues } = exportTxt([ind(8, '[file:size > 1000]')]);
    expect(output).toBe('');
    expect(issues.map((i) => i.code)).toEqual(['EXPORT_PATTERN_LOSSY', 'EXPORT_NO_VALUE']);
    expect(issues[0]?.message).toContain('file:size > 1000');
  });
});

describe('defang', () => {
  it.each([
    ['https://a.b.com/x.y', 'url', 'hxxps://a[.]b[.]com/x.y'],
    ['evil.com', 'domain-name', 'evil[.]com'],
    ['u@evil.com', 'email-addr', 'u[@]evil[.]com'],
    ['2001:db8::1', 'ipv6-addr', '2001[:]db8[:][:]1'],
    ['a.exe', 'file-name', 'a.exe'],
  ] as const)('when %j (%s) is defanged, then it becomes %j', (value, kind, expected) => {
    expect(defang(value, kind)).toBe(expected);
  });
});
