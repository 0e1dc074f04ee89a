/** Writing TAXII responses: always `application/taxii+json;version=2.1`, bodies as prepared strings. */
import type { Response } from 'express';
import { formatMicros } from '../stix/time';
import { TAXII_MEDIA_TYPE } from './media-type';

export function sendTaxii(res: Response, status: number, body: string | Buffer, headers?: Readonly<Record<string, string>>): void {
  res.statusCode = status;
  res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
  if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

export function sendJson(res: Response, status: number, value: unknown): void {
  sendTaxii(res, status, JSON.stringify(value));
}

/** The X-TAXII-Date-Added-First/-Last headers (µs precision) for a non-empty result. */
export function dateAddedHeaders(first: number | undefined, last: number | undefined): Record<string, string> {
  if (first === undefined || last === undefined) return {};
  return { 'X-TAXII-Date-Added-First': formatMicros(first), 'X-TAXII-Date-Added-Last': formatMicros(last) };
}
