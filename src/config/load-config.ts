/**
 * Loading collections.yaml: parse (YAML, duplicate keys are errors) → JSON Schema → cross-checks → defaults
 * and deep freeze. Every problem becomes a ConfigIssue with file, line and column; a config is returned only
 * when there is none. One run reports every problem: when the schema finds some, the values it refused are set
 * aside and the cross-checks still run on the rest (their findings about a set-aside value are dropped, so no
 * message follows from an earlier one). A YAML syntax error stops there: nothing after it can be trusted.
 */
import { readFile, stat } from 'node:fs/promises';
import { type ErrorCode, LineCounter, isAlias, parseDocument, visit } from 'yaml';
import type { OutcomeCode } from '../common/outcome-codes';
import { buildConfig } from './build-config';
import type { ConfigProblem } from './config-problem';
import { validateConfigSchema } from './config-schema';
import { type CrossCheckOptions, crossCheck } from './cross-check';
import type { ConfigIssue, GatewayConfig } from './types';
import { type ValuePath, YamlLocator, formatValuePath } from './yaml-locator';

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

/** YAML errors that an over-indented line causes (the parser reports them on the line before). */
const INDENT_CODES: ReadonlySet<string> = new Set(['BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'BAD_INDENT']);

/**
 * When line `line` (1-based) is `key: value` and the next line that holds something is indented deeper, that
 * next line is the mistake: its position and the key above it.
 */
function overIndented(text: string, line: number): { line: number; column: number; key: string } | undefined {
  const lines = text.split('\n');
  const here = lines[line - 1];
  const m = here === undefined ? null : /^(\s*)(?:- +)?([^:#\s][^:#]*?):[ \t]+[^\s#]/.exec(here);
  if (m === null || m[2] === undefined) return undefined;
  const indent = (m[1] ?? '').length;
  for (let i = line; i < lines.length && i < line + 50; i++) {
    const next = lines[i] ?? '';
    if (/^\s*(#.*)?$/.test(next)) continue;
    const nextIndent = /^ */.exec(next)?.[0].length ?? 0;
    return nextIndent > indent ? { line: i + 1, column: nextIndent + 1, key: m[2].trim().slice(0, 60) } : undefined;
  }
  return undefined;
}

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
  const seen = new Set<string>();
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = locator.positionOfOffset(e.pos[0]);
    const deeper = INDENT_CODES.has(e.code) ? overIndented(text, pos.line) : undefined;
    if (deeper !== undefined) {
      const where = `${deeper.line}:${deeper.column}`;
      if (!seen.has(where)) {
        seen.add(where);
        yamlIssues.push(
          at(
            deeper.line,
            deeper.column,
            'YAML_BAD_INDENT',
            `this line is indented deeper than "${deeper.key}" on line ${pos.line}, which already has a value: ` +
              'indent it like the keys next to it',
          ),
        );
      }
      continue;
    }
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
  if (!('value' in schema)) {
    const cross = crossCheckDespite(value, schema.problems, opts);
    return { issues: [...schema.problems, ...cross].map(toIssue).sort(byPosition) };
  }
  const crossProblems = crossCheck(schema.value, opts);
  if (crossProblems.length > 0) return { issues: crossProblems.map(toIssue).sort(byPosition) };
  return { config: buildConfig(schema.value, file), issues: [] };
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function startsWith(path: ValuePath, prefix: ValuePath): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => path[i] === p);
}

/**
 * The cross-check problems of a value the schema refused: the refused properties are removed from a copy
 * (a key of a map; an array element cannot be removed without renumbering the rest, so its map is emptied of
 * the refused key or, failing that, the run gives up), until the copy passes the schema (at most 8 rounds).
 * Cross-check findings at or below a removed path are dropped.
 */
function crossCheckDespite(value: unknown, problems: readonly ConfigProblem[], opts: ConfigLoadOptions): ConfigProblem[] {
  const copy: unknown = structuredClone(value);
  const removed: ValuePath[] = [];
  let current = problems;
  for (let round = 0; round < 8; round++) {
    for (const p of current) {
      // a missing key is reported on its map: the map itself goes
      const path = p.path;
      if (path.length === 0) return [];
      const parent = path
        .slice(0, -1)
        .reduce<unknown>((v, k) => (isPlainRecord(v) || Array.isArray(v) ? Reflect.get(v, k) : undefined), copy);
      const key = path[path.length - 1];
      if (!isPlainRecord(parent) || typeof key !== 'string') return [];
      Reflect.deleteProperty(parent, key);
      removed.push(path);
    }
    const again = validateConfigSchema(copy);
    if ('value' in again) {
      return crossCheck(again.value, opts).filter((c) => !removed.some((r) => startsWith(c.path, r)));
    }
    current = again.problems;
  }
  return [];
}

/** Reads and checks a config file; an unreadable file is reported as an issue, not thrown. */
export async function loadConfigFile(path: string, opts: ConfigLoadOptions = {}): Promise<ConfigLoadResult> {
  let text: string;
  try {
    // Checked before reading so a wrong path to a huge file is not loaded into memory.
    if ((await stat(path)).size > MAX_CONFIG_BYTES) {
      return {
        issues: [{ file: path, line: 1, column: 1, code: 'FILE_TOO_LARGE', message: `the file is larger than ${MAX_CONFIG_BYTES} bytes` }],
      };
    }
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT' ? 'file not found' : String(err);
    return { issues: [{ file: path, line: 1, column: 1, code: 'FILE_UNREADABLE', message: `cannot read the file: ${reason}` }] };
  }
  return loadConfigText(text, path, opts);
}
