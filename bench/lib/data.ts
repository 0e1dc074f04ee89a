/**
 * Synthetic but realistic benchmark data: STIX 2.1 indicators of about 540 bytes (name, type, pattern on an
 * IPv4 address, domain, URL or file hash, confidence, TLP marking, creator),
 * a share of exact duplicates, and domain-name observables with defanged values.
 */
import { createHash } from 'node:crypto';

export const PRODUCER = 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc';
const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';

function uuidFrom(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function patternOf(n: number, run: string): string {
  const h = createHash('md5').update(`${run}:${n}`).digest('hex');
  switch (n % 4) {
    case 0:
      return `[ipv4-addr:value = '${(n >>> 24) & 255 || 11}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}']`;
    case 1:
      return `[domain-name:value = 'c2-${h.slice(0, 10)}.example-${run}.net']`;
    case 2:
      return `[url:value = 'http://cdn-${h.slice(0, 8)}.example.org/gate.php?id=${n}']`;
    default:
      return `[file:hashes.'SHA-256' = '${createHash('sha256').update(`${run}:${n}`).digest('hex')}']`;
  }
}

/** The n-th indicator of a data set named `run` (ids and patterns are unique per (run, n)). */
export function indicator(n: number, run: string): Record<string, unknown> {
  const day = String(1 + (n % 28)).padStart(2, '0');
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${uuidFrom(`${run}:${n}`)}`,
    created_by_ref: PRODUCER,
    created: `2025-02-${day}T08:15:30.123Z`,
    modified: `2025-02-${day}T08:15:30.123Z`,
    name: `Command and control endpoint ${n}`,
    indicator_types: ['malicious-activity'],
    pattern: patternOf(n, run),
    pattern_type: 'stix',
    valid_from: `2025-02-${day}T08:15:30Z`,
    confidence: 70,
    object_marking_refs: [TLP_GREEN],
  };
}

/** A domain-name observable whose value arrives defanged (`evil[.]example`); the worker refangs it. */
export function defangedDomain(n: number, run: string): Record<string, unknown> {
  return {
    type: 'domain-name',
    spec_version: '2.1',
    id: `domain-name--${uuidFrom(`d:${run}:${n}`)}`,
    value: `phish-${n}-${run}[.]example[.]com`,
  };
}

/**
 * Envelopes for one ingest run: `sizes[i]` objects in envelope i; about 10 % of the objects repeat an object
 * posted earlier in the run (exact duplicates), about 2 % are defanged domain observables, the rest are new
 * indicators.
 */
export function ingestEnvelopes(sizes: readonly number[], run: string): { envelopes: string[]; objects: number } {
  let next = 0;
  const posted: Record<string, unknown>[] = [];
  const envelopes: string[] = [];
  let total = 0;
  for (const size of sizes) {
    const objects: Record<string, unknown>[] = [];
    for (let i = 0; i < size; i++) {
      const r = (next * 2654435761) % 100;
      let o: Record<string, unknown>;
      if (r < 10 && posted.length > 0) o = posted[(next * 7919) % posted.length] ?? indicator(next, run);
      else if (r < 12) o = defangedDomain(next, run);
      else o = indicator(next, run);
      next++;
      objects.push(o);
      if (posted.length < 100_000) posted.push(o);
    }
    total += objects.length;
    envelopes.push(JSON.stringify({ objects }));
  }
  return { envelopes, objects: total };
}
