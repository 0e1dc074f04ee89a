/**
 * STIX 2.1 §3.6 versioning rules between the versions of one object that travel in the same document: a new
 * version keeps `created` and `created_by_ref` (only the creator versions an object, and the first version's
 * time stays), and a revoked object is not versioned any further. Memory: per id with a `modified`, its
 * `created`, its creator and two times. Fed by DocumentChecker (strict-checks.ts). Pure.
 */
import { type ContentIssue, issue } from '../issues';

type Json = Record<string, unknown>;

interface Seen {
  readonly created: unknown;
  readonly createdBy: unknown;
  /** The earliest `modified` of a version with `revoked: true`. */
  revokedAt: number | undefined;
  /** The latest `modified` of any version. */
  latest: number;
  reported: boolean;
}

export class VersionHistory {
  private readonly byId = new Map<string, Seen>();

  /** Notes one posted object; pushes onto `out` what it breaks against the versions seen before. */
  add(obj: Json, id: string, out: ContentIssue[]): void {
    const modified = obj['modified'];
    const at = typeof modified === 'string' ? Date.parse(modified) : Number.NaN;
    if (Number.isNaN(at)) return;
    const revokedAt = obj['revoked'] === true ? at : undefined;
    const seen = this.byId.get(id);
    if (seen === undefined) {
      this.byId.set(id, { created: obj['created'], createdBy: obj['created_by_ref'], revokedAt, latest: at, reported: false });
      return;
    }
    if (seen.reported) return;
    if (seen.created !== obj['created'] || seen.createdBy !== obj['created_by_ref']) {
      seen.reported = true;
      const what = seen.created !== obj['created'] ? 'created' : 'created_by_ref';
      const why = `two versions of ${id} differ in ${what}, which a new version keeps (only its creator versions an object)`;
      out.push(issue('error', 'VERSION_IMMUTABLE_CHANGED', `/${what}`, why, id));
      return;
    }
    if (revokedAt !== undefined) seen.revokedAt = seen.revokedAt === undefined ? revokedAt : Math.min(seen.revokedAt, revokedAt);
    seen.latest = Math.max(seen.latest, at);
    if (seen.revokedAt !== undefined && seen.latest > seen.revokedAt) {
      seen.reported = true;
      const why = `${id} has a version later than the one that revoked it: a revoked object is not versioned any further`;
      out.push(issue('error', 'REVOKED_OBJECT_VERSIONED', '/modified', why, id));
    }
  }
}
