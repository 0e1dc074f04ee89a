/**
 * The time an HTTP import runs with. A native file without dates (a TXT list, a CSV without date columns, an
 * OpenIOC document without authored or modified dates) takes its objects' created/modified/valid_from from
 * the import's `now`; with the clock, importing the same file again would make a new version of every object.
 * The CLI uses the file's modification time; over HTTP there is none, so the first import of a document
 * records its time, and a later import of the same bytes, by the same principal with the same settings, runs
 * with that recorded time: same ids, same versions, nothing new stored.
 *
 * The record is per principal: one CERT's import never lends its time to the other's (it would reveal that,
 * and when, the other imported the same file).
 */
import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { KeyBuilder } from '../store/keys';

/** Answers the time to import a document with: the time of its first import, or `now` for a new document. */
export interface ImportClock {
  firstSeen(collectionId: string, digest: string, now: string): Promise<string>;
}

/** What makes two imports the same: who imports, in which format, with which settings, which bytes. */
export interface ImportIdentity {
  readonly principal: string;
  readonly format: string;
  /** Everything else the converter reads besides the bytes and the time (mapping, default TLP, identity). */
  readonly settings: unknown;
  readonly body: Buffer;
}

/** SHA-256 over the import's identity (the settings as JSON, fields separated by NUL). */
export function importDigest(i: ImportIdentity): string {
  return createHash('sha256')
    .update(i.principal)
    .update('\0')
    .update(i.format)
    .update('\0')
    .update(JSON.stringify(i.settings) ?? '')
    .update('\0')
    .update(i.body)
    .digest('hex');
}

/** A recorded time must look like the timestamps the import writes; anything else is ignored (the clock wins). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;

/** First-seen times in a Redis HASH per collection (KeyBuilder.importFirstSeen), set once, read in one round trip. */
export class RedisImportClock implements ImportClock {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
  ) {}

  async firstSeen(collectionId: string, digest: string, now: string): Promise<string> {
    const key = this.keys.importFirstSeen(collectionId);
    const replies = await this.redis.multi().hsetnx(key, digest, now).hget(key, digest).exec();
    const recorded = replies?.[1]?.[1];
    return typeof recorded === 'string' && TIMESTAMP.test(recorded) ? recorded : now;
  }
}
