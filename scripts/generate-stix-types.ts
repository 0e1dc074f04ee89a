/**
 * Generates src/stix/generated/stix-types.ts from the STIX 2.1 schemas in schemas/stix/ with
 * json-schema-to-typescript: one interface per object type and the union `StixObject`, discriminated on `type`.
 *
 *   npx tsx scripts/generate-stix-types.ts           writes the file
 *   npx tsx scripts/generate-stix-types.ts --check   exits 1 when the committed file is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { loadStixSchemas, STIX_SCHEMA_DIR, type JsonSchema } from '../src/stix/schema-validator';

export const GENERATED_TYPES_FILE = join(__dirname, '..', 'src', 'stix', 'generated', 'stix-types.ts');

const BANNER = `/* eslint-disable */
/**
 * GENERATED from schemas/stix/ by scripts/generate-stix-types.ts. Do not edit by hand:
 * change the schemas and run \`npx tsx scripts/generate-stix-types.ts\`.
 */`;

/** Keywords that only constrain values (which properties go together): they carry no type information. */
const CONSTRAINT_KEYWORDS = new Set(['anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else', 'dependencies', 'pattern']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The schema as the type generator should see it: constraint-only keywords removed (they would turn the
 * interfaces into intersections), `$ref` siblings removed (each would become a numbered copy of the referenced
 * type), titles kept only on object schemas and whole files (string formats become plain `string`), and
 * pattern properties folded into one index signature.
 */
function forTypes(node: unknown, depth = 0): unknown {
  if (depth > 64) throw new Error('schema nesting too deep');
  if (Array.isArray(node)) return node.map((n) => forTypes(n, depth + 1));
  if (!isRecord(node)) return node;
  if (typeof node['$ref'] === 'string') return { $ref: node['$ref'] };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (CONSTRAINT_KEYWORDS.has(key)) continue;
    if (key === 'patternProperties' && isRecord(value)) {
      // The generator cannot express key patterns: one index signature of the (common) value type.
      out['additionalProperties'] = indexSignatureSchema(node, value, depth);
      continue;
    }
    if (key === 'additionalProperties' && isRecord(node['patternProperties'])) continue;
    if (key === 'title' && node['type'] !== 'object' && depth > 0) continue;
    if (key === '$id' || key === '$schema') continue;
    const isMap = key === 'properties' || key === 'patternProperties' || key === 'definitions';
    if (isMap && isRecord(value)) {
      const map: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value)) map[name] = forTypes(sub, depth + 1);
      out[key] = map;
    } else {
      out[key] = forTypes(value, depth + 1);
    }
  }
  return out;
}

/**
 * The value schema of the one index signature standing for `patternProperties`: their common value schema when
 * every named property also fits it (same `type`), else `{}` (unknown), so that TypeScript accepts the named
 * properties next to the index signature.
 */
function indexSignatureSchema(node: Record<string, unknown>, patterns: Record<string, unknown>, depth: number): unknown {
  const values = Object.values(patterns).map((v) => JSON.stringify(forTypes(v, depth + 1)));
  const first = values[0];
  if (first === undefined || !values.every((v) => v === first)) return {};
  const common: unknown = JSON.parse(first);
  const props = node['properties'];
  if (!isRecord(props) || Object.keys(props).length === 0) return common;
  const commonType = isRecord(common) ? common['type'] : undefined;
  if (typeof commonType !== 'string') return {};
  return Object.values(props).every((p) => isRecord(p) && p['type'] === commonType) ? common : {};
}

/**
 * The common properties written alike in many object schemas, generated once as a base interface that each
 * object interface extends, instead of once per object. Each is a schema of its own, served to the generator
 * under a path below common/ that does not exist on disk. A base applies to an object schema whose properties
 * include every one of the base's, as the same reference and with the same required-ness. A base `definedIn`
 * an object schema takes its properties as that schema writes them, and applies to the object schemas that
 * write them alike (ipv4-addr and ipv6-addr, whose properties STIX 2.1 defines the same).
 */
interface BaseSchema {
  readonly path: string;
  readonly title: string;
  readonly description: string;
  /** The base this one extends (its path), if any. */
  readonly parent?: string;
  /** Its own properties (its parent's come on top) and which of them are required. */
  readonly properties: readonly string[];
  readonly required: readonly string[];
  /** The object schema whose own property definitions the base takes (else each is the common one of properties.json). */
  readonly definedIn?: string;
}

/** Most specific first: an object schema extends the first base that fits it. */
const BASES: readonly BaseSchema[] = [
  {
    path: 'common/named-activity-common.json',
    title: 'NamedActivityCommon',
    description:
      'A name, its aliases and when it was seen, as campaign, infrastructure, intrusion-set and threat-actor define them alike (STIX 2.1 §4).',
    parent: 'common/sdo-sro-common.json',
    properties: ['id', 'name', 'description', 'aliases', 'first_seen', 'last_seen'],
    required: ['id', 'name'],
    definedIn: 'sdo/campaign.json',
  },
  {
    path: 'common/ip-addr-common.json',
    title: 'IpAddrCommon',
    description: 'The properties of ipv4-addr and ipv6-addr but their type (STIX 2.1 §6.4, §6.5), defined alike.',
    parent: 'common/sco-common.json',
    properties: ['id', 'extensions', 'value', 'resolves_to_refs', 'belongs_to_refs'],
    required: ['id', 'value'],
    definedIn: 'sco/ipv4-addr.json',
  },
  {
    path: 'common/sdo-sro-common.json',
    title: 'SdoSroCommon',
    description: 'The common properties of SDOs and SROs (STIX 2.1 §3.2).',
    parent: 'common/versioned-common.json',
    properties: ['lang'],
    required: [],
  },
  {
    path: 'common/versioned-common.json',
    title: 'VersionedCommon',
    description: 'The common properties of versioned objects: SDOs, SROs and language contents (STIX 2.1 §3.2).',
    properties: [
      'spec_version',
      'created_by_ref',
      'created',
      'modified',
      'revoked',
      'labels',
      'confidence',
      'external_references',
      'object_marking_refs',
      'granular_markings',
      'extensions',
    ],
    required: ['spec_version', 'created', 'modified'],
  },
  {
    path: 'common/sco-common.json',
    title: 'ScoCommon',
    description: 'The common properties of SCOs (STIX 2.1 §3.2).',
    properties: ['spec_version', 'object_marking_refs', 'granular_markings', 'defanged'],
    required: [],
  },
];

const COMMON_PROPERTY_REF = '../common/properties.json#/definitions/';

/** The base and its ancestors, nearest first. */
function lineage(base: BaseSchema): BaseSchema[] {
  const parent = BASES.find((b) => b.path === base.parent);
  return parent === undefined ? [base] : [base, ...lineage(parent)];
}

/** The schema of a base's property: as its `definedIn` schema writes it, else the common reference. */
function baseProperty(prepared: ReadonlyMap<string, JsonSchema>, base: BaseSchema, name: string, ref: string): unknown {
  if (base.definedIn === undefined) return { $ref: ref + name };
  const props = prepared.get(base.definedIn)?.['properties'];
  const prop = isRecord(props) ? props[name] : undefined;
  if (prop === undefined) throw new Error(`${base.definedIn} has no property ${name} for ${base.title}`);
  return prop;
}

/** Whether `schema` has every property of `base` as the base defines it, required exactly where the base's is. */
function fitsBase(prepared: ReadonlyMap<string, JsonSchema>, schema: JsonSchema, base: BaseSchema): boolean {
  const props = schema['properties'];
  const required = Array.isArray(schema['required']) ? (schema['required'] as unknown[]) : [];
  if (!isRecord(props)) return false;
  return lineage(base).every((b) =>
    b.properties.every((name) => {
      const expected = JSON.stringify(baseProperty(prepared, b, name, COMMON_PROPERTY_REF));
      return JSON.stringify(props[name]) === expected && required.includes(name) === b.required.includes(name);
    }),
  );
}

function refFrom(from: string, to: string): string {
  return relative(dirname(from), to).split(sep).join('/') || to;
}

/**
 * Adds the base schemas and makes each object schema that fits one extend it (the most specific that fits)
 * instead of repeating its properties.
 */
function extractBases(prepared: Map<string, JsonSchema>, objectPaths: readonly string[]): void {
  // Bases are read off the object schemas as written, before any of them is rewritten to extend one.
  const original: ReadonlyMap<string, JsonSchema> = new Map(prepared);
  const baseSchemas = BASES.map((base) => ({
    base,
    properties: Object.fromEntries(
      base.properties.map((name) => [name, baseProperty(original, base, name, './properties.json#/definitions/')]),
    ),
  }));
  for (const { base, properties } of baseSchemas) {
    prepared.set(base.path, {
      title: base.title,
      description: base.description,
      type: 'object',
      ...(base.parent === undefined ? {} : { extends: [{ $ref: refFrom(base.path, base.parent) }] }),
      properties,
      ...(base.required.length === 0 ? {} : { required: [...base.required] }),
    });
  }
  for (const p of objectPaths) {
    const schema = prepared.get(p);
    const props = schema?.['properties'];
    const base = schema === undefined ? undefined : BASES.find((b) => fitsBase(original, schema, b));
    if (schema === undefined || !isRecord(props) || base === undefined) continue;
    const inherited = new Set(lineage(base).flatMap((b) => b.properties));
    const required = Array.isArray(schema['required']) ? (schema['required'] as unknown[]) : [];
    prepared.set(p, {
      ...schema,
      extends: [{ $ref: refFrom(p, base.path) }],
      properties: Object.fromEntries(Object.entries(props).filter(([name]) => !inherited.has(name))),
      required: required.filter((name) => typeof name !== 'string' || !inherited.has(name)),
    });
  }
}

/** The path below schemas/stix/ of a URL or path the ref parser asks for, or undefined when outside. */
function schemaPathOf(url: string): string | undefined {
  const file = url.startsWith('file:') ? fileURLToPath(url) : url;
  if (!isAbsolute(file)) return undefined;
  const rel = relative(STIX_SCHEMA_DIR, file.split('#')[0] ?? file);
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** Renders the generated module as text (deterministic: schemas sorted by path, fixed formatting). */
export async function generateStixTypes(): Promise<string> {
  const all = loadStixSchemas();
  const prepared = new Map<string, JsonSchema>();
  for (const s of all) {
    const t = forTypes(s.schema);
    if (isRecord(t)) prepared.set(s.path, t);
  }
  const objectSchemas = all
    .filter((s) => s.stixType !== undefined && s.stixType !== 'bundle')
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  extractBases(
    prepared,
    objectSchemas.map((s) => s.path),
  );
  const root: JSONSchema = {
    title: 'StixObject',
    description: 'Any STIX 2.1 object this project has a schema for, discriminated on `type`.',
    anyOf: objectSchemas.map((s) => ({ $ref: `./${s.path}` })),
  };
  const body = await compile(root, 'StixObject', {
    cwd: STIX_SCHEMA_DIR,
    $refOptions: {
      resolve: {
        file: false,
        http: false,
        stixSchemas: {
          order: 1,
          canRead: (file: { url: string }) => {
            const p = schemaPathOf(file.url);
            return p !== undefined && prepared.has(p);
          },
          read: (file: { url: string }) => {
            const p = schemaPathOf(file.url);
            const schema = p === undefined ? undefined : prepared.get(p);
            if (schema === undefined) throw new Error(`unknown schema ${file.url}`);
            return JSON.stringify(schema);
          },
        },
      },
    },
    bannerComment: BANNER,
    declareExternallyReferenced: true,
    unknownAny: true,
    ignoreMinAndMaxItems: true,
    strictIndexSignatures: true,
    additionalProperties: true,
    format: true,
    style: { singleQuote: true, printWidth: 120, trailingComma: 'all' },
  });
  return body;
}

async function main(): Promise<void> {
  const text = await generateStixTypes();
  if (process.argv.includes('--check')) {
    const current = readFileSync(GENERATED_TYPES_FILE, 'utf8');
    if (current !== text) {
      process.stderr.write('src/stix/generated/stix-types.ts is out of date: run npx tsx scripts/generate-stix-types.ts\n');
      process.exit(1);
    }
    return;
  }
  writeFileSync(GENERATED_TYPES_FILE, text);
  process.stdout.write(`wrote ${GENERATED_TYPES_FILE}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
