/** GET {root}/status/{id}/: only the principal that posted, or an admin, may read a status; others get 404. */
import type { Request, Response } from 'express';
import type { TaxiiDeps } from '../context';
import { Errors } from '../errors';
import { sendTaxii } from '../respond';
import { apiRootOf, param, requirePrincipal } from './lookup';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function getStatus(deps: TaxiiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const root = apiRootOf(deps.config, param(req, 'root'));
    const p = requirePrincipal(res);
    const id = param(req, 'status');
    const notFound = Errors.notFound(`There is no status "${id.slice(0, 100)}" for you in this API root.`);
    if (!UUID.test(id)) throw notFound;
    const found = await deps.statuses.getJson(id);
    if (!found || found.meta.apiRoot !== root.name || (found.meta.owner !== p.name && !p.admin)) throw notFound;
    sendTaxii(res, 200, found.json);
  };
}
