/**
 * The client side of TAXII 2.1: discovery, API root, collections, objects and manifest pages, Add Objects and
 * status polling. Every response is checked against the shape the specification gives it (unknown JSON is
 * narrowed field by field; a mismatch is a BAD_RESPONSE naming the URL and the field), and the server
 * variants of docs/federation.md, "Tolerated server variants" are tolerated: version-less or plain JSON media types, 200 instead of 202,
 * `completed` for `complete`, date headers with second, millisecond or microsecond precision, or none.
 * Requests are retried with exponential backoff on network errors, timeouts, 429 and 5xx (Retry-After wins).
 */
import { parseTimestamp } from '../stix/time';
import { TAXII_MEDIA_TYPE, parseMediaType } from '../taxii/media-type';
import { FederationError } from './federation-error';
import type { HttpResponse, HttpTransport } from './http-transport';

/** A date header or date_added as the remote wrote it, with its instant in µs. */
export interface RemoteTimestamp {
  readonly text: string;
  readonly micros: number;
}

export interface ObjectsQuery {
  readonly addedAfter?: RemoteTimestamp;
  readonly limit?: number;
  readonly next?: string;
  /** match[<field>] filters; values of one field are sent comma-separated (ORed). */
  readonly match?: Readonly<Record<string, readonly string[] | undefined>>;
}

export interface ObjectsPage {
  readonly url: string;
  readonly objects: readonly Record<string, unknown>[];
  readonly more: boolean;
  readonly next?: string;
  readonly dateAddedFirst?: RemoteTimestamp;
  readonly dateAddedLast?: RemoteTimestamp;
}

export interface ManifestRecord {
  readonly id: string;
  readonly version: string;
  readonly date_added: RemoteTimestamp;
}

export interface ManifestPage {
  readonly url: string;
  readonly records: readonly ManifestRecord[];
  readonly more: boolean;
  readonly next?: string;
  readonly dateAddedLast?: RemoteTimestamp;
}

export interface StatusDetail {
  readonly id: string;
  readonly version?: string;
  readonly message?: string;
}

export interface RemoteStatus {
  readonly id: string;
  /** `completed` (a common misspelling) is read as `complete`. */
  readonly status: 'complete' | 'pending';
  readonly total_count: number;
  readonly success_count: number;
  readonly failure_count: number;
  readonly pending_count: number;
  readonly successes: readonly StatusDetail[];
  readonly failures: readonly StatusDetail[];
  readonly pendings: readonly StatusDetail[];
}

export interface RemoteCollection {
  readonly id: string;
  readonly title: string;
  readonly can_read: boolean;
  readonly can_write: boolean;
  readonly alias?: string;
  readonly media_types?: readonly string[];
}

export interface TaxiiClientOptions {
  /** URL of the remote API root (a trailing `/` is added when missing). */
  readonly apiRoot: string;
  readonly transport: HttpTransport;
  /** Authorization header value (Basic or Bearer), when any. */
  readonly authorization?: string;
  /** Retries after the first attempt on retryable faults (default 5). */
  readonly maxRetries?: number;
  /** First backoff delay in ms, doubled per retry (default 500). */
  readonly backoffMs?: number;
  /** Longest single wait, Retry-After included (default 60 000 ms). */
  readonly maxBackoffMs?: number;
  /** Waits; injectable so tests do not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a remote timestamp (0–9 fractional digits); undefined when absent or malformed. */
export function remoteTimestamp(text: string | undefined): RemoteTimestamp | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  const p = parseTimestamp(t);
  return p === undefined ? undefined : { text: t, micros: p.micros };
}

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

class ShapeChecker {
  constructor(private readonly where: string) {}

  fail(field: string, wanted: string): never {
    throw new FederationError('BAD_RESPONSE', `${this.where}: ${field} must be ${wanted}`, { retryable: false });
  }

  record(v: unknown, field: string): Record<string, unknown> {
    return isRecord(v) ? v : this.fail(field, 'a JSON object');
  }

  string(v: unknown, field: string): string {
    return typeof v === 'string' ? v : this.fail(field, 'a string');
  }

