import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { installClientErrorHandler } from '../../src/http/client-error';
import { TAXII } from './support';

/** Sends raw bytes and returns everything the server wrote before closing. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    const parts: Buffer[] = [];
    socket.on('data', (c: Buffer) => parts.push(c));
    socket.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('HTTP requests the parser refuses', () => {
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer({ maxHeaderSize: 8192 }, (_req, res) => res.end('ok'));
    installClientErrorHandler(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each([
    ['a malformed Content-Length', 'POST /exchange/ HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400],
    ['a request line that is not HTTP', 'HELLO\r\n\r\n', 400],
    ['headers beyond the size limit', `GET /${'a'.repeat(20000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
  ])('when a request has %s, then the answer is a TAXII error resource', async (_what, bytes, status) => {
    const answer = await rawExchange(port, bytes);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`);
    expect(head).toContain(`Content-Type: ${TAXII}`);
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(parsed['http_status']).toBe(String(status));
    expect(typeof parsed['error_id']).toBe('string');
  });
});

describe('HTTP requests that outlast the server timeouts', () => {
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer({ connectionsCheckingInterval: 100 }, (req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    installClientErrorHandler(server);
    server.headersTimeout = 600;
    server.requestTimeout = 1200;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Writes `head` at once, then `tail` one byte every 50 ms (at most 60 bytes), and returns what the server wrote. */
  function trickle(head: string, tail: string): Promise<string> {
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
      const parts: Buffer[] = [];
      let i = 0;
      const timer = setInterval(() => {
        if (i < Math.min(tail.length, 60) && socket.writable) socket.write(tail[i++] ?? '');
      }, 50);
      const done = (): void => {
        clearInterval(timer);
        resolve(Buffer.concat(parts).toString('utf8'));
      };
      socket.on('data', (c: Buffer) => parts.push(c));
      socket.on('close', done);
      socket.on('error', () => undefined);
    });
  }

  it.each([
    ['headers arrive slower than headersTimeout', '', 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(50) + '\r\n\r\n'],
    ['body arrives slower than requestTimeout', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 60\r\n\r\n', 'b'.repeat(60)],
  ])(
    "when a request's %s, then the answer is a TAXII 408 error resource",
    async (_what, head, tail) => {
      const answer = await trickle(head, tail);
      const [status = '', body = ''] = answer.split('\r\n\r\n');
      expect(status.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
      expect(status).toContain(`Content-Type: ${TAXII}`);
      const parsed = JSON.parse(body) as Record<string, unknown>;
      expect(parsed['http_status']).toBe('408');
      expect(parsed['error_code']).toBe('REQUEST_TIMEOUT');
    },
    10_000,
  );
});
