/**
 * STIX 2.1 → CSV, TXT and OpenIOC never lose a value silently: a value with no column, section or term is
 * either written (a generic column with its STIX path as the type, a comment, an OpenIOC term) or named by
 * value in the export issues.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportCsv } from '../../../../src/mapping/csv/export';
import { exportOpenioc } from '../../../../src/mapping/openioc/export';
import { exportTxt } from '../../../../src/mapping/txt/export';
import type { ExportResult, StixObject } from '../../../../src/mapping/types';

const BUNDLE = join(__dirname, '../../../fixtures/mapping/list-exports/unlisted-values.json');

function objects(): StixObject[] {
  const parsed: unknown = JSON.parse(readFileSync(BUNDLE, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('objects' in parsed) || !Array.isArray(parsed.objects)) throw new Error('bundle');
  return parsed.objects.filter((o: unknown): o is StixObject => typeof o === 'object' && o !== null && 'type' in o && 'id' in o);
}

const VALUES = ['C:\\Users\\Public\\svch0st.exe', 'com.example.mdm.profile', 'com.gu.activity', 'Global\\evil-mutex', 'c2.example.net'];

/** Every value is in the document or in an issue message. */
function expectNothingLost(r: ExportResult): void {
  const messages = r.issues.map((i) => i.message).join('\n');
  const kept = (v: string): boolean => r.output.includes(v) || r.output.includes(JSON.stringify(v)) || messages.includes(v);
  expect(VALUES.filter((v) => !kept(v))).toEqual([]);
}

describe('list exports of values without a column or term', () => {
  it('when exported to CSV, then each value has a row, typed by its STIX path when no column type fits', () => {
    const r = exportCsv(objects());
    expectNothingLost(r);
    const rows = r.output.split('\r\n');
    expect(rows).toContain('configuration-profile:id,com.example.mdm.profile,,,,,,,2024-01-01T00:00:00Z,,,,');
    expect(rows).toContain('app:id,com.gu.activity,,,,,,,2024-01-01T00:00:00Z,,,,');
    expect(rows).toContain('filename,C:\\Users\\Public\\svch0st.exe,,,,,,,2024-01-01T00:00:00Z,,,,');
    expect(rows).toContain('mutex:name,Global\\evil-mutex,,,,,Global\\evil-mutex,,,,,,');
  });

  it('when exported to CSV with a mapping of typed columns only, then the values it cannot hold are named in the issues', () => {
    const r = exportCsv(objects(), {
      mapping: { header: true, columns: [{ header: 'domain', role: 'value', value_type: 'domain-name' }] },
    });
    expect(r.output).toContain('c2.example.net');
    expectNothingLost(r);
    expect(r.issues.filter((i) => i.code === 'EXPORT_NO_COLUMN').map((i) => i.message)).toContainEqual(
      expect.stringContaining('app:id value "com.gu.activity"'),
    );
  });

  it('when exported to text, then the values without a section are kept as comments after the sections', () => {
    const r = exportTxt(objects());
    expectNothingLost(r);
    const lines = r.output.trim().split('\n');
    expect(lines).toContain('# configuration-profile:id = "com.example.mdm.profile"');
    expect(lines.slice(lines.findIndex((l) => l.startsWith('# Values without'))).every((l) => l.startsWith('#'))).toBe(true);
  });

  it('when exported to OpenIOC, then file:path and the mutex get terms and the others are reported by value', () => {
    const r = exportOpenioc(objects());
    expect(r.output).toContain('search="FileItem/FullPath"');
    expect(r.output).toContain('Global\\evil-mutex');
    expectNothingLost(r);
    expect(r.issues.map((i) => i.code)).toContain('OPENIOC_EXPORT_PATTERN_UNSUPPORTED');
  });
});

describe('list exports of the malware their indicators indicate', () => {
  const T = '2024-12-13T21:15:49.152Z';
  const malware: StixObject = {
    type: 'malware',
    spec_version: '2.1',
    id: 'malware--fc5f2370-9d5b-4660-98d2-f7668b235831',
    created: T,
    modified: T,
    name: 'NoviSpy',
    description: 'IOCs for an Android spyware',
    is_family: false,
  };
  const ind: StixObject = {
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--b7c463ad-22d9-4005-85d2-0a822592ef82',
    created: T,
    modified: T,
    pattern: "[domain-name:value = 'c2.example.net']",
    pattern_type: 'stix',
    valid_from: T,
  };
  const rel: StixObject = {
    type: 'relationship',
    spec_version: '2.1',
    id: 'relationship--1c009626-3d8b-4377-ac44-f2bcf48a3197',
    created: T,
    modified: T,
    relationship_type: 'indicates',
    source_ref: ind.id,
    target_ref: malware.id,
  };
  const skipped = (r: ExportResult): string[] => r.issues.filter((i) => i.objectId === malware.id).map((i) => `${i.severity} ${i.message}`);

  it('when exported to CSV, then the malware name is a tag of the indicator and the skip issue says so', () => {
    const r = exportCsv([malware, ind, rel]);
    expect(r.output.split('\r\n')[1]).toBe(`domain-name,c2.example.net,,,,,,,${T},,NoviSpy,,`);
    expect(skipped(r)).toEqual([
      'info CSV: a malware has no place in an IOC list; its name "NoviSpy" is in the tags of the 1 indicator(s) it is linked to',
    ]);
  });

  it('when exported to CSV without an indicator linked to the malware, then its name is reported as lost', () => {
    expect(skipped(exportCsv([malware, ind]))).toEqual([
      'warning CSV: a malware has no place in an IOC list; its name "NoviSpy" is not written (no indicator of the list is linked to it)',
    ]);
  });

  it('when exported to text, then the malware name and description close the list as a comment', () => {
    const r = exportTxt([malware, ind, rel]);
    expect(r.output.endsWith('# Context of these values (not values):\n# malware "NoviSpy": IOCs for an Android spyware\n')).toBe(true);
  });

  it('when exported to OpenIOC, then the malware names the document and is a family link', () => {
    const r = exportOpenioc([malware, ind, rel]);
    expect(r.output).toContain('<short_description>NoviSpy</short_description><description>IOCs for an Android spyware</description>');
    expect(r.output).toContain('<links><link rel="family">NoviSpy</link></links>');
  });
});
