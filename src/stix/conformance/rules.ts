/**
 * The catalogue of STIX 2.1 MUST / MUST NOT rules the validator enforces, each with the code it reports and
 * what the two modes of `validate` do with a violation:
 *  - strict (the default): every rule here is an error (exit 1);
 *  - lenient: what the ingest worker does — `reject` (error), `repair` (accepted after a change the worker makes,
 *    reported as a warning) or `accept` (stored as posted, reported as a warning).
 * docs/stix-conformance.md lists the same codes with the spec text; test/unit/stix/conformance/rules.test.ts
 * runs the fixtures of each code from test/fixtures/conformance/ (`<CODE>.json`, `<CODE>--<case>.json`).
 */

export type LenientAction = 'reject' | 'repair' | 'accept';

export interface ConformanceRule {
  /** The issue code the validator reports. */
  readonly code: string;
  /** Section of STIX 2.1 (or "pattern" for the patterning grammar, §9). */
  readonly section: string;
  /** What lenient validation and the worker do. */
  readonly lenient: LenientAction;
}

/** Every code whose violation is a MUST failure. Order: by section. */
export const CONFORMANCE_RULES: readonly ConformanceRule[] = [
  { code: 'INVALID_TYPE', section: '2.1', lenient: 'reject' },
  { code: 'BUNDLE_NOT_ALLOWED', section: '8', lenient: 'reject' },
  { code: 'SCHEMA_ADDITIONAL_PROPERTY', section: '2.2', lenient: 'reject' },
  { code: 'CUSTOM_PROPERTY_NAME', section: '3.1', lenient: 'reject' },
  { code: 'INVALID_ID', section: '2.9', lenient: 'reject' },
  { code: 'ID_TYPE_MISMATCH', section: '2.9', lenient: 'reject' },
  { code: 'ID_NOT_RFC4122', section: '2.9', lenient: 'accept' },
  { code: 'UUID_REUSED_ACROSS_TYPES', section: '2.9', lenient: 'accept' },
  { code: 'SCO_UUIDV5_WITHOUT_ID_PROPERTIES', section: '2.9', lenient: 'accept' },
  { code: 'SCHEMA_PATTERN', section: '2.11', lenient: 'reject' },
  { code: 'SCHEMA_TYPE', section: '2', lenient: 'reject' },
  { code: 'EXTERNAL_ID_FORM', section: '2.5', lenient: 'accept' },
  { code: 'SCHEMA_ENUM', section: '2.16', lenient: 'reject' },
  { code: 'SCHEMA_MIN_ITEMS', section: '2.12', lenient: 'reject' },
  { code: 'SCHEMA_MIN_PROPERTIES', section: '2.4', lenient: 'reject' },
  { code: 'SCHEMA_MAXIMUM', section: '3.2', lenient: 'reject' },
  { code: 'SCHEMA_MINIMUM', section: '4.14', lenient: 'reject' },
  { code: 'SCHEMA_DEPENDENCIES', section: '7.2', lenient: 'reject' },
  { code: 'SCHEMA_ANY_OF', section: '4.11', lenient: 'reject' },
  { code: 'SCHEMA_ONE_OF', section: '7.2.3', lenient: 'reject' },
  { code: 'SCHEMA_NOT', section: '6.6', lenient: 'reject' },
  { code: 'INVALID_TIMESTAMP', section: '2.15', lenient: 'reject' },
  { code: 'TIMESTAMP_NOT_UPPER_CASE', section: '2.11', lenient: 'repair' },
  { code: 'TIMESTAMP_PRECISION', section: '3.2', lenient: 'repair' },
  { code: 'SPEC_VERSION_MISSING', section: '3.2', lenient: 'repair' },
  { code: 'SPEC_VERSION_NOT_2_1', section: '3.2', lenient: 'repair' },
  { code: 'MODIFIED_BEFORE_CREATED', section: '3.2', lenient: 'reject' },
  { code: 'DEFANGED_NOT_ALLOWED', section: '3.2', lenient: 'accept' },
  { code: 'CONFLICTING_VERSIONS', section: '3.6', lenient: 'accept' },
  { code: 'VERSION_IMMUTABLE_CHANGED', section: '3.6', lenient: 'accept' },
  { code: 'REVOKED_OBJECT_VERSIONED', section: '3.6', lenient: 'accept' },
  { code: 'SCHEMA_REQUIRED', section: '3.2', lenient: 'reject' },
  { code: 'VALID_UNTIL_NOT_AFTER_VALID_FROM', section: '4.7', lenient: 'reject' },
  { code: 'LAST_SEEN_BEFORE_FIRST_SEEN', section: '4.4', lenient: 'reject' },
  { code: 'LAST_OBSERVED_BEFORE_FIRST_OBSERVED', section: '4.14', lenient: 'reject' },
  { code: 'OBSERVED_DATA_WITHOUT_SCO', section: '4.14', lenient: 'accept' },
  { code: 'OBSERVED_DATA_REF_MISSING', section: '4.14', lenient: 'accept' },
  { code: 'EMPTY_TIME_WINDOW', section: '5.2', lenient: 'accept' },
  { code: 'STOP_TIME_NOT_AFTER_START_TIME', section: '4.8', lenient: 'reject' },
  { code: 'REF_TYPE_NOT_ALLOWED', section: '5.1', lenient: 'reject' },
  { code: 'SCO_VALUE_NOT_CANONICAL', section: '6', lenient: 'accept' },
  { code: 'SCO_WITHOUT_PROPERTIES', section: '6.13', lenient: 'accept' },
  { code: 'SCO_PROPERTY_FORM', section: '6.1', lenient: 'accept' },
  { code: 'NETWORK_TRAFFIC_END_BEFORE_START', section: '6.12', lenient: 'accept' },
  { code: 'SOCKET_OPTION_INVALID', section: '6.12.3', lenient: 'accept' },
  { code: 'REGISTRY_HIVE_ABBREVIATED', section: '6.17', lenient: 'repair' },
  { code: 'LANGUAGE_CONTENT_INVALID_KEY', section: '7.1', lenient: 'accept' },
  { code: 'MARKING_CIRCULAR_REF', section: '7.2', lenient: 'accept' },
  { code: 'EXTENSION_PROPERTIES_WITHOUT_TOPLEVEL', section: '7.3', lenient: 'accept' },
  { code: 'TLP_MARKING_ID', section: '7.2.1', lenient: 'reject' },
  { code: 'GRANULAR_SELECTOR_NOT_FOUND', section: '7.2.3', lenient: 'accept' },
  { code: 'TLP_MARKING_TAMPERED', section: '7.2.1', lenient: 'reject' },
  { code: 'EMPTY_OBJECTS', section: '8', lenient: 'accept' },
  { code: 'PATTERN_SYNTAX', section: 'pattern', lenient: 'reject' },
  { code: 'PATTERN_BAD_LITERAL', section: 'pattern', lenient: 'reject' },
  { code: 'PATTERN_NONSTANDARD', section: 'pattern', lenient: 'repair' },
  { code: 'PATTERN_MIXED_OBJECT_TYPES', section: 'pattern', lenient: 'accept' },
  { code: 'PATTERN_UNKNOWN_PROPERTY', section: 'pattern', lenient: 'accept' },
  { code: 'PATTERN_PATH_INVALID', section: 'pattern', lenient: 'accept' },
  { code: 'PATTERN_BAD_QUALIFIER', section: 'pattern', lenient: 'reject' },
];

const BY_CODE = new Map(CONFORMANCE_RULES.map((r) => [r.code, r]));

/** The rule of a code, when the code reports a MUST violation. */
export function conformanceRule(code: string): ConformanceRule | undefined {
  return BY_CODE.get(code);
}

/**
 * Codes the prepare stage reports as a repair or a warning but that mean a MUST violation in the input (strict
 * validation turns them into errors).
 */
export const STRICT_PROMOTED: ReadonlySet<string> = new Set([
  'TIMESTAMP_PRECISION',
  'PATTERN_NONSTANDARD',
  'PATTERN_MIXED_OBJECT_TYPES',
  'SCO_VALUE_NOT_CANONICAL',
  'PATTERN_UNKNOWN_PROPERTY',
]);
