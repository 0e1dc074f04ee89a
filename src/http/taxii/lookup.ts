/** Finding API roots and collections named in a URL, with the visibility rules applied. */
import type { Response } from 'express';
import { canRead, canWrite, isVisible } from '../../auth/permissions';
import type { AuthenticatedPrincipal } from '../../auth/types';
import type { ApiRootConfig, CollectionConfig, GatewayConfig } from '../../config/types';
import { principalOf } from '../locals';
import { Errors } from '../errors';

export function apiRootOf(config: GatewayConfig, name: string): ApiRootConfig {
  const root = config.api_roots.find((r) => r.name === name);
  if (!root) throw Errors.notFound(`There is no API root "${name.slice(0, 100)}".`);
  return root;
}

export function requirePrincipal(res: Response): AuthenticatedPrincipal {
  const p = principalOf(res);
  if (!p) throw Errors.unauthorized();
  return p;
}

/**
 * The collection named by id or alias under an API root. A collection the principal can neither read nor
 * write is reported as missing (404), so its existence is not revealed.
 */
export function collectionOf(config: GatewayConfig, root: string, idOrAlias: string, p: AuthenticatedPrincipal): CollectionConfig {
  const c = config.collections.find((x) => x.api_root === root && (x.id === idOrAlias || x.alias === idOrAlias));
  if (!c || !isVisible(p, c)) throw Errors.notFound(`There is no collection "${idOrAlias.slice(0, 100)}" in this API root.`);
  return c;
}

export function requireRead(p: AuthenticatedPrincipal, c: CollectionConfig): void {
  if (!canRead(p, c)) throw Errors.forbidden(`Principal "${p.name}" may not read collection "${c.alias ?? c.id}".`);
}

export function requireWrite(p: AuthenticatedPrincipal, c: CollectionConfig): void {
  if (!canWrite(p, c)) throw Errors.forbidden(`Principal "${p.name}" may not write to collection "${c.alias ?? c.id}".`);
}

/** The collection resource as TAXII serves it, with can_read/can_write computed for the principal. */
export function collectionResource(c: CollectionConfig, p: AuthenticatedPrincipal): Record<string, unknown> {
  const r: Record<string, unknown> = { id: c.id, title: c.title };
  if (c.description !== undefined) r['description'] = c.description;
  if (c.alias !== undefined) r['alias'] = c.alias;
  r['can_read'] = canRead(p, c);
  r['can_write'] = canWrite(p, c);
  r['media_types'] = [...c.media_types];
  return r;
}

/** A route parameter (always present on the routes that use it). */
export function param(req: { params: Readonly<Record<string, unknown>> }, name: string): string {
  const v = req.params[name];
  if (typeof v !== 'string') throw Errors.notFound(`Missing ${name} in the URL.`);
  return v;
}
