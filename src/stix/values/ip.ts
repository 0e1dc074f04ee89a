/**
 * Canonical IPv4 and IPv6 text forms, with optional CIDR prefix. A prefix is kept as written (even `/32` and
 * `/128`), and the host bits below it are cleared, so `10.1.2.3/8` → `10.0.0.0/8`.
 */

const MAX_IP_TEXT = 100;

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Parses a decimal prefix length in [0, max]; undefined when invalid. */
function parsePrefix(s: string, max: number): number | undefined {
  if (!isDigits(s) || s.length > 3) return undefined;
  const n = Number(s);
  return n <= max ? n : undefined;
}

/**
 * Parses dotted-quad IPv4 (decimal octets; leading zeros are read as decimal) into 4 bytes: exactly four parts of
 * 1–3 ASCII digits, each at most 255. Read in one pass over the characters (no split).
 */
function parseIpv4Octets(s: string): number[] | undefined {
  const out: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46; /* the end closes the last part like a '.' */
    if (c === 46 /* . */) {
      if (digits === 0 || value > 255 || out.length === 4) return undefined;
      out.push(value);
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      value = value * 10 + (c - 48);
      digits++;
    } else {
      return undefined;
    }
  }
  return out.length === 4 ? out : undefined;
}

function splitPrefix(text: string): { addr: string; prefix?: string } {
  const slash = text.indexOf('/');
  return slash < 0 ? { addr: text } : { addr: text.slice(0, slash), prefix: text.slice(slash + 1) };
}

/** The address `units` (octets or 16-bit groups, `unitBits` wide each) with every bit after the first `bits` cleared. */
function clearHostBits(units: readonly number[], unitBits: number, bits: number): number[] {
  const full = 2 ** unitBits - 1;
  return units.map((u, i) => {
    const keep = Math.max(0, Math.min(unitBits, bits - i * unitBits));
    return keep === 0 ? 0 : u & ((full << (unitBits - keep)) & full);
  });
}

interface AddressFamily {
  readonly parse: (addr: string) => number[] | undefined;
  readonly format: (units: readonly number[]) => string;
  /** Width of one unit (octet, group) and how many units an address has. */
  readonly unitBits: number;
  readonly units: number;
}

/** An address of the family, canonical, with its `/prefix` (if any) kept and host bits cleared; undefined when not one. */
function canonicalAddress(text: string, family: AddressFamily): string | undefined {
  const t = text.trim();
  if (t.length === 0 || t.length > MAX_IP_TEXT) return undefined;
  const { addr, prefix } = splitPrefix(t);
  const units = family.parse(addr);
  if (!units) return undefined;
  if (prefix === undefined) return family.format(units);
  const bits = parsePrefix(prefix, family.unitBits * family.units);
  if (bits === undefined) return undefined;
  return `${family.format(clearHostBits(units, family.unitBits, bits))}/${bits}`;
}

/**
 * Canonical IPv4: decimal octets without leading zeros (`010.001.002.003` is read as decimal 10.1.2.3),
 * each 0–255; an optional `/prefix` (0–32) is kept and host bits are cleared. Undefined when not IPv4.
 */
export function canonicalIpv4(text: string): string | undefined {
  return canonicalAddress(text, { parse: parseIpv4Octets, format: (o) => o.join('.'), unitBits: 8, units: 4 });
}

/** Parses one side of `::` (or a whole address): hex groups, with a dotted IPv4 allowed last when `allowV4`. */
function parseIpv6Side(side: string, allowV4: boolean): number[] | undefined {
  if (side.length === 0) return [];
  const parts = side.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] ?? '';
    if (allowV4 && i === parts.length - 1 && p.includes('.')) {
      const v4 = parseIpv4Octets(p);
      if (!v4) return undefined;
      groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      continue;
    }
    if (p.length === 0 || p.length > 4 || !/^[0-9A-Fa-f]+$/.test(p)) return undefined;
    groups.push(parseInt(p, 16));
  }
  return groups;
}

/** Parses an IPv6 address (with `::` and an optional trailing dotted IPv4) into 8 16-bit groups. */
function parseIpv6Groups(s: string): number[] | undefined {
  if (s.length < 2) return undefined;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return undefined;
  if (dbl < 0) {
    const g = parseIpv6Side(s, true);
    return g && g.length === 8 ? g : undefined;
  }
  const head = parseIpv6Side(s.slice(0, dbl), false);
  const tail = parseIpv6Side(s.slice(dbl + 2), true);
  if (!head || !tail || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** Formats 8 groups per RFC 5952 (lower case, no leading zeros, longest zero run of ≥ 2 as `::`). */
function formatIpv6(g: readonly number[]): string {
  // IPv4-mapped addresses (::ffff:0:0/96) keep the dotted tail, as RFC 5952 §5 recommends.
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    const a = g[6] ?? 0;
    const b = g[7] ?? 0;
    return `::ffff:${a >> 8}.${a & 0xff}.${b >> 8}.${b & 0xff}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((n) => n.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * Canonical IPv6 (RFC 5952), with an optional `/prefix` (0–128) kept and host bits cleared. Zone ids
 * (`%eth0`) are rejected. Undefined when not IPv6.
 */
export function canonicalIpv6(text: string): string | undefined {
  return canonicalAddress(text, { parse: parseIpv6Groups, format: formatIpv6, unitBits: 16, units: 8 });
}
