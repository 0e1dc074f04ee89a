/**
 * MISP import coverage over a folder of MISP event files (default ../shared/samples/misp, or MISP_DIR):
 * per file the STIX objects produced (by type), how many MISP attribute values (event and object
 * attributes, not deleted, without attachment payloads) reappear somewhere in the STIX output, the issues by
 * severity, and the objects the gateway's own pipeline (prepareObjects) rejects; "context" counts what the event
 * says beside the values (event info, attribute and object comments, tags other than TLP, galaxy cluster names and
 * descriptions) found again in the output.
 * Run: `npx tsx scripts/misp-coverage.ts [DIR]`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importMisp } from '../src/mapping/misp/import';
import { prepareObjects } from '../src/stix/prepare';

const DIR = process.argv[2] ?? process.env['MISP_DIR'] ?? resolve(__dirname, '..', '..', 'shared', 'samples', 'misp');

function values(doc: unknown, out: string[]): void {
  if (Array.isArray(doc)) {
    for (const d of doc) values(d, out);
    return;
  }
  if (typeof doc !== 'object' || doc === null) return;
  const r = doc as Record<string, unknown>;
  const attrs = r['Attribute'];
  if (Array.isArray(attrs)) {
    for (const a of attrs) {
      if (typeof a !== 'object' || a === null) continue;
      const rec = a as Record<string, unknown>;
      if (rec['deleted'] === true || rec['deleted'] === '1') continue;
      if (typeof rec['value'] === 'string' && rec['value'].trim() !== '') out.push(rec['value'].trim());
    }
  }
  for (const [k, v] of Object.entries(r)) if (k !== 'Attribute' && k !== 'ShadowAttribute') values(v, out);
}

function covered(value: string, output: string): boolean {
  const parts = value.includes('|') ? value.split('|') : [value];
  return parts.every((p) => {
    const v = p.trim();
    if (v === '') return true;
    return output.includes(JSON.stringify(v).slice(1, -1)) || output.toLowerCase().includes(JSON.stringify(v.toLowerCase()).slice(1, -1));
  });
}

/** Event info, comments, non-TLP tags, galaxy cluster values and descriptions: what an event says beside its values. */
function context(doc: unknown, out: string[]): void {
  if (Array.isArray(doc)) {
    for (const d of doc) context(d, out);
    return;
  }
  if (typeof doc !== 'object' || doc === null) return;
  const r = doc as Record<string, unknown>;
  if (r['deleted'] === true || r['deleted'] === '1') return;
  // An object's or a galaxy's `description` is its template's (boilerplate), not what the event says.
  for (const k of 'meta-category' in r || 'GalaxyCluster' in r ? ['comment'] : ['info', 'comment', 'description']) {
    const v = r[k];
    if (typeof v === 'string' && v.trim() !== '') out.push(v.trim());
  }
  const tag = r['name'];
  if (typeof tag === 'string' && 'colour' in r === false && /^(?!tlp:)[^:]+:/.test(tag) && r['value'] === undefined) out.push(tag);
  if (typeof r['value'] === 'string' && 'GalaxyElement' in r) out.push(r['value']);
  for (const [k, v] of Object.entries(r))
    if (k !== 'ShadowAttribute' && k !== 'RelatedEvent' && k !== 'meta' && typeof v === 'object') context(v, out);
}

if (!existsSync(DIR)) {
  console.log(`no folder ${DIR}: nothing measured`);
  process.exit(0);
}
let totalValues = 0;
let totalCovered = 0;
let totalObjects = 0;
let totalRejected = 0;
let totalContext = 0;
let contextFound = 0;
for (const f of readdirSync(DIR)
  .filter((x) => x.endsWith('.json'))
  .sort()) {
  const text = readFileSync(join(DIR, f));
  const r = importMisp(text, { now: '2024-01-01T00:00:00.000Z' });
  const output = JSON.stringify(r.objects);
  const vals: string[] = [];
  values(JSON.parse(text.toString('utf8')) as unknown, vals);
  const missing = vals.filter((v) => !covered(v, output));
  const facts: string[] = [];
  context(JSON.parse(text.toString('utf8')) as unknown, facts);
  const factsMissing = facts.filter((v) => !covered(v, output));
  totalContext += facts.length;
  contextFound += facts.length - factsMissing.length;
  const cov = vals.length - missing.length;
  const rejected = prepareObjects(r.objects, {}).filter((o) => !o.ok);
  const byType = new Map<string, number>();
  for (const o of r.objects) byType.set(o.type, (byType.get(o.type) ?? 0) + 1);
  const sev = { error: 0, warning: 0, info: 0 };
  for (const i of r.issues) sev[i.severity]++;
  totalValues += vals.length;
  totalCovered += cov;
  totalObjects += r.objects.length;
  totalRejected += rejected.length;
  const types = [...byType.entries()]
    .sort()
    .map(([t, n]) => `${t}:${n}`)
    .join(' ');
  console.log(
    `${f}\n  objects ${r.objects.length} (${types})\n  values ${cov}/${vals.length}  issues e${sev.error}/w${sev.warning}/i${sev.info}  rejected ${rejected.length}  context ${facts.length - factsMissing.length}/${facts.length}`,
  );
  if (process.env['SHOW_MISSING'] === '1') for (const m of factsMissing.slice(0, 10)) console.log(`    context missing ${m.slice(0, 120)}`);
  if (process.env['SHOW_MISSING'] === '1') for (const m of missing.slice(0, 10)) console.log(`    missing ${m.slice(0, 120)}`);
  for (const x of rejected.slice(0, 3))
    if (!x.ok)
      console.log(
        `    rejected ${x.id ?? x.index}: ${x.issues
          .map((i) => `${i.code} ${i.message}`)
          .join('; ')
          .slice(0, 300)}`,
      );
}
console.log(
  `TOTAL objects ${totalObjects}, values covered ${totalCovered}/${totalValues}, rejected ${totalRejected}, context ${contextFound}/${totalContext}`,
);
