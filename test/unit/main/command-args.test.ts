import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvMappingArg, formatArg, inputTimestamp } from '../../../src/main/command-args';

describe('src/main/command-args', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'command-args-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when --mapping names a JSON file holding a CSV mapping, then the mapping is returned', async () => {
    const file = join(dir, 'good.json');
    const mapping = { delimiter: ';', columns: [{ header: 'ioc', role: 'value', value_type: 'ipv4-addr' }] };
    writeFileSync(file, JSON.stringify(mapping));
    expect(await csvMappingArg(file, join(dir, 'absent.yaml'))).toEqual(mapping);
  });

  it('when the JSON file is not a CSV mapping, then a message names the file and the schema', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ delimiter: ';', columns: [] }));
    expect(await csvMappingArg(file, join(dir, 'absent.yaml'))).toBe(
      `--mapping ${file}: not a CSV mapping (see src/mapping/csv/csv-mapping.schema.json)`,
    );
  });

  it('when the JSON file does not parse, then the message says why', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"columns": [');
    expect(await csvMappingArg(file, join(dir, 'absent.yaml'))).toMatch(new RegExp(`^--mapping ${file}: .*JSON`));
  });

  it('when no mapping is given, then there is none and no config is read', async () => {
    expect(await csvMappingArg(undefined, join(dir, 'absent.yaml'))).toBeUndefined();
  });

  it('when a format name is unknown or missing, then the message lists the formats', async () => {
    expect(await formatArg('--from', 'yara')).toMatch(/^--from: unknown format "yara" \(.*csv.*\)$/);
    expect(await formatArg('--to', undefined)).toMatch(/^--to is required \(.*stix21.*\)$/);
    const csv = await formatArg('--from', 'csv');
    expect(typeof csv === 'string' ? csv : csv.format).toBe('csv');
  });

  it("when a file is named, then the import is dated with the file's modification time; stdin with the clock", () => {
    const file = join(dir, 'dated.csv');
    writeFileSync(file, 'x\n');
    const when = new Date('2024-05-06T07:08:09.000Z');
    utimesSync(file, when, when);
    expect(inputTimestamp(file)).toBe('2024-05-06T07:08:09.000Z');
    const before = Date.now();
    expect(Date.parse(inputTimestamp('-'))).toBeGreaterThanOrEqual(before - 1);
  });
});
