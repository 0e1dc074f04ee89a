/**
 * Native HTTPS and mutual TLS with real certificates: a throw-away CA, server and client certificates are
 * generated with openssl in a temporary directory, and clients connect over loopback with and without them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SecureVersion } from 'node:tls';
import { loadTlsServerOptions, type ClientCertMode } from '../../src/main/tls';
import { basicAuth, startTrustGateway, TAXII, type TrustGateway } from './trust-gateway';

let dir: string;
const file = (name: string): string => path.join(dir, name);
const read = (name: string): Buffer => readFileSync(file(name));

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
}

/** A key and a certificate signed by `ca` (or self-signed CA when ca is undefined). */
function issue(name: string, subject: string, ca: string | undefined, ext: string): void {
  openssl([
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-subj',
    subject,
    '-out',
    `${name}.csr`,
  ]);
  writeFileSync(file(`${name}.ext`), ext);
  const signer = ca === undefined ? ['-signkey', `${name}.key`] : ['-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial'];
  openssl(['x509', '-req', '-in', `${name}.csr`, '-days', '2', '-sha256', ...signer, '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
}

function fingerprint(name: string): string {
  const out = openssl(['x509', '-in', `${name}.crt`, '-noout', '-fingerprint', '-sha256']);
  return out.slice(out.indexOf('=') + 1).trim();
}

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

interface GetOptions {
  readonly client?: string;
  readonly auth?: string;
  readonly maxVersion?: SecureVersion;
  readonly minVersion?: SecureVersion;
  readonly ciphers?: string;
}

function get(gw: TrustGateway, p: string, o: GetOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: gw.port,
        path: p,
        method: 'GET',
        ca: read('ca.crt'),
        servername: 'localhost',
        ...(o.client === undefined ? {} : { cert: read(`${o.client}.crt`), key: read(`${o.client}.key`) }),
        ...(o.maxVersion === undefined ? {} : { maxVersion: o.maxVersion }),
        ...(o.minVersion === undefined ? {} : { minVersion: o.minVersion }),
        ...(o.ciphers === undefined ? {} : { ciphers: o.ciphers }),
        headers: { Accept: TAXII, ...(o.auth === undefined ? {} : { Authorization: o.auth }) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const SERVER_EXT = 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n';
const CLIENT_EXT = 'extendedKeyUsage=clientAuth\n';
const CA_EXT = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';

async function gateway(mode: ClientCertMode, requirePasswordToo = false): Promise<TrustGateway> {
  const options = await loadTlsServerOptions(
    { key_file: 'server.key', cert_file: 'server.crt', ca_file: 'ca.crt', client_certs: mode, require_password_too: requirePasswordToo },
    dir,
  );
  return startTrustGateway({
    worker: false,
    tls: { options, mode, requirePasswordToo },
    principalExtra: {
      'us-cert': '    client_certs: [{ subject_cn: us-cert-client }]',
      'ru-cert': `    client_certs: [{ sha256: "${fingerprint('ru')}" }]`,
      operator: '    client_certs: [{ san: "email:ops@example.org" }]',
    },
  });
}

/** `code: message` of the error a request fails with (e.g. the TLS alert the server sent), or `answered <status>`. */
async function failure(gw: TrustGateway, p: string, o: GetOptions = {}): Promise<string> {
  try {
    const r = await get(gw, p, o);
    return `answered ${r.status}`;
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
    const message = typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
    return `${code}: ${message}`;
  }
}

function collectionsOf(r: Reply): string[] {
  const body = JSON.parse(r.body) as { collections?: { alias?: string }[] };
  return (body.collections ?? []).map((c) => String(c.alias)).sort();
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gw-tls-'));
  issue('ca', '/CN=Test exchange CA', undefined, CA_EXT);
  issue('rogue', '/CN=Rogue CA', undefined, CA_EXT);
  issue('server', '/CN=localhost', 'ca', SERVER_EXT);
  issue('us', '/CN=us-cert-client', 'ca', CLIENT_EXT);
  issue('ru', '/CN=whatever-ru', 'ca', CLIENT_EXT);
  issue('ops', '/CN=operator-box', 'ca', `${CLIENT_EXT}subjectAltName=email:ops@example.org\n`);
  issue('stranger', '/CN=unknown-client', 'ca', CLIENT_EXT);
  issue('forged', '/CN=us-cert-client', 'rogue', CLIENT_EXT);
}, 30_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTPS with client_certs: required', () => {
  let gw: TrustGateway;
  beforeAll(async () => {
    gw = await gateway('required');
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when a client presents a CA-signed certificate mapped by subject CN, then it is that principal without a password', async () => {
    const r = await get(gw, '/exchange/collections/', { client: 'us' });
    expect(r.status).toBe(200);
    expect(collectionsOf(r)).toEqual(['joint', 'ru', 'us']);
    expect(r.headers['strict-transport-security']).toMatch(/max-age=/);
  });

  it('when a client presents a certificate mapped by SHA-256 fingerprint or by SAN, then it is that principal', async () => {
    const ru = await get(gw, '/exchange/collections/ru/', { client: 'ru' });
    expect(JSON.parse(ru.body)).toMatchObject({ can_write: true });
    const ops = await get(gw, '/gateway/v1/audit?since=1h', { client: 'ops' });
    expect(ops.status).toBe(200); // operator: admin-only endpoint
  });

  // Mutation that made this test fail once: rejectUnauthorized false for `required` in src/main/tls.ts (the
  // handshake completes without a certificate; the request is answered 401 instead).
  it('when a client has no certificate, then the server refuses the handshake with a certificate alert, while the same client with its certificate passes', async () => {
    expect(await failure(gw, '/exchange/collections/', { client: 'us' })).toBe('answered 200');
    // TLS 1.3: alert certificate_required (116); TLS 1.2: alert handshake_failure (40), during the handshake.
    expect(await failure(gw, '/exchange/collections/', { auth: basicAuth('us-cert') })).toMatch(
      /^ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: .*SSL alert number 116/,
    );
    expect(await failure(gw, '/exchange/collections/', { client: 'us', maxVersion: 'TLSv1.2' })).toBe('answered 200');
    expect(await failure(gw, '/exchange/collections/', { auth: basicAuth('us-cert'), maxVersion: 'TLSv1.2' })).toMatch(
      /^EPROTO: .*alert handshake failure.*SSL alert number 40/,
    );
  });

  // Mutation that made this test fail once: rejectUnauthorized false for `required` in src/main/tls.ts (the
  // forged certificate gets through the handshake and the request is answered 401).
  it('when the certificate comes from another CA with the same subject, then the server drops the handshake, while the same subject from the right CA passes', async () => {
    // Over TLS 1.2 the server verifies the client certificate inside the handshake: Node closes the connection
    // before the handshake completes (no alert is sent), which the client reports as such.
    expect(await failure(gw, '/exchange/collections/', { client: 'us', maxVersion: 'TLSv1.2' })).toBe('answered 200');
    expect(await failure(gw, '/exchange/collections/', { client: 'forged', maxVersion: 'TLSv1.2' })).toBe(
      'ECONNRESET: Client network socket disconnected before secure TLS connection was established',
    );
    // Over TLS 1.3 the client finishes first; the server then closes before answering.
    expect(await failure(gw, '/exchange/collections/', { client: 'forged' })).toBe('ECONNRESET: socket hang up');
  });

  it('when a valid certificate maps to no principal, then the answer is 401', async () => {
    const r = await get(gw, '/exchange/collections/', { client: 'stranger', auth: basicAuth('us-cert') });
    expect(r.status).toBe(401);
  });

  it('when the certificate and the Authorization header name different principals, then the answer is 401', async () => {
    const r = await get(gw, '/exchange/collections/', { client: 'us', auth: basicAuth('ru-cert') });
    expect(r.status).toBe(401);
  });

  // Mutation that made this test fail once: minVersion 'TLSv1' and ciphers 'DEFAULT@SECLEVEL=0' in
  // src/main/tls.ts (the TLS 1.1 handshake succeeds and the request is answered 200).
  it('when a client offers at most TLS 1.1, then the server answers with a protocol_version alert, while TLS 1.2 passes', async () => {
    // The client is allowed TLS 1.1 (OpenSSL's security level 0), so the refusal is the server's.
    const tls11 = { client: 'us', minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;
    expect(await failure(gw, '/exchange/collections/', tls11)).toMatch(/^EPROTO: .*alert protocol version.*SSL alert number 70/);
    expect(await failure(gw, '/exchange/collections/', { client: 'us', maxVersion: 'TLSv1.2' })).toBe('answered 200');
  });
});

describe('HTTPS with client_certs: optional', () => {
  let gw: TrustGateway;
  beforeAll(async () => {
    gw = await gateway('optional');
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when no certificate is sent, then Basic authentication decides', async () => {
    expect((await get(gw, '/exchange/collections/', { auth: basicAuth('ru-cert') })).status).toBe(200);
    expect((await get(gw, '/exchange/collections/')).status).toBe(401);
    expect((await get(gw, '/exchange/collections/', { auth: basicAuth('ru-cert', 'wrong') })).status).toBe(401);
  });

  it('when a certificate from another CA is sent, then it does not authenticate anyone', async () => {
    expect((await get(gw, '/exchange/collections/', { client: 'forged' })).status).toBe(401);
  });

  it('when a mapped certificate is sent, then it authenticates', async () => {
    const r = await get(gw, '/exchange/collections/', { client: 'ru' });
    expect(r.status).toBe(200);
    expect(collectionsOf(r)).toEqual(['joint', 'ru', 'us']);
  });
});

describe('HTTPS with require_password_too', () => {
  let gw: TrustGateway;
  beforeAll(async () => {
    gw = await gateway('required', true);
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when the certificate comes with the same principal password, then the request passes', async () => {
    expect((await get(gw, '/exchange/collections/', { client: 'us', auth: basicAuth('us-cert') })).status).toBe(200);
  });

  it('when the certificate comes without a password or with a wrong one, then the answer is 401', async () => {
    expect((await get(gw, '/exchange/collections/', { client: 'us' })).status).toBe(401);
    expect((await get(gw, '/exchange/collections/', { client: 'us', auth: basicAuth('us-cert', 'nope') })).status).toBe(401);
  });
});
