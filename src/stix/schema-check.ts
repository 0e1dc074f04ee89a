/**
 * The checks around the compiled STIX schemas, shared by the two ways of getting them: compiled at run time by
 * ajv (src/stix/schema-validator.ts, for tests and tools that bring their own schemas) or precompiled at build
 * time (src/stix/precompiled-schemas.ts, what the gateway and the CLI use, so that neither loads ajv's code
 * generator nor compiles a schema when it starts). A failing schema keyword becomes a ContentIssue with code
 * `SCHEMA_<KEYWORD>` and the ajv instancePath as a JSON pointer; custom properties, top-level extensions and
 * types without a schema are handled here, the same whichever way the schemas were compiled.
 *
 * This module imports only ajv's types, never ajv itself.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { issue, type ContentIssue } from './issues';
import type { StixObject } from './generated/stix-types';
import { isOutcomeCode, type OutcomeCode } from '../common/outcome-codes';

/** A well-formed custom property name (STIX 2.1: 3 to 250 characters of a-z, 0-9 and underscore). */
const CUSTOM_PROPERTY_NAME = /^[a-z0-9_]{3,250}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface SchemaValidator {
  /**
   * Validates one STIX object (SDO, SRO, SCO, marking-definition, language-content, extension-definition).
   * Returns no issue when the object is valid; at most one error per object (the first failing keyword),
   * plus a CUSTOM_OBJECT_TYPE or UNKNOWN_OBJECT_TYPE warning when its type has no schema. Top-level custom
   * properties are valid whether or not their names start with x_, provided the names are well formed (the
   * semantic checks warn about a missing prefix).
   */
  validate(obj: Readonly<Record<string, unknown>>): ContentIssue[];
  /** Validates a bundle envelope (`type`, `id`, `objects` is a list of objects); its objects are not checked. */
  validateBundle(obj: Readonly<Record<string, unknown>>): ContentIssue[];
  /** True when `obj` is an object of a type this project has a schema for and it passes that schema. */
  isStixObject(obj: unknown): obj is StixObject;
  /** The STIX types with a schema (bundle excluded). */
  readonly knownTypes: ReadonlySet<string>;
}

export interface TypeEntry {
  readonly validate: ValidateFunction<StixObject>;
  /** Property names the schema declares (used to strip top-level extension properties). */
  readonly declared: ReadonlySet<string>;
}

/** The compiled schemas: one per STIX type, the fallback for types without one, and the bundle envelope. */
export interface CompiledSchemaSource {
  /** The compiled schema of a STIX type, or undefined when the type has none. */
  entry(type: string): TypeEntry | undefined;
  custom(): ValidateFunction;
  bundle(): ValidateFunction;
  /** The STIX types with a schema (bundle excluded). */
  types(): Iterable<string>;
}

/**
 * When the schema failed on a top-level property it does not declare: the undeclared names that are not
 * x_-prefixed (undefined for any other failure). STIX 2.1: custom property names SHOULD start with x_ (real
 * producers write `title` on a report, or the properties of a top-level extension without declaring it) but
 * MUST be 3 to 250 of a-z, 0-9 and _.
 */
function undeclaredProperties(entry: TypeEntry, subject: Readonly<Record<string, unknown>>): string[] | undefined {
  const errors = entry.validate.errors;
  const last = errors?.[errors.length - 1];
  if (last?.keyword !== 'additionalProperties' || last.instancePath !== '') return undefined;
  const names = Object.keys(subject).filter((key) => !entry.declared.has(key) && !key.startsWith('x_'));
  return names.length > 0 ? names : undefined;
}

