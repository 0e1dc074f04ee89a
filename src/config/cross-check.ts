/**
 * The rules of collections.yaml that a JSON Schema cannot express: uniqueness, references between sections,
 * hash parameters, and (when an environment is given) that every referenced environment variable is set.
 */
import { checkSecretHash } from '../common/secret-hash';
import { type ConfigProblem, problem } from './config-problem';
import { type RawConfig, type RawCredentialSource, closest } from './config-schema';
import { formatValuePath } from './yaml-locator';
import { checkFederation } from './federation-config';
import { checkInquiries } from './inquiry-config';
import type { OutcomeCode } from '../common/outcome-codes';

export interface CrossCheckOptions {
  /** When given, `hash_env` / `secret_env` variables must be set (and `hash_env` must hold a valid hash). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The discovery endpoint lives at /taxii2/, so no API root may take that path segment. */
const RESERVED_API_ROOT_NAMES: ReadonlySet<string> = new Set(['taxii2']);

const UUID_SHAPE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function listOf(names: readonly string[]): string {
  const shown = names.slice(0, 10).join(', ');
  return names.length > 10 ? `${shown}, ...` : shown;
}

/** Reports each value seen before at an earlier index; `what` names the thing in the message. */
function duplicates(
  values: readonly { value: string; scope?: string; path: readonly (string | number)[] }[],
  code: OutcomeCode,
  what: string,
): ConfigProblem[] {
  const seen = new Map<string, readonly (string | number)[]>();
  const out: ConfigProblem[] = [];
  for (const { value, scope, path } of values) {
    // The scope (an API root name) cannot contain "/", so the composite key is unambiguous.
    const key = scope === undefined ? value : `${scope}/${value}`;
    const first = seen.get(key);
    if (first) {
      const where = scope === undefined ? '' : ` in API root "${scope}"`;
      out.push(problem(code, path, `${what} "${value}"${where} is already used at ${formatValuePath(first)}`));
    } else {
      seen.set(key, path);
    }
  }
  return out;
}

/** The `field` of each entry of the `section` list is unique (API root names, collection ids, principal names). */
function uniqueField(section: string, field: string, values: readonly string[], code: OutcomeCode, what: string): ConfigProblem[] {
  const entries = values.map((value, i) => ({ value, path: [section, i, field] }));
  return duplicates(entries, code, what);
}

function checkPrincipalRefs(config: RawConfig, known: readonly string[]): ConfigProblem[] {
  const knownSet = new Set(known);
  const out: ConfigProblem[] = [];
  config.collections.forEach((c, ci) => {
    for (const list of ['readers', 'writers'] as const) {
      c[list].forEach((entry, ni) => {
        const name = typeof entry === 'string' ? entry : entry.name;
        if (knownSet.has(name)) return;
        const guess = closest(name, known);
        const hint = guess === undefined ? '' : `did you mean "${guess}"? `;
        out.push(
          problem('UNKNOWN_PRINCIPAL', ['collections', ci, list, ni], `unknown principal "${name}" (${hint}known: ${listOf(known)})`),
        );
      });
    }
  });
  return out;
}

function checkApiRootRefs(config: RawConfig, roots: readonly string[]): ConfigProblem[] {
  const rootSet = new Set(roots);
  const out: ConfigProblem[] = [];
  const def = config.server.default_api_root;
  if (def !== undefined && !rootSet.has(def)) {
    out.push(problem('UNKNOWN_API_ROOT', ['server', 'default_api_root'], `no API root named "${def}" (known: ${listOf(roots)})`));
  }
  config.collections.forEach((c, ci) => {
    if (!rootSet.has(c.api_root)) {
      out.push(problem('UNKNOWN_API_ROOT', ['collections', ci, 'api_root'], `no API root named "${c.api_root}" (known: ${listOf(roots)})`));
    }
  });
  config.api_roots.forEach((r, ri) => {
    if (RESERVED_API_ROOT_NAMES.has(r.name.toLowerCase())) {
      out.push(problem('RESERVED_NAME', ['api_roots', ri, 'name'], `"${r.name}" is the discovery path and cannot name an API root`));
    }
  });
  return out;
}

function checkCollections(config: RawConfig): ConfigProblem[] {
  const ids = config.collections.map((c) => c.id);
  const out = uniqueField('collections', 'id', ids, 'DUPLICATE_ID', 'collection id');
  // Aliases are unique per API root: the same alias under two roots names two different URLs.
  out.push(
    ...duplicates(
      config.collections.flatMap((c, ci) =>
        c.alias === undefined ? [] : [{ value: c.alias, scope: c.api_root, path: ['collections', ci, 'alias'] }],
      ),
      'DUPLICATE_ALIAS',
      'alias',
    ),
  );
  config.collections.forEach((c, ci) => {
    // An alias that looks like a UUID would be ambiguous with collection ids in URLs.
    if (c.alias !== undefined && UUID_SHAPE.test(c.alias)) {
      out.push(problem('INVALID_ALIAS', ['collections', ci, 'alias'], 'an alias must not look like a UUID (ids use that form)'));
    }
  });
  return out;
}

function checkCredentialSource(
  source: RawCredentialSource,
  path: readonly (string | number)[],
  principal: string,
  env: CrossCheckOptions['env'],
): ConfigProblem[] {
  if (source === 'generate') return [];
  if (source.hash !== undefined) {
    const checked = checkSecretHash(source.hash);
    return 'error' in checked ? [problem('INVALID_HASH', [...path, 'hash'], checked.error)] : [];
  }
  if (env === undefined) return [];
  const variable = source.hash_env ?? source.secret_env;
  const key = source.hash_env !== undefined ? 'hash_env' : 'secret_env';
  if (variable === undefined) return [];
  const value = env[variable];
  if (value === undefined || value === '') {
    return [problem('ENV_MISSING', [...path, key], `environment variable ${variable} (credential of principal "${principal}") is not set`)];
  }
  if (key === 'hash_env') {
    const checked = checkSecretHash(value.trim());
    if ('error' in checked) {
      return [problem('INVALID_HASH', [...path, key], `environment variable ${variable} does not hold a valid hash: ${checked.error}`)];
    }
  }
  return [];
}

function checkPrincipals(config: RawConfig, names: readonly string[], env: CrossCheckOptions['env']): ConfigProblem[] {
  const out = uniqueField('principals', 'name', names, 'DUPLICATE_PRINCIPAL', 'principal name');
  config.principals.forEach((p, pi) => {
    // Generated secrets are stored per principal and kind, so one of each kind is all that can be told apart.
    const generated = new Set<string>();
    p.credentials.forEach((cred, ci) => {
      for (const kind of ['basic', 'bearer'] as const) {
        const source = cred[kind];
        if (source === undefined) continue;
        const path = ['principals', pi, 'credentials', ci, kind];
        if (source === 'generate') {
          if (generated.has(kind)) {
            out.push(problem('DUPLICATE_CREDENTIAL', path, `principal "${p.name}" already has a generated ${kind} credential`));
          }
          generated.add(kind);
        }
        out.push(...checkCredentialSource(source, path, p.name, env));
      }
    });
  });
  return out;
}

function checkServer(config: RawConfig): ConfigProblem[] {
  const { max_page_size: max = 1000, default_page_size: def = 100 } = config.server;
  if (def > max) {
    return [
      problem(
        'INVALID_VALUE',
        ['server', config.server.default_page_size === undefined ? 'max_page_size' : 'default_page_size'],
        `default_page_size (${def}) must not exceed max_page_size (${max})`,
      ),
    ];
  }
  return [];
}

/** Trust settings (src/policy/, TLS) whose parts depend on each other. */
function checkTrust(config: RawConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  config.collections.forEach((c, ci) => {
    // `ru-cert` and `{ name: ru-cert }` in one list are different items to uniqueItems but the same reader.
    out.push(
      ...duplicates(
        c.readers.map((r, ri) => ({ value: typeof r === 'string' ? r : r.name, path: ['collections', ci, 'readers', ri] })),
        'DUPLICATE_ITEM',
        'reader',
      ),
    );
  });
  const tls = config.server.tls;
  const mode = tls?.client_certs ?? 'none';
  if (tls !== undefined && mode !== 'none' && tls.ca_file === undefined) {
    out.push(
      problem('MISSING_KEY', ['server', 'tls'], `client_certs: ${mode} needs ca_file (the CA that client certificates must chain to)`),
    );
  }
  if (tls !== undefined && tls.require_password_too === true && mode === 'none') {
    out.push(
      problem('INVALID_VALUE', ['server', 'tls', 'require_password_too'], 'require_password_too needs client_certs: optional or required'),
    );
  }
  const seen = new Map<string, string>();
  config.principals.forEach((p, pi) => {
    (p.client_certs ?? []).forEach((cc, ci) => {
      const key =
        cc.sha256 !== undefined
          ? `sha256:${cc.sha256.replace(/:/g, '').toUpperCase()}`
          : cc.subject_cn !== undefined
            ? `cn:${cc.subject_cn}`
            : `san:${cc.san ?? ''}`;
      const other = seen.get(key);
      if (other !== undefined && other !== p.name) {
        out.push(
          problem('DUPLICATE_ITEM', ['principals', pi, 'client_certs', ci], `this client certificate already maps to principal "${other}"`),
        );
      }
      seen.set(key, p.name);
    });
  });
  return out;
}

/** Each collection's csv_mapping must name an entry of csv_mappings. */
function checkCsvMappingRefs(config: RawConfig): ConfigProblem[] {
  const known = Object.keys(config.csv_mappings ?? {});
  const out: ConfigProblem[] = [];
  config.collections.forEach((c, ci) => {
    if (c.csv_mapping === undefined || known.includes(c.csv_mapping)) return;
    const guess = closest(c.csv_mapping, known);
    const hint = guess === undefined ? '' : `did you mean "${guess}"? `;
    const list = known.length === 0 ? 'csv_mappings is empty' : `known: ${listOf(known)}`;
    out.push(
      problem('UNKNOWN_CSV_MAPPING', ['collections', ci, 'csv_mapping'], `no CSV mapping named "${c.csv_mapping}" (${hint}${list})`),
    );
  });
  return out;
}

/** Every cross-section problem of a schema-valid config, in file order of sections. */
export function crossCheck(config: RawConfig, opts: CrossCheckOptions = {}): ConfigProblem[] {
  const roots = config.api_roots.map((r) => r.name);
  const principals = config.principals.map((p) => p.name);
  return [
    ...checkServer(config),
    ...checkApiRootRefs(config, roots),
    ...uniqueField('api_roots', 'name', roots, 'DUPLICATE_API_ROOT', 'API root name'),
    ...checkCollections(config),
    ...checkPrincipalRefs(config, principals),
    ...checkPrincipals(config, principals, opts.env),
    ...checkCsvMappingRefs(config),
    ...checkTrust(config),
    ...checkFederation(config, opts.env),
    ...checkInquiries(config, opts.env),
  ];
}
