/**
 * The `next` token: opaque, stateless, valid on any replica. It carries the date_added to continue after and
 * a digest of the request's filters; a token used with different filters (or another collection or endpoint)
 * is refused with 400. Forging one gains nothing: it can only name a position in a collection the client may
 * already read, under the filters it sends.
 */
import { createHash } from 'node:crypto';
import { Errors } from './errors';

/** Digest of everything that defines a result set (not `limit`, which may change between pages). */
export function filterDigest(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 16);
}

export function encodeNext(after: number, digest: string): string {
  return Buffer.from(`1.${after}.${digest}`, 'utf8').toString('base64url');
}

/** Decodes a token and checks it belongs to these filters; throws a 400 TaxiiError otherwise. */
export function decodeNext(token: string, digest: string): number {
  if (token.length === 0 || token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token)) {
    throw Errors.invalidNext('the next token is malformed: use the value of `next` from the previous page unchanged');
  }
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const m = /^1\.(\d{1,17})\.([A-Za-z0-9_-]{16})$/.exec(text);
  if (!m || m[1] === undefined) {
    throw Errors.invalidNext('the next token is malformed: use the value of `next` from the previous page unchanged');
  }
  if (m[2] !== digest) {
    throw Errors.invalidNext('the next token was issued for different filters; repeat the original query options with it');
  }
  return Number(m[1]);
}