/** Validates an object of a type with a schema (see SchemaValidator.validate). */
function validateKnownType(
  entry: TypeEntry,
  obj: Readonly<Record<string, unknown>>,
  label: string,
  objectId: string | undefined,
): ContentIssue[] {
  const subject = hasTopLevelExtension(obj) ? withoutUndeclared(obj, entry.declared) : obj;
  if (entry.validate(subject)) return [];
  // Custom properties whose names lack the recommended x_ prefix are valid STIX (the semantic checks warn
  // about them, CUSTOM_PROPERTY_NAME): the rest of the object is checked without them.
  const custom = undeclaredProperties(entry, subject);
  if (custom === undefined) return issuesFromErrors(entry.validate.errors, label, objectId);
  const malformed = custom.find((name) => !CUSTOM_PROPERTY_NAME.test(name));
  if (malformed !== undefined) {
    return [
      issue(
        'error',
        'SCHEMA_ADDITIONAL_PROPERTY',
        childPointer('', malformed),
        undefinedPropertyMessage(label, malformed.slice(0, 100)),
        objectId,
      ),
    ];
  }
  if (entry.validate(withoutUndeclared(subject, entry.declared))) return [];
  return issuesFromErrors(entry.validate.errors, label, objectId);
}

/** The same rule as validateKnownType, as a yes/no answer. */
function passesKnownType(entry: TypeEntry, obj: Readonly<Record<string, unknown>>): boolean {
  const subject = hasTopLevelExtension(obj) ? withoutUndeclared(obj, entry.declared) : obj;
  if (entry.validate(subject)) return true;
  const custom = undeclaredProperties(entry, subject);
  return (
    custom !== undefined &&
    custom.every((name) => CUSTOM_PROPERTY_NAME.test(name)) &&
    entry.validate(withoutUndeclared(subject, entry.declared))
  );
}

/** Validates an object of a type without a schema: a warning, and the common properties only. */
function validateUnknownType(
  customFn: ValidateFunction,
  obj: Readonly<Record<string, unknown>>,
  type: unknown,
  label: string,
  objectId: string | undefined,
): ContentIssue[] {
  const out: ContentIssue[] = [];
  if (typeof type === 'string') {
    out.push(
      type.startsWith('x-')
        ? issue('warning', 'CUSTOM_OBJECT_TYPE', '/type', `custom object type '${type}': only common properties are checked`, objectId)
        : issue(
            'warning',
            'UNKNOWN_OBJECT_TYPE',
            '/type',
            `object type '${type}' is not a STIX 2.1 type known to this gateway: only common properties are checked`,
            objectId,
          ),
    );
  }
  if (!customFn(obj)) {
    out.push(...issuesFromErrors(customFn.errors, label, objectId));
  } else if (typeof type === 'string' && objectId !== undefined && !objectId.startsWith(`${type}--`)) {
    out.push(issue('error', 'SCHEMA_PATTERN', '/id', `${label} property 'id' must start with '${type}--'`, objectId));
  }
  return out;
}

/** The validator over compiled schemas (see SchemaValidator); stateless between calls. */
export function validatorFrom(compiled: CompiledSchemaSource): SchemaValidator {
  return {
    validate(obj) {
      const type = obj['type'];
      const objectId = typeof obj['id'] === 'string' ? obj['id'] : undefined;
      const label = typeof type === 'string' ? type : 'object';
      const entry = typeof type === 'string' ? compiled.entry(type) : undefined;
      return entry === undefined
        ? validateUnknownType(compiled.custom(), obj, type, label, objectId)
        : validateKnownType(entry, obj, label, objectId);
    },
    validateBundle(obj) {
      const bundleFn = compiled.bundle();
      if (bundleFn(obj)) return [];
      return issuesFromErrors(bundleFn.errors, 'bundle', typeof obj['id'] === 'string' ? obj['id'] : undefined);
    },
    isStixObject(obj: unknown): obj is StixObject {
      if (!isRecord(obj)) return false;
      const type = obj['type'];
      const entry = typeof type === 'string' ? compiled.entry(type) : undefined;
      return entry !== undefined && passesKnownType(entry, obj);
    },
    knownTypes: new Set(compiled.types()),
  };
}

