/**
 * SHA-256 of a UTF-8 string, through Node's one-shot `crypto.hash` (Node ≥ 20.12), which skips the Hash object
 * of `createHash(...).update(...).digest(...)`; the same digest, falling back to createHash on older Node 20.
 */
import * as crypto from 'node:crypto';

type Encoding = 'hex' | 'base64url';

const oneShot: ((algorithm: string, data: string, encoding: Encoding) => string) | undefined =
  typeof crypto.hash === 'function' ? crypto.hash : undefined;

export function sha256(text: string, encoding: Encoding): string {
  return oneShot !== undefined ? oneShot('sha256', text, encoding) : crypto.createHash('sha256').update(text, 'utf8').digest(encoding);
}
