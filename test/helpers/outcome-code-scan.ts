/**
 * Finds the outcome codes the source emits, for the catalogue test (test/unit/common/outcome-codes.test.ts).
 *
 * Two rules, chosen so that the scan cannot silently find nothing:
 * - every SCREAMING_SNAKE string literal with an underscore (`'TLP_ABOVE_ACCEPTED'`), and every such word opening a
 *   message (`'JOB_EXPIRED: …'`, `` `COLLECTION_GONE: …` ``), is a code unless it is on NOT_CODES (environment
 *   variable names, vocabulary values, constants of other libraries);
 * - a one-word code (`'REFANGED'`, `'FORBIDDEN'`) counts only in an emitting position: `issue(severity, 'X'`,
 *   `new SomeError(…, 'X'`, `.info('X'`, `code: 'X'`, a status → code table entry.
 * Codes built from a template (`${format}_TOO_LARGE`) are expanded from DYNAMIC_FAMILIES.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import type { ErrorCode } from 'yaml';

/** SCREAMING_SNAKE literals in src/ that are not outcome codes. */
export const NOT_CODES: ReadonlySet<string> = new Set([
  'LOG_LEVEL',
  'REDIS_URL',
  'REDIS_CLUSTER_NODES',
  // Windows registry hives and STIX 1 vocabulary values (src/mapping/stix1).
  'HKEY_CLASSES_ROOT',
  'HKEY_CURRENT_CONFIG',
  'HKEY_CURRENT_USER',
  'HKEY_LOCAL_MACHINE',
  'HKEY_PERFORMANCE_DATA',
  'HKEY_USERS',
  'CVE_ID',
  'OSVDB_ID',
  // Hash algorithm spelling (src/stix/values/hash.ts).
  'SHA_256',
  // Node and http-parser error codes, matched, not emitted (src/http/client-error.ts, src/main/data-dir.ts).
  'HPE_HEADER_OVERFLOW',
  'ERR_HTTP_REQUEST_TIMEOUT',
  'ECONNRESET',
  'EEXIST',
  'ENOENT',
  'EPERM',
  // The yaml library's own codes, emitted prefixed as YAML_<code> (src/config/load-config.ts).
  'DUPLICATE_KEY',
  'MULTIPLE_DOCS',
  'BLOCK_AS_IMPLICIT_KEY',
  'MULTILINE_IMPLICIT_KEY',
  'BAD_INDENT',
]);

/**
 * Environment variables are named GATEWAY_*; address families, socket types and registry value types are STIX
 * vocabulary values (src/mapping/misp/sco-builder.ts).
 */
const NOT_CODE_PREFIXES: readonly string[] = ['GATEWAY_', 'AF_', 'SOCK_', 'REG_'];

/** `${prefix}_REST` templates and the values the prefix takes. */
export const DYNAMIC_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  // src/mapping/csv/decode-text.ts, called with 'CSV' and 'TXT'.
  '${format}_': ['CSV', 'TXT'],
};

/**
 * The yaml library's error codes; src/config/load-config.ts emits each as YAML_<code> (its return type makes the
 * compiler check that the catalogue has them all; these lines check that this list is the library's whole set).
 */
export const YAML_ERROR_CODES = [
  'ALIAS_PROPS',
  'BAD_ALIAS',
  'BAD_DIRECTIVE',
  'BAD_DQ_ESCAPE',
  'BAD_INDENT',
  'BAD_PROP_ORDER',
  'BAD_SCALAR_START',
  'BLOCK_AS_IMPLICIT_KEY',
  'BLOCK_IN_FLOW',
  'DUPLICATE_KEY',
  'IMPOSSIBLE',
  'KEY_OVER_1024_CHARS',
  'MISSING_CHAR',
  'MULTILINE_IMPLICIT_KEY',
  'MULTIPLE_ANCHORS',
  'MULTIPLE_DOCS',
  'MULTIPLE_TAGS',
  'NON_STRING_KEY',
  'RESOURCE_EXHAUSTION',
  'TAB_AS_INDENT',
  'TAG_RESOLVE_FAILED',
  'UNEXPECTED_TOKEN',
  'BAD_COLLECTION_TYPE',
] as const satisfies readonly ErrorCode[];
const _allYamlCodesListed: [Exclude<ErrorCode, (typeof YAML_ERROR_CODES)[number]>] extends [never] ? true : false = true;
void _allYamlCodesListed;

