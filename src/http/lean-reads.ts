/**
 * The lean route of the four collection reads — Get Objects, Get Object Manifests, Get an Object and Get Object
 * Versions — taken in the node:http request listener, before express.
 *
 * A GET or HEAD of exactly these paths runs the express app's own middleware and handler instances
 * (`sharedHandlers`, src/http/app.ts), in the same order: request context and security headers, the collection id's case, the audit hook, content
 * negotiation, authentication, the rate limit, the handler, and errors rendered by the TAXII error handler. What
 * it leaves out is the express router's work per request: matching every mounted layer and route in turn.
 * It also leaves on the request what express would: `originalUrl`, `baseUrl`, `params` and, once the route is
 * reached, `route.path` (the metrics label of src/http/health.ts).
 *
 * Anything else goes to express unchanged: other paths and methods, paths with percent-escapes (express
 * decodes them), empty segments, and API roots named like the console or gateway mounts.
 * test/api/lean-reads.test.ts runs the same requests through both and compares them byte for byte.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Express, NextFunction, Request, Response } from 'express';
import { READ_ROUTES, type ReadRoute, type SharedHandlers } from './app';
import { chain, negotiate, type Handler } from './middleware';
import { Errors } from './errors';

/** `/{root}/collections/{collection}/(manifest|objects[/{object}[/versions]])[/]`, then the query or the end. */
const READ_PATH = /^\/([^/?#%]+)\/collections\/([^/?#%]+)\/(?:(manifest)|objects(?:\/([^/?#%]+)(\/versions)?)?)\/?(?=\?|$)/;

/** Roots whose paths express mounts elsewhere (mount paths match case-insensitively). */
const OTHER_MOUNTS = new Set(['console', 'gateway']);

/** The read route of a request URL, or undefined when express should serve it. */
export function leanReadRoute(method: string | undefined, url: string): ReadRoute | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  const m = READ_PATH.exec(url);
  if (m === null || OTHER_MOUNTS.has((m[1] ?? '').toLowerCase())) return undefined;
  if (m[3] !== undefined) return 'manifest';
  if (m[4] === undefined) return 'objects';
  return m[5] === undefined ? 'object' : 'versions';
}

/** Sets what the express router would once the route matched: params (from the rewritten URL) and the route. */
function routeStep(route: ReadRoute): Handler {
  const path = READ_ROUTES[route];
  return (req: Request, _res: Response, next: NextFunction): void => {
    const m = READ_PATH.exec(req.url);
    const params: Record<string, string> = { root: m?.[1] ?? '', collection: m?.[2] ?? '' };
    if (m?.[4] !== undefined) params['object'] = m[4];
    req.params = params;
    req.route = { path };
    next();
  };
}

/** The request listener: the four reads taken here with the app's own handlers, every other request handed to `app`. */
export function leanReads(app: Express, shared: SharedHandlers): RequestListener {
  const { context, audit, authRequired, reads, onError } = shared;
  const run = (route: ReadRoute): Handler => chain(...context, ...audit, negotiate, routeStep(route), authRequired, reads[route]);
  const runs: Readonly<Record<ReadRoute, Handler>> = {
    manifest: run('manifest'),
    objects: run('objects'),
    object: run('object'),
    versions: run('versions'),
  };
  const request: object = app.request;
  const response: object = app.response;
  const done = (): void => undefined;
  return (rawReq: IncomingMessage, rawRes: ServerResponse): void => {
    const route = leanReadRoute(rawReq.method, rawReq.url ?? '');
    if (route === undefined) {
      app(rawReq, rawRes);
      return;
    }
    // What express's app.handle and router set up before the first middleware.
    if (Object.getPrototypeOf(rawReq) !== request) Object.setPrototypeOf(rawReq, request);
    if (Object.getPrototypeOf(rawRes) !== response) Object.setPrototypeOf(rawRes, response);
    const req = rawReq as Request;
    const res = rawRes as Response;
    req.res = res;
    res.req = req;
    res.locals ??= {};
    req.baseUrl = '';
    req.originalUrl = req.url;
    runs[route](req, res, (err?: unknown) => {
      // The handlers answer or fail; a chain that ran out without an answer is what express would 404.
      onError(err ?? Errors.notFound(`No TAXII resource at ${req.url.slice(0, 200)}.`), req, res, done);
    });
  };
}
