/**
 * The one argument parser of every `taxii-gateway` sub-command: `--name value`, `--name=value`, boolean
 * `--name`, positional arguments (`-` is standard input), and `-h`/`--help` everywhere. After `--`, every
 * argument is positional.
 */

/** Flags of a command: name → whether it takes a value. `--help` is implied. */
export type FlagSpec = Readonly<Record<string, boolean>>;

export interface ParsedArgs {
  readonly values: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
  readonly positional: readonly string[];
}

/** Parses argv (after the command name); returns a message for a usage error. */
export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs | string {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  let optionsEnded = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (optionsEnded) {
      positional.push(arg);
      continue;
    }
    if (arg === '--') {
      optionsEnded = true;
      continue;
    }
    if (arg === '-h' || arg === '--help') {
      flags.add('--help');
      continue;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) return `unknown option "${arg}"`;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const takesValue = spec[name];
    if (takesValue === undefined) return `unknown option "${arg}"`;
    if (!takesValue) {
      if (eq > 0) return `${name} takes no value`;
      flags.add(name);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') return `${name} needs a value`;
    values.set(name, value);
  }
  return { values, flags, positional };
}

/**
 * True when the arguments ask for help: `-h` or `--help` before any `--`, and not in the place of a value
 * (`--as -h` names a principal). `valued` lists the options that take a value, when known.
 */
export function asksForHelp(argv: readonly string[], valued: ReadonlySet<string> = new Set()): boolean {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') return false;
    if (arg === '-h' || arg === '--help') return true;
    if (valued.has(arg)) i++;
  }
  return false;
}
