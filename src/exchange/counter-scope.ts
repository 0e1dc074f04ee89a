/**
 * Which exchange counters a principal may see, per collection: the same rule as every read path. Counts are
 * summed only over the TLP ranks the viewer is cleared for in that collection (src/policy/clearance.ts), so an
 * AMBER-capped viewer is never shown a count that includes a RED object. A reader with sharing rules beyond TLP
 * (refused markings, accepted producers) cannot be served exact counts from per-rank counters, so the shared
 * counts of that collection are withheld from it (fail closed).
 */
import { canRead, canWrite } from '../auth/permissions';
import type { AuthenticatedPrincipal } from '../auth/types';
import type { CollectionConfig, GatewayConfig } from '../config/types';
import { readPolicyFor } from '../policy/clearance';

export interface CounterScope {
  readonly collection: CollectionConfig;
  /** Highest TLP rank counted; -1 = no content counts at all (withheld). */
  readonly maxRank: number;
  /** Whose pulls are shown: every reader's (owner, operator) or the viewer's own. */
  readonly pulls: 'all' | 'own';
  /** Whose refusals are shown: every writer's (operator) or the viewer's own. */
  readonly refusals: 'all' | 'own';
}

/** The scope of a viewer in one collection; undefined when the collection is not visible to it at all. */
export function counterScope(config: GatewayConfig, viewer: AuthenticatedPrincipal, c: CollectionConfig): CounterScope | undefined {
  if (viewer.admin) {
    return { collection: c, maxRank: readPolicyFor(config, viewer.name, c).maxTlpRank, pulls: 'all', refusals: 'all' };
  }
  const writer = canWrite(viewer, c);
  if (canRead(viewer, c)) {
    const policy = readPolicyFor(config, viewer.name, c);
    return { collection: c, maxRank: policy.rules === undefined ? policy.maxTlpRank : -1, pulls: writer ? 'all' : 'own', refusals: 'own' };
  }
  // A writer that does not read the collection sees its own refusals, nothing of the content.
  if (writer) return { collection: c, maxRank: -1, pulls: 'own', refusals: 'own' };
  return undefined;
}

/** Scopes of every collection visible to the viewer, in configuration order. */
export function counterScopes(config: GatewayConfig, viewer: AuthenticatedPrincipal): CounterScope[] {
  const out: CounterScope[] = [];
  for (const c of config.collections) {
    const s = counterScope(config, viewer, c);
    if (s) out.push(s);
  }
  return out;
}
