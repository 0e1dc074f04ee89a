/** What a CLI sub-command receives: its arguments and the process's streams/environment, injectable in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads standard input completely (for `-` arguments). */
  readonly readStdin: () => Promise<Buffer>;
}

/** A sub-command: resolves to the process exit code. */
export type CommandMain = (argv: readonly string[], io: CliIo) => Promise<number>;
