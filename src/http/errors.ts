/**
 * Protocol errors (docs/architecture.md): one TaxiiError type built from a catalogue of named factories. The express
 * error handler renders every non-2xx answer as a TAXII error resource with the TAXII media type.
 */
import { WWW_AUTHENTICATE } from '../auth/authenticator';
import type { OutcomeCodeOf } from '../common/outcome-codes';

/** The `error_code` of a TAXII error resource: the protocol codes of src/common/outcome-codes.ts. */
export type TaxiiErrorCode = OutcomeCodeOf<'protocol'>;

export class TaxiiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: TaxiiErrorCode,
    readonly title: string,
    readonly description: string,
    readonly details?: Readonly<Record<string, unknown>>,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(`${code}: ${description}`);
    this.name = 'TaxiiError';
  }
}

/** The catalogue: every protocol error the server produces. */
export const Errors = {
  badRequest: (description: string, details?: Record<string, unknown>) =>
    new TaxiiError(400, 'BAD_REQUEST', 'Bad request', description, details),
  invalidFilter: (parameter: string, why: string) =>
    new TaxiiError(400, 'INVALID_FILTER', 'Invalid filter', `${parameter}: ${why}`, { parameter }),
  invalidNext: (why: string) => new TaxiiError(400, 'INVALID_NEXT', 'Invalid next token', why, { parameter: 'next' }),
  invalidJson: (why: string) => new TaxiiError(400, 'INVALID_JSON', 'Request body is not valid JSON', why),
  notAnEnvelope: (why: string) => new TaxiiError(422, 'NOT_AN_ENVELOPE', 'Request body is not a TAXII envelope', why),
  unauthorized: (why = 'Authentication is required: use HTTP Basic or a bearer token.') =>
    new TaxiiError(401, 'UNAUTHORIZED', 'Unauthorized', why, undefined, {
      'WWW-Authenticate': WWW_AUTHENTICATE,
    }),
  forbidden: (why: string) => new TaxiiError(403, 'FORBIDDEN', 'Forbidden', why),
  notFound: (what: string) => new TaxiiError(404, 'NOT_FOUND', 'Not found', what),
  methodNotAllowed: (method: string, allowed: readonly string[]) =>
    new TaxiiError(
      405,
      'METHOD_NOT_ALLOWED',
      'Method not allowed',
      `${method} is not supported here; use ${allowed.join(', ')}.`,
      undefined,
      {
        Allow: allowed.join(', '),
      },
    ),
  notAcceptable: (accept: string) =>
    new TaxiiError(
      406,
      'NOT_ACCEPTABLE',
      'Not acceptable',
      `This server answers with application/taxii+json;version=2.1, which the Accept header "${accept.slice(0, 200)}" does not allow.`,
    ),
  payloadTooLarge: (limit: number) =>
    new TaxiiError(413, 'PAYLOAD_TOO_LARGE', 'Payload too large', `The request body exceeds max_content_length (${limit} bytes).`, {
      max_content_length: limit,
    }),
  unsupportedMediaType: (contentType: string | undefined) =>
    new TaxiiError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Unsupported media type',
      `Content-Type must be application/taxii+json;version=2.1, not "${(contentType ?? '(none)').slice(0, 200)}".`,
    ),
  tooManyRequests: (retryAfterSeconds: number) =>
    new TaxiiError(429, 'TOO_MANY_REQUESTS', 'Too many requests', `Retry after ${retryAfterSeconds} s.`, undefined, {
      'Retry-After': String(retryAfterSeconds),
    }),
  unavailable: (why: string) => new TaxiiError(503, 'SERVICE_UNAVAILABLE', 'Service unavailable', why, undefined, { 'Retry-After': '5' }),
  internal: () =>
    new TaxiiError(500, 'INTERNAL', 'Internal server error', 'The server failed to answer this request; the incident is logged.'),
} as const;
