import type { FlagSpec } from './args';

/** What a CLI sub-command receives: its arguments and the process's streams/environment, injectable in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when standard output is a terminal (readable logs, progress bars); absent = not a terminal. */
  readonly stdoutIsTty?: boolean;
  /** True when standard error is a terminal (progress bars are drawn there). */
  readonly stderrIsTty?: boolean;
  /** Reads standard input completely (for `-` arguments). */
  readonly readStdin: () => Promise<Buffer>;
}

/** A sub-command: resolves to the process exit code. */
export type CommandMain = (argv: readonly string[], io: CliIo) => Promise<number>;

/**
 * A sub-command as the dispatcher (src/main/cli.ts) loads it: its run function, its help text, and the options
 * its parser accepts (name → whether it takes a value). The command's module is the one place they are declared.
 */
export interface Command extends CommandMain {
  readonly help: string;
  readonly options: FlagSpec;
}
