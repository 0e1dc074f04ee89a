/**
 * Per-principal request limits kept in Redis, so they hold across API replicas (config `rate_limit:
 * { requests_per_minute, max_concurrent }` in `server`, overridable per principal).
 *
 * - Rate: a fixed one-minute window per principal (INCR; the first request of a window sets its expiry).
 *   Above the limit the answer is 429 with Retry-After = the seconds left in the window.
 * - Concurrency: a ZSET of request tokens scored by an expiry, so a replica that dies with requests in
 *   flight cannot leak slots for longer than IN_FLIGHT_TTL_MS. Above the limit: 429 with Retry-After 1.
 *
 * Both checks are one Lua script on keys with the same hash tag (`{p:<principal>}`). A rejected request
 * still counts towards the window, so a client that ignores Retry-After stays limited.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Cluster, Redis, Result } from 'ioredis';
import type { GatewayConfig, RateLimitConfig } from '../config/types';
import type { KeyBuilder } from '../store/keys';
import { locals } from './context';
import { Errors } from './errors';

/** A slot is released by its request; this bounds how long a lost release can hold it (> requestTimeout). */
export const IN_FLIGHT_TTL_MS = 180_000;
const WINDOW_MS = 60_000;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** rate-limit script: (2 keys, rpm, windowMs, maxConcurrent, token, ttlMs) → [code, retryAfterMs]. */
    gwRateAcquire(numKeys: number, ...keysAndArgs: (string | number)[]): Result<[number, number], Context>;
  }
}

/*
KEYS[1] window counter (STRING), KEYS[2] in-flight tokens (ZSET, score = expiry in ms)
ARGV[1] requests per window (0 = unlimited)   ARGV[2] window length ms
ARGV[3] max concurrent (0 = unlimited)        ARGV[4] token   ARGV[5] token ttl ms
Returns {0, 0} admitted (token added when ARGV[3] > 0), {1, ms left in window} over the rate,
{2, 1000} over the concurrency limit.
*/
const ACQUIRE_LUA = `
local rpm, windowMs, maxc = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if rpm > 0 then
  local n = redis.call('INCR', KEYS[1])
  if n == 1 then redis.call('PEXPIRE', KEYS[1], windowMs) end
  if n > rpm then
    local ttl = redis.call('PTTL', KEYS[1])
    if ttl < 0 then redis.call('PEXPIRE', KEYS[1], windowMs); ttl = windowMs end
    return {1, ttl}
  end
end
if maxc > 0 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= maxc then return {2, 1000} end
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), ARGV[4])
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[5]))
end
return {0, 0}
`;

export type Admission = { readonly ok: true; readonly release: () => Promise<void> } | { readonly ok: false; readonly retryAfterSeconds: number };

/** The limits that apply to a principal: its own rate_limit over the server's, field by field. */
export function limitsFor(config: GatewayConfig, principal: string): RateLimitConfig {
  const own = config.principals.find((p) => p.name === principal)?.rate_limit;
  return { ...config.server.rate_limit, ...own };
}

export class RateLimiter {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
    private readonly config: GatewayConfig,
  ) {
    if (typeof (redis as Partial<Pick<Redis, 'gwRateAcquire'>>).gwRateAcquire !== 'function') {
      redis.defineCommand('gwRateAcquire', { lua: ACQUIRE_LUA });
    }
  }

  /** True when any principal has a limit (otherwise the middleware is not worth a round trip). */
  get active(): boolean {
    return this.config.server.rate_limit !== undefined || this.config.principals.some((p) => p.rate_limit !== undefined);
  }

  async acquire(principal: string): Promise<Admission> {
    const limits = limitsFor(this.config, principal);
    const rpm = limits.requests_per_minute ?? 0;
    const maxc = limits.max_concurrent ?? 0;
    if (rpm === 0 && maxc === 0) return { ok: true, release: async () => undefined };
    const token = randomUUID();
    const inFlight = this.keys.inFlight(principal);
    const [code, retryMs] = await this.redis.gwRateAcquire(2, this.keys.rateWindow(principal), inFlight, rpm, WINDOW_MS, maxc, token, IN_FLIGHT_TTL_MS);
    if (Number(code) !== 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(Number(retryMs) / 1000)) };
    return {
      ok: true,
      release: async () => {
        if (maxc > 0) await this.redis.zrem(inFlight, token);
      },
    };
  }
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
