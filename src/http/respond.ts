/** Writing TAXII responses: always `application/taxii+json;version=2.1`, bodies as prepared strings or bytes. */
import type { Response } from 'express';
import { formatMicros } from '../stix/time';
import { TAXII_MEDIA_TYPE } from '../taxii/media-type';

export function sendTaxii(res: Response, status: number, body: string | Buffer, headers?: Readonly<Record<string, string>>): void {
  res.statusCode = status;
  res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
  if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * sendTaxii for a body written into a buffer from `bodyBuffers`: the buffer goes back to the pool once the
 * response is written to the socket ('finish'); if the connection ends first it is simply left to the GC.
 */
export function sendPooledTaxii(res: Response, status: number, body: PooledBody, headers?: Readonly<Record<string, string>>): void {
  res.statusCode = status;
  res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
  if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('Content-Length', body.length);
  res.end(body.bytes, () => bodyBuffers.release(body.backing));
}

export interface PooledBody {
  /** The bytes to send (a view on `backing`). */
  readonly bytes: Buffer;
  readonly length: number;
  /** The pooled buffer to give back. */
  readonly backing: Buffer;
}

/**
 * Reusable buffers for large response bodies (pages of objects). A fresh 60 KB–600 KB buffer per response is
 * memory outside the JS heap that the allocator must map and the GC must account for ("external memory
 * pressure" triggers collections); a few reused ones cost neither.
 */
export class BodyBufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    /** Most buffers kept for reuse. */
    private readonly maxBuffers = 16,
    /** Bodies above this are allocated and left to the GC, never kept. */
    private readonly maxSize = 4 * 1024 * 1024,
    private readonly minSize = 64 * 1024,
  ) {}

  /** A buffer of at least `size` bytes (contents undefined). */
  acquire(size: number): Buffer {
    for (let i = this.free.length - 1; i >= 0; i--) {
      const b = this.free[i];
      if (b && b.length >= size) {
        this.free.splice(i, 1);
        return b;
      }
    }
    if (size > this.maxSize) return Buffer.allocUnsafeSlow(size);
    // power-of-two sizes, so buffers fit the next pages too
    let n = this.minSize;
    while (n < size) n *= 2;
    return Buffer.allocUnsafeSlow(n);
  }

  release(b: Buffer): void {
    if (b.length > this.maxSize || b.length < this.minSize) return;
    if (this.free.length < this.maxBuffers) this.free.push(b);
    else {
      // keep the larger buffers
      let smallest = 0;
      this.free.forEach((x, i) => {
        if (x.length < (this.free[smallest]?.length ?? 0)) smallest = i;
      });
      if ((this.free[smallest]?.length ?? Infinity) < b.length) this.free[smallest] = b;
    }
  }
}

/** The process's pool (one event loop: no locking needed). */
export const bodyBuffers = new BodyBufferPool();

export function sendJson(res: Response, status: number, value: unknown): void {
  sendTaxii(res, status, JSON.stringify(value));
}

/** The X-TAXII-Date-Added-First/-Last headers (µs precision) for a non-empty result. */
export function dateAddedHeaders(first: number | undefined, last: number | undefined): Record<string, string> {
  if (first === undefined || last === undefined) return {};
  return { 'X-TAXII-Date-Added-First': formatMicros(first), 'X-TAXII-Date-Added-Last': formatMicros(last) };
}
