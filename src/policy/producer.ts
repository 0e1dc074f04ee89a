/**
 * Producer rules (docs/security.md, "Threat model"):
 * - Only the producer versions or deletes its objects. The producer of an object is the identity of the
 *   principal that first stored it (recorded by the store). A new version, a fold into it, or a DELETE by
 *   anyone else is refused (NOT_PRODUCER; DELETE answers 403), unless the writer acts as that identity or is an
 *   admin. SCOs (facts anyone may report) and the official TLP definitions may gain versions from anyone; their
 *   first writer is still recorded, and only it (or an admin) deletes them.
 * - The identity object of a configured principal (its `identity` id) may be written only by that principal.
 * - Writes see what the writer may read: the store compares a write only with records within the writer's
 *   clearance (all of the writer's own), so a collection holding hidden records answers a write exactly like one
 *   that does not.
 * The store enforces the first and third rule inside its write script (src/store/lua/store-objects.lua), with
 * the context built here; the worker applies the second before storing.
 */
import { canRead } from '../auth/permissions';
import type { CollectionConfig, GatewayConfig } from '../config/types';
import { isWellKnownTlpId } from '../stix/markings';
import { categoryOf } from '../stix/semantic/stix-types';
import type { WriterContext } from '../store/types';
import { maxTlpRankFor } from './clearance';

/** Failure code of every producer refusal. */
export const NOT_PRODUCER = 'NOT_PRODUCER';

/** The store's write context for a principal writing into a collection. */
export function writerContext(config: GatewayConfig, principalName: string, identity: string, collection: CollectionConfig): WriterContext {
  const p = config.principals.find((x) => x.name === principalName);
  const admin = p?.admin === true;
  const reads = p !== undefined && canRead({ name: p.name, identity: p.identity, admin }, collection);
  return { identity, admin, clearance: reads ? maxTlpRankFor(config, principalName, collection) : -1 };
}

/** Whether an object has a producer (see the module comment). */
export function hasProducer(type: string, id: string): boolean {
  if (type === 'marking-definition') return !isWellKnownTlpId(id);
  return categoryOf(type) !== 'sco';
}

export { configuredIdentities } from './clearance';

/**
 * A refusal message when the object is the identity object of a configured principal other than the writer;
 * undefined otherwise.
 */
export function reservedIdentityRefusal(config: GatewayConfig, type: string, id: string, writerIdentity: string): string | undefined {
  if (type !== 'identity' || id === writerIdentity) return undefined;
  const owner = config.principals.find((p) => p.identity === id);
  if (owner === undefined) return undefined;
  return `${NOT_PRODUCER}: ${id} is the identity of principal ${owner.name}; only that principal may publish it`;
}
