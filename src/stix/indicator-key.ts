/**
 * The canonical key of an indicator: sha256 (hex) of `<pattern_type>\0<canonical pattern>`. Two indicators with
 * the same key say the same thing; the worker's dedup and the value index both rely on this one definition.
 */
import { sha256 } from './sha256';

export function indicatorKey(patternType: string, canonicalPattern: string): string {
  return sha256(`${patternType}\u0000${canonicalPattern}`, 'hex');
}
