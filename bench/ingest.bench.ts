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
  /** CPU µs per object by process (median over runs): where the machine's two cores went. */
  readonly cpuMicrosPerObject: Record<string, Spread>;
  /** The Redis commands that took the most server time over all runs. */
  readonly redisCommands: readonly { command: string; calls: number; usec: number; usecPerCall: number }[];
  /** objects/s of the uncounted warm-up runs of fresh processes (the cold start), in order. */
  readonly warmUpObjectsPerSecond: readonly number[];
}

/** 50 000 objects: 1k, 2k, 5k and 10k envelopes. */
export const ENVELOPE_SIZES = [10_000, 5_000, 1_000, 10_000, 2_000, 5_000, 10_000, 5_000, 2_000];

/** The counts at the head of a status resource (the gateway writes status and counts before the lists). */
function headCounts(head: string): { complete: boolean; successes: number; failures: number } {
  const num = (name: string): number => Number(new RegExp(`"${name}":(\\d+)`).exec(head)?.[1] ?? NaN);
  return { complete: head.includes('"status":"complete"'), successes: num('success_count'), failures: num('failure_count') };
}

async function waitStatus(base: string, statusId: string): Promise<{ successes: number; failures: number }> {
  for (let i = 0; i < 30_000; i++) {
    const r = await request(base, 'GET', `/${API_ROOT}/status/${statusId}/`);
    const counts = headCounts(r.body.subarray(0, 400).toString('utf8'));
    if (r.status === 200 && counts.complete) return counts;
    // Polling costs the API real work (a pending 10 000-object status lists ~1 MB of pendings): every 250 ms,
    // as a patient client would; it adds at most 250 ms to a run.
    await new Promise((res) => setTimeout(res, Number(process.env['BENCH_POLL_MS'] ?? 250)));
  }
  throw new Error(`status ${statusId} did not complete within 50 minutes`);
}

/** One run into collection `coll`: posts with `clients` concurrent posters, then waits for every status. */
export interface IngestRun {
  readonly perSecond: number;
  readonly objects: number;
  readonly successes: number;
  readonly failures: number;
  /** CPU µs per posted object spent by each process during the run (redis, api0, worker0, …, bench). */
  readonly cpuMicrosPerObject: Record<string, number>;
}

export async function ingestOnce(sys: BenchSystem, coll: number, clients = 3, sizes = ENVELOPE_SIZES): Promise<IngestRun> {
  const built = ingestEnvelopes(sizes, `run${coll}`);
  const objects = built.objects;
  // Encoded before the clock starts: producing the data is not part of what is measured.
  const envelopes = built.envelopes.map((e) => Buffer.from(e));
  const path = `/${API_ROOT}/collections/${collectionId(coll)}/objects/`;
  const apis = sys.apis.map((a) => a.base ?? '');
  const statusIds: string[] = [];
  const cpuBefore = sys.cpuSeconds();
  const start = process.hrtime.bigint();
  let nextEnvelope = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (nextEnvelope < envelopes.length) {
        const body = envelopes[nextEnvelope++] ?? Buffer.alloc(0);
        const base = apis[c % apis.length] ?? '';
        const r = await request(base, 'POST', path, body);
        if (r.status !== 202) throw new Error(`POST answered ${r.status}: ${r.body.toString().slice(0, 300)}`);
        const s: unknown = JSON.parse(
          r.body
            .subarray(0, 300)
            .toString()
            .replace(/,"request_timestamp".*$/s, '}'),
        );
        statusIds.push(String((s as Record<string, unknown>)['id']));
      }
    }),
  );
  let successes = 0;
  let failures = 0;
  for (const id of statusIds) {
    const s = await waitStatus(apis[0] ?? '', id);
    successes += s.successes;
    failures += s.failures;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuAfter = sys.cpuSeconds();
  const cpuMicrosPerObject: Record<string, number> = {};
  let total = 0;
  for (const [name, after] of Object.entries(cpuAfter)) {
    const us = ((after - (cpuBefore[name] ?? 0)) * 1e6) / objects;
    cpuMicrosPerObject[name] = Math.round(us * 10) / 10;
    total += us;
  }
  cpuMicrosPerObject['total'] = Math.round(total * 10) / 10;
  return { perSecond: objects / seconds, objects, successes, failures, cpuMicrosPerObject };
}

/** Redis time per command (INFO commandstats), largest first: where the server spent its time. */
export async function redisCommandStats(
  sys: BenchSystem,
): Promise<{ command: string; calls: number; usec: number; usecPerCall: number }[]> {
  const info = await sys.client.info('commandstats');
  const out = [];
  for (const line of info.split('\n')) {
    const m = /^cmdstat_([a-z|_-]+):calls=(\d+),usec=(\d+),usec_per_call=([0-9.]+)/.exec(line.trim());
    if (m) out.push({ command: m[1] ?? '', calls: Number(m[2]), usec: Number(m[3]), usecPerCall: Number(m[4]) });
  }
  return out.sort((a, b) => b.usec - a.usec).slice(0, 12);
}

/** Collections of the warm-up runs (not among the measured runs' collections). */
const WARM_UP_COLLECTIONS = [18, 19];

export async function benchIngest(sys: BenchSystem, runs: number, firstCollection: number): Promise<IngestResult> {
  // A gateway in service is warm. Fresh worker processes need ~40 000 objects each before their CPU per object
  // settles (V8 optimizes the per-batch code and sizes its heap: 80 -> 45 µs per object in worker-phases), so
  // two uncounted runs of the measured mix (100 000 objects) come first; their throughput is reported as the
  // cold start.
  const warmUp: number[] = [];
  for (const coll of WARM_UP_COLLECTIONS) {
    const warm = await ingestOnce(sys, coll);
    warmUp.push(warm.perSecond);
    process.stderr.write(`  ingest warm-up (not counted): ${Math.round(warm.perSecond)} objects/s\n`);
  }
  await sys.client.config('RESETSTAT');
  const values: number[] = [];
  const cpu: Record<string, number[]> = {};
  let last = { successes: 0, failures: 0, objects: 0 };
  for (let r = 0; r < runs; r++) {
    const once = await ingestOnce(sys, firstCollection + r);
    values.push(once.perSecond);
    for (const [name, us] of Object.entries(once.cpuMicrosPerObject)) (cpu[name] ??= []).push(us);
    last = once;
    process.stderr.write(
      `  ingest run ${r + 1}/${runs}: ${Math.round(once.perSecond)} objects/s (${once.successes} ok, ${once.failures} failed); CPU µs/object ${JSON.stringify(once.cpuMicrosPerObject)}\n`,
    );
  }
  const redisCommands = await redisCommandStats(sys);
  return {
    objectsPerRun: last.objects,
    envelopeSizes: ENVELOPE_SIZES,
    objectsPerSecond: spread(values),
    successes: last.successes,
    failures: last.failures,
    cpuMicrosPerObject: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, spread(v)])),
    redisCommands,
    warmUpObjectsPerSecond: warmUp.map(Math.round),
  };
}
