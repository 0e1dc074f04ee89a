/**
 * The README's two-gateway inquiry demo (examples/inquiry-demo.sh) runs as written: two gateways with their own
 * data dirs and private Redis on loopback ports chosen here, federation between them, the thread opened on A,
 * notified to B's duty officer (e-mail and signed webhook, through scripts/inquiry-demo-receivers.ts), acknowledged
 * and answered on B, closed on A, and verified offline on both sides; a second inquiry left unacknowledged is
 * reminded, escalated at its deadline and shown overdue on both sides. The script stops what it
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
      SMTP_PORT: String(await freePort()),
      HOOK_PORT: String(await freePort()),
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
    // the duty officer hears of the new inquiry by e-mail and by a signed webhook; the unacknowledged one is
    // reminded, escalated to the chief at its deadline and shown overdue on both sides
    expect(out).toMatch(/e-mail to RU-CERT's duty officer: e-mail to duty@ru-cert\.example <inquiry\.[0-9a-f]{40}@ru-cert\.example>/);
    expect(out).toMatch(/signed webhook to RU-CERT's duty officer: webhook \S* signature valid: contact=ru-cert-duty-hook kind=message/);
    expect(out).toMatch(/reminder to RU-CERT's duty officer: webhook \S* signature valid: contact=ru-cert-duty-hook kind=reminder/);
    expect(out).toContain("escalation e-mail to RU-CERT's chief: e-mail to chief@ru-cert.example");
    expect(out).toContain('gateway A shows it overdue (acknowledgement)');
    expect(out).toContain('gateway B shows it overdue (acknowledgement)');
    expect(out).toContain('inquiry demo: OK');
  });
});
