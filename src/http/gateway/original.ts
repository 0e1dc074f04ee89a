/**
 * GET /gateway/v1/collections/{id-or-alias}/objects/{object-id}/original[?version=…] — the object as it was
 * posted, before normalization changed it. When normalization changed nothing, the stored object is the
 * original: it is answered (200) with `X-Gateway-Original: identical`; a rewritten one carries
 * `X-Gateway-Original: as-posted`. Lets an operator see exactly what the worker rewrote; the status success
 * message says why.
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
    const selector = ts
      ? { all: false, first: false, last: false, exact: [ts.micros] }
      : { all: false, first: false, last: true, exact: [] };
    const policy = readPolicyFor(deps.config, p.name, c);
    const [record] = await deps.store.selectVersions(c.id, id, selector, {}, policy.maxTlpRank, policy.rules);
    if (!record) throw Errors.notFound(`No object ${id}${version === null ? '' : ` version ${version}`} in this collection.`);
    const original = await deps.store.original(c.id, record.dateAdded);
    const stored = original ?? (await storedJson(deps, c.id, id, record.dateAdded, policy));
    res.setHeader('X-Gateway-Original', original === undefined ? 'identical' : 'as-posted');
    res.status(200).type('application/json').send(stored);
  };
}

/** The stored JSON of one record (selectVersions reads headers only), under the same reader policy. */
async function storedJson(
  deps: TaxiiDeps,
  collectionId: string,
  id: string,
  dateAdded: number,
  policy: ReturnType<typeof readPolicyFor>,
): Promise<string> {
  const versions = { all: true, first: false, last: false, exact: [] };
  const query = {
    after: dateAdded - 1,
    limit: 1,
    types: [],
    ids: [id],
    versions,
    maxTlpRank: policy.maxTlpRank,
    rules: policy.rules,
  };
  const [record] = (await deps.store.read(collectionId, query, true)).records;
  const json = record?.dateAdded === dateAdded ? record.json : undefined;
  if (json === undefined) throw Errors.notFound(`No object ${id} in this collection.`);
  return json;
}
