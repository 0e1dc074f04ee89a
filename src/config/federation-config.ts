/**
 * The `sources:` and `sinks:` sections of collections.yaml (federation with other TAXII 2.1 servers,
 * src/federation/): their cross-checks and their runtime form with defaults filled in.
 */
import { GATEWAY_ID_NAMESPACE, uuidV5 } from '../stix/identifiers';
import { type ConfigProblem, problem } from './config-problem';
import { type RawConfig, type RawRemote, type RawTlp, closest } from './config-schema';
import type { FederationSchedule, RemoteCollectionConfig, SinkConfig, SourceConfig } from './types';
import type { TlpLevel } from '../stix/markings';

/** Values used where a source or sink leaves a setting out. */
export const FEDERATION_DEFAULTS = Object.freeze({
  page_size: 500,
  max_objects_per_run: 100_000,
  timeout_seconds: 60,
  connect_timeout_seconds: 10,
  max_retries: 5,
  status_timeout_seconds: 300,
});

/** The id of the collection a source's `into` or a sink's `from` names: an id, else an alias (default root first). */
export function resolveLocalCollection(raw: RawConfig, ref: string): string | undefined {
  const byId = raw.collections.find((c) => c.id === ref);
  if (byId) return byId.id;
  const matches = raw.collections.filter((c) => c.alias === ref);
  return (matches.find((c) => c.api_root === raw.server.default_api_root) ?? matches[0])?.id;
}

/** The STIX identity ingest jobs of a source are attributed to when the file names none (stable per name). */
export function defaultSourceIdentity(sourceName: string): string {
  return `identity--${uuidV5(`federation:${sourceName}`, GATEWAY_ID_NAMESPACE)}`;
}

function schedule(s: number | string): FederationSchedule {
  return typeof s === 'number' ? { every_seconds: s } : { cron: s };
}

function remote(r: RawRemote): RemoteCollectionConfig {
  return {
    url: r.url,
    collection: r.collection,
    ...(r.auth === undefined ? {} : { auth: r.auth }),
    page_size: r.page_size ?? FEDERATION_DEFAULTS.page_size,
    max_objects_per_run: r.max_objects_per_run ?? FEDERATION_DEFAULTS.max_objects_per_run,
    timeout_seconds: r.timeout_seconds ?? FEDERATION_DEFAULTS.timeout_seconds,
    connect_timeout_seconds: r.connect_timeout_seconds ?? FEDERATION_DEFAULTS.connect_timeout_seconds,
    max_retries: r.max_retries ?? FEDERATION_DEFAULTS.max_retries,
    schedule: schedule(r.schedule),
  };
}

function tlp(level: RawTlp | undefined): TlpLevel | undefined {
  return level === 'white' ? 'clear' : level;
}

/** The runtime form of `sources:` and `sinks:` (a cross-checked config: every reference resolves). */
export function buildFederation(raw: RawConfig): { sources: SourceConfig[]; sinks: SinkConfig[] } {
  const sources = (raw.sources ?? []).map((s): SourceConfig => ({
    ...remote(s),
    name: s.name,
    into: resolveLocalCollection(raw, s.into) ?? s.into,
    filters: { ...s.filters },
    identity: s.identity ?? defaultSourceIdentity(s.name),
  }));
  const sinks = (raw.sinks ?? []).map((s): SinkConfig => {
    const maxTlp = tlp(s.max_tlp);
    return {
      ...remote(s),
      name: s.name,
      from: resolveLocalCollection(raw, s.from) ?? s.from,
      ...(s.principal === undefined ? {} : { principal: s.principal }),
      ...(maxTlp === undefined ? {} : { max_tlp: maxTlp }),
      filters: { ...s.filters },
      status_timeout_seconds: s.status_timeout_seconds ?? FEDERATION_DEFAULTS.status_timeout_seconds,
    };
  });
  return { sources, sinks };
}

function checkRemote(
  r: RawRemote,
  path: readonly (string | number)[],
  env: Readonly<Record<string, string | undefined>> | undefined,
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const a = r.auth;
  if (a?.basic !== undefined && a.bearer !== undefined) {
    out.push(problem('INVALID_VALUE', [...path, 'auth'], 'give basic or bearer, not both'));
  }
  if (a?.tls !== undefined && (a.tls.cert_file === undefined) !== (a.tls.key_file === undefined)) {
    out.push(problem('MISSING_KEY', [...path, 'auth', 'tls'], 'a client certificate needs both cert_file and key_file'));
  }
  if (env !== undefined) {
    const vars: [string, string | undefined][] = [
      ['password_env', a?.basic?.password_env],
      ['token_env', a?.bearer?.token_env],
    ];
    for (const [key, name] of vars) {
      if (name === undefined || (env[name] ?? '') !== '') continue;
      const section = key === 'password_env' ? 'basic' : 'bearer';
      out.push(problem('ENV_MISSING', [...path, 'auth', section, key], `environment variable ${name} (secret of "${r.name}") is not set`));
    }
  }
  return out;
}

function duplicateNames(items: readonly { name: string }[], section: string): ConfigProblem[] {
  const seen = new Set<string>();
  const out: ConfigProblem[] = [];
  items.forEach((it, i) => {
    if (seen.has(it.name)) out.push(problem('DUPLICATE_NAME', [section, i, 'name'], `${section} name "${it.name}" is used twice`));
    seen.add(it.name);
  });
  return out;
}

function unknownCollection(raw: RawConfig, ref: string, path: readonly (string | number)[]): ConfigProblem[] {
  if (resolveLocalCollection(raw, ref) !== undefined) return [];
  const known = raw.collections.flatMap((c) => (c.alias === undefined ? [c.id] : [c.alias, c.id]));
  const guess = closest(ref, known);
  const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
  return [problem('UNKNOWN_COLLECTION', path, `no local collection with id or alias "${ref}"${hint}`)];
}

/** Names unique per section, local collections and principals that exist, auth parts that fit together. */
export function checkFederation(raw: RawConfig, env?: Readonly<Record<string, string | undefined>>): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const sources = raw.sources ?? [];
  const sinks = raw.sinks ?? [];
  out.push(...duplicateNames(sources, 'sources'), ...duplicateNames(sinks, 'sinks'));
  sources.forEach((s, i) => {
    out.push(...unknownCollection(raw, s.into, ['sources', i, 'into']), ...checkRemote(s, ['sources', i], env));
  });
  const principals = raw.principals.map((p) => p.name);
  sinks.forEach((s, i) => {
    out.push(...unknownCollection(raw, s.from, ['sinks', i, 'from']), ...checkRemote(s, ['sinks', i], env));
    if (s.principal !== undefined && !principals.includes(s.principal)) {
      out.push(problem('UNKNOWN_PRINCIPAL', ['sinks', i, 'principal'], `unknown principal "${s.principal}"`));
    }
  });
  return out;
}
