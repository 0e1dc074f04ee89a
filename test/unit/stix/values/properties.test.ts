import fc from 'fast-check';
import { canonicalDomain, canonicalIpv4, canonicalIpv6, canonicalUrl, refang } from '../../../../src/stix/values';

/** Groups biased towards zero, so zero runs of every length occur. */
const groups = fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 });

describe('value canonicalizer properties', () => {
  it('when an IPv6 address is written in full, then the canonical form matches the WHATWG URL serializer (RFC 5952)', () => {
    fc.assert(
      fc.property(groups, (g) => {
        fc.pre(!(g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff)); // mapped IPv4 keeps its dotted tail here
        const full = g.map((x) => x.toString(16).toUpperCase().padStart(4, '0')).join(':');
        const expected = new URL(`http://[${full}]/`).hostname.slice(1, -1);
        expect(canonicalIpv6(full)).toBe(expected);
        expect(canonicalIpv6(expected)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('when an IPv4 address or CIDR is canonicalized twice, then the second pass changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }),
        fc.option(fc.integer({ min: 0, max: 32 })),
        (o, prefix) => {
          const text = o.join('.') + (prefix === null ? '' : `/${prefix}`);
          const once = canonicalIpv4(text);
          expect(once).toBeDefined();
          expect(canonicalIpv4(once ?? '')).toBe(once);
        },
      ),
    );
  });

  it('when refang output is refanged again, then nothing changes', () => {
    const piece = fc.constantFrom('hxxp', 's', '://', '[.]', '(dot)', '[@]', 'a', 'b.c', '[:]', '\\.', '/', 'x', ' [.] ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (parts) => {
        const once = refang(parts.join('')).value;
        expect(refang(once)).toEqual({ value: once, changed: false });
      }),
    );
  });

  it('when a domain or URL is canonicalized twice, then the second pass changes nothing', () => {
    const label = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9-]{0,8}[A-Za-z0-9])?$/);
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), fc.constantFrom('com', 'ORG', 'de'), (labels, tld) => {
        const d = canonicalDomain([...labels, tld].join('.'));
        expect(d).toBeDefined();
        expect(canonicalDomain(d ?? '')).toBe(d);
        const u = canonicalUrl(`HTTPS://${[...labels, tld].join('.')}/P?q=1`);
        expect(canonicalUrl(u ?? '')).toBe(u);
      }),
    );
  });
});

describe('canonicalIpv4 and canonicalDomain against the split-based readers they replaced', () => {
  /** The former split-based octet reader (the reference the one-pass reader must agree with). */
  function referenceOctets(s: string): number[] | undefined {
    const parts = s.split('.');
    if (parts.length !== 4) return undefined;
    const out: number[] = [];
    for (const p of parts) {
      if (!/^[0-9]{1,3}$/.test(p)) return undefined;
      const n = Number(p);
      if (n > 255) return undefined;
      out.push(n);
    }
    return out;
  }
  /** The former label check of canonicalDomain, on the already lower-cased ASCII name. */
  function referenceLabelsOk(d: string): boolean {
    const labels = d.split('.');
    for (const l of labels) {
      if (l.length === 0 || l.length > 63 || l.startsWith('-') || l.endsWith('-') || !/^[a-z0-9_-]+$/.test(l)) return false;
    }
    return !/^[0-9]+$/.test(labels[labels.length - 1] ?? '');
  }
  const ipLike = fc.stringMatching(/^[0-9.]{0,18}$/);
  const nameLike = fc.stringMatching(/^[a-z0-9._-]{0,24}$/);

  it('when given dotted digit text, then canonicalIpv4 accepts exactly what the split reader accepted', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          ipLike,
          fc.constantFrom('1.2.3.4', '01.002.255.0', '256.1.1.1', '1.2.3', '1.2.3.4.5', '1..2.3', '.1.2.3', '1.2.3.', '1234.1.1.1'),
        ),
        (t) => {
          const octets = referenceOctets(t);
          expect(canonicalIpv4(t)).toBe(octets === undefined ? undefined : octets.join('.'));
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('when given name-like text, then canonicalDomain accepts exactly what the split check accepted', () => {
    fc.assert(
      fc.property(
        fc.oneof(nameLike, fc.constantFrom('a.b', 'a..b', '-a.b', 'a-.b', 'a.123', '123', 'a.b1', 'x_y.com', '.a', 'a.b.')),
        (t) => {
          const d = t.trim().replace(/\.$/, '');
          const expected = d.length > 0 && referenceLabelsOk(d) ? d : undefined;
          expect(canonicalDomain(t)).toBe(expected);
        },
      ),
      { numRuns: 20000 },
    );
  });
});
