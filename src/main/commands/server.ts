/**
 * `start`, `serve` and `worker`: the server roles (src/main/runtime.ts), with a graceful stop on SIGTERM or
 * SIGINT. `start` prints a banner for people on stderr, once, apart from the JSON logs on stdout.
 */
import path from 'node:path';
import type { CliIo, Command } from '../cli-types';
import { command } from '../define-command';
import { SERVER_FLAGS, SERVER_OPTIONS_HELP, parseServerOptions, type ServerOptions } from '../options';
import { runGateway, StartupError, type Role, type RunningGateway } from '../runtime';

const ROLE_TEXT: Record<Role, string> = {
  start: `Usage: taxii-gateway start [options]

Runs the TAXII 2.1 API and the ingest worker in one process. Without REDIS_URL it starts a private
redis-server for <data-dir>: Unix socket only (no TCP port), a generated password, its append-only file under
<data-dir>/redis; one start per data dir (a second one refuses), a redis-server left by a crash is stopped
first. The CLI commands (import, export, audit, sync) find that Redis by themselves through --data-dir.
A banner on stderr gives the discovery URL, the data dir, the generated credentials (first start only) and
the CLI's environment; the logs are JSON lines on stdout (GATEWAY_LOG_FORMAT=pretty for readable lines; the
default on a terminal).
`,
  serve: `Usage: taxii-gateway serve [options]

Runs the TAXII 2.1 API only (scale out with several replicas behind a load balancer). Needs REDIS_URL.
`,
  worker: `Usage: taxii-gateway worker [options]

Runs the ingest worker only (validate, normalize, deduplicate, store). Needs REDIS_URL.
`,
};

export function roleHelp(role: Role): string {
  return `${ROLE_TEXT[role]}\n${SERVER_OPTIONS_HELP}\n`;
}

function quote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The text people read once the gateway is up: where it is, what was generated, how to drive it. */
export function startBanner(role: Role, opts: ServerOptions, running: RunningGateway): string {
  const lines: string[] = [];
  const rule = '='.repeat(78);
  lines.push(rule, `taxii-gateway ${role} is running`);
  if (running.url) lines.push(`  TAXII 2.1 discovery: ${running.url}/taxii2/`);
  if (running.consoleUrl) lines.push(`  Console:             ${running.consoleUrl}`);
  lines.push(`  Data dir:            ${path.resolve(opts.dataDir)}`, `  Config:              ${path.resolve(opts.config)}`);
  if (running.privateRedis) {
    lines.push(
      `  Private Redis:       ${path.resolve(opts.dataDir, 'redis', 'redis.sock')} (socket only, password in redis/connection.json)`,
    );
  }
  for (const n of running.notices) lines.push('', ...n.split('\n').map((l) => `  ${l}`));
  lines.push('', '  The CLI against this gateway (another terminal, same directory):');
  const dataFlag = path.resolve(opts.dataDir) === path.resolve('data') ? '' : ` --data-dir ${quote(opts.dataDir)}`;
  const configFlag = path.resolve(opts.config) === path.resolve('collections.yaml') ? '' : ` --config ${quote(opts.config)}`;
  if (running.privateRedis) {
    lines.push(`    npx taxii-gateway import --collection ALIAS${dataFlag}${configFlag} FILE`);
    lines.push('    (import, export, audit and sync find the private Redis of --data-dir, default ./data, by themselves)');
  } else {
    lines.push(`    REDIS_URL=<the same Redis URL> npx taxii-gateway import --collection ALIAS${configFlag} FILE`);
  }
  lines.push(`    npx taxii-gateway <command> --help`, rule);
  return `${lines.join('\n')}\n`;
}

export function roleCommand(role: Role): Command {
  return command(roleHelp(role), SERVER_FLAGS, async (argv: readonly string[], io: CliIo) => {
    let opts: ServerOptions;
    try {
      opts = parseServerOptions(argv, io.env);
    } catch (err) {
      io.stderr(`taxii-gateway ${role}: ${err instanceof Error ? err.message : String(err)}\n\n${roleHelp(role)}`);
      return 2;
    }
    if (opts.help) {
      io.stdout(roleHelp(role));
      return 0;
    }
    let running: RunningGateway;
    try {
      running = await runGateway(role, opts, io);
    } catch (err) {
      if (err instanceof StartupError || (err instanceof Error && err.name === 'CredentialError')) {
        io.stderr(`taxii-gateway ${role}: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    io.stderr(startBanner(role, opts, running));
    const r = running;
    return new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        io.stderr(`received ${signal}, shutting down (grace ${opts.shutdownGraceMs} ms)\n`);
        const timer = setTimeout(() => {
          io.stderr('graceful shutdown took too long; exiting\n');
          resolve(1);
        }, opts.shutdownGraceMs);
        timer.unref();
        r.stop().then(
          () => {
            clearTimeout(timer);
            resolve(0);
          },
          () => resolve(1),
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
  });
}
