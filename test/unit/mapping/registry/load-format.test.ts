/**
 * The offline CLI loads one format at a time (src/mapping/load-format.ts); the server uses the whole table
 * (src/mapping/registry.ts). Both must answer the same definitions.
 */
import { FORMATS, formatDefinition } from '../../../../src/mapping/registry';
import { loadFormat } from '../../../../src/mapping/load-format';

const NOW = '2024-05-01T00:00:00.000Z';
const SMALL: Readonly<Record<string, string>> = {
  csv: 'value,type\n198.51.100.7,ip\n',
  txt: '198.51.100.8\n',
};

describe('loadFormat', () => {
  it.each(FORMATS.map((f) => [f]))('when %s is loaded alone, then its definition matches the registry table', async (format) => {
    const loaded = await loadFormat(format.toUpperCase());
    const table = formatDefinition(format);
    expect(loaded).toBeDefined();
    expect(table).toBeDefined();
    const pick = (d: typeof loaded) => ({ format: d?.format, title: d?.title, mediaType: d?.mediaType, extension: d?.extension });
    expect(pick(loaded)).toEqual(pick(table));
    expect(loaded?.streaming === undefined).toBe(table?.streaming === undefined);
    const input = SMALL[format];
    if (input !== undefined) {
      expect(loaded?.import(input, { now: NOW, source: { name: 'x' } })).toEqual(table?.import(input, { now: NOW, source: { name: 'x' } }));
    }
  });

  it('when the name is not a format, then nothing is loaded', async () => {
    expect(await loadFormat('yara')).toBeUndefined();
  });
});
