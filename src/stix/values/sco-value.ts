/**
 * The canonicalizer of the `value` property per SCO type (src/stix/normalize/sco-values.ts applies them to
 * posted SCOs).
 */
import { canonicalDomain, canonicalEmail, canonicalUrl } from './domain';
import { canonicalIpv4, canonicalIpv6 } from './ip';

/** A canonical form of the text, or undefined when it is not a value of that kind. */
export type Canonicalizer = (text: string) => string | undefined;

const MAC_RE = /^[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}$/i;

/** A MAC address as colon-separated lower-case hex octets. */
export function canonicalMac(text: string): string | undefined {
  const t = text.trim();
  return MAC_RE.test(t) ? t.toLowerCase().replace(/-/g, ':') : undefined;
}

export const SCO_VALUE_CANONICALIZERS: Readonly<Record<string, Canonicalizer>> = {
  'ipv4-addr': canonicalIpv4,
  'ipv6-addr': canonicalIpv6,
  'domain-name': canonicalDomain,
  'email-addr': canonicalEmail,
  url: canonicalUrl,
  'mac-addr': canonicalMac,
};
