/**
 * `hash-secret [--bearer] [--generate]`: prints the scrypt hash of a secret for collections.yaml. The secret
 * is read from standard input, so it never appears in the shell history or the process list.
 */
import { generateBearerToken, generatePassword, hashSecret } from '../../common/secret-hash';
import type { Command } from '../cli-types';
import { defineCommand } from '../define-command';

export const HASH_SECRET_HELP = `Usage: taxii-gateway hash-secret [--bearer] [--generate]

Prints the scrypt hash of a secret, for a credential in collections.yaml:
  credentials:
    - basic: { hash: "<the printed hash>" }

The secret is read from standard input (one trailing newline is removed), e.g.
  printf '%s' "$PASSWORD" | taxii-gateway hash-secret

Options:
  --generate   create a random secret instead of reading one; prints the secret, then the hash
  --bearer     the secret is a bearer token: a token of the form <token-id>.<secret> gets its id recorded
               in the hash, so the gateway finds it with one verification (--generate makes such tokens)
  -h, --help   show this help

Exit status: 0 on success, 1 when standard input holds no secret, 2 on a usage error.
`;

/** Longest secret accepted on stdin; longer input is almost certainly a mistake (a file piped by accident). */
const MAX_SECRET_BYTES = 4096;

export const hashSecretCommand: Command = defineCommand({
  name: 'hash-secret',
  help: HASH_SECRET_HELP,
  spec: { '--generate': false, '--bearer': false },
  run: async (args, io) => {
    const generate = args.flags.has('--generate');
    const bearer = args.flags.has('--bearer');
    let secret: string;
    if (generate) {
      secret = bearer ? generateBearerToken() : generatePassword();
      io.stdout(`secret: ${secret}\n`);
    } else {
      const input = await io.readStdin();
      if (input.length > MAX_SECRET_BYTES) {
        io.stderr(`hash-secret: the secret on standard input is longer than ${MAX_SECRET_BYTES} bytes\n`);
        return 1;
      }
      secret = input.toString('utf8').replace(/\r?\n$/, '');
      if (secret === '') {
        io.stderr('hash-secret: no secret on standard input (or use --generate)\n');
        return 1;
      }
    }
    const hash = await hashSecret(secret, { bearer });
    io.stdout(generate ? `hash: ${hash}\n` : `${hash}\n`);
    return 0;
  },
});
