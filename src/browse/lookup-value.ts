/** The form a searched value takes inside a canonical pattern (what the value index holds). */
import { canonicalDomain, canonicalIpv4, canonicalIpv6, refang } from '../stix/values';

export function canonicalLookupValue(raw: string): string {
  const v = refang(raw.trim()).value;
  return canonicalIpv4(v) ?? canonicalIpv6(v) ?? canonicalDomain(v) ?? v;
}
