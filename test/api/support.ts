/**
 * Assertions and request helpers shared by the API test files (not a test file itself).
 */
import http from 'node:http';
import { deterministicScoId } from '../../src/stix/identifiers';
import { COLL, TAXII, type TestGateway, type TestResponse } from '../helpers/gateway';

export { COLL, TAXII };

/** Exactly six fractional digits, UTC. */
export const MICROS_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function objectsPath(collection: string, root = 'exchange'): string {
  return `/${root}/collections/${collection}/objects/`;
}

export function manifestPath(collection: string, root = 'exchange'): string {
  return `/${root}/collections/${collection}/manifest/`;
}

export function objectPath(collection: string, id: string, root = 'exchange'): string {
  return `/${root}/collections/${collection}/objects/${id}/`;
}

export function versionsPath(collection: string, id: string, root = 'exchange'): string {
  return `/${root}/collections/${collection}/objects/${id}/versions/`;
}

/** Asserts the TAXII media type on a response, whatever its status. */
export function expectTaxiiContentType(r: TestResponse): void {
  expect(r.headers.get('content-type')).toBe(TAXII);
}

/** Asserts a TAXII error resource with the given status; returns its body. */
export function expectTaxiiError(r: TestResponse, status: number, code?: string): Record<string, unknown> {
  expect({ status: r.status, text: r.text.slice(0, 300) }).toEqual({ status, text: expect.any(String) });
  expectTaxiiContentType(r);
  const body = r.json();
  expect(body['http_status']).toBe(String(status));
  expect(typeof body['title']).toBe('string');
  expect(typeof body['error_id']).toBe('string');
  if (code !== undefined) expect(body['error_code']).toBe(code);
  return body;
}

/** Parses a 200 response body after checking status and media type. */
export function ok(r: TestResponse): Record<string, unknown> {
  expect({ status: r.status, text: r.text.slice(0, 300) }).toEqual({ status: 200, text: expect.any(String) });
  expectTaxiiContentType(r);
  return r.json();
}

export function arrayOf(body: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const v = body[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`${key} is not an array`);
  return v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
}

export function idsOf(body: Record<string, unknown>, key = 'objects'): string[] {
  return arrayOf(body, key).map((o) => String(o['id']));
}

/** A string field of a parsed record. */
export function str(o: Record<string, unknown> | undefined, key: string): string {
  const v = o?.[key];
  if (typeof v !== 'string') throw new Error(`${key} is not a string: ${JSON.stringify(o)}`);
  return v;
}

/** A valid ipv4-addr SCO whose id is the deterministic one (so the gateway keeps it). */
export function ipv4(a: number, b: number): Record<string, unknown> {
  const obj: Record<string, unknown> = { type: 'ipv4-addr', spec_version: '2.1', value: `198.51.${a}.${b}` };
  obj['id'] = deterministicScoId(obj);
  return obj;
}

/** A statement marking-definition (no modified, so its version is `created`). */
export function statementMarking(n: number, created = '2024-02-02T02:02:02.000Z'): Record<string, unknown> {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: `marking-definition--11111111-2222-4333-8444-${String(n).padStart(12, '0')}`,
    created,
    definition_type: 'statement',
    definition: { statement: `Test statement ${n}` },
    name: `statement ${n}`,
  };
}

/** A timestamp `seconds` after 2024-03-01T00:00:00Z with a fixed millisecond part, for distinct versions. */
export function ts(seconds: number, fraction = '000'): string {
  const s = String(seconds % 60).padStart(2, '0');
  const m = String(Math.floor(seconds / 60) % 60).padStart(2, '0');
  const h = String(Math.floor(seconds / 3600)).padStart(2, '0');
  return `2024-03-01T${h}:${m}:${s}.${fraction}Z`;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

/**
 * A request through node:http, for what fetch does not allow: bodies sent in chunks without Content-Length,
 * header values fetch would refuse, or no Accept header at all.
 */
export function rawRequest(
  gw: TestGateway,
  method: string,
  path: string,
  headers: Record<string, string>,
  chunks: readonly (string | Buffer)[] = [],
): Promise<RawResponse> {
  const url = new URL(gw.base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer (413) and close before the whole body is written; the answer is what counts.
    req.on('error', (err) => reject(err));
    for (const c of chunks) req.write(c);
    req.end();
  });
}

/** Checks a raw response is a TAXII error resource with the status. */
export function expectRawTaxiiError(r: RawResponse, status: number): Record<string, unknown> {
  expect({ status: r.status, text: r.text.slice(0, 300) }).toEqual({ status, text: expect.any(String) });
  expect(r.headers['content-type']).toBe(TAXII);
  const body = JSON.parse(r.text) as Record<string, unknown>;
  expect(body['http_status']).toBe(String(status));
  return body;
}
