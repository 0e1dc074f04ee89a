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
import { type AuditNote, noteAudit } from './audit-trail';
import type { AuthenticatedPrincipal } from '../auth/types';
import { InquiryError } from '../inquiries/inquiry-error';
import type { InquiryDetail, InquiryService, ListFilters } from '../inquiries/inquiry-service';
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

/** What a route answers: its JSON body and what the audit trail notes of the request. */
interface Answer {
  readonly body: unknown;
  readonly audit: AuditNote;
}

/**
 * A route: `work` gets the authenticated principal and the request; its answer goes out as JSON with `status`
 * and into the audit trail. Inquiry refusals become TAXII errors, anything else goes to the error handler as is.
 */
function answer(status: number, work: (p: AuthenticatedPrincipal, req: Request, res: Response) => Promise<Answer>): Handler {
  return (req, res, next) =>
    (async () => {
      const { body, audit } = await work(requirePrincipal(res), req, res);
      noteAudit(res, audit);
      res.status(status).json(body);
    })().catch((err: unknown) => {
      next(err instanceof InquiryError ? toTaxiiError(err) : err);
    });
}

/** A thread's answer, noted with the ids of its objects. */
function threadAnswer(detail: InquiryDetail): Answer {
  return { body: detail, audit: { ids: detail.objects.map((o) => String(o['id'])), collection: detail.collection } };
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
    answer(201, async (p, req, res) => threadAnswer(await service.open(p, parseOpenRequest(await jsonBody(req, res, false))))),
  );
  r.get(
    '/',
    auth,
    answer(200, async (p, req) => {
      const inquiries = await service.list(p, listFilters(req));
      return { body: { inquiries }, audit: { ids: inquiries.map((i) => i.id) } };
    }),
  );
  r.get(
    '/:id',
    auth,
    answer(200, async (p, req) => threadAnswer(await service.show(p, idParam(req)))),
  );
  r.post(
    '/:id/:action',
    auth,
    answer(200, async (p, req, res) => {
      const action = req.params['action'];
      if (!isInquiryAction(action)) throw Errors.notFound(`No inquiry action "${String(action).slice(0, 40)}".`);
      const detail = await service.act(p, idParam(req), action, parseTransitionRequest(await jsonBody(req, res, true)));
      const latest = detail.messages[detail.messages.length - 1];
      return { body: detail, audit: { ids: [detail.id, ...(latest === undefined ? [] : [latest.id])], collection: detail.collection } };
    }),
  );
  return r;
}
