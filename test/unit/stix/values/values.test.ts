import {
  canonicalDomain,
  canonicalEmail,
  canonicalHashName,
  canonicalHashValue,
  canonicalIpv4,
  canonicalIpv6,
  canonicalUrl,
  refang,
} from '../../../../src/stix/values';

type Row = readonly [string, string | undefined];

function table(name: string, fn: (s: string) => string | undefined, rows: readonly Row[]): void {
  describe(name, () => {
    it.each(rows)('when given %j, then returns %j', (input, expected) => {
      expect(fn(input)).toBe(expected);
    });
  });
}

describe('refang', () => {
  const rows: readonly (readonly [string, string, boolean])[] = [
    ['hxxp://evil[.]com', 'http://evil.com', true],
    ['hXXps://evil(.)com/a', 'https://evil.com/a', true],
    ['h**p://a{.}b', 'http://a.b', true],
    ['fxp://files[dot]example(dot)org', 'ftp://files.example.org', true],
    ['hxxp[://]evil.com', 'http://evil.com', true],
    ['hxxps[:]//evil.com', 'https://evil.com', true],
    ['user[@]example[.]com', 'user@example.com', true],
    ['user(at)example.com', 'user@example.com', true],
    ['user[AT]example[DOT]com', 'user@example.com', true],
    ['1.2.3\\.4', '1.2.3.4', true],
    ['example . com', 'example.com', true],
    ['evil.com[/]path', 'evil.com/path', true],
    ['http://clean.example.com/x', 'http://clean.example.com/x', false],
    ['hxxpd is not a scheme', 'hxxpd is not a scheme', false],
    ['', '', false],
  ];
  it.each(rows)('when given %j, then returns %j (changed=%j)', (input, value, changed) => {
    expect(refang(input)).toEqual({ value, changed });
  });

  it('when given a long input full of markers, then finishes in linear time', () => {
    const input = '[.'.repeat(200_000) + '(dot' + '[at'.repeat(100_000);
    const t0 = Date.now();
    refang(input);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

table('canonicalIpv4', canonicalIpv4, [
  ['1.2.3.4', '1.2.3.4'],
  [' 8.8.8.8 ', '8.8.8.8'],
  ['010.001.002.003', '10.1.2.3'],
  ['255.255.255.255', '255.255.255.255'],
  ['10.1.2.3/8', '10.0.0.0/8'],
  ['192.168.1.77/27', '192.168.1.64/27'],
  ['1.2.3.4/32', '1.2.3.4/32'],
  ['1.2.3.4/0', '0.0.0.0/0'],
  ['1.2.3.256', undefined],
  ['1.2.3', undefined],
  ['1.2.3.4.5', undefined],
  ['1.2.3.4/33', undefined],
  ['1.2.3.4/', undefined],
  ['1.2.3.a', undefined],
  ['0001.2.3.4', undefined],
  ['::1', undefined],
  ['', undefined],
]);

table('canonicalIpv6', canonicalIpv6, [
  ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
  ['::', '::'],
  ['::1', '::1'],
  ['1::', '1::'],
  ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
  ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
  ['1:0:0:2:2:0:0:3', '1::2:2:0:0:3'],
  ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
  ['::FFFF:0102:0304', '::ffff:1.2.3.4'],
  ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ['2001:db8::1/32', '2001:db8::/32'],
  ['2001:db8::1/128', '2001:db8::1/128'],
  ['1::2::3', undefined],
  ['1:2:3:4:5:6:7', undefined],
  ['1:2:3:4:5:6:7:8:9', undefined],
  ['12345::', undefined],
  ['fe80::1%eth0', undefined],
  ['2001:db8::/129', undefined],
  ['1.2.3.4', undefined],
  [':1', undefined],
]);

table('canonicalDomain', canonicalDomain, [
  ['Example.COM', 'example.com'],
  ['example.com.', 'example.com'],
  ['  evil.example.org ', 'evil.example.org'],
  ['Bücher.de', 'xn--bcher-kva.de'],
  ['_dmarc.example.com', '_dmarc.example.com'],
  ['localhost', 'localhost'],
  ['1.2.3.4', undefined],
  ['-bad.com', undefined],
  ['bad-.com', undefined],
  ['a..com', undefined],
  ['exa mple.com', undefined],
  [`${'a'.repeat(64)}.com`, undefined],
  ['', undefined],
]);

table('canonicalEmail', canonicalEmail, [
  ['Bob@EXAMPLE.com', 'Bob@example.com'],
  [' alice@bücher.de ', 'alice@xn--bcher-kva.de'],
  ['no-at-sign', undefined],
  ['@example.com', undefined],
  ['a b@example.com', undefined],
  ['bob@-x.com', undefined],
]);

table('canonicalUrl', canonicalUrl, [
  ['HTTP://Evil.COM/Path?Q=A#F', 'http://evil.com/Path?Q=A#F'],
  ['https://User:Pw@Example.com:8443/x', 'https://User:Pw@example.com:8443/x'],
  ['http://[2001:DB8::1]:80/', 'http://[2001:db8::1]:80/'],
  ['http://010.0.0.1/a', 'http://10.0.0.1/a'],
  ['Evil.com/x', 'evil.com/x'],
  ['ftp://files.example.org', 'ftp://files.example.org'],
  ['http://', undefined],
  ['http://bad host/x', undefined],
  ['http://example.com:99999999/', undefined],
]);

table('canonicalHashName', canonicalHashName, [
  ['SHA256', 'SHA-256'],
  ['sha256', 'SHA-256'],
  ['SHA_256', 'SHA-256'],
  ['sha-256', 'SHA-256'],
  ['md5', 'MD5'],
  ['sha1', 'SHA-1'],
  ['SHA-512', 'SHA-512'],
  ['sha3-256', 'SHA3-256'],
  ['SHA3_512', 'SHA3-512'],
  ['ssdeep', 'SSDEEP'],
  ['tlsh', 'TLSH'],
  ['imphash', undefined],
  ['', undefined],
]);

describe('canonicalHashValue', () => {
  const rows: readonly (readonly [string, string, string | undefined])[] = [
    ['MD5', 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['sha1', ' DA39A3EE5E6B4B0D3255BFEF95601890AFD80709 ', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    [
      'SHA-256',
      'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
    ['SHA-512', 'a'.repeat(128), 'a'.repeat(128)],
    ['MD5', 'abc', undefined],
    ['SHA-1', 'g'.repeat(40), undefined],
    ['SSDEEP', '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C', '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C'],
    ['TLSH', 'T1A2B3', 'T1A2B3'],
    ['x-custom', ' Kept ', 'Kept'],
  ];
  it.each(rows)('when algorithm is %j and value %j, then returns %j', (name, value, expected) => {
    expect(canonicalHashValue(name, value)).toBe(expected);
  });
});
