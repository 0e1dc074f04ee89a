import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'generate-stix-types.ts');

describe('src/stix/generated/stix-types.ts', () => {
  it('when the types are regenerated from schemas/stix, then they equal the committed file', () => {
    // The generator runs in its own process: prettier (used by json-schema-to-typescript) needs dynamic
    // import(), which jest's module sandbox does not offer. `--check` regenerates in memory and compares.
    const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), SCRIPT, '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000, // a loaded machine: this is a correctness check, not a timing one
    });
    if (run.status !== 0) {
      throw new Error(`${run.stderr || run.stdout}\n(run npx tsx scripts/generate-stix-types.ts)`);
    }
    expect(run.status).toBe(0);
  }, 150_000);

  it('when the committed file is read, then StixObject is a union discriminated on literal types', () => {
    const text = readFileSync(join(ROOT, 'src', 'stix', 'generated', 'stix-types.ts'), 'utf8');
    expect(text).toMatch(/export type StixObject =\s*\n\s*\| \w+/);
    expect(text).toContain("type: 'indicator';");
    expect(text).toContain("type: 'x509-certificate';");
  });
});
