/**
 * What every console route shares: the per-request locals (view, TLS), the query string, async handlers,
 * HTML answers, the signed-in principal, and the operator-only guard.
 */
import type { NextFunction, Request, Response } from 'express';
import type { AuthenticatedPrincipal } from '../../auth/types';
import { TaxiiError } from '../errors';
import { html } from './html';
import { type View, page } from './view';

export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

interface ConsoleLocals {
  view: View;
  secure: boolean;
}

export function cl(res: Response): ConsoleLocals {
  return res.locals as ConsoleLocals & Record<string, unknown>;
}

/** The query string (a query over 4 KiB is ignored). */
export function query(req: Request): URLSearchParams {
  const q = req.originalUrl.indexOf('?');
  const search = q < 0 ? '' : req.originalUrl.slice(q + 1);
  return new URLSearchParams(search.length > 4096 ? '' : search);
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A form field of a parsed urlencoded body ('' when absent). */
export function field(req: Request, name: string): string {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null ? str((body as Record<string, unknown>)[name]) : '';
}

export type Handler = (req: Request, res: Response, next: NextFunction) => Promise<void> | void;

/** Runs an async handler, passing a rejection to the error handler. */
export function h(fn: Handler): Handler {
  return (req, res, next) => {
    Promise.resolve(fn(req, res, next)).catch(next);
  };
}

export function send(res: Response, status: number, body: string): void {
  res.status(status).type('text/html; charset=utf-8').send(body);
}

/** An error page: the message in an alert. */
export function sendProblem(res: Response, status: number, message: string): void {
  const v = cl(res).view;
  send(res, status, page(v, v.t.error, html`<p class="error" role="alert">${message}</p>`));
}

export function sendNotFound(res: Response): void {
  const v = cl(res).view;
  send(res, 404, page(v, v.t.not_found, html`<p>${v.t.not_found}</p>`));
}

/** The signed-in principal (every route below the session check has one). */
export function sessionOf(res: Response): AuthenticatedPrincipal {
  const s = cl(res).view.session;
  if (!s) throw new TaxiiError(401, 'UNAUTHORIZED', 'Unauthorized', 'Sign in first.');
  return s.principal;
}

/** Operators only (the audit trail, the configuration). */
export const adminOnly: Handler = (_req, res, next) => {
  if (cl(res).view.session?.principal.admin) {
    next();
    return;
  }
  sendProblem(res, 403, cl(res).view.t.forbidden);
};
