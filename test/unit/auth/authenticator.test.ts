import { Authenticator, MAX_AUTHORIZATION_LENGTH, parseAuthorization } from '../../../src/auth/authenticator';
import { buildCredentialIndex, type CredentialIndex } from '../../../src/auth/credentials';
import * as secretHash from '../../../src/common/secret-hash';
import type { AuthenticatedPrincipal } from '../../../src/auth/types';

const ALICE: AuthenticatedPrincipal = { name: 'alice', identity: 'identity--22222222-2222-4222-8222-222222222222', admin: false };
const BOB: AuthenticatedPrincipal = { name: 'bob', identity: 'identity--33333333-3333-4333-8333-333333333333', admin: true };
const ALICE_PASSWORD = 'pa:ss:wo:rd with colons';
const ALICE_TOKEN = secretHash.generateBearerToken();
/** An operator-chosen token without the id form (slow path: tried against id-less hashes). */
const BOB_TOKEN = 'bob-plain-token-without-any-id-part';

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

let index: CredentialIndex;

beforeAll(async () => {
  const [pw, token, bobPw, bobToken] = await Promise.all([
    secretHash.hashSecret(ALICE_PASSWORD),
    secretHash.hashSecret(ALICE_TOKEN, { bearer: true }),
    secretHash.hashSecret('bob-password'),
    secretHash.hashSecret(BOB_TOKEN, { bearer: true }),
  ]);
  index = buildCredentialIndex([
    { principal: ALICE, kind: 'basic', hash: secretHash.parseSecretHash(pw) },
    { principal: ALICE, kind: 'bearer', hash: secretHash.parseSecretHash(token) },
    { principal: BOB, kind: 'basic', hash: secretHash.parseSecretHash(bobPw) },
    { principal: BOB, kind: 'bearer', hash: secretHash.parseSecretHash(bobToken) },
  ]);
});

afterEach(() => {
  jest.restoreAllMocks();
});

function countVerifications(): jest.SpyInstance {
  return jest.spyOn(secretHash, 'verifyParsedSecret');
}

