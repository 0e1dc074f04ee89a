/**
 * The CLI exits only after its output has left the process: `convert FILE | next-tool` with a reader slower than
 * the CLI must receive the whole document. The CLI used to exit 50 ms after the command returned, which cut a
 * piped document off at the pipe buffer (64 KiB) when the reader had not drained it yet.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

describe('CLI output through a pipe', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cli-flush-'));
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) lines.push(`198.51.${Math.floor(i / 250)}.${i % 250}`);
    writeFileSync(path.join(dir, 'many.txt'), `${lines.join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when the reader of stdout starts late, then it still receives the whole converted document', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join('src', 'main', 'cli.ts'),
        'convert',
        '--from',
        'txt',
        '--to',
        'stix21',
        '--quiet',
        path.join(dir, 'many.txt'),
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const chunks: Buffer[] = [];
    child.stdout.pause();
    // Read nothing until the command has surely finished converting and returned (it then waits for the pipe).
    const started = new Promise<void>((resolve) => child.stdout.once('readable', () => resolve()));
    await started;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stdout.resume();
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const text = Buffer.concat(chunks).toString('utf8');
    expect(status).toBe(0);
    expect(text.length).toBeGreaterThan(200_000);
    const doc = JSON.parse(text) as { objects: { pattern?: string }[] };
    expect(doc.objects.filter((o) => o.pattern !== undefined)).toHaveLength(2000);
    expect(text).toContain('198.51.7.249');
  }, 120_000);
});
