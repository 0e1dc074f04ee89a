import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importCsv } from '../../../../src/mapping/csv/import';
import type { CsvMapping } from '../../../../src/mapping/csv/types';
import type { StixObject } from '../../../../src/mapping/types';

const FIXTURES = join(__dirname, '../../../fixtures/mapping/csv');
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

function load(name: string): { input: Buffer; mapping?: CsvMapping; expected: Expected } {
  const input = readFileSync(join(FIXTURES, `${name}.input.csv`));
  const mappingFile = join(FIXTURES, `${name}.mapping.json`);
  const expected = JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8')) as Expected;
  return existsSync(mappingFile)
    ? { input, expected, mapping: JSON.parse(readFileSync(mappingFile, 'utf8')) as CsvMapping }
    : { input, expected };
}

function run(name: string, now = OPTIONS.now): ReturnType<typeof importCsv> {
  const { input, mapping } = load(name);
  return importCsv(input, mapping === undefined ? { ...OPTIONS, now } : { ...OPTIONS, now, mapping });
}

describe('importCsv (fixtures)', () => {
  it.each(cases)('when importing %s, then indicators, other objects and issues match the expected file', (name) => {
    const { expected } = load(name);
    const result = run(name);
    const indicators = result.objects.filter((o) => o.type === 'indicator');
    expect(indicators).toHaveLength(expected.indicators.length);
    indicators.forEach((o, i) => expect(o).toMatchObject(expected.indicators[i] ?? {}));
    const other = result.objects
      .filter((o) => o.type !== 'indicator' && o.type !== 'identity')
      .map((o) => ({ type: o.type, name: o['name'] }));
    expect(other).toEqual(expected.other);
    expect(result.issues.map((i) => `${i.code} ${i.path}`)).toEqual(expected.issues);
    expect(result.stats.indicators).toBe(expected.indicators.length);
  });

  it.each(cases)('when %s is imported twice at different times, then the ids are the same', (name) => {
    const ids = (objects: StixObject[]): string[] => objects.map((o) => o.id);
    expect(ids(run(name, '2030-05-05T00:00:00.000Z').objects)).toEqual(ids(run(name).objects));
  });

  it.each(cases)('when %s is imported, then every indicator is plain STIX 2.1 from the configured source', (name) => {
    for (const o of run(name).objects.filter((x) => x.type === 'indicator')) {
      expect(o).toMatchObject({ spec_version: '2.1', pattern_type: 'stix', created_by_ref: IDENTITY });
      expect(o.id).toMatch(/^indicator--[0-9a-f-]{36}$/);
      expect(String(o['pattern'])).not.toMatch(/\[\.\]|hxxp|\[:\]|\[@\]/);
    }
  });
});

