/**
 * Redis connection targets: a single server, a Redis Cluster, or a master found through Redis Sentinel, all
 * named by one URL so that every role (API, worker, tests, benchmarks) connects the same way.
 *
 *   redis://[user[:password]@]host[:port][/db]          one server (rediss:// for TLS)
 *   redis+cluster://[user[:password]@]host:port,host:port  Redis Cluster seed nodes (rediss+cluster:// for TLS)
 *   redis+sentinel://[user[:password]@]host:port,host:port/<master name>[?sentinelPassword=...]
 *                                                        Sentinel (rediss+sentinel:// for TLS to the master)
 *   unix://[user[:password]@]/path/to/redis.sock[?db=N]  one server on the same host, through its Unix socket
 *                                                        (also redis+unix://); what `start`'s private Redis uses
 *
 * REDIS_CLUSTER_NODES=host:port,host:port is accepted as a shorthand for a redis+cluster:// URL (options.ts).
 * Every key of one collection shares the hash tag `{<collection>}` and the BullMQ prefix is hash-tagged, so
 * the multi-key scripts work on a cluster unchanged.
 */
import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

interface Credentials {
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
}

export type RedisTarget =
  | ({ readonly kind: 'single'; readonly url: string } & Credentials)
  | ({ readonly kind: 'socket'; readonly path: string; readonly db: number } & Credentials)
  | ({ readonly kind: 'cluster'; readonly nodes: readonly HostPort[] } & Credentials)
  | ({
      readonly kind: 'sentinel';
      readonly sentinels: readonly HostPort[];
      readonly name: string;
      readonly sentinelPassword?: string;
    } & Credentials);

/** Most seed nodes or sentinels one URL may list (a bound on untrusted configuration). */
const MAX_NODES = 64;

function parseHostList(list: string, scheme: string): HostPort[] {
  const parts = list.split(',');
  if (parts.length > MAX_NODES) throw new Error(`${scheme}: at most ${MAX_NODES} nodes`);
  return parts.map((p) => {
    const s = p.trim();
    // [v6]:port or host:port
    const m = /^\[([0-9A-Fa-f:.]{2,45})\]:(\d{1,5})$/.exec(s) ?? /^([A-Za-z0-9._-]{1,253}):(\d{1,5})$/.exec(s);
    const port = m ? Number(m[2]) : NaN;
    if (!m || !m[1] || port < 1 || port > 65535) throw new Error(`${scheme}: "${s.slice(0, 100)}" is not host:port`);
    return { host: m[1], port };
  });
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new Error('redis URL: bad percent-encoding in the credentials');
  }
}

/** Splits `user:password@rest` (credentials optional); the password may contain ':' only percent-encoded. */
function splitCredentials(rest: string): { username?: string; password?: string; hosts: string } {
  const at = rest.lastIndexOf('@');
  if (at < 0) return { hosts: rest };
  const cred = rest.slice(0, at);
  const colon = cred.indexOf(':');
  const username = colon < 0 ? decode(cred) : decode(cred.slice(0, colon));
  const password = colon < 0 ? undefined : decode(cred.slice(colon + 1));
  return {
    ...(username === '' ? {} : { username }),
    ...(password === undefined || password === '' ? {} : { password }),
    hosts: rest.slice(at + 1),
  };
}

/** Longest Unix socket path the kernel accepts (sun_path is 108 bytes with its terminating NUL). */
export const MAX_SOCKET_PATH = 107;

