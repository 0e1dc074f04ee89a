/**
 * Loading collections.yaml: parse (YAML, duplicate keys are errors) → JSON Schema → cross-checks → defaults
 * and deep freeze. Every problem becomes a ConfigIssue with file, line and column; a config is returned only
 * when there is none. Each stage runs only when the previous one found nothing, so messages never follow from
 * an earlier error.
 */
import { readFile, stat } from 'node:fs/promises';
import { type ErrorCode, LineCounter, isAlias, parseDocument, visit } from 'yaml';
import type { OutcomeCode } from '../common/outcome-codes';
import { buildConfig } from './build-config';
import type { ConfigProblem } from './config-problem';
import { validateConfigSchema } from './config-schema';
import { type CrossCheckOptions, crossCheck } from './cross-check';
import type { ConfigIssue, GatewayConfig } from './types';
import { YamlLocator, formatValuePath } from './yaml-locator';

export interface ConfigLoadResult {
  /** Present only when `issues` is empty. Deeply frozen. */
  readonly config?: GatewayConfig;
  readonly issues: readonly ConfigIssue[];
}

export type ConfigLoadOptions = CrossCheckOptions;

/** A config file larger than this is refused before parsing (it is a few kB in practice). */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Most alias expansions while composing the value (guards against "billion laughs" documents). */
const MAX_ALIAS_COUNT = 100;

/** `file:line:column: CODE message`, the format of `check-config` and of start-up errors. */
export function formatConfigIssue(i: ConfigIssue): string {
  return `${i.file}:${i.line}:${i.column}: ${i.code} ${i.message}`;
}

function byPosition(a: ConfigIssue, b: ConfigIssue): number {
  return a.line - b.line || a.column - b.column;
}

/** Every YAML parser code is in the catalogue (the return type checks it). */
function yamlCode(code: ErrorCode): OutcomeCode {
  return `YAML_${code}`;
}

const YAML_MESSAGES: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: 'duplicate key',
  MULTIPLE_DOCS: 'the file must hold one YAML document (remove the extra "---")',
};

/** Parses and checks config text; `file` is only used in issues and in `config.file`. */
export function loadConfigText(text: string, file: string, opts: ConfigLoadOptions = {}): ConfigLoadResult {
  const at = (line: number, column: number, code: OutcomeCode, message: string): ConfigIssue => ({
    file,
    line,
    column,
    code,
    message,
  });
  if (Buffer.byteLength(text, 'utf8') > MAX_CONFIG_BYTES) {
    return { issues: [at(1, 1, 'FILE_TOO_LARGE', `the file is larger than ${MAX_CONFIG_BYTES} bytes`)] };
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter });
  const locator = new YamlLocator(doc, lineCounter);
  const yamlIssues: ConfigIssue[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = locator.positionOfOffset(e.pos[0]);
    const base = YAML_MESSAGES[e.code] ?? e.message;
    // The error range covers only the start of the key; show the key up to its colon.
    const key = /^[^:\n]{1,60}/.exec(text.slice(e.pos[0], e.pos[0] + 61))?.[0]?.trim();
    const message = e.code === 'DUPLICATE_KEY' && key !== undefined && key !== '' ? `${base} "${key}"` : base;
    yamlIssues.push(at(pos.line, pos.column, yamlCode(e.code), message));
  }
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.resolve(doc) === undefined) {
        const pos = locator.positionOfOffset(node.range?.[0] ?? 0);
        yamlIssues.push(at(pos.line, pos.column, 'YAML_BAD_ALIAS', `alias *${node.source} refers to no anchor`));
      }
    },
  });
  if (yamlIssues.length > 0) return { issues: yamlIssues.sort(byPosition) };
  if (doc.contents === null) return { issues: [at(1, 1, 'EMPTY_FILE', 'the file holds no configuration')] };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    return { issues: [at(1, 1, 'YAML_COMPOSE', err instanceof Error ? err.message : String(err))] };
  }

  const toIssue = (p: ConfigProblem): ConfigIssue => {
    const pos = locator.locate(p.path, p.target);
    return at(pos.line, pos.column, p.code, `${formatValuePath(p.path)}: ${p.reason}`);
  };
  const schema = validateConfigSchema(value);
  if (!('value' in schema)) return { issues: schema.problems.map(toIssue).sort(byPosition) };
  const crossProblems = crossCheck(schema.value, opts);
  if (crossProblems.length > 0) return { issues: crossProblems.map(toIssue).sort(byPosition) };
  return { config: buildConfig(schema.value, file), issues: [] };
}

/** Reads and checks a config file; an unreadable file is reported as an issue, not thrown. */
export async function loadConfigFile(path: string, opts: ConfigLoadOptions = {}): Promise<ConfigLoadResult> {
  let text: string;
  try {
    // Checked before reading so a wrong path to a huge file is not loaded into memory.
    if ((await stat(path)).size > MAX_CONFIG_BYTES) {
      return { issues: [{ file: path, line: 1, column: 1, code: 'FILE_TOO_LARGE', message: `the file is larger than ${MAX_CONFIG_BYTES} bytes` }] };
    }
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT' ? 'file not found' : String(err);
    return { issues: [{ file: path, line: 1, column: 1, code: 'FILE_UNREADABLE', message: `cannot read the file: ${reason}` }] };
  }
  return loadConfigText(text, path, opts);
}
