import { join } from 'node:path';
import { convertCommand } from '../../../../src/main/commands/convert';
import type { CliIo } from '../../../../src/main/cli-types';

const FIXTURES = join(__dirname, '../../../fixtures/mapping/import-export');

function io(stdin = ''): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, readStdin: async () => Buffer.from(stdin) };
}

describe('convert command', () => {
  it('when a MISP event is converted to text, then stdout lists its values and stderr the report', async () => {
    const x = io();
    expect(await convertCommand(['--from', 'misp', '--to', 'txt', join(FIXTURES, 'event.misp.json')], x)).toBe(0);
    expect(x.out.join('')).toContain('evil-login.example');
    expect(x.out.join('')).toContain('203.0.113.45');
    expect(x.err.join('')).toMatch(/misp: 4 objects \(2 indicators/);
  });

  it('when a pasted list on stdin is converted to STIX 2.1, then the bundle holds refanged indicators', async () => {
    const x = io('hxxp://203.0.113.9/a.php\n');
    expect(await convertCommand(['--from', 'txt', '--to', 'stix21', '-'], x)).toBe(0);
    const bundle = JSON.parse(x.out.join('')) as { objects: { type: string; pattern?: string }[] };
    expect(bundle.objects.find((o) => o.type === 'indicator')?.pattern).toBe("[url:value = 'http://203.0.113.9/a.php']");
  });

  it('when the input is a billion-laughs document, then exit 1 and the error names the format and line', async () => {
    const x = io();
    expect(await convertCommand(['--from', 'stix1', '--to', 'csv', join(FIXTURES, 'billion-laughs.xml')], x)).toBe(1);
    expect(x.err.join('')).toMatch(/XML_ENTITY_DECLARATION line \d+, column \d+: STIX 1\.x/);
    expect(x.out).toEqual([]);
  });

  it('when a format is unknown or missing, then exit 2 with the usage', async () => {
    const x = io();
    expect(await convertCommand(['--from', 'yara', '--to', 'csv'], x)).toBe(2);
    expect(x.err.join('')).toContain('Usage: taxii-gateway convert');
    expect(await convertCommand(['--help'], io())).toBe(0);
  });
});
