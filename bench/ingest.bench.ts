/**
 * Ingest end to end: POST envelopes of 1k–10k realistic indicators (10 % exact duplicates, some defanged
 * observables) to the API, and wait until every status is complete. Measures objects/s from the first POST
 * to the last completed status; each run writes into an empty collection.
 */
import { API_ROOT, collectionId, type BenchSystem } from './lib/gateway';
import { ingestEnvelopes } from './lib/data';
import { request } from './lib/http-client';
import { spread, type Spread } from './lib/stats';

export interface IngestResult {
  readonly objectsPerRun: number;
  readonly envelopeSizes: readonly number[];
  readonly objectsPerSecond: Spread;
  readonly successes: number;
  readonly failures: number;
  /** The Redis commands that took the most server time over all runs. */
  readonly redisCommands: readonly { command: string; calls: number; usec: number; usecPerCall: number }[];
}

/** 50 000 objects: 1k, 2k, 5k and 10k envelopes. */
export const ENVELOPE_SIZES = [10_000, 5_000, 1_000, 10_000, 2_000, 5_000, 10_000, 5_000, 2_000];

async function waitStatus(base: string, statusId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 6000; i++) {
    const r = await request(base, 'GET', `/${API_ROOT}/status/${statusId}/`);
    // The head of the status resource holds "status" before the long lists.
    const head = r.body.subarray(0, 200).toString('utf8');
    if (r.status === 200 && head.includes('"status":"complete"')) {
      const s: unknown = JSON.parse(r.body.toString('utf8'));
      return typeof s === 'object' && s !== null ? (s as Record<string, unknown>) : {};
    }
    // Every 500 ms: a 10 000-object status resource is ~1 MB of JSON, so polling costs the API real CPU.
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error(`status ${statusId} did not complete within 50 minutes`);
}

/** One run into collection `coll`: posts with `clients` concurrent posters, then waits for every status. */
export async function ingestOnce(sys: BenchSystem, coll: number, clients = 3, sizes = ENVELOPE_SIZES): Promise<{ perSecond: number; objects: number; successes: number; failures: number }> {
  const { envelopes, objects } = ingestEnvelopes(sizes, `run${coll}`);
  const path = `/${API_ROOT}/collections/${collectionId(coll)}/objects/`;
  const apis = sys.apis.map((a) => a.base ?? '');
  const statusIds: string[] = [];
  const start = process.hrtime.bigint();
  let nextEnvelope = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (nextEnvelope < envelopes.length) {
        const body = envelopes[nextEnvelope++] ?? '';
        const base = apis[c % apis.length] ?? '';
        const r = await request(base, 'POST', path, body);
        if (r.status !== 202) throw new Error(`POST answered ${r.status}: ${r.body.toString().slice(0, 300)}`);
        const s: unknown = JSON.parse(r.body.subarray(0, 300).toString().replace(/,"request_timestamp".*$/s, '}'));
        statusIds.push(String((s as Record<string, unknown>)['id']));
      }
    }),
  );
  let successes = 0;
  let failures = 0;
  for (const id of statusIds) {
    const s = await waitStatus(apis[0] ?? '', id);
    successes += Number(s['success_count']);
    failures += Number(s['failure_count']);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { perSecond: objects / seconds, objects, successes, failures };
}

/** Redis time per command (INFO commandstats), largest first: where the server spent its time. */
export async function redisCommandStats(sys: BenchSystem): Promise<{ command: string; calls: number; usec: number; usecPerCall: number }[]> {
  const info = await sys.client.info('commandstats');
  const out = [];
  for (const line of info.split('\n')) {
    const m = /^cmdstat_([a-z|_-]+):calls=(\d+),usec=(\d+),usec_per_call=([0-9.]+)/.exec(line.trim());
    if (m) out.push({ command: m[1] ?? '', calls: Number(m[2]), usec: Number(m[3]), usecPerCall: Number(m[4]) });
  }
  return out.sort((a, b) => b.usec - a.usec).slice(0, 12);
}

export async function benchIngest(sys: BenchSystem, runs: number, firstCollection: number): Promise<IngestResult> {
  await sys.client.config('RESETSTAT');
  const values: number[] = [];
  let last = { successes: 0, failures: 0, objects: 0 };
  for (let r = 0; r < runs; r++) {
    const once = await ingestOnce(sys, firstCollection + r);
    values.push(once.perSecond);
    last = once;
    process.stderr.write(`  ingest run ${r + 1}/${runs}: ${Math.round(once.perSecond)} objects/s (${once.successes} ok, ${once.failures} failed)\n`);
  }
  const redisCommands = await redisCommandStats(sys);
  return { objectsPerRun: last.objects, envelopeSizes: ENVELOPE_SIZES, objectsPerSecond: spread(values), successes: last.successes, failures: last.failures, redisCommands };
}