/** Schema keys that never fail on their own (structure, annotations) or whose failure has its own code. */
const SILENT_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema',
  '$id',
  '$ref',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'allOf',
  'then',
  'else',
  'items',
  'additionalProperties',
]);
const SUBSCHEMA_MAPS: ReadonlySet<string> = new Set(['properties', 'patternProperties', 'definitions', '$defs']);

function collectKeywords(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectKeywords(n, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (SUBSCHEMA_MAPS.has(key) || key === 'dependencies') {
      if (key === 'dependencies') out.add(key);
      if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) collectKeywords(v, out);
      continue;
    }
    out.add(key);
    if (key !== 'enum' && key !== 'const' && key !== 'required') collectKeywords(value, out);
  }
}

/**
 * The codes src/stix/schema-validator.ts gives the failures of the keywords the STIX schemas use (`minItems` →
 * SCHEMA_MIN_ITEMS), read from the schema files.
 */
export function schemaKeywordCodes(schemaDir: string): Set<string> {
  const files: string[] = [];
  const walkJson = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walkJson(full);
      else if (name.endsWith('.json')) files.push(full);
    }
  };
  walkJson(schemaDir);
  const keywords = new Set<string>();
  for (const f of files) collectKeywords(JSON.parse(readFileSync(f, 'utf8')) as unknown, keywords);
  const codes = new Set<string>();
  for (const k of keywords) {
    if (!SILENT_KEYWORDS.has(k)) codes.add(`SCHEMA_${k.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`);
  }
  return codes;
}

const SNAKE = '[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+';
const WORD = '[A-Z][A-Z0-9]+';
const QUOTED_SNAKE = new RegExp(`['"\`](${SNAKE})['"\`:]`, 'g');
const EMITTING_WORD = new RegExp(
  [
    `issue\\(\\s*'(?:error|warning|info)',\\s*'(${WORD})'`,
    `Error\\((?:\\s*\\d+,)?\\s*'(${WORD})'`,
    `\\.(?:info|warn|warning|error|note)\\(\\s*(?:'\\w+',\\s*)?'(${WORD})'`,
    `\\bcode(?:: | = | === )'(${WORD})'`,
    `\\bproblem\\(\\s*'(${WORD})'`,
    `\\d{3}: \\['(${WORD})'`,
    `\\? err\\.code : '(${WORD})'`,
  ].join('|'),
  'g',
);
const TEMPLATE = /`(\$\{\w+\}_)([A-Z0-9]+(?:_[A-Z0-9]+)*)`/g;

export interface ScanResult {
  /** code → files (relative to the repository root) that emit it */
  readonly codes: ReadonlyMap<string, readonly string[]>;
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      // Generated STIX vocabularies (AF_INET, REG_SZ …) are data values, not outcomes.
      if (name !== 'generated') walk(full, out);
    } else if (name.endsWith('.ts') || name.endsWith('.lua')) {
      out.push(full);
    }
  }
}

function isCode(code: string): boolean {
  return !NOT_CODES.has(code) && !NOT_CODE_PREFIXES.some((p) => code.startsWith(p));
}

/** Scans the text of one source file. */
export function scanText(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(QUOTED_SNAKE)) {
    const code = m[1];
    if (code !== undefined && isCode(code)) found.add(code);
  }
  for (const m of text.matchAll(EMITTING_WORD)) {
    const code = m.slice(1).find((g) => g !== undefined);
    if (code !== undefined && isCode(code)) found.add(code);
  }
  for (const m of text.matchAll(TEMPLATE)) {
    const prefixes = DYNAMIC_FAMILIES[m[1] ?? ''];
    for (const p of prefixes ?? []) found.add(`${p}_${m[2] ?? ''}`);
  }
  return found;
}

/** Scans every .ts and .lua file under `srcDir`. */
export function scanSource(srcDir: string, root: string): ScanResult {
  const files: string[] = [];
  walk(srcDir, files);
  const codes = new Map<string, string[]>();
  for (const file of files) {
    for (const code of scanText(readFileSync(file, 'utf8'))) {
      const list = codes.get(code) ?? [];
      list.push(relative(root, file));
      codes.set(code, list);
    }
  }
  return { codes };
}
