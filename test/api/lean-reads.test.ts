/**
 * The lean route of the collection reads (src/http/lean-reads.ts) against express: the same requests sent to a
 * server running the API's listener and to one running the express app alone, on the same stores, must get
 * the same status, headers and body byte for byte (the request id and the Date header aside), the same
 * access-log route label and the same audit entry.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from '../../src/main/compose';
import { observabilityListener } from '../../src/http/health';
import { leanReadRoute } from '../../src/http/lean-reads';
import type { AuditEntry } from '../../src/audit/audit-event';
import { C, PASSWORDS, TAXII, basicAuth, ind, startTrustGateway, type TrustGateway } from './trust-gateway';

interface Side {
  readonly base: string;
  readonly server: Server;
  /** Access-log lines (route and status) by request id. */
  readonly lines: Map<string, string>;
}

let gw: TrustGateway;
let lean: Side;
let plain: Side;
const ID1 = String(ind(1)['id']);

async function side(useLean: boolean): Promise<Side> {
  const lines = new Map<string, string>();
  const capture = (obj: Record<string, unknown>): void => {
    lines.set(String(obj['requestId']), `${String(obj['route'])} ${String(obj['status'])}`);
  };
  const log = { info: capture, warn: capture };
  const inner = useLean ? gw.api.listener : gw.api.app;
  const server = await listen(observabilityListener({ exposeMetrics: false, readiness: [], log }, inner), gw.api.app, {
    port: 0,
    host: '127.0.0.1',
    checkIntervalMs: 250,
    headersTimeoutMs: 5_000,
    requestTimeoutMs: 10_000,
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, lines };
}

interface Seen {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
  readonly requestId: string;
}

async function send(s: Side, method: string, path: string, headers: Record<string, string>): Promise<Seen> {
  const r = await fetch(s.base + path, { method, headers });
  const body = Buffer.from(await r.arrayBuffer()).toString('latin1');
  const requestId = r.headers.get('x-request-id') ?? '';
  const lines: string[] = [];
  r.headers.forEach((v, k) => {
    if (k !== 'date') lines.push(`${k}: ${k === 'x-request-id' ? '<id>' : v}`);
  });
  return { status: r.status, headers: lines.sort().join('\n'), body: body.split(requestId).join('<id>'), requestId };
}

/** The audit entry of a request, without what differs by nature (time, request id). */
async function auditOf(requestId: string): Promise<Record<string, unknown> | undefined> {
  const page = await gw.audit.query({ sinceMs: 0, limit: 10_000 });
  const e: AuditEntry | undefined = page.entries.find((x) => x.request_id === requestId);
  if (e === undefined) return undefined;
  const { time: _time, request_id: _request, id: _stream, ...rest } = e;
  return rest;
}

beforeAll(async () => {
  gw = await startTrustGateway({ principalExtra: { operator: '    rate_limit: { requests_per_minute: 3 }' } });
  await gw.post(C.us, [ind(1), ind(2), ind(3), ind(4), ind(5)]);
  await gw.post(C.us, [ind(1, { modified: '2024-06-01T00:00:00.000Z', name: 'second version' })]);
  lean = await side(true);
  plain = await side(false);
});

afterAll(async () => {
  for (const s of [lean, plain]) await new Promise((resolve) => s.server.close(resolve));
  await gw.close();
});

const us = basicAuth('us-cert');
const ru = basicAuth('ru-cert');
const objects = `/exchange/collections/${C.us}/objects/`;

const CASES: readonly (readonly [string, string, Record<string, string>])[] = [
  ['GET', objects, { Accept: TAXII, Authorization: us }],
  ['GET', `${objects}?limit=2`, { Accept: TAXII, Authorization: us }],
  ['GET', `${objects}?match[type]=indicator&match[version]=all&limit=3`, { Accept: TAXII, Authorization: us }],
  ['GET', `/exchange/collections/${C.us}/objects`, { Accept: TAXII, Authorization: us }],
  ['GET', `/exchange/collections/us/objects/`, { Accept: TAXII, Authorization: us }],
  ['GET', `/exchange/collections/${C.us.toUpperCase()}/objects/`, { Accept: TAXII, Authorization: us }],
  ['GET', objects, { Accept: TAXII, Authorization: ru }],
  ['HEAD', objects, { Accept: TAXII, Authorization: us }],
  ['GET', `/exchange/collections/${C.us}/manifest/`, { Accept: TAXII, Authorization: us }],
  ['GET', `/exchange/collections/${C.us}/manifest/?match[id]=${ID1}&match[version]=all`, { Accept: TAXII, Authorization: us }],
  ['GET', `${objects}${ID1}/`, { Accept: TAXII, Authorization: us }],
  ['GET', `${objects}${ID1}/?match[version]=first`, { Accept: TAXII, Authorization: us }],
  ['GET', `${objects}${ID1}/versions/`, { Accept: TAXII, Authorization: us }],
  ['GET', `${objects}${ID1}/versions`, { Accept: TAXII, Authorization: us }],
  ['HEAD', `${objects}${ID1}/versions/`, { Accept: TAXII, Authorization: us }],
  // errors: authentication, negotiation, parameters, unknown things
  ['GET', objects, { Accept: TAXII }],
  ['GET', objects, { Accept: TAXII, Authorization: basicAuth('us-cert', 'wrong-password') }],
  ['GET', objects, { Accept: 'application/json', Authorization: us }],
  ['GET', objects, { Accept: 'application/json' }],
  ['GET', `${objects}?unknown=1`, { Accept: TAXII, Authorization: us }],
  ['GET', `${objects}?added_after=yesterday`, { Accept: TAXII, Authorization: us }],
  ['GET', `${objects}?limit=0`, { Accept: TAXII, Authorization: us }],
  ['GET', `/exchange/collections/00000000-0000-4000-8000-000000000000/objects/`, { Accept: TAXII, Authorization: us }],
  ['GET', `/nowhere/collections/${C.us}/objects/`, { Accept: TAXII, Authorization: us }],
  ['GET', `${objects}not-an-id/`, { Accept: TAXII, Authorization: us }],
  ['GET', `${objects}indicator--00000000-0000-4000-8000-000000000000/`, { Accept: TAXII, Authorization: us }],
  ['GET', `${objects}indicator--00000000-0000-4000-8000-000000000000/versions/`, { Accept: TAXII, Authorization: us }],
  // what the lean route leaves to express (both sides answer through express)
  ['GET', `${objects}${ID1.replace('--', '%2D%2D')}/`, { Accept: TAXII, Authorization: us }],
  ['DELETE', `${objects}${ID1}/versions/`, { Accept: TAXII, Authorization: us }],
];

describe('the lean read route', () => {
  it.each(CASES)(
    'when %s %s is sent to both paths, then status, headers, body, log line and audit entry are the same',
    async (method, path, headers) => {
      const a = await send(lean, method, path, headers);
      const b = await send(plain, method, path, headers);
      expect({ status: a.status, headers: a.headers, body: a.body }).toEqual({ status: b.status, headers: b.headers, body: b.body });
      expect(a.requestId).not.toBe('');
      expect(lean.lines.get(a.requestId)).toBe(plain.lines.get(b.requestId));
      expect(lean.lines.get(a.requestId)).toMatch(/^\S+ \d{3}$/);
      const [auditA, auditB] = [await auditOf(a.requestId), await auditOf(b.requestId)];
      expect(auditA).toBeDefined();
      expect(auditA).toEqual(auditB);
    },
  );

  it('when a page has a next token, then following it gives the same page on both paths', async () => {
    const first = await send(lean, 'GET', `${objects}?limit=2`, { Accept: TAXII, Authorization: us });
    const next = String((JSON.parse(first.body) as Record<string, unknown>)['next']);
    const path = `${objects}?limit=2&next=${encodeURIComponent(next)}`;
    const a = await send(lean, 'GET', path, { Accept: TAXII, Authorization: us });
    const b = await send(plain, 'GET', path, { Accept: TAXII, Authorization: us });
    expect(a.status).toBe(200);
    expect({ headers: a.headers, body: a.body }).toEqual({ headers: b.headers, body: b.body });
  });

  it('when a principal runs out of its rate limit, then both paths count in the same window and answer the same 429', async () => {
    const op = { Accept: TAXII, Authorization: basicAuth('operator', PASSWORDS['operator']) };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(lean, 'GET', objects, op)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const a = await send(lean, 'GET', objects, op);
    const b = await send(plain, 'GET', objects, op);
    const retry = (s: Seen): string => s.headers.replace(/retry-after: \d+/, 'retry-after: <s>');
    expect({ status: a.status, headers: retry(a), body: a.body }).toEqual({ status: 429, headers: retry(b), body: b.body });
  });

  it('when requests other than the four reads arrive, then the lean route leaves them to express', () => {
    const coll = `/exchange/collections/${C.us}`;
    expect(leanReadRoute('GET', `${coll}/objects/`)).toBe('objects');
    expect(leanReadRoute('HEAD', `${coll}/objects?limit=1`)).toBe('objects');
    expect(leanReadRoute('GET', `${coll}/manifest/`)).toBe('manifest');
    expect(leanReadRoute('GET', `${coll}/objects/${ID1}/`)).toBe('object');
    expect(leanReadRoute('GET', `${coll}/objects/${ID1}/versions/?added_after=x`)).toBe('versions');
    for (const [method, url] of [
      ['POST', `${coll}/objects/`],
      ['DELETE', `${coll}/objects/${ID1}/`],
      ['OPTIONS', `${coll}/objects/`],
      ['GET', `${coll}/`],
      ['GET', `${coll}/objects//`],
      ['GET', `${coll}/objects/a/b/`],
      ['GET', `${coll}/manifest/x/`],
      ['GET', `${coll}/objects/indicator%2D%2Dx/`],
      ['GET', `/console/collections/${C.us}/objects/`],
      ['GET', `/Gateway/collections/${C.us}/objects/`],
      ['GET', `//collections/${C.us}/objects/`],
    ] as const) {
      expect({ method, url, route: leanReadRoute(method, url) }).toEqual({ method, url, route: undefined });
    }
  });
});
