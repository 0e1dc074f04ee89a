import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issue } from '../../../../src/stix/issues';
import { checkObject } from '../../../../src/stix/semantic';

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'semantic');

interface Expected {
  readonly code: string;
  readonly path: string;
  readonly severity: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function loadCase(file: string): { object: Record<string, unknown>; expected: Expected[] } {
  const raw: unknown = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
  if (!isRecord(raw) || !isRecord(raw['object']) || !Array.isArray(raw['expected'])) throw new Error(`bad fixture ${file}`);
  const expected = raw['expected'].map((e: unknown): Expected => {
    if (!isRecord(e)) throw new Error(`bad expectation in ${file}`);
    return { code: String(e['code']), path: String(e['path']), severity: String(e['severity']) };
  });
  return { object: raw['object'], expected };
}

const byKey = (a: Expected, b: Expected): number => `${a.code}${a.path}`.localeCompare(`${b.code}${b.path}`);

describe('checkObject', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

  it('when the fixture folder is read, then it holds the semantic cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files)('when checking %s, then the expected codes and paths are reported', (file) => {
    const { object, expected } = loadCase(file);
    const got = checkObject(object).map((i) => ({ code: i.code, path: i.path, severity: i.severity }));
    expect(got.sort(byKey)).toEqual([...expected].sort(byKey));
  });

  it('when an issue is reported, then it carries the object id', () => {
    const { object } = loadCase('modified-before-created.json');
    const [first] = checkObject(object);
    expect(first?.objectId).toBe(object['id']);
  });

  it('when a pattern checker reports a syntax error, then it is re-homed under /pattern', () => {
    const { object } = loadCase('valid-indicator.json');
    const issues = checkObject(object, {
      checkPattern: () => [issue('error', 'PATTERN_SYNTAX', '@[0,3]', 'unexpected token')],
    });
    expect(issues).toEqual([
      { code: 'PATTERN_SYNTAX', path: '/pattern@[0,3]', message: 'unexpected token', severity: 'error', objectId: object['id'] },
    ]);
  });

  it('when the pattern type is not stix, then the pattern is not parsed', () => {
    const { object } = loadCase('valid-indicator.json');
    const checker = jest.fn(() => [issue('error', 'PATTERN_SYNTAX', '', 'x')]);
    expect(checkObject({ ...object, pattern_type: 'yara', pattern: 'rule x { condition: true }' }, { checkPattern: checker })).toEqual([]);
    expect(checker).not.toHaveBeenCalled();
  });

  it('when references sit deep inside arrays and objects, then each issue has the full JSON pointer', () => {
    const { object } = loadCase('valid-indicator.json');
    const issues = checkObject({
      ...object,
      x_acme_nested: [
        [{ 'a/b_ref': 'nope', inner: { x_refs: ['bad', 'identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 7, { y_ref: 'bad' }] } }],
      ],
      granular_markings: [{ marking_ref: 'identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', selectors: ['name'] }],
    }).map((i) => `${i.severity} ${i.code} ${i.path}`);
    expect(issues).toEqual([
      'warning INVALID_REF /x_acme_nested/0/0/a~1b_ref',
      'warning INVALID_REF /x_acme_nested/0/0/inner/x_refs/0',
      'error REF_TYPE_NOT_ALLOWED /granular_markings/0/marking_ref',
    ]);
  });
});
