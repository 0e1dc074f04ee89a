/**
 * Read side of the sharing policy: the highest TLP a principal may receive from a collection. The result is a
 * rank handed to the store (`ReadQuery.maxTlpRank`, `selectVersions(..., maxTlpRank)`), which skips records
 * above it inside its query, so pages stay full and `more`/`next` stay right on every read path.
 *
 * Clearance = the stricter of the principal's global `max_tlp` and its `max_tlp` in the collection's
 * `readers` entry; either absent means "no cap from this source". Admins are capped by their own `max_tlp`
 * only (they read collections that do not list them). A principal that is not a reader gets no clearance
 * from the collection entry, but the permission check (src/auth/permissions.ts) refuses it before any read.
 */
import type { CollectionConfig, GatewayConfig } from '../config/types';
import type { TlpLevel } from '../stix/markings';
import { TLP1_IDS, TLP2_IDS, TLP_ORDER, tlpRank } from '../stix/markings';
import type { ContentRules } from '../store/types';

/** Rank meaning "everything" (TLP:RED is the most restrictive level). */
export const MAX_TLP_RANK = TLP_ORDER.length - 1;

function stricter(a: TlpLevel | undefined, b: TlpLevel | undefined): TlpLevel | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return tlpRank(a) <= tlpRank(b) ? a : b;
}

/** The TLP level a principal is cleared for in a collection; undefined = no cap (everything up to RED). */
export function readerClearance(config: GatewayConfig, principalName: string, collection: CollectionConfig): TlpLevel | undefined {
  const global = config.principals.find((p) => p.name === principalName)?.max_tlp;
  const local = collection.reader_clearances?.find((r) => r.name === principalName)?.max_tlp;
  return stricter(global, local);
}

/** The clearance as a store rank (0 clear .. 4 red). */
export function maxTlpRankFor(config: GatewayConfig, principalName: string, collection: CollectionConfig): number {
  const level = readerClearance(config, principalName, collection);
  return level === undefined ? MAX_TLP_RANK : tlpRank(level);
}

/** The ids of every configured identity (principals' and collections' `cert`): public, and reserved. */
export function configuredIdentities(config: GatewayConfig): Set<string> {
  const out = new Set<string>();
  for (const p of config.principals) out.add(p.identity);
  for (const c of config.collections) if (c.cert !== undefined) out.add(c.cert);
  return out;
}

/**
 * A reader's sharing rules beyond TLP in a collection (its `readers` entry: refused_markings,
 * accepted_producers), for the store query; undefined when the reader has none. The rules apply to the objects
 * a record references too (docs/security.md, "Sharing rules"), except to ids that reveal nothing: the official
 * TLP definitions, the configured identities (as for the reference rank, src/policy/references.ts) and the
 * producers the reader accepts.
 */
export function readerRules(config: GatewayConfig, principalName: string, collection: CollectionConfig): ContentRules | undefined {
  const entry = collection.reader_clearances?.find((r) => r.name === principalName);
  if (entry?.refused_markings === undefined && entry?.accepted_producers === undefined) return undefined;
  return {
    ...(entry.refused_markings === undefined ? {} : { refusedMarkings: entry.refused_markings }),
    ...(entry.accepted_producers === undefined ? {} : { acceptedProducers: entry.accepted_producers }),
    exemptRefs: [
      ...Object.values(TLP1_IDS),
      ...Object.values(TLP2_IDS),
      ...configuredIdentities(config),
      ...(entry.accepted_producers ?? []),
    ],
  };
}

/** Everything the store needs to serve a reader only what it may receive from a collection. */
export interface ReadPolicy {
  readonly maxTlpRank: number;
  readonly rules?: ContentRules;
}

export function readPolicyFor(config: GatewayConfig, principalName: string, collection: CollectionConfig): ReadPolicy {
  const rules = readerRules(config, principalName, collection);
  const maxTlpRank = maxTlpRankFor(config, principalName, collection);
  return rules === undefined ? { maxTlpRank } : { maxTlpRank, rules };
}
