/**
 * Resolves the credentials of collections.yaml into an index of parsed scrypt hashes, at start-up:
 * - `hash`: parsed as written;
 * - `hash_env`: the hash is read from the environment;
 * - `secret_env`: the plaintext is read from the environment and hashed in memory;
 * - `generate`: on the first start a random secret is created, only its hash is stored in
 *   `<dataDir>/generated-credentials.json` (mode 0600, written atomically) and the plaintext is announced once;
 *   later starts reuse the stored hash.
 * Any missing variable or malformed hash stops the start-up with a CredentialError listing every problem.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CredentialSpec, GatewayConfig } from '../config/types';
import { writeNewPrivateFile } from '../common/private-file';
import { type ParsedSecretHash, checkSecretHash, generateBearerToken, generatePassword, hashSecret } from '../common/secret-hash';
import type { AuthenticatedPrincipal } from './types';

/** File name, inside the data directory, of the hashes of generated secrets. */
export const GENERATED_CREDENTIALS_FILE = 'generated-credentials.json';

export type CredentialKind = CredentialSpec['kind'];

export interface BearerEntry {
  readonly principal: AuthenticatedPrincipal;
  readonly hash: ParsedSecretHash;
}

/** Everything the Authenticator needs, built once at start-up and never changed. */
export interface CredentialIndex {
  /** HTTP Basic: user name → principal and the hashes any of which the password may match. */
  readonly basic: ReadonlyMap<string, { readonly principal: AuthenticatedPrincipal; readonly hashes: readonly ParsedSecretHash[] }>;
  /** Bearer tokens `<token-id>.<secret>` whose hash records the token id: one scrypt per attempt. */
  readonly bearerByTokenId: ReadonlyMap<string, readonly BearerEntry[]>;
  /** Bearer hashes without a token id: a token that matches no id is tried against each of these. */
  readonly bearerWithoutId: readonly BearerEntry[];
}

/** One resolved credential, before indexing. */
export interface ResolvedCredential {
  readonly principal: AuthenticatedPrincipal;
  readonly kind: CredentialKind;
  readonly hash: ParsedSecretHash;
}

/** Start-up failure: every credential problem found, each naming the principal and the variable or file. */
export class CredentialError extends Error {
  override readonly name = 'CredentialError';
  constructor(readonly problems: readonly string[]) {
    super(`cannot resolve credentials:\n  ${problems.join('\n  ')}`);
  }
}

export interface ResolveCredentialsOptions {
  /** Directory of generated-credentials.json; created (mode 0700) when missing. */
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Receives text for the operator: each generated secret once, and later a note that they exist. */
  readonly announce: (text: string) => void;
}

/** Builds the lookup structure from resolved credentials (exported for tests and tools). */
export function buildCredentialIndex(credentials: readonly ResolvedCredential[]): CredentialIndex {
  const basic = new Map<string, { principal: AuthenticatedPrincipal; hashes: ParsedSecretHash[] }>();
  const bearerByTokenId = new Map<string, BearerEntry[]>();
  const bearerWithoutId: BearerEntry[] = [];
  for (const { principal, kind, hash } of credentials) {
    if (kind === 'basic') {
      const entry = basic.get(principal.name) ?? { principal, hashes: [] };
      entry.hashes.push(hash);
      basic.set(principal.name, entry);
    } else if (hash.tokenId !== undefined) {
      const list = bearerByTokenId.get(hash.tokenId) ?? [];
      list.push({ principal, hash });
      bearerByTokenId.set(hash.tokenId, list);
    } else {
      bearerWithoutId.push({ principal, hash });
    }
  }
  return { basic, bearerByTokenId, bearerWithoutId };
}

/** principal name → kind → encoded hash, as stored in generated-credentials.json. */
type StoredHashes = Map<string, Map<CredentialKind, string>>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readStored(file: string): Promise<StoredHashes> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT') return new Map();
    throw err;
  }
  const corrupt = (why: string): CredentialError => new CredentialError([`${file}: ${why}; delete the file to generate new secrets`]);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw corrupt('not valid JSON');
  }
  if (!isRecord(data) || data['version'] !== 1 || !isRecord(data['credentials'])) {
    throw corrupt('not a version 1 generated-credentials file');
  }
  const stored: StoredHashes = new Map();
  for (const [name, kinds] of Object.entries(data['credentials'])) {
    if (!isRecord(kinds)) throw corrupt(`entry "${name}" is not an object`);
    const byKind = new Map<CredentialKind, string>();
    for (const kind of ['basic', 'bearer'] as const) {
      const hash = kinds[kind];
      if (hash === undefined) continue;
      if (typeof hash !== 'string' || 'error' in checkSecretHash(hash)) throw corrupt(`entry "${name}".${kind} is not a valid hash`);
      byKind.set(kind, hash);
    }
    stored.set(name, byKind);
  }
  return stored;
}

