/**
 * CSV mappings in collections.yaml: `csv_mappings` validated by the config schema (which inlines
 * csv-mapping.schema.json), collections' csv_mapping names cross-checked, and the shipped example loaded.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { loadConfigText } from '../../../../src/config/load-config';
import mappingSchema from '../../../../src/mapping/csv/csv-mapping.schema.json';
import configSchema from '../../../../schemas/config/collections.schema.json';

const FIXTURES = join(__dirname, '../../../fixtures/mapping/csv');

function config(extra: { collection?: string; top?: string }): string {
  return `server:
  title: Test gateway
api_roots:
  - name: root-a
    title: Root A
    max_content_length: 1048576
collections:
  - id: 11111111-1111-4111-8111-111111111111
    api_root: root-a
    title: One
    readers: [alice]
    writers: [alice]
${extra.collection ?? ''}principals:
  - name: alice
    identity: identity--22222222-2222-4222-8222-222222222222
    credentials:
      - basic: generate
${extra.top ?? ''}`;
}

const MAPPING = `csv_mappings:
  vendor-a:
    delimiter: ";"
    encoding: windows-1251
    columns:
      - { header: ["Индикатор", "IOC"], role: value }
      - { header: "Тип", role: type }
    type_values: { "Адрес IP": ip }
`;

describe('csv_mappings in collections.yaml', () => {
  it('when a collection names a declared mapping, then the frozen config holds both', () => {
    const r = loadConfigText(config({ collection: '    native_format: csv\n    csv_mapping: vendor-a\n', top: MAPPING }), 't.yaml');
    expect(r.issues).toEqual([]);
    expect(r.config?.collections[0]).toMatchObject({ native_format: 'csv', csv_mapping: 'vendor-a' });
    expect(r.config?.csv_mappings['vendor-a']?.type_values).toEqual({ 'Адрес IP': 'ip' });
    expect(Object.isFrozen(r.config?.csv_mappings)).toBe(true);
  });

  it('when the file has no csv_mappings, then the config has an empty map', () => {
    const r = loadConfigText(config({}), 't.yaml');
    expect(r.config?.csv_mappings).toEqual({});
  });

  it('when a collection names an unknown mapping, then UNKNOWN_CSV_MAPPING points at it with a suggestion', () => {
    const text = config({ collection: '    csv_mapping: vendor-b\n', top: MAPPING });
    const r = loadConfigText(text, 't.yaml');
    expect(r.config).toBeUndefined();
    const line = text.split('\n').findIndex((l) => l.includes('vendor-b')) + 1;
    expect(r.issues).toEqual([expect.objectContaining({ code: 'UNKNOWN_CSV_MAPPING', line })]);
    expect(r.issues[0]?.message).toContain('did you mean "vendor-a"');
  });

  it('when a mapping breaks the CSV mapping schema, then loading fails at that key', () => {
    const r = loadConfigText(config({ top: 'csv_mappings:\n  bad:\n    delimiter: ":"\n    columns: []\n' }), 't.yaml');
    expect(r.config).toBeUndefined();
    expect(r.issues.length).toBeGreaterThan(0);
    expect(r.issues.every((i) => i.line >= 18)).toBe(true);
  });

  it('when an unknown native_format is given, then loading fails', () => {
    const r = loadConfigText(config({ collection: '    native_format: yara\n' }), 't.yaml');
    expect(r.config).toBeUndefined();
  });

  it('when the shipped collections.yaml is loaded, then its example mapping reads the Cyrillic fixture', () => {
    const text = readFileSync(join(__dirname, '../../../../collections.yaml'), 'utf8');
    const r = loadConfigText(text, 'collections.yaml');
    expect(r.issues).toEqual([]);
    const ru = r.config?.collections.find((c) => c.alias === 'ru-cert-indicators');
    expect(ru?.csv_mapping).toBe('ru-cert-1251');
    expect(r.config?.csv_mappings['ru-cert-1251']?.encoding).toBe('windows-1251');
  });

  describe('the inlined schema agrees with csv-mapping.schema.json', () => {
    const ajv = new Ajv({ allErrors: true });
    const standalone = ajv.compile(mappingSchema);
    const inlined = ajv.compile({ $defs: configSchema.$defs, $ref: '#/$defs/csv_mapping' });
    const samples: unknown[] = [
      ...readdirSync(FIXTURES)
        .filter((f) => f.endsWith('.mapping.json'))
        .map((f) => JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as unknown),
      {},
      { columns: [{ role: 'value' }] },
      { columns: [{ header: 'x', role: 'guess' }] },
      { columns: [{ header: 'x', role: 'value' }], delimiter: ':' },
      { columns: [{ header: 'x', role: 'value' }], default_tlp: 'white' },
      { columns: [{ index: 2, role: 'value', value_type: 'sha256' }], skip: [{ index: 0, prefix: '#' }] },
    ];
    it.each(samples.map((s, i) => [i, s]))('when mapping sample %i is validated by both, then they agree', (_i, sample) => {
      expect(inlined(sample)).toBe(standalone(sample));
    });
  });
});
