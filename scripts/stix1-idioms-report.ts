/**
 * Measures the STIX 1.x importer against a reference converter's idiom pairs: a folder of STIX 1 XML inputs
 * and a folder of the STIX 2.1 bundles the reference produced for them (same base name; `-` and `_` are
 * treated alike). Ids and timestamps are not compared (they legitimately differ); a pair passes when
 * 1. our bundle is valid by the strict validator (src/stix/conformance/validate-document.ts), and
 * 2. every value the reference output carries is somewhere in ours: the string literals of indicator
 *    patterns, the property values of cyber-observables, kill chain phase names (compared in the
 *    lower-case hyphenated form), TLP marking ids, the names of SDOs, the URLs and external ids of their external references, their open-vocabulary types
 *    (`indicator_types`, `malware_types`, …), the object types made, `confidence`, and each relationship
 *    as its type between the types of its two ends (when both ends are in the reference bundle).
 * Values the reference itself left unconverted (`unconverted_term:…`) are not expected.
 *
 *   npx tsx scripts/stix1-idioms-report.ts XML_DIR JSON_DIR
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importStix1 } from '../src/mapping/stix1/import';
import { isWellKnownTlpId } from '../src/stix/markings';
import { SCO_TYPES } from '../src/stix/identifiers';
import { validateDocument } from '../src/stix/conformance/validate-document';

const SKIP_KEYS = new Set(['type', 'id', 'spec_version', 'defanged', 'is_multipart', 'created', 'modified']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function leafValues(v: unknown, key: string, out: string[]): void {
  if (SKIP_KEYS.has(key) || key.endsWith('_ref') || key.endsWith('_refs')) return;
  if (Array.isArray(v)) for (const x of v) leafValues(x, key, out);
  else if (isRecord(v)) for (const [k, x] of Object.entries(v)) leafValues(x, k, out);
  else if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
}

function hyphenated(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

const VOCAB_KEYS = ['indicator_types', 'malware_types', 'threat_actor_types', 'infrastructure_types', 'tool_types', 'report_types'];

function typeOfRef(ref: unknown): string {
  return typeof ref === 'string' ? (ref.split('--')[0] ?? '') : '';
}

/** Structure tokens of a bundle: object types, confidence, relationships by end types (ends in the bundle). */
function structureTokens(objects: readonly Record<string, unknown>[]): string[] {
  const ids = new Set(objects.map((o) => String(o['id'])));
  const out: string[] = [];
  for (const o of objects) {
    const type = String(o['type']);
    // The reference's placeholder producer (`identity` named "not provided") says nothing the source said.
    const placeholder = type === 'identity' && o['name'] === 'not provided';
    if (type !== 'relationship' && type !== 'marking-definition' && !placeholder) out.push(`<type:${type}>`);
    if (typeof o['confidence'] === 'number') out.push(`<confidence:${o['confidence']}>`);
    for (const k of VOCAB_KEYS) {
      const v = o[k];
      if (Array.isArray(v)) for (const x of v) if (typeof x === 'string' && x !== 'unknown') out.push(`<${k}:${x}>`);
    }
    const [src, tgt] = [o['source_ref'], o['target_ref']];
    if (type === 'relationship' && typeof src === 'string' && typeof tgt === 'string' && ids.has(src) && ids.has(tgt)) {
      out.push(`<rel:${String(o['relationship_type'])}:${typeOfRef(o['source_ref'])}>${typeOfRef(o['target_ref'])}>`);
    }
  }
  return out;
}

/** The values a reference bundle says the conversion must keep. */
export function expectedValues(bundle: unknown): string[] {
  const objects = isRecord(bundle) && Array.isArray(bundle['objects']) ? bundle['objects'].filter(isRecord) : [];
  const out: string[] = structureTokens(objects);
  for (const o of objects) {
    const type = String(o['type']);
    if (typeof o['pattern'] === 'string' && !o['pattern'].includes('unconverted_term')) {
      for (const m of o['pattern'].matchAll(/(MATCHES\s+)?'((?:[^'\\]|\\.)*)'/g)) {
        const literal = (m[2] ?? '').replace(/\\(.)/g, '$1');
        // A regular expression: its fixed text pieces are the values (anchors and wildcards are the writer's style).
        if (m[1] !== undefined) out.push(...literal.replace(/^\^/, '').replace(/\$$/, '').split(/\.?\*/));
        else out.push(literal);
      }
    }
    if (SCO_TYPES.has(type)) leafValues(o, '', out);
    if (Array.isArray(o['external_references'])) {
      for (const r of o['external_references'].filter(isRecord)) {
        for (const k of ['url', 'external_id']) if (typeof r[k] === 'string') out.push(String(r[k]));
      }
    }
    if (Array.isArray(o['kill_chain_phases'])) {
      for (const p of o['kill_chain_phases'].filter(isRecord)) out.push(hyphenated(String(p['phase_name'])));
    }
    if (Array.isArray(o['object_marking_refs'])) {
      for (const m of o['object_marking_refs']) if (typeof m === 'string' && isWellKnownTlpId(m)) out.push(m);
    }
    if (!SCO_TYPES.has(type) && type !== 'relationship' && typeof o['name'] === 'string' && o['name'] !== 'not provided')
      out.push(o['name']);
  }
  return [...new Set(out.map((v) => v.trim()).filter((v) => v !== ''))];
}

