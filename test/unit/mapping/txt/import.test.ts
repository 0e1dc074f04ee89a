import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importTxt } from '../../../../src/mapping/txt/import';

const FIXTURES = join(__dirname, '../../../fixtures/mapping/txt');
const IDENTITY = 'identity--0b7c1a52-64d8-4c5e-9a4e-3f1f0d6b2c11';
const OPTIONS = { now: '2024-01-01T00:00:00.000Z', source: { name: 'Test CERT', identity: IDENTITY } };

interface Expected {
  readonly indicators: readonly Record<string, unknown>[];
  readonly other: readonly { type: string; name?: string }[];
  readonly issues: readonly string[];
}

const cases = readdirSync(FIXTURES)
  .filter((f) => f.includes('.input.'))
  .map((f) => f.slice(0, f.indexOf('.input.')));

function input(name: string): Buffer {
  return readFileSync(join(FIXTURES, `${name}.input.txt`));
}

describe('importTxt (fixtures)', () => {
  it.each(cases)('when importing %s, then indicators, other objects and issues match the expected file', (name) => {
    const expected = JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8')) as Expected;
    const result = importTxt(input(name), OPTIONS);
    const indicators = result.objects.filter((o) => o.type === 'indicator');
    expect(indicators).toHaveLength(expected.indicators.length);
    indicators.forEach((o, i) => expect(o).toMatchObject(expected.indicators[i] ?? {}));
    const other = result.objects
      .filter((o) => o.type !== 'indicator' && o.type !== 'identity')
      .map((o) => ({ type: o.type, name: o['name'] }));
    expect(other).toEqual(expected.other);
    expect(result.issues.map((i) => `${i.code} ${i.path}`)).toEqual(expected.issues);
  });

  it.each(cases)('when %s is imported twice at different times, then the ids are the same', (name) => {
    const a = importTxt(input(name), OPTIONS).objects.map((o) => o.id);
    const b = importTxt(input(name), { ...OPTIONS, now: '2031-01-01T00:00:00.000Z' }).objects.map((o) => o.id);
    expect(b).toEqual(a);
    expect(new Set(a).size).toBe(a.length);
  });
});

describe('importTxt', () => {
  const now = '2024-01-01T00:00:00.000Z';

  it('when the same value comes from a CSV and a TXT list of one source, then both give the same id', () => {
    const a = importTxt('evil.com\n', { now, sourceName: 'CERT-X' }).objects[0]?.id;
    const b = importTxt('# Domains\nevil[.]com\n', { now, sourceName: 'CERT-X' }).objects[0]?.id;
    const c = importTxt('evil.com\n', { now, sourceName: 'CERT-Y' }).objects[0]?.id;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('when a TLP is configured, then every indicator carries the TLP 2.0 marking', () => {
    const result = importTxt('10.0.0.1\nevil.com\n', { now, tlp: 'amber+strict' });
    for (const o of result.objects) {
      expect(o['object_marking_refs']).toEqual(['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003']);
    }
  });

  it('when a line is longer than the limit, then one error names the line and nothing is imported', () => {
    const result = importTxt(`1.2.3.4\n${'x'.repeat(100_000)}\n`, { now });
    expect(result.objects).toEqual([]);
    expect(result.issues.map((i) => [i.severity, i.code, i.path])).toEqual([['error', 'TXT_LINE_TOO_LONG', 'line 2']]);
  });

  it('when the input is UTF-16 with a BOM, then it is decoded', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('evil.com\r\n', 'utf16le')]);
    expect(importTxt(utf16, { now }).objects.map((o) => o['pattern'])).toEqual(["[domain-name:value = 'evil.com']"]);
  });

  it('when an IPv6 address is listed with a port, then the indicator is named with the address in brackets', () => {
    const result = importTxt('[2001:db8::2]:8443\n198.51.100.7:443\n', { now });
    expect(result.objects.map((o) => o['name'])).toEqual(['[2001:db8::2]:8443', '198.51.100.7:443']);
  });
});

describe('importTxt: value;comment lists (LOKI, signature-base)', () => {
  const text = [
    '# MD5;COMMENT',
    '66da7ed621149975f6e643b4f9886cfd;Symantec Report http://goo.gl/9Tmq2e msuta64.dll',
    '20831e820af5f41353b5afab659f2ad42ec6df5d9692448872f3ed8bbb40ab92;Regin Malware Sample',
    '208.100.26.231;Webscanners with Bad Requests - HTTP Status 400',
    'http://203.0.113.8/gate.php;jsessionid=1',
  ].join('\n');

  it('when a line is a hash or address, a semicolon and a comment, then the comment is its description and no value of it an indicator', () => {
    const objects = importTxt(text, OPTIONS).objects.filter((o) => o.type === 'indicator');
    expect(objects.map((o) => [o['pattern'], o['description']])).toEqual([
      ["[file:hashes.MD5 = '66da7ed621149975f6e643b4f9886cfd']", 'Symantec Report http://goo.gl/9Tmq2e msuta64.dll'],
      ["[file:hashes.'SHA-256' = '20831e820af5f41353b5afab659f2ad42ec6df5d9692448872f3ed8bbb40ab92']", 'Regin Malware Sample'],
      ["[ipv4-addr:value = '208.100.26.231']", 'Webscanners with Bad Requests - HTTP Status 400'],
      ["[url:value = 'http://203.0.113.8/gate.php;jsessionid=1']", undefined],
    ]);
  });
});

describe('importTxt: titles above value lists', () => {
  it('when a title line stands above value lines without comments, then it becomes their description', () => {
    const text = [
      'APPENDIX D: 11 EXAMPLES OF CAMPO LOADER DLL FILES IN MARCH AND APRIL 2021',
      '',
      '00d71bcfe0af23d653b79a363683e918cdc6bbc297c7b5e16890d4d4bc7a249d',
      '198.51.100.7\tC2 server',
    ].join('\n');
    const objects = importTxt(text, OPTIONS).objects.filter((o) => o.type === 'indicator');
    expect(objects.map((o) => o['description'])).toEqual([
      'APPENDIX D: 11 EXAMPLES OF CAMPO LOADER DLL FILES IN MARCH AND APRIL 2021',
      'C2 server',
    ]);
  });

  it('when a command, markup or a sentence follows the title, then the values after it get no description from the title', () => {
    const text = [
      'RUN METHOD:',
      'rundll32.exe [filename],DF1',
      '0f79a049b29bbadaec6b24f9dc847ce39843b01ab50a10e878970b41b6d702a3',
      'Observed hashes',
      'Information removed.',
      '37d298ab9d815c7ec02ac0a304e114ddf1b27593f522dd881de094ab753ef33a',
    ].join('\n');
    const objects = importTxt(text, OPTIONS).objects.filter((o) => o.type === 'indicator');
    expect(objects.map((o) => o['description'])).toEqual([undefined, undefined]);
  });
});
