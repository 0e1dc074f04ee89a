/** The inquiries page and its actions (acknowledge, answer, close, …), decided by the inquiries use case. */
import type express from 'express';
import { InquiryError } from '../../../inquiries/inquiry-error';
import { INQUIRY_ACTIONS, type InquiryAction } from '../../../inquiries/state-machine';
import type { ConsoleContext } from '../console-context';
import { cl, field, h, query, send, sendNotFound, sessionOf } from '../console-http';
import { inquiriesPage } from '../pages/inquiries';
import { page } from '../view';

function isInquiryAction(s: string): s is InquiryAction {
  return (INQUIRY_ACTIONS as readonly string[]).includes(s);
}

export function inquiryRoutes(r: express.Router, { deps, now }: ConsoleContext): void {
  r.get(
    '/inquiries',
    h(async (req, res) => {
      const v = cl(res).view;
      const list = deps.inquiries ? await deps.inquiries.list(sessionOf(res), {}) : undefined;
      const problem = query(req).get('problem') ?? undefined;
      send(res, 200, page(v, v.t.inquiries, inquiriesPage(v, list, now(), problem?.slice(0, 300)), ['inquiries.js']));
    }),
  );

  // The use case decides whose turn it is; a refusal comes back to the page as a problem.
  r.post(
    '/inquiries/:id/:action',
    h(async (req, res) => {
      const v = cl(res).view;
      const action = String(req.params['action']);
      const service = deps.inquiries;
      if (!service || !isInquiryAction(action)) {
        sendNotFound(res);
        return;
      }
      const content = field(req, 'content').slice(0, 20_000);
      try {
        await service.act(sessionOf(res), String(req.params['id']), action, {
          lang: v.lang,
          translations: {},
          ...(content === '' ? {} : { content }),
        });
      } catch (err) {
        if (!(err instanceof InquiryError)) throw err;
        res.redirect(303, `/console/inquiries?problem=${encodeURIComponent(`${err.code}: ${err.message}`)}`);
        return;
      }
      res.redirect(303, '/console/inquiries');
    }),
  );
}