/** Every value of our output (pattern literals unescaped) as one lower-case text, whitespace collapsed. */
function haystack(objects: readonly unknown[]): string {
  const parts: string[] = [];
  const walk = (v: unknown, key: string): void => {
    if (Array.isArray(v)) for (const x of v) walk(x, key);
    else if (isRecord(v)) for (const [k, x] of Object.entries(v)) walk(x, k);
    // Pattern literals unescaped once (the pattern string) and twice (a MATCHES regular expression inside it).
    else if (typeof v === 'string' && key === 'pattern') {
      const once = v.replace(/\\(.)/g, '$1');
      parts.push(once, once.replace(/\\(.)/g, '$1'));
    } else if (typeof v === 'string') parts.push(v);
    else if (typeof v === 'number' || typeof v === 'boolean') parts.push(String(v));
  };
  walk(objects, '');
  parts.push(...structureTokens(objects.filter(isRecord)));
  return sameTimes(parts.join(' \u0000 ').replace(/\s+/g, ' ').toLowerCase());
}

/** Timestamps compared by instant as written to the second: `…:55.000000z` and `…:55z` are the same time. */
function sameTimes(text: string): string {
  return text.replace(/(\d{4}-\d\d-\d\dt\d\d:\d\d:\d\d)\.0+z/g, '$1z');
}

function main(): void {
  const [xmlDir, jsonDir] = process.argv.slice(2);
  if (xmlDir === undefined || jsonDir === undefined || !existsSync(xmlDir) || !existsSync(jsonDir)) {
    process.stderr.write('usage: npx tsx scripts/stix1-idioms-report.ts XML_DIR JSON_DIR\n');
    process.exit(2);
  }
  const jsonByKey = new Map(
    readdirSync(jsonDir)
      .filter((f) => f.endsWith('.json'))
      .map(
        (f) =>
          [
            f
              .replace(/\.json$/, '')
              .replace(/_/g, '-')
              .toLowerCase(),
            join(jsonDir, f),
          ] as const,
      ),
  );
  let pairs = 0;
  let passed = 0;
  for (const f of readdirSync(xmlDir)
    .filter((x) => x.endsWith('.xml'))
    .sort()) {
    const ref = jsonByKey.get(
      f
        .replace(/\.xml$/, '')
        .replace(/_/g, '-')
        .toLowerCase(),
    );
    if (ref === undefined) continue;
    pairs++;
    const r = importStix1(readFileSync(join(xmlDir, f)), { now: '2024-01-01T00:00:00Z' });
    const v =
      r.objects.length === 0
        ? undefined
        : validateDocument({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000000', objects: r.objects });
    const valid = v?.ok === true;
    const text = haystack(r.objects);
    const missing = expectedValues(JSON.parse(readFileSync(ref, 'utf8'))).filter(
      (x) => !text.includes(sameTimes(x.replace(/\s+/g, ' ').toLowerCase())),
    );
    const ok = valid && missing.length === 0;
    const errors = [...new Set((v?.issues ?? []).filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.message.slice(0, 80)}`))];
    if (ok) passed++;
    const why = [
      valid ? '' : `invalid: ${errors.slice(0, 2).join(' | ')}`,
      missing.length === 0 ? '' : `missing ${missing.length}: ${missing.slice(0, 4).join(' | ')}`,
    ]
      .filter((x) => x !== '')
      .join('; ');
    process.stdout.write(`${ok ? 'PASS' : 'FAIL'} ${f}${why === '' ? '' : ` (${why})`}\n`);
  }
  process.stdout.write(`${passed}/${pairs} pairs content-complete and valid\n`);
}

main();
