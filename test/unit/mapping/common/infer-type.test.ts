import fc from 'fast-check';
import { inferValueType, patternForValue } from '../../../../src/mapping/common/infer-type';
import { isKnownTld } from '../../../../src/mapping/common/tlds';

describe('inferValueType', () => {
  it.each([
    ['1.2.3.4', 'ipv4-addr', '1.2.3.4', {}],
    ['1.2.3.4:443', 'ipv4-addr', '1.2.3.4', { port: 443 }],
    ['10.1.2.0/24', 'ipv4-addr', '10.1.2.0/24', {}],
    ['185.178.209[.]193', 'ipv4-addr', '185.178.209.193', { refanged: true }],
    ['[2001:db8::1]:443', 'ipv6-addr', '2001:db8::1', { port: 443 }],
    ['2001:DB8::1', 'ipv6-addr', '2001:db8::1', {}],
    ['evil[.]com', 'domain-name', 'evil.com', { refanged: true }],
    ['Sub.Evil.CO.UK', 'domain-name', 'sub.evil.co.uk', {}],
    ['evil.com:8080', 'domain-name', 'evil.com', { port: 8080 }],
    ['www.evil.zip', 'domain-name', 'www.evil.zip', {}],
    ['onet.pl', 'domain-name', 'onet.pl', {}],
    ['hxxp://333media[.]co[.]uk/.tmb/inf.inf', 'url', 'http://333media.co.uk/.tmb/inf.inf', { refanged: true }],
    ['52[.]24[.]83[.]191/afplayer/x.php', 'url', '52.24.83.191/afplayer/x.php', { refanged: true }],
    ['evil.com/path?q=1', 'url', 'evil.com/path?q=1', {}],
    ['user[@]evil[.]com', 'email-addr', 'user@evil.com', { refanged: true }],
    ['d41d8cd98f00b204e9800998ecf8427e', 'file-hash', 'd41d8cd98f00b204e9800998ecf8427e', { hashAlgorithm: 'MD5' }],
    ['DA39A3EE5E6B4B0D3255BFEF95601890AFD80709', 'file-hash', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', { hashAlgorithm: 'SHA-1' }],
    ['AS1234', 'autonomous-system', '1234', {}],
    ['ASN 64512', 'autonomous-system', '64512', {}],
    ['cve-2021-44228', 'cve', 'CVE-2021-44228', {}],
    ['readme.txt', 'file-name', 'readme.txt', {}],
    ['invoice.pdf', 'file-name', 'invoice.pdf', {}],
    ['svchost.exe', 'file-name', 'svchost.exe', {}],
    ['archive.zip', 'file-name', 'archive.zip', {}],
    ['C:\\Users\\Public\\18482.xoq', 'file-name', 'C:\\Users\\Public\\18482.xoq', {}],
    ['deed contract 07.06.2020.doc', 'file-name', 'deed contract 07.06.2020.doc', {}],
  ] as const)('when the text is %j, then it is %s %j', (text, type, value, extra) => {
    expect(inferValueType(text)).toMatchObject({ type, value, ...extra });
  });

  it.each(['e.g', 'i.e', 'e.g.', '1.2.3', 'v2.0', 'hello', 'foo.bar1', '256.1.1.1', 'deadbeef', '1.2.3.4:99999'])(
    'when the text is the prose word %j, then it is unknown with a reason',
    (text) => {
      const v = inferValueType(text);
      expect(v.type).toBe('unknown');
      expect(v.reason).toEqual(expect.any(String));
    },
  );

  it.each(['xxx.xxx.xxx.xxx', '1.2.3.x', '10.0.*.*', '<redacted>', '[REDACTED]', 'N/A', 't****.h******@yahoo.com'])(
    'when the text is the masked value %j, then it is unknown and marked masked',
    (text) => {
      expect(inferValueType(text)).toMatchObject({ type: 'unknown', masked: true });
    },
  );

  it('when any text is given, then inference never throws and never leaves defang markers in a pattern', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const pattern = patternForValue(inferValueType(text));
        if (pattern !== undefined) expect(pattern).not.toMatch(/\[\.\]|\(\.\)|\[@\]|\[:\]|^\[\w+:value = 'hxxp/);
      }),
      { numRuns: 2000 },
    );
  });

  it('when a 1 MB token is given, then inference answers quickly', () => {
    const started = Date.now();
    inferValueType(`${'a.'.repeat(500_000)}com`);
    inferValueType('a'.repeat(1_000_000));
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('patternForValue', () => {
  it.each([
    ["http://evil.com/a'b\\c", "[url:value = 'http://evil.com/a\\'b\\\\c']"],
    [
      '1.2.3.4:443',
      "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '1.2.3.4' AND network-traffic:dst_port = 443]",
    ],
    ['AS0174', '[autonomous-system:number = 174]'],
    [
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    ],
    ['C:\\Temp\\a.exe', "[file:name = 'a.exe' AND file:parent_directory_ref.path = 'C:\\\\Temp']"],
  ])('when the value is %j, then the pattern is %s', (text, pattern) => {
    expect(patternForValue(inferValueType(text))).toBe(pattern);
  });

  it('when the value is a CVE or unknown, then there is no pattern', () => {
    expect(patternForValue(inferValueType('CVE-2020-0601'))).toBeUndefined();
    expect(patternForValue(inferValueType('hello'))).toBeUndefined();
  });
});

describe('isKnownTld', () => {
  it.each([
    ['com', true],
    ['RU', true],
    ['рф', true],
    ['onion', true],
    ['exe', false],
    ['g', false],
    ['txt', false],
  ])('when the label is %j, then it is known: %s', (label, known) => {
    expect(isKnownTld(label)).toBe(known);
  });
});
