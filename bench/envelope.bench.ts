/**
 * One envelope, end to end: a single 1 000-object envelope POSTed to an idle, warm gateway, timed from the
 * POST to the completion time the status records (its `done` field, stamped by the worker when the job
 * completes; read from Redis every 2 ms, so the poll adds neither API work nor up to a poll interval of
 * latency). Repeated many times, one envelope at a time: p50 and p99.
 *
 * Each repetition is also cut into phases from the times the system records on its way:
 * - `accept`: POST sent → the API's request_timestamp (HTTP, routing, authentication, reading the body);
 * - `answer`: request_timestamp → 202 received (pendings, Brotli of the envelope, status write (fsync'd by
 *   the AOF policy), job enqueue, the answer);
 * - `pickup`: the job's `timestamp` (enqueued) → its `processedOn` (BullMQ: the worker wakes and takes it);
 * - `work`: processedOn → `done` (envelope read, parse, prepare, store, status results, completion).
 */
import { API_ROOT, collectionId, type BenchSystem } from './lib/gateway';
import { ingestEnvelopes } from './lib/data';
import { request } from './lib/http-client';
import { percentile, round } from './lib/stats';
import { redisCommandStats } from './ingest.bench';

export interface EnvelopeResult {
  readonly objectsPerEnvelope: number;
  readonly repetitions: number;
  readonly warmUp: number;
  /** POST sent → status `done`, ms. */
  readonly completeMs: Percentiles;
  /** The same, cut into phases (see the file comment), ms. */
  readonly phasesMs: Record<'accept' | 'answer' | 'pickup' | 'work', Percentiles>;
  /** CPU µs per object by process over the measured repetitions. */
  readonly cpuMicrosPerObject: Record<string, number>;
  /** Redis's own time per object by command (INFO commandstats over the measured repetitions; the largest). */
  readonly redisMicrosPerObject: Record<string, number>;
}

export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

function percentiles(values: readonly number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  return {
    p50: round(percentile(s, 50)),
    p90: round(percentile(s, 90)),
    p99: round(percentile(s, 99)),
    max: round(s[s.length - 1] ?? NaN),
  };
}

/** Wall-clock time in ms with sub-ms precision (comparable with the µs timestamps the gateway records). */
function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

/** An RFC 3339 timestamp with up to µs as wall-clock ms. */
function timestampMs(ts: string): number {
  const m = /\.(\d+)Z$/.exec(ts);
  const whole = Date.parse(ts.replace(/\.\d+Z$/, 'Z'));
  return whole + (m?.[1] ? Number(`0.${m[1]}`) * 1000 : 0);
}

interface Repetition {
  readonly complete: number;
  readonly accept: number;
  readonly answer: number;
  readonly pickup: number;
  readonly work: number;
}

async function once(sys: BenchSystem, coll: number, run: string, size: number, check: boolean): Promise<Repetition> {
  const body = Buffer.from(ingestEnvelopes([size], run).envelopes[0] ?? '');
  const base = sys.apis[0]?.base ?? '';
  const t0 = wallMs();
  const r = await request(base, 'POST', `/${API_ROOT}/collections/${collectionId(coll)}/objects/`, body);
  const t202 = wallMs();
  if (r.status !== 202) throw new Error(`POST answered ${r.status}: ${r.body.toString().slice(0, 300)}`);
  const s = JSON.parse(r.body.toString('utf8')) as { id: string; request_timestamp: string };
  const key = `gw:status:{s:${s.id}}`;
  let done: string | null = null;
  for (let i = 0; i < 30_000 && done === null; i++) {
    done = await sys.client.hget(key, 'done');
    if (done === null) await new Promise((res) => setTimeout(res, 2));
  }
  if (done === null) throw new Error(`status ${s.id} did not complete within a minute`);
  const [added, started] = await sys.client.hmget(`{gw-queue}:ingest:${s.id}`, 'timestamp', 'processedOn');
  if (check) {
    const st = await request(base, 'GET', `/${API_ROOT}/status/${s.id}/`);
    const head = st.body.subarray(0, 400).toString('utf8');
    if (!head.includes('"status":"complete"') || !head.includes(`"success_count":${size},`)) {
      throw new Error(`status ${s.id} is not complete with ${size} successes: ${head}`);
    }
  }
  const accepted = timestampMs(s.request_timestamp);
  const doneMs = timestampMs(done);
  const processedOn = started === null ? NaN : Number(started);
  return {
    complete: doneMs - t0,
    accept: accepted - t0,
    answer: t202 - accepted,
    pickup: processedOn - (added === null ? NaN : Number(added)),
    work: doneMs - processedOn,
  };
}

/** Collection the envelopes go to (not among the ingest benchmark's). */
const COLLECTION = 17;

export async function benchEnvelope(sys: BenchSystem, repetitions: number, warmUp: number, size = 1000): Promise<EnvelopeResult> {
  // Warm: the workers' per-batch code optimized and their heaps sized (see ingest.bench.ts).
  for (let i = 0; i < warmUp; i++) await once(sys, COLLECTION, `warm${i}`, size, i === 0);
  const reps: Repetition[] = [];
  await sys.client.config('RESETSTAT');
  const cpuBefore = sys.cpuSeconds();
  for (let i = 0; i < repetitions; i++) {
    // The gateway is idle when each envelope arrives: its last job finished, a short pause.
    await new Promise((res) => setTimeout(res, 20));
    reps.push(await once(sys, COLLECTION, `env${i}`, size, i % 10 === 0));
  }
  const cpuAfter = sys.cpuSeconds();
  const cpuMicrosPerObject: Record<string, number> = {};
  for (const [name, after] of Object.entries(cpuAfter)) {
    cpuMicrosPerObject[name] = round(((after - (cpuBefore[name] ?? 0)) * 1e6) / (repetitions * size), 1);
  }
  const redisMicrosPerObject: Record<string, number> = {};
  for (const c of await redisCommandStats(sys)) redisMicrosPerObject[c.command] = round(c.usec / (repetitions * size), 2);
  const pick = (k: keyof Repetition): Percentiles => percentiles(reps.map((r) => r[k]));
  return {
    objectsPerEnvelope: size,
    repetitions,
    warmUp,
    completeMs: pick('complete'),
    phasesMs: { accept: pick('accept'), answer: pick('answer'), pickup: pick('pickup'), work: pick('work') },
    cpuMicrosPerObject,
    redisMicrosPerObject,
  };
}
