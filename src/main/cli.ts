/**
 * The `taxii-gateway` command: one code base, several roles (docs/architecture.md). Every sub-command answers
 * `--help` and `-h`; exit codes: 0 ok, 1 failure (problems found, start-up refused), 2 usage error.
 *
 * Start-up time matters for scripts that convert many small files: a command's module (and with it the
 * libraries it needs) is loaded only when that command runs, and help is printed without running it.
 */
import { asksForHelp } from './args';
import type { CliIo, CommandMain } from './cli-types';

interface CommandModule {
  readonly run: CommandMain;
  readonly help: string;
}

interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
  /** Options that take a value (so `--as -h` is not a request for help). */
  readonly valued?: readonly string[];
}

/** Loads a command's module on first use and picks its run function and help text from what it exports. */
function fromModule<M>(load: () => Promise<M>, pick: (m: M) => CommandModule): () => Promise<CommandModule> {
  return async () => pick(await load());
}

const role = (r: 'start' | 'serve' | 'worker') => async (): Promise<CommandModule> => {
  const m = await import('./commands/server');
  return { run: m.roleCommand(r), help: m.roleHelp(r) };
};

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  start: { summary: 'API + worker in one process (private Redis when REDIS_URL is unset)', load: role('start') },
  serve: { summary: 'TAXII 2.1 API only', load: role('serve') },
  worker: { summary: 'ingest worker only', load: role('worker') },
  'check-config': {
    summary: 'validate collections.yaml; every problem with line:column',
    load: fromModule(
      () => import('./commands/check-config'),
      (m) => ({ run: m.checkConfigCommand, help: m.CHECK_CONFIG_HELP }),
    ),
    valued: ['--config'],
  },
  audit: {
    summary: 'print the audit trail (who read or wrote what) as JSON lines',
    load: fromModule(
      () => import('./commands/audit'),
      (m) => ({ run: m.auditCommand, help: m.AUDIT_HELP }),
    ),
    valued: ['--since', '--until', '--principal', '--collection', '--action', '--limit', '--redis-url', '--key-prefix', '--data-dir'],
  },
  report: {
    summary: 'the exchange report per CERT and period (--since 30d; html, json or csv)',
    load: fromModule(
      () => import('./commands/report'),
      (m) => ({ run: m.reportCommand, help: m.REPORT_HELP }),
    ),
    valued: ['--since', '--format', '--lang', '--out', '--config', '--redis-url', '--key-prefix', '--data-dir'],
  },
  'hash-secret': {
    summary: 'hash a password or bearer token for collections.yaml',
    load: fromModule(
      () => import('./commands/hash-secret'),
      (m) => ({ run: m.hashSecretCommand, help: m.HASH_SECRET_HELP }),
    ),
  },
  validate: {
    summary: 'validate a STIX bundle or TAXII envelope offline',
    load: fromModule(
      () => import('./commands/validate'),
      (m) => ({ run: m.validateCommand, help: m.VALIDATE_HELP }),
    ),
    valued: ['--default-tlp', '--max-object-bytes'],
  },
  normalize: {
    summary: 'print the canonical STIX 2.1 form of a bundle, offline',
    load: async () => {
      const [m, v] = await Promise.all([import('./commands/normalize'), import('./commands/validate')]);
      return { run: m.normalizeCommand, help: v.NORMALIZE_HELP };
    },
    valued: ['--default-tlp', '--max-object-bytes'],
  },
  convert: {
    summary: 'convert between native formats (MISP, STIX 1, OpenIOC, CSV, text, STIX 2.0/2.1), offline',
    load: fromModule(
      () => import('./commands/convert'),
      (m) => ({ run: m.convertCommand, help: m.CONVERT_HELP }),
    ),
    valued: ['--from', '--to', '--mapping', '--export-mapping', '--config', '--out', '--source-name', '--identity', '--title'],
  },
  import: {
    summary: 'import a native document into a collection (via Redis and the worker)',
    load: fromModule(
      () => import('./commands/import'),
      (m) => ({ run: m.importCommand, help: m.IMPORT_HELP }),
    ),
    valued: ['--collection', '--format', '--mapping', '--as', '--config', '--redis-url', '--key-prefix', '--timeout', '--data-dir'],
  },
  export: {
    summary: "export a collection in a partner's native format (via Redis)",
    load: fromModule(
      () => import('./commands/export'),
      (m) => ({ run: m.exportCommand, help: m.EXPORT_HELP }),
    ),
    valued: ['--collection', '--format', '--out', '--mapping', '--as', '--config', '--redis-url', '--key-prefix', '--data-dir', '--title'],
  },
  inquiry: {
    summary: 'formal inquiries: open, list, show, ack, answer, close through the API; verify a thread offline',
    load: fromModule(
      () => import('./commands/inquiry'),
      (m) => ({ run: m.inquiryCommand, help: m.INQUIRY_HELP }),
    ),
    valued: [
      '--to',
      '--subject',
      '--description',
      '--urgency',
      '--action',
      '--evidence',
      '--lang',
      '--state',
      '--text',
      '--translation',
      '--key',
      '--config',
      '--data-dir',
      '--url',
      '--user',
      '--password-file',
      '--token-file',
    ],
  },
  sync: {
    summary: 'federation: run a source or sink now (--source/--sink NAME), or print their state (--status)',
    load: fromModule(
      () => import('./commands/sync'),
      (m) => ({ run: m.syncCommand, help: m.SYNC_HELP }),
    ),
    valued: ['--source', '--sink', '--config', '--redis-url', '--key-prefix', '--data-dir'],
  },
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
  const cmd = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    io.stderr(`taxii-gateway: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const loaded = await cmd.load();
  if (asksForHelp(rest, new Set(cmd.valued ?? []))) {
    io.stdout(loaded.help);
    return 0;
  }
  return loaded.run(rest, io);
}

function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
      return Buffer.concat(chunks);
    },
  };
}

/** Resolves when everything written to `stream` so far has been flushed (or the stream failed). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}

/** Runs the CLI on this process's arguments and streams, then exits with the command's status. */
export function runCli(): void {
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
      // Server roles end here after shutdown. Exit once stdout and stderr have handed every byte to the OS: a
      // pipe is written asynchronously, and exiting earlier cut `convert … | next-tool` off at the pipe buffer.
      void Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => setTimeout(() => process.exit(code), 50).unref());
    },
    (err: unknown) => {
      process.stderr.write(`taxii-gateway: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) runCli();
