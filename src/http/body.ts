/** Reads a request body up to a byte limit, enforced on the bytes actually received (not only Content-Length). */
import type { Request, Response } from 'express';
import { Errors, TaxiiError } from './errors';

/**
 * Bodies are read as sent: a compressed body (Content-Encoding other than identity) is refused with 415
 * naming the encoding, and Accept-Encoding: identity tells the client what to send (RFC 9110 §12.5.3).
 */
export function contentEncodingError(header: string | undefined): TaxiiError | undefined {
  const codings = (header ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return undefined;
  return new TaxiiError(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Unsupported content encoding',
    `Content-Encoding ${codings.join(', ').slice(0, 100)} is not supported: send the body uncompressed (no Content-Encoding).`,
    undefined,
    { 'Accept-Encoding': 'identity' },
  );
}

export function readBody(req: Request, res: Response, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    res.setHeader('Connection', 'close');
    return Promise.reject(Errors.payloadTooLarge(limit));
  }
  const encodingError = contentEncodingError(req.headers['content-encoding']);
  if (encodingError) return Promise.reject(encodingError);
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
