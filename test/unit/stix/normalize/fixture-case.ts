/** Loads a normalization fixture pair and renders prepare's outcomes in the form the expected files hold. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TlpLevel } from '../../../../src/stix/markings';
import { type PrepareOptions, type PrepareOutcome } from '../../../../src/stix/prepare';

export const NORMALIZE_FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'normalize');

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TLP_LEVELS: readonly string[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
function isTlp(v: unknown): v is TlpLevel {
  return typeof v === 'string' && TLP_LEVELS.includes(v);
}

export function loadInput(name: string): { objects: unknown[]; options: PrepareOptions } {
  const raw: unknown = JSON.parse(readFileSync(join(NORMALIZE_FIXTURES, `${name}.input.json`), 'utf8'));
  if (!isRecord(raw) || !Array.isArray(raw['objects'])) throw new Error(`bad fixture ${name}`);
  const o = isRecord(raw['options']) ? raw['options'] : {};
  const options: PrepareOptions = {
    ...(isTlp(o['defaultTlp']) ? { defaultTlp: o['defaultTlp'] } : {}),
    ...(typeof o['malwareIsFamilyDefault'] === 'boolean' ? { malwareIsFamilyDefault: o['malwareIsFamilyDefault'] } : {}),
  };
  return { objects: raw['objects'], options };
}

export function loadExpected(name: string): unknown {
  return JSON.parse(readFileSync(join(NORMALIZE_FIXTURES, `${name}.expected.json`), 'utf8'));
}

/** The comparable form of outcomes: stored objects parsed back, codes of changes and failures. */
export function render(outcomes: readonly PrepareOutcome[]): unknown {
  return {
    outcomes: outcomes.map((o) =>
      o.ok
        ? {
            ok: true,
            index: o.object.index,
            ...(o.object.postedId === undefined ? {} : { postedId: o.object.postedId }),
            changed: o.object.originalJson !== undefined,
            changes: o.object.changes.map((c) => `${c.severity} ${c.code} ${c.path}`),
            object: JSON.parse(o.object.json) as unknown,
          }
        : { ok: false, index: o.index, id: o.id, issues: o.issues.map((c) => `${c.severity} ${c.code} ${c.path}`) },
    ),
  };
}
