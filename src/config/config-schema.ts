/**
 * JSON Schema validation of collections.yaml: one ajv instance, the schema compiled once per process on first
 * use, the compiled function used as a type guard for RawConfig. ajv errors are translated into ConfigProblems
 * whose message names the field and the reason, and whose path points at the offending key or value.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { CsvMapping } from '../mapping/csv/types';
import type { ApiRootConfig, CollectionConfig, InquirySmtpConfig, RateLimitConfig, ReaderClearance, RemoteAuthConfig } from './types';
import { type ConfigProblem, problem } from './config-problem';
import { type ValuePath, pointerToPath } from './yaml-locator';
import type { OutcomeCode } from '../common/outcome-codes';

/** A credential source as spelled in the file: `generate`, or a map with exactly one of its keys. */
export type RawCredentialSource = 'generate' | { readonly hash?: string; readonly hash_env?: string; readonly secret_env?: string };

/** One credential as spelled in the file: a map with exactly one of `basic` or `bearer`. */
export interface RawCredential {
  readonly basic?: RawCredentialSource;
  readonly bearer?: RawCredentialSource;
}

/** collections.yaml after schema validation, before defaults (the shape the schema guarantees). */
export interface RawConfig {
  /** Named CSV column mappings (the schema of src/mapping/csv/csv-mapping.schema.json). */
  readonly csv_mappings?: Readonly<Record<string, CsvMapping>>;
  readonly server: {
    readonly title: string;
    readonly description?: string;
    readonly contact?: string;
    readonly default_api_root?: string;
    readonly public_discovery?: boolean;
    readonly max_page_size?: number;
    readonly default_page_size?: number;
    readonly status_ttl_seconds?: number;
    readonly tls?: {
      readonly key_file: string;
      readonly cert_file: string;
      readonly ca_file?: string;
      readonly client_certs?: 'none' | 'optional' | 'required';
      readonly require_password_too?: boolean;
    };
    readonly rate_limit?: RawRateLimit;
  };
  readonly api_roots: readonly ApiRootConfig[];
  readonly collections: readonly RawCollection[];
  readonly principals: readonly {
    readonly name: string;
    readonly identity: string;
    readonly admin?: boolean;
    readonly max_tlp?: RawTlp;
    readonly rate_limit?: RawRateLimit;
    readonly client_certs?: readonly { readonly subject_cn?: string; readonly san?: string; readonly sha256?: string }[];
    readonly credentials: readonly RawCredential[];
  }[];
  readonly audit?: { readonly max_age_days?: number; readonly max_entries?: number };
  readonly sources?: readonly RawSource[];
  readonly sinks?: readonly RawSink[];
  readonly inquiries?: RawInquiries;
}

/** The `inquiries:` section (docs/inquiries.md); durations as written (`30m`, `4h`, `7d`). */
export interface RawInquiries {
  readonly urgency?: Readonly<Partial<Record<'routine' | 'priority' | 'urgent', RawInquiryDeadlines>>>;
  readonly channels: readonly { readonly collection: string; readonly authorities: readonly string[]; readonly tlp?: RawTlp }[];
  readonly partner_keys?: readonly { readonly authorities: readonly string[]; readonly public_key_file: string }[];
  readonly contacts?: Readonly<
    Record<string, { readonly duty: readonly RawInquiryContact[]; readonly escalation?: readonly RawInquiryContact[] }>
  >;
  readonly smtp?: InquirySmtpConfig;
}

export interface RawInquiryContact {
  readonly name: string;
  readonly email?: string;
  readonly webhook?: string;
  readonly secret_env?: string;
  readonly secret_file?: string;
  readonly hours?: string;
}

export interface RawInquiryDeadlines {
  readonly acknowledge_within: string;
  readonly answer_within: string;
  readonly remind_before?: string;
}

/** The parts of a `sources:` or `sinks:` entry that name and reach the remote collection. */
export interface RawRemote {
  readonly name: string;
  readonly url: string;
  readonly collection: string;
  readonly auth?: RemoteAuthConfig;
  /** Seconds between runs, or a cron pattern. */
  readonly schedule: number | string;
  readonly page_size?: number;
  readonly max_objects_per_run?: number;
  readonly timeout_seconds?: number;
  readonly connect_timeout_seconds?: number;
  readonly max_retries?: number;
}

