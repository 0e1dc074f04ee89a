import { exportCsv, neutralizeFormula, quoteCell } from '../../../../src/mapping/csv/export';
import { importCsv } from '../../../../src/mapping/csv/import';
import type { CsvMapping } from '../../../../src/mapping/csv/types';
import { TLP2_IDS } from '../../../../src/stix/markings';
import type { StixObject } from '../../../../src/mapping/types';

const now = '2024-01-01T00:00:00.000Z';

function ind(id: string, pattern: string, extra: Record<string, unknown> = {}): StixObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: now,
    modified: now,
    pattern,
    pattern_type: 'stix',
    valid_from: now,
    ...extra,
  };
}

const FILE = ind(
  'indicator--11111111-1111-4111-8111-111111111111',
  "[file:hashes.MD5 = '644087ccca16d2a728ef7685a4106f09' OR file:hashes.'SHA-256' = '385e31c97e3a07bbb81513f0cd0979e64e6b014943902efd002f57b21eadd41e']",
  { name: 'loader.dll', object_marking_refs: [TLP2_IDS.amber], labels: ['apt', 'loader'] },
);
const DOMAIN = ind('indicator--22222222-2222-4222-8222-222222222222', "[domain-name:value = 'evil.com']", {
  description: '=HYPERLINK("http://x")',
});

describe('exportCsv', () => {
  it('when no mapping is given, then the default header is written and a file keeps its hashes in one row', () => {
    const { output } = exportCsv([FILE, DOMAIN]);
    expect(output.split('\r\n')).toEqual([
      'type,value,md5,sha1,sha256,sha512,name,description,first_seen,last_seen,tags,confidence,tlp',
      `,,644087ccca16d2a728ef7685a4106f09,,385e31c97e3a07bbb81513f0cd0979e64e6b014943902efd002f57b21eadd41e,,loader.dll,,${now},,"apt,loader",,TLP:AMBER`,
      `domain-name,evil.com,,,,,,"'=HYPERLINK(""http://x"")",${now},,,,`,
      '',
    ]);
  });

  it('when the export is imported again, then the same patterns come back', () => {
    const back = importCsv(exportCsv([FILE, DOMAIN]).output, { now });
    expect(back.objects.map((o) => o['pattern'])).toEqual([FILE['pattern'], DOMAIN['pattern']]);
    expect(back.objects[0]?.['object_marking_refs']).toEqual([TLP2_IDS.amber]);
  });

  it('when a mapping with per-type columns is given, then values go to the columns of their type', () => {
    const mapping: CsvMapping = {
      delimiter: ';',
      columns: [
        { header: 'Domain', role: 'value', value_type: 'domain-name' },
        { header: 'SHA256', role: 'value', value_type: 'sha256' },
        { header: 'Name', role: 'name' },
      ],
    };
    const { output, issues } = exportCsv([FILE, DOMAIN], { mapping });
    expect(output).toBe(
      'Domain;SHA256;Name\r\n;385e31c97e3a07bbb81513f0cd0979e64e6b014943902efd002f57b21eadd41e;loader.dll\r\nevil.com;;\r\n',
    );
    expect(issues.map((i) => i.code)).toEqual(['EXPORT_NO_COLUMN']);
  });

  it('when a pattern ANDs values of two observations, then each value is written and the loss is reported', () => {
    const mixed = ind(
      'indicator--33333333-3333-4333-8333-333333333333',
      "[ipv4-addr:value = '10.0.0.1'] AND [url:value = 'http://a.com/x'] WITHIN 60 SECONDS",
    );
    const { output, issues } = exportCsv([mixed]);
    expect(output).toContain('ipv4-addr,10.0.0.1');
    expect(output).toContain('url,http://a.com/x');
    expect(issues.map((i) => i.code)).toEqual(['EXPORT_PATTERN_LOSSY']);
  });

  it('when an object has no place in a list, then it is reported, and identities are silently context', () => {
    const rel: StixObject = { type: 'relationship', id: 'relationship--44444444-4444-4444-8444-444444444444' };
    const identity: StixObject = { type: 'identity', id: 'identity--55555555-5555-4555-8555-555555555555' };
    const { issues } = exportCsv([rel, identity]);
    expect(issues.map((i) => [i.code, i.path])).toEqual([['EXPORT_OBJECT_SKIPPED', '/objects/0']]);
  });
});

describe('neutralizeFormula', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+cmd', "'+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['evil.com', 'evil.com'],
  ])('when the cell is %j, then it is written as %j', (cell, expected) => {
    expect(neutralizeFormula(cell)).toBe(expected);
  });
});

describe('quoteCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    [' padded', '" padded"'],
  ])('when the cell is %j, then it is written as %j', (cell, expected) => {
    expect(quoteCell(cell, ',', '"')).toBe(expected);
  });
});
