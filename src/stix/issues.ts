import type { OutcomeCode } from '../common/outcome-codes';

/**
 * Content problems are data (docs/architecture.md): validators, normalizers, the pattern engine and the mappers
 * return them; the worker turns errors into status `failures[]` entries and import reports list them all.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface ContentIssue {
  /** SCREAMING_SNAKE code, stable for tests and operators (e.g. INVALID_ID, PATTERN_SYNTAX, REFANGED). */
  readonly code: string;
  /**
   * Where: a JSON pointer inside the object (`/pattern`, `/object_refs/2`), a pattern offset
   * (`/pattern@[12,19]`), a CSV `row 12, column 3`, an XML element path.
   */
  readonly path: string;
  readonly message: string;
  readonly severity: Severity;
  /** The STIX id of the object concerned, when known. */
  readonly objectId?: string;
}

/** Builds an issue (keeps call sites short and the shape uniform); the code comes from src/common/outcome-codes.ts. */
export function issue(severity: Severity, code: OutcomeCode, path: string, message: string, objectId?: string): ContentIssue {
  return objectId === undefined ? { code, path, message, severity } : { code, path, message, severity, objectId };
}

export function hasErrors(issues: readonly ContentIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