function parseSocketTarget(body: string): RedisTarget {
  const q = body.indexOf('?');
  const { username, password, hosts: socketPath } = splitCredentials(q < 0 ? body : body.slice(0, q));
  const params = new URLSearchParams(q < 0 ? '' : body.slice(q + 1));
  if (!socketPath.startsWith('/')) throw new Error('unix://: the socket path must be absolute (unix:///run/redis/redis.sock)');
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) throw new Error(`unix://: the socket path is longer than ${MAX_SOCKET_PATH} bytes`);
  const dbText = params.get('db') ?? '0';
  const db = Number(dbText);
  if (!/^\d{1,5}$/.test(dbText) || db > 65535) throw new Error(`unix://: db "${dbText.slice(0, 20)}" is not a database number`);
  return { kind: 'socket', path: socketPath, db, tls: false, ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

/** Parses a Redis URL of one of the forms above; throws Error with a message naming the problem. */
export function parseRedisTarget(url: string): RedisTarget {
  if (url.length > 4096) throw new Error('redis URL is too long');
  const unix = /^(?:redis\+)?unix:\/\/(.*)$/.exec(url);
  if (unix) return parseSocketTarget(unix[1] ?? '');
  const m = /^(rediss?)(\+cluster|\+sentinel)?:\/\/(.*)$/.exec(url);
  if (!m) throw new Error('redis URL must start with redis://, rediss://, redis+cluster://, redis+sentinel:// or unix://');
  const tls = m[1] === 'rediss';
  const variant = m[2];
  const body = m[3] ?? '';
  if (variant === undefined) {
    const { username, password } = splitCredentials(body.split('/')[0] ?? '');
    return { kind: 'single', url, tls, ...(username ? { username } : {}), ...(password ? { password } : {}) };
  }
  const q = body.indexOf('?');
  const beforeQuery = q < 0 ? body : body.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : body.slice(q + 1));
  const { username, password, hosts } = splitCredentials(beforeQuery);
  const creds = { tls, ...(username ? { username } : {}), ...(password ? { password } : {}) };
  if (variant === '+cluster') {
    const list = hosts.replace(/\/+$/, '');
    if (list.includes('/')) throw new Error('redis+cluster: no database or path after the nodes (a cluster has only db 0)');
    return { kind: 'cluster', nodes: parseHostList(list, 'redis+cluster'), ...creds };
  }
  const slash = hosts.indexOf('/');
  const name = slash < 0 ? '' : decode(hosts.slice(slash + 1)).replace(/\/+$/, '');
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) throw new Error('redis+sentinel: the URL must end with /<master name>');
  const sentinelPassword = params.get('sentinelPassword') ?? undefined;
  return {
    kind: 'sentinel',
    sentinels: parseHostList(hosts.slice(0, slash), 'redis+sentinel'),
    name,
    ...(sentinelPassword ? { sentinelPassword } : {}),
    ...creds,
  };
}

/** The URL with any password replaced by `***`, for logs. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/[^:@/]*:)[^@]*@/, '$1***@');
}

/** How a connection behaves while Redis is unreachable. */
export interface ConnectionBehaviour {
  /**
   * `fail-fast` (API): commands fail at once while disconnected, so requests get 503 instead of hanging.
   * `wait` (worker, BullMQ): commands wait for the connection to come back (BullMQ needs this).
   */
  readonly mode: 'fail-fast' | 'wait';
  /** Name shown in CLIENT LIST and used as the metrics label of its errors. */
  readonly name?: string;
}

function perNodeOptions(target: RedisTarget, b: ConnectionBehaviour): RedisOptions {
  return {
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
    ...(b.name ? { connectionName: b.name } : {}),
    connectTimeout: 5000,
    maxRetriesPerRequest: b.mode === 'fail-fast' ? 1 : null,
    enableOfflineQueue: b.mode !== 'fail-fast',
    // Reconnect forever with a bounded backoff (50 ms .. 2 s): the process recovers by itself.
    retryStrategy: (times: number) => Math.min(50 * times, 2000),
  };
}

/** Opens a connection (or cluster client) to the target. The caller closes it. */
export function connectRedis(target: RedisTarget, b: ConnectionBehaviour): Redis | Cluster {
  const node = perNodeOptions(target, b);
  if (target.kind === 'single') return new Redis(target.url, node);
  if (target.kind === 'socket') return new Redis({ ...node, path: target.path, db: target.db });
  if (target.kind === 'sentinel') {
    return new Redis({
      ...node,
      sentinels: target.sentinels.map((s) => ({ host: s.host, port: s.port })),
      name: target.name,
      ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
    });
  }
  const clusterOptions: ClusterOptions = {
    redisOptions: node,
    enableOfflineQueue: b.mode !== 'fail-fast',
    clusterRetryStrategy: (times: number) => Math.min(100 * times, 2000),
    // A cluster behind NAT or in containers may announce addresses clients cannot reach; keep the defaults.
    slotsRefreshTimeout: 2000,
  };
  return new Cluster(
    target.nodes.map((n) => ({ host: n.host, port: n.port })),
    clusterOptions,
  );
}

/** Resolves once the connection is ready, or rejects after `ms`. */
export function whenReady(redis: Redis | Cluster, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis did not become ready within ${Math.round(ms / 1000)} s`));
    }, ms);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
