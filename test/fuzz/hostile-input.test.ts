/**
 * Hostile input against the HTTP API and the worker (fast-check). Every answer must be a TAXII error or a
 * 2xx, every 202 is followed to `complete` with each object a success or a coded failure (no worker job
 * failure in the logs), the heap after forced GC must not grow with the number of requests, and every object
 * stored before must still be served byte for byte afterwards (the closing test, last in this file).
 * FUZZ_RUNS (default 300) cases per property; the worker is also fuzzed without HTTP in worker-direct.test.ts.
 *
 * Mutations that made this file fail once: a `throw` in prepare for objects with a `lang` property
 * (src/stix/prepare.ts): the 202 whose object has one never completes and the job failure is logged; a module-level
 * array keeping 1 KB per request in src/http/middleware.ts: the heap test fails; `status.failures` messages
 * without their code: FAILURE_MESSAGE fails.
 */
import net from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { C, ID, PASSWORDS, TLP, basicAuth, ind, startTrustGateway, type Answer, type TrustGateway } from '../api/trust-gateway';
import { createPrepareDeps } from '../../src/stix/prepare';
import { FAILURE_MESSAGE, hostileObjects } from './generators';

const RUNS = Math.max(1, Number(process.env['FUZZ_RUNS'] ?? '300'));
/** Per-test time budget: generous per case, so a loaded CI machine is not a failure. */
const BUDGET_MS = 60_000 + RUNS * 400;
const SEED_IDS = Array.from({ length: 8 }, (_, i) => String(ind(i + 1)['id']));
/** Statuses any hostile request may legitimately get; 5xx is never acceptable. */
const ALLOWED = new Set([200, 202, 400, 401, 403, 404, 405, 406, 413, 415, 422]);
const counts: Record<string, number> = {};

let gw: TrustGateway;
let snapshot: Map<string, string>;

function count(target: string): void {
  counts[target] = (counts[target] ?? 0) + 1;
}

/** `gc()` under a plain `npx jest`: the flag is set at run time, and a new context gets the function. */
function forcedGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('gc');
  if (typeof gc !== 'function') throw new Error('cannot expose gc');
  return () => {
    (gc as () => void)();
    (gc as () => void)();
  };
}

function expectTaxiiAnswer(r: Answer): void {
  expect(ALLOWED.has(r.status)).toBe(true);
  if (r.status >= 400) {
    expect(r.headers.get('content-type')).toMatch(/^application\/taxii\+json/);
    const body = r.json();
    expect(body['http_status']).toBe(String(r.status));
    expect(r.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/); // no stack traces or internals
  }
}

/** Lines the harness logged for failed worker jobs (a throw in the worker, retried by BullMQ). */
function workerFailures(): string[] {
  return gw.logs.filter((l) => l.includes('ingest job failed'));
}

/** Follows a 202 to `complete` (bounded) and checks each object: a success, or a failure whose message has a code. */
async function expectSettled(r: Answer, posted: number): Promise<void> {
  const id = String(r.json()['id']);
  let status: Record<string, unknown> = {};
  // Bounded by polls and by time, and over at once when a worker job failure is logged.
  const deadline = Date.now() + 20_000;
  for (let i = 0; i < 600 && status['status'] !== 'complete' && Date.now() < deadline && workerFailures().length === 0; i++) {
    status = (await gw.request('GET', `/exchange/status/${id}/`, { user: 'us-cert' })).json();
    if (status['status'] !== 'complete') await new Promise((res) => setTimeout(res, i < 20 ? 5 : 25));
  }
  expect({ status: status['status'], pending: status['pending_count'], jobFailures: workerFailures() }).toEqual({
    status: 'complete',
    pending: 0,
    jobFailures: [],
  });
  expect(Number(status['success_count']) + Number(status['failure_count'])).toBe(posted);
  const failures = Array.isArray(status['failures']) ? (status['failures'] as Record<string, unknown>[]) : [];
  expect(failures).toHaveLength(Number(status['failure_count']));
  for (const f of failures) expect(String(f['message'])).toMatch(FAILURE_MESSAGE);
  count('followed-202');
}

async function takeSnapshot(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const id of SEED_IDS) {
    const r = await gw.request('GET', `/exchange/collections/${C.us}/objects/${id}/?match[version]=all`, { user: 'us-cert' });
    out.set(id, r.text);
  }
  return out;
}

