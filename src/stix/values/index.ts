/**
 * Value canonicalizers shared by the pattern normalizer and the mappers. Pure functions, linear time.
 */
export { refang } from './refang';
export type { RefangResult } from './refang';
export { canonicalIpv4, canonicalIpv6 } from './ip';
export { canonicalDomain, canonicalEmail, canonicalUrl } from './domain';
export { canonicalHashName, canonicalHashValue, isCanonicalHashName } from './hash';
export { SCO_VALUE_CANONICALIZERS, canonicalMac } from './sco-value';
export type { Canonicalizer } from './sco-value';
