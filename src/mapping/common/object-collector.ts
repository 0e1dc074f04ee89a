/**
 * The objects an IOC-list importer (CSV, TXT) has produced so far: each id kept once, in order, with the
 * counts of the import's stats. The last step of both pipelines.
 */
import type { ContentIssue } from '../../stix/issues';
import type { ImportResult, StixObject } from '../types';

export class ObjectCollector {
  private readonly objects: StixObject[];
  private readonly seen: Set<string>;
  private indicators = 0;
  private other = 0;
  private skipped = 0;

  /** `initial` (the source's identity) is part of the result but not of the counts. */
  constructor(initial: readonly StixObject[]) {
    this.objects = [...initial];
    this.seen = new Set(initial.map((o) => o.id));
  }

  /** Adds `o` unless an object with its id is already there; answers whether it was added. */
  add(o: StixObject): boolean {
    if (this.seen.has(o.id)) return false;
    this.seen.add(o.id);
    this.objects.push(o);
    if (o.type === 'indicator') this.indicators++;
    else this.other++;
    return true;
  }

  /** Counts an input row or value that gave no object on purpose (skip rule, unusable value). */
  skip(): void {
    this.skipped++;
  }

  result(issues: ContentIssue[]): ImportResult {
    return {
      objects: this.objects,
      issues,
      stats: { indicators: this.indicators, observables: 0, otherObjects: this.other, skipped: this.skipped },
    };
  }
}

/** The result of an import that produced nothing (unreadable input). */
export function emptyImport(issues: ContentIssue[]): ImportResult {
  return new ObjectCollector([]).result(issues);
}
