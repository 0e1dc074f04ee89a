/**
 * Folding a duplicate indicator into the one already held (docs/architecture.md, POST step 4): what the newcomer adds to
 * the existing indicator. Pure.
 *
 * What counts as adding something: a later valid_until, a higher confidence, new labels, kill-chain phases,
 * external references or marking refs (a stricter marking travels with the information), a description where
 * there was none. Everything else of the existing indicator is kept as it is.
 */
import { compareTimestamps, formatMicros, parseTimestamp } from '../stix/time';

export interface MergeResult {
  /** The new version of the existing indicator, or undefined when the newcomer adds nothing. */
  readonly merged?: Record<string, unknown>;
  /** Names of the properties that changed. */
  readonly added: readonly string[];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)) : [];
}

function unionBy(
  existing: Record<string, unknown>[],
  incoming: Record<string, unknown>[],
  key: (r: Record<string, unknown>) => string,
): Record<string, unknown>[] | undefined {
  const seen = new Set(existing.map(key));
  const extra = incoming.filter((r) => !seen.has(key(r)));
  return extra.length === 0 ? undefined : [...existing, ...extra];
}

function unionStrings(existing: string[], incoming: string[]): string[] | undefined {
  const seen = new Set(existing);
  const extra = incoming.filter((s) => !seen.has(s));
  return extra.length === 0 ? undefined : [...existing, ...[...new Set(extra)]];
}

function validTimestamp(v: unknown): v is string {
  return typeof v === 'string' && parseTimestamp(v) !== undefined;
}

export function mergeIndicator(existing: Readonly<Record<string, unknown>>, incoming: Readonly<Record<string, unknown>>): MergeResult {
  const out: Record<string, unknown> = { ...existing };
  const added: string[] = [];

  const eu = existing['valid_until'];
  const iu = incoming['valid_until'];
  if (validTimestamp(eu) && validTimestamp(iu) && compareTimestamps(iu, eu) > 0) {
    out['valid_until'] = iu;
    added.push('valid_until');
  }
  const ec = existing['confidence'];
  const ic = incoming['confidence'];
  if (typeof ic === 'number' && (typeof ec !== 'number' || ic > ec)) {
    out['confidence'] = ic;
    added.push('confidence');
  }
  for (const prop of ['labels', 'object_marking_refs', 'indicator_types'] as const) {
    const u = unionStrings(strings(existing[prop]), strings(incoming[prop]));
    if (u) {
      out[prop] = u;
      added.push(prop);
    }
  }
  const kc = unionBy(
    records(existing['kill_chain_phases']),
    records(incoming['kill_chain_phases']),
    (r) => `${String(r['kill_chain_name'])}|${String(r['phase_name'])}`,
  );
  if (kc) {
    out['kill_chain_phases'] = kc;
    added.push('kill_chain_phases');
  }
  const er = unionBy(
    records(existing['external_references']),
    records(incoming['external_references']),
    (r) => `${String(r['source_name'])}|${String(r['external_id'] ?? '')}|${String(r['url'] ?? '')}`,
  );
  if (er) {
    out['external_references'] = er;
    added.push('external_references');
  }
  if (existing['description'] === undefined && typeof incoming['description'] === 'string') {
    out['description'] = incoming['description'];
    added.push('description');
  }
  if (added.length === 0) return { added };
  out['modified'] = nextModified(existing['modified'], incoming['modified']);
  return { merged: out, added };
}

/** The modified of the merged version: the newcomer's when it is later, else the existing one plus 1 ms. */
function nextModified(existing: unknown, incoming: unknown): string {
  const e = typeof existing === 'string' ? parseTimestamp(existing) : undefined;
  const i = typeof incoming === 'string' ? parseTimestamp(incoming) : undefined;
  if (i && typeof incoming === 'string' && (!e || i.micros > e.micros)) return incoming;
  return formatMicros((e?.micros ?? 0) + 1000);
}
