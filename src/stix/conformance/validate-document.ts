/**
 * Strict or lenient validation of a STIX 2.1 document held in memory (a bundle, an array of objects or one
 * object): the same rules as the `validate` command (docs/stix-conformance.md) — the prepare stage, the
 * posted-object and document rules of strict-checks.ts, and the warnings STRICT_PROMOTED turns into errors.
 * Used where a document is already parsed (the conversion report, tests). Pure.
 */
import { type ContentIssue, issue } from '../issues';
import { prepareObjects } from '../prepare';
import { isJsonObject } from '../semantic/prescreen';
import { STRICT_PROMOTED } from './rules';
import { DocumentChecker, strictObjectIssues } from './strict-checks';

export interface DocumentValidation {
  /** True when strict (or, with `lenient`, the worker) accepts every object and the document. */
  readonly ok: boolean;
  /** Errors and warnings (info left out), each with the id of its object where known. */
  readonly issues: readonly ContentIssue[];
}

/** The elements to check and whether the document had an `objects` list. */
function elementsOf(doc: unknown): { elements: unknown[]; sawObjects: boolean } {
  if (Array.isArray(doc)) return { elements: doc, sawObjects: true };
  if (isJsonObject(doc) && doc['type'] === 'bundle') {
    const objects = doc['objects'];
    return { elements: Array.isArray(objects) ? objects : [], sawObjects: objects !== undefined };
  }
  return { elements: [doc], sawObjects: false };
}

export function validateDocument(doc: unknown, options: { readonly lenient?: boolean } = {}): DocumentValidation {
  const lenient = options.lenient === true;
  const { elements, sawObjects } = elementsOf(doc);
  const out: ContentIssue[] = [];
  const checker = new DocumentChecker();
  const strictIssue = (i: ContentIssue): ContentIssue => (lenient ? { ...i, severity: 'warning' } : i);
  for (const e of elements) {
    if (!isJsonObject(e)) continue;
    checker.add(e);
    for (const i of strictObjectIssues(e)) out.push(strictIssue(i));
  }
  // A bundle or a list is a whole document; a single object is none (observed objects are checked in documents).
  for (const i of checker.finish(sawObjects, elements.length, sawObjects)) out.push(strictIssue(i));
  if (isJsonObject(doc) && doc['type'] === 'bundle' && (typeof doc['id'] !== 'string' || !doc['id'].startsWith('bundle--'))) {
    out.push(issue('error', 'INVALID_ID', '/id', 'a bundle needs an id bundle--<UUID>'));
  }
  for (const o of prepareObjects(elements, {})) {
    const found = o.ok ? o.object.changes : o.issues;
    for (const i of found) {
      if (i.severity === 'info') continue;
      const promoted = !lenient && STRICT_PROMOTED.has(i.code);
      out.push(promoted ? { ...i, severity: 'error' } : i);
    }
  }
  return { ok: !out.some((i) => i.severity === 'error'), issues: out };
}
