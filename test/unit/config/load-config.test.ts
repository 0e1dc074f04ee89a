import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_DEFAULTS } from '../../../src/config/build-config';
import { formatConfigIssue, loadConfigFile, loadConfigText } from '../../../src/config/load-config';

const FIXTURES = resolve(__dirname, '../../fixtures/config');
const SHIPPED = resolve(__dirname, '../../../collections.yaml');

interface ExpectedIssue {
  code: string;
  line: number;
  column: number;
  field?: string;
}
interface Expected {
  env?: Record<string, string>;
  issues: ExpectedIssue[];
}

function isExpected(value: unknown): value is Expected {
  return typeof value === 'object' && value !== null && 'issues' in value && Array.isArray(value.issues);
}

function readExpected(name: string): Expected {
  const parsed: unknown = JSON.parse(readFileSync(join(FIXTURES, 'invalid', `${name}.expected.json`), 'utf8'));
  if (!isExpected(parsed)) throw new Error(`${name}.expected.json has no issues list`);
  return parsed;
}

function collectFrozen(value: unknown, path: string, out: string[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (!Object.isFrozen(value)) out.push(path);
  for (const [k, v] of Object.entries(value)) collectFrozen(v, `${path}.${k}`, out);
}

const invalidCases = readdirSync(join(FIXTURES, 'invalid'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();

describe('loadConfigText', () => {
  it('has an invalid fixture for every expected file and the other way round', () => {
    const expectedFiles = readdirSync(join(FIXTURES, 'invalid'))
      .filter((f) => f.endsWith('.expected.json'))
      .map((f) => f.replace(/\.expected\.json$/, ''))
      .sort();
    expect(expectedFiles).toEqual(invalidCases);
    expect(invalidCases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(invalidCases)('when the file is %s, then it reports exactly the expected codes and positions', (name) => {
    const expected = readExpected(name);
    const text = readFileSync(join(FIXTURES, 'invalid', `${name}.yaml`), 'utf8');
    const result = loadConfigText(text, `${name}.yaml`, expected.env ? { env: expected.env } : {});
    expect(result.config).toBeUndefined();
    expect(result.issues.map((i) => ({ code: i.code, line: i.line, column: i.column }))).toEqual(
      expected.issues.map((i) => ({ code: i.code, line: i.line, column: i.column })),
    );
    result.issues.forEach((issue, n) => {
      expect(issue.file).toBe(`${name}.yaml`);
      const field = expected.issues[n]?.field;
      if (field !== undefined) expect(issue.message.startsWith(`${field}: `)).toBe(true);
    });
  });

  it.each(['minimal', 'alias-in-two-roots'])('when the file is the valid %s, then it loads without issues', (name) => {
    const text = readFileSync(join(FIXTURES, 'valid', `${name}.yaml`), 'utf8');
    const env = {
      ALICE_TOKEN_HASH: 'scrypt$N=16384,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ALICE_PASSWORD: 'not-a-real-password',
    };
    const result = loadConfigText(text, `${name}.yaml`, { env });
    expect(result.issues).toEqual([]);
    expect(result.config?.file).toBe(`${name}.yaml`);
  });

  it('when a reader names no principal, then the message names the field, the value and the known principals', () => {
    const text = readFileSync(join(FIXTURES, 'invalid', 'unknown-principal.yaml'), 'utf8');
    const [first] = loadConfigText(text, 'x.yaml').issues;
    expect(first?.message).toBe('collections[0].readers[1]: unknown principal "bobb" (did you mean "bob"? known: alice, bob)');
  });

  it('when the file is silent on defaults, then the documented defaults are applied', () => {
    const text = readFileSync(join(FIXTURES, 'valid', 'minimal.yaml'), 'utf8');
    const config = loadConfigText(text, 'minimal.yaml').config;
    expect(config?.server).toEqual({
      title: 'Test gateway',
      public_discovery: false,
      max_page_size: 1000,
      default_page_size: 100,
      status_ttl_seconds: 86400,
    });
    expect(config?.collections[0]?.media_types).toEqual(['application/stix+json;version=2.1']);
    expect(config?.principals[0]).toEqual({
      name: 'alice',
      identity: 'identity--22222222-2222-4222-8222-222222222222',
      admin: false,
      credentials: [{ kind: 'basic', source: 'generate' }],
    });
    expect(CONFIG_DEFAULTS.max_page_size).toBe(1000);
  });

  it('when credentials use every spelling, then each becomes the matching CredentialSpec', () => {
    const text = readFileSync(join(FIXTURES, 'valid', 'alias-in-two-roots.yaml'), 'utf8');
    const config = loadConfigText(text, 'a.yaml').config;
    expect(config?.principals[0]?.credentials).toEqual([
      { kind: 'bearer', source: 'hash_env', env: 'ALICE_TOKEN_HASH' },
      { kind: 'basic', source: 'secret_env', env: 'ALICE_PASSWORD' },
      {
        kind: 'basic',
        source: 'hash',
        hash: 'scrypt$N=16384,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      },
    ]);
  });

  it('when no environment is given, then env variables are not required (hash_env / secret_env unchecked)', () => {
    const text = readFileSync(join(FIXTURES, 'invalid', 'missing-env.yaml'), 'utf8');
    expect(loadConfigText(text, 'm.yaml').issues).toEqual([]);
  });

  it('when default_tlp is white, then it is read as clear (TLP 1.0 WHITE = TLP 2.0 CLEAR)', () => {
    const text = readFileSync(join(FIXTURES, 'valid', 'minimal.yaml'), 'utf8').replace(
      '    title: One\n',
      '    title: One\n    default_tlp: white\n',
    );
    expect(loadConfigText(text, 'm.yaml').config?.collections[0]?.default_tlp).toBe('clear');
  });

  it('when the text is larger than the limit, then it is refused before parsing', () => {
    const result = loadConfigText(`# ${'x'.repeat(1024 * 1024)}\n`, 'big.yaml');
    expect(result.issues.map((i) => i.code)).toEqual(['FILE_TOO_LARGE']);
  });

  it('when an alias refers to no anchor, then it is reported at the alias', () => {
    const text = 'server:\n  title: *missing\n';
    const result = loadConfigText(text, 'a.yaml');
    expect(result.issues.map((i) => [i.code, i.line, i.column])).toContainEqual(['YAML_BAD_ALIAS', 2, 10]);
  });

  it('when aliases expand exponentially, then it is refused instead of exhausting memory', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const result = loadConfigText(`${lines.join('\n')}\n`, 'bomb.yaml');
    expect(result.config).toBeUndefined();
    expect(result.issues.length).toBeGreaterThan(0);
  });
});

describe('the shipped collections.yaml', () => {
  it('when loaded with an empty environment, then it has no issues and models the US/RU exchange', async () => {
    const result = await loadConfigFile(SHIPPED, { env: {} });
    expect(result.issues).toEqual([]);
    const config = result.config;
    expect(config?.api_roots.map((r) => [r.name, r.max_content_length])).toEqual([['cert-exchange', 10 * 1024 * 1024]]);
    expect(config?.collections.map((c) => [c.alias, c.country ?? null, c.readers, c.writers])).toEqual([
      // each CERT writes and reads its own collection; the partner reads it (up to TLP:AMBER)
      ['us-cert-indicators', 'US', ['us-cert', 'ru-cert'], ['us-cert']],
      ['ru-cert-indicators', 'RU', ['ru-cert', 'us-cert'], ['ru-cert']],
      ['joint-exchange', null, ['us-cert', 'ru-cert'], ['us-cert', 'ru-cert']],
    ]);
    expect(config?.principals.map((p) => [p.name, p.admin])).toEqual([
      ['us-cert', false],
      ['ru-cert', false],
      ['operator', true],
    ]);
  });

  it('when loaded, then it holds no credential other than generate', async () => {
    const config = (await loadConfigFile(SHIPPED)).config;
    const sources = config?.principals.flatMap((p) => p.credentials.map((c) => c.source)) ?? [];
    expect(sources.length).toBeGreaterThan(0);
    expect(new Set(sources)).toEqual(new Set(['generate']));
  });

  it('when loaded, then every object in it is deeply frozen', async () => {
    const config = (await loadConfigFile(SHIPPED)).config;
    const notFrozen: string[] = [];
    collectFrozen(config, 'config', notFrozen);
    expect(config).toBeDefined();
    expect(notFrozen).toEqual([]);
    expect(() => {
      const readers = config?.collections[0]?.readers;
      if (readers) (readers as string[]).push('intruder');
    }).toThrow(TypeError);
  });
});

describe('loadConfigFile', () => {
  it('when the file does not exist, then it reports FILE_UNREADABLE at 1:1 instead of throwing', async () => {
    const result = await loadConfigFile(join(FIXTURES, 'no-such-file.yaml'));
    expect(result.issues.map((i) => [i.code, i.line, i.column])).toEqual([['FILE_UNREADABLE', 1, 1]]);
  });
});

describe('formatConfigIssue', () => {
  it('when given an issue, then it prints file:line:column: CODE message', () => {
    expect(formatConfigIssue({ file: 'c.yaml', line: 3, column: 7, code: 'UNKNOWN_KEY', message: 'x: unknown key' })).toBe(
      'c.yaml:3:7: UNKNOWN_KEY x: unknown key',
    );
  });
});
