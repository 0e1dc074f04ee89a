/**
 * Turns a validated, cross-checked RawConfig into the runtime GatewayConfig: fills the defaults the file may
 * leave out and spells credentials as CredentialSpec. The result is deeply frozen.
 */
import type {
  ApiRootConfig,
  CollectionConfig,
  CredentialSpec,
  GatewayConfig,
  PrincipalConfig,
  ServerConfig,
  TlpLevel,
} from './types';
import type { RawConfig, RawCredential } from './config-schema';
import { deepFreeze } from './deep-freeze';

/** Values used where collections.yaml is silent. */
export const CONFIG_DEFAULTS = Object.freeze({
  public_discovery: false,
  max_page_size: 1000,
  default_page_size: 100,
  status_ttl_seconds: 86400,
  media_types: Object.freeze(['application/stix+json;version=2.1']),
  admin: false,
});

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

function tlp(level: RawConfig['collections'][number]['default_tlp']): TlpLevel | undefined {
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
    readers: [...c.readers],
    writers: [...c.writers],
    ...optional('default_tlp', tlp(c.default_tlp)),
    ...optional('native_format', c.native_format),
    ...optional('csv_mapping', c.csv_mapping),
  }));
  const principals: PrincipalConfig[] = raw.principals.map((p) => ({
    name: p.name,
    identity: p.identity,
    admin: p.admin ?? CONFIG_DEFAULTS.admin,
    credentials: credentialSpecs(p.credentials),
  }));
  const csv_mappings = { ...(raw.csv_mappings ?? {}) };
  return deepFreeze({ file, server, api_roots, collections, principals, csv_mappings });
}
