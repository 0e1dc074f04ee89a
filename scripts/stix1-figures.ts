/**
 * Figures of the STIX 1.x mapping over a folder of STIX 1 XML files: per file, the objects by type, the number
 * of observable values (pattern comparisons plus SCO property values), kill chain phases, objects the
 * gateway's prepare stage rejects, and how many objects come back after a 1.x → 2.1 → 1.x → 2.1 round trip.
 *
 *   npx tsx scripts/stix1-figures.ts DIR
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportStix1 } from '../src/mapping/stix1/export';
import { importStix1 } from '../src/mapping/stix1/import';
import type { StixObject } from '../src/mapping/types';
import { SCO_TYPES } from '../src/stix/identifiers';
import { prepareObjects } from '../src/stix/prepare';

const SKIP = new Set(['type', 'id', 'spec_version', 'defanged', 'is_multipart']);

function leaves(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + leaves(x), 0);
  if (typeof v === 'object' && v !== null) {
    return Object.entries(v).reduce((n, [k, x]) => (SKIP.has(k) || k.endsWith('_ref') || k.endsWith('_refs') ? n : n + leaves(x)), 0);
  }
  return 1;
}

function values(objects: readonly StixObject[]): number {
  let n = 0;
  for (const o of objects) {
    if (o.type === 'indicator' && o['pattern_type'] === 'stix')
      n += (String(o['pattern']).match(/ (=|!=|MATCHES|IN|LIKE|>|<|>=|<=) /g) ?? []).length;
    if (SCO_TYPES.has(o.type)) n += leaves(o);
  }
  return n;
}

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: npx tsx scripts/stix1-figures.ts DIR\n');
  process.exit(2);
}
const opts = { now: '2024-01-01T00:00:00Z' };
for (const f of readdirSync(dir)
  .filter((x) => x.endsWith('.xml'))
  .sort()) {
  const r = importStix1(readFileSync(join(dir, f)), opts);
  const counts: Record<string, number> = {};
  for (const o of r.objects) counts[o.type] = (counts[o.type] ?? 0) + 1;
  const rejected = prepareObjects(r.objects, {}).filter((p) => !p.ok).length;
  const phases = r.objects.reduce((n, o) => n + (Array.isArray(o['kill_chain_phases']) ? o['kill_chain_phases'].length : 0), 0);
  const again = importStix1(exportStix1(r.objects).output, opts);
  const back = new Set(again.objects.map((o) => o.id));
  const kept = r.objects.filter((o) => back.has(o.id)).length;
  process.stdout.write(
    `${f}: ${r.objects.length} objects, ${values(r.objects)} values, ${phases} kill chain phases, ${rejected} rejected, ` +
      `round trip keeps ${kept}/${r.objects.length} ids; ${JSON.stringify(counts)}\n`,
  );
}
