/**
 * `sync --source NAME` / `sync --sink NAME`: runs one federation source or sink now (the same run, lock and
 * state as the scheduled job) and prints the outcome as JSON; `sync --status` prints the state of every
 * source and sink (cursor, last run, last error). Needs the gateway's Redis; pulled objects are processed
 * by the running worker. Exit 0 ok, 1 the run failed or another process is running it, 2 usage.
 */
import { CLI_REDIS_HELP, cliRedisUrl, openCommandRedis } from '../cli-redis';
import { connectRedis, parseRedisTarget } from '../redis-connect';
import { createKeyBuilder } from '../../store/keys';
import { composeManualFederation } from '../compose';
import type { Command } from '../cli-types';
import { command } from '../define-command';
import { parseArgs, type FlagSpec } from '../args';
import { loadConfigOrMessage } from '../command-args';

const SPEC: FlagSpec = {
  '--source': true,
  '--sink': true,
  '--status': false,
  '--config': true,
  '--redis-url': true,
  '--data-dir': true,
  '--key-prefix': true,
  '--help': false,
};

export const SYNC_HELP = `Usage: taxii-gateway sync (--source NAME | --sink NAME | --status) [options]

Federation with other TAXII 2.1 servers (collections.yaml sources: and sinks:, docs/federation.md).
  --source NAME        pull the remote collection of this source now, into its local collection
  --sink NAME          forward the new objects of this sink's local collection now
  --status             print the state of every source and sink (cursor, last run, last error)
Options:
  --config FILE        collections.yaml                  GATEWAY_CONFIG     (./collections.yaml)
${CLI_REDIS_HELP}
  --key-prefix NAME    root of the gateway's Redis keys  GATEWAY_KEY_PREFIX (gw)
  -h, --help           show this help
Secrets named by *_env in the config are read from this command's environment.
`;

const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const syncCommand: Command = command(SYNC_HELP, SPEC, async (argv, io) => {
  const args = parseArgs(argv, SPEC);
  if (typeof args !== 'string' && args.flags.has('--help')) {
    io.stdout(SYNC_HELP);
    return 0;
  }
  const modes =
    typeof args === 'string'
      ? 0
      : [args.values.has('--source'), args.values.has('--sink'), args.flags.has('--status')].filter(Boolean).length;
  if (typeof args === 'string' || modes !== 1 || args.positional.length > 0) {
    io.stderr(`sync: ${typeof args === 'string' ? args : 'give exactly one of --source NAME, --sink NAME or --status'}\n\n${SYNC_HELP}`);
    return 2;
  }
  const file = args.values.get('--config') ?? io.env['GATEWAY_CONFIG'] ?? 'collections.yaml';
  const config = await loadConfigOrMessage(file);
  if (typeof config === 'string') {
    io.stderr(`sync: ${config}\n`);
    return 2;
  }
  const source = args.values.get('--source');
  const sink = args.values.get('--sink');
  if (source !== undefined && !config.sources.some((s) => s.name === source)) {
    io.stderr(`sync: no source "${source}" in ${file} (known: ${config.sources.map((s) => s.name).join(', ') || 'none'})\n`);
    return 2;
  }
  if (sink !== undefined && !config.sinks.some((s) => s.name === sink)) {
    io.stderr(`sync: no sink "${sink}" in ${file} (known: ${config.sinks.map((s) => s.name).join(', ') || 'none'})\n`);
    return 2;
  }
  const located = cliRedisUrl(args.values, io);
  if ('message' in located) {
    io.stderr(`sync: ${located.message}\n`);
    return 2;
  }
  const redisUrl = located.url;
  const keys = createKeyBuilder(args.values.get('--key-prefix') ?? io.env['GATEWAY_KEY_PREFIX'] ?? 'gw');
  const redis = await openCommandRedis('sync', redisUrl, io);
  if (redis === undefined) return 1;
  const connection = connectRedis(parseRedisTarget(redisUrl), { mode: 'wait', name: 'gw-sync-queue' });
  connection.on('error', () => undefined);
  const federation = composeManualFederation({ config, redis, connection, keys, log: silentLog, env: io.env });
  try {
    const runner = federation.runner;
    if (args.flags.has('--status')) {
      io.stdout(`${JSON.stringify(await runner.states(), null, 2)}\n`);
      return 0;
    }
    const result = source !== undefined ? await runner.run('source', source) : await runner.run('sink', sink ?? '');
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    if (!result.ran) {
      io.stderr(`sync: ${result.kind} ${result.name} is being run by another process; try again later\n`);
      return 1;
    }
    return result.ok ? 0 : 1;
  } finally {
    await federation.close();
    connection.disconnect();
    redis.disconnect();
  }
});
