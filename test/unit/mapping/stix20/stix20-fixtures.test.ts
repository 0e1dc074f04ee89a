import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportStix20 } from '../../../../src/mapping/stix20/export';
import type { StixObject } from '../../../../src/mapping/types';

const DIR = join(__dirname, '../../../fixtures/mapping/stix20');

interface Expected {
  readonly objects: Record<string, Record<string, unknown>>;
  readonly absentProperties?: Record<string, string[]>;
  readonly absent?: string[];
  readonly issueCodes?: string[];
}

interface Bundle {
  type: string;
  id: string;
  spec_version: string;
  objects: Record<string, unknown>[];
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.input.json'))
  .map((f) => f.slice(0, -'.input.json'.length))
  .sort();

function load(name: string): { input: StixObject[]; expected: Expected } {
  return {
    input: JSON.parse(readFileSync(join(DIR, `${name}.input.json`), 'utf8')) as StixObject[],
    expected: JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), 'utf8')) as Expected,
  };
}

describe('exportStix20 fixtures', () => {
  it.each(cases)('when %s is exported, then the 2.0 bundle matches the expected file', (name) => {
    const { input, expected } = load(name);
    const result = exportStix20(input);
    const bundle = JSON.parse(result.output) as Bundle;
    expect(bundle.type).toBe('bundle');
    expect(bundle.spec_version).toBe('2.0');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
    const byId = new Map(bundle.objects.map((o) => [String(o['id']), o]));
    for (const o of bundle.objects) expect(o['spec_version']).toBeUndefined();
    for (const [id, props] of Object.entries(expected.objects)) expect(byId.get(id)).toMatchObject(props);
    for (const [id, props] of Object.entries(expected.absentProperties ?? {})) {
      for (const p of props) expect(byId.get(id)).not.toHaveProperty(p);
    }
    for (const id of expected.absent ?? []) expect(byId.has(id)).toBe(false);
    const codes = result.issues.map((i) => i.code);
    for (const code of expected.issueCodes ?? []) expect(codes).toContain(code);
  });

  it('when the same objects are exported twice, then the bundle id is the same', () => {
    for (const name of cases) {
      const { input } = load(name);
      const a = JSON.parse(exportStix20(input).output) as Bundle;
      const b = JSON.parse(exportStix20([...input]).output) as Bundle;
      expect(b.id).toBe(a.id);
    }
  });

  it('when an object is marked TLP 2.0 AMBER+STRICT, then it gets TLP 1.0 RED and never AMBER', () => {
    const { input } = load('mixed-bundle');
    const bundle = JSON.parse(exportStix20(input).output) as Bundle;
    const indicator = bundle.objects.find((o) => o['id'] === 'indicator--10000000-0000-4000-8000-000000000002');
    expect(indicator?.['object_marking_refs']).not.toContain('marking-definition--f88d31f6-486f-44da-b317-01333bde0b82');
  });
});
