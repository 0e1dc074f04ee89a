/**
 * The conversion report over test/fixtures/corpus/ (scripts/conversion-report.ts), run in CI: every case
 * passes, and docs/mapping/samples-report.md records the figures the code produces today.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatConversionReport, passed, runConversionReport } from '../../../scripts/conversion-report';

const CORPUS = join(__dirname, '../../fixtures/corpus');
const RECORDED = join(__dirname, '../../../docs/mapping/samples-report.md');

describe('conversion report', () => {
  const results = runConversionReport(CORPUS);

  it('when the corpus is converted, then there is at least one case per direction of the mapping issue table', () => {
    const directions = new Set(results.map((r) => r.direction));
    for (const d of [
      'stix1-to-stix21',
      'misp-to-stix21',
      'misp-to-stix1',
      'stix21-to-misp',
      'openioc-to-stix21',
      'openioc-to-stix1',
      'stix20-to-stix21',
      'csv-to-stix21',
      'txt-to-stix21',
      'stix21-to-csv',
      'stix21-to-openioc',
      'stix21-to-txt',
      'stix21-to-stix1',
    ]) {
      expect(directions.has(d)).toBe(true);
    }
  });

  it('when every case is converted, then each one converts, validates strictly and keeps its expected values', () => {
    expect(results.filter((r) => !passed(r)).map((r) => `${r.direction}/${r.name}: ${r.detail}`)).toEqual([]);
  });

  it('when docs/mapping/samples-report.md is read, then it records the figures of this run', () => {
    expect(readFileSync(RECORDED, 'utf8')).toContain(formatConversionReport(results));
  });
});
