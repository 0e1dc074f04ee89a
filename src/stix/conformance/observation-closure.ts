/**
 * A document the gateway writes keeps each observed-data with the objects it observed (docs/stix-conformance.md,
 * OBSERVED_DATA_REF_MISSING): when the pipeline rejected one of them, or the producer never sent it, the
 * reference is taken out of `object_refs`, and an observed-data left without any cyber-observable object is
 * left out too (OBSERVED_DATA_WITHOUT_SCO). Each change is reported. Used by `convert` before it exports. Pure.
 */
import { type ContentIssue, issue } from '../issues';
import { typeOfStixId } from '../identifiers';
import { categoryOf } from '../semantic/stix-types';

type StixLike = Readonly<Record<string, unknown>> & { readonly type: string; readonly id: string };

export interface ClosedObservations<T> {
  readonly objects: T[];
  /** Observed-data left out (their `object_refs` kept no SCO), one error issue each. */
  readonly dropped: readonly ContentIssue[];
  /** Observed-data whose `object_refs` lost references, one warning issue each. */
  readonly trimmed: readonly ContentIssue[];
}

/** True when a reference may name an SCO: an SCO type, or a custom type (possibly a custom SCO). */
function mayBeSco(ref: string): boolean {
  const t = typeOfStixId(ref);
  const c = t === undefined ? undefined : categoryOf(t);
  return c === 'sco' || (c === 'custom' && t !== 'bundle');
}

/** Takes out of each observed-data the references to objects that `objects` does not hold. */
export function closeObservations<T extends StixLike>(objects: readonly T[]): ClosedObservations<T> {
  const present = new Set(objects.map((o) => o.id));
  const out: T[] = [];
  const dropped: ContentIssue[] = [];
  const trimmed: ContentIssue[] = [];
  for (const o of objects) {
    const refs = o['object_refs'];
    if (o.type !== 'observed-data' || !Array.isArray(refs)) {
      out.push(o);
      continue;
    }
    const kept = refs.filter((r: unknown): r is string => typeof r === 'string' && present.has(r));
    if (kept.length === refs.length) {
      out.push(o);
      continue;
    }
    const missing = refs.filter((r: unknown) => !kept.includes(String(r))).map((r: unknown) => String(r).slice(0, 120));
    if (!kept.some(mayBeSco)) {
      const why = `none of the cyber-observable objects it names is in the document (${missing.join(', ')}): left out`;
      dropped.push(issue('error', 'OBSERVED_DATA_REF_MISSING', '/object_refs', why, o.id));
      continue;
    }
    const why = `object_refs no longer names ${missing.join(', ')}: not in the document`;
    trimmed.push(issue('warning', 'OBSERVED_DATA_REF_MISSING', '/object_refs', why, o.id));
    out.push({ ...o, object_refs: kept });
  }
  return { objects: out, dropped, trimmed };
}