export interface RawSource extends RawRemote {
  readonly into: string;
  readonly filters?: { readonly type?: readonly string[]; readonly spec_version?: readonly string[]; readonly id?: readonly string[] };
  readonly identity?: string;
}

export interface RawSink extends RawRemote {
  readonly from: string;
  readonly principal?: string;
  readonly max_tlp?: RawTlp;
  readonly filters?: { readonly type?: readonly string[] };
  readonly status_timeout_seconds?: number;
}

/**
 * A `collections` entry as written: the runtime form (src/config/types.ts CollectionConfig) with the file's
 * spellings (readers with their clearances, TLP 1.0 names) and without what the build fills in.
 */
export type RawCollection = Omit<CollectionConfig, 'media_types' | 'readers' | 'default_tlp' | 'max_tlp_accepted' | 'reader_clearances'> & {
  readonly media_types?: readonly string[];
  readonly readers: readonly RawReader[];
  readonly default_tlp?: RawTlp;
  readonly max_tlp_accepted?: RawTlp;
};

/** A TLP name as the file may spell it (TLP 1.0 `white` included). */
export type RawTlp = 'clear' | 'white' | 'green' | 'amber' | 'amber+strict' | 'red';

/** A `readers` entry: a principal name, or the name with a clearance. */
export type RawReader = string | ReaderClearance<RawTlp>;

/** `rate_limit` as written: the same fields as the runtime form. */
export type RawRateLimit = RateLimitConfig;

/** Where the schema lives, relative to this file both in src/config and in dist/config. */
export const CONFIG_SCHEMA_PATH = resolve(__dirname, '..', '..', 'schemas', 'config', 'collections.schema.json');

let compiled: ValidateFunction<RawConfig> | undefined;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The compiled validator; compiles the schema on first call (a broken schema file is a fault: it throws). */
export function configValidator(): ValidateFunction<RawConfig> {
  if (compiled) return compiled;
  const schema: unknown = JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8'));
  if (!isRecord(schema)) throw new Error(`${CONFIG_SCHEMA_PATH}: the schema is not a JSON object`);
  const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
  compiled = ajv.compile<RawConfig>(schema);
  return compiled;
}

/** What a value must look like, per schema definition; the code says which rule it broke. */
const PATTERN_RULES: Readonly<Record<string, { code: OutcomeCode; hint: string }>> = {
  uuid: { code: 'INVALID_UUID', hint: 'must be a lowercase UUID such as 5a2e7c52-3f0b-4d4e-9d3e-2b1f6a7c8d90' },
  identity_id: {
    code: 'INVALID_IDENTITY',
    hint: 'must be a STIX identity id: identity--<lowercase UUID>',
  },
  secret_hash: {
    code: 'INVALID_HASH',
    hint: 'must be an scrypt hash scrypt$N=<n>,r=<r>,p=<p>$<salt>$<key> (produce one with `taxii-gateway hash-secret`)',
  },
  name: {
    code: 'INVALID_VALUE',
    hint: 'must be 1-64 characters: letters, digits, ".", "_", "-", starting with a letter or digit',
  },
  principal_name: {
    code: 'INVALID_VALUE',
    hint: 'must be 1-64 characters: letters, digits, ".", "_", "-", "@", starting with a letter or digit (no ":")',
  },
  country: { code: 'INVALID_VALUE', hint: 'must be an ISO 3166-1 alpha-2 code in capitals, e.g. "US"' },
  media_type: {
    code: 'INVALID_VALUE',
    hint: 'must be a STIX media type: application/stix+json, optionally with ;version=2.1 or ;version=2.0',
  },
  env_name: { code: 'INVALID_VALUE', hint: 'must be an environment variable name (letters, digits, "_")' },
  marking_id: { code: 'INVALID_VALUE', hint: 'must be a marking-definition id: marking-definition--<lowercase UUID>' },
  client_cert: { code: 'INVALID_VALUE', hint: 'sha256 must be a SHA-256 fingerprint: 64 hex digits, optionally colon-separated' },
  duration: { code: 'INVALID_DURATION', hint: 'must be a positive whole number followed by s, m, h or d, e.g. "30m", "4h", "7d"' },
};

