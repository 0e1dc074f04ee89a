/**
 * `check-config [--config FILE] [--skip-env]`: parses and validates collections.yaml exactly as start-up does
 * and prints every problem as `file:line:column: CODE message`.
 */
import { formatConfigIssue, loadConfigFile } from '../../config/load-config';
import type { Command } from '../cli-types';
import { defineCommand } from '../define-command';

export const CHECK_CONFIG_HELP = `Usage: taxii-gateway check-config [--config FILE] [--skip-env]

Checks collections.yaml (YAML syntax, unknown keys, types, ids, references between sections, hashes) and
prints every problem as file:line:column: CODE message on stderr.

Options:
  --config FILE   the file to check (default: $GATEWAY_CONFIG, else ./collections.yaml)
  --skip-env      do not require the environment variables named by hash_env / secret_env to be set
                  (for checking a production file on a machine that does not hold its secrets)
  -h, --help      show this help

Exit status: 0 when the file is valid, 1 when it has problems, 2 on a usage error.
`;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const checkConfigCommand: Command = defineCommand({
  name: 'check-config',
  help: CHECK_CONFIG_HELP,
  spec: { '--config': true, '--skip-env': false },
  run: async (args, io) => {
    const path = args.values.get('--config') ?? io.env['GATEWAY_CONFIG'] ?? './collections.yaml';
    const skipEnv = args.flags.has('--skip-env');
    const result = await loadConfigFile(path, skipEnv ? {} : { env: io.env });
    if (!result.config) {
      for (const issue of result.issues) io.stderr(`${formatConfigIssue(issue)}\n`);
      io.stderr(`${path}: ${plural(result.issues.length, 'problem')}\n`);
      return 1;
    }
    const c = result.config;
    io.stdout(
      `${path}: OK: ${plural(c.api_roots.length, 'API root')} (${c.api_roots.map((r) => r.name).join(', ')}), ` +
        `${plural(c.collections.length, 'collection')}, ${plural(c.principals.length, 'principal')}\n`,
    );
    return 0;
  },
});
