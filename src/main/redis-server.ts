/**
 * A private redis-server supervised by the gateway (`start` without REDIS_URL) and by the test setup, AOF
 * under its data directory, stopped with its process.
 *
 * `start` runs it `owned` (docs/security.md, "The private Redis"): a Unix socket of mode 700 and NO TCP port,
 * a password generated at every start (kept in a 0600 config file, never on the command line, where `ps`
 * would show it), and the URL for the CLI in <dir>/connection.json (0600). Only when the socket path is too
 * long, or --redis-port asks for one, it also listens on loopback TCP, still behind the password. Before it
 * starts, any redis-server still running on the same directory (left by a `kill -9` of the gateway) is
 * stopped (SIGTERM: Redis flushes its append-only file and exits), so there are never two servers on one AOF.
 * Tests and benchmarks run it unowned: loopback TCP on a free port plus the socket, no password.
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { CONNECTION_FILE, REDIS_PID_FILE, redisServersIn, stampAlive, stampOf, writePrivateFile } from './data-dir';
import { MAX_SOCKET_PATH } from './redis-connect';

export interface PrivateRedis {
  /** redis://[:password@]127.0.0.1:<port>, or (owned, no TCP port) the socket URL. */
  readonly url: string;
  /** unix://[:password@]<data dir>/redis.sock, or undefined when that path is too long for a socket (then use url). */
  readonly socketUrl: string | undefined;
  /** The TCP port; 0 when the server listens on its socket only. */
  readonly port: number;
  /** redis-server processes left by an earlier crash that were stopped before this one started. */
  readonly orphansStopped: readonly number[];
  readonly pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. */
  stop(): Promise<void>;
}

export interface PrivateRedisOptions {
  /** Directory for the AOF and the log. Created if missing. */
  readonly dataDir: string;
  /** 0 (default) picks a free loopback port. */
  readonly port?: number;
  /** AOF persistence (default true); tests turn it off for speed. */
  readonly appendonly?: boolean;
  readonly appendfsync?: 'always' | 'everysec' | 'no';
  /** Extra redis-server arguments (e.g. ['--cluster-enabled', 'yes']). */
  readonly extraArgs?: readonly string[];
  /**
   * A command run in front of redis-server, which it then executes (tests trace it: ['strace', ...]). Then
   * `pid` is the launcher's; the server's own pid is in INFO server.
   */
  readonly launcher?: readonly string[];
  /**
   * `start`'s mode: socket only (a TCP port only when `port` is given or the socket path is too long), a
   * generated password, orphans of the same directory stopped first, pid and connection files written.
   */
  readonly owned?: boolean;
}

const CANDIDATE_BINARIES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/usr/sbin/redis-server'];

/** The redis-server executable, or undefined when none is installed. */
export function findRedisServer(): string | undefined {
  const fromPath = (process.env['PATH'] ?? '').split(':').map((d) => path.join(d, 'redis-server'));
  return [...fromPath, ...CANDIDATE_BINARIES].find((p) => existsSync(p));
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

type Endpoint = { readonly host: string; readonly port: number } | { readonly path: string };

function ping(at: Endpoint, password?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(at);
    let buf = '';
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write(password === undefined ? 'PING\r\n' : `AUTH ${password}\r\nPING\r\n`));
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.startsWith('-') && buf.includes('\r\n')) done(false);
      else if (buf.includes('+PONG\r\n')) done(true);
    });
  });
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const stamp = stampOf(pid);
  // bounded: ms / 50 polls
  for (let i = 0; i < Math.ceil(ms / 50); i++) {
    if (!stampAlive(stamp)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !stampAlive(stamp);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/**
 * Stops every redis-server still running on `dir` (an orphan of a crashed gateway): SIGTERM, so that it
 * flushes its append-only file, then SIGKILL after 10 s. Returns their pids; throws when one survives.
 */
export async function stopOrphans(dir: string): Promise<number[]> {
  const pids = redisServersIn(dir);
  for (const pid of pids) {
    signal(pid, 'SIGTERM');
    if (await waitGone(pid, 10_000)) continue;
    signal(pid, 'SIGKILL');
    if (!(await waitGone(pid, 5_000))) throw new Error(`the redis-server left on ${dir} (pid ${pid}) does not stop`);
  }
  return pids;
}

export async function startPrivateRedis(opts: PrivateRedisOptions): Promise<PrivateRedis> {
  const bin = findRedisServer();
  if (!bin) throw new Error('redis-server is not installed (apt-get install redis-server), and REDIS_URL is not set');
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const dir = path.resolve(opts.dataDir);
  const owned = opts.owned === true;
  const orphansStopped = owned ? await stopOrphans(dir) : [];
  const socketPath = path.join(dir, 'redis.sock');
  const withSocket = Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH;
  const wantsTcp = !owned || !withSocket || (opts.port !== undefined && opts.port > 0);
  const port = !wantsTcp ? 0 : opts.port && opts.port > 0 ? opts.port : await freePort();
  const password = owned ? randomBytes(24).toString('hex') : undefined;
  const confFile = path.join(dir, 'redis-private.conf');
  if (password !== undefined) writePrivateFile(confFile, `requirepass ${password}\n`);
  const args = [
    ...(password === undefined ? [] : [confFile]),
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--protected-mode',
    'yes',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    opts.appendonly === false ? 'no' : 'yes',
    '--appendfsync',
    opts.appendfsync ?? 'everysec',
    '--logfile',
    'redis.log',
    '--daemonize',
    'no',
    ...(withSocket ? ['--unixsocket', socketPath, '--unixsocketperm', '700'] : []),
    ...(opts.extraArgs ?? []),
  ];
  const [first, ...rest] = opts.launcher ?? [];
  const child = first === undefined ? spawn(bin, args, { stdio: 'ignore' }) : spawn(first, [...rest, bin, ...args], { stdio: 'ignore' });
  const pidFile = path.join(dir, REDIS_PID_FILE);
  if (owned && child.pid !== undefined) writePrivateFile(pidFile, JSON.stringify(stampOf(child.pid)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const auth = password === undefined ? '' : `:${password}@`;
  const socketUrl = withSocket ? `unix://${auth}${socketPath}` : undefined;
  const tcpUrl = `redis://${auth}127.0.0.1:${port}`;
  const endpoint: Endpoint = port > 0 ? { host: '127.0.0.1', port } : { path: socketPath };
  // Bounded wait for readiness: 200 × 50 ms = 10 s.
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    if (await ping(endpoint, password)) {
      const pid = child.pid ?? 0;
      const url = port > 0 ? tcpUrl : (socketUrl ?? tcpUrl);
      const connectionFile = path.join(dir, CONNECTION_FILE);
      if (owned) writePrivateFile(connectionFile, `${JSON.stringify({ url: socketUrl ?? tcpUrl })}\n`);
      return {
        url,
        socketUrl,
        port,
        pid,
        orphansStopped,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            if (!(await waitExit(child, 10_000))) {
              child.kill('SIGKILL');
              await waitExit(child, 5_000);
            }
          }
          if (owned) for (const f of [pidFile, connectionFile]) removeQuietly(f);
        },
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 2000))]);
  if (owned) removeQuietly(pidFile);
  const where = port > 0 ? `127.0.0.1:${port}` : socketPath;
  throw new Error(`redis-server did not become ready on ${where} (exit code ${String(code)}); see ${path.join(opts.dataDir, 'redis.log')}`);
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
