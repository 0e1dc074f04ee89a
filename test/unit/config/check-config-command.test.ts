import { resolve } from 'node:path';
import type { CliIo } from '../../../src/main/cli-types';
import { checkConfigCommand } from '../../../src/main/commands/check-config';

const FIXTURES = resolve(__dirname, '../../fixtures/config');
const SHIPPED = resolve(__dirname, '../../../collections.yaml');

function fakeIo(env: Record<string, string> = {}): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    readStdin: () => Promise.resolve(Buffer.alloc(0)),
  };
  return { io, out, err };
}

describe('check-config', () => {
  it('when the file is valid, then it prints a one-line summary and exits 0', async () => {
    const { io, out, err } = fakeIo();
    await expect(checkConfigCommand(['--config', SHIPPED], io)).resolves.toBe(0);
    expect(err).toEqual([]);
    expect(out.join('')).toBe(`${SHIPPED}: OK: 1 API root (cert-exchange), 3 collections, 3 principals\n`);
  });

  it('when the file has problems, then each is printed as file:line:column: CODE message on stderr and it exits 1', async () => {
    const file = resolve(FIXTURES, 'invalid/unknown-principal.yaml');
    const { io, out, err } = fakeIo();
    await expect(checkConfigCommand([`--config=${file}`], io)).resolves.toBe(1);
    expect(out).toEqual([]);
    expect(err.slice(0, 2)).toEqual([
      `${file}:9:22: UNKNOWN_PRINCIPAL collections[0].readers[1]: unknown principal "bobb" (did you mean "bob"? known: alice, bob)\n`,
      `${file}:12:9: UNKNOWN_PRINCIPAL collections[0].writers[1]: unknown principal "mallory" (known: alice, bob)\n`,
    ]);
  });

  it('when no --config is given, then GATEWAY_CONFIG names the file', async () => {
    const { io, out } = fakeIo({ GATEWAY_CONFIG: SHIPPED });
    await expect(checkConfigCommand([], io)).resolves.toBe(0);
    expect(out.join('')).toContain(SHIPPED);
  });

  it('when a referenced variable is unset, then it fails unless --skip-env is given', async () => {
    const file = resolve(FIXTURES, 'invalid/missing-env.yaml');
    const strict = fakeIo();
    await expect(checkConfigCommand(['--config', file], strict.io)).resolves.toBe(1);
    expect(strict.err.join('')).toContain('ENV_MISSING');
    await expect(checkConfigCommand(['--config', file, '--skip-env'], fakeIo().io)).resolves.toBe(0);
  });

  it('when asked for help, then it prints usage and exits 0; an unknown option exits 2', async () => {
    const help = fakeIo();
    await expect(checkConfigCommand(['--help'], help.io)).resolves.toBe(0);
    expect(help.out.join('')).toContain('Usage: taxii-gateway check-config');
    const bad = fakeIo();
    await expect(checkConfigCommand(['--frobnicate'], bad.io)).resolves.toBe(2);
    expect(bad.err.join('')).toContain('unknown option "--frobnicate"');
  });
});
