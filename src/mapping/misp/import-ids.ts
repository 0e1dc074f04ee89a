/** Ids of the objects the MISP importer makes: the MISP uuid when it is one, else a deterministic id. */
import { isUuid } from '../../stix/identifiers';
import { derivedId } from '../common/stix-builders';

/** A MISP uuid as a STIX id, or a deterministic one when the uuid is missing or malformed. */
export function stixId(type: string, uuid: string | undefined, ...fallback: string[]): string {
  const u = uuid?.toLowerCase();
  return u !== undefined && isUuid(u) ? `${type}--${u}` : derivedId(type, 'misp', ...fallback);
}

/** Relationship types are lower-case words joined by hyphens. */
export function relationshipType(raw: string): string {
  const t = raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return t === '' ? 'related-to' : t.slice(0, 100);
}
