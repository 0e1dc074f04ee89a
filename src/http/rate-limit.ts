/**
 * Per-principal request limits kept in Redis, so they hold across API replicas (config `rate_limit:
 * { requests_per_minute, max_concurrent }` in `server`, overridable per principal).
 *
 * - Rate: a fixed one-minute window per principal. Above the limit the answer is 429 with Retry-After = the
 *   seconds left in the window.
 * - Concurrency: a ZSET of request tokens scored by an expiry, so a replica that dies with requests in
 *   flight cannot leak slots for longer than IN_FLIGHT_TTL_MS. Above the limit: 429 with Retry-After 1.
 *
 * With a concurrency limit every request runs one Lua script (src/store/lua/rate-acquire.lua: both checks on
 * keys with the same hash tag `{p:<principal>}`); a rejected request still counts towards the window.
 *
 * With a rate limit alone a replica does not ask Redis per request: it takes a lease of `leaseSize(rpm)`
 * requests of the current window (INCRBY on the same counter, so the window's total over all replicas never
 * exceeds the limit) and spends it locally until the lease is used up or the window ends. Once Redis says the
 * window is spent, the replica refuses locally until the window ends (in a fixed window nothing a refused
 * request could add would change that). The cost: a lease a replica does not use up in its window is lost to
 * the others, so a principal may be refused up to (replicas × lease) requests before its limit, at most 1 %
 * of the limit per replica. Below 200 requests per minute the lease would be one request: such limits are
 * counted per request as with a concurrency limit (exact).
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Cluster, Redis, Result } from 'ioredis';
import type { GatewayConfig, RateLimitConfig } from '../config/types';
import type { KeyBuilder } from '../store/keys';
import { luaSource } from '../store/lua-source';
import { locals } from './locals';
import { Errors } from './errors';

/** A slot is released by its request; this bounds how long a lost release can hold it (> requestTimeout). */
export const IN_FLIGHT_TTL_MS = 180_000;
const WINDOW_MS = 60_000;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** rate-limit script: (2 keys, rpm, windowMs, maxConcurrent, token, ttlMs) → [code, retryAfterMs]. */
    gwRateAcquire(numKeys: number, ...keysAndArgs: (string | number)[]): Result<[number, number], Context>;
    /** lease script: (1 key, rpm, windowMs, lease) → [granted, ms left in the window]. */
    gwRateLease(numKeys: number, ...keysAndArgs: (string | number)[]): Result<[number, number], Context>;
  }
}

/** Requests a replica takes from the shared window at a time: 1 % of the limit (1 below 200 per minute). */
export function leaseSize(rpm: number): number {
  return Math.max(1, Math.floor(rpm / 100));
}

/** A replica's local part of one principal's current window. */
interface Lease {
  /** Requests left to admit locally. */
  left: number;
  /** Local clock (ms) at which the window ends. */
  windowEnd: number;
  /** True when Redis said the window is spent: refuse until windowEnd. */
  spent: boolean;
  /** The lease request in flight, shared by the requests that wait for it. */
  pending?: Promise<void>;
}

export type Admission =
  { readonly ok: true; readonly release: () => Promise<void> } | { readonly ok: false; readonly retryAfterSeconds: number };

/** The limits that apply to a principal: its own rate_limit over the server's, field by field. */
export function limitsFor(config: GatewayConfig, principal: string): RateLimitConfig {
  const own = config.principals.find((p) => p.name === principal)?.rate_limit;
  return { ...config.server.rate_limit, ...own };
}

/** The admission of a request that holds nothing to release. */
const ADMITTED: Extract<Admission, { ok: true }> = { ok: true, release: async () => undefined };

export class RateLimiter {
  private readonly leases = new Map<string, Lease>();
  /** True when any principal has a limit (otherwise the middleware is not worth a call). */
  readonly active: boolean;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
    private readonly config: GatewayConfig,
    private readonly now: () => number = Date.now,
  ) {
    if (typeof (redis as Partial<Pick<Redis, 'gwRateAcquire'>>).gwRateAcquire !== 'function') {
      redis.defineCommand('gwRateAcquire', { lua: luaSource('rate-acquire.lua') });
    }
    if (typeof (redis as Partial<Pick<Redis, 'gwRateLease'>>).gwRateLease !== 'function') {
      redis.defineCommand('gwRateLease', { lua: luaSource('rate-lease.lua') });
    }
    this.active = config.server.rate_limit !== undefined || config.principals.some((p) => p.rate_limit !== undefined);
  }

  async acquire(principal: string): Promise<Admission> {
    const limits = limitsFor(this.config, principal);
    const rpm = limits.requests_per_minute ?? 0;
    const maxc = limits.max_concurrent ?? 0;
    if (rpm === 0 && maxc === 0) return ADMITTED;
    if (maxc === 0 && leaseSize(rpm) > 1) return this.acquireFromLease(principal, rpm);
    const token = randomUUID();
    const inFlight = this.keys.inFlight(principal);
    const [code, retryMs] = await this.redis.gwRateAcquire(
      2,
      this.keys.rateWindow(principal),
      inFlight,
      rpm,
      WINDOW_MS,
      maxc,
      token,
      IN_FLIGHT_TTL_MS,
    );
    if (Number(code) !== 0) return refused(Number(retryMs));
    if (maxc === 0) return ADMITTED;
    return {
      ok: true,
      release: async () => {
        await this.redis.zrem(inFlight, token);
      },
    };
  }

  /** Rate limit alone: spend the local lease, taking a new one from the shared window when it is used up. */
  private async acquireFromLease(principal: string, rpm: number): Promise<Admission> {
    for (;;) {
      let lease = this.leases.get(principal);
      const now = this.now();
      if (lease && now >= lease.windowEnd && !lease.pending) {
        this.leases.delete(principal);
        lease = undefined;
      }
      if (lease?.pending) {
        await lease.pending;
        continue;
      }
      if (lease?.spent) return refused(lease.windowEnd - now);
      if (lease && lease.left > 0) {
        lease.left--;
        return ADMITTED;
      }
      const next: Lease = lease ?? { left: 0, windowEnd: 0, spent: false };
      next.pending = this.takeLease(principal, rpm, next).finally(() => {
        next.pending = undefined;
      });
      this.leases.set(principal, next);
      await next.pending;
    }
  }

  private async takeLease(principal: string, rpm: number, lease: Lease): Promise<void> {
    const [granted, ttl] = await this.redis.gwRateLease(1, this.keys.rateWindow(principal), rpm, WINDOW_MS, leaseSize(rpm));
    lease.windowEnd = this.now() + Math.max(1, Number(ttl));
    lease.left = Number(granted);
    lease.spent = lease.left === 0;
  }
}

function refused(retryMs: number): Admission {
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)) };
}

/** Middleware run after authentication: 429 (TAXII error, Retry-After) when the principal is over a limit. */
export function rateLimit(limiter: RateLimiter) {
  return async (_req: Request, res: Response, next: NextFunction): Promise<void> => {
    const p = locals(res).principal;
    if (!p || !limiter.active) {
      next();
      return;
    }
    const admission = await limiter.acquire(p.name);
    if (!admission.ok) throw Errors.tooManyRequests(admission.retryAfterSeconds);
    if (admission.release === ADMITTED.release) {
      next();
      return;
    }
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      // A failed release only holds the slot until its expiry.
      admission.release().catch(() => undefined);
    };
    // 'close' follows every response ('finish' first when it was sent) and a connection closed early.
    res.on('close', release);
    next();
  };
}
