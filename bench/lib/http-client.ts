/**
 * A lean TAXII client for benchmarks: node:http with keep-alive, bodies kept as bytes (a polling client does
 * not need to parse the objects it stores), `more`/`next` read from the head of the envelope.
 */
import http from 'node:http';
import { AUTH, TAXII } from './gateway';
import { percentile } from './stats';

export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface RawAnswer {
  readonly status: number;
  readonly body: Buffer;
  readonly headers: http.IncomingHttpHeaders;
}

/**
 * One request. A keep-alive socket the server closed while idle (its keepAliveTimeout) can be picked for the
 * next request just as the close arrives; the write then fails with EPIPE or ECONNRESET before the server read
 * anything, so such a request on a reused socket is sent again once on a fresh one (Node's documented remedy,
 * `request.reusedSocket`). Any other error, or a second failure, is the benchmark's failure.
 */
export async function request(base: string, method: string, pathAndQuery: string, body?: string | Buffer): Promise<RawAnswer> {
  try {
    return await requestOnce(base, method, pathAndQuery, body);
  } catch (err) {
    if (!(err instanceof StaleSocketError)) throw err;
    return requestOnce(base, method, pathAndQuery, body);
  }
}

class StaleSocketError extends Error {}

function requestOnce(base: string, method: string, pathAndQuery: string, body?: string | Buffer): Promise<RawAnswer> {
  const url = new URL(base + pathAndQuery);
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { Accept: TAXII, Authorization: AUTH };
    if (body !== undefined) {
      headers['Content-Type'] = TAXII;
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
      res.on('error', reject);
    });
    req.setTimeout(120_000, () => req.destroy(new Error('request timed out')));
    let answered = false;
    req.on('response', () => (answered = true));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const stale = req.reusedSocket && !answered && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
      reject(stale ? new StaleSocketError(err.message) : err);
    });
    req.end(body);
  });
}

/** `more` and `next` from the head of a TAXII envelope (they come first in the gateway's output). */
export function pageHead(body: Buffer): { more: boolean; next?: string } {
  const head = body.subarray(0, 400).toString('latin1');
  const more = head.startsWith('{"more":true');
  const m = /"next":"([A-Za-z0-9_\-=.~]{1,300})"/.exec(head);
  return m?.[1] ? { more, next: m[1] } : { more };
}

/** Objects in a page, counted without parsing: every top-level STIX object has exactly one spec_version. */
export function countObjects(body: Buffer): number {
  const needle = Buffer.from('"spec_version":"');
  let n = 0;
  let i = body.indexOf(needle);
  while (i >= 0) {
    n++;
    i = body.indexOf(needle, i + needle.length);
  }
  return n;
}

/**
 * `clients` closed loops (each sends its next GET as soon as the previous answer arrived) for `seconds`, over
 * `paths` in turn, client c on `bases[c % bases.length]`: latency p50/p99 in ms and requests/s.
 */
export async function closedLoopGets(
  bases: readonly string[],
  paths: readonly string[],
  seconds: number,
  clients = 10,
): Promise<{ p50: number; p99: number; rps: number }> {
  const times: number[] = [];
  const end = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      let i = c * 37;
      while (Date.now() < end) {
        const t = process.hrtime.bigint();
        const r = await request(bases[c % bases.length] ?? '', 'GET', paths[i++ % paths.length] ?? '/');
        if (r.status !== 200) throw new Error(`GET answered ${r.status}`);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), rps: times.length / elapsed };
}
