/**
 * Request and response classes for the node:http(s) server in front of the express app, so that every request
 * and response is created with the app's own prototypes (`app.request`, `app.response`).
 *
 * Why: express gives each request and response those prototypes with `Object.setPrototypeOf` when it starts
 * handling them. On an object that already exists, V8 then moves it to a new hidden class, and the garbage
 * collector pays for it: on a bare express app answering a fixed body (bench/RESULTS.md, "Express and the
 * young generation"), ~3.4 MB promoted out of the young generation per scavenge, 6–7 ms scavenge pauses and
 * 35 % less throughput than the same app without the prototype change. When the objects are born with the
 * prototype, express's call changes nothing (setting the prototype an object already has is a no-op).
 *
 * The objects are built by Node's own IncomingMessage / ServerResponse (Reflect.construct with this function
 * as new.target), so they are exactly what Node builds, with a different prototype.
 */
import http from 'node:http';
import type { Socket } from 'node:net';

/** What express adds to an application: the prototypes it gives requests and responses. */
interface ExpressPrototypes {
  readonly request: object;
  readonly response: object;
}

function hasPrototypes(app: object): app is ExpressPrototypes {
  const a = app as Partial<Record<'request' | 'response', unknown>>;
  return typeof a.request === 'object' && a.request !== null && typeof a.response === 'object' && a.response !== null;
}

/**
 * `IncomingMessage` and `ServerResponse` options for http.createServer / https.createServer; empty (Node's
 * classes) when `app` has no express prototypes.
 */
export function serverClassesFor(app: object): Pick<http.ServerOptions, 'IncomingMessage' | 'ServerResponse'> {
  if (!hasPrototypes(app)) return {};
  const IncomingMessage = function (socket: Socket): object {
    return Reflect.construct(http.IncomingMessage, [socket], IncomingMessage) as object;
  };
  IncomingMessage.prototype = app.request;
  const ServerResponse = function (req: http.IncomingMessage, options?: object): object {
    return Reflect.construct(http.ServerResponse, [req, options], ServerResponse) as object;
  };
  ServerResponse.prototype = app.response;
  return {
    IncomingMessage: IncomingMessage as unknown as typeof http.IncomingMessage,
    ServerResponse: ServerResponse as unknown as typeof http.ServerResponse,
  };
}