const objectsPath = `/exchange/collections/${C.us}/objects/`;
const post = (body: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> =>
  gw.request('POST', objectsPath, { user: 'us-cert', body, headers });

beforeAll(async () => {
  // Production-like timeouts here, and every schema compiled before the first request (as the worker role does
  // at start-up): on a loaded machine a first job compiling them inside a request's time budget got it reset.
  // The slow-client tests below run against their own gateway with short timeouts.
  createPrepareDeps();
  gw = await startTrustGateway();
  const seeded = await gw.post(
    C.us,
    SEED_IDS.map((_, i) => ind(i + 1, { created_by_ref: ID.us, object_marking_refs: [i % 2 === 0 ? TLP.green : TLP.amber] })),
    'us-cert',
  );
  expect(seeded['success_count']).toBe(SEED_IDS.length);
  snapshot = await takeSnapshot();
}, 120_000);

afterAll(async () => {
  process.stdout.write(`fuzz cases run: ${JSON.stringify(counts)}\n`);
  await gw.close();
}, 60_000);

/** Envelopes of generated hostile objects (test/fuzz/generators.ts), as JSON text, with their object count. */
const hostileEnvelope = hostileObjects((n) => ind(n + 1000)).map((objects) => ({
  body: JSON.stringify({ objects }),
  posted: objects.length,
}));

/** Random query strings: free text, known and odd parameter names with random values, random `next` tokens. */
const queryString = fc.oneof(
  fc.string({ maxLength: 300 }).map((s) => encodeURI(s)),
  fc
    .array(
      fc.tuple(
        fc.constantFrom(
          'added_after',
          'limit',
          'next',
          'match[id]',
          'match[type]',
          'match[version]',
          'match[spec_version]',
          'match[',
          '%zz',
          '__proto__',
        ),
        fc.string({ maxLength: 60 }),
      ),
      { maxLength: 5 },
    )
    .map((kv) => kv.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')),
  fc.string({ maxLength: 100 }).map((s) => `next=${encodeURIComponent(Buffer.from(s).toString('base64url'))}`),
);

/** Any body: random JSON, random text, or a hostile envelope. */
const anyBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ body: JSON.stringify(v), posted: -1 })),
  fc.string({ maxLength: 200 }).map((t) => ({ body: t, posted: -1 })),
  hostileEnvelope,
  hostileEnvelope,
);

