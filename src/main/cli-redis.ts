/**
 * The Redis a CLI command (import, export, audit, sync) talks to: --redis-url, else REDIS_URL, else the
 * private Redis of the running `start` on --data-dir (GATEWAY_DATA_DIR, default ./data), found through its
 * data dir (src/main/data-dir.ts), so that nobody has to copy a socket path or password out of a log.
 */
import type { Cluster, Redis } from 'ioredis';
import type { CliIo } from './cli-types';
import { locatePrivateRedis } from './data-dir';
import { connectRedis, parseRedisTarget, redactRedisUrl, whenReady } from './redis-connect';

/** The URL to use, or a message saying what is missing. */
export function cliRedisUrl(values: ReadonlyMap<string, string>, io: CliIo): { readonly url: string } | { readonly message: string } {
  const given = values.get('--redis-url') ?? io.env['REDIS_URL'];
  if (given !== undefined && given !== '') return { url: given };
  const dataDir = values.get('--data-dir') ?? io.env['GATEWAY_DATA_DIR'] ?? 'data';
  const found = locatePrivateRedis(dataDir);
  return found.ok ? { url: found.url } : { message: found.message };
}

/** The --redis-url and --data-dir options of a command, in the form cliRedisUrl reads. */
export function redisOptions(args: {
  readonly 'redis-url'?: string | undefined;
  readonly 'data-dir'?: string | undefined;
}): ReadonlyMap<string, string> {
  const values = new Map<string, string>();
  if (args['redis-url'] !== undefined) values.set('--redis-url', args['redis-url']);
  if (args['data-dir'] !== undefined) values.set('--data-dir', args['data-dir']);
  return values;
}

/**
 * The URL for the sub-command `command`, from its --redis-url / --data-dir options; when there is none, says why
 * on stderr as `COMMAND: no Redis to read: reason` and gives undefined (the command then exits 2).
 */
export function commandRedisUrl(command: string, args: Parameters<typeof redisOptions>[0], io: CliIo): string | undefined {
  const located = cliRedisUrl(redisOptions(args), io);
  if ('url' in located) return located.url;
  io.stderr(`${command}: no Redis to read: ${located.message}\n`);
  return undefined;
}

/** Opens a connection for a CLI command (fails fast while Redis is away) and waits until it is ready. */
export async function openCliRedis(url: string, name: string, mode: 'fail-fast' | 'wait' = 'fail-fast'): Promise<Redis | Cluster> {
  const redis = connectRedis(parseRedisTarget(url), { mode, name });
  redis.on('error', () => undefined);
  try {
    await whenReady(redis, 10_000);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  return redis;
}

/**
 * openCliRedis for the sub-command `command` (connection name `gw-COMMAND-cli`); when Redis cannot be reached the
 * reason is written to stderr as `COMMAND: Redis URL: reason` (password redacted) and the result is undefined.
 */
export async function openCommandRedis(command: string, url: string, io: CliIo): Promise<Redis | Cluster | undefined> {
  try {
    return await openCliRedis(url, `gw-${command}-cli`);
  } catch (e) {
    io.stderr(`${command}: Redis ${redactRedisUrl(url)}: ${e instanceof Error ? e.message : String(e)}\n`);
    return undefined;
  }
}

/**
 * Runs `work` on the command's Redis (audit, report), found as commandRedisUrl says (exit 2 when there is
 * none): a failure to open it or during the work prints `COMMAND: message` (exit 1); the connection is closed
 * either way.
 */
export async function withCommandRedis(
  command: string,
  args: Parameters<typeof redisOptions>[0],
  io: CliIo,
  work: (redis: Redis | Cluster) => Promise<number>,
): Promise<number> {
  const url = commandRedisUrl(command, args, io);
  if (url === undefined) return 2;
  let redis: Redis | Cluster | undefined;
  try {
    redis = await openCliRedis(url, `gw-${command}-cli`);
    return await work(redis);
  } catch (err) {
    io.stderr(`${command}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    redis?.disconnect();
  }
}

/** Help lines shared by the commands that reach the gateway's Redis. */
export const CLI_REDIS_HELP = `  --data-dir DIR          data dir of the running \`start\` whose private Redis to use  GATEWAY_DATA_DIR (./data)
  --redis-url URL         Redis of the gateway, when it is not start's private one   REDIS_URL`;
