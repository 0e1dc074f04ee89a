import {
  SECRET_HASH_PATTERN,
  bearerTokenId,
  checkSecretHash,
  generateBearerToken,
  generatePassword,
  hashSecret,
  parseSecretHash,
  verifySecret,
} from '../../../src/common/secret-hash';

const VALID = 'scrypt$N=16384,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('hashSecret / verifySecret', () => {
  it('when a secret is hashed, then the same secret verifies and another does not', async () => {
    const hash = await hashSecret('correct horse: battery');
    expect(hash).toMatch(SECRET_HASH_PATTERN);
    expect(hash.startsWith('scrypt$N=16384,r=8,p=1$')).toBe(true);
    await expect(verifySecret('correct horse: battery', hash)).resolves.toBe(true);
    await expect(verifySecret('correct horse: batterY', hash)).resolves.toBe(false);
  });

  it('when the same secret is hashed twice, then the salts differ', async () => {
    const [a, b] = await Promise.all([hashSecret('same'), hashSecret('same')]);
    expect(a).not.toBe(b);
  });

  it('when a bearer token with an id is hashed as bearer, then the hash records the id and not the secret', async () => {
    const token = generateBearerToken();
    const id = bearerTokenId(token);
    expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    const hash = await hashSecret(token, { bearer: true });
    expect(parseSecretHash(hash).tokenId).toBe(id);
    expect(hash).not.toContain(token.slice(13));
    await expect(verifySecret(token, hash)).resolves.toBe(true);
  });

  it('when a password that looks like a token is hashed without bearer, then no part of it is recorded', async () => {
    const hash = await hashSecret('abcdefghij.klmnopqrstuvwxyz0123');
    expect(parseSecretHash(hash).tokenId).toBeUndefined();
    expect(hash).not.toContain('abcdefghij');
  });

  it.each([
    ['another algorithm', 'bcrypt$2b$10$abc'],
    ['N not a power of two', VALID.replace('N=16384', 'N=10000')],
    ['N too small', VALID.replace('N=16384', 'N=512')],
    ['memory above the bound', VALID.replace('N=16384,r=8', 'N=1048576,r=8')],
    ['r out of range', VALID.replace('r=8', 'r=64')],
    ['salt too short', 'scrypt$N=16384,r=8,p=1$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['key missing', 'scrypt$N=16384,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$'],
    ['too long', `${VALID}${'A'.repeat(600)}`],
  ])('when the hash has %s, then it is rejected with a reason', async (_what, encoded) => {
    const checked = checkSecretHash(encoded);
    expect('error' in checked && checked.error.length > 0).toBe(true);
    await expect(verifySecret('x', encoded)).rejects.toThrow(/malformed secret hash/);
  });

  it('when generating secrets, then passwords are 32 URL-safe characters and tokens are id.secret', () => {
    expect(generatePassword()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(generateBearerToken()).toMatch(/^[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
    expect(generatePassword()).not.toBe(generatePassword());
  });
});