describe('fuzz: POST objects', () => {
  it(
    'when random JSON or hostile envelopes are posted, then every answer is a TAXII error or a 202 whose objects all settle',
    async () => {
      await fc.assert(
        fc.asyncProperty(anyBody, async ({ body, posted }) => {
          count('post-random');
          const r = await post(body);
          expectTaxiiAnswer(r);
          if (r.status !== 202) return;
          // A body that is not an envelope is refused synchronously; a 202 names how many objects it took.
          expect(posted).toBeGreaterThanOrEqual(0);
          await expectSettled(r, posted);
        }),
        // No shrinking: a failing case can cost a bounded wait each (worker-direct.test.ts shrinks the same inputs).
        { numRuns: RUNS, endOnFailure: true },
      );
      // Not vacuous: most hostile envelopes are accepted and followed to their end.
      expect(counts['followed-202'] ?? 0).toBeGreaterThan(RUNS / 5);
    },
    BUDGET_MS,
  );

  it('when the worker gets hostile objects, then each is a per-object failure and the status completes', async () => {
    const deep = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
    const bodies: string[] = [
      `{"objects":[{"type":"indicator","id":"indicator--0b1fd9e8-6b1e-4a0f-9a42-3c2e1d7f5a01","nested":${deep}}]}`,
      JSON.stringify({ objects: [{ ...ind(2001), description: 'x'.repeat(1024 * 1024) }] }),
      JSON.stringify({ objects: Array.from({ length: 20_000 }, (_, i) => ({ type: 'x', id: i })) }),
      `{"objects":[${JSON.stringify(ind(2002))}],"objects":[{"type":"indicator","id":"dup"}]}`,
      `{"objects":[{"__proto__":{"admin":true},"constructor":{"prototype":{"polluted":1}},"type":"indicator","id":"indicator--0b1fd9e8-6b1e-4a0f-9a42-3c2e1d7f5a02"}]}`,
      JSON.stringify({ objects: [ind(2003, { pattern: `[ipv4-addr:value = '${'1.'.repeat(20_000)}']` })] }),
      JSON.stringify({ objects: [ind(2004, { pattern: `[${'('.repeat(5000)}ipv4-addr:value = '1.2.3.4'${')'.repeat(5000)}]` })] }),
      JSON.stringify({
        objects: [ind(2005, { pattern: `[file:hashes.MD5 = '${'a'.repeat(31)}!'] AND `.repeat(2000) + "[file:name = 'x']" })],
      }),
      JSON.stringify({ objects: [ind(2006, { id: `indicator--${'0'.repeat(100_000)}`, created: '2024-13-99T99:99:99Z' })] }),
      JSON.stringify({ objects: [{ ...ind(1), name: 'rewrite of a seeded object with the same version' }] }),
      JSON.stringify({
        objects: [ind(2007, { created_by_ref: ID.us, pattern: "[domain-name:value = 'a.b' " + 'OR '.repeat(3000) + ']' })],
      }),
    ];
    for (const body of bodies) {
      count('post-hostile');
      const r = await post(body);
      expectTaxiiAnswer(r);
      if (r.status !== 202) continue;
      const parsed: unknown = JSON.parse(body);
      const objects = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['objects'] : undefined;
      await expectSettled(r, Array.isArray(objects) ? objects.length : -1);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  }, 60_000);

  it(
    'when the body is invalid UTF-8, oversized, or of the wrong media type, then the answer is 400, 413 or 415',
    async () => {
      count('post-bytes');
      const invalid = Buffer.concat([Buffer.from('{"objects":[{"name":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}]}')]);
      expect((await post(invalid)).status).toBe(400);
      const big = await post(Buffer.alloc(2_100_000, 0x20));
      expect(big.status).toBe(413);
      expectTaxiiAnswer(big);
      expect((await post('{"objects":[]}', { 'Content-Type': 'text/html' })).status).toBe(415);
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
          count('post-bytes');
          expectTaxiiAnswer(await post(Buffer.from(bytes)));
        }),
        { numRuns: RUNS },
      );
    },
    BUDGET_MS,
  );
});

describe('fuzz: query strings, next tokens and cursors', () => {
  it(
    'when query strings are random, then every answer is 200 or a TAXII error',
    async () => {
      const paths = [
        objectsPath,
        `/exchange/collections/${C.us}/manifest/`,
        `/exchange/collections/${C.us}/objects/${SEED_IDS[0] ?? ''}/versions/`,
      ];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...paths), queryString, async (p, q) => {
          count('query');
          expectTaxiiAnswer(await gw.request('GET', `${p}?${q}`, { user: 'us-cert' }));
        }),
        { numRuns: RUNS * 2 },
      );
    },
    BUDGET_MS,
  );

  it(
    'when a real next token is altered or reused with other filters, then it is refused unless it still names a position of the same query',
    async () => {
      const first = (await gw.request('GET', `${objectsPath}?limit=1`, { user: 'us-cert' })).json();
      const next = String(first['next']);
      expect((await gw.request('GET', `${objectsPath}?limit=1&next=${encodeURIComponent(next)}`, { user: 'us-cert' })).status).toBe(200);
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: Math.max(0, next.length - 1) }), fc.constantFrom('A', 'z', '0', '_', '-', '~'), async (i, ch) => {
          count('forged-cursor');
          const forged = next.slice(0, i) + ch + next.slice(i + 1);
          const r = await gw.request('GET', `${objectsPath}?limit=1&next=${encodeURIComponent(forged)}`, { user: 'us-cert' });
          expectTaxiiAnswer(r);
          // Cursors are not signed (src/http/cursor.ts): an altered position digit still names a valid place
          // in the same result set, which is harmless because clearances are applied inside the store query.
          // Anything else altered (version, digest, encoding) is refused.
          expect([200, 400]).toContain(r.status);
          if (r.status === 200) expect(typeof r.json()['more']).toBe('boolean');
          const decoded = Buffer.from(forged, 'base64url').toString('utf8');
          if (!/^1\.\d{1,17}\./.test(decoded) || !decoded.endsWith(Buffer.from(next, 'base64url').toString('utf8').slice(-16))) {
            expect(r.status).toBe(400);
          }
        }),
        { numRuns: RUNS },
      );
      const otherFilters = await gw.request('GET', `${objectsPath}?limit=1&match[type]=indicator&next=${encodeURIComponent(next)}`, {
        user: 'us-cert',
      });
      expect(otherFilters.status).toBe(400);
    },
    BUDGET_MS,
  );
});

