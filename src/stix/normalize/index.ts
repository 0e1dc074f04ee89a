/** Normalization to canonical STIX 2.1: the 2.0 upgrade, canonical values and ids, reference rewriting. */
export { fixBatchRefs, type BatchItem } from './batch-refs';
export { normalizeObject, type CanonicalizePattern, type NormalizeContext, type NormalizeResult } from './normalize-object';
export { collectRefs, rewriteRefs } from './rewrite-refs';
export { canonicalHashes, canonicalizeScoValues } from './sco-values';
export { canonicalizeTimestamps, canonicalTimestamp, hasLowerCaseTimestamp } from './timestamps';
export {
  expandObservedData,
  hasObjectsDictionary,
  isStix20,
  upgradeObject,
  type ExpansionResult,
  type UpgradeOptions,
  type UpgradeResult,
} from './upgrade';
