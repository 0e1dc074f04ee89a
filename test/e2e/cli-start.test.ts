/**
 * The README's `start` through the real CLI: a private Redis on a temp data dir, generated credentials printed
 * once, a bundle posted and paged back, SIGTERM, and the private Redis gone afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redisServersIn } from '../../src/main/data-dir';
import { until } from './support';

const ROOT = path.join(__dirname, '..', '..');
const TAXII = 'application/taxii+json;version=2.1';
const US = '7b6a2876-79b0-4950-ab05-df1f09fd258b';

function startCli(dataDir: string): { child: ChildProcess; out: () => string } {
  let out = '';
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', GATEWAY_SHUTDOWN_GRACE_MS: '8000' };
  delete env['REDIS_URL'];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join('src', 'main', 'cli.ts'), 'start', '--port', '0', '--data-dir', dataDir, '--config', 'collections.yaml'],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, out: () => out };
}

describe('taxii-gateway start (end to end through the CLI)', () => {
  let dataDir: string;
  let proc: { child: ChildProcess; out: () => string } | undefined;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'gw-e2e-'));
  });
  afterAll(() => {
    if (proc?.child.exitCode === null) proc.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when started on a fresh data dir, then a client can post, poll and page back, and SIGTERM stops Redis too', async () => {
    proc = startCli(dataDir);
    const p = proc;
    const base = await until('the discovery URL', () => /TAXII 2\.1 discovery: (http:\/\/[^\s]+)\/taxii2\//.exec(p.out())?.[1], 60_000);
    const password = /HTTP Basic user "us-cert", password: (\S+)/.exec(p.out())?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(24);
    // the roles reach the private Redis through its Unix socket in the data dir (password-protected, no TCP port)
    expect(p.out()).toContain(`"redis":"unix://:***@${path.join(dataDir, 'redis', 'redis.sock')}"`);
    expect(p.out()).toContain('"redisPort":0');
    expect(redisServersIn(path.join(dataDir, 'redis'))).toHaveLength(1);
    expect(p.out()).toContain('"kind":"socket"');
    // only the hash is kept on disk
    expect(readFileSync(path.join(dataDir, 'generated-credentials.json'), 'utf8')).not.toContain(password);

    const auth = `Basic ${Buffer.from(`us-cert:${password}`).toString('base64')}`;
    const headers = { Accept: TAXII, Authorization: auth };
    const disc = await fetch(`${base}/taxii2/`, { headers });
    expect(disc.status).toBe(200);

    const bundle = {
      type: 'bundle',
      id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
      objects: Array.from({ length: 25 }, (_, i) => ({
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
        created: '2024-01-01T00:00:00.000Z',
        modified: '2024-01-01T00:00:00.000Z',
        created_by_ref: 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc', // us-cert's own identity (require_own_identity)
        pattern: `[ipv4-addr:value = '192.0.2.${i}']`,
        pattern_type: 'stix',
        valid_from: '2024-01-01T00:00:00Z',
      })),
    };
    const posted = await fetch(`${base}/cert-exchange/collections/us-cert-indicators/objects/`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': TAXII },
      body: JSON.stringify(bundle),
    });
    expect(posted.status).toBe(202);
    const statusId = String(((await posted.json()) as Record<string, unknown>)['id']);
    const status = await until(
      'the status to complete',
      async () => {
        const r = await fetch(`${base}/cert-exchange/status/${statusId}/`, { headers });
        const s = (await r.json()) as Record<string, unknown>;
        return s['status'] === 'complete' ? s : undefined;
      },
      30_000,
    );
    expect(status['success_count']).toBe(25);

    // the partner CERT pages it back with its own generated credential
    const ruPassword = /HTTP Basic user "ru-cert", password: (\S+)/.exec(p.out())?.[1] ?? '';
    const ruHeaders = { Accept: TAXII, Authorization: `Basic ${Buffer.from(`ru-cert:${ruPassword}`).toString('base64')}` };
    const ids = new Set<string>();
    let next: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const r = await fetch(`${base}/cert-exchange/collections/${US}/objects/?limit=10${next ? `&next=${next}` : ''}`, {
        headers: ruHeaders,
      });
      expect(r.status).toBe(200);
      const env = (await r.json()) as { objects?: { id: string }[]; more: boolean; next?: string };
      for (const o of env.objects ?? []) ids.add(o.id);
      if (!env.more) break;
      next = env.next;
    }
    expect(ids.size).toBe(25);

    const exited = new Promise<number | null>((resolve) => p.child.once('exit', (code) => resolve(code)));
    p.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(redisServersIn(path.join(dataDir, 'redis'))).toEqual([]);
  }, 120_000);
});
