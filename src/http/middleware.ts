/** Cross-cutting request handling: request ids, API security headers, content negotiation, authentication, errors. */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { TaxiiDeps } from './context';
import { locals } from './locals';
import { Errors, TaxiiError } from './errors';
import { acceptsTaxii21 } from '../taxii/media-type';
import { sendJson } from './respond';
import { loginAccount } from '../auth/authenticator';

export type Handler = (req: Request, res: Response, next: NextFunction) => unknown;

/**
 * Runs handlers in order as one; a rejected promise or throw goes to the error handler. Only a handler that
 * returns a promise gets a rejection handler (the synchronous middleware allocate none per request).
 */
export function chain(...handlers: Handler[]): Handler {
  return (req, res, next) => {
    const step = (i: number): void => {
      const h = handlers[i];
      if (!h) {
        next();
        return;
      }
      try {
        const r: unknown = h(req, res, (err?: unknown) => (err === undefined ? step(i + 1) : next(err)));
        if (r instanceof Promise) r.catch(next);
      } catch (err) {
        next(err);
      }
    };
    step(0);
  };
}

export function requestContext(req: Request, res: Response, next: NextFunction): void {
  const id = randomUUID();
  locals(res).requestId = id;
  res.setHeader('X-Request-Id', id);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
  next();
}

const COLLECTION_SEGMENT = /(\/collections\/)([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})(?=\/|$|\?)/;

/**
 * Collection ids are UUIDs, and UUIDs compare case-insensitively (RFC 9562 §4): a collection id in the path
 * written in another case than collections.yaml's is rewritten to the configured spelling before routing,
 * for the TAXII tree and /gateway/v1 alike. Aliases stay case-sensitive (they are names, not UUIDs).
 */
export function collectionIdCase(ids: readonly string[]) {
  const byLower = new Map(ids.map((id) => [id.toLowerCase(), id]));
  return (req: Request, _res: Response, next: NextFunction): void => {
    const m = COLLECTION_SEGMENT.exec(req.url);
    const given = m?.[2];
    if (m !== null && given !== undefined) {
      const configured = byLower.get(given.toLowerCase());
      if (configured !== undefined && configured !== given) {
        req.url = req.url.slice(0, m.index) + (m[1] ?? '') + configured + req.url.slice(m.index + m[0].length);
      }
    }
    next();
  };
}

/** acceptsTaxii21 by Accept header value: clients send the same few values on every request. */
const acceptVerdicts = new Map<string, boolean>();
const MAX_ACCEPT_VERDICTS = 256;
const MAX_CACHED_ACCEPT_LENGTH = 512;

function acceptable(accept: string | undefined): boolean {
  if (accept === undefined || accept.length > MAX_CACHED_ACCEPT_LENGTH) return acceptsTaxii21(accept);
  let verdict = acceptVerdicts.get(accept);
  if (verdict === undefined) {
    verdict = acceptsTaxii21(accept);
    if (acceptVerdicts.size >= MAX_ACCEPT_VERDICTS) acceptVerdicts.clear();
    acceptVerdicts.set(accept, verdict);
  }
  return verdict;
}

/** 406 unless the Accept header admits application/taxii+json;version=2.1. */
export function negotiate(req: Request, _res: Response, next: NextFunction): void {
  const accept = req.headers.accept;
  if (!acceptable(accept)) throw Errors.notAcceptable(accept ?? '');
  next();
}

/** Authenticates every request; `optional` lets anonymous requests through (public discovery). */
export function authenticate(deps: TaxiiDeps, optional: boolean) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization;
    if (header === undefined && optional) {
      next();
      return;
    }
    const address = req.ip ?? req.socket.remoteAddress ?? '';
    const wait = deps.failedLogins?.retryAfterSeconds(address, () => loginAccount(header)) ?? 0;
    if (wait > 0) throw Errors.tooManyRequests(wait);
    const outcome = deps.authenticateRequest ? await deps.authenticateRequest(req) : await deps.authenticate(header);
    if (!outcome.ok) {
      if (outcome.reason !== 'missing') deps.failedLogins?.failed(address, loginAccount(header));
      throw Errors.unauthorized(
        outcome.reason === 'missing'
          ? 'Authentication is required: use HTTP Basic or a bearer token.'
          : 'The credentials were not accepted.',
      );
    }
    locals(res).principal = outcome.principal;
    next();
  };
}

/** Renders every error as a TAXII error resource; unknown errors become a 500 whose detail is only logged. */
export function errorHandler(deps: TaxiiDeps) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const requestId = locals(res).requestId ?? randomUUID();
    let e: TaxiiError;
    if (err instanceof TaxiiError) e = err;
    else if (isHttpError(err) && err.status === 413) e = Errors.payloadTooLarge(Number(err.limit ?? 0));
    else if (isHttpError(err) && err.status >= 400 && err.status < 500) e = Errors.badRequest('The request could not be read.');
    else if (isRedisDown(err)) {
      deps.log.error({ err: describe(err), requestId, path: req.path }, 'redis unavailable');
      e = Errors.unavailable('The data store is unavailable; retry shortly.');
    } else {
      deps.log.error({ err: describe(err), requestId, method: req.method, path: req.path }, 'unhandled error');
      e = Errors.internal();
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (e.headers) for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
    const body: Record<string, unknown> = {
      title: e.title,
      description: e.description,
      error_id: requestId,
      error_code: e.code,
      http_status: String(e.httpStatus),
    };
    if (e.details) body['details'] = e.details;
    sendJson(res, e.httpStatus, body);
  };
}

interface HttpErrorLike {
  status: number;
  limit?: number;
}

function isHttpError(err: unknown): err is HttpErrorLike {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}

function isRedisDown(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|ECONNREFUSED|Stream isn't writeable|enableOfflineQueue/.test(err.message)
  );
}

function describe(err: unknown): Record<string, unknown> {
  return err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : { value: String(err) };
}
