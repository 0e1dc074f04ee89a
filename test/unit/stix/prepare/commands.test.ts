import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../../src/main/cli-types';
import { normalizeCommand } from '../../../../src/main/commands/normalize';
import { validateCommand } from '../../../../src/main/commands/validate';
import { NORMALIZE_FIXTURES } from '../normalize/fixture-case';

function io(stdin = ''): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: {},
    readStdin: () => Promise.resolve(Buffer.from(stdin, 'utf8')),
  };
}

function fieldBundle(): string {
  const input: unknown = JSON.parse(readFileSync(join(NORMALIZE_FIXTURES, 'field-bundle.input.json'), 'utf8'));
  const objects = typeof input === 'object' && input !== null && 'objects' in input ? input.objects : [];
  return JSON.stringify({ type: 'bundle', id: 'bundle--6c5e1f2a-6b7d-4c8e-9f0a-1b2c3d4e5f6a', spec_version: '2.0', objects });
}

const DOMAIN = (i: number): string =>
  JSON.stringify({
    type: 'domain-name',
    spec_version: '2.1',
    id: `domain-name--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    value: `HOST${i}.Example.COM`,
  });

describe('validate command', () => {
  it('when the bundle holds a broken pattern, then it prints the issue and exits 1', async () => {
    const t = io(fieldBundle());
    expect(await validateCommand(['-'], t)).toBe(1);
    const lines = t.out
      .join('')
      .split('\n')
      .filter((l) => l.length > 0);
    expect(lines).toContainEqual(
      expect.stringMatching(/^indicator--6c5e1f2a-6b7d-4c8e-9f0a-1b2c3d4e5f61 \/pattern@\[\d+,\d+\] PATTERN_SYNTAX /),
    );
  });

  it('when a single valid object is given, then it exits 0', async () => {
    const t = io(DOMAIN(1));
    expect(await validateCommand(['-'], t)).toBe(0);
  });

  it('when the input is not JSON, then it reports it and exits 1', async () => {
    const t = io('[1, 2]');
    expect(await validateCommand(['-'], t)).toBe(1);
    expect(t.err.join('')).toMatch(/not a STIX bundle/);
  });

  it('when an unknown option is given, then it exits 2 with usage', async () => {
    const t = io();
    expect(await validateCommand(['--bogus'], t)).toBe(2);
  });
});

describe('normalize command', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'normalize-cmd-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when the field bundle is normalized, then the bundle holds the valid objects and the exit code is 1', async () => {
    const t = io(fieldBundle());
    expect(await normalizeCommand(['-', '--default-tlp', 'green'], t)).toBe(1);
    const bundle: unknown = JSON.parse(t.out.join(''));
    expect(bundle).toMatchObject({ type: 'bundle', id: 'bundle--6c5e1f2a-6b7d-4c8e-9f0a-1b2c3d4e5f6a' });
    const objects =
      typeof bundle === 'object' && bundle !== null && 'objects' in bundle && Array.isArray(bundle.objects) ? bundle.objects : [];
    expect(objects.map((o: { id?: string }) => o.id)).toEqual([
      'indicator--6c5e1f2a-6b7d-4c8e-9f0a-1b2c3d4e5f60',
      'relationship--6c5e1f2a-6b7d-4c8e-9f0a-1b2c3d4e5f62',
    ]);
    expect(objects[0]).toMatchObject({ spec_version: '2.1', pattern: "[url:value = 'http://evil.example.com/payload']" });
    expect(t.err.join('')).toMatch(/PATTERN_SYNTAX/);
  });

  it('when a multi-MB bundle is streamed from a file, then every object comes out canonical and refs are rewritten across batches', async () => {
    const n = 30000;
    const parts: string[] = [];
    // A relationship near the start refers to an SCO in a later batch: its ref must be rewritten too.
    parts.push(
      JSON.stringify({
        type: 'relationship',
        spec_version: '2.1',
        id: 'relationship--00000000-0000-4000-8000-000000000000',
        created: '2024-01-01T00:00:00.000Z',
        modified: '2024-01-01T00:00:00.000Z',
        relationship_type: 'related-to',
        source_ref: 'domain-name--00000000-0000-4000-8000-000000029999',
        target_ref: 'malware--00000000-0000-4000-8000-000000000001',
        description: 'x'.repeat(100),
      }),
    );
    for (let i = 0; i < n; i++) parts.push(DOMAIN(i));
    const file = join(dir, 'big.json');
    writeFileSync(file, `{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000000","objects":[${parts.join(',\n')}]}`);
    const t = io();
    expect(await normalizeCommand([file], t)).toBe(0);
    const bundle: unknown = JSON.parse(t.out.join(''));
    const objects =
      typeof bundle === 'object' && bundle !== null && 'objects' in bundle && Array.isArray(bundle.objects) ? bundle.objects : [];
    expect(objects).toHaveLength(n + 1);
    const last = objects[n] as { id: string; value: string };
    expect(last.value).toBe('host29999.example.com');
    expect(objects[0]).toMatchObject({ source_ref: last.id });
  }, 120000);
});
