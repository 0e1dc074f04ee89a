/**
 * A remote TAXII 2.1 server written for the tests, on 127.0.0.1 and port 0, that behaves like the servers of
 * docs/federation.md, "Tolerated server variants" when told to: version-less media types, no `next`, inclusive added_after, date
 * headers cut to milliseconds or seconds or left out, many objects at one date_added, its own page cap,
 * 200 + `completed` on POST, 429/503 with Retry-After now and then. It records what it was asked.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { formatMicros, parseTimestamp } from '../../../src/stix/time';

export interface Quirks {
  /** Content-Type `application/taxii+json` without version. */
  readonly versionless?: boolean;
  /** Never return `next` (clients page with added_after). */
  readonly noNext?: boolean;
  /** added_after compares with >= instead of >. */
  readonly inclusive?: boolean;
  /** Precision of the X-TAXII-Date-Added-* headers; `none` leaves them out (default `us`). */
  readonly headerPrecision?: 'us' | 'ms' | 's' | 'none';
  /** Objects sharing each date_added (default 1). */
  readonly ties?: number;
  /** Gap between successive date_added values in µs (default 1234). */
  readonly stepMicros?: number;
  /** Largest page the server returns whatever `limit` says. */
  readonly maxPage?: number;
  /** Answer POST with 200 and status `completed`. */
  readonly post200Completed?: boolean;
  /** Every n-th GET first fails with 503 or 429 (alternately) and Retry-After: 0. */
  readonly flakyEvery?: number;
  /** Serve the API root with this max_content_length (otherwise GET of the API root is 404). */
  readonly maxContentLength?: number;
  /** Answer 413 to a POST body larger than this many bytes (default: maxContentLength, if any). */
  readonly refuseBodiesOver?: number;
}

export interface FakeRecord {
  readonly dateAdded: number;
  readonly object: Record<string, unknown>;
}

export interface FakeTaxiiServer {
  readonly apiRoot: string;
  readonly collectionId: string;
  readonly records: FakeRecord[];
  /** Objects received by POST. */
  readonly posted: Record<string, unknown>[];
  /** Sizes in bytes of the POST bodies, accepted or refused, in order. */
  readonly postSizes: number[];
  /** Query strings of the object requests, in order. */
  readonly requests: string[];
  /** Appends objects with later date_added values (as if published while a client pages). */
  add(objects: readonly Record<string, unknown>[]): void;
  close(): Promise<void>;
}

const BASE = parseTimestamp('2024-03-01T00:00:00Z')?.micros ?? 0;

function header(micros: number, precision: 'us' | 'ms' | 's'): string {
  const full = formatMicros(micros);
  if (precision === 'us') return full;
  if (precision === 'ms') return `${full.slice(0, 23)}Z`;
  return `${full.slice(0, 19)}Z`;
}

function versionOf(o: Record<string, unknown>): string {
  const v = o['modified'] ?? o['created'];
  return typeof v === 'string' ? v : '';
}

