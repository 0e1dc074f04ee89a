/**
 * Checks Authorization headers (HTTP Basic and Bearer) against the credential index.
 *
 * Cost: one scrypt verification takes ~20–50 ms, far above the API's latency budget, so successful results are
 * cached in memory, keyed by the SHA-256 of the whole header value (the plaintext is never kept), with a TTL
 * and a size bound (least recently used evicted first). Concurrent requests with the same uncached header
 * share one verification. Failures are never cached as success.
 *
 * Bearer lookup: tokens of the form `<token-id>.<secret>` (what the gateway generates) are matched through the
 * token id recorded in their hash, so an attempt costs one scrypt however many tokens exist. A token without
 * an id is tried against the bearer hashes that have none (operators' own tokens given through secret_env or
 * hash without id), which costs one scrypt per such hash.
 *
 * No user enumeration: an unknown user or token id is verified against a dummy hash of the same cost, and
 * every failure of a well-formed header is `invalid`.
 */
import { createHash } from 'node:crypto';
import type { BearerEntry, CredentialIndex } from './credentials';
import { type ParsedSecretHash, bearerTokenId, dummySecretHash, verifyParsedSecret } from '../common/secret-hash';
import type { AuthOutcome, AuthenticatedPrincipal } from './types';

/** Header values longer than this are refused as malformed before any work. */
export const MAX_AUTHORIZATION_LENGTH = 4096;

/** The WWW-Authenticate value for 401 responses (RFC 7617 Basic is the scheme TAXII requires). */
export const WWW_AUTHENTICATE = 'Basic realm="taxii-gateway", charset="UTF-8", Bearer realm="taxii-gateway"';

export interface AuthenticatorOptions {
  /** How long a successful verification is reused (default 60 000 ms). */
  readonly cacheTtlMs?: number;
  /** Most cached verifications (default 10 000). */
  readonly cacheMax?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** `<scheme> <credentials>`; the two classes around the separator are disjoint, so matching is linear. */
const AUTHORIZATION_RE = /^([A-Za-z][A-Za-z0-9_-]{0,31})[ ]+([^ ]+)$/;
/** RFC 7235 token68. */
const TOKEN68_RE = /^[A-Za-z0-9._~+/-]+=*$/;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

type Parsed =
  { readonly scheme: 'basic'; readonly user: string; readonly password: string } | { readonly scheme: 'bearer'; readonly token: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a header value; undefined when it is malformed. */
export function parseAuthorization(header: string): Parsed | undefined {
  if (header.length > MAX_AUTHORIZATION_LENGTH) return undefined;
  const m = AUTHORIZATION_RE.exec(header.trim());
  const scheme = m?.[1]?.toLowerCase();
  const value = m?.[2];
  if (value === undefined) return undefined;
  if (scheme === 'bearer') return TOKEN68_RE.test(value) ? { scheme, token: value } : undefined;
  if (scheme !== 'basic' || !BASE64_RE.test(value) || value.length % 4 === 1) return undefined;
  const bytes = Buffer.from(value, 'base64');
  // Node's decoder skips what it cannot read; a value that does not round-trip was not clean base64.
  if (bytes.toString('base64').replace(/=+$/, '') !== value.replace(/=+$/, '')) return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const user = text.slice(0, colon);
  if (CONTROL_RE.test(user)) return undefined;
  return { scheme, user, password: text.slice(colon + 1) };
}

/**
 * The account an Authorization header tries, for counting failed logins (src/auth/failed-logins.ts): the Basic
 * user name, one account for all bearer tokens (a token names no account before it is verified), and one for
 * anything unreadable.
 */
export function loginAccount(header: string | undefined): string {
  if (header === undefined) return 'none';
  const parsed = parseAuthorization(header);
  if (!parsed) return 'malformed';
  return parsed.scheme === 'basic' ? `basic:${parsed.user.slice(0, 200)}` : 'bearer';
}

export class Authenticator {
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;
  private readonly dummy: ParsedSecretHash = dummySecretHash();
  /** SHA-256(header) → principal and expiry; Map order is the LRU order (oldest first). */
  private readonly cache = new Map<string, { readonly principal: AuthenticatedPrincipal; readonly expiresAt: number }>();
  private readonly inflight = new Map<string, Promise<AuthOutcome>>();

  constructor(
    private readonly index: CredentialIndex,
    opts: AuthenticatorOptions = {},
  ) {
    this.ttlMs = opts.cacheTtlMs ?? 60_000;
    this.max = Math.max(0, opts.cacheMax ?? 10_000);
    this.now = opts.now ?? Date.now;
  }

  /** Checks one Authorization header value (undefined when the request has none). */
  async authenticate(authorization: string | undefined): Promise<AuthOutcome> {
    if (authorization === undefined) return { ok: false, reason: 'missing' };
    if (authorization.length > MAX_AUTHORIZATION_LENGTH) return { ok: false, reason: 'malformed' };

    // Only well-formed headers that verified are cached, so a hit needs no parsing.
    const key = createHash('sha256').update(authorization).digest('base64');
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      if (hit.expiresAt > this.now()) {
        this.cache.set(key, hit);
        return { ok: true, principal: hit.principal };
      }
    }
    const parsed = parseAuthorization(authorization);
    if (!parsed) return { ok: false, reason: 'malformed' };
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const work = this.verify(parsed).then((outcome) => {
      if (outcome.ok) this.remember(key, outcome.principal);
      return outcome;
    });
    this.inflight.set(key, work);
    try {
      return await work;
    } finally {
      this.inflight.delete(key);
    }
  }

  private remember(key: string, principal: AuthenticatedPrincipal): void {
    if (this.max === 0) return;
    this.cache.set(key, { principal, expiresAt: this.now() + this.ttlMs });
    while (this.cache.size > this.max) {
      const oldest = this.cache.keys().next();
      if (oldest.done === true) break;
      this.cache.delete(oldest.value);
    }
  }

  private async verify(parsed: Parsed): Promise<AuthOutcome> {
    const candidates: readonly { principal: AuthenticatedPrincipal; hash: ParsedSecretHash }[] =
      parsed.scheme === 'basic' ? this.basicCandidates(parsed.user) : this.bearerCandidates(parsed.token);
    const secret = parsed.scheme === 'basic' ? parsed.password : parsed.token;
    if (candidates.length === 0) {
      await verifyParsedSecret(secret, this.dummy);
      return { ok: false, reason: 'invalid' };
    }
    for (const c of candidates) {
      if (await verifyParsedSecret(secret, c.hash)) return { ok: true, principal: c.principal };
    }
    return { ok: false, reason: 'invalid' };
  }

  private basicCandidates(user: string): { principal: AuthenticatedPrincipal; hash: ParsedSecretHash }[] {
    const entry = this.index.basic.get(user);
    return entry ? entry.hashes.map((hash) => ({ principal: entry.principal, hash })) : [];
  }

  private bearerCandidates(token: string): readonly BearerEntry[] {
    const id = bearerTokenId(token);
    const byId = id === undefined ? undefined : this.index.bearerByTokenId.get(id);
    return byId ?? this.index.bearerWithoutId;
  }
}
