/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`): self time per function and per source file, the top
 * entries first. Usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function isProfile(v: unknown): v is CpuProfile {
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray((v as Record<string, unknown>)['nodes']) &&
    Array.isArray((v as Record<string, unknown>)['samples'])
  );
}

export function summarize(profile: CpuProfile, top = 25): { byFunction: [string, number][]; byFile: [string, number][]; totalMs: number } {
  const byNode = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byNode.set(n.id, n);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const f = byNode.get(id)?.callFrame;
    if (!f) continue;
    total += us;
    const short = f.url.replace(/^.*\/(node_modules\/[^/]+|src)\//, '$1/').replace(/^file:\/\//, '');
    const fk = `${f.functionName || '(anonymous)'} ${short}:${f.lineNumber + 1}`;
    fn.set(fk, (fn.get(fk) ?? 0) + us);
    const fileKey = short === '' ? `(${f.functionName})` : short;
    file.set(fileKey, (file.get(fileKey) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>): [string, number][] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => [k, v / 1000]);
  return { byFunction: sorted(fn), byFile: sorted(file), totalMs: total / 1000 };
}

if (require.main === module) {
  const [file, topArg] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isProfile(parsed)) throw new Error(`${file} is not a V8 CPU profile`);
  const s = summarize(parsed, Number(topArg ?? 25));
  const pct = (ms: number): string => `${((100 * ms) / s.totalMs).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(7)} ms`;
  process.stdout.write(`total sampled: ${s.totalMs.toFixed(0)} ms\n\nby file (self time):\n`);
  for (const [k, ms] of s.byFile) process.stdout.write(`${pct(ms)}  ${k}\n`);
  process.stdout.write('\nby function (self time):\n');
  for (const [k, ms] of s.byFunction) process.stdout.write(`${pct(ms)}  ${k}\n`);
}
