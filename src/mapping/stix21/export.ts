/** STIX 2.1 objects → a STIX 2.1 bundle (the objects as stored, byte-stable order). Pure. */
import { GATEWAY_ID_NAMESPACE, uuidV5 } from '../../stix/identifiers';
import type { ExportResult, StixObject } from '../types';

export interface Stix21ExportOptions {
  /** Bundle id; by default derived from the object ids (same objects → same bundle id). */
  readonly bundleId?: string;
}

export function bundleIdOf(ids: readonly string[]): string {
  return `bundle--${uuidV5(ids.join('\u0000'), GATEWAY_ID_NAMESPACE)}`;
}

export function exportStix21(objects: readonly StixObject[], options: Stix21ExportOptions = {}): ExportResult {
  const id = options.bundleId ?? bundleIdOf(objects.map((o) => o.id));
  // A bundle holds one or more objects, or omits the property (STIX 2.1 §8): never `"objects": []`.
  const bundle = objects.length === 0 ? { type: 'bundle', id } : { type: 'bundle', id, objects };
  return { output: `${JSON.stringify(bundle, null, 2)}\n`, issues: [] };
}
