/**
 * GET /gateway/v1/collections/{id-or-alias}/objects/{object-id}/original[?version=…] — the object as it was
 * posted, before normalization changed it (404 when normalization changed nothing: the stored object is the
 * original). Lets an operator see exactly what the worker rewrote; the status success message says why.
 */
import type { Request, Response } from 'express';
import { parseStixId } from '../../stix/identifiers';
import { parseTimestamp } from '../../stix/time';
import type { TaxiiDeps } from '../context';
import { Errors } from '../errors';
import { collectionOf, param, requirePrincipal, requireRead } from '../taxii/lookup';
import { readPolicyFor } from '../../policy/clearance';

export function getOriginal(deps: TaxiiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const p = requirePrincipal(res);
    const idOrAlias = param(req, 'collection');
    const c = deps.config.collections.find((x) => x.id === idOrAlias || x.alias === idOrAlias);
    if (!c) throw Errors.notFound(`There is no collection "${idOrAlias.slice(0, 100)}".`);
    collectionOf(deps.config, c.api_root, idOrAlias, p);
    requireRead(p, c);
    const id = param(req, 'object');
    if (!parseStixId(id)) throw Errors.notFound(`"${id.slice(0, 100)}" is not a STIX identifier.`);
    const q = req.originalUrl.indexOf('?');
    const version = new URLSearchParams(q < 0 ? '' : req.originalUrl.slice(q + 1)).get('version');
    const ts = version === null ? undefined : parseTimestamp(version);
    if (version !== null && !ts) throw Errors.invalidFilter('version', 'not an RFC 3339 UTC timestamp');
    const selector = ts ? { all: false, first: false, last: false, exact: [ts.micros] } : { all: false, first: false, last: true, exact: [] };
    const policy = readPolicyFor(deps.config, p.name, c);
    const [record] = await deps.store.selectVersions(c.id, id, selector, [], policy.maxTlpRank, policy.rules);
    if (!record) throw Errors.notFound(`No object ${id}${version === null ? '' : ` version ${version}`} in this collection.`);
    const original = await deps.store.original(c.id, record.dateAdded);
    if (original === undefined) throw Errors.notFound(`${id} version ${record.version} was stored as posted: normalization changed nothing.`);
    res.status(200).type('application/json').send(original);
  };
}
