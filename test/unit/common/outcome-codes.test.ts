import { readFileSync } from 'fs';
import { join } from 'path';
import { OUTCOME_CODES, isOutcomeCode } from '../../../src/common/outcome-codes';
import { OUTCOME_CODES_DOC, renderOutcomeCodesDoc } from '../../../scripts/outcome-codes-doc';
import { YAML_ERROR_CODES, scanSource, scanText, schemaKeywordCodes } from '../../helpers/outcome-code-scan';

const ROOT = join(__dirname, '..', '..', '..');
const scan = scanSource(join(ROOT, 'src'), ROOT);
const schemaCodes = schemaKeywordCodes(join(ROOT, 'schemas', 'stix'));
const yamlCodes = YAML_ERROR_CODES.map((c) => `YAML_${c}`);

/** Every code the source can emit: literals, templates, schema keywords, yaml parser codes. */
const emitted = new Set<string>([...scan.codes.keys(), ...schemaCodes, ...yamlCodes]);

describe('outcome code catalogue', () => {
  it('when the source is scanned, then it finds well over 150 emitted codes (the scan is not vacuous)', () => {
    expect(scan.codes.size).toBeGreaterThan(150);
    // Known codes of each emitting position are found.
    for (const code of [
      'PATTERN_SYNTAX',
      'VERSION_CONFLICT',
      'JOB_EXPIRED',
      'NOT_PRODUCER',
      'FORBIDDEN',
      'REFANGED',
      'NETWORK',
      'SCHEMA',
    ]) {
      expect(scan.codes.has(code)).toBe(true);
    }
    expect(scan.codes.has('CSV_TOO_LARGE') && scan.codes.has('TXT_NOT_TEXT')).toBe(true);
  });

  it('when a code is emitted anywhere in src/, then the catalogue lists it', () => {
    const missing = [...emitted].filter((c) => !isOutcomeCode(c)).map((c) => `${c} (${(scan.codes.get(c) ?? ['schema/yaml']).join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('when a catalogue entry is no longer emitted, then it is reported as stale', () => {
    const stale = Object.keys(OUTCOME_CODES).filter((c) => !emitted.has(c));
    expect(stale).toEqual([]);
  });

  it('when a fake code is added in an emitting position, then the scan finds it and the catalogue lacks it', () => {
    const found = scanText(
      [
        "issues.push(issue('error', 'FAKE_NEW_CODE', '/x', 'm'));",
        "throw new TaxiiError(400, 'FAKEWORD', 't', 'd');",
        'await statuses.failPending(id, `FAKE_STATUS_CODE: gone`);',
      ].join('\n'),
    );
    expect([...found].sort()).toEqual(['FAKEWORD', 'FAKE_NEW_CODE', 'FAKE_STATUS_CODE']);
    expect([...found].filter((c) => !isOutcomeCode(c))).toHaveLength(3);
  });

  it('when environment variable names and vocabulary values appear in src/, then they are not taken for codes', () => {
    const found = scanText("const url = env['REDIS_URL'] ?? env['GATEWAY_PORT']; const f = ['AF_INET', 'SHA_256'];");
    expect([...found]).toEqual([]);
  });

  it('when every entry is read, then it has a one-line meaning and a severity', () => {
    for (const [code, info] of Object.entries(OUTCOME_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(info.meaning).not.toMatch(/\n/);
      expect(info.meaning.length).toBeGreaterThan(10);
      expect(['error', 'warning', 'info']).toContain(info.severity);
    }
  });

  it('when docs/outcome-codes.md is compared with the generator, then it is up to date (npx tsx scripts/outcome-codes-doc.ts)', () => {
    expect(readFileSync(OUTCOME_CODES_DOC, 'utf8')).toBe(renderOutcomeCodesDoc());
  });
});
