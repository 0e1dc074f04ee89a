import { parseSecretHash, verifySecret } from '../../../src/common/secret-hash';
import type { CliIo } from '../../../src/main/cli-types';
import { hashSecretCommand } from '../../../src/main/commands/hash-secret';

function fakeIo(stdin: string): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: {},
    readStdin: () => Promise.resolve(Buffer.from(stdin, 'utf8')),
  };
  return { io, out, err };
}

describe('hash-secret', () => {
  it('when a secret comes on stdin, then the printed hash verifies it (trailing newline removed)', async () => {
    const { io, out } = fakeIo('s3cret with spaces\n');
    await expect(hashSecretCommand([], io)).resolves.toBe(0);
    const hash = out.join('').trim();
    await expect(verifySecret('s3cret with spaces', hash)).resolves.toBe(true);
    expect(out.join('')).not.toContain('s3cret');
  });

  it('when --generate --bearer is given, then it prints an id.secret token and a hash recording the id', async () => {
    const { io, out } = fakeIo('');
    await expect(hashSecretCommand(['--generate', '--bearer'], io)).resolves.toBe(0);
    const text = out.join('');
    const token = /secret: (\S+)/.exec(text)?.[1] ?? '';
    const hash = /hash: (\S+)/.exec(text)?.[1] ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
    expect(parseSecretHash(hash).tokenId).toBe(token.split('.')[0]);
    await expect(verifySecret(token, hash)).resolves.toBe(true);
  });

  it('when stdin is empty, then it exits 1 with a message', async () => {
    const { io, err } = fakeIo('\n');
    await expect(hashSecretCommand([], io)).resolves.toBe(1);
    expect(err.join('')).toContain('no secret on standard input');
  });

  it('when asked for help, then it prints usage; an unknown option exits 2', async () => {
    const help = fakeIo('');
    await expect(hashSecretCommand(['-h'], help.io)).resolves.toBe(0);
    expect(help.out.join('')).toContain('Usage: taxii-gateway hash-secret');
    await expect(hashSecretCommand(['--salt=1'], fakeIo('').io)).resolves.toBe(2);
  });
});
