import type { OutcomeCode } from '../common/outcome-codes';
import type { PathTarget, ValuePath } from './yaml-locator';

/**
 * A config problem before it has a position: the schema check and the cross-checks name a path in the
 * composed value, and the loader turns it into a ConfigIssue with file, line and column.
 */
export interface ConfigProblem {
  readonly code: OutcomeCode;
  readonly path: ValuePath;
  /** Point at the key (unknown key) or at the value (bad value, missing key in a map). */
  readonly target: PathTarget;
  /** Why the value is wrong; the loader prefixes the path, e.g. `collections[2].readers[0]: <reason>`. */
  readonly reason: string;
}

export function problem(code: OutcomeCode, path: ValuePath, reason: string, target: PathTarget = 'value'): ConfigProblem {
  return { code, path, target, reason };
}
