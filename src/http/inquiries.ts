/**
 * /gateway/v1/inquiries: formal inquiries between authorities (src/inquiries/). Routes parse the request, call
 * the use case and answer with JSON; every refusal is a TAXII error resource whose `details.code` names the
 * inquiry outcome code (src/inquiries/inquiry-error.ts).
 *
 *   POST /gateway/v1/inquiries                        open (201)
 *   GET  /gateway/v1/inquiries[?state=&urgency=&overdue=true|false]
 *   GET  /gateway/v1/inquiries/{id}                   the thread: summary, messages, signed STIX objects
 *   POST /gateway/v1/inquiries/{id}/{action}          acknowledge | answer | request-clarification | clarify | close | withdraw
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { noteAudit } from './audit-trail';
import { InquiryError } from '../inquiries/inquiry-error';
import type { InquiryService, ListFilters } from '../inquiries/inquiry-service';
import { isUrgency } from '../inquiries/model';
import { parseOpenRequest, parseTransitionRequest } from '../inquiries/requests';
import { isInquiryAction, isInquiryState } from '../inquiries/state-machine';
import { readBody } from './body';
import { Errors, TaxiiError } from './errors';
import { requirePrincipal } from './taxii/lookup';

/** Largest request body (an inquiry's text and translations fit well within it). */
const MAX_BODY_BYTES = 1024 * 1024;

type Handler = (req: Request, res: Response, next: NextFunction) => unknown;

const TITLES: Readonly<Record<number, [TaxiiError['code'], string]>> = {
  400: ['BAD_REQUEST', 'Bad request'],
  403: ['FORBIDDEN', 'Forbidden'],
  404: ['NOT_FOUND', 'Not found'],
  409: ['CONFLICT', 'Conflict'],
  422: ['UNPROCESSABLE', 'Unprocessable request'],
};

function toTaxiiError(e: InquiryError): TaxiiError {
  const [code, title] = TITLES[e.httpStatus] ?? ['BAD_REQUEST', 'Bad request'];
  return new TaxiiError(e.httpStatus, code, title, e.message, { code: e.code, ...(e.field === undefined ? {} : { field: e.field }) });
}

/** Runs a handler; inquiry refusals become TAXII errors, anything else goes to the error handler as is. */
function handle(fn: (req: Request, res: Response) => Promise<void>): Handler {
  return (req, res, next) =>
    fn(req, res).catch((err: unknown) => {
      next(err instanceof InquiryError ? toTaxiiError(err) : err);
    });
}

async function jsonBody(req: Request, res: Response, optional: boolean): Promise<unknown> {
  const raw = await readBody(req, res, MAX_BODY_BYTES);
  if (raw.length === 0 && optional) return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw Errors.unsupportedMediaType(req.headers['content-type']);
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (err) {
    throw Errors.invalidJson(err instanceof Error ? err.message : 'not JSON');
  }
}

function query(req: Request): URLSearchParams {
  const q = req.originalUrl.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : req.originalUrl.slice(q + 1));
}

function listFilters(req: Request): ListFilters {
  const q = query(req);
  for (const k of q.keys())
    if (!['state', 'urgency', 'overdue'].includes(k))
      throw Errors.invalidFilter(k.slice(0, 40), 'unknown filter (use state, urgency, overdue)');
  const state = q.get('state');
  const urgency = q.get('urgency');
  const late = q.get('overdue');
  if (state !== null && !isInquiryState(state)) throw Errors.invalidFilter('state', 'not an inquiry state');
  if (urgency !== null && !isUrgency(urgency)) throw Errors.invalidFilter('urgency', 'must be routine, priority or urgent');
  if (late !== null && late !== 'true' && late !== 'false') throw Errors.invalidFilter('overdue', 'must be true or false');
  return {
    ...(state === null ? {} : { state }),
    ...(urgency === null ? {} : { urgency }),
    ...(late === null ? {} : { overdue: late === 'true' }),
  };
}

function idParam(req: Request): string {
  const v = req.params['id'];
  return typeof v === 'string' ? v : '';
}

export function inquiriesRouter(service: InquiryService, auth: Handler): express.Router {
  const r = express.Router({ strict: false, caseSensitive: true });
  r.post(
    '/',
    auth,
    handle(async (req, res) => {
      const p = requirePrincipal(res);
      const detail = await service.open(p, parseOpenRequest(await jsonBody(req, res, false)));
      noteAudit(res, { ids: detail.objects.map((o) => String(o['id'])), collection: detail.collection });
      res.status(201).json(detail);
    }),
  );
  r.get(
    '/',
    auth,
    handle(async (req, res) => {
      const p = requirePrincipal(res);
      const inquiries = await service.list(p, listFilters(req));
      noteAudit(res, { ids: inquiries.map((i) => i.id) });
      res.status(200).json({ inquiries });
    }),
  );
  r.get(
    '/:id',
    auth,
    handle(async (req, res) => {
      const p = requirePrincipal(res);
      const detail = await service.show(p, idParam(req));
      noteAudit(res, { ids: detail.objects.map((o) => String(o['id'])), collection: detail.collection });
      res.status(200).json(detail);
    }),
  );
  r.post(
    '/:id/:action',
    auth,
    handle(async (req, res) => {
      const p = requirePrincipal(res);
      const action = req.params['action'];
      if (!isInquiryAction(action)) throw Errors.notFound(`No inquiry action "${String(action).slice(0, 40)}".`);
      const detail = await service.act(p, idParam(req), action, parseTransitionRequest(await jsonBody(req, res, true)));
      const latest = detail.messages[detail.messages.length - 1];
      noteAudit(res, { ids: [detail.id, ...(latest === undefined ? [] : [latest.id])], collection: detail.collection });
      res.status(200).json(detail);
    }),
  );
  return r;
}
