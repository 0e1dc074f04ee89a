/**
 * Command-line options of the server commands, each with an environment variable, so several instances can
 * run side by side. This module and src/main/ are the only places that read process.env.
 */
import type { FlagSpec } from './args';

/**
 * auto-aof-rewrite-percentage of the private Redis unless GATEWAY_REDIS_AOF_REWRITE_PERCENTAGE says otherwise:
 * Redis's own 100 rewrites the whole AOF each time it doubles, which on a box that ingests in bulk costs Redis
 * more CPU per stored object than the store itself while it runs (bench/RESULTS.md, docs/deployment.md). 400
 * rewrites a quarter as often, for an AOF of up to 5x the dataset on disk between rewrites.
 */
export const DEFAULT_AOF_REWRITE_PERCENTAGE = 400;

/**
 * auto-aof-rewrite-min-size of the private Redis in MB unless GATEWAY_REDIS_AOF_REWRITE_MIN_MB says otherwise: no
 * rewrite before the AOF reaches 1 GB (Redis's own 64 MB rewrites a young gateway's AOF several times during its
 * first few hundred thousand objects, each rewrite a burst of CPU on both cores: docs/deployment.md). Disk: up to
 * 1 GB of AOF before the first rewrite, and a restart replays it.
 */
export const DEFAULT_AOF_REWRITE_MIN_MB = 1024;

export interface ServerOptions {
  /** collections.yaml path. --config, GATEWAY_CONFIG; default ./collections.yaml */
  readonly config: string;
  /** Listen address. --host, GATEWAY_HOST; default 127.0.0.1 (loopback: expose deliberately). */
  readonly host: string;
  /** Listen port. --port, GATEWAY_PORT; default 8080 (0 = any free port). */
  readonly port: number;
  /** Data directory (private Redis AOF, generated credentials). --data-dir, GATEWAY_DATA_DIR; default ./data */
  readonly dataDir: string;
  /** Redis to use; when unset, `start` runs a private redis-server. --redis-url, REDIS_URL */
  readonly redisUrl?: string;
  /** Root of every Redis key (several gateways can share one Redis). --key-prefix, GATEWAY_KEY_PREFIX; default gw */
  readonly keyPrefix: string;
  /** Port of the private Redis (0 = a free one). --redis-port, GATEWAY_REDIS_PORT; default 0 */
  readonly redisPort: number;
  /** Jobs processed at once by the worker. --concurrency, GATEWAY_WORKER_CONCURRENCY; default 2 */
  readonly concurrency: number;
  /** Graceful-shutdown budget in ms. GATEWAY_SHUTDOWN_GRACE_MS; default 10000 */
  readonly shutdownGraceMs: number;
  /** Longest an API audit entry waits to be appended (batched). GATEWAY_AUDIT_FLUSH_MS; default 100 */
  readonly auditFlushMs: number;
  /** Rejected credentials per source address and account and minute before 429 (0 = no limit). GATEWAY_AUTH_FAILURES_PER_MINUTE; default 20 */
  readonly authFailuresPerMinute: number;
  /** Worker job lock in ms (a crashed worker's job is resumed after this). GATEWAY_LOCK_MS; default 30000 */
  readonly lockMs: number;
  /**
   * How long an inquiry notification may stay `sending` before another worker resends it (its worker is
   * presumed dead), and how often workers look for such deliveries. GATEWAY_INQUIRY_LEASE_MS (120000),
   * GATEWAY_INQUIRY_RECONCILE_MS (30000)
   */
  readonly inquiryLeaseMs: number;
  readonly inquiryReconcileMs: number;
  /** appendfsync of the private Redis: everysec (default) or always. GATEWAY_REDIS_FSYNC */
  readonly redisFsync: 'everysec' | 'always';
  /**
   * auto-aof-rewrite-percentage of the private Redis (docs/deployment.md: more disk, fewer rewrites).
   * GATEWAY_REDIS_AOF_REWRITE_PERCENTAGE; default DEFAULT_AOF_REWRITE_PERCENTAGE (400)
   */
  readonly redisAofRewritePercentage: number;
  /**
   * auto-aof-rewrite-min-size of the private Redis, MB (docs/deployment.md). GATEWAY_REDIS_AOF_REWRITE_MIN_MB;
   * default DEFAULT_AOF_REWRITE_MIN_MB (1024)
   */
  readonly redisAofRewriteMinMb: number;
  /**
   * Port of a private listener serving /healthz, /readyz and /metrics (Prometheus). --metrics-port,
   * GATEWAY_METRICS_PORT; unset = none (the API port always serves /healthz and /readyz, never /metrics).
   */
  readonly metricsPort?: number;
  /** Listen address of the metrics listener. GATEWAY_METRICS_HOST; default 127.0.0.1 */
  readonly metricsHost: string;
  /** TLS private key file; with --tls-cert, serve HTTPS (overrides server.tls). --tls-key, GATEWAY_TLS_KEY */
  readonly tlsKey?: string;
  /** TLS certificate chain file. --tls-cert, GATEWAY_TLS_CERT */
  readonly tlsCert?: string;
  /** CA bundle for client certificates. --tls-ca, GATEWAY_TLS_CA */
  readonly tlsCa?: string;
  /** none | optional | required. --tls-client-certs, GATEWAY_TLS_CLIENT_CERTS */
  readonly tlsClientCerts?: 'none' | 'optional' | 'required';
  readonly help: boolean;
}