describe('Authenticator', () => {
  it('when the Basic password is right (and contains ":"), then the principal is returned', async () => {
    const outcome = await new Authenticator(index).authenticate(basic('alice', ALICE_PASSWORD));
    expect(outcome).toEqual({ ok: true, principal: ALICE });
  });

  it('when the scheme is written in another case, then it is still recognised', async () => {
    const auth = new Authenticator(index);
    const header = basic('bob', 'bob-password').replace('Basic', 'bAsIc');
    await expect(auth.authenticate(header)).resolves.toEqual({ ok: true, principal: BOB });
    await expect(auth.authenticate(`BEARER ${ALICE_TOKEN}`)).resolves.toEqual({ ok: true, principal: ALICE });
  });

  it('when the password is wrong or the user unknown, then both are invalid after exactly one scrypt each', async () => {
    const auth = new Authenticator(index);
    const spy = countVerifications();
    const wrong = await auth.authenticate(basic('alice', 'guess'));
    expect(spy).toHaveBeenCalledTimes(1);
    const unknown = await auth.authenticate(basic('mallory', 'guess'));
    expect(spy).toHaveBeenCalledTimes(2);
    expect(wrong).toEqual({ ok: false, reason: 'invalid' });
    expect(unknown).toEqual(wrong);
  });

  it('when no header is sent, then the reason is missing', async () => {
    await expect(new Authenticator(index).authenticate(undefined)).resolves.toEqual({ ok: false, reason: 'missing' });
  });

  it.each([
    ['an empty header', ''],
    ['no scheme', 'YWxpY2U6cHc='],
    ['a scheme without credentials', 'Basic'],
    ['an unsupported scheme', 'Digest username="alice"'],
    ['bad base64', 'Basic !!notbase64!!'],
    ['base64 with impossible length', 'Basic YWxpY2'],
    ['no colon after decoding', `Basic ${Buffer.from('alicepassword').toString('base64')}`],
    ['an empty user name', `Basic ${Buffer.from(':password').toString('base64')}`],
    ['a control character in the user name', `Basic ${Buffer.from('ali\u0001ce:pw').toString('base64')}`],
    ['invalid UTF-8', `Basic ${Buffer.from([0xff, 0xfe, 0x3a, 0x61]).toString('base64')}`],
    ['two credentials', 'Bearer abc def'],
    ['a bearer token with forbidden characters', 'Bearer abc"def'],
    ['a 10 kB header', `Basic ${'A'.repeat(10 * 1024)}`],
  ])('when the header has %s, then it is malformed and no scrypt runs', async (_what, header) => {
    const spy = countVerifications();
    await expect(new Authenticator(index).authenticate(header)).resolves.toEqual({ ok: false, reason: 'malformed' });
    expect(spy).not.toHaveBeenCalled();
  });

  it('when the header is just within the length bound, then it is parsed, beyond it refused', () => {
    const pad = 'A'.repeat(MAX_AUTHORIZATION_LENGTH - 'Bearer '.length);
    expect(parseAuthorization(`Bearer ${pad}`)).toEqual({ scheme: 'bearer', token: pad });
    expect(parseAuthorization(`Bearer ${pad}A`)).toBeUndefined();
  });

  it('when a bearer token with an id is right, then one scrypt finds its principal', async () => {
    const spy = countVerifications();
    await expect(new Authenticator(index).authenticate(`Bearer ${ALICE_TOKEN}`)).resolves.toEqual({ ok: true, principal: ALICE });
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('when a bearer token has a known id but a wrong secret, then it is invalid', async () => {
    const [id] = ALICE_TOKEN.split('.');
    const forged = `${id ?? ''}.${'x'.repeat(43)}`;
    await expect(new Authenticator(index).authenticate(`Bearer ${forged}`)).resolves.toEqual({ ok: false, reason: 'invalid' });
  });

  it('when a bearer token has no id form, then it is matched against id-less hashes', async () => {
    const auth = new Authenticator(index);
    await expect(auth.authenticate(`Bearer ${BOB_TOKEN}`)).resolves.toEqual({ ok: true, principal: BOB });
    await expect(auth.authenticate('Bearer some-other-token-value')).resolves.toEqual({ ok: false, reason: 'invalid' });
  });

  it('when the same header comes again, then the cache answers without running scrypt', async () => {
    const auth = new Authenticator(index);
    const header = basic('alice', ALICE_PASSWORD);
    await auth.authenticate(header);
    const spy = countVerifications();
    const started = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) await auth.authenticate(header);
    const perCallMs = Number(process.hrtime.bigint() - started) / 1e6 / 1000;
    expect(spy).not.toHaveBeenCalled();
    expect(perCallMs).toBeLessThan(1);
  });

  it('when concurrent requests carry the same new header, then one scrypt serves them all', async () => {
    const auth = new Authenticator(index);
    const spy = countVerifications();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => auth.authenticate(basic('bob', 'bob-password'))));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('when a wrong password is retried, then each attempt is verified again (failures are not cached)', async () => {
    const auth = new Authenticator(index);
    const spy = countVerifications();
    await auth.authenticate(basic('alice', 'nope'));
    await auth.authenticate(basic('alice', 'nope'));
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('when the cache entry is older than the TTL, then the header is verified again', async () => {
    let now = 1_000_000;
    const auth = new Authenticator(index, { cacheTtlMs: 60_000, now: () => now });
    const header = basic('alice', ALICE_PASSWORD);
    await auth.authenticate(header);
    const spy = countVerifications();
    now += 59_999;
    await auth.authenticate(header);
    expect(spy).toHaveBeenCalledTimes(0);
    now += 60_001;
    await expect(auth.authenticate(header)).resolves.toEqual({ ok: true, principal: ALICE });
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('when the cache is full, then the least recently used entry is evicted', async () => {
    const auth = new Authenticator(index, { cacheMax: 1 });
    const a = basic('alice', ALICE_PASSWORD);
    const b = basic('bob', 'bob-password');
    await auth.authenticate(a);
    await auth.authenticate(b);
    const spy = countVerifications();
    await auth.authenticate(b);
    expect(spy).toHaveBeenCalledTimes(0);
    await auth.authenticate(a);
    expect(spy).toHaveBeenCalledTimes(1);
  });
});
