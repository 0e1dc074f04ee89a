/**
 * Requests that Node's HTTP parser rejects before express sees them (header or URL too large, malformed
 * Content-Length, garbage on the socket) are answered by Node itself with an empty body. TAXII wants every
 * failure to be a TAXII error resource with the TAXII media type, so the server's `clientError` event writes
 * one instead and closes the connection. A request whose headers or body outlast the server's timeouts is
 * answered 408.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { TAXII_MEDIA_TYPE } from '../taxii/media-type';

interface ParserError extends Error {
  readonly code?: string;
}

interface ClientErrorAnswer {
  readonly status: number;
  readonly reason: string;
  readonly title: string;
  readonly description: string;
  readonly code: 'BAD_REQUEST' | 'REQUEST_TIMEOUT';
}

function answerFor(err: ParserError): ClientErrorAnswer {
  const unparsable = 'The request could not be parsed as HTTP.';
  // Node raises ERR_HTTP_REQUEST_TIMEOUT when headersTimeout or requestTimeout passes before the request is complete.
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return {
      status: 408,
      reason: 'Request Timeout',
      title: 'Request timeout',
      description: 'The request headers or body did not arrive in time.',
      code: 'REQUEST_TIMEOUT',
    };
  if (err.code === 'HPE_HEADER_OVERFLOW')
    return {
      status: 431,
      reason: 'Request Header Fields Too Large',
      title: 'Request header fields too large',
      description: unparsable,
      code: 'BAD_REQUEST',
    };
  return { status: 400, reason: 'Bad Request', title: 'Bad request', description: unparsable, code: 'BAD_REQUEST' };
}

/** The raw HTTP/1.1 answer for a request the parser refused. */
export function clientErrorResponse(err: ParserError, requestId: string = randomUUID()): string {
  const { status, reason, title, description, code } = answerFor(err);
  const body = JSON.stringify({
    title,
    description,
    error_id: requestId,
    error_code: code,
    http_status: String(status),
  });
  return (
    `HTTP/1.1 ${status} ${reason}\r\n` +
    `Content-Type: ${TAXII_MEDIA_TYPE}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    `X-Request-Id: ${requestId}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

/** Makes `server` answer parser-level failures with a TAXII error resource. Call once after creating it. */
export function installClientErrorHandler(server: Server): void {
  server.on('clientError', (err: ParserError, socket: Duplex) => {
    // A reset or timed-out socket cannot be answered; only a writable one gets the error resource.
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(err));
  });
}
