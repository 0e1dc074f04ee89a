/**
 * One read engine (docs/architecture.md, "Where to change what"): the visibility rules and the record formats
 * are known to a handful of places (a new record filter is an entry of src/store/record-filters.ts). These
 * tests read the source tree and fail when a second implementation appears.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '../../../src');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...files(full));
    else if (/\.(ts|lua)$/.test(name)) out.push(full);
  }
  return out;
}

function filesMatching(re: RegExp): string[] {
  return files(SRC)
    .filter((f) => re.test(readFileSync(f, 'utf8')))
    .map((f) => path.relative(SRC, f).split(path.sep).join('/'))
    .sort();
}

describe('the read engine', () => {
  it('when the sources are scanned, then the reader rules are built in the policy, typed once and evaluated in one script', () => {
    // ContentRules' fields (the configuration's snake_case names are the config's and the console's business)
    expect(filesMatching(/refusedMarkings|acceptedProducers/)).toEqual(['policy/clearance.ts', 'store/redis-reader.ts', 'store/types.ts']);
    // the rules' evaluation on stored records: the created_by_ref scan
    expect(filesMatching(/created_by_ref":"/)).toEqual(['store/lua/lib/reader-rules.lua']);
  });

  it('when the sources are scanned, then the index members are parsed in one Lua library and one write script', () => {
    // a member "<dateAdded>:<rank><flags>": its rank read as a digit after the colon
    expect(filesMatching(/string\.byte\(m, c \+ 1\)|charCodeAt\(c \+ 1\)/)).toEqual(['store/lua/lib/records.lua']);
  });

  it('when the sources are scanned, then the modules that know the ReadQuery type are the query parser, the store and its callers', () => {
    expect(filesMatching(/\bReadQuery\b/)).toEqual([
      'http/query.ts',
      'http/taxii/objects.ts',
      'import-export/native.ts',
      'policy/clearance.ts',
      'store/redis-reader.ts',
      'store/redis-store.ts',
      'store/types.ts',
    ]);
    // in the store, one function turns a query's filters into the engine's arguments
    const reader = readFileSync(path.join(SRC, 'store/redis-reader.ts'), 'utf8');
    const readArgs = reader.slice(
      reader.indexOf('export function readArgs'),
      reader.indexOf('\n}\n', reader.indexOf('export function readArgs')),
    );
    const uses = (text: string): number => text.match(/query\.(match|types|versions|ids|rules|maxTlpRank)\b/g)?.length ?? 0;
    expect(uses(readArgs)).toBeGreaterThan(0);
    expect(uses(reader)).toBe(uses(readArgs));
  });
});
