/**
 * Reads the index behind "which CERTs reported this value". The store script keeps, per collection, a hash
 * from the digest of every value an indicator's pattern compares to the ids of the indicators comparing it
 * (written atomically with the indicator, dropped when its last version is deleted); a lookup asks each
 * collection the caller may read.
 */
import type { Cluster, Redis } from 'ioredis';
import type { KeyBuilder } from './keys';
import { comparedValues, valueDigest } from './indicator-entries';
import type { ObjectStore } from './types';

export interface LookupEntry {
  readonly collectionId: string;
  readonly indicatorId: string;
}

export class LookupIndex {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
  ) {}

  /** Indicators, in the given collections, whose pattern compares this (canonical) value. */
  async byValue(collectionIds: readonly string[], value: string): Promise<LookupEntry[]> {
    const d = valueDigest(value);
    const lists = await Promise.all(collectionIds.map((c) => this.redis.hget(this.keys.collection(c).values, d)));
    const out: LookupEntry[] = [];
    collectionIds.forEach((collectionId, i) => {
      for (const indicatorId of (lists[i] ?? '').split(',')) if (indicatorId !== '') out.push({ collectionId, indicatorId });
    });
    return out;
  }

  /** Indicators, in the given collections, whose latest version has exactly this canonical STIX pattern. */
  async byPattern(collectionIds: readonly string[], canonicalPattern: string, store: ObjectStore): Promise<LookupEntry[]> {
    const first = comparedValues(canonicalPattern)[0];
    if (first === undefined) return [];
    const candidates = await this.byValue(collectionIds, first);
    const latest = await Promise.all(candidates.map((c) => store.latest(c.collectionId, c.indicatorId)));
    return candidates.filter((_, i) => {
      const json = latest[i]?.json;
      if (json === undefined) return false;
      const obj: unknown = JSON.parse(json);
      return typeof obj === 'object' && obj !== null && (obj as Record<string, unknown>)['pattern'] === canonicalPattern;
    });
  }
}
