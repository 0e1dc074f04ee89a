/**
 * The `taxii-gateway` command: one code base, several roles (docs/architecture.md). Every sub-command answers
 * `--help` and `-h`; exit codes: 0 ok, 1 failure (problems found, start-up refused), 2 usage error.
 *
 * Start-up time matters for scripts that convert many small files: a command's module (and with it the
 * libraries it needs) is loaded only when that command runs, and help is printed without running it.
 */
import { asksForHelp } from './args';
import type { CliIo, Command } from './cli-types';

interface CommandEntry {
  readonly summary: string;
  /** Loads the command's module on first use: the command carries its help text and its options. */
  readonly load: () => Promise<Command>;
}

const role = (r: 'start' | 'serve' | 'worker') => async (): Promise<Command> => (await import('./commands/server')).roleCommand(r);

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  start: { summary: 'API + worker in one process (private Redis when REDIS_URL is unset)', load: role('start') },
  serve: { summary: 'TAXII 2.1 API only', load: role('serve') },
  worker: { summary: 'ingest worker only', load: role('worker') },
  'check-config': {
    summary: 'validate collections.yaml; every problem with line:column',
    load: async () => (await import('./commands/check-config')).checkConfigCommand,
  },
  audit: {
    summary: 'print the audit trail (who read or wrote what) as JSON lines',
    load: async () => (await import('./commands/audit')).auditCommand,
  },
  report: {
    summary: 'the exchange report per CERT and period (--since 30d; html, json or csv)',
    load: async () => (await import('./commands/report')).reportCommand,
  },
  'hash-secret': {
    summary: 'hash a password or bearer token for collections.yaml',
    load: async () => (await import('./commands/hash-secret')).hashSecretCommand,
  },
  validate: {
    summary: 'validate a STIX bundle or TAXII envelope offline',
    load: async () => (await import('./commands/validate')).validateCommand,
  },
  normalize: {
    summary: 'print the canonical STIX 2.1 form of a bundle, offline',
    load: async () => (await import('./commands/normalize')).normalizeCommand,
  },
  convert: {
    summary: 'convert between native formats (MISP, STIX 1, OpenIOC, CSV, text, STIX 2.0/2.1), offline',
    load: async () => (await import('./commands/convert')).convertCommand,
  },
  import: {
    summary: 'import a native document into a collection (via Redis and the worker)',
    load: async () => (await import('./commands/import')).importCommand,
  },
  export: {
    summary: "export a collection in a partner's native format (via Redis)",
    load: async () => (await import('./commands/export')).exportCommand,
  },
  inquiry: {
    summary: 'formal inquiries: open, list, show, ack, answer, close through the API; verify a thread offline',
    load: async () => (await import('./commands/inquiry')).inquiryCommand,
  },
  sync: {
    summary: 'federation: run a source or sink now (--source/--sink NAME), or print their state (--status)',
    load: async () => (await import('./commands/sync')).syncCommand,
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
  // `--as -h` names a principal: an option that takes a value takes the next argument, whatever it is.
  const valued = new Set(Object.keys(loaded.options).filter((name) => loaded.options[name] === true));
  if (asksForHelp(rest, valued)) {
    io.stdout(loaded.help);
    return 0;
  }
  return loaded(rest, io);
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
