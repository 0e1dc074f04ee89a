/**
 * One HTTP(S) exchange with a remote TAXII server over node:http / node:https (an https.Agent carries the
 * client certificate for mutual TLS, which Node's global fetch cannot take without undici's own API).
 * Bounded in time (connect and overall timeouts) and in size (the body is refused past `maxBytes`).
 */
import http from 'node:http';
import https from 'node:https';
import { FederationError } from './federation-error';

export interface HttpResponse {
  readonly status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface TransportOptions {
  readonly connectTimeoutMs: number;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** The agent for https URLs (client certificate, CA); a default one is used when absent. */
  readonly httpsAgent?: https.Agent;
}

/** Sends one request; rejects with a FederationError (NETWORK, TIMEOUT, RESPONSE_TOO_LARGE) on faults. */
export type HttpTransport = (req: HttpRequest) => Promise<HttpResponse>;

function flatHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export function createHttpTransport(opts: TransportOptions): HttpTransport {
  return (req) =>
    new Promise<HttpResponse>((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(req.url);
      } catch {
        reject(new FederationError('NETWORK', `invalid URL ${req.url}`, { url: req.url, retryable: false }));
        return;
      }
      const isHttps = url.protocol === 'https:';
      const headers: Record<string, string> = { ...req.headers };
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
      const options: https.RequestOptions = { method: req.method, headers };
      if (isHttps && opts.httpsAgent) options.agent = opts.httpsAgent;
      let settled = false;
      const fail = (err: FederationError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(overall);
        clearTimeout(connect);
        outgoing.destroy();
        reject(err);
      };
      const outgoing = (isHttps ? https : http).request(url, options, (res) => {
        clearTimeout(connect);
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > opts.maxBytes) {
            res.destroy();
            fail(
              new FederationError('RESPONSE_TOO_LARGE', `${req.method} ${req.url}: the response is larger than ${opts.maxBytes} bytes`, {
                url: req.url,
                retryable: false,
              }),
            );
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(overall);
          resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks) });
        });
        res.on('error', (err) => fail(new FederationError('NETWORK', `${req.method} ${req.url}: ${err.message}`, { url: req.url })));
      });
      const connect = setTimeout(() => {
        fail(
          new FederationError('TIMEOUT', `${req.method} ${req.url}: no response within the connect timeout (${opts.connectTimeoutMs} ms)`, {
            url: req.url,
          }),
        );
      }, opts.connectTimeoutMs);
      const overall = setTimeout(() => {
        fail(
          new FederationError('TIMEOUT', `${req.method} ${req.url}: no complete response within ${opts.timeoutMs} ms`, { url: req.url }),
        );
      }, opts.timeoutMs);
      outgoing.on('socket', (socket) => {
        // The connect timer covers connection set-up only; once connected, the overall timer rules.
        const connected = (): void => clearTimeout(connect);
        if (!socket.connecting) connected();
        else socket.once(isHttps ? 'secureConnect' : 'connect', connected);
      });
      outgoing.on('error', (err) => fail(new FederationError('NETWORK', `${req.method} ${req.url}: ${err.message}`, { url: req.url })));
      if (req.body !== undefined) outgoing.write(req.body);
      outgoing.end();
    });
}
