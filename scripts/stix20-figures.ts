/**
 * Figures of STIX 2.0 → 2.1 over a folder of 2.0 files, run as `convert --from stix20 --to stix21` runs: per
 * file, whether a document was written, the objects rejected, the input values missing from the output and
 * whether strict `validate` accepts the output. A value is every string, number or boolean of the input except
 * ids, references, `type`, `spec_version`, `created` and `modified` (timestamps compared as instants, patterns
 * by their quoted literals, since the pipeline reorders comparisons; hashes in lower case; granular selectors
 * skipped, as they are rewritten by design). Markings are checked apart: every marking of an input object must
 * still be on its output object, and the object markings of an observed-data on every SCO made from its
 * `objects`. A file is complete when it was written with nothing rejected, nothing missing, no marking lost and
 * a valid output.
 *
 *   npx tsx scripts/stix20-figures.ts DIR
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../src/main/cli-types';
import { convertCommand } from '../src/main/commands/convert';
import { validateCommand } from '../src/main/commands/validate';

/** Structural values: ids, versions, and granular selectors (they are rewritten to the SCOs and *_types by design). */
const SKIPPED = new Set(['id', 'spec_version', 'type', 'created', 'modified', 'selectors']);
/** Hashes are compared in lower case: STIX 2.1 output writes them in their canonical lower-case form. */
const hex = (v: string): string => (/^[0-9a-fA-F]{32,128}$/.test(v) ? v.toLowerCase() : v);

/** The values of a parsed document, each with the property it was found under. */
function values(v: unknown, key: string, out: Map<string, string>): void {
  if (Array.isArray(v)) for (const x of v) values(x, key, out);
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) values(x, k, out);
  else if (!SKIPPED.has(key) && !/_refs?$/.test(key) && v !== null && v !== undefined) {
    const text = String(v);
    if (key === 'pattern') for (const m of text.matchAll(/'((?:[^'\\]|\\.)*)'/g)) out.set(`'${hex(m[1] ?? '')}'`, key);
    else {
      const instant = /^\d{4}-\d\d-\d\dT/.test(text) ? Date.parse(text) : NaN;
      out.set(Number.isNaN(instant) ? hex(text) : `@${instant}`, key);
    }
  }
}

/** Every marking an object carries, object-level or granular. */
function markingsOf(o: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const refs = o['object_marking_refs'];
  if (Array.isArray(refs)) for (const r of refs) if (typeof r === 'string') out.add(r);
  const granular = o['granular_markings'];
  if (Array.isArray(granular))
    for (const g of granular) {
      const ref: unknown = typeof g === 'object' && g !== null ? (g as Record<string, unknown>)['marking_ref'] : undefined;
      if (typeof ref === 'string') out.add(ref);
    }
  return out;
}

const objectsOf = (doc: unknown): Record<string, unknown>[] => {
  if (typeof doc !== 'object' || doc === null) return [];
  const list = (doc as Record<string, unknown>)['objects'];
  const all = Array.isArray(list) ? (list as unknown[]) : [doc];
  return all.filter((o): o is Record<string, unknown> => typeof o === 'object' && o !== null && !Array.isArray(o));
};

/**
 * Markings lost: an input object whose output (same id) carries fewer markings than it did, and an SCO expanded
 * from an observed-data's `objects` that lacks the observed-data's object markings. Objects not in the output
 * (rejected, or re-minted for an invalid id) are counted as rejected, not here.
 */
function lostMarkings(input: unknown, output: unknown): string[] {
  const out = new Map(objectsOf(output).map((o) => [String(o['id']), o]));
  const lost: string[] = [];
  for (const o of objectsOf(input)) {
    const id = String(o['id']);
    const after = out.get(id);
    if (after === undefined) continue;
    const have = markingsOf(after);
    const refs = Array.isArray(after['object_refs']) ? (after['object_refs'] as unknown[]) : [];
    const expanded = o['type'] === 'observed-data' && o['objects'] !== undefined;
    // A granular marking of an observed-data's `objects.K…` moves onto SCO K by design.
    if (expanded) for (const ref of refs) for (const m of markingsOf(out.get(String(ref)) ?? {})) have.add(m);
    for (const m of markingsOf(o)) if (!have.has(m)) lost.push(`${id.split('--')[0]}: ${m.slice(0, 28)}`);
    if (!expanded) continue;
    const own = Array.isArray(o['object_marking_refs']) ? (o['object_marking_refs'] as unknown[]) : [];
    for (const ref of refs) {
      const sco = out.get(String(ref));
      if (sco === undefined) continue;
      const scoHas = markingsOf(sco);
      for (const m of own) if (typeof m === 'string' && !scoHas.has(m)) lost.push(`${String(ref).split('--')[0]}: ${m.slice(0, 28)}`);
    }
  }
  return lost;
}

function capture(stdin: Buffer = Buffer.alloc(0)): CliIo & { text: () => string } {
  const parts: string[] = [];
  const push = (t: string): void => void parts.push(t);
  return { stdout: push, stderr: push, env: {}, readStdin: async () => stdin, text: () => parts.join('') };
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: npx tsx scripts/stix20-figures.ts DIR\n');
    process.exit(2);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'stix20-figures-'));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const rows: string[] = [];
  let complete = 0;
  for (const f of files) {
    const out = join(tmp, f);
    const io = capture();
    const code = await convertCommand(['--from', 'stix20', '--to', 'stix21', '--quiet', '--out', out, join(dir, f)], io);
    const rejected = io
      .text()
      .split('\n')
      .filter((l) => /^\s*rejected /.test(l)).length;
    let missing: string[] = [];
    let lost: string[] = [];
    let valid = false;
    if (code === 0 && existsSync(out)) {
      const input = new Map<string, string>();
      const output = new Map<string, string>();
      const source = JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown;
      values(source, '', input);
      const text = readFileSync(out, 'utf8');
      const written = JSON.parse(text) as unknown;
      values(written, '', output);
      lost = lostMarkings(source, written);
      missing = [...input]
        .filter(([v]) => !output.has(v) && !text.includes(JSON.stringify(v).slice(1, -1)))
        .map(([v, k]) => `${k}=${v.slice(0, 40).replace(/\s+/g, ' ')}`);
      valid = (await validateCommand([out], capture())) === 0;
    }
    const ok = code === 0 && rejected === 0 && missing.length === 0 && lost.length === 0 && valid;
    if (ok) complete++;
    rows.push(
      `| ${f} | ${code === 0 ? 'yes' : 'no'} | ${rejected} | ${missing.length === 0 ? '' : missing.slice(0, 3).join('; ')} | ${lost.length === 0 ? '' : lost.slice(0, 2).join('; ')} | ${valid ? 'yes' : 'no'} |`,
    );
  }
  rmSync(tmp, { recursive: true, force: true });
  process.stdout.write(
    `| file | written | rejected | values missing | markings lost | valid (strict) |\n|---|---|---:|---|---|---|\n${rows.join('\n')}\n\n`,
  );
  process.stdout.write(
    `stix20 → stix21: ${complete} / ${files.length} complete (written, nothing rejected, every value and marking kept, valid)\n`,
  );
}

void main();
