/**
 * Batch-level reference fixing: once SCO ids of a batch were made deterministic, every reference to an old
 * id is rewritten, and SCOs whose id depends on references (email-message from_ref, file
 * parent_directory_ref, network-traffic src_ref/dst_ref) get their id recomputed, which may in turn move
 * other references — so this runs in a few bounded rounds.
 */
import { type ContentIssue, issue } from '../issues';
import { deterministicScoId, SCO_TYPES } from '../identifiers';
import { rewriteRefs } from './rewrite-refs';

const MAX_ROUNDS = 4;

export interface BatchItem {
  object: Record<string, unknown>;
  readonly changes: ContentIssue[];
}

/**
 * Rewrites the references of every item through `idMap` (old → new), in place on the items (each item's
 * object is replaced, never mutated). New SCO id changes are added to `idMap`.
 */
export function fixBatchRefs(items: readonly BatchItem[], idMap: Map<string, string>): void {
  for (let round = 0; round < MAX_ROUNDS && idMap.size > 0; round++) {
    let added = false;
    for (const item of items) {
      const before = item.object;
      const after = rewriteRefs(before, idMap);
      if (after === before) continue;
      const id = typeof after['id'] === 'string' ? after['id'] : undefined;
      item.changes.push(issue('info', 'REFS_REWRITTEN', '', 'references to rewritten SCO ids updated', id));
      if (id !== undefined && typeof after['type'] === 'string' && SCO_TYPES.has(after['type'])) {
        const det = deterministicScoId(after);
        if (det !== undefined && det !== id) {
          item.object = { ...after, id: det };
          idMap.set(id, det);
          for (const [k, v] of idMap) if (v === id) idMap.set(k, det);
          item.changes.push(issue('info', 'SCO_ID_REWRITTEN', '/id', `SCO id made deterministic: ${id} → ${det}`, det));
          added = true;
          continue;
        }
      }
      item.object = after;
    }
    if (!added) break;
  }
}
