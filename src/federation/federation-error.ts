/**
 * Faults of the federation client: each names the URL involved and says whether trying again can help
 * (network errors, timeouts, 429 and 5xx can; a 401 or a malformed response cannot).
 */

export type FederationErrorCode =
  /** Connection refused or reset, DNS failure, TLS failure. */
  | 'NETWORK'
  /** No connection within the connect timeout, or no complete response within the overall timeout. */
  | 'TIMEOUT'
  /** A non-2xx answer (the HTTP status is in `httpStatus`). */
  | 'HTTP_STATUS'
  /** A 2xx answer whose media type, JSON or shape is not what TAXII 2.1 describes. */
  | 'BAD_RESPONSE'
  /** The response is larger than the client accepts. */
  | 'RESPONSE_TOO_LARGE'
  /** A secret (environment variable or file) could not be read. */
  | 'AUTH_CONFIG'
  /** The remote cannot be paged without losing or repeating objects (e.g. a tie larger than a page, no `next`). */
  | 'CANNOT_PAGE'
  /** A remote status stayed pending longer than the configured wait. */
  | 'STATUS_TIMEOUT';

export class FederationError extends Error {
  override readonly name = 'FederationError';

  constructor(
    readonly code: FederationErrorCode,
    message: string,
    readonly opts: {
      readonly url?: string;
      readonly httpStatus?: number;
      readonly retryable?: boolean;
      readonly retryAfterMs?: number;
    } = {},
  ) {
    super(message);
  }

  /** True when the same request may succeed later. */
  get retryable(): boolean {
    return this.opts.retryable ?? (this.code === 'NETWORK' || this.code === 'TIMEOUT');
  }
}
