/**
 * Credentials for a remote TAXII server, resolved at run time from what collections.yaml names: environment
 * variables or files (relative paths against the config file's directory). Nothing secret is in the config.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RemoteAuthConfig } from '../config/types';
import { FederationError } from './federation-error';

export interface ResolvedAuth {
  /** The Authorization header value, when Basic or Bearer is configured. */
  readonly authorization?: string;
  /** PEM material for the https.Agent (client certificate, trusted CA). */
  readonly tls?: { readonly cert?: Buffer; readonly key?: Buffer; readonly ca?: Buffer };
}

export interface SecretSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative file names are resolved against (that of collections.yaml). */
  readonly baseDir: string;
}

/** Largest secret or PEM file read (a certificate chain is a few kB). */
const MAX_SECRET_FILE_BYTES = 1024 * 1024;

async function fileBytes(file: string, sources: SecretSources, what: string): Promise<Buffer> {
  const full = path.resolve(sources.baseDir, file);
  try {
    const data = await readFile(full);
    if (data.length > MAX_SECRET_FILE_BYTES) throw new Error('file too large');
    return data;
  } catch (err) {
    throw new FederationError('AUTH_CONFIG', `cannot read ${what} file ${full}: ${err instanceof Error ? err.message : String(err)}`, {
      retryable: false,
    });
  }
}

async function secret(envName: string | undefined, file: string | undefined, sources: SecretSources, what: string): Promise<string> {
  if (envName !== undefined) {
    const v = sources.env[envName];
    if (v === undefined || v === '')
      throw new FederationError('AUTH_CONFIG', `environment variable ${envName} (${what}) is not set`, { retryable: false });
    return v;
  }
  if (file !== undefined) return (await fileBytes(file, sources, what)).toString('utf8').trim();
  throw new FederationError('AUTH_CONFIG', `no source given for the ${what}`, { retryable: false });
}

export async function resolveRemoteAuth(auth: RemoteAuthConfig | undefined, sources: SecretSources): Promise<ResolvedAuth> {
  if (auth === undefined) return {};
  let authorization: string | undefined;
  if (auth.basic) {
    const password = await secret(auth.basic.password_env, auth.basic.password_file, sources, 'password');
    authorization = `Basic ${Buffer.from(`${auth.basic.username}:${password}`, 'utf8').toString('base64')}`;
  } else if (auth.bearer) {
    authorization = `Bearer ${await secret(auth.bearer.token_env, auth.bearer.token_file, sources, 'bearer token')}`;
  }
  let tls: ResolvedAuth['tls'];
  if (auth.tls) {
    const t = auth.tls;
    tls = {
      ...(t.cert_file === undefined ? {} : { cert: await fileBytes(t.cert_file, sources, 'client certificate') }),
      ...(t.key_file === undefined ? {} : { key: await fileBytes(t.key_file, sources, 'client key') }),
      ...(t.ca_file === undefined ? {} : { ca: await fileBytes(t.ca_file, sources, 'CA') }),
    };
  }
  return { ...(authorization === undefined ? {} : { authorization }), ...(tls === undefined ? {} : { tls }) };
}