/**
 * True when the object declares a `toplevel-property-extension`: its extension properties then sit at the top
 * level under names the type's schema does not know, so they are set aside before validation.
 */
function hasTopLevelExtension(obj: Readonly<Record<string, unknown>>): boolean {
  const ext = obj['extensions'];
  if (!isRecord(ext)) return false;
  for (const key in ext) {
    const value = ext[key];
    if (isRecord(value) && value['extension_type'] === 'toplevel-property-extension') return true;
  }
  return false;
}

function withoutUndeclared(obj: Readonly<Record<string, unknown>>, declared: ReadonlySet<string>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) if (declared.has(key) || key.startsWith('x_')) copy[key] = obj[key];
  return copy;
}

// ---------------------------------------------------------------------------------------------------------
// ajv errors -> ContentIssues

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function childPointer(base: string, name: string): string {
  return `${base}/${escapePointer(name)}`;
}

/** `/external_references/0/url` -> "property 'external_references/0/url'", '' -> the object itself. */
function where(label: string, pointer: string): string {
  return pointer === '' ? label : `${label} property '${pointer.slice(1)}'`;
}

function paramString(params: Record<string, unknown>, key: string): string {
  const v = params[key];
  return typeof v === 'string' ? v : String(v);
}

/** The names of the properties listed by `required` errors among `errors` (the branches of an anyOf/oneOf). */
function requiredAlternatives(errors: readonly ErrorObject[], pointer: string): string[] {
  const names: string[] = [];
  for (const e of errors) {
    if (e.keyword === 'required' && e.instancePath === pointer) names.push(paramString(e.params, 'missingProperty'));
  }
  return names;
}

function patternName(e: ErrorObject): string | undefined {
  const parent: unknown = e.parentSchema;
  if (!isRecord(parent)) return undefined;
  const title = parent['title'];
  if (typeof title !== 'string') return undefined;
  // "Timestamp" -> "timestamp", but keep acronyms such as "MAC address" or "MD5 hash".
  const second = title.charAt(1);
  return second !== '' && second === second.toLowerCase() ? title.charAt(0).toLowerCase() + title.slice(1) : title;
}

function undefinedPropertyMessage(label: string, name: string): string {
  return `${label} has property '${name}', which is neither defined by STIX 2.1 nor a valid custom property name (3 to 250 of a-z, 0-9 and _)`;
}

