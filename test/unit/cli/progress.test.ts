/** The import/export progress bar: drawn on a terminal only (issue: no progress was shown for large files). */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../src/main/cli-types';
import { NO_PROGRESS, progressBar } from '../../../src/main/progress';

const io: CliIo = { stdout: () => undefined, stderr: () => undefined, env: {}, readStdin: async () => Buffer.alloc(0) };

function fakeStream(tty: boolean): { stream: PassThrough & { isTTY: boolean }; text: () => string } {
  const p = new PassThrough();
  let text = '';
  p.on('data', (d: Buffer) => (text += d.toString()));
  const stream = Object.assign(p, { isTTY: tty, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream, text: () => text };
}

describe('progressBar', () => {
  it('when stderr is not a terminal, then nothing is drawn', () => {
    expect(progressBar(io, 'import', 'objects')).toBe(NO_PROGRESS);
    const s = fakeStream(false);
    const p = progressBar(io, 'import', 'objects', s.stream);
    p.update(5, 10);
    p.stop();
    expect(s.text()).toBe('');
  });

  it('when drawn on a terminal, then it shows the count out of the total', () => {
    const s = fakeStream(true);
    const p = progressBar(io, 'import', 'objects', s.stream);
    p.update(0, 1200);
    p.update(1200, 1200);
    p.stop();
    expect(s.text()).toContain('1200/1200 objects');
    expect(s.text()).toContain('import [');
  });
});
