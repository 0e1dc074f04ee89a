/**
 * Loads the Redis scripts of src/store/lua/. Every Redis script of the gateway lives there, with its KEYS/ARGV/
 * return contract in its header. Shared Lua code sits in src/store/lua/lib/ and is pulled in by a line
 * `--- @include lib/<name>.lua`, replaced by that file's text when the script is loaded (each file at most once
 * per script, nested includes allowed), so helpers such as `flags()` and the record parsers are written once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const LUA_DIR = path.join(__dirname, 'lua');
const INCLUDE = /^--- @include (lib\/[a-z0-9-]+\.lua)[ \t]*$/gm;
const cache = new Map<string, string>();

function expand(name: string, seen: Set<string>): string {
  const text = readFileSync(path.join(LUA_DIR, name), 'utf8');
  return text.replace(INCLUDE, (_line, lib: string) => {
    if (seen.has(lib)) return `-- (${lib} already included)`;
    seen.add(lib);
    return expand(lib, seen);
  });
}

/** The text of script `name` (a file of src/store/lua/) with its includes expanded; read once per process. */
export function luaSource(name: string): string {
  let src = cache.get(name);
  if (src === undefined) {
    src = expand(name, new Set());
    cache.set(name, src);
  }
  return src;
}
