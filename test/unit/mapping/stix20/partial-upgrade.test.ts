/**
 * STIX 2.0 → 2.1 with broken objects: the rest of the document converts, the rejects are listed on stderr,
 * exit 0 when a document was written; --strict makes any rejection fatal.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../../src/main/cli-types';
import { convertCommand } from '../../../../src/main/commands/convert';
import { validateCommand } from '../../../../src/main/commands/validate';

const INPUT = join(__dirname, '../../../fixtures/mapping/stix20/broken-objects.stix20.json');

function io(stdin: Buffer = Buffer.alloc(0)): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, readStdin: async () => stdin };
}

interface Obj {
  readonly type: string;
  readonly id: string;
  readonly [key: string]: unknown;
}

describe('convert --from stix20 --to stix21 with broken objects', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stix20-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when a relationship lacks target_ref and a report lists a malformed id, then the rest converts and exit is 0', async () => {
    const x = io();
    const out = join(dir, 'out.json');
    expect(await convertCommand(['--from', 'stix20', '--to', 'stix21', '--out', out, INPUT], x)).toBe(0);
    const err = x.err.join('');
    expect(err).toMatch(/rejected relationship--4d9a1a55-3ad4-4f2b-a2f5-6e5f0d1b2c3a: SCHEMA_REQUIRED \/target_ref/);
    expect(err).toContain('STIX20_REF_DROPPED');
    const objects = (JSON.parse(readFileSync(out, 'utf8')) as { objects: Obj[] }).objects;
    expect(objects.map((o) => o.type).sort()).toEqual(['file', 'indicator', 'malware', 'observed-data', 'process', 'report']);
    expect(objects.find((o) => o.type === 'report')?.['object_refs']).toEqual(['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f']);
    expect(objects.find((o) => o.type === 'report')?.['report_types']).toEqual(['threat-report']);
    expect(objects.find((o) => o.type === 'malware')?.['malware_types']).toEqual(['trojan']);
    const file = objects.find((o) => o.type === 'file');
    const proc = objects.find((o) => o.type === 'process');
    expect(proc?.['image_ref']).toBe(file?.id);
    expect(proc?.id.charAt(proc.id.length - 22)).toBe('4'); // no ID-contributing property: a UUIDv4
    expect(objects.find((o) => o.type === 'observed-data')?.['object_refs']).toEqual(expect.arrayContaining([file?.id, proc?.id]));

    const v = io(readFileSync(out));
    expect(await validateCommand(['-'], v)).toBe(0);
  });

  it('when --strict is given and an object is rejected, then nothing is written and exit is 1', async () => {
    const x = io();
    expect(await convertCommand(['--from', 'stix20', '--to', 'stix21', '--strict', INPUT], x)).toBe(1);
    expect(x.out.join('')).toBe('');
    expect(x.err.join('')).toContain('--strict: 1 object(s) rejected');
  });

  it('when help is asked for, then it states the policy for broken objects', async () => {
    const x = io();
    expect(await convertCommand(['--help'], x)).toBe(0);
    expect(x.out.join('')).toMatch(/--strict[\s\S]*Broken objects:[\s\S]*Exit status 0 when a\s+document was written/);
  });
});
