/**
 * Native HTTPS and mutual TLS. `server.tls` in collections.yaml (or the --tls-* options) gives the key and
 * certificate; with `client_certs: optional | required` the server asks for a client certificate that must
 * chain to `ca_file`, and maps it to a principal through `principals[].client_certs` (subject CN, a
 * subjectAltName value, or the SHA-256 fingerprint). TLS 1.2 is the minimum version.
 *
 * Authentication per request (createRequestAuthenticator):
 * - a verified client certificate that maps to a principal authenticates as that principal; with
 *   `require_password_too` the request must also carry Basic/Bearer credentials of the same principal;
 * - an Authorization header that authenticates a different principal than the certificate is refused;
 * - `required`: the handshake refuses unverified certificates, and a verified one that maps to no principal
 *   is refused with 401 (same answer as a wrong password);
 * - `optional` or `none`: without a certificate the Authorization header decides, as over plain HTTP.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServerOptions } from 'node:https';
import { type PeerCertificate, TLSSocket } from 'node:tls';
import type { AuthOutcome, AuthenticatedPrincipal } from '../auth/types';
import type { ClientCertMatch, PrincipalConfig, TlsConfig } from '../config/types';

export type ClientCertMode = TlsConfig['client_certs'];

/** Reads the key, certificate and CA files (relative paths against `baseDir`) into https server options. */
export async function loadTlsServerOptions(tls: TlsConfig, baseDir: string): Promise<ServerOptions> {
  const read = (file: string): Promise<Buffer> => readFile(path.resolve(baseDir, file));
  const [key, cert, ca] = await Promise.all([
    read(tls.key_file),
    read(tls.cert_file),
    tls.ca_file === undefined ? undefined : read(tls.ca_file),
  ]);
  return {
    key,
    cert,
    ...(ca === undefined ? {} : { ca }),
    minVersion: 'TLSv1.2',
    requestCert: tls.client_certs !== 'none',
    rejectUnauthorized: tls.client_certs === 'required',
  };
}

/** The values of a subjectaltname string (`DNS:a, URI:b, email:c`), each with and without its prefix. */
export function subjectAltNames(san: string | undefined): string[] {
  if (san === undefined) return [];
  const out: string[] = [];
  for (const part of san.split(',').slice(0, 100)) {
    const entry = part.trim();
    if (entry === '') continue;
    out.push(entry);
    const colon = entry.indexOf(':');
    if (colon > 0) out.push(entry.slice(colon + 1));
  }
  return out;
}

function commonName(cert: PeerCertificate): string | undefined {
  const cn: unknown = cert.subject?.CN;
  if (typeof cn === 'string') return cn;
  return Array.isArray(cn) && typeof cn[0] === 'string' ? cn[0] : undefined;
}

function certMatches(cert: PeerCertificate, m: ClientCertMatch): boolean {
  switch (m.kind) {
    case 'sha256':
      return cert.fingerprint256.replace(/:/g, '').toUpperCase() === m.value;
    case 'subject_cn':
      return commonName(cert) === m.value;
    case 'san':
      return subjectAltNames(cert.subjectaltname).includes(m.value);
  }
}

/** The principal a verified client certificate maps to; the fingerprint is tried before names. */
export function principalForCertificate(cert: PeerCertificate, principals: readonly PrincipalConfig[]): AuthenticatedPrincipal | undefined {
  const toPrincipal = (p: PrincipalConfig): AuthenticatedPrincipal => ({ name: p.name, identity: p.identity, admin: p.admin });
  for (const kind of ['sha256', 'subject_cn', 'san'] as const) {
    for (const p of principals) {
      if ((p.client_certs ?? []).some((m) => m.kind === kind && certMatches(cert, m))) return toPrincipal(p);
    }
  }
  return undefined;
}

export interface RequestLike {
  readonly socket: unknown;
  readonly headers: { readonly authorization?: string | undefined };
}

/** The verified peer certificate of a TLS connection, if any. */
export function verifiedPeerCertificate(socket: unknown): PeerCertificate | undefined {
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  return cert && typeof cert.fingerprint256 === 'string' && cert.fingerprint256 !== '' ? cert : undefined;
}

/** Combines client certificates and Authorization headers into one request authenticator (see module doc). */
export function createRequestAuthenticator(
  opts: { readonly mode: ClientCertMode; readonly requirePasswordToo: boolean; readonly principals: readonly PrincipalConfig[] },
  authenticateHeader: (authorization: string | undefined) => Promise<AuthOutcome>,
): (req: RequestLike) => Promise<AuthOutcome> {
  return async (req) => {
    const header = req.headers.authorization;
    const cert = opts.mode === 'none' ? undefined : verifiedPeerCertificate(req.socket);
    const byCert = cert === undefined ? undefined : principalForCertificate(cert, opts.principals);
    if (opts.mode === 'required' && byCert === undefined) {
      // The handshake let a verified certificate through, but it belongs to nobody configured here.
      if (header !== undefined) await authenticateHeader(header); // same cost as any failure
      return { ok: false, reason: cert === undefined ? 'missing' : 'invalid' };
    }
    if (byCert === undefined) return authenticateHeader(header);
    if (header === undefined) return opts.requirePasswordToo ? { ok: false, reason: 'missing' } : { ok: true, principal: byCert };
    const byHeader = await authenticateHeader(header);
    if (!byHeader.ok) return byHeader;
    return byHeader.principal.name === byCert.name ? byHeader : { ok: false, reason: 'invalid' };
  };
}

/** TLS as the server runs it: https options plus how client certificates are used. */
export interface ResolvedTls {
  readonly serverOptions: ServerOptions;
  readonly mode: ClientCertMode;
  readonly requirePasswordToo: boolean;
}

/** Command-line TLS options (they replace server.tls when --tls-key/--tls-cert are given). */
export interface TlsCliOptions {
  readonly tlsKey?: string;
  readonly tlsCert?: string;
  readonly tlsCa?: string;
  readonly tlsClientCerts?: ClientCertMode;
}

/**
 * The TLS settings in force: the command line's when it names a key and certificate (paths relative to the
 * working directory), else `server.tls` (paths relative to collections.yaml), else none (plain HTTP).
 */
export async function resolveTls(tls: TlsConfig | undefined, configFile: string, cli: TlsCliOptions): Promise<ResolvedTls | undefined> {
  let effective: TlsConfig | undefined = tls;
  let baseDir = path.dirname(configFile);
  if (cli.tlsKey !== undefined && cli.tlsCert !== undefined) {
    baseDir = process.cwd();
    effective = {
      key_file: cli.tlsKey,
      cert_file: cli.tlsCert,
      ...(cli.tlsCa === undefined ? {} : { ca_file: cli.tlsCa }),
      client_certs: cli.tlsClientCerts ?? tls?.client_certs ?? 'none',
      require_password_too: tls?.require_password_too ?? false,
    };
  }
  if (effective === undefined) return undefined;
  if (effective.client_certs !== 'none' && effective.ca_file === undefined) {
    throw new Error(`client_certs: ${effective.client_certs} needs a CA file (server.tls.ca_file or --tls-ca)`);
  }
  return {
    serverOptions: await loadTlsServerOptions(effective, baseDir),
    mode: effective.client_certs,
    requirePasswordToo: effective.require_password_too,
  };
}
