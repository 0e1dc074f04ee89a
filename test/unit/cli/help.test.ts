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
      await expect(loaded(['-h'], t.io)).resolves.toBe(0);
      expect(t.out.join('')).toContain(`Usage: taxii-gateway ${name}`);
    }
  });
});

describe('the options of a command', () => {
  /** Every `--name` the text mentions. */
  const optionsIn = (text: string): string[] => [...new Set(text.match(/(?<![\w-])--[a-z][a-z0-9-]*/g) ?? [])].sort();

  it.each(Object.keys(COMMANDS))('when "%s --help" is read, then it lists exactly the options its parser accepts', async (name) => {
    const entry = COMMANDS[name];
    if (entry === undefined) throw new Error(name);
    const command = await entry.load();
    const accepted = [...new Set([...Object.keys(command.options), '--help'])].sort();
    expect(optionsIn(command.help)).toEqual(accepted);
  });

  it.each(Object.keys(COMMANDS))('when "%s" is given each option it declares, then its parser knows it (and not others)', async (name) => {
    const entry = COMMANDS[name];
    if (entry === undefined) throw new Error(name);
    const command = await entry.load();
    // inquiry reads its options after its own sub-command
    const lead = name === 'inquiry' ? ['list'] : [];
    for (const [option, takesValue] of Object.entries(command.options)) {
      const t = fakeIo();
      // Help after it ends the run before anything is opened; a value the command then refuses is not our concern here.
      await command([...lead, option, ...(takesValue ? ['1'] : []), '--help'], t.io);
      expect(t.err.join('')).not.toContain('unknown option');
    }
    const t = fakeIo();
    await expect(command([...lead, '--no-such-option'], t.io)).resolves.toBe(2);
    expect(t.err.join('')).toContain('unknown option "--no-such-option"');
  });

  it('when an option that takes a value is followed by -h, then -h is its value, not a request for help', async () => {
    const t = fakeIo();
    // export declares --type as taking a value; before, the dispatcher's own list of valued options missed it.
    await expect(
      main(['export', '--type', '-h', '--redis-url', 'redis://127.0.0.1:1', '--config', '/no/such/file.yaml'], t.io),
    ).resolves.toBe(2);
    expect(t.out.join('')).toBe('');
    expect(t.err.join('')).toContain('/no/such/file.yaml');
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
