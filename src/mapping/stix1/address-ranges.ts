/**
 * CybOX address ranges (`InclusiveBetween` / `ExclusiveBetween` on an IP address value) as CIDR blocks. STIX 2.1
 * compares `ipv4-addr:value` / `ipv6-addr:value` with `>=`/`<=` as strings, so `'10.0.0.3' <= '10.0.0.200'` is
 * false: a range written that way misses addresses it contains. The exact equivalent is the smallest list of CIDR
 * blocks covering the range, each matched with ISSUBSET (STIX 2.1 patterning §9.5).
 */

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

interface Parsed {
  readonly bits: 32 | 128;
  readonly n: bigint;
}

function parseV4(text: string): bigint | undefined {
  const m = V4.exec(text);
  if (m === null) return undefined;
  let n = 0n;
  for (const part of m.slice(1)) {
    const v = Number(part);
    if (v > 255) return undefined;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head = '', tail] = text.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...h, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...t];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

function parse(text: string): Parsed | undefined {
  const t = text.trim();
  const v4 = parseV4(t);
  if (v4 !== undefined) return { bits: 32, n: v4 };
  const v6 = parseV6(t);
  return v6 === undefined ? undefined : { bits: 128, n: v6 };
}

function render(bits: 32 | 128, n: bigint): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
  return groups.join(':');
}

/** At most this many blocks: an IPv4 range needs at most 62, an IPv6 one at most 254. */
const MAX_BLOCKS = 256;

/**
 * The CIDR blocks that cover exactly the addresses from `low` to `high` (both inclusive unless `exclusive`), or
 * undefined when the values are not two addresses of one family or the range is empty.
 */
export function addressRangeCidrs(low: string, high: string, exclusive = false): string[] | undefined {
  const a = parse(low);
  const b = parse(high);
  if (a === undefined || b === undefined || a.bits !== b.bits) return undefined;
  let lo = exclusive ? a.n + 1n : a.n;
  const hi = exclusive ? b.n - 1n : b.n;
  if (lo > hi) return undefined;
  const bits = a.bits;
  const out: string[] = [];
  while (lo <= hi && out.length < MAX_BLOCKS) {
    // The largest block starting at lo (aligned) that does not pass hi.
    let size = 0n;
    while (size < BigInt(bits) && (lo & ((1n << (size + 1n)) - 1n)) === 0n && lo + (1n << (size + 1n)) - 1n <= hi) size++;
    out.push(`${render(bits, lo)}/${bits - Number(size)}`);
    lo += 1n << size;
  }
  return lo > hi ? out : undefined;
}