describe('importCsv', () => {
  const now = '2024-01-01T00:00:00.000Z';

  it('when the input is binary garbage, then one error issue and no objects', () => {
    const garbage = Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x9c, 0x00, 0x13, 0x37]);
    const result = importCsv(garbage, { now });
    expect(result.objects).toEqual([]);
    expect(result.issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual(['CSV_NOT_TEXT']);
  });

  it('when one line is 20 MB long, then one error issue names the row and the import ends quickly', () => {
    const text = `value\n1.2.3.4\n${'a'.repeat(20_000_000)}\n`;
    const started = Date.now();
    const result = importCsv(text, { now });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.objects).toEqual([]);
    const errors = result.issues.filter((i) => i.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'CSV_FIELD_TOO_LONG', path: 'row 3, column 1' });
  });

  it('when a row holds a hash and a C2 domain, then the file and the domain are two indicators', () => {
    const text = 'SHA256,C2\n892d5e8e763073648dfebcfd4c89526989d909d6189826a974f17e2311de8bc4,microsofte-update.com\n';
    const patterns = importCsv(text, { now }).objects.map((o) => o['pattern']);
    expect(patterns).toEqual([
      "[file:hashes.'SHA-256' = '892d5e8e763073648dfebcfd4c89526989d909d6189826a974f17e2311de8bc4']",
      "[domain-name:value = 'microsofte-update.com']",
    ]);
  });

  it('when a typed column holds a value of another type, then the value is skipped with an issue', () => {
    const mapping: CsvMapping = { columns: [{ header: 'md5', role: 'value', value_type: 'md5' }] };
    const result = importCsv('md5\nevil.com\n', { now, mapping });
    expect(result.objects).toEqual([]);
    expect(result.issues.map((i) => [i.code, i.path])).toContainEqual(['CSV_VALUE_NOT_RECOGNIZED', 'row 2, column 1']);
  });

  it('when the mapping names columns the file lacks, then an error issue says no value column exists', () => {
    const mapping: CsvMapping = { columns: [{ header: 'IOC Value', role: 'value' }] };
    const result = importCsv('foo,bar\n1.2.3.4,x\n', { now, mapping });
    expect(result.objects).toEqual([]);
    expect(result.issues.map((i) => i.code)).toEqual(['CSV_COLUMN_NOT_FOUND', 'CSV_NO_VALUE_COLUMN']);
  });

  it('when headers differ in case, spacing and script, then columns are still found by name', () => {
    const mapping: CsvMapping = {
      columns: [
        { header: 'ioc value', role: 'value' },
        { header: 'ТИП', role: 'type' },
      ],
    };
    const result = importCsv(' IOC  Value ,Тип\n10.0.0.1,IP\n', { now, mapping });
    expect(result.objects.map((o) => o['pattern'])).toEqual(["[ipv4-addr:value = '10.0.0.1']"]);
  });

  it('when a URL column holds a URL with spaces in its path, then the spaces are encoded as %20', () => {
    const result = importCsv('Download URL\nhttp://149[.]56[.]65[.]124/~packingm/mr t/Host[.]exe\n', { now });
    expect(result.objects.map((o) => o['pattern'])).toEqual(["[url:value = 'http://149.56.65.124/~packingm/mr%20t/Host.exe']"]);
  });

  it('when no source is configured, then indicators carry no created_by_ref and no identity is emitted', () => {
    const result = importCsv('value\n10.0.0.1\n', { now });
    expect(result.objects.map((o) => o.type)).toEqual(['indicator']);
    expect(result.objects[0]).not.toHaveProperty('created_by_ref');
  });
});

describe('importCsv (languages and encodings)', () => {
  const now = '2024-01-01T00:00:00.000Z';
  const latin1 = (text: string): Buffer => Buffer.from([...text].map((c) => c.charCodeAt(0)));

  it('when a German list is written in windows-1252, then its letters and headers are read as German', () => {
    const input = latin1('Typ;Wert;Beschreibung;Erstmals gesehen\nURL;hxxps://b\u00f6se[.]de/a;Stra\u00dfe;07.12.2023\n');
    const result = importCsv(input, { now });
    expect(result.issues.map((i) => i.message).join('\n')).toContain('decoded as windows-1252');
    const [ind] = result.objects;
    expect(ind?.['pattern']).toBe("[url:value = 'https://xn--bse-sna.de/a']");
    expect(ind?.['description']).toBe('Stra\u00dfe');
    expect(ind?.['valid_from']).toBe('2023-12-07T00:00:00Z');
  });

  it('when a Russian list is written in windows-1251, then it is still read as Cyrillic', () => {
    const input = Buffer.concat([
      Buffer.from('type,value,comment\nip,203.0.113.9,'),
      Buffer.from([0xd1, 0xe5, 0xf0, 0xe2, 0xe5, 0xf0, 0x0a]),
    ]);
    const result = importCsv(input, { now });
    expect(result.objects[0]?.['description']).toBe('Сервер');
  });

  it('when a French list is UTF-16 and tab-separated, then its type and value columns are found', () => {
    const text = "Type d'indicateur\tValeur\tCommentaire\nNom de domaine\tmal(dot)fr\tphishing\nCIDR\t198.51.100.0/25\t\n";
    const input = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const result = importCsv(input, { now });
    expect(result.objects.map((o) => [o['pattern'], o['description']])).toEqual([
      ["[domain-name:value = 'mal.fr']", 'phishing'],
      ["[ipv4-addr:value = '198.51.100.0/25']", undefined],
    ]);
    expect(result.issues.filter((i) => i.code === 'CSV_UNKNOWN_TYPE')).toEqual([]);
  });
});

