import { readdirSync } from 'node:fs';
import { createPrepareDeps, prepareObjects } from '../../../../src/stix/prepare';
import { loadExpected, loadInput, NORMALIZE_FIXTURES, render } from './fixture-case';

describe('normalization fixtures (prepareObjects with the real schema and pattern engine)', () => {
  const cases = readdirSync(NORMALIZE_FIXTURES)
    .filter((f) => f.endsWith('.input.json'))
    .map((f) => f.slice(0, -'.input.json'.length));

  it('when the fixture folder is read, then every input has an expected file', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const name of cases) expect(() => loadExpected(name)).not.toThrow();
  });

  it.each(cases)('when %s is prepared, then the outcomes equal the expected file', (name) => {
    const { objects, options } = loadInput(name);
    expect(render(prepareObjects(objects, options, createPrepareDeps()))).toEqual(loadExpected(name));
  });
});
