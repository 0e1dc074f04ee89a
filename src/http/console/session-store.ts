/**
 * Console sessions, kept server-side in Redis: the browser holds only a random 256-bit value in an HttpOnly
 * cookie; Redis holds, under the SHA-256 of that value (so a copy of the keys does not give working cookies),
 * who signed in, the session's CSRF token and when it started. A session ends at logout, after `idleMs` without
 * a request (the key's TTL, renewed by each request), or `maxAgeMs` after sign-in, whichever comes first.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { AuthenticatedPrincipal } from '../../auth/types';
import type { KeyBuilder } from '../../store/keys';

export interface ConsoleSession {
  readonly principal: AuthenticatedPrincipal;
  /** Sent back in every state-changing form (hidden field) or API call (X-CSRF-Token). */
  readonly csrf: string;
  /** Sign-in time, ms since the epoch. */
  readonly created: number;
}

export interface SessionOptions {
  /** Idle timeout (default 30 min). */
  readonly idleMs?: number;
  /** Absolute lifetime (default 8 h). */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function parse(text: string | null): ConsoleSession | undefined {
  if (text === null) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  const p = r['principal'];
  if (typeof r['csrf'] !== 'string' || typeof r['created'] !== 'number' || typeof p !== 'object' || p === null) return undefined;
  const q = p as Record<string, unknown>;
  if (typeof q['name'] !== 'string' || typeof q['identity'] !== 'string' || typeof q['admin'] !== 'boolean') return undefined;
  return { principal: { name: q['name'], identity: q['identity'], admin: q['admin'] }, csrf: r['csrf'], created: r['created'] };
}

export class ConsoleSessions {
  readonly idleMs: number;
  readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
    opts: SessionOptions = {},
  ) {
    this.idleMs = opts.idleMs ?? 30 * 60_000;
    this.maxAgeMs = opts.maxAgeMs ?? 8 * 3600_000;
    this.now = opts.now ?? Date.now;
  }

  private key(cookie: string): string {
    return this.keys.consoleSession(createHash('sha256').update(cookie).digest('hex'));
  }

  /** Starts a session; returns the cookie value. */
  async create(principal: AuthenticatedPrincipal): Promise<{ cookie: string; session: ConsoleSession }> {
    const cookie = randomToken();
    const session: ConsoleSession = { principal, csrf: randomToken(), created: this.now() };
    await this.redis.set(this.key(cookie), JSON.stringify(session), 'PX', this.idleMs);
    return { cookie, session };
  }

  /** The session of a cookie value, its idle time renewed; undefined when absent, expired or malformed. */
  async get(cookie: string | undefined): Promise<ConsoleSession | undefined> {
    if (cookie === undefined || !TOKEN.test(cookie)) return undefined;
    const key = this.key(cookie);
    const session = parse(await this.redis.get(key));
    if (!session) return undefined;
    const left = session.created + this.maxAgeMs - this.now();
    if (left <= 0) {
      await this.redis.del(key);
      return undefined;
    }
    await this.redis.pexpire(key, Math.min(this.idleMs, left));
    return session;
  }

  async destroy(cookie: string | undefined): Promise<void> {
    if (cookie !== undefined && TOKEN.test(cookie)) await this.redis.del(this.key(cookie));
  }
}
