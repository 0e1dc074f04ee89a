/**
 * Every sub-command answers --help and -h (issue: `validate --help` used to exit 2 with "unknown option",
 * `validate -h` tried to open a file named -h), through the one shared argument parser (src/main/args.ts).
 */
import { asksForHelp, parseArgs } from '../../../src/main/args';
import type { CliIo } from '../../../src/main/cli-types';
import { COMMANDS, main } from '../../../src/main/cli';

function fakeIo(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, readStdin: async () => Buffer.alloc(0) },
    out,
    err,
  };
}

describe('taxii-gateway <command> --help', () => {
  const names = Object.keys(COMMANDS);

  it('when the command list is read, then it names every command of the README', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'start',
        'serve',
        'worker',
        'check-config',
        'audit',
        'hash-secret',
        'validate',
        'normalize',
        'convert',
        'import',
        'export',
        'sync',
      ]),
    );
  });

  it.each(
    names.flatMap((n) => [
      [n, '--help'],
      [n, '-h'],
    ]),
  )('when "%s %s" runs, then it prints its usage and exits 0', async (name, flag) => {
    const t = fakeIo();
    await expect(main([name, flag], t.io)).resolves.toBe(0);
    expect(t.out.join('')).toContain(`Usage: taxii-gateway ${name}`);
    expect(t.err.join('')).toBe('');
  });

  it('when help follows other options, then it is still help (and the file named is not opened)', async () => {
    const t = fakeIo();
    await expect(main(['validate', '/no/such/file.json', '-h'], t.io)).resolves.toBe(0);
    expect(t.out.join('')).toContain('Usage: taxii-gateway validate');
  });

  it('when the command itself is asked (not through main), then it answers help too', async () => {
    for (const name of ['validate', 'normalize', 'convert', 'import', 'export', 'sync', 'audit', 'check-config', 'hash-secret', 'start']) {
      const entry = COMMANDS[name];
      if (entry === undefined) throw new Error(name);
      const loaded = await entry.load();
      const t = fakeIo();
      await expect(loaded.run(['-h'], t.io)).resolves.toBe(0);
      expect(t.out.join('')).toContain(`Usage: taxii-gateway ${name}`);
    }
  });
});

describe('shared argument parser', () => {
  it('when -h stands in the place of a value, then it is that value, not help', () => {
    expect(asksForHelp(['--as', '-h'], new Set(['--as']))).toBe(false);
    expect(asksForHelp(['--', '-h'])).toBe(false);
    expect(asksForHelp(['x', '--help'])).toBe(true);
  });

  it('when options come as --name value, --name=value, flags and positionals, then each lands in its place', () => {
    const p = parseArgs(['--from', 'csv', '--to=stix21', '--quiet', 'in.csv', '-'], { '--from': true, '--to': true, '--quiet': false });
    if (typeof p === 'string') throw new Error(p);
    expect(p.values.get('--from')).toBe('csv');
    expect(p.values.get('--to')).toBe('stix21');
    expect(p.flags.has('--quiet')).toBe(true);
    expect(p.positional).toEqual(['in.csv', '-']);
  });

  it('when an option is unknown, lacks its value, or a flag is given a value, then a usage message names it', () => {
    expect(parseArgs(['--nope'], {})).toBe('unknown option "--nope"');
    expect(parseArgs(['--from'], { '--from': true })).toBe('--from needs a value');
    expect(parseArgs(['--quiet=1'], { '--quiet': false })).toBe('--quiet takes no value');
  });
});
