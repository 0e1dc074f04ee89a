/**
 * Per-collection permissions from collections.yaml (readers / writers). Admins can read every collection
 * (operators need to inspect what was shared) but write only to collections that list them as writers, so an
 * admin account cannot publish intelligence in a CERT's name by accident.
 */
import type { CollectionConfig } from '../config/types';
import type { AuthenticatedPrincipal } from './types';

export function canRead(p: AuthenticatedPrincipal, c: CollectionConfig): boolean {
  return p.admin || c.readers.includes(p.name);
}

export function canWrite(p: AuthenticatedPrincipal, c: CollectionConfig): boolean {
  return c.writers.includes(p.name);
}

/** Whether the collection is listed for the principal at all (TAXII `can_read` / `can_write` say which). */
export function isVisible(p: AuthenticatedPrincipal, c: CollectionConfig): boolean {
  return canRead(p, c) || canWrite(p, c);
}
