/** The imports page, the upload (the import endpoint itself) and the status it follows. */
import type express from 'express';
import { importNative } from '../../gateway/import-export';
import type { ConsoleContext } from '../console-context';
import { cl, h, send, sessionOf } from '../console-http';
import { importsPage } from '../pages/imports';
import { page } from '../view';

export function importRoutes(r: express.Router, { deps }: ConsoleContext): void {
  r.get('/imports', (_req, res) => {
    const v = cl(res).view;
    send(res, 200, page(v, v.t.imports, importsPage(v, sessionOf(res), deps.config), ['import.js']));
  });

  // The upload: the import endpoint itself (same checks, same pipeline), behind the session and its CSRF token.
  r.post('/api/import/:collection', h(importNative(deps)));

  r.get(
    '/api/status/:id',
    h(async (req, res) => {
      const p = sessionOf(res);
      const id = String(req.params['id']);
      const found = /^[0-9a-f-]{36}$/.test(id) ? await deps.statuses.get(id) : undefined;
      if (!found || (found.meta.owner !== p.name && !p.admin)) {
        res.status(404).json({ error: 'NOT_FOUND', message: 'No such status for you.' });
        return;
      }
      res.status(200).json(found.resource);
    }),
  );
}
