/**
 * `start`'s private Redis as an attacker on the same host and a crash would meet it: reachable only through
 * its socket with the generated password (no TCP port), one start per data dir, and after `kill -9` of the
 * gateway the next start stops the orphaned redis-server: one server per append-only file, data intact.
 * Also the operator's first minutes: the banner on stderr (once), JSON logs on stdout, the CLI finding the
 * private Redis by itself through --data-dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { redisServersIn } from '../../src/main/data-dir';
import { until } from './support';

const ROOT = path.join(__dirname, '..', '..');
const TAXII = 'application/taxii+json;version=2.1';
const JOINT = 'a91f964f-82f9-4504-810c-d8b1a5cb5894';

interface Proc {
  readonly child: ChildProcess;
  readonly out: () => string;
  readonly err: () => string;
  readonly exited: Promise<number | string>;
}

function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', GATEWAY_SHUTDOWN_GRACE_MS: '8000' };
  delete env['REDIS_URL'];
  delete env['GATEWAY_LOG_FORMAT'];
  return env;
}

function cli(args: readonly string[]): Proc {
  let out = '';
  let err = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'main', 'cli.ts'), ...args], {
    cwd: ROOT,
    env: cliEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, out: () => out, err: () => err, exited };
}

function start(dataDir: string): Proc {
  return cli(['start', '--port', '0', '--data-dir', dataDir, '--config', 'collections.yaml']);
}

async function running(p: Proc): Promise<string> {
  return until(
    'the start banner',
    () => {
      if (p.child.exitCode !== null) throw new Error(`start exited ${p.child.exitCode}: ${p.err()}`);
      return /TAXII 2\.1 discovery: (http:\/\/\S+)\/taxii2\//.exec(p.err())?.[1];
    },
    90_000,
  );
}

/** Sends one RESP command over the socket and returns the first reply line. */
function redisCommand(socket: string, lines: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ path: socket });
    let buf = '';
    s.setTimeout(3000, () => {
      s.destroy();
      reject(new Error('redis did not answer'));
    });
    s.on('error', reject);
    s.on('connect', () => s.write(lines.map((l) => `${l}\r\n`).join('')));
    s.on('data', (d) => {
      buf += d.toString();
      const replies = buf.split('\r\n');
      if (replies.length > lines.length) {
        s.destroy();
        resolve(buf);
      }
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('start and its private Redis (crash, lock, reachability)', () => {
  let dataDir: string;
  const started: Proc[] = [];
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'gw-private-redis-'));
  });
  afterAll(() => {
    for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    // a redis-server this test's gateways started and a failure left behind: stop it by its pid
    for (const pid of redisServersIn(path.join(dataDir, 'redis'))) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when started, crashed with kill -9 and started again, then one socket-only Redis serves the same data and none is left', async () => {
    const redisDir = path.join(dataDir, 'redis');
    const socket = path.join(redisDir, 'redis.sock');
    const a = start(dataDir);
    started.push(a);
    const base = await running(a);

    // the banner: on stderr, once, with the data dir, the credentials (first start) and the CLI's way in
    expect(a.err().match(/TAXII 2\.1 discovery/g)).toHaveLength(1);
    expect(a.err()).toContain(`Data dir:            ${dataDir}`);
    expect(a.err()).toContain('--data-dir');
    const password = /HTTP Basic user "us-cert", password: (\S+)/.exec(a.err())?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(24);
    // stdout holds only JSON log lines, and no secret
    for (const line of a
      .out()
      .split('\n')
      .filter((l) => l !== ''))
      expect(() => JSON.parse(line)).not.toThrow();
    expect(a.out()).not.toContain(password);

    // reachable only through the socket with the generated password: no TCP port, NOAUTH without it
    const conn = JSON.parse(readFileSync(path.join(redisDir, 'connection.json'), 'utf8')) as { url: string };
    const redisPassword = /^unix:\/\/:([0-9a-f]+)@/.exec(conn.url)?.[1] ?? '';
    expect(redisPassword).toHaveLength(48);
    expect(statSync(path.join(redisDir, 'connection.json')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(redisDir, 'redis-private.conf')).mode & 0o777).toBe(0o600);
    expect(statSync(socket).mode & 0o777).toBe(0o700);
    expect(await redisCommand(socket, ['PING'])).toMatch(/^-NOAUTH/);
    const port = await redisCommand(socket, [`AUTH ${redisPassword}`, 'CONFIG GET port']);
    expect(port).toContain('+OK');
    expect(port).toMatch(/\$4\r\nport\r\n\$1\r\n0\r\n/);
    const [firstRedis] = redisServersIn(redisDir);
    expect(redisServersIn(redisDir)).toHaveLength(1);
    // the password is not on the server's command line (anyone may read /proc/<pid>/cmdline)
    expect(readFileSync(`/proc/${String(firstRedis)}/cmdline`, 'utf8')).not.toContain(redisPassword);

    // the CLI finds the private Redis by itself (no REDIS_URL): import through the queue and the worker
    const imp = cli([
      'import',
      '--collection',
      'joint-exchange',
      '--format',
      'stix21',
      '--data-dir',
      dataDir,
      '--timeout',
      '60',
      'examples/bundle.json',
    ]);
    expect(await imp.exited).toBe(0);
    expect(imp.err()).toContain('stored');
    const auth = `Basic ${Buffer.from(`us-cert:${password}`).toString('base64')}`;
    const count = async (at: string): Promise<number> => {
      const r = await fetch(`${at}/cert-exchange/collections/${JOINT}/objects/?limit=100`, {
        headers: { Accept: TAXII, Authorization: auth },
      });
      expect(r.status).toBe(200);
      return ((await r.json()) as { objects?: unknown[] }).objects?.length ?? 0;
    };
    const before = await count(base);
    expect(before).toBeGreaterThanOrEqual(4);

    // a second start on the same data dir refuses cleanly, and the first keeps running alone
    const b = start(dataDir);
    started.push(b);
    expect(await b.exited).toBe(1);
    expect(b.err()).toContain('is in use by another taxii-gateway start');
    expect(alive(a.child.pid ?? -1)).toBe(true);
    expect(redisServersIn(redisDir)).toEqual([firstRedis]);

    // kill -9 of the gateway: its redis-server is orphaned
    a.child.kill('SIGKILL');
    await a.exited;
    expect(alive(firstRedis ?? -1)).toBe(true);

    // the next start stops the orphan first: one server on the append-only file, the data intact
    const c = start(dataDir);
    started.push(c);
    const base2 = await running(c);
    expect(c.err()).toContain(`earlier crash (pid ${String(firstRedis)}) was stopped`);
    expect(alive(firstRedis ?? -1)).toBe(false);
    const servers = redisServersIn(redisDir);
    expect(servers).toHaveLength(1);
    expect(servers[0]).not.toBe(firstRedis);
    expect(c.err()).not.toMatch(/password: /); // credentials are shown on the first start only
    expect(await count(base2)).toBe(before);

    // a clean stop leaves nothing running and releases the data dir
    c.child.kill('SIGTERM');
    expect(await c.exited).toBe(0);
    expect(redisServersIn(redisDir)).toEqual([]);
    expect(existsSync(path.join(dataDir, 'gateway.lock'))).toBe(false);
  }, 240_000);
});
