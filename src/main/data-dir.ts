/**
 * The data directory of `start` (default ./data): who owns it and how to reach its private Redis.
 *
 *   <data dir>/gateway.lock          {"pid","startTime"} of the `start` process that owns the directory
 *   <data dir>/redis/redis.sock      the private Redis's Unix socket (mode 700, no TCP port)
 *   <data dir>/redis/connection.json the URL (with the generated password) the CLI commands use; mode 0600
 *   <data dir>/redis/redis-server.pid {"pid","startTime"} of the private redis-server, to find it after a crash
 *
 * The lock is a file created exclusively; a lock whose process is gone (or is another process under a reused
 * pid: the start time differs) is stale and taken over. Kept free of heavy imports: the CLI commands read it.
 */
import { existsSync, linkSync, readFileSync, readdirSync, readlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ProcessStamp {
  readonly pid: number;
  /** Start time of the process in clock ticks since boot (/proc/<pid>/stat field 22); 0 where /proc is missing. */
  readonly startTime: number;
}

export const LOCK_FILE = 'gateway.lock';
export const CONNECTION_FILE = 'connection.json';
export const REDIS_PID_FILE = 'redis-server.pid';

/** Start time of a process from /proc, or undefined when it does not exist (0 when /proc cannot tell). */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const t = Number(fields[19]);
    return Number.isFinite(t) ? t : 0;
  } catch {
    if (!existsSync('/proc/self/stat')) return isAlive(pid) ? 0 : undefined;
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err instanceof Error && 'code' in err && err.code === 'EPERM';
  }
}

/** True when the process of a stamp still runs (same pid and same start time). */
export function stampAlive(s: ProcessStamp): boolean {
  if (!Number.isInteger(s.pid) || s.pid <= 0) return false;
  const t = processStartTime(s.pid);
  return t !== undefined && (t === 0 || s.startTime === 0 || t === s.startTime);
}

export function stampOf(pid: number): ProcessStamp {
  return { pid, startTime: processStartTime(pid) ?? 0 };
}

/** Reads a stamp file; undefined when missing or not a stamp. */
export function readStamp(file: string): ProcessStamp | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const pid: unknown = Reflect.get(parsed, 'pid');
  const startTime: unknown = Reflect.get(parsed, 'startTime');
  if (typeof pid !== 'number' || typeof startTime !== 'number') return undefined;
  return { pid, startTime };
}

/** Writes a small file atomically-enough for our use, readable by the owner only. */
export function writePrivateFile(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  try {
    unlinkSync(file);
  } catch {
    // not there yet
  }
  linkSync(tmp, file);
  unlinkSync(tmp);
}

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly owner: ProcessStamp,
  ) {
    super(
      `the data dir ${dataDir} is in use by another taxii-gateway start (pid ${owner.pid}); ` +
        'stop that one first, or give this one its own --data-dir',
    );
  }
}

/**
 * Takes the lock of a data directory for this process, or throws DataDirLockedError when a live process holds
 * it. A stale lock (its process is gone) is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  const me = stampOf(process.pid);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(me), { mode: 0o600 });
  try {
    // two tries: the second after removing a stale lock
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(tmp, file); // fails with EEXIST when the lock exists: exclusive creation
        return () => {
          const held = readStamp(file);
          if (held?.pid === me.pid) {
            try {
              unlinkSync(file);
            } catch {
              // already removed
            }
          }
        };
      } catch (err) {
        if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
      }
      const owner = readStamp(file);
      if (owner !== undefined && owner.pid !== me.pid && stampAlive(owner)) throw new DataDirLockedError(dataDir, owner);
      try {
        unlinkSync(file);
      } catch {
        // another start removed it first; the next link decides
      }
    }
    const owner = readStamp(file);
    throw new DataDirLockedError(dataDir, owner ?? { pid: 0, startTime: 0 });
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // gone
    }
  }
}

/** The live owner of a data directory, or undefined. */
export function dataDirOwner(dataDir: string): ProcessStamp | undefined {
  const owner = readStamp(path.join(dataDir, LOCK_FILE));
  return owner !== undefined && stampAlive(owner) ? owner : undefined;
}

/**
 * redis-server processes whose working directory is `redisDir` (redis-server changes into its --dir):
 * the private Redis of this data dir, whoever started it. Linux only (/proc); elsewhere the pid file alone.
 */
export function redisServersIn(redisDir: string): number[] {
  const want = path.resolve(redisDir);
  const found = new Set<number>();
  const recorded = readStamp(path.join(redisDir, REDIS_PID_FILE));
  if (recorded !== undefined && stampAlive(recorded) && isRedisServer(recorded.pid)) found.add(recorded.pid);
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [...found];
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid || !isRedisServer(pid)) continue;
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) === want) found.add(pid);
    } catch {
      // gone, or not ours to inspect
    }
  }
  return [...found];
}

function isRedisServer(pid: number): boolean {
  try {
    // redis-server rewrites its title ("/usr/bin/redis-server unixsocket:/path"): the first word counts
    const cmd = (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '').split(' ')[0] ?? '';
    return path.basename(cmd).startsWith('redis-server');
  } catch {
    return !existsSync('/proc/self/cmdline') && isAlive(pid);
  }
}

/** Outcome of looking for the private Redis of a data dir from a CLI command. */
export type LocatedRedis = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly message: string };

/**
 * The URL of the private Redis of a running `start` on `dataDir`, for CLI commands run without REDIS_URL.
 */
export function locatePrivateRedis(dataDir: string): LocatedRedis {
  const file = path.join(dataDir, 'redis', CONNECTION_FILE);
  const hint = `start the gateway first (npm start -- --data-dir ${dataDir}), or give --redis-url / REDIS_URL`;
  if (dataDirOwner(dataDir) === undefined) return { ok: false, message: `no running gateway owns the data dir ${dataDir}: ${hint}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { ok: false, message: `cannot read ${file} (${err instanceof Error ? err.message : String(err)}): ${hint}` };
  }
  const url: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'url') : undefined;
  if (typeof url !== 'string' || url === '') return { ok: false, message: `${file} names no Redis URL: ${hint}` };
  return { ok: true, url };
}
