import fc from 'fast-check';
import { importCsv } from '../../../../src/mapping/csv/import';
import { importTxt } from '../../../../src/mapping/txt/import';

const now = '2024-01-01T00:00:00.000Z';

describe('text importers on arbitrary input', () => {
  it('when given any bytes, then importTxt and importCsv return results without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const buf = Buffer.from(bytes);
        for (const r of [importTxt(buf, { now }), importCsv(buf, { now })]) {
          expect(Array.isArray(r.objects)).toBe(true);
          expect(r.stats.indicators).toBe(r.objects.filter((o) => o.type === 'indicator').length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('when given any text of IOC-like characters, then every produced id is unique within the result', () => {
    const chars = fc.constantFrom(...'abc.1234:/[]()@ \t\n,;"#-'.split(''));
    fc.assert(
      fc.property(
        fc.array(chars, { maxLength: 300 }).map((a) => a.join('')),
        (text) => {
          for (const r of [importTxt(text, { now }), importCsv(text, { now })]) {
            const ids = r.objects.map((o) => o.id);
            expect(new Set(ids).size).toBe(ids.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('when a single-word heading ending with ":" follows a typed section, then the section ends', () => {
    const r = importTxt('# Domains\nhost.internal-zone\nNOTES:\nfoo.internal-zone\n', { now });
    expect(r.objects.map((o) => o['pattern'])).toEqual(["[domain-name:value = 'host.internal-zone']"]);
  });
});