function defName(schemaPath: string): string | undefined {
  return /^#\/\$defs\/([a-z_]{1,40})\//.exec(schemaPath)?.[1];
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
};

/** Levenshtein distance for "did you mean" hints; inputs are short keys (bounded by the caller). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The closest candidate within a small distance, for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function param(err: ErrorObject, name: string): unknown {
  const value: unknown = err.params[name];
  return value;
}

function allowedKeys(err: ErrorObject): string[] {
  const props: unknown = err.parentSchema?.['properties'];
  return isRecord(props) ? Object.keys(props) : [];
}

/** Translates one ajv error; undefined for errors that only repeat another one (if/then wrappers). */
function translate(err: ErrorObject): ConfigProblem | undefined {
  const path: ValuePath = pointerToPath(err.instancePath);
  const def = defName(err.schemaPath);
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String(param(err, 'additionalProperty'));
      const allowed = allowedKeys(err);
      const guess = closest(key, allowed);
      const hint = guess === undefined ? '' : `did you mean "${guess}"? `;
      return problem('UNKNOWN_KEY', [...path, key], `unknown key; ${hint}allowed here: ${allowed.join(', ')}`, 'key');
    }
    case 'required':
      return problem('MISSING_KEY', path, `missing required key "${String(param(err, 'missingProperty'))}"`);
    case 'type': {
      const expected = String(param(err, 'type'));
      return problem('WRONG_TYPE', path, `must be ${TYPE_WORDS[expected] ?? expected}, got ${describeType(err.data)}`);
    }
    case 'const':
      return problem(
        'INVALID_CREDENTIAL',
        path,
        `must be the word "generate" or a map with one of hash, hash_env, secret_env (got "${String(err.data)}")`,
      );
    case 'if':
      return undefined;
    case 'minProperties':
    case 'maxProperties': {
      const keys = allowedKeys(err);
      return problem('INVALID_CREDENTIAL', path, `must have exactly one of ${keys.join(', ')}`);
    }
    case 'pattern': {
      const rule = def === undefined ? undefined : PATTERN_RULES[def];
      const shown = typeof err.data === 'string' && err.data.length <= 80 ? ` (got "${err.data}")` : '';
      return problem(rule?.code ?? 'INVALID_VALUE', path, `${rule?.hint ?? `must match ${String(err.schema)}`}${shown}`);
    }
    case 'enum': {
      const options = Array.isArray(err.schema) ? err.schema.map((o) => String(o)).join(', ') : '';
      return problem('INVALID_VALUE', path, `must be one of ${options} (got "${String(err.data)}")`);
    }
    case 'uniqueItems': {
      const i = Number(param(err, 'i'));
      const j = Number(param(err, 'j'));
      return problem('DUPLICATE_ITEM', [...path, Math.max(i, j)], `repeats item [${Math.min(i, j)}]`);
    }
    case 'minItems':
      return problem('INVALID_VALUE', path, `must list at least ${String(param(err, 'limit'))} item(s)`);
    case 'maxItems':
      return problem('INVALID_VALUE', path, `must list at most ${String(param(err, 'limit'))} items`);
    case 'minimum':
    case 'maximum':
      return problem(
        'INVALID_VALUE',
        path,
        `must be ${err.keyword === 'minimum' ? 'at least' : 'at most'} ${String(param(err, 'limit'))} (got ${String(err.data)})`,
      );
    case 'minLength':
      return problem('INVALID_VALUE', path, 'must not be empty');
    case 'maxLength':
      return problem('INVALID_VALUE', path, `must be at most ${String(param(err, 'limit'))} characters`);
    default:
      return problem('SCHEMA', path, err.message ?? `fails schema rule ${err.keyword}`);
  }
}

/** Validates the composed value; either the typed value or the problems found (all of them). */
export function validateConfigSchema(data: unknown): { value: RawConfig; problems: [] } | { problems: ConfigProblem[] } {
  const validate = configValidator();
  if (validate(data)) return { value: data, problems: [] };
  const problems: ConfigProblem[] = [];
  for (const err of validate.errors ?? []) {
    const p = translate(err);
    if (p) problems.push(p);
  }
  return { problems };
}
