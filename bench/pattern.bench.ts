/**
 * Micro-benchmark of the pattern engine: parse + normalize + print per typical pattern, in ns/op.
 * Run with `npx tsx bench/pattern.bench.ts`.
 */
import { normalizePattern, parsePattern, printPattern } from '../src/stix/pattern';

const CASES: readonly string[] = [
  "[ipv4-addr:value = '1.2.3.4']",
  "[domain-name:value = 'evil.example.com']",
  "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
  "[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E' OR file:hashes.SHA1 = 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709']",
  "[url:value = 'hxxps://evil[.]example[.]com/path?q=1']",
  "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.5' AND network-traffic:dst_port = '443']",
  "[file:name = 'a.exe'] FOLLOWEDBY [process:command_line MATCHES '^cmd\\\\.exe'] WITHIN 300 SECONDS",
];

function run(pattern: string): string {
  const parsed = parsePattern(pattern);
  if (!parsed.value) throw new Error(`does not parse: ${pattern}`);
  return printPattern(normalizePattern(parsed.value).value);
}

function bench(op: () => string): number {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += op().length; // warm-up
  const iterations = 200_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += op().length;
  const ns = Number(process.hrtime.bigint() - t0) / iterations;
  if (sink === 0) console.log('');
  return ns;
}

// A machine-speed reference, so figures from a loaded or slower machine can be compared.
const baseline = bench(() => JSON.stringify(JSON.parse('{"type":"ipv4-addr","spec_version":"2.1","value":"1.2.3.4"}')));
console.log(`${baseline.toFixed(0).padStart(7)} ns/op  (baseline: JSON.parse + JSON.stringify of a small SCO)`);
for (const p of CASES) {
  const ns = bench(() => run(p));
  console.log(`${ns.toFixed(0).padStart(7)} ns/op  ${p.length > 90 ? `${p.slice(0, 87)}...` : p}`);
}
