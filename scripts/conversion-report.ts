/**
 * The conversion report: every case of the corpus under test/fixtures/corpus/ is converted the way
 * `convert --from F --to T` converts it (import → the gateway's prepare stage → export) and passes when
 * 1. the conversion succeeds (no fault, a non-empty document),
 * 2. a STIX 2.1 output is valid by the strict validator (src/stix/conformance/validate-document.ts), and
 * 3. every value the case expects is present in the output.
 * A case is `<direction>/<name>.<ext>` (direction `<from>-to-<to>`) with `<name>.expect.json`:
 * `{ "values": ["…"], "title"?: "…" }`. Run by scripts/samples-report.ts and test/unit/mapping/conversion-report.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareForExport } from '../src/main/commands/convert';
import type { CliIo } from '../src/main/cli-types';
import { formatDefinition } from '../src/mapping/registry';
import { validateDocument } from '../src/stix/conformance/validate-document';

const NOW = '2024-01-01T00:00:00.000Z';

export interface CaseResult {
  readonly direction: string;
  readonly name: string;
  readonly converted: boolean;
  readonly valid: boolean;
  readonly missing: readonly string[];
  /** Why the case failed, in a few words (empty when it passed). */
  readonly detail: string;
}

export function passed(r: CaseResult): boolean {
  return r.converted && r.valid && r.missing.length === 0;
}

const SILENT: CliIo = { stdout: () => undefined, stderr: () => undefined, env: {}, readStdin: () => Promise.resolve(Buffer.alloc(0)) };

function expectedValues(file: string): string[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('values' in parsed) || !Array.isArray(parsed.values)) {
    throw new Error(`${file}: expected {"values": [...]}`);
  }
  return parsed.values.filter((v: unknown): v is string => typeof v === 'string');
}

/** Converts one case and checks it. */
export function runCase(dir: string, direction: string, file: string): CaseResult {
  const name = file.replace(/\.[^.]+(\.[^.]+)?$/, '');
  const [fromName, toName] = direction.split('-to-');
  const from = formatDefinition(fromName ?? '');
  const to = formatDefinition(toName ?? '');
  const base = { direction, name };
  if (from === undefined || to === undefined) return { ...base, converted: false, valid: false, missing: [], detail: 'unknown direction' };
  const values = expectedValues(join(dir, direction, `${name}.expect.json`));
  let output: string;
  try {
    const imported = from.import(readFileSync(join(dir, direction, file)), { now: NOW, source: { name: 'corpus' } });
    const { objects } = prepareForExport(imported.objects, SILENT, true);
    output = to.export(objects, { title: name }).output;
  } catch (e) {
    return { ...base, converted: false, valid: false, missing: values, detail: `fault: ${e instanceof Error ? e.message : String(e)}` };
  }
  const converted = output.trim().length > 0;
  let valid = true;
  let detail = converted ? '' : 'empty output';
  if (to.format === 'stix21' && converted) {
    const v = validateDocument(JSON.parse(output));
    valid = v.ok;
    const codes = [...new Set(v.issues.filter((i) => i.severity === 'error').map((i) => i.code))];
    if (!valid) detail = `invalid: ${codes.join(', ')}`;
  }
  const missing = values.filter((v) => !output.includes(v));
  if (missing.length > 0) detail = [detail, `missing: ${missing.join(', ')}`].filter((d) => d !== '').join('; ');
  return { ...base, converted, valid, missing, detail };
}

/** Every case of the corpus, direction by direction, in name order. */
export function runConversionReport(dir: string): CaseResult[] {
  const results: CaseResult[] = [];
  for (const direction of readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    const inputs = readdirSync(join(dir, direction))
      .filter((f) => !f.endsWith('.expect.json'))
      .sort();
    for (const f of inputs) results.push(runCase(dir, direction, f));
  }
  return results;
}

/** The report as markdown: pass rate per direction, then the failing cases with the reason. */
export function formatConversionReport(results: readonly CaseResult[]): string {
  const directions = [...new Set(results.map((r) => r.direction))];
  const rows = directions.map((d) => {
    const cases = results.filter((r) => r.direction === d);
    const ok = cases.filter(passed).length;
    return `| ${d.replace('-to-', ' → ')} | ${ok} / ${cases.length} | ${cases.filter((c) => !c.valid).length} | ${cases.filter((c) => c.missing.length > 0).length} |`;
  });
  const total = results.filter(passed).length;
  const failures = results.filter((r) => !passed(r)).map((r) => `- ${r.direction}/${r.name}: ${r.detail}`);
  return [
    '| direction | passed | invalid output | values missing |',
    '|---|---:|---:|---:|',
    ...rows,
    `| **total** | **${total} / ${results.length}** | | |`,
    '',
    ...(failures.length === 0 ? ['Every case passes.'] : ['Failing cases:', '', ...failures]),
    '',
  ].join('\n');
}
