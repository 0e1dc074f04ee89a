/**
 * The HTTP entry of a gateway process: /healthz, /readyz and (when enabled) /metrics answered before the TAXII
 * app, outside the TAXII tree and without authentication; every other request goes to the app, timed and
 * counted by route pattern and status, with one JSON access-log line carrying the request id.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { runReadiness, type ReadinessCheck } from '../observability/health';
import type { GatewayMetrics } from '../observability/metrics';

export interface AccessLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
}

export interface ObservabilityOptions {
  readonly metrics?: GatewayMetrics;
  /** Serve /metrics on this listener (false: metrics are only counted, e.g. served on a private port). */
  readonly exposeMetrics: boolean;
  readonly readiness: readonly ReadinessCheck[];
  readonly log?: AccessLogger;
}

export const HEALTH_PATHS = ['/healthz', '/readyz', '/metrics'] as const;

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(head ? undefined : body);
}

/** The express route pattern that handled the request (bounded label), or `unmatched`. */
function routeOf(req: IncomingMessage): string {
  const r = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: unknown };
  const p = r.route?.path;
  if (typeof p !== 'string') return 'unmatched';
  return `${typeof r.baseUrl === 'string' ? r.baseUrl : ''}${p}`;
}

/**
 * Answers the health and metrics endpoints itself; anything else goes to `app` (omit it for a process that
 * only serves health and metrics, e.g. a worker's private port: other paths get 404).
 */
export function observabilityListener(opts: ObservabilityOptions, app?: RequestListener): RequestListener {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    const own = path === '/healthz' || path === '/readyz' || (path === '/metrics' && opts.exposeMetrics);
    if (own || !app) {
      if (!own) {
        send(res, 404, 'application/json', '{"status":"not found"}', method === 'HEAD');
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        send(res, 405, 'application/json', '{"status":"method not allowed"}', false);
        return;
      }
      void answerOwn(path, method === 'HEAD', res, opts);
      return;
    }
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = routeOf(req);
      opts.metrics?.observeRequest(method, route, res.statusCode, seconds);
      const requestId = res.getHeader('X-Request-Id');
      const line = {
        requestId: typeof requestId === 'string' ? requestId : undefined,
        method,
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 10000) / 10,
      };
      if (res.statusCode >= 500) opts.log?.warn(line, 'request failed');
      else opts.log?.info(line, 'request');
    });
    app(req, res);
  };
}

async function answerOwn(path: string, head: boolean, res: ServerResponse, opts: ObservabilityOptions): Promise<void> {
  try {
    if (path === '/healthz') {
      send(res, 200, 'application/json', '{"status":"ok"}', head);
    } else if (path === '/readyz') {
      const r = await runReadiness(opts.readiness);
      if (!r.ready) opts.log?.warn({ failed: r.failed }, 'not ready');
      send(res, r.ready ? 200 : 503, 'application/json', r.ready ? '{"status":"ready"}' : '{"status":"not ready"}', head);
    } else if (opts.metrics) {
      const m = await opts.metrics.render();
      send(res, 200, m.contentType, m.body, head);
    } else {
      send(res, 404, 'application/json', '{"status":"not found"}', head);
    }
  } catch {
    if (!res.headersSent) send(res, 500, 'application/json', '{"status":"error"}', head);
  }
}