const SPEC: Record<string, { env: string; key: keyof ServerOptions }> = {
  '--config': { env: 'GATEWAY_CONFIG', key: 'config' },
  '--host': { env: 'GATEWAY_HOST', key: 'host' },
  '--port': { env: 'GATEWAY_PORT', key: 'port' },
  '--data-dir': { env: 'GATEWAY_DATA_DIR', key: 'dataDir' },
  '--redis-url': { env: 'REDIS_URL', key: 'redisUrl' },
  '--key-prefix': { env: 'GATEWAY_KEY_PREFIX', key: 'keyPrefix' },
  '--redis-port': { env: 'GATEWAY_REDIS_PORT', key: 'redisPort' },
  '--concurrency': { env: 'GATEWAY_WORKER_CONCURRENCY', key: 'concurrency' },
  '--metrics-port': { env: 'GATEWAY_METRICS_PORT', key: 'metricsPort' },
  '--tls-key': { env: 'GATEWAY_TLS_KEY', key: 'tlsKey' },
  '--tls-cert': { env: 'GATEWAY_TLS_CERT', key: 'tlsCert' },
  '--tls-ca': { env: 'GATEWAY_TLS_CA', key: 'tlsCa' },
  '--tls-client-certs': { env: 'GATEWAY_TLS_CLIENT_CERTS', key: 'tlsClientCerts' },
};

/** The options the server commands accept, each taking a value (src/main/args.ts's form). */
export const SERVER_FLAGS: FlagSpec = { ...Object.fromEntries(Object.keys(SPEC).map((flag) => [flag, true])), '--help': false };

export const SERVER_OPTIONS_HELP = `Options (each also read from the environment variable shown):
  --config FILE        collections.yaml to serve                 GATEWAY_CONFIG   (./collections.yaml)
  --host ADDRESS       listen address                            GATEWAY_HOST     (127.0.0.1)
  --port PORT          listen port, 0 for any free port          GATEWAY_PORT     (8080)
  --data-dir DIR       private Redis data, generated credentials GATEWAY_DATA_DIR (./data)
  --redis-url URL      Redis to use (redis://, unix://, ...)     REDIS_URL        (start: a private redis-server)
  --redis-port PORT    port of the private redis-server          GATEWAY_REDIS_PORT (a free port)
  --key-prefix NAME    root of every Redis key                   GATEWAY_KEY_PREFIX (gw)
  --concurrency N      jobs the worker runs at once              GATEWAY_WORKER_CONCURRENCY (2)
  --metrics-port PORT  private /healthz /readyz /metrics listener GATEWAY_METRICS_PORT (none)
  --tls-key FILE       serve HTTPS with this key (and --tls-cert) GATEWAY_TLS_KEY  (server.tls in the config)
  --tls-cert FILE      certificate chain for HTTPS               GATEWAY_TLS_CERT
  --tls-ca FILE        CA that client certificates chain to      GATEWAY_TLS_CA
  --tls-client-certs M none, optional or required (mutual TLS)   GATEWAY_TLS_CLIENT_CERTS (none)
  -h, --help           show this help
Other environment: GATEWAY_SHUTDOWN_GRACE_MS (10000), GATEWAY_LOCK_MS (30000), GATEWAY_REDIS_FSYNC (everysec|always),
GATEWAY_REDIS_AOF_REWRITE_PERCENTAGE (400; private Redis), GATEWAY_REDIS_AOF_REWRITE_MIN_MB (1024; private Redis),
GATEWAY_AUDIT_FLUSH_MS (100), GATEWAY_AUTH_FAILURES_PER_MINUTE (20 per address and account, 0 = off), LOG_LEVEL (info),
GATEWAY_METRICS_HOST (127.0.0.1), GATEWAY_INQUIRY_LEASE_MS (120000), GATEWAY_INQUIRY_RECONCILE_MS (30000).
Redis URLs: redis://[user:pass@]host:port[/db] (rediss:// for TLS); a Redis Cluster as
redis+cluster://[user:pass@]host:port,host:port (or REDIS_CLUSTER_NODES=host:port,host:port without REDIS_URL);
Sentinel as redis+sentinel://[user:pass@]host:port,host:port/<master name>[?sentinelPassword=...]; a Redis on the same
host through its Unix socket as unix://[user:pass@]/path/to/redis.sock[?db=N] (start's private Redis is reached so).`;