function keywordCode(keyword: string): OutcomeCode {
  if (keyword === 'additionalProperties') return 'SCHEMA_ADDITIONAL_PROPERTY';
  const code = `SCHEMA_${keyword.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
  // The catalogue lists the code of every keyword the STIX schemas use (checked by its test); any other keyword
  // could only come from a schema change, and keeps the generic code until it is catalogued.
  return isOutcomeCode(code) ? code : 'SCHEMA_INVALID';
}

function issuesFromErrors(errors: readonly ErrorObject[] | null | undefined, label: string, objectId: string | undefined): ContentIssue[] {
  if (!errors || errors.length === 0) {
    return [issue('error', 'SCHEMA_INVALID', '', `${label} does not match its schema`, objectId)];
  }
  // With allErrors off, the last error is the keyword that decided the failure; the ones before it are
  // the failed branches of that keyword (anyOf, oneOf), used to explain it.
  const last = errors[errors.length - 1];
  if (last === undefined) return [];
  const d = describe(last, errors.slice(0, -1), label);
  // A failure inside if/then/else: the rule applies because of the value of another property.
  const conditional = last.schemaPath.includes('/then/') || last.schemaPath.includes('/else/');
  const message = conditional ? `${d.message} (because of the value of another property)` : d.message;
  return [issue('error', d.code, d.path, message, objectId)];
}

interface Described {
  readonly code: OutcomeCode;
  readonly path: string;
  readonly message: string;
}

function describe(e: ErrorObject, branches: readonly ErrorObject[], label: string): Described {
  const p = e.params;
  const at = e.instancePath;
  const code = keywordCode(e.keyword);
  switch (e.keyword) {
    case 'required': {
      const name = paramString(p, 'missingProperty');
      const path = childPointer(at, name);
      const owner = at === '' ? label : where(label, at);
      return { code, path, message: `${owner} is missing required property '${name}'` };
    }
    case 'dependencies': {
      const name = paramString(p, 'missingProperty');
      return {
        code,
        path: childPointer(at, name),
        message: `${where(label, childPointer(at, paramString(p, 'property')))} requires property '${name}'`,
      };
    }
    case 'additionalProperties': {
      const name = paramString(p, 'additionalProperty');
      if (at !== '') {
        return { code, path: childPointer(at, name), message: `${where(label, at)} has property '${name}', which is not allowed there` };
      }
      return {
        code,
        path: childPointer(at, name),
        message: undefinedPropertyMessage(label, name),
      };
    }
    case 'type':
      return { code, path: at, message: `${where(label, at)} must be of type ${paramString(p, 'type')}` };
    case 'pattern': {
      const name = patternName(e);
      return {
        code,
        path: at,
        message: name
          ? `${where(label, at)} is not a valid ${name}`
          : `${where(label, at)} does not match the pattern ${paramString(p, 'pattern')}`,
      };
    }
    case 'const':
      return { code, path: at, message: `${where(label, at)} must be ${JSON.stringify(p['allowedValue'])}` };
    case 'enum': {
      const allowed = Array.isArray(p['allowedValues']) ? p['allowedValues'].map((v) => JSON.stringify(v)).join(', ') : '';
      return { code, path: at, message: `${where(label, at)} must be one of ${allowed}` };
    }
    case 'minimum':
    case 'maximum':
      return {
        code,
        path: at,
        message: `${where(label, at)} must be ${e.keyword === 'minimum' ? '>=' : '<='} ${paramString(p, 'limit')}`,
      };
    case 'minItems':
      return { code, path: at, message: `${where(label, at)} must have at least ${paramString(p, 'limit')} item(s)` };
    case 'minProperties':
      return { code, path: at, message: `${where(label, at)} must have at least ${paramString(p, 'limit')} entry` };
    case 'propertyNames':
      return {
        code,
        path: childPointer(at, paramString(p, 'propertyName')),
        message: `${where(label, at)} has an invalid key (longer than 250 characters)`,
      };
    case 'anyOf':
    case 'oneOf': {
      const names = requiredAlternatives(branches, at);
      const owner = at === '' ? label : where(label, at);
      if (names.length > 0 && names.length === branches.length) {
        return {
          code,
          path: at,
          message: `${owner} must have ${e.keyword === 'oneOf' ? 'exactly' : 'at least'} one of the properties ${names.map((n) => `'${n}'`).join(', ')}`,
        };
      }
      if (e.keyword === 'oneOf' && Array.isArray(p['passingSchemas'])) {
        return { code, path: at, message: `${owner} matches more than one of the allowed alternatives` };
      }
      const first = branches[0];
      return first
        ? { code, path: at, message: `${owner} matches none of the allowed alternatives (first: ${describe(first, [], label).message})` }
        : { code, path: at, message: `${owner} matches none of the allowed alternatives` };
    }
    case 'not': {
      const schema: unknown = e.schema;
      const req = isRecord(schema) && Array.isArray(schema['required']) ? schema['required'].map(String) : [];
      const owner = at === '' ? label : where(label, at);
      if (req.length === 1)
        return { code, path: childPointer(at, req[0] ?? ''), message: `${owner} must not have property '${req[0] ?? ''}' here` };
      if (req.length > 1) return { code, path: at, message: `${owner} must not have ${req.map((n) => `'${n}'`).join(' and ')} together` };
      return { code, path: at, message: `${owner} matches a forbidden form` };
    }
    default:
      return { code, path: at, message: `${where(label, at)} fails the schema keyword '${e.keyword}'` };
  }
}
