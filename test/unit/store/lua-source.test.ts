/**
 * The Redis scripts: every one is a file of src/store/lua/ with a contract header, shared Lua is written once in
 * src/store/lua/lib/ and pulled in with `--- @include`, and no TypeScript file carries inline Lua.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { luaSource } from '../../../src/store/lua-source';

const SRC = path.join(__dirname, '../../../src');
const LUA = path.join(SRC, 'store/lua');

function files(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...files(full, ext));
    else if (name.endsWith(ext)) out.push(full);
  }
  return out;
}

const scripts = readdirSync(LUA).filter((n) => n.endsWith('.lua'));

describe('Redis scripts', () => {
  it('when the scripts are listed, then each opens with a contract header naming itself', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(7);
    for (const name of scripts) {
      const text = readFileSync(path.join(LUA, name), 'utf8');
      expect(text.startsWith(`--[[\n${name.replace(/\.lua$/, '')}: `)).toBe(true);
    }
  });

  it('when a script includes a library, then the include line is replaced by the library text once', () => {
    const src = luaSource('delete-versions.lua');
    expect(src).not.toContain('--- @include');
    expect(src.match(/local function flags\(/g)?.length).toBe(1);
  });

  it('when every script is expanded, then none keeps an include line and each helper is defined once', () => {
    for (const name of scripts) {
      const src = luaSource(name);
      expect(src).not.toMatch(/^--- @include/m);
      const defs = [...src.matchAll(/local function ([A-Za-z_]+)\(/g)].map((m) => m[1]);
      expect(defs.length).toBe(new Set(defs).size);
    }
  });

  it('when the raw files are read, then a shared helper is written in src/store/lua/lib only', () => {
    const libDefs = new Set<string>();
    for (const f of files(path.join(LUA, 'lib'), '.lua')) {
      for (const m of readFileSync(f, 'utf8').matchAll(/^local function ([A-Za-z_]+)\(/gm)) libDefs.add(m[1] ?? '');
    }
    expect(libDefs.has('flags')).toBe(true);
    for (const name of scripts) {
      const text = readFileSync(path.join(LUA, name), 'utf8');
      for (const m of text.matchAll(/^local function ([A-Za-z_]+)\(/gm)) expect(libDefs.has(m[1] ?? '')).toBe(false);
    }
  });

  it('when the TypeScript sources are read, then none holds inline Lua', () => {
    const inline = files(SRC, '.ts').filter((f) => /redis\.call\(/.test(readFileSync(f, 'utf8')));
    expect(inline.map((f) => path.relative(SRC, f))).toEqual([]);
  });
});