function int(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, not "${text}"`);
  }
  return Number(text);
}

/** Parses argv (after the command name) and the environment; throws Error with a usage message. */
export function parseServerOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ServerOptions {
  const given: Partial<Record<keyof ServerOptions, string>> = {};
  let help = false;
  for (const s of Object.values(SPEC)) {
    const v = env[s.env];
    if (v !== undefined && v !== '') given[s.key] = v;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const s = SPEC[flag];
    if (!s) throw new Error(`unknown option "${arg}"`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
    given[s.key] = value;
  }
  const fsync = env['GATEWAY_REDIS_FSYNC'] ?? 'everysec';
  if (fsync !== 'everysec' && fsync !== 'always') throw new Error('GATEWAY_REDIS_FSYNC must be everysec or always');
  const opts: ServerOptions = {
    config: given.config ?? 'collections.yaml',
    host: given.host ?? '127.0.0.1',
    port: int('--port', given.port ?? '8080', 0, 65535),
    dataDir: given.dataDir ?? 'data',
    keyPrefix: given.keyPrefix ?? 'gw',
    redisPort: int('--redis-port', given.redisPort ?? '0', 0, 65535),
    concurrency: int('--concurrency', given.concurrency ?? '2', 1, 64),
    shutdownGraceMs: int('GATEWAY_SHUTDOWN_GRACE_MS', env['GATEWAY_SHUTDOWN_GRACE_MS'] ?? '10000', 0, 600_000),
    lockMs: int('GATEWAY_LOCK_MS', env['GATEWAY_LOCK_MS'] ?? '30000', 1000, 600_000),
    inquiryLeaseMs: int('GATEWAY_INQUIRY_LEASE_MS', env['GATEWAY_INQUIRY_LEASE_MS'] ?? '120000', 1000, 3_600_000),
    inquiryReconcileMs: int('GATEWAY_INQUIRY_RECONCILE_MS', env['GATEWAY_INQUIRY_RECONCILE_MS'] ?? '30000', 200, 3_600_000),
    auditFlushMs: int('GATEWAY_AUDIT_FLUSH_MS', env['GATEWAY_AUDIT_FLUSH_MS'] ?? '100', 1, 60_000),
    authFailuresPerMinute: int('GATEWAY_AUTH_FAILURES_PER_MINUTE', env['GATEWAY_AUTH_FAILURES_PER_MINUTE'] ?? '20', 0, 1_000_000),
    redisFsync: fsync,
    redisAofRewritePercentage: int(
      'GATEWAY_REDIS_AOF_REWRITE_PERCENTAGE',
      env['GATEWAY_REDIS_AOF_REWRITE_PERCENTAGE'] ?? String(DEFAULT_AOF_REWRITE_PERCENTAGE),
      10,
      10_000,
    ),
    redisAofRewriteMinMb: int(
      'GATEWAY_REDIS_AOF_REWRITE_MIN_MB',
      env['GATEWAY_REDIS_AOF_REWRITE_MIN_MB'] ?? String(DEFAULT_AOF_REWRITE_MIN_MB),
      1,
      1_048_576,
    ),
    metricsHost: env['GATEWAY_METRICS_HOST'] || '127.0.0.1',
    help,
  };
  if (!/^[A-Za-z0-9_.-]{1,40}$/.test(opts.keyPrefix)) throw new Error('--key-prefix: letters, digits, ".", "_", "-" only');
  const clusterNodes = env['REDIS_CLUSTER_NODES'];
  const redisUrl = given.redisUrl ?? (clusterNodes ? `redis+cluster://${clusterNodes}` : undefined);
  const withMetrics: ServerOptions = {
    ...opts,
    ...(given.metricsPort === undefined ? {} : { metricsPort: int('--metrics-port', given.metricsPort, 0, 65535) }),
  };
  if ((given.tlsKey === undefined) !== (given.tlsCert === undefined)) throw new Error('--tls-key and --tls-cert go together');
  const mode = given.tlsClientCerts;
  if (mode !== undefined && mode !== 'none' && mode !== 'optional' && mode !== 'required') {
    throw new Error('--tls-client-certs must be none, optional or required');
  }
  const withTls: ServerOptions = {
    ...withMetrics,
    ...(given.tlsKey === undefined ? {} : { tlsKey: given.tlsKey }),
    ...(given.tlsCert === undefined ? {} : { tlsCert: given.tlsCert }),
    ...(given.tlsCa === undefined ? {} : { tlsCa: given.tlsCa }),
    ...(mode === undefined ? {} : { tlsClientCerts: mode }),
  };
  return redisUrl === undefined ? withTls : { ...withTls, redisUrl };
}