describe('importCsv: abuse.ch feeds (header in the last comment line)', () => {
  const patterns = (csv: string): string[] =>
    importCsv(Buffer.from(csv, 'utf8'), OPTIONS)
      .objects.filter((o) => o.type === 'indicator')
      .map((o) => String(o['pattern']));

  it('when the header is the last line of the comment block, then its columns are read by name and status or link columns make no indicator', () => {
    const csv = [
      '################################################',
      '# URLhaus-style dump (CSV)                     #',
      '################################################',
      '#',
      '# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter',
      '"7001","2023-01-01 09:58:06","http://198.51.100.4:55307/Mozi.m","online","2023-01-01 09:58:06","malware_download","elf,Mozi","https://feed.example.org/url/7001/","r1"',
    ].join('\n');
    const result = importCsv(Buffer.from(csv, 'utf8'), OPTIONS);
    const indicators = result.objects.filter((o) => o.type === 'indicator');
    expect(indicators.map((o) => o['pattern'])).toEqual(["[url:value = 'http://198.51.100.4:55307/Mozi.m']"]);
    expect(indicators[0]?.['valid_from']).toBe('2023-01-01T09:58:06Z');
    expect(indicators[0]?.['labels']).toEqual(['elf', 'Mozi']);
    expect(String(indicators[0]?.['description'])).toContain('urlhaus_link: https://feed.example.org/url/7001/');
  });

  it('when a MalwareBazaar-style row carries an imphash, then it stays in the description and is no file MD5', () => {
    const csv = [
      '# "first_seen_utc","sha256_hash","md5_hash","sha1_hash","reporter","file_name","imphash","ssdeep"',
      '"2023-01-01 10:00:07", "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f", "44d88612fea8a8f36de82e1278abb02f", "3395856ce81f2b7382dee72602f798b642f14140", "r2", "invoice.exe", "f34d5f2d4577ed6d9ceec516c1f5a744", "3072:abc:def"',
    ].join('\n');
    const found = patterns(csv);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain("file:hashes.MD5 = '44d88612fea8a8f36de82e1278abb02f'");
    expect(found.join(' ')).not.toContain('f34d5f2d4577ed6d9ceec516c1f5a744');
  });

  it('when a commented line does not read as a header, then the first row stays the header', () => {
    const csv = ['# exported 2023-01-01', 'indicator,type', '198.51.100.8,ip'].join('\n');
    expect(patterns(csv)).toEqual(["[ipv4-addr:value = '198.51.100.8']"]);
  });
});

describe('importCsv: mutex rows', () => {
  it('when a row is typed Mutex, then it becomes a mutex:name indicator with the name as written', () => {
    const csv = ['Indicator type,Indicator', 'Mutex,Global\\Mtx 42', 'Mutex,'].join('\n');
    const indicators = importCsv(Buffer.from(csv, 'utf8'), OPTIONS).objects.filter((o) => o.type === 'indicator');
    expect(indicators.map((o) => o['pattern'])).toEqual(["[mutex:name = 'Global\\\\Mtx 42']"]);
  });
});

describe('importCsv: cells that say "no value"', () => {
  it('when tag, reference and date cells hold None or N/A, then they give no label, description part or date warning', () => {
    const text = [
      'first_seen_utc,ioc_value,ioc_type,last_seen_utc,reference,tags,malware_printable',
      '2023-01-01 09:57:01,http://203.0.113.5/gate.php,url,None,None,None,Formbook',
      '2023-01-01 09:58:11,bad-c2.example.top,domain,N/A,https://example.org/report/1,"Qakbot,None",QakBot',
    ].join('\n');
    const result = importCsv(text, { now: '2024-01-01T00:00:00.000Z' });
    const [url, domain] = result.objects.filter((o) => o.type === 'indicator');
    expect(url?.['labels']).toBeUndefined();
    expect(url?.['description']).toBe('malware_printable: Formbook');
    expect(domain?.['labels']).toEqual(['Qakbot']);
    expect(domain?.['description']).toBe('reference: https://example.org/report/1\nmalware_printable: QakBot');
    expect(result.issues.map((i) => i.code)).not.toContain('CSV_BAD_DATE');
  });
});
