/**
 * Turns a validated, cross-checked RawConfig into the runtime GatewayConfig: fills the defaults the file may
 * leave out and spells credentials as CredentialSpec. The result is deeply frozen.
 */
import type {
  ApiRootConfig,
  ClientCertMatch,
  RateLimitConfig,
  ReaderClearance,
  CollectionConfig,
  CredentialSpec,
  GatewayConfig,
  PrincipalConfig,
  ServerConfig,
} from './types';
import type { TlpLevel } from '../stix/markings';
import type { RawConfig, RawCredential, RawRateLimit, RawReader, RawTlp } from './config-schema';
import { deepFreeze } from './deep-freeze';
import { buildFederation } from './federation-config';
import { buildInquiries } from './inquiry-config';

/** Values used where collections.yaml is silent. */
export const CONFIG_DEFAULTS = Object.freeze({
  public_discovery: false,
  max_page_size: 1000,
  default_page_size: 100,
  status_ttl_seconds: 86400,
  media_types: Object.freeze(['application/stix+json;version=2.1']),
  admin: false,
  client_certs: 'none' as const,
  require_password_too: false,
  audit_max_age_days: 365,
  audit_max_entries: 1_000_000,
});

function rateLimit(raw: RawRateLimit | undefined): RateLimitConfig | undefined {
  if (raw === undefined) return undefined;
  return {
    ...optional('requests_per_minute', raw.requests_per_minute),
    ...optional('max_concurrent', raw.max_concurrent),
  };
}

function readerName(r: RawReader): string {
  return typeof r === 'string' ? r : r.name;
}

/** The readers given with a clearance or sharing rules (a map entry with only a name is a plain reader). */
function readerClearances(readers: readonly RawReader[]): ReaderClearance[] | undefined {
  const out: ReaderClearance[] = [];
  for (const r of readers) {
    if (typeof r === 'string') continue;
    const level = r.max_tlp === undefined ? undefined : tlp(r.max_tlp);
    if (level === undefined && r.refused_markings === undefined && r.accepted_producers === undefined) continue;
    out.push({
      name: r.name,
      ...(level === undefined ? {} : { max_tlp: level }),
      ...(r.refused_markings === undefined ? {} : { refused_markings: [...r.refused_markings] }),
      ...(r.accepted_producers === undefined ? {} : { accepted_producers: [...r.accepted_producers] }),
    });
  }
  return out.length === 0 ? undefined : out;
}

function clientCerts(raw: RawConfig['principals'][number]['client_certs']): ClientCertMatch[] | undefined {
  if (raw === undefined) return undefined;
  const out: ClientCertMatch[] = [];
  for (const c of raw) {
    if (c.subject_cn !== undefined) out.push({ kind: 'subject_cn', value: c.subject_cn });
    else if (c.san !== undefined) out.push({ kind: 'san', value: c.san });
    else if (c.sha256 !== undefined) out.push({ kind: 'sha256', value: c.sha256.replace(/:/g, '').toUpperCase() });
  }
  return out;
}

function credentialSpecs(raw: readonly RawCredential[]): CredentialSpec[] {
  const out: CredentialSpec[] = [];
  for (const cred of raw) {
    for (const kind of ['basic', 'bearer'] as const) {
      const source = cred[kind];
      if (source === undefined) continue;
      if (source === 'generate') out.push({ kind, source: 'generate' });
      else if (source.hash !== undefined) out.push({ kind, source: 'hash', hash: source.hash });
      else if (source.hash_env !== undefined) out.push({ kind, source: 'hash_env', env: source.hash_env });
      else if (source.secret_env !== undefined) out.push({ kind, source: 'secret_env', env: source.secret_env });
    }
  }
  return out;
}

/** Copies only the optional keys that are present, so absent ones stay absent (not `undefined`). */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  const out: Partial<Record<K, V>> = {};
  if (value !== undefined) out[key] = value;
  return out;
}

function tlp(level: RawTlp | undefined): TlpLevel | undefined {
  return level === 'white' ? 'clear' : level;
}

export function buildConfig(raw: RawConfig, file: string): GatewayConfig {
  const s = raw.server;
  const server: ServerConfig = {
    title: s.title,
    ...optional('description', s.description),
    ...optional('contact', s.contact),
    ...optional('default_api_root', s.default_api_root),
    public_discovery: s.public_discovery ?? CONFIG_DEFAULTS.public_discovery,
    max_page_size: s.max_page_size ?? CONFIG_DEFAULTS.max_page_size,
    default_page_size: s.default_page_size ?? CONFIG_DEFAULTS.default_page_size,
    status_ttl_seconds: s.status_ttl_seconds ?? CONFIG_DEFAULTS.status_ttl_seconds,
    ...optional(
      'tls',
      s.tls === undefined
        ? undefined
        : {
            key_file: s.tls.key_file,
            cert_file: s.tls.cert_file,
            ...optional('ca_file', s.tls.ca_file),
            client_certs: s.tls.client_certs ?? CONFIG_DEFAULTS.client_certs,
            require_password_too: s.tls.require_password_too ?? CONFIG_DEFAULTS.require_password_too,
          },
    ),
    ...optional('rate_limit', rateLimit(s.rate_limit)),
  };
  const api_roots: ApiRootConfig[] = raw.api_roots.map((r) => ({
    name: r.name,
    title: r.title,
    ...optional('description', r.description),
    max_content_length: r.max_content_length,
  }));
  const collections: CollectionConfig[] = raw.collections.map((c) => ({
    id: c.id,
    api_root: c.api_root,
    ...optional('alias', c.alias),
    title: c.title,
    ...optional('description', c.description),
    ...optional('country', c.country),
    ...optional('cert', c.cert),
    media_types: [...(c.media_types ?? CONFIG_DEFAULTS.media_types)],
    readers: c.readers.map(readerName),
    writers: [...c.writers],
    ...optional('default_tlp', tlp(c.default_tlp)),
    ...optional('native_format', c.native_format),
    ...optional('csv_mapping', c.csv_mapping),
    ...optional('reader_clearances', readerClearances(c.readers)),
    ...optional('max_tlp_accepted', tlp(c.max_tlp_accepted)),
    ...optional('require_own_identity', c.require_own_identity),
    ...optional('accepted_producers', c.accepted_producers === undefined ? undefined : [...c.accepted_producers]),
    ...optional('refused_markings', c.refused_markings === undefined ? undefined : [...c.refused_markings]),
    ...optional('unknown_markings', c.unknown_markings),
  }));
  const principals: PrincipalConfig[] = raw.principals.map((p) => ({
    name: p.name,
    identity: p.identity,
    admin: p.admin ?? CONFIG_DEFAULTS.admin,
    credentials: credentialSpecs(p.credentials),
    ...optional('max_tlp', tlp(p.max_tlp)),
    ...optional('rate_limit', rateLimit(p.rate_limit)),
    ...optional('client_certs', clientCerts(p.client_certs)),
  }));
  const audit = {
    max_age_days: raw.audit?.max_age_days ?? CONFIG_DEFAULTS.audit_max_age_days,
    max_entries: raw.audit?.max_entries ?? CONFIG_DEFAULTS.audit_max_entries,
  };
  const csv_mappings = { ...(raw.csv_mappings ?? {}) };
  const { sources, sinks } = buildFederation(raw);
  const inquiries = buildInquiries(raw);
  return deepFreeze({ file, server, api_roots, collections, principals, csv_mappings, audit, sources, sinks, inquiries });
}
