import Ajv from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import schema from '../../../../src/mapping/csv/csv-mapping.schema.json';
import { DEFAULT_EXPORT_MAPPING } from '../../../../src/mapping/csv/export';
import { detectCsvMapping } from '../../../../src/mapping/csv/detect-mapping';

const FIXTURES = join(__dirname, '../../../fixtures/mapping/csv');
const validate = new Ajv({ allErrors: true }).compile(schema);

describe('csv-mapping.schema.json', () => {
  const mappings = readdirSync(FIXTURES).filter((f) => f.endsWith('.mapping.json'));

  it.each(mappings)('when the fixture mapping %s is validated, then it is valid', (file) => {
    expect(validate(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')))).toBe(true);
  });

  it('when the default export mapping and a detected mapping are validated, then both are valid', () => {
    expect(validate(DEFAULT_EXPORT_MAPPING)).toBe(true);
    expect(validate(detectCsvMapping('Type,Indicator,Notes\nIP,1.2.3.4,x\n'))).toBe(true);
  });

  it.each<[unknown, string]>([
    [{}, 'columns missing'],
    [{ columns: [{ role: 'value' }] }, 'a column without header or index'],
    [{ columns: [{ header: 'x', role: 'guess' }] }, 'an unknown role'],
    [{ columns: [{ header: 'x', role: 'value' }], delimiter: ':' }, 'an unsupported delimiter'],
    [{ columns: [{ header: 'x', role: 'value' }], default_tlp: 'white' }, 'a TLP 1.0 name'],
  ])('when the mapping %j is validated, then it is rejected (%s)', (mapping, _why) => {
    expect(validate(mapping)).toBe(false);
  });
});
