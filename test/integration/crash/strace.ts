/**
 * strace support for the durability test (not a test file): makes sure strace is there (Debian's package,
 * installed with apt-get when missing and this user may, as scripts/run.sh does for redis-server), and reads
 * `strace -f -ttt -T -y` output: when the AOF write carrying a marker was made durable (its fsync returned).
 */
import { execFileSync } from 'node:child_process';

function runs(cmd: string, args: readonly string[], timeoutMs = 120_000): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: timeoutMs, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return true;
  } catch {
    return false;
  }
}

/** undefined when strace can trace a child here; else why not (missing and not installable, or ptrace refused). */
export function straceUnavailable(): string | undefined {
  if (!runs('strace', ['-V'])) {
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    const sudo = root ? [] : ['sudo', '-n'];
    const apt = (args: string[]): boolean =>
      sudo.length === 0 ? runs('apt-get', args) : runs('sudo', [...sudo.slice(1), 'apt-get', ...args]);
    if (
      !apt(['install', '-y', '-qq', '--no-install-recommends', 'strace']) &&
      !(apt(['update', '-qq']) && apt(['install', '-y', '-qq', '--no-install-recommends', 'strace']))
    ) {
      return 'strace is not installed and could not be installed with apt-get (run the tests as root, with passwordless sudo, or apt-get install strace)';
    }
  }
  if (!runs('strace', ['-f', '-o', '/dev/null', 'true'], 10_000))
    return 'strace cannot trace here (ptrace is not permitted in this container)';
  return undefined;
}

/** The strace arguments that run in front of redis-server (every thread, µs wall-clock times, durations, fd paths). */
export function straceLauncher(outFile: string): string[] {
  return ['strace', '-f', '-ttt', '-T', '-y', '-s', '65536', '-e', 'trace=write,fsync,fdatasync', '-o', outFile];
}

interface Call {
  readonly pid: string;
  readonly start: number;
  /** When the call returned (seconds since the epoch; start + duration, or the resumed line's time). */
  readonly end: number;
  readonly name: string;
  readonly line: string;
}

const LINE = /^(\d+)\s+(\d+\.\d+)\s+(write|fsync|fdatasync)\((.*)$/;
const RESUMED = /^(\d+)\s+(\d+\.\d+)\s+<\.\.\. (write|fsync|fdatasync) resumed>/;
const DURATION = /<(\d+\.\d+)>\s*$/;

function parse(trace: string): Call[] {
  const calls: Call[] = [];
  const open = new Map<string, { start: number; name: string; line: string }>();
  for (const line of trace.split('\n')) {
    const resumed = RESUMED.exec(line);
    if (resumed) {
      const [, pid = '', ts = '0'] = resumed;
      const o = open.get(pid);
      if (!o) continue;
      open.delete(pid);
      const d = DURATION.exec(line);
      calls.push({ pid, start: o.start, end: Math.max(Number(ts), o.start + Number(d?.[1] ?? 0)), name: o.name, line: o.line + line });
      continue;
    }
    const m = LINE.exec(line);
    if (!m) continue;
    const [, pid = '', ts = '0', name = ''] = m;
    const start = Number(ts);
    if (line.includes('<unfinished ...>')) {
      open.set(pid, { start, name, line });
      continue;
    }
    const d = DURATION.exec(line);
    calls.push({ pid, start, end: start + Number(d?.[1] ?? 0), name, line });
  }
  return calls.sort((a, b) => a.start - b.start);
}

const AOF_FD = /^\w+\(\d+<[^>]*\.aof>/;

export interface AofDurability {
  /** When the last AOF write carrying the marker began. */
  readonly writtenAt: number;
  /** When the first fsync/fdatasync of an AOF file begun after that write returned; undefined if none did. */
  readonly syncedAt: number | undefined;
}

/** For the last AOF write containing `marker`: when it was written, and when it was first made durable after. */
export function aofDurability(trace: string, marker: string): AofDurability | undefined {
  const calls = parse(trace);
  const aof = calls.filter((c) => AOF_FD.test(c.line.slice(c.line.indexOf(c.name))));
  const written = aof.filter((c) => c.name === 'write' && c.line.includes(marker)).pop();
  if (!written) return undefined;
  const synced = aof.find((c) => c.name !== 'write' && c.start >= written.end);
  return { writtenAt: written.start, syncedAt: synced?.end };
}
