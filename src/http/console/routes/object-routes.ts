/** Collections and the object browser: everything read through the store's read engine with the viewer's clearance. */
import type express from 'express';
import { objectDetail, searchObjects } from '../../../browse/object-browser';
import { noteAudit } from '../../audit-trail';
import type { ConsoleContext } from '../console-context';
import { cl, h, query, send, sendNotFound, sessionOf } from '../console-http';
import { html } from '../html';
import { collectionsPage } from '../pages/collections';
import { detailPage, resultsTable, searchForm } from '../pages/objects';
import { page } from '../view';

export function objectRoutes(r: express.Router, { browse, now }: ConsoleContext): void {
  r.get(
    '/collections',
    h(async (_req, res) => {
      const v = cl(res).view;
      send(res, 200, page(v, v.t.collections, await collectionsPage(v, sessionOf(res), browse, now())));
    }),
  );

  r.get(
    '/objects',
    h(async (req, res) => {
      const v = cl(res).view;
      const q = query(req);
      const s = {
        value: (q.get('value') ?? '').slice(0, 4096),
        type: (q.get('type') ?? '').slice(0, 100),
        collection: (q.get('collection') ?? '').slice(0, 100),
        date: (q.get('date') ?? '').slice(0, 10),
      };
      const viewer = sessionOf(res);
      const date = /^\d{4}-\d{2}-\d{2}$/.test(s.date) ? Date.parse(`${s.date}T00:00:00Z`) : undefined;
      const asked = s.value !== '' || s.type !== '' || s.collection !== '' || date !== undefined;
      const result = asked
        ? await searchObjects(browse, viewer, {
            ...(s.value === '' ? {} : { value: s.value }),
            ...(s.type === '' ? {} : { type: s.type }),
            ...(s.collection === '' ? {} : { collection: s.collection }),
            ...(date === undefined || Number.isNaN(date) ? {} : { afterMs: date }),
          })
        : undefined;
      if (result) noteAudit(res, { ids: result.objects.map((o) => o.id), count: result.objects.length });
      send(res, 200, page(v, v.t.objects, html`${searchForm(v, viewer, browse, s)}${result ? resultsTable(v, result) : ''}`));
    }),
  );

  r.get(
    '/objects/:collection/:id',
    h(async (req, res) => {
      const v = cl(res).view;
      const d = await objectDetail(browse, sessionOf(res), String(req.params['collection']), String(req.params['id']));
      if (!d) {
        sendNotFound(res);
        return;
      }
      noteAudit(res, { ids: [d.id], count: 1, collection: d.collection.id });
      send(res, 200, page(v, d.id, detailPage(v, d)));
    }),
  );
}
