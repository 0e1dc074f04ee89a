/**
 * The store's record and index formats, read side (docs/architecture.md, "Redis keys"): a stored value is
 * `<id>\t<version>\t<versionMicros>\t<spec>\t<tlp rank>\t<json>`, an `objects` entry lists the versions of one
 * object as `<versionMicros>:<dateAdded>:<rank>,...`.
 */
import { formatMicros } from '../stix/time';
import type { StoredRecord, VersionSelector } from './types';

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

/**
 * A stored value read as bytes: the id is decoded at once (every caller needs it), the JSON stays bytes, and
 * the other header fields are decoded only when asked for (serving a page of objects needs none of them).
 */
class StoredBytesRecord implements StoredRecord {
  readonly id: string;
  private readonly value: Buffer;
  /** Offsets of the header's tab separators after the id (-1 when absent). */
  private readonly tabs: readonly [number, number, number, number, number];

  constructor(
    readonly dateAdded: number,
    value: Buffer,
  ) {
    this.value = value;
    const t1 = value.indexOf(9);
    const t2 = value.indexOf(9, t1 + 1);
    const t3 = value.indexOf(9, t2 + 1);
    const t4 = value.indexOf(9, t3 + 1);
    const t5 = value.indexOf(9, t4 + 1);
    this.tabs = [t1, t2, t3, t4, t5];
    this.id = value.toString('utf8', 0, t1);
  }

  get version(): string {
    const v = this.value.toString('utf8', this.tabs[0] + 1, this.tabs[1]);
    return v === '' ? formatMicros(this.dateAdded) : v;
  }

  get versionMicros(): number {
    return Number(this.value.toString('latin1', this.tabs[1] + 1, this.tabs[2]));
  }

  get specVersion(): string {
    return this.value.toString('latin1', this.tabs[2] + 1, this.tabs[3]);
  }

  get tlpRank(): number {
    const t5 = this.tabs[4];
    return Number(this.value.toString('latin1', this.tabs[3] + 1, t5 < 0 ? this.value.length : t5));
  }

  get jsonBytes(): Buffer | undefined {
    const t5 = this.tabs[4];
    return t5 < 0 ? undefined : this.value.subarray(t5 + 1);
  }
}

/** parseStored on the raw bytes of a stored value: the header is decoded on demand, the JSON stays bytes. */
export function parseStoredBytes(dateAdded: number, value: Buffer): StoredRecord {
  return new StoredBytesRecord(dateAdded, value);
}

export interface VersionEntry {
  readonly versionMicros: number;
  readonly dateAdded: number;
  readonly tlpRank: number;
}

/** Parses an `objects` entry: `<versionMicros>:<dateAdded>:<rank>,...` sorted by version. */
export function parseVersionList(entry: string): VersionEntry[] {
  const out: VersionEntry[] = [];
  for (const part of entry.split(',')) {
    const [v, d, r] = part.split(':');
    if (v !== undefined && d !== undefined) out.push({ versionMicros: Number(v), dateAdded: Number(d), tlpRank: Number(r ?? 0) });
  }
  return out;
}

export function selectFromList(list: readonly VersionEntry[], sel: VersionSelector): VersionEntry[] {
  if (list.length === 0) return [];
  if (sel.all) return [...list];
  const picked = new Set<VersionEntry>();
  const firstEntry = list[0];
  const lastEntry = list[list.length - 1];
  if (sel.first && firstEntry) picked.add(firstEntry);
  if (sel.last && lastEntry) picked.add(lastEntry);
  if (sel.exact.length > 0) {
    const wanted = new Set(sel.exact);
    for (const e of list) if (wanted.has(e.versionMicros)) picked.add(e);
  }
  return [...picked];
}
