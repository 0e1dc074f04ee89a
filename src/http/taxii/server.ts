/** Server discovery (GET /taxii2/), API root (GET /{root}/) and collections (GET /{root}/collections/[id]/). */
import type { Request, Response } from 'express';
import { isVisible } from '../../auth/permissions';
import type { TaxiiDeps } from '../context';
import { principalOf } from '../locals';
import { TAXII_MEDIA_TYPE } from '../../taxii/media-type';
import { sendJson } from '../respond';
import { apiRootOf, collectionOf, collectionResource, requirePrincipal, param } from './lookup';

function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export function discovery(deps: TaxiiDeps) {
  return (req: Request, res: Response): void => {
    const s = deps.config.server;
    const body: Record<string, unknown> = { title: s.title };
    if (s.description !== undefined) body['description'] = s.description;
    if (s.contact !== undefined) body['contact'] = s.contact;
    const base = baseUrl(req);
    if (s.default_api_root !== undefined) body['default'] = `${base}/${s.default_api_root}/`;
    body['api_roots'] = deps.config.api_roots.map((r) => `${base}/${r.name}/`);
    sendJson(res, 200, body);
  };
}

export function apiRoot(deps: TaxiiDeps) {
  return (req: Request, res: Response): void => {
    const r = apiRootOf(deps.config, param(req, 'root'));
    const body: Record<string, unknown> = { title: r.title };
    if (r.description !== undefined) body['description'] = r.description;
    body['versions'] = [TAXII_MEDIA_TYPE];
    body['max_content_length'] = r.max_content_length;
    sendJson(res, 200, body);
  };
}

export function collections(deps: TaxiiDeps) {
  return (req: Request, res: Response): void => {
    const root = apiRootOf(deps.config, param(req, 'root'));
    const p = principalOf(res);
    const visible = p ? deps.config.collections.filter((c) => c.api_root === root.name && isVisible(p, c)) : [];
    sendJson(res, 200, visible.length > 0 && p ? { collections: visible.map((c) => collectionResource(c, p)) } : {});
  };
}

export function collection(deps: TaxiiDeps) {
  return (req: Request, res: Response): void => {
    const root = apiRootOf(deps.config, param(req, 'root'));
    const p = requirePrincipal(res);
    sendJson(res, 200, collectionResource(collectionOf(deps.config, root.name, param(req, 'collection'), p), p));
  };
}
