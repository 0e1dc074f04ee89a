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
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), fc.option(fc.integer({ min: 0, max: 32 })), (o, prefix) => {
        const text = o.join('.') + (prefix === null ? '' : `/${prefix}`);
        const once = canonicalIpv4(text);
        expect(once).toBeDefined();
        expect(canonicalIpv4(once ?? '')).toBe(once);
      }),
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
