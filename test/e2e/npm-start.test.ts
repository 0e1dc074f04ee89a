/**
 * The README's first command itself: `npm start` (npm → scripts/run.sh → node), stopped with SIGTERM sent to
 * npm, as a service manager or `docker stop` would. npm forwards the signal to its direct child only, so the
 * chain must exec down to the gateway process; a shell left in between used to die alone and leave the gateway
 * and its private Redis running.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redisServersIn } from '../../src/main/data-dir';
import { until } from './support';

const ROOT = path.join(__dirname, '..', '..');

/** Every process below `pid` (Linux ps), to clean up after a failure: only processes this test started. */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=']).toString().trim().split('\n');
  const children = new Map<number, number[]>();
  for (const row of rows) {
    const [child, parent] = row.trim().split(/\s+/).map(Number);
    if (child === undefined || parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

describe('npm start', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'gw-npm-start-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when npm receives SIGTERM, then the gateway shuts down and its private Redis stops', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, GATEWAY_SHUTDOWN_GRACE_MS: '5000' };
    delete env['REDIS_URL'];
    const npm = spawn('npm', ['start', '--silent', '--', '--port', '0', '--data-dir', dataDir], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const npmExited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    let started: number[] = [];
    try {
      // run.sh builds first when dist/ is missing or stale
      await until('the discovery URL', () => (/TAXII 2\.1 discovery: http/.test(out) ? true : undefined), 100_000);
      const redisDir = path.join(dataDir, 'redis');
      expect(redisServersIn(redisDir)).toHaveLength(1);
      started = descendants(npm.pid ?? -1);
      npm.kill('SIGTERM');
      await npmExited;
      await until('the private Redis to stop', () => (redisServersIn(redisDir).length === 0 ? true : undefined), 20_000);
      expect(out).toContain('received SIGTERM');
    } finally {
      // after a failure before the processes were listed (e.g. a slow start timing out), list them now, before npm
      // goes, so that none of them is left orphaned; the private Redis is found by its data dir in any case
      if (started.length === 0 && npm.exitCode === null) started = descendants(npm.pid ?? -1);
      if (npm.exitCode === null) npm.kill('SIGKILL');
      started.push(...redisServersIn(path.join(dataDir, 'redis')));
      // a gateway left behind would keep npm's output pipes (and this test run) open
      for (const pid of started) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      npm.stdout.destroy();
      npm.stderr.destroy();
    }
  }, 150_000);
});
