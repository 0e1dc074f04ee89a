/**
 * The layering rules of docs/architecture.md, checked on the source tree itself: every folder of src/ has a
 * layer, an import may only go to the same or a lower layer, there are no import cycles between files, the
 * pure layers (stix/, mapping/) do no I/O, and only src/http (plus the composition root in src/main) knows
 * express. A new folder must be given a layer here before its code can land: unknown folders fail the test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '..', '..', '..', 'src');

/** Layer of each top-level folder of src/ (higher imports lower, never the other way round). */
const LAYERS: Readonly<Record<string, number>> = {
  common: 0,
  taxii: 0,
  stix: 1,
  mapping: 2,
  config: 3,
  auth: 4,
  store: 4,
  observability: 4,
  policy: 5,
  audit: 5,
  exchange: 5,
  ingest: 6,
  'import-export': 6,
  browse: 6,
  federation: 7,
  inquiries: 7,
  http: 8,
  main: 9,
};

/** Modules the pure layers may not import (I/O, servers, queues). */
const IO_MODULES = ['node:fs', 'node:http', 'node:https', 'node:child_process', 'node:net', 'ioredis', 'bullmq', 'express'];
/** node:net is allowed for its pure address checks (isIP and friends), nothing else. */
const PURE_NET_NAMES = /^import\s*\{\s*(isIP|isIPv4|isIPv6)(\s*,\s*(isIP|isIPv4|isIPv6))*\s*\}\s*from\s*'node:net'/;
/** Files of a pure layer allowed to read the project's own files at start-up, and why. */
const READS_OWN_FILES: Readonly<Record<string, string>> = {
  'stix/schema-validator.ts': 'loads the JSON schemas under schemas/stix once, at start-up',
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

interface ImportLine {
  readonly spec: string;
  readonly text: string;
}

function importsOf(file: string): ImportLine[] {
  const text = readFileSync(file, 'utf8');
  const out: ImportLine[] = [];
  const re = /^(?:import|export)\s[^;]*?from\s*'([^']+)';|^import\s*'([^']+)';/gms;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const spec = m[1] ?? m[2];
    if (spec !== undefined) out.push({ spec, text: m[0] });
  }
  return out;
}

function resolveLocal(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this candidate
    }
  }
  return undefined;
}

const rel = (file: string): string => path.relative(SRC, file).split(path.sep).join('/');
const folderOf = (file: string): string => rel(file).split('/')[0] ?? '';

const files = sourceFiles(SRC).filter((f) => !rel(f).startsWith('stix/generated/'));
const graph = new Map<string, string[]>();
for (const f of files) {
  const targets: string[] = [];
  for (const i of importsOf(f)) {
    if (!i.spec.startsWith('.')) continue;
    const t = resolveLocal(f, i.spec);
    if (t !== undefined) targets.push(t);
  }
  graph.set(f, targets);
}

describe('the layering of src/', () => {
  it('when the tree is scanned, then it finds the source files and their imports (the checks below are not vacuous)', () => {
    expect(files.length).toBeGreaterThan(150);
    const edges = [...graph.values()].reduce((n, t) => n + t.length, 0);
    expect(edges).toBeGreaterThan(500);
  });

  it('when a folder of src/ exists, then it has a layer', () => {
    const folders = [...new Set(files.map(folderOf))].filter((f) => !f.endsWith('.ts'));
    expect(folders.filter((f) => LAYERS[f] === undefined)).toEqual([]);
  });

  it('when a file imports another folder, then that folder is on the same or a lower layer', () => {
    const upward: string[] = [];
    for (const [from, targets] of graph) {
      const a = LAYERS[folderOf(from)];
      for (const to of targets) {
        const b = LAYERS[folderOf(to)];
        if (a !== undefined && b !== undefined && b > a) upward.push(`${rel(from)} -> ${rel(to)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('when the imports between files are followed, then no file reaches itself (no cycles)', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        const s = state.get(t);
        if (s === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].map(rel).join(' -> '));
        else if (s === undefined) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('when a file of stix/ or mapping/ imports a module, then it is no I/O module (exceptions named with their reason)', () => {
    const found: string[] = [];
    for (const f of files) {
      if (!['stix', 'mapping'].includes(folderOf(f))) continue;
      for (const i of importsOf(f)) {
        if (!IO_MODULES.includes(i.spec)) continue;
        if (i.spec === 'node:net' && PURE_NET_NAMES.test(i.text)) continue;
        if (i.spec === 'node:fs' && READS_OWN_FILES[rel(f)] !== undefined) continue;
        found.push(`${rel(f)} imports ${i.spec}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('when a file outside src/http and src/main imports express, then the test names it (routes live in src/http)', () => {
    const found = files
      .filter((f) => !['http', 'main'].includes(folderOf(f)))
      .filter((f) => importsOf(f).some((i) => i.spec === 'express'))
      .map(rel);
    expect(found).toEqual([]);
  });
});
