/**
 * The README's two-gateway inquiry demo (examples/inquiry-demo.sh) runs as written: two gateways with their own
 * data dirs and private Redis on loopback ports chosen here, federation between them, the thread opened on A,
 * acknowledged and answered on B, closed on A, and verified offline on both sides. The script stops what it
 * starts (by PID, at exit); a Redis it left behind after a failure is stopped here by the PID in its data dir.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redisServersIn } from '../../src/main/data-dir';
import { freePort } from '../../src/main/redis-server';

const ROOT = path.join(__dirname, '..', '..');
/** Whole demo, bounded: two gateway starts, three federation pulls (every 10 s), the CLI calls. */
const LIMIT_MS = 420_000;

jest.setTimeout(LIMIT_MS + 30_000);

describe('two-gateway inquiry demo', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gw-inquiry-demo-'));
  });

  afterAll(() => {
    for (const side of ['a', 'b']) {
      const redisDir = path.join(dir, side, 'redis');
      if (existsSync(redisDir)) for (const pid of redisServersIn(redisDir)) process.kill(pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the README mentions the script, then it is the one shipped', () => {
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain('sh examples/inquiry-demo.sh');
  });

  it('when the demo script runs, then both gateways end with the same closed thread and each copy verifies offline', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DEMO_DIR: dir,
      A_PORT: String(await freePort()),
      B_PORT: String(await freePort()),
      TAXII_GATEWAY: `${process.execPath} --import tsx ${path.join(ROOT, 'src/main/cli.ts')}`,
      DEMO_TIMEOUT: '150',
    };
    delete env['REDIS_URL'];
    const child = spawn('sh', [path.join(ROOT, 'examples/inquiry-demo.sh')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // Past the limit the script is asked to stop (its trap stops the two gateways it started).
    const timer = setTimeout(() => child.kill('SIGTERM'), LIMIT_MS);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    clearTimeout(timer);
    expect({ code, tail: code === 0 ? '' : out.slice(-3000) }).toEqual({ code: 0, tail: '' });
    expect(out).toContain('gateway B sees: open');
    expect(out).toContain('gateway A sees: answered');
    expect(out).toContain('gateway B sees: closed');
    expect(out.match(/: OK 4 messages, state closed, last [0-9a-f]{64}/g)).toHaveLength(2);
    expect(out).toContain('inquiry demo: OK');
  });
});
