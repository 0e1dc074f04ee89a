/**
 * A private redis-server supervised by the gateway (`start` without REDIS_URL) and by the test setup: bound
 * to loopback on a free port and to a Unix socket in its data directory (mode 700), AOF under the data
 * directory, stopped with its process. `start` talks to it through the socket (no TCP stack, and nothing else
 * on the host can reach it: mode 700); the TCP port stays for redis-cli and for roles started by hand.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MAX_SOCKET_PATH } from './redis-connect';

export interface PrivateRedis {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /** unix://<data dir>/redis.sock, or undefined when that path is too long for a socket (then use url). */
  readonly socketUrl: string | undefined;
  readonly port: number;
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

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
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

export async function startPrivateRedis(opts: PrivateRedisOptions): Promise<PrivateRedis> {
  const bin = findRedisServer();
  if (!bin) throw new Error('redis-server is not installed (apt-get install redis-server), and REDIS_URL is not set');
  mkdirSync(opts.dataDir, { recursive: true });
  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  const socketPath = path.resolve(opts.dataDir, 'redis.sock');
  const withSocket = Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH;
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--protected-mode', 'yes',
    '--dir', path.resolve(opts.dataDir),
    '--save', '',
    '--appendonly', opts.appendonly === false ? 'no' : 'yes',
    '--appendfsync', opts.appendfsync ?? 'everysec',
    '--logfile', 'redis.log',
    '--daemonize', 'no',
    ...(withSocket ? ['--unixsocket', socketPath, '--unixsocketperm', '700'] : []),
    ...(opts.extraArgs ?? []),
  ];
  const [first, ...rest] = opts.launcher ?? [];
  const child = first === undefined ? spawn(bin, args, { stdio: 'ignore' }) : spawn(first, [...rest, bin, ...args], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Bounded wait for readiness: 200 × 50 ms = 10 s.
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    if (await ping(port)) {
      const pid = child.pid ?? 0;
      return {
        url: `redis://127.0.0.1:${port}`,
        socketUrl: withSocket ? `unix://${socketPath}` : undefined,
        port,
        pid,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          if (!(await waitExit(child, 10_000))) {
            child.kill('SIGKILL');
            await waitExit(child, 5_000);
          }
        },
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 2000))]);
  throw new Error(
    `redis-server did not become ready on 127.0.0.1:${port} (exit code ${String(code)}); see ${path.join(opts.dataDir, 'redis.log')}`,
  );
}