describe('fuzz: authentication', () => {
  it(
    'when credentials are wrong, unknown or malformed, then every 401 body is identical apart from error_id',
    async () => {
      const headers = [
        basicAuth('us-cert', 'wrong'),
        basicAuth('no-such-user', 'whatever'),
        basicAuth('ru-cert', `${PASSWORDS['ru-cert'] ?? ''}x`),
        'Basic !!!!',
        'Basic',
        'Bearer',
        'Bearer a b',
        'Digest username="us-cert"',
        `Basic ${'A'.repeat(5000)}`,
        'basic dXMtY2VydA==',
      ];
      const bodies = new Set<string>();
      const check = async (h: string): Promise<void> => {
        count('auth');
        const r = await gw.request('GET', '/exchange/collections/', { user: null, headers: { Authorization: h } });
        expect(r.status).toBe(401);
        const { error_id: _ignored, ...rest } = r.json();
        bodies.add(JSON.stringify(rest));
        expect(r.headers.get('www-authenticate')).toMatch(/Basic/);
      };
      for (const h of headers) await check(h);
      await fc.assert(
        fc.asyncProperty(
          fc.string({ minLength: 1, maxLength: 80 }).filter((s) => /^[\x21-\x7e][\x20-\x7e]*[\x21-\x7e]$/.test(s)),
          async (h) => {
            await check(h);
          },
        ),
        { numRuns: RUNS },
      );
      // Two kinds of body: "missing/malformed" wording would reveal nothing about users; both never name one.
      expect(bodies.size).toBeLessThanOrEqual(2);
      for (const b of bodies) expect(b).not.toMatch(/us-cert|ru-cert|no-such-user/);
    },
    BUDGET_MS,
  );
});

describe('fuzz: slow and oversized bodies', () => {
  let slow: TrustGateway;
  beforeAll(async () => {
    slow = await startTrustGateway({ headersTimeoutMs: 1500, requestTimeoutMs: 3000 });
  });
  afterAll(async () => {
    await slow.close();
  });

  function rawRequest(lines: string, dripMs: number, maxMs: number): Promise<{ closedAfterMs: number; response: string }> {
    return new Promise((resolve) => {
      const started = Date.now();
      const url = new URL(slow.base);
      const socket = net.connect(Number(url.port), url.hostname);
      let response = '';
      let i = 0;
      const timer = setInterval(() => {
        if (i < lines.length && !socket.destroyed) socket.write(lines[i++] ?? '');
      }, dripMs);
      const done = (): void => {
        clearInterval(timer);
        resolve({ closedAfterMs: Date.now() - started, response });
      };
      socket.on('data', (d: Buffer) => (response += d.toString('latin1')));
      socket.on('close', done);
      socket.on('error', () => undefined);
      setTimeout(() => socket.destroy(), maxMs).unref();
    });
  }

  it('when a client sends headers one byte at a time (slowloris), then the server closes the connection', async () => {
    count('slowloris');
    const head = `GET /taxii2/ HTTP/1.1\r\nHost: x\r\nAuthorization: ${basicAuth('us-cert')}\r\nX-Slow: ${'a'.repeat(500)}\r\n\r\n`;
    const r = await rawRequest(head, 20, 15_000);
    expect(r.closedAfterMs).toBeLessThan(10_000);
  }, 20_000);

  it('when a body is trickled slower than the request timeout, then the request ends without storing anything', async () => {
    count('slow-body');
    const body = JSON.stringify({ objects: [ind(3001)] });
    const head = `POST ${objectsPath} HTTP/1.1\r\nHost: x\r\nAuthorization: ${basicAuth('us-cert')}\r\nContent-Type: application/taxii+json;version=2.1\r\nAccept: application/taxii+json;version=2.1\r\nContent-Length: ${body.length}\r\n\r\n`;
    // ~600 bytes at one per 20 ms: about 12 s, well past the 3 s request timeout.
    const r = await rawRequest(head + body, 20, 15_000);
    expect(r.closedAfterMs).toBeLessThan(8_000);
    // The headers alone outlast headersTimeout: the server answers a TAXII 408 and closes.
    expect(r.response).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(r.response).toContain('"error_code":"REQUEST_TIMEOUT"');
    const stored = await slow.request('GET', `${objectsPath}${String(ind(3001)['id'])}/`, { user: 'us-cert' });
    expect(stored.status).toBe(404);
  }, 20_000);

  it('when Content-Length announces more than max_content_length, then 413 comes before the body is read', async () => {
    count('oversized');
    const head = `POST ${objectsPath} HTTP/1.1\r\nHost: x\r\nAuthorization: ${basicAuth('us-cert')}\r\nContent-Type: application/taxii+json;version=2.1\r\nAccept: application/taxii+json;version=2.1\r\nContent-Length: 999999999\r\n\r\n{"objects":[`;
    const r = await rawRequest(head, 1, 8000);
    expect(r.response).toMatch(/^HTTP\/1\.1 413/);
  }, 20_000);
});