export async function startFakeTaxiiServer(
  quirks: Quirks,
  initial: readonly Record<string, unknown>[],
  password: string,
): Promise<FakeTaxiiServer> {
  const collectionId = 'remote-collection-1';
  const records: FakeRecord[] = [];
  const posted: Record<string, unknown>[] = [];
  const postSizes: number[] = [];
  const requests: string[] = [];
  const ties = quirks.ties ?? 1;
  const step = quirks.stepMicros ?? 1234;
  let counter = 0;
  const add = (objects: readonly Record<string, unknown>[]): void => {
    for (const o of objects) {
      records.push({ dateAdded: BASE + Math.floor(counter / ties) * step, object: o });
      counter++;
    }
  };
  add(initial);
  const mediaType = quirks.versionless ? 'application/taxii+json' : 'application/taxii+json;version=2.1';
  const expectedAuth = `Basic ${Buffer.from(`partner:${password}`).toString('base64')}`;
  let gets = 0;
  let statusCounter = 0;

  const app = express();
  app.use(express.json({ type: () => true, limit: '50mb' }));
  const send = (res: Response, status: number, body: unknown): void => {
    res.status(status).set('Content-Type', mediaType).send(JSON.stringify(body));
  };
  app.use((req, res, next) => {
    if (req.headers.authorization !== expectedAuth) {
      send(res, 401, { title: 'Unauthorized', http_status: '401' });
      return;
    }
    if (req.method === 'GET' && quirks.flakyEvery !== undefined) {
      gets++;
      if (gets % quirks.flakyEvery === 0) {
        res.set('Retry-After', '0');
        send(res, gets % (2 * quirks.flakyEvery) === 0 ? 429 : 503, { title: 'try again', http_status: '503' });
        return;
      }
    }
    next();
  });

  /** The records a query selects, in date_added order, and the page. */
  const select = (req: Request): { page: FakeRecord[]; more: boolean; next?: string } => {
    const q = req.query;
    const typeFilter = typeof q['match[type]'] === 'string' ? q['match[type]'].split(',') : undefined;
    const afterText = typeof q['added_after'] === 'string' ? q['added_after'] : undefined;
    const after = afterText === undefined ? undefined : parseTimestamp(afterText)?.micros;
    let matching = records.filter((r) => typeFilter === undefined || typeFilter.includes(String(r.object['type'])));
    // match[version]: TAXII's default is the latest version of each object; `all` gives every version
    const versionFilter = typeof q['match[version]'] === 'string' ? q['match[version]'].split(',') : ['last'];
    if (!versionFilter.includes('all')) {
      const latest = new Map<string, string>();
      for (const r of matching) {
        const id = String(r.object['id']);
        const v = versionOf(r.object);
        if ((latest.get(id) ?? '') < v) latest.set(id, v);
      }
      matching = matching.filter((r) => latest.get(String(r.object['id'])) === versionOf(r.object));
    }
    if (after !== undefined) matching = matching.filter((r) => (quirks.inclusive ? r.dateAdded >= after : r.dateAdded > after));
    const offset = !quirks.noNext && typeof q['next'] === 'string' ? Number(q['next']) : 0;
    const asked = typeof q['limit'] === 'string' ? Number(q['limit']) : 100;
    const limit = Math.min(asked, quirks.maxPage ?? asked);
    const page = matching.slice(offset, offset + limit);
    const more = offset + limit < matching.length;
    return more && !quirks.noNext ? { page, more, next: String(offset + limit) } : { page, more };
  };
  const dateHeaders = (res: Response, page: FakeRecord[]): void => {
    const p = quirks.headerPrecision ?? 'us';
    const first = page[0];
    const last = page[page.length - 1];
    if (p === 'none' || first === undefined || last === undefined) return;
    res.set('X-TAXII-Date-Added-First', header(first.dateAdded, p));
    res.set('X-TAXII-Date-Added-Last', header(last.dateAdded, p));
  };

  app.get(`/api/collections/${collectionId}/objects/`, (req, res) => {
    requests.push(new URL(req.originalUrl, 'http://x').search);
    const { page, more, next } = select(req);
    dateHeaders(res, page);
    send(res, 200, { more, ...(next === undefined ? {} : { next }), objects: page.map((r) => r.object) });
  });
  app.get(`/api/collections/${collectionId}/manifest/`, (req, res) => {
    const { page, more, next } = select(req);
    dateHeaders(res, page);
    const objects = page.map((r) => ({
      id: r.object['id'],
      date_added: formatMicros(r.dateAdded),
      version: versionOf(r.object),
      media_type: 'application/stix+json;version=2.1',
    }));
    send(res, 200, { more, ...(next === undefined ? {} : { next }), objects });
  });
  if (quirks.maxContentLength !== undefined) {
    const info = { title: 'Fake API root', versions: ['application/taxii+json;version=2.1'], max_content_length: quirks.maxContentLength };
    app.get('/api/', (_req, res) => send(res, 200, info));
  }
  app.post(`/api/collections/${collectionId}/objects/`, (req, res) => {
    const size = Number(req.headers['content-length'] ?? 0);
    postSizes.push(size);
    const refuseOver = quirks.refuseBodiesOver ?? quirks.maxContentLength;
    if (refuseOver !== undefined && size > refuseOver) {
      send(res, 413, { title: 'Payload too large', http_status: '413' });
      return;
    }
    const body: unknown = req.body;
    const objects =
      typeof body === 'object' && body !== null && Array.isArray((body as Record<string, unknown>)['objects'])
        ? ((body as Record<string, unknown>)['objects'] as Record<string, unknown>[])
        : [];
    posted.push(...objects);
    statusCounter++;
    send(res, quirks.post200Completed ? 200 : 202, {
      id: `status-${statusCounter}`,
      status: quirks.post200Completed ? 'completed' : 'complete',
      total_count: objects.length,
      success_count: objects.length,
      successes: objects.map((o) => ({ id: o['id'], version: versionOf(o) })),
      failure_count: 0,
      pending_count: 0,
    });
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    apiRoot: `http://127.0.0.1:${port}/api/`,
    collectionId,
    records,
    posted,
    postSizes,
    requests,
    add,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
