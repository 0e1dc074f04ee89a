/**
 * The TAXII 2.1 express application: routes of every endpoint, content negotiation, authentication and the
 * TAXII error handler. Sockets and listening belong to src/main/.
 */
import express, { type Request } from 'express';
import type { TaxiiDeps } from './context';
import { Errors } from './errors';
import { authenticate, chain, collectionIdCase, errorHandler, negotiate, requestContext, type Handler } from './middleware';
import { addObjects } from './taxii/add-objects';
import { deleteObject, getManifest, getObject, getObjects, getVersions } from './taxii/objects';
import { apiRoot, collection, collections, discovery } from './taxii/server';
import { getStatus } from './taxii/status';
import { lookupIndicators } from './gateway/lookup';
import { readAudit } from './audit';
import { auditTrail } from './audit-trail';
import { rateLimit } from './rate-limit';
import { readPolicyFor } from '../policy/clearance';
import { importExportRouter } from './gateway/import-export';
import { getOriginal } from './gateway/original';
import { inquiriesRouter } from './inquiries';
import { consoleAssets, consoleRouter } from './console/console-router';

/** The four collection reads the lean route (src/http/lean-reads.ts) also serves, by their express route pattern. */
export const READ_ROUTES = {
  manifest: '/:root/collections/:collection/manifest/',
  objects: '/:root/collections/:collection/objects/',
  object: '/:root/collections/:collection/objects/:object/',
  versions: '/:root/collections/:collection/objects/:object/versions/',
} as const;

export type ReadRoute = keyof typeof READ_ROUTES;

/**
 * The middleware and read handlers the express app and the lean reads share, one instance of each (so both
 * count in the same rate-limit leases and audit the same way).
 */
export interface SharedHandlers {
  /** Before anything else, in order: request id and security headers, the collection id's case. */
  readonly context: readonly Handler[];
  /** The audit hook, after the console's static assets (absent without an audit trail). */
  readonly audit: readonly Handler[];
  /** Authentication, then the rate limit. */
  readonly authRequired: Handler;
  readonly authForDiscovery: Handler;
  readonly reads: Readonly<Record<ReadRoute, Handler>>;
  readonly onError: ReturnType<typeof errorHandler>;
}

export function sharedHandlers(deps: TaxiiDeps): SharedHandlers {
  // Rate limits count per principal, so they run right after authentication (not at all when no principal
  // has a limit: the configuration does not change while the process runs).
  const limits: Handler[] = deps.rateLimiter?.active ? [rateLimit(deps.rateLimiter)] : [];
  return {
    context: [requestContext, collectionIdCase(deps.config.collections.map((c) => c.id))],
    audit: deps.audit ? [auditTrail(deps.audit, deps.config, deps.log)] : [],
    authRequired: chain(authenticate(deps, false), ...limits),
    authForDiscovery: chain(authenticate(deps, deps.config.server.public_discovery), ...limits),
    reads: { manifest: getManifest(deps), objects: getObjects(deps), object: getObject(deps), versions: getVersions(deps) },
    onError: errorHandler(deps),
  };
}

export function createTaxiiApp(deps: TaxiiDeps, shared: SharedHandlers = sharedHandlers(deps)): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', false);
  for (const h of shared.context) app.use(h);
  if (deps.console) app.use('/console/assets', consoleAssets());
  for (const h of shared.audit) app.use(h);

  const { authRequired, authForDiscovery, reads } = shared;
  const taxii = express.Router({ strict: false, caseSensitive: true });
  taxii.use(negotiate);

  /** Registers the methods of one path; any other method gets 405 with Allow. */
  const route = (path: string, methods: Partial<Record<'get' | 'post' | 'delete', Handler>>, auth: Handler): void => {
    const r = taxii.route(path);
    const allowed = Object.keys(methods).map((m) => m.toUpperCase());
    if (methods.get) r.get(auth, methods.get);
    if (methods.post) r.post(auth, methods.post);
    if (methods.delete) r.delete(auth, methods.delete);
    r.all((req: Request) => {
      throw Errors.methodNotAllowed(req.method, allowed);
    });
  };

  route('/taxii2/', { get: discovery(deps) }, authForDiscovery);
  route('/:root/', { get: apiRoot(deps) }, authForDiscovery);
  route('/:root/status/:status/', { get: getStatus(deps) }, authRequired);
  route('/:root/collections/', { get: collections(deps) }, authRequired);
  route('/:root/collections/:collection/', { get: collection(deps) }, authRequired);
  route(READ_ROUTES.manifest, { get: reads.manifest }, authRequired);
  route(READ_ROUTES.objects, { get: reads.objects, post: addObjects(deps) }, authRequired);
  route(READ_ROUTES.object, { get: reads.object, delete: deleteObject(deps) }, authRequired);
  route(READ_ROUTES.versions, { get: reads.versions }, authRequired);

  // Gateway endpoints outside the TAXII tree: same authentication and permissions, plain JSON answers.
  const gateway = express.Router({ strict: false, caseSensitive: true });
  gateway.get('/indicators/lookup', authRequired, lookupIndicators(deps));
  if (deps.audit) gateway.get('/audit', authRequired, readAudit(deps.audit));
  gateway.use(
    '/collections',
    importExportRouter(deps, authRequired, (p, c) => readPolicyFor(deps.config, p.name, c)),
  );
  gateway.get('/collections/:collection/objects/:object/original', authRequired, getOriginal(deps));
  if (deps.inquiries) gateway.use('/inquiries', inquiriesRouter(deps.inquiries, authRequired));
  app.use('/gateway/v1', gateway);
  if (deps.console) app.use('/console', consoleRouter(deps, deps.console));
  app.use(taxii);
  app.use((req: Request) => {
    throw Errors.notFound(`No TAXII resource at ${req.path.slice(0, 200)}.`);
  });
  app.use(shared.onError);
  return app;
}
