/**
 * The catalogue of outcome codes (docs/outcome-codes.md is generated from it by scripts/outcome-codes-doc.ts).
 *
 * Every code the gateway emits is listed here once, with the kind of answer that carries it, its usual severity
 * and a one-line meaning. Clients and tests match on codes; message texts are free to improve. A code is never
 * renamed: add a new one instead. test/unit/common/outcome-codes.test.ts fails when the source emits a code that is
 * missing here, or when an entry here is no longer emitted.
 *
 * Layer 0: imports nothing from the project.
 */

/**
 * Where a code appears:
 * - `content`: a content issue `{ code, path, message, severity }` of validation, normalization, import or export;
 * - `status`: a per-object failure of a TAXII status (the code opens the failure message), or a write refusal;
 * - `protocol`: the `error_code` of a TAXII error resource (the HTTP answer itself);
 * - `inquiry`: a refusal of the inquiry API (`details.code` of its error answer) or a problem in a received thread;
 * - `federation`: a fault of the federation client talking to a partner server;
 * - `config`: a problem in collections.yaml (`file:line:column: CODE message`).
 */
export type OutcomeKind = 'content' | 'status' | 'protocol' | 'inquiry' | 'federation' | 'config';

export type OutcomeSeverity = 'error' | 'warning' | 'info';

export interface OutcomeCodeInfo {
  readonly kind: OutcomeKind;
  /** The usual severity; where a code is emitted with another one in some place, a comment says so. */
  readonly severity: OutcomeSeverity;
  /** One line: which condition produces the code. */
  readonly meaning: string;
}