/** Writes via a temporary file and rename, so a crash never leaves a half-written file behind. */
async function writeStored(dir: string, file: string, stored: StoredHashes): Promise<void> {
  const credentials: Record<string, Record<string, string>> = {};
  for (const [name, kinds] of stored) credentials[name] = Object.fromEntries(kinds);
  const body = `${JSON.stringify(
    {
      comment:
        'scrypt hashes of the secrets the gateway generated for `generate` credentials in collections.yaml. ' +
        'The plaintext was printed once and is not stored. Delete this file to generate new secrets.',
      version: 1,
      credentials,
    },
    null,
    2,
  )}\n`;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeNewPrivateFile(tmp, body);
    // The creation mode is subject to the umask; make sure of 0600 before the file becomes visible.
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

function generatedAnnouncement(principal: string, kind: CredentialKind, secret: string, file: string): string {
  const how = kind === 'basic' ? `HTTP Basic user "${principal}", password: ${secret}` : `HTTP header "Authorization: Bearer ${secret}"`;
  return `Generated ${kind} credential for principal "${principal}" (shown only now; only its hash is kept in ${file}):\n` + `  ${how}`;
}

/**
 * Resolves every credential of the config. Throws CredentialError listing all problems (missing variables,
 * malformed hashes, an unreadable generated-credentials file); file system faults are thrown as they are.
 */
export async function resolveCredentials(config: GatewayConfig, opts: ResolveCredentialsOptions): Promise<CredentialIndex> {
  const file = join(opts.dataDir, GENERATED_CREDENTIALS_FILE);
  const needsStore = config.principals.some((p) => p.credentials.some((c) => c.source === 'generate'));
  const stored = needsStore ? await readStored(file) : new Map<string, Map<CredentialKind, string>>();
  const problems: string[] = [];
  const resolved: ResolvedCredential[] = [];
  const fresh: { principal: string; kind: CredentialKind; secret: string }[] = [];
  const reused = new Set<string>();

  for (const p of config.principals) {
    const principal: AuthenticatedPrincipal = Object.freeze({ name: p.name, identity: p.identity, admin: p.admin });
    for (const [i, spec] of p.credentials.entries()) {
      const where = `principal "${p.name}", credentials[${i}].${spec.kind}`;
      const add = (encoded: string, origin: string): void => {
        const checked = checkSecretHash(encoded);
        if ('error' in checked) problems.push(`${where}: ${origin} is not a valid hash: ${checked.error}`);
        else resolved.push({ principal, kind: spec.kind, hash: checked.hash });
      };
      switch (spec.source) {
        case 'hash':
          add(spec.hash, 'the hash');
          break;
        case 'hash_env': {
          const value = opts.env[spec.env];
          if (value === undefined || value === '') problems.push(`${where}: environment variable ${spec.env} is not set`);
          else add(value.trim(), `environment variable ${spec.env}`);
          break;
        }
        case 'secret_env': {
          const value = opts.env[spec.env];
          if (value === undefined || value === '') problems.push(`${where}: environment variable ${spec.env} is not set`);
          else add(await hashSecret(value, { bearer: spec.kind === 'bearer' }), `environment variable ${spec.env}`);
          break;
        }
        case 'generate': {
          const existing = stored.get(p.name)?.get(spec.kind);
          if (existing !== undefined) {
            reused.add(p.name);
            add(existing, file);
            break;
          }
          const secret = spec.kind === 'basic' ? generatePassword() : generateBearerToken();
          const encoded = await hashSecret(secret, { bearer: spec.kind === 'bearer' });
          const byKind = stored.get(p.name) ?? new Map<CredentialKind, string>();
          byKind.set(spec.kind, encoded);
          stored.set(p.name, byKind);
          fresh.push({ principal: p.name, kind: spec.kind, secret });
          add(encoded, 'the generated hash');
          break;
        }
      }
    }
  }
  if (problems.length > 0) throw new CredentialError(problems);

  // Stored before anything is announced: a secret shown but not kept would never work.
  if (fresh.length > 0) await writeStored(opts.dataDir, file, stored);
  for (const f of fresh) opts.announce(generatedAnnouncement(f.principal, f.kind, f.secret, file));
  if (reused.size > 0) {
    opts.announce(
      `Credentials for ${[...reused].join(', ')} were generated earlier (hashes in ${file}); ` + 'delete that file to generate new ones.',
    );
  }
  return buildCredentialIndex(resolved);
}
