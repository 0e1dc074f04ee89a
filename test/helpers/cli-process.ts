/**
 * A gateway role in a child process, started the way an operator starts it: the CLI entry (src/main/cli.ts
 * through tsx, or the built dist/main/cli.js) with --config, --data-dir and --metrics-port (and --port for the
 * API roles), ready once its private /readyz answers 200; the CLI's runtime builds the role through
 * src/main/compose.ts. Shared by the process tests (test/integration/crash/processes.ts) and the benchmarks
 * (bench/lib/gateway.ts). Not a test file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/main/redis-server';

export const ROOT = path.resolve(__dirname, '../..');

export type CliRole = 'serve' | 'worker' | 'start';

export interface CliRoleOptions {
  readonly config: string;
  readonly dataDir: string;
  /** The child's whole environment (REDIS_URL, the principals' secrets, LOG_LEVEL, ...). */
  readonly env: NodeJS.ProcessEnv;
  /** Runs dist/main/cli.js (after `npm run build`) rather than the sources through tsx. */
  readonly built?: boolean;
  /** Node flags before the entry (profiling, GC settings). */
  readonly nodeFlags?: readonly string[];
  /** Arguments after the common ones (e.g. `--concurrency 2`). */
  readonly args?: readonly string[];
  /** How long the role may take to answer /readyz (ms); it is killed when it does not. */
  readonly readyMs: number;
  /** How many characters of output are kept (the last ones; default 100 000). */
  readonly keepOutput?: number;
  /** A file the output is also written to. */
  readonly logFile?: string;
  /** The private health/metrics port (default: a free one). */
  readonly metricsPort?: number;
}

export interface CliProcess {
  readonly role: CliRole;
  readonly child: ChildProcess;
  /** API base URL (serve/start), else undefined. */
  readonly base?: string;
  /** The private health/metrics port. */
  readonly metricsPort: number;
  /** The last output of the process (stdout + stderr). */
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `taxii-gateway <role>` and waits until its /readyz answers 200 (bounded by `readyMs`). */
export async function spawnCliRole(role: CliRole, o: CliRoleOptions): Promise<CliProcess> {
  const port = role === 'worker' ? undefined : await freePort();
  const metricsPort = o.metricsPort ?? (await freePort());
  const entry = o.built === true ? [path.join(ROOT, 'dist/main/cli.js')] : ['--import', 'tsx', path.join(ROOT, 'src/main/cli.ts')];
  const args = [
    ...(o.nodeFlags ?? []),
    ...entry,
    role,
    '--config',
    o.config,
    '--data-dir',
    o.dataDir,
    '--metrics-port',
    String(metricsPort),
  ];
  if (port !== undefined) args.push('--port', String(port));
  args.push(...(o.args ?? []));
  const child = spawn(process.execPath, args, { cwd: ROOT, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keepOutput = o.keepOutput ?? 100_000;
  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString()).slice(-keepOutput);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (o.logFile !== undefined) {
    const file = createWriteStream(o.logFile);
    child.stdout?.pipe(file);
    child.stderr?.pipe(file);
  }
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const proc: CliProcess = {
    role,
    child,
    metricsPort,
    ...(port === undefined ? {} : { base: `http://127.0.0.1:${port}` }),
    output: () => out,
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
  const end = Date.now() + o.readyMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${role} exited with ${child.exitCode ?? child.signalCode} before it was ready:\n${out.slice(-3000)}`);
    }
    try {
      if ((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status === 200) return proc;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) {
      proc.kill('SIGKILL');
      throw new Error(`${role} not ready after ${o.readyMs} ms:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops a role: SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
export async function stopCliRole(p: CliProcess, graceMs = 15_000): Promise<number | string> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.exited;
  p.kill('SIGTERM');
  const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
  const how = await p.exited;
  clearTimeout(timer);
  return how;
}
