/**
 * Reading the stored thread objects of an inquiry collection (incidents, notes, translations), grouped by
 * inquiry: what the use cases fold into threads and what the ingest gate checks a partner's objects against.
 */
import type { ObjectStore, VersionSelector } from '../store/types';
import { type StixJson, inquiryOf } from './model';

const ALL: VersionSelector = { all: true, first: false, last: false, exact: [] };
export const THREAD_TYPES = ['incident', 'note', 'language-content'] as const;
/** Most objects read from one inquiry collection per call (inquiries are rare; this bounds a runaway). */
export const MAX_COLLECTION_OBJECTS = 200_000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every thread object of one collection, grouped by inquiry id, in stored order. */
export async function readCollectionThreads(store: ObjectStore, collectionId: string): Promise<Map<string, StixJson[]>> {
  const out = new Map<string, StixJson[]>();
  let after = 0;
  let read = 0;
  for (;;) {
    const page = await store.read(collectionId, { after, limit: 1000, types: [...THREAD_TYPES], ids: [], versions: ALL }, true);
    for (const r of page.records) {
      const parsed: unknown = JSON.parse(r.json ?? 'null');
      if (!isRecord(parsed)) continue;
      const inquiry = inquiryOf(parsed);
      if (inquiry === undefined) continue;
      const list = out.get(inquiry) ?? [];
      list.push(parsed);
      out.set(inquiry, list);
    }
    read += page.records.length;
    if (!page.more || page.continueAfter === undefined || read >= MAX_COLLECTION_OBJECTS) return out;
    after = page.continueAfter;
  }
}
