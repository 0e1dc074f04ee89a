/**
 * The `taxii-gateway` command: one code base, several roles (DESIGN.md §2). Each sub-command has its own
 * --help; exit codes: 0 ok, 1 failure (problems found, start-up refused), 2 usage error.
 */
import { auditCommand } from './commands/audit';
import { reportCommand } from './commands/report';
import { checkConfigCommand } from './commands/check-config';
import { hashSecretCommand } from './commands/hash-secret';
import { normalizeCommand } from './commands/normalize';
import { convertCommand } from './commands/convert';
import { importCommand } from './commands/import';
import { exportCommand } from './commands/export';
import { syncCommand } from './commands/sync';
import { validateCommand } from './commands/validate';
import type { CliIo, CommandMain } from './cli-types';
import { SERVER_OPTIONS_HELP, parseServerOptions } from './options';
import { runGateway, StartupError, type Role } from './runtime';

const ROLE_HELP: Record<Role, string> = {
  start: `Usage: taxii-gateway start [options]

Runs the TAXII 2.1 API and the ingest worker in one process. Without REDIS_URL it starts a private
redis-server on a free loopback port with its AOF under <data-dir>/redis, and stops it on exit.
`,
  serve: `Usage: taxii-gateway serve [options]

Runs the TAXII 2.1 API only (scale out with several replicas behind a load balancer). Needs REDIS_URL.
`,
  worker: `Usage: taxii-gateway worker [options]

Runs the ingest worker only (validate, normalize, deduplicate, store). Needs REDIS_URL.
`,
};

function roleCommand(role: Role): CommandMain {
  return async (argv, io) => {
    let opts;
    try {
      opts = parseServerOptions(argv, io.env);
    } catch (err) {
      io.stderr(`taxii-gateway ${role}: ${err instanceof Error ? err.message : String(err)}\n\n${ROLE_HELP[role]}\n${SERVER_OPTIONS_HELP}\n`);
      return 2;
    }
    if (opts.help) {
      io.stdout(`${ROLE_HELP[role]}\n${SERVER_OPTIONS_HELP}\n`);
      return 0;
    }
    let running;
    try {
      running = await runGateway(role, opts, io);
    } catch (err) {
      if (err instanceof StartupError || (err instanceof Error && err.name === 'CredentialError')) {
        io.stderr(`taxii-gateway ${role}: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    if (running.url) io.stdout(`TAXII 2.1 discovery: ${running.url}/taxii2/\n`);
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
  };
}

export const COMMANDS: Record<string, { run: CommandMain; summary: string }> = {
  start: { run: roleCommand('start'), summary: 'API + worker in one process (private Redis when REDIS_URL is unset)' },
  serve: { run: roleCommand('serve'), summary: 'TAXII 2.1 API only' },
  worker: { run: roleCommand('worker'), summary: 'ingest worker only' },
  'check-config': { run: checkConfigCommand, summary: 'validate collections.yaml; every problem with line:column' },
  audit: { run: auditCommand, summary: 'print the audit trail (who read or wrote what) as JSON lines' },
  report: { run: reportCommand, summary: 'the exchange report per CERT and period (--since 30d; html, json or csv)' },
  'hash-secret': { run: hashSecretCommand, summary: 'hash a password or bearer token for collections.yaml' },
  validate: { run: validateCommand, summary: 'validate a STIX bundle or TAXII envelope offline' },
  normalize: { run: normalizeCommand, summary: 'print the canonical STIX 2.1 form of a bundle, offline' },
  convert: { run: convertCommand, summary: 'convert between native formats (MISP, STIX 1, OpenIOC, CSV, text, STIX 2.0/2.1), offline' },
  import: { run: importCommand, summary: 'import a native document into a collection (via Redis and the worker)' },
  export: { run: exportCommand, summary: "export a collection in a partner's native format (via Redis)" },
  sync: { run: syncCommand, summary: 'federation: run a source or sink now (--source/--sink NAME), or print their state (--status)' },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: taxii-gateway <command> [options]   (taxii-gateway <command> --help for details)

STIX/TAXII 2.1 gateway for exchanging threat indicators between national CERTs.

Commands:
${lines.join('\n')}
`;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr(`taxii-gateway: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return cmd.run(rest, io);
}

function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
      return Buffer.concat(chunks);
    },
  };
}

/** Runs the CLI on this process's arguments and streams, then exits with the command's status. */
export function runCli(): void {
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
      // Server roles end here after shutdown; give stdout a tick to flush, then exit.
      setTimeout(() => process.exit(code), 50).unref();
    },
    (err: unknown) => {
      process.stderr.write(`taxii-gateway: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) runCli();
