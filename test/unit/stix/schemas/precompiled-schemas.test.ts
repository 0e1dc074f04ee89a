import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateStixValidators, GENERATED_VALIDATORS_DIR, staleFiles } from '../../../../scripts/generate-stix-validators';
import { createPrecompiledSchemaValidator } from '../../../../src/stix/precompiled-schemas';
import { createSchemaValidator } from '../../../../src/stix/schema-validator';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'stix-schemas');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every object of the schema fixtures (valid ones as they are, the `object` of the other cases). */
function fixtureObjects(): { name: string; object: Record<string, unknown> }[] {
  const out: { name: string; object: Record<string, unknown> }[] = [];
  for (const dir of readdirSync(FIXTURES).sort()) {
    for (const file of readdirSync(join(FIXTURES, dir)).filter((f) => f.endsWith('.json')).sort()) {
      const parsed: unknown = JSON.parse(readFileSync(join(FIXTURES, dir, file), 'utf8'));
      const object = isRecord(parsed) && isRecord(parsed['object']) ? parsed['object'] : parsed;
      if (isRecord(object)) out.push({ name: `${dir}/${file}`, object });
    }
  }
  return out;
}

/** Variants of a valid object that break it one property at a time: removed, a number, a list, an empty string. */
function variants(object: Record<string, unknown>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const key of Object.keys(object)) {
    const { [key]: _removed, ...without } = object;
    out.push(without, { ...object, [key]: 7 }, { ...object, [key]: ['x'] }, { ...object, [key]: '' });
  }
  out.push({ ...object, ab: 1 }, { ...object, custom_name: 'v' }, { ...object, type: 'x-unknown' });
  return out;
}

describe('src/stix/generated/validators/ (precompiled schemas)', () => {
  let generated: ReadonlyMap<string, string> | undefined;
  /** Generating compiles every schema: once for both cases. */
  const generate = (): ReadonlyMap<string, string> => (generated ??= generateStixValidators());

  it('when the validators are regenerated from schemas/stix, then they equal the committed files', () => {
    const stale = staleFiles(generate());
    if (stale.length > 0) throw new Error(`stale: ${stale.join(', ')} (run npx tsx scripts/generate-stix-validators.ts)`);
    expect(stale).toEqual([]);
  }, 120_000);

  it('when a generated file differs or one is left over, then the check names it', () => {
    const files = new Map([...generate()].filter(([name]) => name !== 'indicator.js'));
    files.set('index.js', 'changed');
    expect(staleFiles(files)).toEqual(['index.js', 'indicator.js']);
    expect(readdirSync(GENERATED_VALIDATORS_DIR)).toContain('indicator.js');
  }, 120_000);
});

describe('createPrecompiledSchemaValidator', () => {
  const runtime = createSchemaValidator();
  const precompiled = createPrecompiledSchemaValidator();
  const lazy = createPrecompiledSchemaValidator({ lazy: true });
  const objects = fixtureObjects();

  it('when it is built, then it knows the same types as the run-time compiled schemas', () => {
    expect([...precompiled.knownTypes].sort()).toEqual([...runtime.knownTypes].sort());
    expect(lazy.knownTypes.size).toBe(runtime.knownTypes.size);
  });

  it('when every schema fixture and its broken variants are validated, then the issues equal those of the run-time compiled schemas', () => {
    let compared = 0;
    for (const { name, object } of objects) {
      for (const o of [object, ...variants(object)]) {
        const expected = runtime.validate(o);
        expect({ name, issues: precompiled.validate(o) }).toEqual({ name, issues: expected });
        expect({ name, issues: lazy.validate(o) }).toEqual({ name, issues: expected });
        expect(precompiled.isStixObject(o)).toBe(runtime.isStixObject(o));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('when bundles are checked, then validateBundle answers as the run-time compiled schema', () => {
    const bundles = objects.filter((o) => o.object['type'] === 'bundle').map((o) => o.object);
    expect(bundles.length).toBeGreaterThan(0);
    for (const b of bundles.flatMap((b) => [b, ...variants(b)])) {
      expect(precompiled.validateBundle(b)).toEqual(runtime.validateBundle(b));
    }
  });
});
