import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Authenticator } from '../../../src/auth/authenticator';
import { CredentialError, GENERATED_CREDENTIALS_FILE, resolveCredentials } from '../../../src/auth/credentials';
import { hashSecret } from '../../../src/common/secret-hash';
import { loadConfigFile } from '../../../src/config/load-config';
import type { GatewayConfig } from '../../../src/config/types';

const FIXTURE = resolve(__dirname, '../../fixtures/config/valid/auth-principals.yaml');
const RU_PASSWORD = 'ru-password-from-env';
const RU_TOKEN = 'ru-token-from-the-operator';

let config: GatewayConfig;
let ruTokenHash: string;
let dir: string;

beforeAll(async () => {
  const loaded = await loadConfigFile(FIXTURE);
  if (!loaded.config) throw new Error(`fixture does not load: ${JSON.stringify(loaded.issues)}`);
  config = loaded.config;
  ruTokenHash = await hashSecret(RU_TOKEN, { bearer: true });
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-credentials-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

describe('resolveCredentials', () => {
  it('when generate credentials first start, then secrets are announced once and only hashes are stored (0600)', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const env = { RU_PASSWORD, RU_TOKEN_HASH: ruTokenHash };
    const first: string[] = [];
    const index = await resolveCredentials(config, { dataDir, env, announce: (t) => first.push(t) });

    expect(first).toHaveLength(3);
    const usPassword = /password: (\S+)/.exec(first.find((t) => t.includes('"us-cert"') && t.includes('basic')) ?? '')?.[1];
    const usToken = /Bearer (\S+?)"/.exec(first.find((t) => t.includes('bearer')) ?? '')?.[1];
    const opPassword = /password: (\S+)/.exec(first.find((t) => t.includes('"operator"')) ?? '')?.[1];
    expect(usPassword).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(usToken).toMatch(/^[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
    expect(opPassword).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const file = join(dataDir, GENERATED_CREDENTIALS_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = await readFile(file, 'utf8');
    for (const secret of [usPassword, usToken, opPassword]) expect(stored).not.toContain(secret);
    expect(stored).not.toContain(RU_PASSWORD);
    expect(stored).toContain('scrypt$N=16384');

    const auth = new Authenticator(index);
    await expect(auth.authenticate(basic('us-cert', usPassword ?? ''))).resolves.toMatchObject({
      ok: true,
      principal: { name: 'us-cert' },
    });
    await expect(auth.authenticate(`Bearer ${usToken ?? ''}`)).resolves.toMatchObject({ ok: true, principal: { name: 'us-cert' } });
    await expect(auth.authenticate(basic('operator', opPassword ?? ''))).resolves.toMatchObject({
      ok: true,
      principal: { name: 'operator', admin: true },
    });
    await expect(auth.authenticate(basic('ru-cert', RU_PASSWORD))).resolves.toMatchObject({ ok: true, principal: { name: 'ru-cert' } });
    await expect(auth.authenticate(`Bearer ${RU_TOKEN}`)).resolves.toMatchObject({ ok: true, principal: { name: 'ru-cert' } });

    // Second start: nothing secret is announced, the file is unchanged, the first secrets still work.
    const second: string[] = [];
    const again = await resolveCredentials(config, { dataDir, env, announce: (t) => second.push(t) });
    expect(second).toHaveLength(1);
    expect(second[0]).toContain('generated earlier');
    for (const secret of [usPassword, usToken, opPassword]) expect(second.join('\n')).not.toContain(secret);
    expect(await readFile(file, 'utf8')).toBe(stored);
    const auth2 = new Authenticator(again);
    await expect(auth2.authenticate(basic('us-cert', usPassword ?? ''))).resolves.toMatchObject({ ok: true });
    await expect(auth2.authenticate(`Bearer ${usToken ?? ''}`)).resolves.toMatchObject({ ok: true });
    await expect(auth2.authenticate(basic('us-cert', 'not-it'))).resolves.toEqual({ ok: false, reason: 'invalid' });
  });

  it('when environment variables are missing, then start-up fails naming every principal and variable', async () => {
    const announce = jest.fn();
    const attempt = resolveCredentials(config, { dataDir: dir, env: {}, announce });
    await expect(attempt).rejects.toBeInstanceOf(CredentialError);
    await expect(attempt).rejects.toThrow(/principal "ru-cert".*RU_PASSWORD is not set/);
    await expect(attempt).rejects.toThrow(/RU_TOKEN_HASH is not set/);
    expect(announce).not.toHaveBeenCalled();
  });

  it('when a hash_env variable holds no valid hash, then start-up fails naming the variable', async () => {
    const attempt = resolveCredentials(config, {
      dataDir: dir,
      env: { RU_PASSWORD, RU_TOKEN_HASH: 'plaintext-by-mistake' },
      announce: () => undefined,
    });
    await expect(attempt).rejects.toThrow(/environment variable RU_TOKEN_HASH is not a valid hash/);
  });

  it('when the generated-credentials file is corrupt, then start-up fails instead of regenerating', async () => {
    await writeFile(join(dir, GENERATED_CREDENTIALS_FILE), '{"version": 1, "credentials": {"us-cert": {"basic": "oops"}}}');
    const attempt = resolveCredentials(config, {
      dataDir: dir,
      env: { RU_PASSWORD, RU_TOKEN_HASH: ruTokenHash },
      announce: () => undefined,
    });
    await expect(attempt).rejects.toThrow(/delete the file to generate new secrets/);
  });
});
