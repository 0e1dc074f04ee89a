/** Reads a request body up to a byte limit, enforced on the bytes actually received (not only Content-Length). */
import type { Request, Response } from 'express';
import { Errors } from './errors';

export function readBody(req: Request, res: Response, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    res.setHeader('Connection', 'close');
    return Promise.reject(Errors.payloadTooLarge(limit));
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') return Promise.reject(Errors.unsupportedMediaType(`Content-Encoding: ${encoding}`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return; // discard the rest of an oversized body
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        res.setHeader('Connection', 'close');
        reject(Errors.payloadTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}
