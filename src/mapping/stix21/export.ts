/** STIX 2.1 objects → a STIX 2.1 bundle (the objects as stored, byte-stable order). Pure. */
import { GATEWAY_ID_NAMESPACE, uuidV5 } from '../../stix/identifiers';
import { issue } from '../../stix/issues';
import type { ExportResult, StixObject } from '../types';

export interface Stix21ExportOptions {
  /** Bundle id; by default derived from the object ids (same objects → same bundle id). */
  readonly bundleId?: string;
}

export function bundleIdOf(ids: readonly string[]): string {
  return `bundle--${uuidV5(ids.join('\u0000'), GATEWAY_ID_NAMESPACE)}`;
}

/**
 * A bundle's `objects` must hold at least one object when present (STIX 2.1 §8): with nothing to export the
 * property is left out and the export says so.
 */
export function exportStix21(objects: readonly StixObject[], options: Stix21ExportOptions = {}): ExportResult {
  const id = options.bundleId ?? bundleIdOf(objects.map((o) => o.id));
  if (objects.length === 0) {
    const empty = issue('warning', 'EMPTY_BUNDLE', '/objects', 'nothing to export: the bundle is written without an objects property');
    return { output: `${JSON.stringify({ type: 'bundle', id }, null, 2)}\n`, issues: [empty] };
  }
  return { output: `${JSON.stringify({ type: 'bundle', id, objects }, null, 2)}\n`, issues: [] };
}
