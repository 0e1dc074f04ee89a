/** Semantic validation of STIX objects: the pre-screen and the rules a JSON schema cannot express. */
export { checkObject, patternIssue, pointerToken, type SemanticOptions } from './check-object';
export {
  checkTypeAndId,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_OBJECT_BYTES,
  isJsonObject,
  prescreen,
  type PrescreenOptions,
  type PrescreenResult,
} from './prescreen';
export { describeRule, refAllowed, refRule, type RefRule } from './ref-rules';
export {
  categoryOf,
  META_TYPES,
  OPAQUE_PATTERN_TYPES,
  SDO_TYPES,
  SRO_TYPES,
  standardProperties,
  TIMESTAMP_PROPERTIES,
  type ObjectCategory,
} from './stix-types';
