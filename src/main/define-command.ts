/**
 * The opening every argument-parsing sub-command shares: parse argv with the command's flags, answer
 * `--help`, reject a usage error (with the help text) before the command runs.
 */
import { parseArgs, type FlagSpec, type ParsedArgs } from './args';
import type { CliIo, Command, CommandMain } from './cli-types';

export interface CommandDefinition {
  /** The sub-command's name, prefixed to its usage errors. */
  readonly name: string;
  readonly help: string;
  /** The options it accepts (`--help` is implied). */
  readonly spec: FlagSpec;
  /** A usage error in the parsed arguments (wrong positional count…), or undefined; absent = noPositional. */
  readonly check?: (args: ParsedArgs) => string | undefined;
  readonly run: (args: ParsedArgs, io: CliIo) => Promise<number>;
}

/** Positional check of a command that takes none. */
export function noPositional(args: ParsedArgs): string | undefined {
  return args.positional.length > 0 ? `unexpected argument "${args.positional[0] ?? ''}"` : undefined;
}

/**
 * The command: a parse error or a failed check prints `NAME: message` and the help on stderr (exit 2);
 * `--help` on arguments that parse prints the help (exit 0), as the CLI dispatcher does before loading.
 */
export function defineCommand(def: CommandDefinition): Command {
  return command(def.help, def.spec, async (argv, io) => {
    const usageError = (message: string): number => {
      io.stderr(`${def.name}: ${message}\n\n${def.help}`);
      return 2;
    };
    const args = parseArgs(argv, def.spec);
    if (typeof args === 'string') return usageError(args);
    if (args.flags.has('--help')) {
      io.stdout(def.help);
      return 0;
    }
    const usage = (def.check ?? noPositional)(args);
    return usage === undefined ? def.run(args, io) : usageError(usage);
  });
}

/** A command of value options only and no positional argument; `run` receives the values given, by name. */
export function defineValueCommand<F extends string>(
  name: string,
  help: string,
  names: readonly F[],
  run: (values: Partial<Record<F, string>>, io: CliIo) => Promise<number>,
): Command {
  return defineCommand({ name, help, spec: valueSpec(names), run: async (parsed, io) => run(optionValues(parsed, names), io) });
}

/** A run function with the help text and the options its parser accepts, as the dispatcher loads it. */
export function command(help: string, options: FlagSpec, run: CommandMain): Command {
  return Object.assign((argv: readonly string[], io: CliIo) => run(argv, io), { help, options });
}

/** The flags of a command whose options all take a value, from their names without the dashes. */
export function valueSpec(names: readonly string[]): FlagSpec {
  return Object.fromEntries(names.map((n) => [`--${n}`, true]));
}

/** The values given for `names` (as declared by valueSpec), keyed by the name without the dashes. */
export function optionValues<F extends string>(args: ParsedArgs, names: readonly F[]): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  for (const name of names) {
    const value = args.values.get(`--${name}`);
    if (value !== undefined) out[name] = value;
  }
  return out;
}
