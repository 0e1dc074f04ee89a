/**
 * Failed logins per source address: after `maxFailures` rejected credentials from one address within a window,
 * that address gets 429 (with Retry-After) until the window ends, before any secret is hashed. Password guessing
 * stays slow, and nobody can make the server run scrypt (deliberately expensive) at will.
 *
 * Counted in the process (each API replica counts for itself: N replicas allow N × maxFailures per window), in
 * fixed windows, for at most `maxAddresses` addresses (the oldest are forgotten first). A client behind the same
 * NAT as a guesser is refused too until the window ends; successful logins do not reset the count.
 */

export interface FailedLoginOptions {
  /** Rejected credentials allowed per address and window; 0 turns the throttle off. */
  readonly maxFailures: number;
  readonly windowMs?: number;
  readonly maxAddresses?: number;
  readonly now?: () => number;
}

interface Window {
  readonly start: number;
  failures: number;
}

export class FailedLoginThrottle {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private readonly maxAddresses: number;
  private readonly now: () => number;

  constructor(private readonly opts: FailedLoginOptions) {
    this.windowMs = opts.windowMs ?? 60_000;
    this.maxAddresses = opts.maxAddresses ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /** Seconds until `address` may try again, or 0 when it may try now. */
  retryAfterSeconds(address: string): number {
    if (this.opts.maxFailures <= 0) return 0;
    const w = this.current(address);
    if (!w || w.failures < this.opts.maxFailures) return 0;
    return Math.max(1, Math.ceil((w.start + this.windowMs - this.now()) / 1000));
  }

  /** Counts one rejected credential from `address`. */
  failed(address: string): void {
    if (this.opts.maxFailures <= 0) return;
    const w = this.current(address);
    if (w) {
      w.failures++;
      return;
    }
    this.windows.set(address, { start: this.now(), failures: 1 });
    while (this.windows.size > this.maxAddresses) {
      const oldest = this.windows.keys().next();
      if (oldest.done === true) break;
      this.windows.delete(oldest.value);
    }
  }

  /** The address's window when it is still running (an expired one is dropped). */
  private current(address: string): Window | undefined {
    const w = this.windows.get(address);
    if (w && this.now() - w.start >= this.windowMs) {
      this.windows.delete(address);
      return undefined;
    }
    return w;
  }
}