export const OUTCOME_CODES = {
  // ── content: STIX object validation (src/stix)
  NOT_AN_OBJECT: {
    kind: 'content',
    severity: 'error',
    meaning: 'An element of "objects" is not a JSON object.',
  },
  MISSING_TYPE: {
    kind: 'content',
    severity: 'error',
    meaning: 'The object has no "type" string.',
  },
  INVALID_TYPE: {
    kind: 'content',
    severity: 'error',
    meaning: 'The "type" is not a valid STIX type name.',
  },
  BUNDLE_NOT_ALLOWED: {
    kind: 'content',
    severity: 'error',
    meaning: 'A bundle was posted as an element of "objects".',
  },
  MISSING_ID: {
    kind: 'content',
    severity: 'error',
    meaning: 'The object has no "id" string.',
  },
  INVALID_ID: {
    kind: 'content',
    severity: 'error',
    meaning: 'The id is not of the form <type>--<UUID>.',
  },
  ID_TYPE_MISMATCH: {
    kind: 'content',
    severity: 'error',
    meaning: 'The id names another type than the object\'s "type".',
  },
  OBJECT_TOO_DEEP: {
    kind: 'content',
    severity: 'error',
    meaning: 'The object nests deeper than the gateway accepts.',
  },
  OBJECT_TOO_LARGE: {
    kind: 'content',
    severity: 'error',
    meaning: 'The object is larger than the per-object byte limit.',
  },
  SCHEMA_INVALID: {
    kind: 'content',
    severity: 'error',
    meaning: 'The object does not match its JSON schema (no finer reason known).',
  },
  SCHEMA_ADDITIONAL_PROPERTY: {
    kind: 'content',
    severity: 'error',
    meaning: 'A property is neither defined by STIX 2.1 nor a valid custom property name.',
  },
  SCHEMA_REQUIRED: {
    kind: 'content',
    severity: 'error',
    meaning: 'A property the schema requires is missing.',
  },
  SCHEMA_TYPE: {
    kind: 'content',
    severity: 'error',
    meaning: 'A property has the wrong JSON type.',
  },
  SCHEMA_ENUM: {
    kind: 'content',
    severity: 'error',
    meaning: 'A property value is not one of the values the schema allows.',
  },
  SCHEMA_CONST: {
    kind: 'content',
    severity: 'error',
    meaning: 'A property does not hold the one value the schema fixes.',
  },
  SCHEMA_PATTERN: {
    kind: 'content',
    severity: 'error',
    meaning: 'A string (or the id prefix) does not match the form the schema requires.',
  },
  SCHEMA_ANY_OF: {
    kind: 'content',
    severity: 'error',
    meaning: 'A value matches none of the alternatives the schema offers.',
  },
  SCHEMA_ONE_OF: {
    kind: 'content',
    severity: 'error',
    meaning: 'A value matches none, or more than one, of exclusive alternatives.',
  },
  SCHEMA_NOT: {
    kind: 'content',
    severity: 'error',
    meaning: 'A value has a form the schema forbids.',
  },
  SCHEMA_IF: {
    kind: 'content',
    severity: 'error',
    meaning: 'A conditional schema rule (if/then) is broken.',
  },
  SCHEMA_DEPENDENCIES: {
    kind: 'content',
    severity: 'error',
    meaning: 'A property is present without the property it depends on.',
  },
  SCHEMA_MAX_LENGTH: {
    kind: 'content',
    severity: 'error',
    meaning: 'A string is longer than the schema allows.',
  },
  SCHEMA_MINIMUM: {
    kind: 'content',
    severity: 'error',
    meaning: 'A number is below the schema minimum.',
  },
  SCHEMA_MAXIMUM: {
    kind: 'content',
    severity: 'error',
    meaning: 'A number is above the schema maximum.',
  },
  SCHEMA_MIN_ITEMS: {
    kind: 'content',
    severity: 'error',
    meaning: 'A list is empty (or shorter than the schema allows).',
  },
  SCHEMA_MIN_PROPERTIES: {
    kind: 'content',
    severity: 'error',
    meaning: 'A dictionary is empty (or smaller than the schema allows).',
  },
  SCHEMA_PROPERTY_NAMES: {
    kind: 'content',
    severity: 'error',
    meaning: 'A dictionary key does not have the form the schema requires.',
  },
  CUSTOM_OBJECT_TYPE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A custom object type: only its common properties are checked.',
  },
  UNKNOWN_OBJECT_TYPE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'The object type is not a STIX 2.1 type this gateway knows.',
  },
  // Error for a property name that is not a valid custom name at all; warning when it only misses the x_ prefix.
  CUSTOM_PROPERTY_NAME: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A non-standard property name (should start with "x_" or move under extensions).',
  },
  INVALID_TIMESTAMP: {
    kind: 'content',
    severity: 'error',
    meaning: 'A timestamp is not an RFC 3339 timestamp in UTC.',
  },
  TIMESTAMP_PRECISION: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A timestamp is less precise than the millisecond it must have; padded.',
  },
  MODIFIED_BEFORE_CREATED: {
    kind: 'content',
    severity: 'error',
    meaning: 'modified is earlier than created.',
  },
  VALID_UNTIL_NOT_AFTER_VALID_FROM: {
    kind: 'content',
    severity: 'error',
    meaning: 'valid_until is not later than valid_from.',
  },
  LAST_SEEN_BEFORE_FIRST_SEEN: {
    kind: 'content',
    severity: 'error',
    meaning: 'last_seen is earlier than first_seen.',
  },
  LAST_OBSERVED_BEFORE_FIRST_OBSERVED: {
    kind: 'content',
    severity: 'error',
    meaning: 'last_observed is earlier than first_observed.',
  },
  STOP_TIME_NOT_AFTER_START_TIME: {
    kind: 'content',
    severity: 'error',
    meaning: 'stop_time is not later than start_time.',
  },
  // Error where the reference property has a type rule; warning elsewhere.
  INVALID_REF: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A reference is not a STIX identifier.',
  },
  REF_TYPE_NOT_ALLOWED: {
    kind: 'content',
    severity: 'error',
    meaning: 'A reference points to an object type the property does not allow.',
  },
  SCO_ID_NOT_DETERMINISTIC: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An SCO id is not the UUIDv5 its ID-contributing properties give.',
  },
  TLP_MARKING_ID: {
    kind: 'content',
    severity: 'error',
    meaning: 'A TLP marking definition does not use the well-known id of its level.',
  },
  TLP_MARKING_TAMPERED: {
    kind: 'content',
    severity: 'error',
    meaning: 'An object with an official TLP marking id differs from the official definition.',
  },
  INVALID_OBSERVED_OBJECT: {
    kind: 'content',
    severity: 'error',
    meaning: 'A STIX 2.0 observed object has no valid type.',
  },
  OBSERVED_OBJECTS_TOO_MANY: {
    kind: 'content',
    severity: 'error',
    meaning: 'A STIX 2.0 observed-data holds more observed objects than accepted.',
  },
  // ── content: strict conformance (src/stix/conformance)
  DEFANGED_NOT_ALLOWED: {
    kind: 'content',
    severity: 'error',
    meaning: '"defanged" is used on an object that is not a cyber-observable.',
  },
  SCO_WITHOUT_PROPERTIES: {
    kind: 'content',
    severity: 'error',
    meaning: 'A process or x509-certificate carries no property of its own besides type and id.',
  },
  NETWORK_TRAFFIC_END_BEFORE_START: {
    kind: 'content',
    severity: 'error',
    meaning: 'A network-traffic ends before it starts.',
  },
  REGISTRY_HIVE_ABBREVIATED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A windows-registry-key abbreviates its hive (HKLM for HKEY_LOCAL_MACHINE); the pipeline writes it in full.',
  },
  SOCKET_OPTION_INVALID: {
    kind: 'content',
    severity: 'error',
    meaning: 'A socket-ext option name lacks one of the prefixes STIX 2.1 lists, or its value is not an integer.',
  },
  SCO_PROPERTY_FORM: {
    kind: 'content',
    severity: 'error',
    meaning: 'An SCO property lacks its required form: artifact mime_type, file name_enc, directory path_enc, software cpe or languages.',
  },
  OBSERVED_DATA_WITHOUT_SCO: {
    kind: 'content',
    severity: 'error',
    meaning: 'The object_refs of an observed-data name no cyber-observable object.',
  },
  OBSERVED_DATA_REF_MISSING: {
    kind: 'content',
    severity: 'error',
    meaning: 'An observed-data names an object that is not in the same document (strict validate).',
  },
  VERSION_IMMUTABLE_CHANGED: {
    kind: 'content',
    severity: 'error',
    meaning: 'Two versions of one object in a document differ in created or created_by_ref.',
  },
  REVOKED_OBJECT_VERSIONED: {
    kind: 'content',
    severity: 'error',
    meaning: 'A document holds a version of an object later than the version that revoked it.',
  },
  EXTENSION_PROPERTIES_WITHOUT_TOPLEVEL: {
    kind: 'content',
    severity: 'error',
    meaning: 'An extension definition lists extension_properties without the toplevel-property-extension type.',
  },
  EXTERNAL_ID_FORM: {
    kind: 'content',
    severity: 'error',
    meaning: 'An external reference named cve or capec lacks a CVE or CAPEC id as its external_id.',
  },
  MARKING_CIRCULAR_REF: {
    kind: 'content',
    severity: 'error',
    meaning: 'A marking definition references itself in its object or granular markings.',
  },
  LANGUAGE_CONTENT_INVALID_KEY: {
    kind: 'content',
    severity: 'error',
    meaning: 'A language-content contents key is not a language tag, or a key inside it is not a property name.',
  },
  EMPTY_TIME_WINDOW: {
    kind: 'content',
    severity: 'error',
    meaning: "A sighting's last_seen equals first_seen, or a network-traffic end equals start (the OASIS validator wants them later).",
  },
  GRANULAR_SELECTOR_NOT_FOUND: {
    kind: 'content',
    severity: 'error',
    meaning: 'A granular marking selector does not select a property or list item present in the object.',
  },
  ID_NOT_RFC4122: {
    kind: 'content',
    severity: 'error',
    meaning: 'The UUID of an id has no RFC 4122 version and variant digits.',
  },
  SCO_UUIDV5_WITHOUT_ID_PROPERTIES: {
    kind: 'content',
    severity: 'error',
    meaning: 'An SCO without ID-contributing properties (a process, always) has an id that is not a UUIDv4 (v5, v1, …).',
  },
  SPEC_VERSION_MISSING: {
    kind: 'content',
    severity: 'error',
    meaning: 'A STIX 2.1 object lacks spec_version.',
  },
  SPEC_VERSION_NOT_2_1: {
    kind: 'content',
    severity: 'error',
    meaning: 'spec_version is present but not "2.1".',
  },
  TIMESTAMP_NOT_UPPER_CASE: {
    kind: 'content',
    severity: 'error',
    meaning: 'A timestamp uses a lower-case "t" or "z".',
  },
  UUID_REUSED_ACROSS_TYPES: {
    kind: 'content',
    severity: 'error',
    meaning: 'The same UUID is used by ids of different types.',
  },
  CONFLICTING_VERSIONS: {
    kind: 'content',
    severity: 'error',
    meaning: 'Two copies of the same id and version differ in content.',
  },
  EMPTY_OBJECTS: {
    kind: 'content',
    severity: 'error',
    meaning: 'A bundle has an empty "objects" list.',
  },
  // ── content: STIX patterns (src/stix/pattern)
  PATTERN_SYNTAX: {
    kind: 'content',
    severity: 'error',
    meaning: 'The STIX pattern does not parse.',
  },
  PATTERN_NONSTANDARD: {
    kind: 'content',
    severity: 'warning',
    meaning: 'The pattern uses a non-standard spelling that was read leniently.',
  },
  PATTERN_TOO_LONG: {
    kind: 'content',
    severity: 'error',
    meaning: 'The pattern is longer than the character limit.',
  },
  PATTERN_TOO_DEEP: {
    kind: 'content',
    severity: 'error',
    meaning: 'The pattern nests brackets deeper than the limit.',
  },
  PATTERN_BAD_LITERAL: {
    kind: 'content',
    severity: 'error',
    meaning: 'A literal of the pattern is malformed (timestamp, binary, hex, number).',
  },
  PATTERN_BAD_QUALIFIER: {
    kind: 'content',
    severity: 'error',
    meaning: 'A qualifier (WITHIN, REPEATS, START/STOP) has an impossible value.',
  },
  PATTERN_UNKNOWN_OBJECT_TYPE: {
    kind: 'content',
    severity: 'error',
    meaning: 'An object type in the pattern is neither STIX 2.1 nor a valid custom name.',
  },
  PATTERN_CUSTOM_OBJECT_TYPE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An object type in the pattern is read as a custom one.',
  },
  PATTERN_PATH_INVALID: {
    kind: 'content',
    severity: 'error',
    meaning: 'A pattern object path goes through a reference to a property no type it may point to has (strict validate).',
  },
  PATTERN_UNKNOWN_PROPERTY: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A property in the pattern does not exist on its object type.',
  },
  PATTERN_MIXED_OBJECT_TYPES: {
    kind: 'content',
    severity: 'warning',
    meaning: 'AND joins different object types inside one observation: it can never match.',
  },
  PATTERN_HASH_NAME: {
    kind: 'content',
    severity: 'info',
    meaning: 'A hash name in the pattern was rewritten to its canonical spelling.',
  },
  PATTERN_INVALID_VALUE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A value compared in the pattern is not valid for its property.',
  },
  PATTERN_STRING_TO_INTEGER: {
    kind: 'content',
    severity: 'info',
    meaning: 'A quoted number compared with an integer property became an integer.',
  },
  PATTERN_VALUE_CANONICALIZED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A value in the pattern was rewritten to its canonical form.',
  },
  PATTERN_VALUE_TYPE_MISMATCH: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A value in the pattern belongs to another property; left as it is.',
  },
  // ── content: normalization on ingest (src/stix/normalize, src/stix/prepare.ts)
  SPEC_VERSION_ADDED: {
    kind: 'content',
    severity: 'info',
    meaning: 'spec_version "2.1" was added to an object that had none.',
  },
  UPGRADED_FROM_2_0: {
    kind: 'content',
    severity: 'info',
    meaning: 'A STIX 2.0 object was upgraded to STIX 2.1.',
  },
  LABELS_MOVED: {
    kind: 'content',
    severity: 'info',
    meaning: 'STIX 2.0 labels moved to the STIX 2.1 *_types property.',
  },
  PATTERN_TYPE_ADDED: {
    kind: 'content',
    severity: 'info',
    meaning: 'pattern_type "stix" was added to an upgraded indicator.',
  },
  IS_FAMILY_ADDED: {
    kind: 'content',
    severity: 'info',
    meaning: 'is_family was added to an upgraded malware.',
  },
  OBSERVED_DATA_EXPANDED: {
    kind: 'content',
    severity: 'info',
    meaning: 'STIX 2.0 embedded observables became SCOs referenced by object_refs.',
  },
  PROPERTY_RENAMED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A STIX 2.0 property was renamed to its STIX 2.1 name.',
  },
  STIX20_PROPERTY_KEPT_AS_CUSTOM: {
    kind: 'content',
    severity: 'info',
    meaning: 'A STIX 2.0 observable property that STIX 2.1 removed was kept under a custom x_stix20_ name.',
  },
  TLP_NAME_ADDED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A STIX 2.0 TLP marking definition got the name of the official STIX 2.1 definition.',
  },
  TIMESTAMP_CANONICALIZED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A timestamp was rewritten to its canonical form.',
  },
  PATTERN_CANONICALIZED: {
    kind: 'content',
    severity: 'info',
    meaning: 'The pattern text was rewritten to its canonical form.',
  },
  // Warning on ingest (a posted value changed); info in the importers, where refanging is expected.
  REFANGED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A defanged value (hxxp, [.]) was refanged.',
  },
  VALUE_CANONICALIZED: {
    kind: 'content',
    severity: 'info',
    meaning: 'An SCO value was rewritten to its canonical form.',
  },
  HASH_CANONICALIZED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A hash name or value was rewritten to its canonical form.',
  },
  DUPLICATE_HASH: {
    kind: 'content',
    severity: 'warning',
    meaning: 'Two spellings of the same hash algorithm: the first is kept.',
  },
  SCO_ID_REWRITTEN: {
    kind: 'content',
    severity: 'info',
    meaning: 'An SCO id was replaced by its deterministic UUIDv5 id.',
  },
  SCO_VALUE_NOT_CANONICAL: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An SCO value is not valid for its type; kept as posted.',
  },
  DEFAULT_TLP_ADDED: {
    kind: 'content',
    severity: 'info',
    meaning: "The collection's default TLP marking was added to an unmarked object.",
  },
  REFS_REWRITTEN: {
    kind: 'content',
    severity: 'info',
    meaning: 'References were rewritten to follow rewritten SCO ids.',
  },
  // ── content: import and export, all formats (src/mapping, src/import-export)
  IMPORT_FAILED: {
    kind: 'content',
    severity: 'error',
    meaning: 'A native import failed unexpectedly; nothing was converted.',
  },
  INPUT_TOO_LARGE: {
    kind: 'content',
    severity: 'error',
    meaning: 'The input has more bytes, objects or events than an import accepts.',
  },
  EMPTY_BUNDLE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'Nothing to export: the bundle is written without objects.',
  },
  CONFLICTING_COPY_DROPPED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A second, different object with the same id and version was dropped.',
  },
  ID_REMINTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An imported id was unusable (not RFC 4122, reused) and was replaced.',
  },
  URL_NOT_A_URI: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An imported url value is not a URI and was dropped.',
  },
  URL_REPAIRED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An imported url value was not a URI and was percent-encoded.',
  },
  VALUE_MASKED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A masked value (e.g. with *** in it) was skipped.',
  },
  EXPORT_GROUP_SPLIT: {
    kind: 'content',
    severity: 'info',
    meaning: 'Alternative values of one object are written as separate list entries.',
  },
  EXPORT_NO_COLUMN: {
    kind: 'content',
    severity: 'warning',
    meaning: 'No column of the CSV mapping holds this kind of value.',
  },
  EXPORT_NO_VALUE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'The pattern holds no value an IOC list can carry.',
  },
  EXPORT_OBJECT_SKIPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'An object type has no place in an IOC list.',
  },
  EXPORT_PATTERN_LOSSY: {
    kind: 'content',
    severity: 'warning',
    meaning: 'Parts of the pattern cannot be expressed in the list format.',
  },
  EXPORT_TYPE_LOST: {
    kind: 'content',
    severity: 'info',
    meaning: 'The CSV mapping has no type column: the value type is left to inference.',
  },
  EXPORT_UNSUPPORTED_PATTERN: {
    kind: 'content',
    severity: 'warning',
    meaning: 'The pattern is not a parseable STIX pattern and cannot be exported.',
  },
  EXPORT_VALUE_MULTILINE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'Values with line breaks were left out of a TXT export.',
  },
  // ── content: STIX 2.x JSON import and STIX 2.0 export (src/mapping/stix21, src/mapping/stix20)
  STIX21_INVALID_JSON: {
    kind: 'content',
    severity: 'error',
    meaning: 'A STIX 2.1 input is not valid JSON text.',
  },
  STIX20_INVALID_JSON: {
    kind: 'content',
    severity: 'error',
    meaning: 'A STIX 2.0 input is not valid JSON text.',
  },
  STIX_NOT_A_BUNDLE: {
    kind: 'content',
    severity: 'error',
    meaning: 'The input is neither a bundle, a TAXII envelope nor an array of objects.',
  },
  STIX_NOT_AN_OBJECT: {
    kind: 'content',
    severity: 'error',
    meaning: 'An element of the input is not a STIX object (no string type and id).',
  },
  STIX_VERSION_MISMATCH: {
    kind: 'content',
    severity: 'warning',
    meaning: 'Objects of another STIX version than the one declared were found.',
  },
  STIX21_PATTERN_TYPE_DEFAULTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A STIX 2.1 draft indicator without pattern_type whose pattern is a STIX pattern got pattern_type "stix".',
  },
  STIX21_IS_FAMILY_DEFAULTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A STIX 2.1 draft malware without is_family got is_family false.',
  },
  STIX20_REF_DROPPED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A STIX 2.0 reference that is not an identifier was removed on import.',
  },
  STIX20_VALUE_REPAIRED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A STIX 2.0 value of the wrong shape was repaired on import.',
  },
  STIX20_DANGLING_DROPPED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An object was dropped from a 2.0 export: everything it requires was dropped.',
  },
  STIX20_IDENTITY_CLASS_DEFAULTED: {
    kind: 'content',
    severity: 'info',
    meaning: 'STIX 2.0 requires identity_class: "unknown" was written.',
  },
  STIX20_LABELS_DEFAULTED: {
    kind: 'content',
    severity: 'info',
    meaning: 'STIX 2.0 requires labels: "unknown" was written.',
  },
  STIX20_MARKING_DROPPED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An extension-defined marking cannot be expressed in STIX 2.0.',
  },
  STIX20_OBSERVABLE_MISSING: {
    kind: 'content',
    severity: 'warning',
    meaning: 'Observables referenced by observed-data are not among the exported objects.',
  },
  STIX20_PATTERN_TYPE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An indicator with a non-STIX pattern_type cannot be exported to STIX 2.0.',
  },
  STIX20_PROPERTY_DROPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'Properties that do not exist in STIX 2.0 were left out.',
  },
  STIX20_SCO_DROPPED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An SCO no observed-data references cannot stand alone in STIX 2.0.',
  },
  STIX20_TYPE_DROPPED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An object type that does not exist in STIX 2.0 was dropped.',
  },
  // ── content: CSV and TXT IOC lists (src/mapping/csv, src/mapping/txt)
  CSV_TOO_LARGE: {
    kind: 'content',
    severity: 'error',
    meaning: 'The CSV input is larger than the byte limit.',
  },
  CSV_ENCODING_GUESSED: {
    kind: 'content',
    severity: 'info',
    meaning: 'The CSV input is not UTF-8 and was decoded as windows-1251.',
  },
  CSV_NOT_TEXT: {
    kind: 'content',
    severity: 'error',
    meaning: 'The CSV input is binary, not text.',
  },
  CSV_FIELD_TOO_LONG: {
    kind: 'content',
    severity: 'error',
    meaning: 'A CSV field is longer than the limit.',
  },
  CSV_RECORD_TOO_LONG: {
    kind: 'content',
    severity: 'error',
    meaning: 'A CSV record has more fields than the limit.',
  },
  CSV_TOO_MANY_RECORDS: {
    kind: 'content',
    severity: 'error',
    meaning: 'The CSV file has more records than the limit.',
  },
  CSV_UNTERMINATED_QUOTE: {
    kind: 'content',
    severity: 'error',
    meaning: 'A quoted CSV field is never closed (truncated file?).',
  },
  CSV_STRAY_AFTER_QUOTE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'Characters after a closing quote were kept in the field.',
  },
  CSV_MAPPING_GUESSED: {
    kind: 'content',
    severity: 'info',
    meaning: 'No CSV mapping configured: the column roles were guessed.',
  },
  CSV_COLUMN_NOT_FOUND: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A column the CSV mapping names is not in the file.',
  },
  CSV_NO_VALUE_COLUMN: {
    kind: 'content',
    severity: 'error',
    meaning: 'None of the mapped value columns is present in the file.',
  },
  CSV_BAD_CONFIDENCE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A confidence cell is not a number; ignored.',
  },
  CSV_BAD_DATE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A date cell is not a date; ignored.',
  },
  CSV_UNKNOWN_TLP: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A TLP cell is not a TLP level; ignored.',
  },
  CSV_UNKNOWN_TYPE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A type cell is not mapped: the value type was inferred.',
  },
  CSV_DUPLICATE_VALUE: {
    kind: 'content',
    severity: 'info',
    meaning: 'A value was already imported from an earlier row.',
  },
  CSV_ROW_EMPTY: {
    kind: 'content',
    severity: 'info',
    meaning: 'A row has no indicator value.',
  },
  CSV_ROW_SKIPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A row matches a skip rule or its type is not an indicator.',
  },
  CSV_VALID_UNTIL_DROPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'Last seen is not after first seen: valid_until left out.',
  },
  CSV_VALUE_NOT_RECOGNIZED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A CSV cell holds no recognizable indicator value; skipped.',
  },
  TXT_TOO_LARGE: {
    kind: 'content',
    severity: 'error',
    meaning: 'The TXT input is larger than the byte limit.',
  },
  TXT_ENCODING_GUESSED: {
    kind: 'content',
    severity: 'info',
    meaning: 'The TXT input is not UTF-8 and was decoded as windows-1251.',
  },
  TXT_NOT_TEXT: {
    kind: 'content',
    severity: 'error',
    meaning: 'The TXT input is binary, not text.',
  },
  TXT_LINE_TOO_LONG: {
    kind: 'content',
    severity: 'error',
    meaning: 'A TXT line is longer than the limit.',
  },
  TXT_DUPLICATE_VALUE: {
    kind: 'content',
    severity: 'info',
    meaning: 'A TXT value was already listed earlier.',
  },
  TXT_VALUE_NOT_RECOGNIZED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A TXT line holds no recognizable indicator value; skipped.',
  },
  // ── content: MISP (src/mapping/misp)
  MISP_INVALID_JSON: {
    kind: 'content',
    severity: 'error',
    meaning: 'The MISP input is not valid JSON text.',
  },
  MISP_UNRECOGNIZED: {
    kind: 'content',
    severity: 'error',
    meaning: 'No MISP event found in the input.',
  },
  MISP_IMPORT_FAILED: {
    kind: 'content',
    severity: 'error',
    meaning: 'The MISP conversion failed unexpectedly.',
  },
  MISP_UNRECOGNIZED_ENTRY: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An entry of a MISP list is not an event object; skipped.',
  },
  MISP_FEED_MANIFEST_ENTRY: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A feed manifest holds no attributes: import the event file it names.',
  },
  MISP_ATTRIBUTE_COLLECTION: {
    kind: 'content',
    severity: 'info',
    meaning: 'Attributes without an event were grouped into one container.',
  },
  MISP_ATTRIBUTE_INCOMPLETE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An attribute without type or value was skipped.',
  },
  MISP_ATTACHMENT_DROPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'An attachment payload was not carried; only its name and hash are kept.',
  },
  MISP_COMPOSITE_MALFORMED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A composite value (type|type) has no "|": skipped.',
  },
  MISP_CONTAINER_SPLIT_BY_MARKING: {
    kind: 'content',
    severity: 'info',
    meaning: 'An event with several TLP levels became one container per level.',
  },
  MISP_DELETED_SKIPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A deleted attribute or object was skipped.',
  },
  MISP_DISTRIBUTION_ORG_ONLY: {
    kind: 'content',
    severity: 'warning',
    meaning: 'The event is "your organisation only": check it may be shared.',
  },
  MISP_EMPTY_EVENT: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An event produced no objects.',
  },
  MISP_GALAXY_UNMAPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A galaxy has no STIX object type: kept as a label.',
  },
  MISP_INVALID_UUID: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An event uuid is not a UUID: a derived id is used.',
  },
  MISP_INVALID_VALUE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An attribute value is invalid for its type; skipped.',
  },
  MISP_OBJECT_PE_MERGED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A MISP file object and the pe / pe-section objects it includes were merged into one file observable (windows-pebinary-ext).',
  },
  MISP_KEPT_AS_CUSTOM: {
    kind: 'content',
    severity: 'info',
    meaning: 'A MISP attribute or object without a STIX equivalent was kept as an x-misp-attribute / x-misp-object custom object.',
  },
  MISP_OBJECT_ATTRIBUTE_CUSTOM: {
    kind: 'content',
    severity: 'info',
    meaning: 'Object attributes without a STIX property were kept as x_misp_ properties.',
  },
  MISP_OBJECT_ATTRIBUTE_UNMAPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'Object attributes without a STIX property were left out.',
  },
  MISP_OBJECT_SPLIT_ROOTS: {
    kind: 'content',
    severity: 'info',
    meaning: 'An object spans several observable types: one observation per type, ANDed.',
  },
  MISP_OBJECT_UNKNOWN: {
    kind: 'content',
    severity: 'info',
    meaning: 'An object template has no mapping: its attributes are mapped by type.',
  },
  MISP_OBSERVABLE_LOSSY: {
    kind: 'content',
    severity: 'info',
    meaning: 'Some attributes do not fit in the observable built for them.',
  },
  MISP_PROPOSAL_DROPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'Proposals (shadow attributes) are not carried into STIX.',
  },
  MISP_REFERENCE_UNRESOLVED: {
    kind: 'content',
    severity: 'info',
    meaning: 'An object reference points to something that produced nothing: dropped.',
  },
  MISP_SIGHTING_SKIPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A false-positive or expiration sighting is not mapped.',
  },
  MISP_UNKNOWN_CONFIDENCE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An unknown confidence tag was kept as a label.',
  },
  MISP_UNKNOWN_TLP: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An unknown TLP tag was kept as a label.',
  },
  MISP_VALUE_TOO_LONG: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A value or event report longer than the limit was skipped.',
  },
  MISP_EXPORT_PATTERN_ALTERNATIVES: {
    kind: 'content',
    severity: 'info',
    meaning: 'A pattern ORing single values became one attribute per value.',
  },
  MISP_EXPORT_PATTERN_TYPE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A pattern_type has no MISP attribute type: kept as text.',
  },
  MISP_EXPORT_RAW_PATTERN: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A pattern that does not map to attributes was kept as a stix2-pattern object.',
  },
  MISP_EXPORT_RELATIONSHIP_DROPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'Relationships between objects MISP cannot link were not exported.',
  },
  MISP_EXPORT_REVOKED_SKIPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A revoked object was not exported.',
  },
  MISP_EXPORT_SEVERAL_CONTAINERS: {
    kind: 'content',
    severity: 'warning',
    meaning: 'Several reports or groupings were merged into one MISP event.',
  },
  MISP_EXPORT_SIGHTING_DROPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A sighting of an object that was not exported was dropped.',
  },
  MISP_EXPORT_UNMAPPED_OBSERVABLE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An observable has no MISP attribute or object form.',
  },
  MISP_EXPORT_UNSUPPORTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An object type has no MISP equivalent: not exported.',
  },
  MISP_EXPORT_VALUE_UNMAPPED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'Values without a MISP object relation were kept in the object comment.',
  },
  // ── content: OpenIOC (src/mapping/openioc)
  OPENIOC_NOT_AN_IOC: {
    kind: 'content',
    severity: 'error',
    meaning: 'The XML root element is not an OpenIOC document.',
  },
  OPENIOC_NO_CRITERIA: {
    kind: 'content',
    severity: 'error',
    meaning: 'The OpenIOC document has no Indicator tree.',
  },
  OPENIOC_INTERNAL: {
    kind: 'content',
    severity: 'error',
    meaning: 'The OpenIOC conversion failed unexpectedly.',
  },
  OPENIOC_NOTHING_CONVERTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'No term of the IOC maps to a STIX pattern.',
  },
  OPENIOC_AND_BROADENED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'Unmapped terms of an AND were left out: the pattern matches more.',
  },
  OPENIOC_CONDITION_UNSUPPORTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An IndicatorItem condition is not supported.',
  },
  OPENIOC_EMPTY_CONTENT: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An IndicatorItem has no value.',
  },
  OPENIOC_PARAMETERS_DROPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'OpenIOC parameters are not carried into STIX.',
  },
  OPENIOC_PATH_APPROXIMATED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A path term was approximated by substring comparisons.',
  },
  OPENIOC_TERM_GUESSED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A term was mapped to the closest STIX property.',
  },
  OPENIOC_TERM_UNMAPPED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A term has no STIX 2.1 object: kept in the description.',
  },
  OPENIOC_TREE_TOO_DEEP: {
    kind: 'content',
    severity: 'warning',
    meaning: 'The indicator tree nests too deeply: branch skipped.',
  },
  OPENIOC_VALUE_FROM_ID: {
    kind: 'content',
    severity: 'info',
    meaning: 'An empty Content: the IndicatorItem id was taken as the value.',
  },
  OPENIOC_EXPORT_PATTERN_UNSUPPORTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A pattern has no OpenIOC form: not exported.',
  },
  OPENIOC_EXPORT_VALUE_UNSUPPORTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'Observable properties without an OpenIOC term were left out of the export.',
  },
  OPENIOC_EXPORT_UNSUPPORTED_OBJECT: {
    kind: 'content',
    severity: 'info',
    meaning: 'An object type has no OpenIOC form: not exported.',
  },
  // ── content: XML and STIX 1.x (src/mapping/common/xml.ts, src/mapping/stix1)
  XML_MALFORMED: {
    kind: 'content',
    severity: 'error',
    meaning: 'The XML document is not well-formed (or not decodable text).',
  },
  XML_ENTITY_DECLARATION: {
    kind: 'content',
    severity: 'error',
    meaning: 'The XML document declares DTD entities: refused.',
  },
  XML_TOO_DEEP: {
    kind: 'content',
    severity: 'error',
    meaning: 'The XML document nests deeper than the limit.',
  },
  XML_TOO_LARGE: {
    kind: 'content',
    severity: 'error',
    meaning: 'The XML document is larger than the byte limit.',
  },
  XML_UNDECLARED_PREFIX: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A namespace prefix is not declared.',
  },
  STIX1_NOT_A_PACKAGE: {
    kind: 'content',
    severity: 'error',
    meaning: 'The XML root element is not a STIX 1.x STIX_Package.',
  },
  STIX1_INTERNAL: {
    kind: 'content',
    severity: 'error',
    meaning: 'The STIX 1.x conversion failed unexpectedly.',
  },
  STIX1_NOTHING_CONVERTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'Nothing in the STIX 1.x package converted.',
  },
  STIX1_COMPOSITION_CYCLE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An indicator composition is cyclic or too deep.',
  },
  STIX1_COMPOSITION_PARTIAL: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A term of an AND composition did not convert: the pattern matches more.',
  },
  STIX1_CONDITION_UNSUPPORTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A CybOX condition has no STIX 2.1 pattern equivalent.',
  },
  STIX1_CONDITION_DROPPED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An observed value given with StartsWith/Contains/EndsWith was kept as the value, without its condition.',
  },
  STIX1_CONFIDENCE_UNMAPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A confidence value is not on a known scale.',
  },
  STIX1_CONSTRUCT_UNSUPPORTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A STIX 1.x construct has no STIX 2.1 form here.',
  },
  STIX1_INDICATOR_EMPTY: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An indicator has no convertible pattern or test mechanism.',
  },
  STIX1_MARKING_UNSUPPORTED: {
    kind: 'content',
    severity: 'warning',
    meaning:
      'A marking structure (or TLP colour) has no STIX 2.1 mapping: what it marks is marked TLP:RED (fail closed) and its terms are kept as a statement marking.',
  },
  STIX1_NEGATE_LOST: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A negation on a composite observable cannot be expressed.',
  },
  STIX1_NESTING_TOO_DEEP: {
    kind: 'content',
    severity: 'warning',
    meaning: 'Related packages nest too deeply: inner packages skipped.',
  },
  STIX1_OBJECT_UNSUPPORTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A CybOX object type has no STIX 2.1 pattern mapping.',
  },
  STIX1_OBSERVABLE_EMPTY: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An observable has no convertible object.',
  },
  STIX1_PATTERN_IN_OBSERVABLE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A condition or value list cannot be an observed value.',
  },
  STIX1_PROPERTY_DROPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'STIX 1.x properties without a STIX 2.1 place were left out.',
  },
  STIX1_PROPERTY_CUSTOM: {
    kind: 'content',
    severity: 'info',
    meaning: 'Observed CybOX properties without a STIX 2.1 property were kept on the SCO as custom x_ properties (each named).',
  },
  STIX1_PROPERTY_UNMAPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'CybOX properties without a pattern mapping were left out.',
  },
  STIX1_RELATED_OBJECT_FLATTENED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A related object was joined with AND; its relationship kind is lost.',
  },
  STIX1_REPORT_EMPTY: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A report references nothing that converted: not kept.',
  },
  STIX1_SECTOR_UNMAPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'Industry types without a STIX 2.1 sector were left out.',
  },
  STIX1_SIGHTING_COUNT_MISMATCH: {
    kind: 'content',
    severity: 'info',
    meaning: 'A sightings_count differs from the number of Sighting elements listed; each is kept with count 1.',
  },
  STIX1_SIGHTING_OBSERVABLE_UNMAPPED: {
    kind: 'content',
    severity: 'warning',
    meaning: "A sighting's related observable converted to no observed-data and is not referenced.",
  },
  STIX1_TEST_MECHANISM_UNSUPPORTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A test mechanism type is not converted.',
  },
  STIX1_TIMESTAMP_INVALID: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A timestamp is unreadable.',
  },
  STIX1_TIMESTAMP_MISSING: {
    kind: 'content',
    severity: 'info',
    meaning: 'The document has no timestamp: the import time is used.',
  },
  STIX1_TIMESTAMP_NO_ZONE: {
    kind: 'content',
    severity: 'info',
    meaning: 'Timestamps without a time zone are taken as UTC.',
  },
  STIX1_TTP_UNMAPPED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A TTP has no malware, attack pattern or tool to convert.',
  },
  STIX1_UNRESOLVED_IDREF: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An idref does not resolve within the package.',
  },
  STIX1_VALID_TIME_INVERTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An indicator valid time ends before it starts: valid_until left out.',
  },
  STIX1_VALUE_GUESSED: {
    kind: 'content',
    severity: 'info',
    meaning: 'A value was read with a guessed meaning.',
  },
  STIX1_VALUE_TOO_LARGE: {
    kind: 'content',
    severity: 'warning',
    meaning: 'An artifact payload larger than 64 KiB was left out of the pattern.',
  },
  // Info when the value is a domain name and kept as one; warning when it is left out.
  STIX1_URL_WITHOUT_SCHEME: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A URI without a scheme: kept as a domain name when it is one, else left out.',
  },
  STIX1_EXPORT_PATTERN_UNSUPPORTED: {
    kind: 'content',
    severity: 'warning',
    meaning: 'A pattern has no STIX 1.x form: not exported.',
  },
  STIX1_EXPORT_PROPERTY_CUSTOM: {
    kind: 'content',
    severity: 'info',
    meaning:
      'SCO properties or pattern comparisons without a CybOX element were kept as CybOX custom properties named by their STIX path (each listed with its value; the pattern text is kept in the description too).',
  },
  STIX1_EXPORT_PROPERTY_UNMAPPED: {
    kind: 'content',
    severity: 'info',
    meaning: 'SCO properties without a CybOX place were left out.',
  },
  STIX1_EXPORT_TLP_NARROWED: {
    kind: 'content',
    severity: 'info',
    meaning: 'TLP:AMBER+STRICT has no TLP 1.0 colour: written as RED.',
  },
  // Info for object types skipped on purpose; warning when an SCO has no CybOX form.
  STIX1_EXPORT_UNSUPPORTED_OBJECT: {
    kind: 'content',
    severity: 'info',
    meaning: 'An object type has no STIX 1.x form: not exported.',
  },
  // ── status: per-object failures of a TAXII status and write refusals (src/ingest, src/policy)
  VERSION_CONFLICT: {
    kind: 'status',
    severity: 'error',
    meaning: 'Another object with the same id and version is already stored.',
  },
  UNKNOWN_MARKING: {
    kind: 'status',
    severity: 'error',
    meaning: 'A marking reference is neither official TLP nor a stored marking definition.',
  },
  JOB_EXPIRED: {
    kind: 'status',
    severity: 'error',
    meaning: 'The posted envelope expired before it was processed.',
  },
  ENVELOPE_UNREADABLE: {
    kind: 'status',
    severity: 'error',
    meaning: 'The stored envelope is damaged (not decompressible or not an envelope).',
  },
  COLLECTION_GONE: {
    kind: 'status',
    severity: 'error',
    meaning: 'The collection was removed from the configuration before processing.',
  },
  NOT_PRODUCER: {
    kind: 'status',
    severity: 'error',
    meaning: 'The writer may not change an object another producer created.',
  },
  TLP_ABOVE_ACCEPTED: {
    kind: 'status',
    severity: 'error',
    meaning: 'The object is marked above the highest TLP the collection accepts.',
  },
  MARKING_REFUSED: {
    kind: 'status',
    severity: 'error',
    meaning: 'The object carries a marking the collection refuses.',
  },
  NOT_OWN_IDENTITY: {
    kind: 'status',
    severity: 'error',
    meaning: "created_by_ref is missing or not the writer's own identity.",
  },
  PRODUCER_NOT_ACCEPTED: {
    kind: 'status',
    severity: 'error',
    meaning: "created_by_ref is not among the collection's accepted producers.",
  },
  // ── protocol: TAXII error resources (src/http/errors.ts)
  BAD_REQUEST: {
    kind: 'protocol',
    severity: 'error',
    meaning: '400: the request is malformed.',
  },
  INVALID_FILTER: {
    kind: 'protocol',
    severity: 'error',
    meaning: '400: a match[] or other filter parameter is invalid.',
  },
  INVALID_NEXT: {
    kind: 'protocol',
    severity: 'error',
    meaning: '400: the next token is malformed, expired or from another query.',
  },
  INVALID_JSON: {
    kind: 'protocol',
    severity: 'error',
    meaning: '400: the request body is not valid JSON.',
  },
  NOT_AN_ENVELOPE: {
    kind: 'protocol',
    severity: 'error',
    meaning: '422: the request body is not a TAXII envelope.',
  },
  UNAUTHORIZED: {
    kind: 'protocol',
    severity: 'error',
    meaning: '401: authentication is missing or wrong.',
  },
  FORBIDDEN: {
    kind: 'protocol',
    severity: 'error',
    meaning: '403: the principal may not do this.',
  },
  NOT_FOUND: {
    kind: 'protocol',
    severity: 'error',
    meaning: '404: no such resource that the principal may see.',
  },
  METHOD_NOT_ALLOWED: {
    kind: 'protocol',
    severity: 'error',
    meaning: '405: the method is not supported on this resource.',
  },
  CONFLICT: {
    kind: 'protocol',
    severity: 'error',
    meaning: "409: the request conflicts with the resource's current state.",
  },
  NOT_ACCEPTABLE: {
    kind: 'protocol',
    severity: 'error',
    meaning: '406: the Accept header excludes the TAXII 2.1 media type.',
  },
  REQUEST_TIMEOUT: {
    kind: 'protocol',
    severity: 'error',
    meaning: '408: the request headers or body did not arrive within the server timeout.',
  },
  PAYLOAD_TOO_LARGE: {
    kind: 'protocol',
    severity: 'error',
    meaning: '413: the request body exceeds max_content_length.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    kind: 'protocol',
    severity: 'error',
    meaning: '415: wrong Content-Type, or a Content-Encoding the server does not take.',
  },
  UNPROCESSABLE: {
    kind: 'protocol',
    severity: 'error',
    meaning: '422: the request is well-formed but cannot be processed.',
  },
  TOO_MANY_REQUESTS: {
    kind: 'protocol',
    severity: 'error',
    meaning: '429: rate limit reached; retry after the given delay.',
  },
  SERVICE_UNAVAILABLE: {
    kind: 'protocol',
    severity: 'error',
    meaning: '503: a dependency (Redis, queue) is unavailable; retry.',
  },
  INTERNAL: {
    kind: 'protocol',
    severity: 'error',
    meaning: '500: the server failed to answer; the incident is logged.',
  },
  // ── inquiry: refusals of the inquiry API and thread problems (src/inquiries)
  INQUIRY_INVALID_INPUT: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'A request field is missing, of the wrong type, too long or not in its vocabulary.',
  },
  INQUIRY_NOT_FOUND: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'No inquiry with this id that the caller may see.',
  },
  INQUIRY_NO_CHANNEL: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'No inquiry channel between the caller and the authority asked.',
  },
  INQUIRY_FORGED_AUTHORITY: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'The request names another authority than the caller as author.',
  },
  INQUIRY_NOT_AN_AUTHORITY: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'The caller (an admin) is neither authority of the inquiry.',
  },
  INQUIRY_EVIDENCE_NOT_FOUND: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'An evidence reference is in no shared collection the asker can read.',
  },
  INQUIRY_STALE: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'The message replied to is no longer the last of the thread.',
  },
  INQUIRY_BUSY: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'Another message of the same inquiry is being recorded; retry.',
  },
  INQUIRY_BROKEN_THREAD: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'A received thread object does not continue the thread.',
  },
  INQUIRY_FINISHED: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'The inquiry is closed or withdrawn: no action is possible.',
  },
  INQUIRY_WRONG_PARTY: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'The other side performs this action.',
  },
  INQUIRY_OUT_OF_ORDER: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'The action exists for this side but not in the current state.',
  },
  INQUIRY_EXTENSION_MISMATCH: {
    kind: 'status',
    severity: 'error',
    meaning: 'An extension definition posted into an inquiry collection is not the inquiry extension exactly as defined.',
  },
  INQUIRY_FOREIGN_OBJECT: {
    kind: 'status',
    severity: 'error',
    meaning: 'An object posted into an inquiry collection is not an incident, note or translation of an inquiry.',
  },
  INQUIRY_NOT_A_THREAD_OBJECT: {
    kind: 'status',
    severity: 'error',
    meaning: 'An object posted into an inquiry collection lacks valid inquiry properties.',
  },
  INQUIRY_OBJECT_CONFLICT: {
    kind: 'status',
    severity: 'error',
    meaning: 'An object posted into an inquiry collection is another version of a message already held.',
  },
  SIGNATURE_MISSING: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'A message that must be signed carries no signature.',
  },
  SIGNATURE_MALFORMED: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'The signature is not in the expected form.',
  },
  SIGNATURE_UNKNOWN_KEY: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'The signature names a key the gateway does not know.',
  },
  SIGNATURE_INVALID: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'The signature does not verify.',
  },
  SIGNATURE_FORGED_AUTHORITY: {
    kind: 'inquiry',
    severity: 'error',
    meaning: 'The signing key belongs to another authority than the author.',
  },
  THREAD_BAD_REPLY: {
    kind: 'inquiry',
    severity: 'warning',
    meaning: 'in_reply_to names another message than the previous one.',
  },
  THREAD_FOREIGN_AUTHOR: {
    kind: 'inquiry',
    severity: 'warning',
    meaning: "A thread message's author is neither authority of the inquiry.",
  },
  THREAD_FORK: {
    kind: 'inquiry',
    severity: 'warning',
    meaning: 'Two messages reply to the same message; the later is left out.',
  },
  THREAD_INCIDENT_VERSIONS: {
    kind: 'inquiry',
    severity: 'warning',
    meaning: 'The inquiry incident has several versions.',
  },
  THREAD_NOT_A_TRANSITION: {
    kind: 'inquiry',
    severity: 'warning',
    meaning: 'A note in the inquiry collection is not a valid transition.',
  },
  THREAD_ORPHAN: {
    kind: 'inquiry',
    severity: 'warning',
    meaning: 'A note does not continue the reply chain.',
  },
  THREAD_STATE_MISMATCH: {
    kind: 'inquiry',
    severity: 'warning',
    meaning: 'A message declares a state its action does not lead to.',
  },
  // ── federation: faults of the federation client (src/federation)
  NETWORK: {
    kind: 'federation',
    severity: 'error',
    meaning: 'Connection refused or reset, DNS or TLS failure (retryable).',
  },
  TIMEOUT: {
    kind: 'federation',
    severity: 'error',
    meaning: 'No connection or no complete response in time (retryable).',
  },
  HTTP_STATUS: {
    kind: 'federation',
    severity: 'error',
    meaning: 'The partner answered with a non-2xx status.',
  },
  BAD_RESPONSE: {
    kind: 'federation',
    severity: 'error',
    meaning: 'A 2xx answer whose media type, JSON or shape is not TAXII 2.1.',
  },
  RESPONSE_TOO_LARGE: {
    kind: 'federation',
    severity: 'error',
    meaning: "The partner's response is larger than the client accepts.",
  },
  AUTH_CONFIG: {
    kind: 'federation',
    severity: 'error',
    meaning: 'A credential (environment variable or file) could not be read.',
  },
  CANNOT_PAGE: {
    kind: 'federation',
    severity: 'error',
    meaning: 'The collection cannot be paged without losing or repeating objects.',
  },
  STATUS_TIMEOUT: {
    kind: 'federation',
    severity: 'error',
    meaning: "A partner's status stayed pending longer than the configured wait.",
  },
  // ── config: collections.yaml problems (src/config)
  FILE_TOO_LARGE: {
    kind: 'config',
    severity: 'error',
    meaning: 'The config file is larger than the byte limit.',
  },
  FILE_UNREADABLE: {
    kind: 'config',
    severity: 'error',
    meaning: 'The config file cannot be read.',
  },
  EMPTY_FILE: {
    kind: 'config',
    severity: 'error',
    meaning: 'The config file holds no configuration.',
  },
  YAML_COMPOSE: {
    kind: 'config',
    severity: 'error',
    meaning: 'The YAML document could not be turned into a value.',
  },
  YAML_ALIAS_PROPS: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: an alias carries an anchor or tag.',
  },
  YAML_BAD_ALIAS: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: an alias refers to no anchor.',
  },
  YAML_BAD_DIRECTIVE: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: a malformed directive.',
  },
  YAML_BAD_DQ_ESCAPE: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: a bad escape in a double-quoted string.',
  },
  YAML_BAD_INDENT: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: wrong indentation.',
  },
  YAML_BAD_PROP_ORDER: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: anchor and tag in the wrong order.',
  },
  YAML_BAD_SCALAR_START: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: a plain scalar starts with a reserved character.',
  },
  YAML_BLOCK_AS_IMPLICIT_KEY: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: a block collection used as an implicit key.',
  },
  YAML_BLOCK_IN_FLOW: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: a block collection inside a flow collection.',
  },
  YAML_DUPLICATE_KEY: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: a key appears twice in one map.',
  },
  YAML_IMPOSSIBLE: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: the parser reached a state it considers impossible.',
  },
  YAML_KEY_OVER_1024_CHARS: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: an implicit key longer than 1024 characters.',
  },
  YAML_MISSING_CHAR: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: a required character (quote, bracket, colon) is missing.',
  },
  YAML_MULTILINE_IMPLICIT_KEY: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: an implicit key spans several lines.',
  },
  YAML_MULTIPLE_ANCHORS: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: a node has several anchors.',
  },
  YAML_MULTIPLE_DOCS: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: the file holds more than one document.',
  },
  YAML_MULTIPLE_TAGS: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: a node has several tags.',
  },
  YAML_NON_STRING_KEY: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: a map key is not a string.',
  },
  YAML_RESOURCE_EXHAUSTION: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: alias expansion exceeds the resource limit.',
  },
  YAML_TAB_AS_INDENT: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: a tab used for indentation.',
  },
  YAML_TAG_RESOLVE_FAILED: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: a tag could not be resolved.',
  },
  YAML_UNEXPECTED_TOKEN: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: an unexpected token.',
  },
  YAML_BAD_COLLECTION_TYPE: {
    kind: 'config',
    severity: 'error',
    meaning: 'YAML: a collection has the wrong type for its tag.',
  },
  SCHEMA: {
    kind: 'config',
    severity: 'error',
    meaning: 'A value breaks a schema rule with no more specific code.',
  },
  UNKNOWN_KEY: {
    kind: 'config',
    severity: 'error',
    meaning: 'A key that is not allowed at this place.',
  },
  MISSING_KEY: {
    kind: 'config',
    severity: 'error',
    meaning: 'A required key is missing.',
  },
  WRONG_TYPE: {
    kind: 'config',
    severity: 'error',
    meaning: 'A value has the wrong type.',
  },
  INVALID_VALUE: {
    kind: 'config',
    severity: 'error',
    meaning: 'A value is out of range or not of the required form.',
  },
  INVALID_UUID: {
    kind: 'config',
    severity: 'error',
    meaning: 'A value is not a lowercase UUID.',
  },
  INVALID_IDENTITY: {
    kind: 'config',
    severity: 'error',
    meaning: 'A value is not a STIX identity id.',
  },
  INVALID_HASH: {
    kind: 'config',
    severity: 'error',
    meaning: 'A secret hash is not a valid scrypt hash.',
  },
  INVALID_DURATION: {
    kind: 'config',
    severity: 'error',
    meaning: 'A duration is not a positive duration such as 30s or 4h.',
  },
  INVALID_CREDENTIAL: {
    kind: 'config',
    severity: 'error',
    meaning: 'A credential is neither "generate" nor a map with one hash or secret source.',
  },
  INVALID_ALIAS: {
    kind: 'config',
    severity: 'error',
    meaning: 'A collection alias looks like a UUID.',
  },
  ENV_MISSING: {
    kind: 'config',
    severity: 'error',
    meaning: 'An environment variable the config names is not set.',
  },
  RESERVED_NAME: {
    kind: 'config',
    severity: 'error',
    meaning: 'An API root uses a reserved name (the discovery path).',
  },
  DUPLICATE_ID: {
    kind: 'config',
    severity: 'error',
    meaning: 'Two collections share an id.',
  },
  DUPLICATE_ALIAS: {
    kind: 'config',
    severity: 'error',
    meaning: 'Two collections share an alias.',
  },
  DUPLICATE_API_ROOT: {
    kind: 'config',
    severity: 'error',
    meaning: 'Two API roots share a name.',
  },
  DUPLICATE_PRINCIPAL: {
    kind: 'config',
    severity: 'error',
    meaning: 'Two principals share a name.',
  },
  DUPLICATE_CREDENTIAL: {
    kind: 'config',
    severity: 'error',
    meaning: 'A principal has two generated credentials of one kind.',
  },
  DUPLICATE_ITEM: {
    kind: 'config',
    severity: 'error',
    meaning: 'A list holds the same item twice.',
  },
  DUPLICATE_NAME: {
    kind: 'config',
    severity: 'error',
    meaning: 'Two federation sources or sinks share a name.',
  },
  DUPLICATE_CHANNEL: {
    kind: 'config',
    severity: 'error',
    meaning: 'Two inquiry channels join the same two authorities.',
  },
  UNKNOWN_API_ROOT: {
    kind: 'config',
    severity: 'error',
    meaning: 'A reference to an API root that does not exist.',
  },
  UNKNOWN_COLLECTION: {
    kind: 'config',
    severity: 'error',
    meaning: 'A reference to a collection that does not exist.',
  },
  UNKNOWN_CSV_MAPPING: {
    kind: 'config',
    severity: 'error',
    meaning: 'A collection names a CSV mapping that does not exist.',
  },
  UNKNOWN_PRINCIPAL: {
    kind: 'config',
    severity: 'error',
    meaning: 'A reference to a principal that does not exist.',
  },
  INQUIRY_COLLECTION_READERS: {
    kind: 'config',
    severity: 'error',
    meaning: "An inquiry collection's readers are not exactly its two authorities.",
  },
  INQUIRY_COLLECTION_WRITERS: {
    kind: 'config',
    severity: 'error',
    meaning: 'An inquiry collection has writers (inquiries are written through the API).',
  },
  INQUIRY_READER_CLEARANCE: {
    kind: 'config',
    severity: 'error',
    meaning: "An inquiry reader is not cleared for the channel's TLP.",
  },
} as const satisfies Readonly<Record<string, OutcomeCodeInfo>>;

/** Every code the gateway emits. */
export type OutcomeCode = keyof typeof OUTCOME_CODES;

/** True when `code` is in the catalogue (narrows codes built at run time, e.g. from a schema keyword). */
export function isOutcomeCode(code: string): code is OutcomeCode {
  return Object.prototype.hasOwnProperty.call(OUTCOME_CODES, code);
}

/** The codes of one kind, e.g. `OutcomeCodeOf<'protocol'>` for the `error_code` of TAXII error resources. */
export type OutcomeCodeOf<K extends OutcomeKind> = {
  [C in OutcomeCode]: (typeof OUTCOME_CODES)[C]['kind'] extends K ? C : never;
}[OutcomeCode];
