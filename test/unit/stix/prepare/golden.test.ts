/**
 * Golden guard of the prepare stage: a fixed, synthetic, mixed set of batches (the normalization, semantic
 * and pattern fixtures, the benchmark mix, and edge cases: invalid, 2.0, defanged, observed-data, lower-case
 * timestamps, leap seconds, nanoseconds, custom types, …) is prepared and every outcome is compared in full
 * — issues with their messages, canonical JSON bytes, original JSON, keys — with the output captured from the
 * code before the performance work of the perf-prepare branch. Any change of behaviour shows up here.
 *
 * The expected file is only regenerated on purpose, after a reviewed change of behaviour:
 *   PREPARE_GOLDEN_UPDATE=1 npx jest test/unit/stix/prepare/golden.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TlpLevel } from '../../../../src/stix/markings';
import { createPrepareDeps, type PrepareOptions, type PrepareOutcome, prepareObjects } from '../../../../src/stix/prepare';
import { comparedValues } from '../../../../src/store/indicator-entries';
import { referenceComparedValues } from '../pattern/compared-values-reference';

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'prepare-golden');

interface Batch {
  readonly name: string;
  readonly options: PrepareOptions;
  readonly objects: unknown[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TLP_LEVELS: readonly string[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
function isTlp(v: unknown): v is TlpLevel {
  return typeof v === 'string' && TLP_LEVELS.includes(v);
}

function loadBatches(): Batch[] {
  const raw: unknown = JSON.parse(readFileSync(join(DIR, 'input.json'), 'utf8'));
  if (!isRecord(raw) || !Array.isArray(raw['batches'])) throw new Error('bad golden input');
  return raw['batches'].map((b: unknown): Batch => {
    if (!isRecord(b) || typeof b['name'] !== 'string' || !Array.isArray(b['objects'])) throw new Error('bad golden batch');
    const o = isRecord(b['options']) ? b['options'] : {};
    return {
      name: b['name'],
      objects: b['objects'],
      options: {
        ...(isTlp(o['defaultTlp']) ? { defaultTlp: o['defaultTlp'] } : {}),
        ...(typeof o['malwareIsFamilyDefault'] === 'boolean' ? { malwareIsFamilyDefault: o['malwareIsFamilyDefault'] } : {}),
        ...(typeof o['maxObjectBytes'] === 'number' ? { maxObjectBytes: o['maxObjectBytes'] } : {}),
      },
    };
  });
}

/**
 * Every field of an outcome, in a fixed key order, with `undefined` fields left out. `comparedValues` (added by
 * the perf-prepare work) is checked separately below, so the golden output stays the one captured before it.
 */
function render(o: PrepareOutcome): unknown {
  if (!o.ok) return { ok: false, index: o.index, id: o.id, version: o.version, issues: o.issues };
  const p = o.object;
  return {
    ok: true,
    index: p.index,
    id: p.id,
    postedId: p.postedId,
    type: p.type,
    specVersion: p.specVersion,
    version: p.version,
    json: p.json,
    originalJson: p.originalJson,
    changes: p.changes,
    createdByRef: p.createdByRef,
    markingRefs: p.markingRefs,
    indicatorKey: p.indicatorKey,
    stixPattern: p.stixPattern,
  };
}

/** One outcome per line, so a difference is easy to read in a diff. */
function serialize(result: { name: string; outcomes: unknown[] }[]): string {
  const batches = result.map(
    (b) => ` {"name": ${JSON.stringify(b.name)}, "outcomes": [\n${b.outcomes.map((o) => `  ${JSON.stringify(o)}`).join(',\n')}\n ]}`,
  );
  return `{"batches": [\n${batches.join(',\n')}\n]}\n`;
}

describe('prepareObjects golden output', () => {
  const batches = loadBatches();
  const outcomes = batches.map((b) => ({ name: b.name, outcomes: prepareObjects(b.objects, b.options, createPrepareDeps()) }));

  it('when the golden batches are prepared, then every outcome is byte-identical to the captured output', () => {
    const actual = serialize(outcomes.map((b) => ({ name: b.name, outcomes: b.outcomes.map(render) })));
    const file = join(DIR, 'expected.json');
    if (process.env['PREPARE_GOLDEN_UPDATE'] === '1') writeFileSync(file, actual);
    const expected = readFileSync(file, 'utf8');
    // Line by line first, for a readable failure; then the whole text.
    const a = actual.split('\n');
    const e = expected.split('\n');
    for (let i = 0; i < Math.max(a.length, e.length); i++) expect(`${i + 1}: ${a[i] ?? ''}`).toBe(`${i + 1}: ${e[i] ?? ''}`);
    expect(actual).toBe(expected);
  });

  it('when an indicator has a STIX pattern, then comparedValues is what parsing the stored pattern again gives', () => {
    let checked = 0;
    for (const b of outcomes) {
      for (const o of b.outcomes) {
        if (!o.ok) continue;
        const p = o.object;
        if (p.stixPattern === undefined) {
          expect(p.comparedValues).toBeUndefined();
          continue;
        }
        expect(p.comparedValues).toEqual(referenceComparedValues(p.stixPattern));
        expect(p.comparedValues).toEqual(comparedValues(p.stixPattern));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
