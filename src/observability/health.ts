/**
 * Liveness and readiness. Liveness (/healthz) only says the process answers HTTP. Readiness (/readyz) runs
 * named checks (Redis reachable, config loaded, worker connected), each bounded by a timeout, and reports
 * only "ready" or "not ready": which check failed is logged, never sent, so the endpoints reveal nothing.
 */

export interface ReadinessCheck {
  /** Short name used in logs (e.g. `redis`, `config`, `worker`). */
  readonly name: string;
  /** True when healthy; a throw or a timeout counts as unhealthy. */
  readonly check: () => Promise<boolean> | boolean;
}

export interface ReadinessResult {
  readonly ready: boolean;
  /** Names of the checks that failed (for logs only). */
  readonly failed: readonly string[];
}

/** Runs every check in parallel, each within `timeoutMs`. */
export async function runReadiness(checks: readonly ReadinessCheck[], timeoutMs = 1000): Promise<ReadinessResult> {
  const results = await Promise.all(
    checks.map(async (c) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([Promise.resolve().then(c.check), timeout]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const failed = checks.filter((_, i) => results[i] !== true).map((c) => c.name);
  return { ready: failed.length === 0, failed };
}

/** A check that a Redis-like client answers PING. */
export function redisPingCheck(name: string, client: { ping(): Promise<string> }): ReadinessCheck {
  return { name, check: async () => (await client.ping()) === 'PONG' };
}
