/**
 * The README's quick start as written: the shell block between the quickstart markers of README.md is taken
 * from the README itself (and must equal examples/quickstart.sh, which the README tells people to run), then
 * run with sh against a gateway started on a temporary data dir, with the passwords its banner printed.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redisServersIn } from '../../src/main/data-dir';
import { until } from './support';

const ROOT = path.join(__dirname, '..', '..');

function readmeQuickstart(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- quickstart:begin -->\n```sh\n([\s\S]*?)```\n<!-- quickstart:end -->/.exec(readme);
  if (!m?.[1]) throw new Error('README.md has no quickstart block');
  return m[1];
}

/** The newest modification time under a directory (bounded depth). */
function newest(dir: string, depth = 0): number {
  let t = 0;
  if (depth > 6) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p, depth + 1) : statSync(p).mtimeMs);
  }
  return t;
}

describe('README quick start', () => {
  let dataDir: string;
  let gw: ChildProcess | undefined;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'gw-quickstart-'));
    // the quick start runs ./bin/taxii-gateway, i.e. the build `npm start` makes: build when missing or stale
    const cli = path.join(ROOT, 'dist', 'main', 'cli.js');
    if (!existsSync(cli) || newest(path.join(ROOT, 'src')) > statSync(cli).mtimeMs) {
      execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'ignore' });
    }
  }, 300_000);
  afterAll(() => {
    if (gw?.exitCode === null) gw.kill('SIGKILL');
    for (const pid of redisServersIn(path.join(dataDir, 'redis'))) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the README block is the script people are told to run, then both hold the same commands', () => {
    expect(readmeQuickstart()).toBe(readFileSync(path.join(ROOT, 'examples', 'quickstart.sh'), 'utf8'));
  });

  it('when the quick start runs as written against a started gateway, then every command succeeds', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
    delete env['REDIS_URL'];
    let err = '';
    gw = spawn(process.execPath, ['bin/taxii-gateway', 'start', '--port', '0', '--data-dir', dataDir], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const g = gw;
    g.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const base = await until('the start banner', () => /TAXII 2\.1 discovery: (http:\/\/\S+)\/taxii2\//.exec(err)?.[1], 90_000);
    const us = /HTTP Basic user "us-cert", password: (\S+)/.exec(err)?.[1] ?? '';
    const ru = /HTTP Basic user "ru-cert", password: (\S+)/.exec(err)?.[1] ?? '';
    const run = spawnSync('sh', ['-c', readmeQuickstart()], {
      cwd: ROOT,
      env: { ...env, GW: base, US_PASSWORD: us, RU_PASSWORD: ru, GATEWAY_DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    // discovery, the posted bundle read back by the partner, the status, the CSV import and its export
    expect(run.stdout).toContain('"api_roots"');
    expect(run.stdout).toContain('"status":"complete"');
    expect(run.stdout).toContain("[ipv4-addr:value = '198.51.100.23']");
    expect(run.stdout).toContain('bad-domain.example');
    const exited = new Promise<number | null>((resolve) => g.once('exit', (code) => resolve(code)));
    g.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 300_000);
});
