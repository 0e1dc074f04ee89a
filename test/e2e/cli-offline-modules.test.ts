/**
 * The offline commands' start-up (issue "The first hour of a CERT operator": convert/validate/normalize of a small
 * file in at most 300 ms, timed by bench/cli-startup.bench.ts): each run through the real CLI must not load ajv's
 * code generator (the schemas are precompiled, src/stix/precompiled-schemas.ts), nor libraries the small file does
 * not need. This test checks which modules are loaded, not how long they take.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const PRELOAD = path.join(ROOT, 'test', 'helpers', 'loaded-modules.cjs');

/** Libraries that a small UTF-8 file converted or checked offline has no use for. */
const NOT_LOADED: readonly RegExp[] = [
  // the schemas are precompiled: only ajv's small run-time helpers (ajv/dist/runtime/) may be required by them
  /node_modules\/ajv\/(?!dist\/runtime\/)/,
  /node_modules\/iconv-lite\//,
  /node_modules\/yaml\//,
  /node_modules\/fast-xml-parser\//,
  /node_modules\/(express|ioredis|bullmq|pino)\//,
];

describe('offline CLI commands: modules loaded', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cli-modules-'));
    writeFileSync(path.join(dir, 'small.csv'), 'indicator,type,first_seen\n192.0.2.1,ip,2025-03-01 10:00:00\n');
    const indicator = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--00000000-0000-4000-8000-000000000001',
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      pattern: "[ipv4-addr:value = '192.0.2.1']",
      pattern_type: 'stix',
      valid_from: '2024-01-01T00:00:00Z',
    };
    writeFileSync(
      path.join(dir, 'small.json'),
      JSON.stringify({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: [indicator] }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function loadedBy(args: readonly string[]): { status: number | null; output: string; modules: string[] } {
    const out = path.join(dir, `modules-${args[0] ?? 'x'}.txt`);
    const run = spawnSync(process.execPath, ['--require', PRELOAD, '--import', 'tsx', path.join('src', 'main', 'cli.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, LOADED_MODULES_OUT: out },
      encoding: 'utf8',
      timeout: 120_000, // a loaded machine: this checks what is loaded, not how fast
    });
    const modules = readFileSync(out, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0);
    return { status: run.status, output: `${run.stdout}${run.stderr}`, modules };
  }

  const cases: [string, string[], RegExp][] = [
    ['convert', ['convert', '--from', 'csv', '--to', 'stix21', 'small.csv'], /"pattern": ?"\[ipv4-addr:value = '192\.0\.2\.1'\]"/],
    ['validate', ['validate', 'small.json'], /1 object\(s\), 0 invalid/],
    ['normalize', ['normalize', 'small.json'], /"id":"indicator--00000000-0000-4000-8000-000000000001"/],
  ];

  it.each(cases)(
    'when %s runs on a small file, then neither ajv nor a library it does not need is loaded',
    (_name, args, expected) => {
      const r = loadedBy(args.map((a) => (a.startsWith('small.') ? path.join(dir, a) : a)));
      expect(r.status).toBe(0);
      expect(r.output).toMatch(expected);
      expect(r.modules.some((m) => m.includes(`${path.sep}src${path.sep}stix${path.sep}prepare.ts`))).toBe(true);
      expect(r.modules.filter((m) => NOT_LOADED.some((re) => re.test(m)))).toEqual([]);
      // The one precompiled schema the file needs is loaded, not all of them.
      const validators = r.modules.filter((m) => m.includes('generated/validators/') && !m.endsWith('index.js'));
      expect(validators.map((m) => path.basename(m))).toEqual(['indicator.js']);
    },
    150_000,
  );
});
