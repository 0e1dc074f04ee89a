import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSchemaValidator, loadStixSchemas } from '../../../../src/stix/schema-validator';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'stix-schemas');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJson(file: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isRecord(parsed)) throw new Error(`${file} is not a JSON object`);
  return parsed;
}

function fixtureNames(dir: string): string[] {
  return readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

interface ExpectedIssue {
  readonly code: string;
  readonly path: string;
  readonly severity?: string;
  readonly message?: string;
}

interface Case {
  readonly description: string;
  readonly object: Record<string, unknown>;
  readonly expect: ExpectedIssue[];
}

function readCase(dir: string, name: string): Case {
  const raw = readJson(join(FIXTURES, dir, `${name}.json`));
  const { description, object, expect } = raw;
  if (typeof description !== 'string' || !isRecord(object) || !Array.isArray(expect)) {
    throw new Error(`${dir}/${name}.json must have description, object and expect`);
  }
  const issues: ExpectedIssue[] = expect.map((e: unknown) => {
    if (!isRecord(e) || typeof e['code'] !== 'string' || typeof e['path'] !== 'string') {
      throw new Error(`${dir}/${name}.json: each expect entry needs code and path`);
    }
    return {
      code: e['code'],
      path: e['path'],
      ...(typeof e['severity'] === 'string' ? { severity: e['severity'] } : {}),
      ...(typeof e['message'] === 'string' ? { message: e['message'] } : {}),
    };
  });
  return { description, object, expect: issues };
}

const validator = createSchemaValidator();

describe('createSchemaValidator: valid fixtures', () => {
  const names = fixtureNames('valid').filter((n) => n !== 'bundle');

  it.each(names)('when %s is validated, then it has no issue and is a StixObject', (name) => {
    const obj = readJson(join(FIXTURES, 'valid', `${name}.json`));
    expect(validator.validate(obj)).toEqual([]);
    expect(validator.isStixObject(obj)).toBe(true);
  });

  it('when the valid fixtures are listed, then every type with a schema has at least one', () => {
    const covered = new Set(names.map((n) => readJson(join(FIXTURES, 'valid', `${n}.json`))['type']));
    const missing = [...validator.knownTypes].filter((t) => !covered.has(t));
    expect(missing).toEqual([]);
  });

  it('when the validator is built, then it knows the 19 SDOs, 2 SROs, 18 SCOs and 3 meta objects', () => {
    expect(validator.knownTypes.size).toBe(42);
    for (const t of ['indicator', 'sighting', 'x509-certificate', 'marking-definition', 'extension-definition']) {
      expect(validator.knownTypes.has(t)).toBe(true);
    }
    expect(validator.knownTypes.has('bundle')).toBe(false);
  });
});

describe('createSchemaValidator: invalid fixtures', () => {
  it.each(fixtureNames('invalid'))('when %s is validated, then the expected errors are reported', (name) => {
    const c = readCase('invalid', name);
    const issues = validator.validate(c.object);
    expect(issues.map((i) => ({ code: i.code, path: i.path }))).toEqual(c.expect.map((e) => ({ code: e.code, path: e.path })));
    for (const [k, e] of c.expect.entries()) {
      const got = issues[k];
      expect(got?.severity).toBe(e.severity ?? 'error');
      if (e.message !== undefined) expect(got?.message).toBe(e.message);
      expect(got?.objectId).toBe(typeof c.object['id'] === 'string' ? c.object['id'] : undefined);
    }
    expect(validator.isStixObject(c.object)).toBe(false);
  });
});

/** Validates a fixture case and checks its issues (code, path, severity); returns them. */
function expectCaseIssues(dir: string, name: string): ReturnType<typeof validator.validate> {
  const c = readCase(dir, name);
  const issues = validator.validate(c.object);
  expect(issues.map((i) => ({ code: i.code, path: i.path, severity: i.severity }))).toEqual(
    c.expect.map((e) => ({ code: e.code, path: e.path, severity: e.severity ?? 'error' })),
  );
  return issues;
}

describe('createSchemaValidator: custom and unknown object types', () => {
  it.each(fixtureNames('custom'))('when %s is validated, then only common properties are checked', (name) => {
    expectCaseIssues('custom', name);
    expect(validator.isStixObject(readCase('custom', name).object)).toBe(false);
  });
});

describe('createSchemaValidator: custom properties without the x_ prefix', () => {
  it.each(fixtureNames('custom-properties'))('when %s is validated, then it is reported as expected', (name) => {
    const issues = expectCaseIssues('custom-properties', name);
    expect(validator.isStixObject(readCase('custom-properties', name).object)).toBe(issues.length === 0);
  });

  it('when a custom property without x_ is accepted, then the object itself is left as it is', () => {
    const c = readCase('custom-properties', 'report-title');
    const before = JSON.stringify(c.object);
    validator.validate(c.object);
    expect(JSON.stringify(c.object)).toBe(before);
  });
});

describe('createSchemaValidator: messages and paths', () => {
  const indicator = readJson(join(FIXTURES, 'valid', 'indicator.json'));

  it('when a nested required property is missing, then the path points at the missing property', () => {
    const [only] = validator.validate({ ...indicator, kill_chain_phases: [{ kill_chain_name: 'k', phase_name: 'p' }, { phase_name: 'p' }] });
    expect(only).toMatchObject({ code: 'SCHEMA_REQUIRED', path: '/kill_chain_phases/1/kill_chain_name' });
    expect(only?.message).toContain("'kill_chain_name'");
  });

  it('when a property name contains a slash, then the JSON pointer escapes it', () => {
    const [only] = validator.validate({ ...indicator, 'a/b~c': 1 });
    expect(only).toMatchObject({ code: 'SCHEMA_ADDITIONAL_PROPERTY', path: '/a~1b~0c' });
  });

  it('when an object has no string id, then the issue carries no objectId', () => {
    const [only] = validator.validate({ ...indicator, id: 7 });
    expect(only).toMatchObject({ code: 'SCHEMA_TYPE', path: '/id' });
    expect(only?.objectId).toBeUndefined();
  });

  it('when a top-level extension property is present without the extension, then it is a valid custom property', () => {
    expect(validator.validate({ ...indicator, source_row: 7 })).toEqual([]);
  });

  it('when a property name is too short to be a custom property, then it is rejected', () => {
    const [only] = validator.validate({ ...indicator, ab: 7 });
    expect(only).toMatchObject({ code: 'SCHEMA_ADDITIONAL_PROPERTY', path: '/ab', severity: 'error' });
  });

  it('when the same validator checks many objects, then results do not leak between calls', () => {
    const bad = { ...indicator, confidence: 101 };
    expect(validator.validate(bad)).toHaveLength(1);
    expect(validator.validate(indicator)).toEqual([]);
    expect(validator.validate(bad)).toHaveLength(1);
  });
});

describe('createSchemaValidator: bundles', () => {
  it('when a bundle envelope is valid, then validateBundle reports nothing', () => {
    expect(validator.validateBundle(readJson(join(FIXTURES, 'valid', 'bundle.json')))).toEqual([]);
  });

  it('when a bundle carries spec_version (a STIX 2.0 bundle), then validateBundle reports it', () => {
    const bundle = { ...readJson(join(FIXTURES, 'valid', 'bundle.json')), spec_version: '2.0' };
    expect(validator.validateBundle(bundle)).toEqual([
      expect.objectContaining({ code: 'SCHEMA_ADDITIONAL_PROPERTY', path: '/spec_version', severity: 'error' }),
    ]);
  });

  it('when a bundle has an element that is not an object, then validateBundle points at it', () => {
    const bundle = { ...readJson(join(FIXTURES, 'valid', 'bundle.json')), objects: ['indicator'] };
    expect(validator.validateBundle(bundle)).toEqual([expect.objectContaining({ code: 'SCHEMA_TYPE', path: '/objects/0' })]);
  });
});

describe('loadStixSchemas', () => {
  it('when the schemas are loaded, then every object schema declares its type as a const and has a unique $id', () => {
    const schemas = loadStixSchemas();
    const ids = new Set(schemas.map((s) => s.id));
    expect(ids.size).toBe(schemas.length);
    const typed = schemas.filter((s) => s.stixType !== undefined).map((s) => s.stixType);
    expect(typed).toContain('bundle');
    expect(typed).toHaveLength(43);
  });
});
