import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importStix1 } from '../../../../src/mapping/stix1/import';
import { stixOutputProblems } from '../../../helpers/stix-output';

const DIR = join(__dirname, '../../../fixtures/mapping/stix1');
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.input.xml'))
  .map((f) => f.replace('.input.xml', ''))
  .filter((name) => importStix1(readFileSync(join(DIR, `${name}.input.xml`)), { now: '2024-01-01T00:00:00Z' }).objects.length > 0);

describe('importStix1 output validity', () => {
  it('when the fixtures are read, then several of them convert to objects (the checks below have work to do)', () => {
    expect(cases.length).toBeGreaterThanOrEqual(4);
  });

  it.each(cases)('when %s is imported, then every object passes the gateway validator and the bundle MUSTs hold', (name) => {
    const result = importStix1(readFileSync(join(DIR, `${name}.input.xml`)), { now: '2024-01-01T00:00:00Z' });
    expect(stixOutputProblems(result.objects)).toEqual([]);
  });

  it.each(cases)('when %s is imported twice at different times, then ids, versions and content are identical', (name) => {
    const input = readFileSync(join(DIR, `${name}.input.xml`));
    const first = importStix1(input, { now: '2024-01-01T00:00:00Z' });
    const second = importStix1(input, { now: '2025-06-30T12:00:00Z' });
    const timeless = first.issues.some((i) => i.code === 'STIX1_TIMESTAMP_MISSING');
    if (timeless) expect(second.objects.map((o) => o.id)).toEqual(first.objects.map((o) => o.id));
    else expect(JSON.stringify(second.objects)).toBe(JSON.stringify(first.objects));
  });
});

describe('stixOutputProblems', () => {
  it('when a bundle is empty, reuses a UUID across types or has a dangling reference, then each is a problem', () => {
    const uuid = '0f1e2d3c-4b5a-4978-8c6d-5e4f3a2b1c0d';
    const common = { spec_version: '2.1', created: '2020-01-01T00:00:00Z', modified: '2020-01-01T00:00:00Z' };
    expect(stixOutputProblems([]).map((p) => p.problem)).toEqual(['no objects (a bundle must hold one or more)']);
    const problems = stixOutputProblems([
      { type: 'incident', id: `incident--${uuid}`, name: 'x', ...common },
      {
        type: 'report',
        id: `report--${uuid}`,
        name: 'x',
        published: '2020-01-01T00:00:00Z',
        object_refs: [`incident--${uuid}`, 'campaign--11111111-2222-4333-8444-555555555555'],
        ...common,
      },
    ]).map((p) => p.problem);
    expect(problems).toContain('UUID also used by a incident');
    expect(problems).toContain('reference campaign--11111111-2222-4333-8444-555555555555 resolves to nothing in the output');
  });
});
