/**
 * CPU cost of the pure prepare stage (src/stix/prepare.ts: pre-screen, 2.0 upgrade, ajv schema validation,
 * semantic checks, pattern parse + canonicalization, normalization, one JSON.stringify) per object, on the
 * ingest benchmark's mix (bench/lib/data.ts: indicators, 10 % duplicates, 2 % defanged domain observables),
 * in batches of 1000 as the worker calls it. No Redis, no I/O.
 *
 *   npx tsx bench/prepare.bench.ts [runs=7] [objects=20000]
 *
 * Measures process CPU time (user + system, process.cpuUsage) per run, so that other work on a shared machine
 * disturbs the figure less than wall-clock throughput; wall time is reported too. Two warm-up runs first.
 * Writes bench/results/prepare.json. Profile of the measured runs only (no start-up, no schema compilation,
 * no data generation):
 *   PREPARE_PROFILE=prepare.cpuprofile npx tsx bench/prepare.bench.ts
 *   npx tsx bench/profile-summary.ts prepare.cpuprofile 40
 * (`node --cpu-prof --cpu-prof-dir=prof-prepare --import tsx bench/prepare.bench.ts` profiles the whole
 * process, start-up included.)
 * PREPARE_FROM_DIST=1 measures the compiled build (dist/, after `npm run build`: what the worker runs) instead
 * of the sources through tsx, whose module getters cost a few µs per object; results/prepare-dist.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import * as fromSources from '../src/stix/prepare';
import type { PrepareDeps } from '../src/stix/prepare';
import { ingestEnvelopes } from './lib/data';
import { round, spread, type Spread } from './lib/stats';

const BATCH = 1000;
const FROM_DIST = process.env['PREPARE_FROM_DIST'] === '1';

type PrepareModule = Pick<typeof fromSources, 'createPrepareDeps' | 'prepareObjects'>;
const { createPrepareDeps, prepareObjects }: PrepareModule = FROM_DIST
  ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built copy is chosen at run time
    (require(path.join(__dirname, '../dist/stix/prepare.js')) as PrepareModule)
  : fromSources;
const WARM_UP_RUNS = 2;

export interface PrepareBenchResult {
  readonly objects: number;
  readonly batchSize: number;
  /** CPU time (user + system) per object, µs. */
  readonly cpuMicrosPerObject: Spread;
  /** Wall time per object, µs. */
  readonly wallMicrosPerObject: Spread;
  /** Objects per second of CPU time (1e6 / cpuMicrosPerObject, per run). */
  readonly objectsPerCpuSecond: Spread;
}

function oneRun(objs: readonly unknown[], deps: PrepareDeps): { cpu: number; wall: number; accepted: number } {
  let accepted = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < objs.length; i += BATCH) {
    for (const o of prepareObjects(objs.slice(i, i + BATCH), { defaultTlp: 'green' }, deps)) if (o.ok) accepted++;
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e3;
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / objs.length, wall: wall / objs.length, accepted };
}

/** Runs `work` under the V8 sampling profiler and writes the profile to `file` (a .cpuprofile). */
async function profiled<T>(file: string, work: () => T): Promise<T> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: Record<string, unknown>): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  const result = work();
  const stopped = await post('Profiler.stop');
  const profile = typeof stopped === 'object' && stopped !== null ? (stopped as Record<string, unknown>)['profile'] : undefined;
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  return result;
}

/** Prepares the data set `runs` times after the warm-up; with `profileFile`, profiles the measured runs. */
export async function benchPrepare(runs: number, objects: number, profileFile?: string): Promise<PrepareBenchResult> {
  const deps = createPrepareDeps();
  const { envelopes } = ingestEnvelopes([objects], 'p1');
  const objs = (JSON.parse(envelopes[0] ?? '{"objects":[]}') as { objects: unknown[] }).objects;
  for (let r = 0; r < WARM_UP_RUNS; r++) oneRun(objs, deps);
  return profileFile === undefined ? measure(runs, objs, deps) : profiled(profileFile, () => measure(runs, objs, deps));
}

function measure(runs: number, objs: readonly unknown[], deps: PrepareDeps): PrepareBenchResult {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < runs; r++) {
    const m = oneRun(objs, deps);
    if (m.accepted !== objs.length) throw new Error(`only ${m.accepted} of ${objs.length} objects were accepted`);
    cpu.push(m.cpu);
    wall.push(m.wall);
    process.stderr.write(`run ${r}: ${m.cpu.toFixed(2)} µs/object CPU, ${m.wall.toFixed(2)} µs/object wall\n`);
  }
  return {
    objects: objs.length,
    batchSize: BATCH,
    cpuMicrosPerObject: spread(cpu),
    wallMicrosPerObject: spread(wall),
    objectsPerCpuSecond: spread(cpu.map((us) => 1e6 / us)),
  };
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 7);
  const objects = Number(process.argv[3] ?? 20_000);
  const loadAverageAtStart = os.loadavg().map((l) => round(l));
  const profileFile = process.env['PREPARE_PROFILE'];
  const r = await benchPrepare(runs, objects, profileFile);
  const s = r.cpuMicrosPerObject;
  const rate = r.objectsPerCpuSecond;
  process.stdout.write(
    `prepare: ${s.median.toFixed(2)} µs/object CPU (min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)}, ${runs} runs) → ` +
      `${rate.median.toFixed(0)} objects per CPU second; wall ${r.wallMicrosPerObject.median.toFixed(2)} µs/object\n`,
  );
  if (profileFile !== undefined) {
    process.stdout.write(`profile of the measured runs: ${profileFile} (not saved as a result: the profiler slows the runs)\n`);
    return;
  }
  const machine = {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverageAtStart,
  };
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const build = FROM_DIST ? 'dist (tsc build)' : 'src through tsx';
  writeFileSync(path.join(dir, FROM_DIST ? 'prepare-dist.json' : 'prepare.json'), `${JSON.stringify({ machine, build, ...r }, null, 2)}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