  optString(v: unknown, field: string): string | undefined {
    return v === undefined || v === null ? undefined : this.string(v, field);
  }

  bool(v: unknown, field: string, dflt: boolean): boolean {
    if (v === undefined || v === null) return dflt;
    return typeof v === 'boolean' ? v : this.fail(field, 'true or false');
  }

  count(v: unknown, field: string, dflt: number): number {
    if (v === undefined || v === null) return dflt;
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : this.fail(field, 'a non-negative integer');
  }

  array(v: unknown, field: string): unknown[] {
    if (v === undefined || v === null) return [];
    return Array.isArray(v) ? v : this.fail(field, 'an array');
  }

  details(v: unknown, field: string): StatusDetail[] {
    return this.array(v, field).map((d, i) => {
      const r = this.record(d, `${field}[${i}]`);
      const version = this.optString(r['version'], `${field}[${i}].version`);
      const message = this.optString(r['message'], `${field}[${i}].message`);
      return {
        id: this.string(r['id'], `${field}[${i}].id`),
        ...(version === undefined ? {} : { version }),
        ...(message === undefined ? {} : { message }),
      };
    });
  }
}

export class TaxiiClient {
  readonly apiRoot: string;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: TaxiiClientOptions) {
    this.apiRoot = opts.apiRoot.endsWith('/') ? opts.apiRoot : `${opts.apiRoot}/`;
    this.sleep = opts.sleep ?? defaultSleep;
  }

  /** GET {server}/taxii2/ (the URL is given whole: discovery is not under an API root). */
  async discovery(url: string): Promise<{ title: string; api_roots: readonly string[]; default?: string }> {
    const { json, check } = await this.getJson(url);
    const r = check.record(json, 'the discovery resource');
    const def = check.optString(r['default'], 'default');
    return {
      title: check.string(r['title'], 'title'),
      api_roots: check.array(r['api_roots'], 'api_roots').map((a, i) => check.string(a, `api_roots[${i}]`)),
      ...(def === undefined ? {} : { default: def }),
    };
  }

  async apiRootInfo(): Promise<{ title: string; versions: readonly string[]; max_content_length: number }> {
    const { json, check } = await this.getJson(this.apiRoot);
    const r = check.record(json, 'the API root resource');
    return {
      title: check.string(r['title'], 'title'),
      versions: check.array(r['versions'], 'versions').map((v, i) => check.string(v, `versions[${i}]`)),
      max_content_length: check.count(r['max_content_length'], 'max_content_length', 0),
    };
  }

  async collections(): Promise<RemoteCollection[]> {
    const { json, check } = await this.getJson(`${this.apiRoot}collections/`);
    const r = check.record(json, 'the collections resource');
    return check.array(r['collections'], 'collections').map((c, i) => this.collectionOf(c, check, `collections[${i}]`));
  }

  async collection(id: string): Promise<RemoteCollection> {
    const { json, check } = await this.getJson(this.collectionUrl(id));
    return this.collectionOf(json, check, 'the collection resource');
  }

  /** One page of Get Objects. Objects must be JSON objects; their content is the ingest pipeline's business. */
  async getObjects(collectionId: string, q: ObjectsQuery): Promise<ObjectsPage> {
    const url = `${this.collectionUrl(collectionId)}objects/${this.queryString(q)}`;
    const { json, check, res } = await this.getJson(url);
    const r = check.record(json, 'the envelope');
    const objects = check.array(r['objects'], 'objects').map((o, i) => check.record(o, `objects[${i}]`));
    const next = check.optString(r['next'], 'next');
    return {
      url,
      objects,
      more: check.bool(r['more'], 'more', false),
      ...(next === undefined || next === '' ? {} : { next }),
      ...this.dateHeaders(res),
    };
  }

  async manifest(collectionId: string, q: ObjectsQuery): Promise<ManifestPage> {
    const url = `${this.collectionUrl(collectionId)}manifest/${this.queryString(q)}`;
    const { json, check, res } = await this.getJson(url);
    const r = check.record(json, 'the manifest');
    const records = check.array(r['objects'], 'objects').map((o, i) => {
      const m = check.record(o, `objects[${i}]`);
      const da = remoteTimestamp(check.string(m['date_added'], `objects[${i}].date_added`));
      return {
        id: check.string(m['id'], `objects[${i}].id`),
        version: check.string(m['version'], `objects[${i}].version`),
        date_added: da ?? check.fail(`objects[${i}].date_added`, 'an RFC 3339 timestamp'),
      };
    });
    const next = check.optString(r['next'], 'next');
    const { dateAddedLast } = this.dateHeaders(res);
    return {
      url,
      records,
      more: check.bool(r['more'], 'more', false),
      ...(next === undefined || next === '' ? {} : { next }),
      ...(dateAddedLast === undefined ? {} : { dateAddedLast }),
    };
  }

  /** POST an envelope; 202 (the spec) and 200 (seen in the field) are both accepted. */
  async addObjects(collectionId: string, objects: readonly unknown[]): Promise<RemoteStatus> {
    const url = `${this.collectionUrl(collectionId)}objects/`;
    const res = await this.send('POST', url, JSON.stringify({ objects }));
    return this.statusOf(this.parseJson(res, url), new ShapeChecker(`POST ${url}`));
  }

  async status(statusId: string): Promise<RemoteStatus> {
    const url = `${this.apiRoot}status/${encodeURIComponent(statusId)}/`;
    const { json, check } = await this.getJson(url);
    return this.statusOf(json, check);
  }

  /** Polls a status until it is complete (pending statuses are re-read with growing pauses). */
  async waitStatus(initial: RemoteStatus, timeoutMs: number, pollMs = 200): Promise<RemoteStatus> {
    let s = initial;
    const deadline = Date.now() + timeoutMs;
    let pause = pollMs;
    while (s.status !== 'complete') {
      if (Date.now() >= deadline) {
        throw new FederationError('STATUS_TIMEOUT', `status ${s.id} at ${this.apiRoot} still pending after ${timeoutMs} ms`, {
          retryable: true,
        });
      }
      await this.sleep(pause);
      pause = Math.min(pause * 2, 5000);
      s = await this.status(s.id);
    }
    return s;
  }

  private collectionUrl(id: string): string {
    return `${this.apiRoot}collections/${encodeURIComponent(id)}/`;
  }

  private queryString(q: ObjectsQuery): string {
    const p = new URLSearchParams();
    if (q.addedAfter !== undefined) p.set('added_after', q.addedAfter.text);
    if (q.limit !== undefined) p.set('limit', String(q.limit));
    if (q.next !== undefined) p.set('next', q.next);
    for (const [field, values] of Object.entries(q.match ?? {})) {
      if (values !== undefined && values.length > 0) p.set(`match[${field}]`, values.join(','));
    }
    const s = p.toString();
    return s === '' ? '' : `?${s}`;
  }

  private dateHeaders(res: HttpResponse): { dateAddedFirst?: RemoteTimestamp; dateAddedLast?: RemoteTimestamp } {
    const first = remoteTimestamp(res.headers['x-taxii-date-added-first']);
    const last = remoteTimestamp(res.headers['x-taxii-date-added-last']);
    return { ...(first === undefined ? {} : { dateAddedFirst: first }), ...(last === undefined ? {} : { dateAddedLast: last }) };
  }

  private collectionOf(v: unknown, check: ShapeChecker, field: string): RemoteCollection {
    const c = check.record(v, field);
    const alias = check.optString(c['alias'], `${field}.alias`);
    const mediaTypes =
      c['media_types'] === undefined
        ? undefined
        : check.array(c['media_types'], `${field}.media_types`).map((m, i) => check.string(m, `${field}.media_types[${i}]`));
    return {
      id: check.string(c['id'], `${field}.id`),
      title: check.string(c['title'], `${field}.title`),
      can_read: check.bool(c['can_read'], `${field}.can_read`, false),
      can_write: check.bool(c['can_write'], `${field}.can_write`, false),
      ...(alias === undefined ? {} : { alias }),
      ...(mediaTypes === undefined ? {} : { media_types: mediaTypes }),
    };
  }

  private statusOf(json: unknown, check: ShapeChecker): RemoteStatus {
    const r = check.record(json, 'the status resource');
    const raw = check.string(r['status'], 'status');
    const state =
      raw === 'complete' || raw === 'completed'
        ? 'complete'
        : raw === 'pending'
          ? 'pending'
          : check.fail('status', '"complete" or "pending"');
    const successes = check.details(r['successes'], 'successes');
    const failures = check.details(r['failures'], 'failures');
    const pendings = check.details(r['pendings'], 'pendings');
    const successCount = check.count(r['success_count'], 'success_count', successes.length);
    const failureCount = check.count(r['failure_count'], 'failure_count', failures.length);
    const pendingCount = check.count(r['pending_count'], 'pending_count', pendings.length);
    return {
      id: check.string(r['id'], 'id'),
      status: state,
      total_count: check.count(r['total_count'], 'total_count', successCount + failureCount + pendingCount),
      success_count: successCount,
      failure_count: failureCount,
      pending_count: pendingCount,
      successes,
      failures,
      pendings,
    };
  }

  private async getJson(url: string): Promise<{ json: unknown; check: ShapeChecker; res: HttpResponse }> {
    const res = await this.send('GET', url);
    return { json: this.parseJson(res, url), check: new ShapeChecker(`GET ${url}`), res };
  }

  /** The JSON of a 2xx response whose media type is TAXII (any version-less or 2.1 form) or plain JSON. */
  private parseJson(res: HttpResponse, url: string): unknown {
    const ct = res.headers['content-type'];
    if (ct !== undefined) {
      const mt = parseMediaType(ct);
      const version = mt?.params.get('version');
      const ok =
        mt !== undefined &&
        mt.type === 'application' &&
        (mt.subtype === 'json' ||
          ((mt.subtype === 'taxii+json' || mt.subtype === 'stix+json') && (version === undefined || version === '2.1')));
      if (!ok) {
        throw new FederationError('BAD_RESPONSE', `${url}: Content-Type ${ct.slice(0, 100)} is not TAXII 2.1 JSON`, {
          url,
          retryable: false,
        });
      }
    }
    try {
      return JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new FederationError('BAD_RESPONSE', `${url}: the body is not JSON`, { url, retryable: false });
    }
  }

  /** One request with retries; resolves with a 2xx response, rejects with a FederationError otherwise. */
  private async send(method: 'GET' | 'POST', url: string, body?: string): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: TAXII_MEDIA_TYPE };
    if (this.opts.authorization !== undefined) headers['authorization'] = this.opts.authorization;
    if (body !== undefined) headers['content-type'] = TAXII_MEDIA_TYPE;
    const maxRetries = this.opts.maxRetries ?? 5;
    const base = this.opts.backoffMs ?? 500;
    const cap = this.opts.maxBackoffMs ?? 60_000;
    for (let attempt = 0; ; attempt++) {
      let err: FederationError;
      try {
        const res = await this.opts.transport({ method, url, headers, ...(body === undefined ? {} : { body }) });
        if (res.status >= 200 && res.status < 300) return res;
        err = this.httpError(method, url, res);
      } catch (e) {
        if (!(e instanceof FederationError)) throw e;
        err = e;
      }
      if (!err.retryable || attempt >= maxRetries) throw err;
      const backoff = base * 2 ** attempt;
      // Jitter spreads the retries of several gateways hitting one server.
      const wait = Math.min(cap, err.opts.retryAfterMs ?? backoff + Math.floor(Math.random() * base));
      await this.sleep(wait);
    }
  }

  private httpError(method: string, url: string, res: HttpResponse): FederationError {
    let detail = '';
    try {
      const j: unknown = JSON.parse(res.body.toString('utf8'));
      if (isRecord(j) && typeof j['title'] === 'string') detail = `: ${j['title'].slice(0, 200)}`;
    } catch {
      // Not a TAXII error resource; the status code says enough.
    }
    const retryable = res.status === 429 || res.status >= 500;
    const after = retryAfterMs(res.headers['retry-after']);
    return new FederationError('HTTP_STATUS', `${method} ${url} answered ${res.status}${detail}`, {
      url,
      httpStatus: res.status,
      retryable,
      ...(after === undefined ? {} : { retryAfterMs: after }),
    });
  }
}
