/**
 * GET /gateway/v1/indicators/lookup?value=… | ?pattern=… — "which CERTs reported this value": the
 * collections (that the caller may read) holding an indicator with this value in its pattern, or with this
 * exact canonical pattern.
 */
import type { Request, Response } from 'express';
import { canRead } from '../../auth/permissions';
import type { CollectionConfig } from '../../config/types';
import { hasErrors } from '../../stix/issues';
import { canonicalizePattern } from '../../stix/pattern';
import type { LookupEntry } from '../../store/lookup-index';
import type { TaxiiDeps } from '../context';
import { Errors } from '../errors';
import { requirePrincipal } from '../taxii/lookup';
import { canonicalLookupValue } from '../../browse/lookup-value';
import { noteAudit } from '../audit-trail';
import { readPolicyFor } from '../../policy/clearance';
import { LATEST_VERSION } from '../query';

/** The form a value takes inside a canonical pattern (shared with the console's object browser). */
export { canonicalLookupValue };

function single(req: Request, name: string): string | undefined {
  const q = req.originalUrl.indexOf('?');
  const params = new URLSearchParams(q < 0 ? '' : req.originalUrl.slice(q + 1));
  const all = params.getAll(name);
  if (all.length > 1) throw Errors.invalidFilter(name, 'given more than once');
  const v = all[0];
  if (v !== undefined && (v.length === 0 || v.length > 4096)) throw Errors.invalidFilter(name, 'must be 1 to 4096 characters');
  return v;
}

export function lookupIndicators(deps: TaxiiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const p = requirePrincipal(res);
    const value = single(req, 'value');
    const pattern = single(req, 'pattern');
    if ((value === undefined) === (pattern === undefined)) {
      throw Errors.badRequest('give exactly one of value=… (e.g. value=203.0.113.7) or pattern=… (a STIX pattern)');
    }
    let entries: LookupEntry[];
    let query: Record<string, string>;
    // Only collections the caller may read are asked at all.
    const readableIds = deps.config.collections.filter((c) => canRead(p, c)).map((c) => c.id);
    if (value !== undefined) {
      const canonical = canonicalLookupValue(value);
      query = { value, canonical_value: canonical };
      entries = await deps.lookup.byValue(readableIds, canonical);
    } else {
      const c = canonicalizePattern(pattern ?? '');
      if (c.value === undefined || hasErrors(c.issues)) {
        const first = c.issues.find((i) => i.severity === 'error');
        throw Errors.invalidFilter('pattern', first ? `${first.code}: ${first.message}` : 'not a STIX pattern');
      }
      query = { pattern: pattern ?? '', canonical_pattern: c.value };
      entries = await deps.lookup.byPattern(readableIds, c.value, deps.store);
    }
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const readable = entries
      .map((e) => ({ e, c: deps.config.collections.find((c) => c.id === e.collectionId) }))
      .filter((x) => x.c !== undefined && canRead(p, x.c));
    // Sharing policy: an indicator whose latest version the caller may not receive is not reported.
    const cleared = await Promise.all(readable.map((x) => (x.c === undefined ? false : mayReceive(deps, p.name, x.c, x.e.indicatorId))));
    const matches = readable
      .filter((_x, i) => cleared[i] === true)
      .map(({ e, c }) => ({
        collection: {
          id: e.collectionId,
          ...(c?.alias === undefined ? {} : { alias: c.alias }),
          title: c?.title,
          ...(c?.country === undefined ? {} : { country: c.country }),
          ...(c?.cert === undefined ? {} : { cert: c.cert }),
        },
        indicator_id: e.indicatorId,
        url: `${base}/${c?.api_root ?? ''}/collections/${e.collectionId}/objects/${e.indicatorId}/`,
      }))
      .sort((a, b) => (a.collection.id + a.indicator_id < b.collection.id + b.indicator_id ? -1 : 1));
    noteAudit(res, { ids: matches.map((m) => m.indicator_id), count: matches.length });
    res.status(200).json({ ...query, match_count: matches.length, matches });
  };
}

/** Whether a principal may receive the latest version of an object (TLP clearance and reader rules). */
async function mayReceive(deps: TaxiiDeps, principal: string, c: CollectionConfig, id: string): Promise<boolean> {
  const policy = readPolicyFor(deps.config, principal, c);
  return (await deps.store.selectVersions(c.id, id, LATEST_VERSION, {}, policy.maxTlpRank, policy.rules)).length > 0;
}
