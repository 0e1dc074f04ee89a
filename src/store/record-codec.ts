/**
 * The store's record and index formats, read side (docs/architecture.md, "Redis keys"): a stored value is
 * `<id>\t<version>\t<versionMicros>\t<spec>\t<tlp rank>\t<json>`, an `objects` entry lists the versions of one
 * object as `<versionMicros>:<dateAdded>:<rank>,...` and ends with `,@<producer>` when the object has one (only
 * `@<producer>` once every version is deleted).
 */
import { formatMicros } from '../stix/time';
import type { StoredRecord } from './types';

export function typeOfId(id: string): string {
  const i = id.indexOf('--');
  return i > 0 ? id.slice(0, i) : id;
}

/**
 * Parses a stored value `<id>\t<version>\t<versionMicros>\t<spec>\t<tlp rank>\t<json>` (json absent in header
 * mode).
 */
export function parseStored(dateAdded: number, value: string, withJson: boolean): StoredRecord {
  const t1 = value.indexOf('\t');
  const t2 = value.indexOf('\t', t1 + 1);
  const t3 = value.indexOf('\t', t2 + 1);
  const t4 = value.indexOf('\t', t3 + 1);
  const t5 = value.indexOf('\t', t4 + 1);
  const id = value.slice(0, t1);
  const version = value.slice(t1 + 1, t2);
  const versionMicros = Number(value.slice(t2 + 1, t3));
  const specVersion = value.slice(t3 + 1, t4);
  const tlpRank = Number(t5 < 0 ? value.slice(t4 + 1) : value.slice(t4 + 1, t5));
  const base = { dateAdded, id, version: version === '' ? formatMicros(dateAdded) : version, versionMicros, specVersion, tlpRank };
  return withJson && t5 >= 0 ? { ...base, json: value.slice(t5 + 1) } : base;
}

export interface VersionEntry {
  readonly versionMicros: number;
  readonly dateAdded: number;
  readonly tlpRank: number;
}

/** Parses an `objects` entry: `<versionMicros>:<dateAdded>:<rank>,...` sorted by version (the producer skipped). */
export function parseVersionList(entry: string): VersionEntry[] {
  const out: VersionEntry[] = [];
  for (const part of entry.split(',')) {
    if (part.startsWith('@')) continue;
    const [v, d, r] = part.split(':');
    if (v !== undefined && d !== undefined) out.push({ versionMicros: Number(v), dateAdded: Number(d), tlpRank: Number(r ?? 0) });
  }
  return out;
}

/** The producer an `objects` entry names (`@<identity>` at its end), if any. */
export function producerOfEntry(entry: string): string | undefined {
  const at = entry.indexOf('@');
  return at < 0 ? undefined : entry.slice(at + 1);
}