describe('fuzz: memory', () => {
  /** Requests between the two heap readings: a leak of 1 KB per request would add HEAP_REQUESTS KB (3 MB). */
  const HEAP_REQUESTS = 3000;
  const HEAP_BOUND = 2 * 1024 * 1024;

  /** Sends `n` generated hostile requests (queries, random bytes, envelopes) and waits for every 202 to complete. */
  async function hostileTraffic(n: number, seed: number): Promise<void> {
    const accepted: string[] = [];
    const kinds = fc.oneof(
      {
        weight: 3,
        arbitrary: queryString.map((q) => ({ method: 'GET', path: `${objectsPath}?${q}`, body: undefined as string | Buffer | undefined })),
      },
      {
        weight: 2,
        arbitrary: fc
          .uint8Array({ maxLength: 300 })
          .map((b) => ({ method: 'POST', path: objectsPath, body: Buffer.from(b) as string | Buffer | undefined })),
      },
      {
        weight: 1,
        arbitrary: hostileEnvelope.map((e) => ({ method: 'POST', path: objectsPath, body: e.body as string | Buffer | undefined })),
      },
    );
    for (let done = 0; done < n; done += 100) {
      for (const req of fc.sample(kinds, { numRuns: Math.min(100, n - done), seed: seed + done })) {
        const r = await gw.request(req.method, req.path, { user: 'us-cert', ...(req.body === undefined ? {} : { body: req.body }) });
        expectTaxiiAnswer(r);
        if (r.status === 202) accepted.push(String(r.json()['id']));
        count('heap-traffic');
      }
    }
    for (const id of accepted) expect((await gw.waitStatus(id))['pending_count']).toBe(0);
  }

  // Measured on a loaded machine, four rounds of 3000 requests after the warm-up: the heap after forced GC moved
  // by 55 to 480 KB a round; with the 1 KB-per-request mutation (see the file comment) it grows by over 3 MB.
  it('when thousands of hostile requests have been answered, then the heap after a forced GC has not grown with them', async () => {
    const gc = forcedGc();
    await hostileTraffic(1500, 1); // warm-up: compiled code, caches and pools reach their steady size
    expect(workerFailures()).toEqual([]);
    gw.logs.length = 0; // the test harness's own log capture, not the gateway's memory
    gc();
    const before = process.memoryUsage().heapUsed;
    await hostileTraffic(HEAP_REQUESTS, 1_000_000);
    expect(workerFailures()).toEqual([]);
    gw.logs.length = 0;
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    process.stdout.write(`heap after forced GC grew by ${(grown / 1024).toFixed(0)} KB over ${HEAP_REQUESTS} requests\n`);
    expect(grown).toBeLessThan(HEAP_BOUND);
  }, 900_000);
});

describe('fuzz: closing checks (last in this file)', () => {
  it('when every target has run, then the gateway is up, every object stored before is unchanged byte for byte, and no worker job failed', async () => {
    const alive = await gw.request('GET', '/taxii2/', { user: 'us-cert' });
    expect(alive.status).toBe(200);
    expect(await takeSnapshot()).toEqual(snapshot);
    expect(workerFailures()).toEqual([]);
    // Every property ran its cases (none returned before checking).
    for (const target of ['post-random', 'post-bytes', 'query', 'forged-cursor', 'auth'])
      expect({ target, n: (counts[target] ?? 0) >= RUNS }).toEqual({ target, n: true });
    expect(counts['post-hostile']).toBe(11);
  });
});
