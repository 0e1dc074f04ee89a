import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keyIdOf } from '../../../src/inquiries/signature';
import { PUBLIC_KEY_FILE, SIGNING_KEY_FILE, loadOrCreateSigningKey, parsePublicKey } from '../../../src/inquiries/signing-key';

describe('inquiry signing key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'inquiry-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when the gateway starts for the first time, then it creates a private key readable only by its user and exports the public key; later starts reuse it', async () => {
    const data = path.join(dir, 'data');
    const first = await loadOrCreateSigningKey(data);
    expect(first.created).toBe(true);
    expect(statSync(path.join(data, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
    const exported = parsePublicKey(readFileSync(path.join(data, PUBLIC_KEY_FILE), 'utf8'), 'exported');
    expect(keyIdOf(exported)).toBe(first.signer.keyId);
    const again = await loadOrCreateSigningKey(data);
    expect(again.created).toBe(false);
    expect(again.signer.keyId).toBe(first.signer.keyId);
  });

  it('when several processes start at once, then they all end up with the same key', async () => {
    const data = path.join(dir, 'data');
    const all = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateSigningKey(data)));
    expect(new Set(all.map((k) => k.signer.keyId)).size).toBe(1);
    expect(all.filter((k) => k.created)).toHaveLength(1);
  });

  it('when a key file holds no Ed25519 public key, then the error says so', () => {
    expect(() => parsePublicKey('not a key', 'partner.pem')).toThrow(/partner\.pem: not a public key/);
  });
});
