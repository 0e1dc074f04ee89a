/**
 * Failed logins, counted per source address and per account tried from it. After `maxFailures` rejected
 * credentials for one account (the Basic user name; all bearer tokens count as one account) from one address
 * within a window, that address gets 429 (with Retry-After) for that account until the window ends, before any
 * secret is hashed. Password guessing stays slow, and nobody can make the server run scrypt (deliberately
 * expensive) at will. Keying by account keeps a guesser behind a shared NAT from locking out the other CERTs'
 * clients behind the same address: only the account being guessed is refused. An address that cycles through
 * account names meets a second, address-wide bound of `maxFailures × ADDRESS_FACTOR` failures per window.
 *
 * Counted in the process (each API replica counts for itself: N replicas allow N × maxFailures per window), in
 * fixed windows, for at most `maxAddresses` (address, account) pairs and addresses (the oldest are forgotten
 * first). Successful logins do not reset the counts.
 */

export interface FailedLoginOptions {
  /** Rejected credentials allowed per address and account per window; 0 turns the throttle off. */
  readonly maxFailures: number;
  readonly windowMs?: number;
  readonly maxAddresses?: number;
  readonly now?: () => number;
}

/** The address-wide bound is this many times the per-account one. */
export const ADDRESS_FACTOR = 5;

interface Window {
  readonly start: number;
  failures: number;
}

/** Fixed-window failure counts for a bounded number of keys (insertion order = age). */
class WindowCounts {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys: number,
    private readonly now: () => number,
  ) {}

  /** Seconds until `key`'s window ends when it holds at least `limit` failures, else 0. */
  retryAfterSeconds(key: string, limit: number): number {
    const w = this.current(key);
    if (!w || w.failures < limit) return 0;
    return Math.max(1, Math.ceil((w.start + this.windowMs - this.now()) / 1000));
  }

  has(key: string): boolean {
    return this.current(key) !== undefined;
  }

  add(key: string): void {
    const w = this.current(key);
    if (w) {
      w.failures++;
      return;
    }
    this.windows.set(key, { start: this.now(), failures: 1 });
    while (this.windows.size > this.maxKeys) {
      const oldest = this.windows.keys().next();
      if (oldest.done === true) break;
      this.windows.delete(oldest.value);
    }
  }

  /** The key's window when it is still running (an expired one is dropped). */
  private current(key: string): Window | undefined {
    const w = this.windows.get(key);
    if (w && this.now() - w.start >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }
}

export class FailedLoginThrottle {
  private readonly byAddress: WindowCounts;
  private readonly byAccount: WindowCounts;

  constructor(private readonly opts: FailedLoginOptions) {
    const windowMs = opts.windowMs ?? 60_000;
    const maxKeys = opts.maxAddresses ?? 10_000;
    const now = opts.now ?? Date.now;
    this.byAddress = new WindowCounts(windowMs, maxKeys, now);
    this.byAccount = new WindowCounts(windowMs, maxKeys, now);
  }

  /**
   * Seconds until `address` may try `account` again, or 0 when it may try now. `account` is a function so that
   * the Authorization header is only read for an address that has failed before.
   */
  retryAfterSeconds(address: string, account: () => string): number {
    if (this.opts.maxFailures <= 0 || !this.byAddress.has(address)) return 0;
    return Math.max(
      this.byAddress.retryAfterSeconds(address, this.opts.maxFailures * ADDRESS_FACTOR),
      this.byAccount.retryAfterSeconds(pairKey(address, account()), this.opts.maxFailures),
    );
  }

  /** Counts one rejected credential for `account` from `address`. */
  failed(address: string, account: string): void {
    if (this.opts.maxFailures <= 0) return;
    this.byAddress.add(address);
    this.byAccount.add(pairKey(address, account));
  }
}

function pairKey(address: string, account: string): string {
  return `${address}\n${account}`;
}
