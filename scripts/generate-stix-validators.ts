/**
 * Generates src/stix/generated/validators/ from the STIX 2.1 schemas in schemas/stix/: for each STIX type (and
 * for the custom-object fallback and the bundle envelope) the code ajv would compile at run time, written out
 * once as ajv standalone code with the options of src/stix/schema-validator.ts, one CommonJS file per type, and
 * an index that loads a type's file on its first use. The gateway and the CLI read them through
 * src/stix/precompiled-schemas.ts, so neither loads ajv's code generator nor compiles a schema when it starts,
 * and a small file loads the code of the few types it holds.
 *
 *   npx tsx scripts/generate-stix-validators.ts           writes the files
 *   npx tsx scripts/generate-stix-validators.ts --check   exits 1 when the committed files are out of date
 *
 * test/unit/stix/schemas/precompiled-schemas.test.ts runs the check, so a schema change without regenerating
 * fails the tests.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import standaloneCode from 'ajv/dist/standalone';
import { loadStixSchemas, newAjv, schemaRoles, type JsonSchema, type StixSchemaFile } from '../src/stix/schema-validator';

export const GENERATED_VALIDATORS_DIR = join(__dirname, '..', 'src', 'stix', 'generated', 'validators');

/** File names of the two schemas that are not a STIX type's (a type name never starts with `_`). */
const CUSTOM_FILE = '_custom-object.js';
const BUNDLE_FILE = '_bundle.js';

const BANNER = `/* eslint-disable */
/**
 * GENERATED from schemas/stix/ by scripts/generate-stix-validators.ts (ajv standalone code). Do not edit by
 * hand: change the schemas and run \`npx tsx scripts/generate-stix-validators.ts\`.
 */`;

const INDEX_TYPES = `${BANNER}
import type { ValidateFunction } from 'ajv';
import type { StixObject } from '../stix-types';

export interface PrecompiledTypeValidator {
  /** The type's compiled schema. */
  readonly validate: ValidateFunction<StixObject>;
  /** The property names the schema declares. */
  readonly declared: readonly string[];
}

/** The STIX types with a schema, sorted. */
export declare const STIX_TYPES: readonly string[];
/** The compiled schema of a STIX type (its file is loaded on the first call), or undefined for another type. */
export declare function loadTypeValidator(type: string): PrecompiledTypeValidator | undefined;
/** The schema of objects whose type has none of its own (common/custom-object.json). */
export declare function loadCustomObjectValidator(): ValidateFunction;
/** The bundle envelope's schema (bundle.json). */
export declare function loadBundleValidator(): ValidateFunction;
`;

function declaredProperties(schema: JsonSchema): string[] {
  const props = schema['properties'];
  return typeof props === 'object' && props !== null && !Array.isArray(props) ? Object.keys(props) : [];
}

/** One schema's standalone module: `exports.validate` and `exports.declared`. */
function moduleOf(schemas: readonly StixSchemaFile[], schema: JsonSchema): string {
  const id = schema['$id'];
  if (typeof id !== 'string') throw new Error('schema without $id');
  // A fresh instance per schema: the file holds only what this schema needs, numbered the same every time.
  const ajv = newAjv(schemas, { code: { source: true, lines: false } });
  ajv.getSchema(id);
  const code = standaloneCode(ajv, { validate: id });
  return `${BANNER}\n${code}\nexports.declared = ${JSON.stringify(declaredProperties(schema))};\n`;
}

/** Renders every generated file as text: file name → content (deterministic). */
export function generateStixValidators(): Map<string, string> {
  const schemas = loadStixSchemas();
  const roles = schemaRoles(schemas);
  const types = [...roles.byType.keys()].sort();
  const files = new Map<string, string>();
  for (const type of types) {
    const schema = roles.byType.get(type);
    if (schema !== undefined) files.set(`${type}.js`, moduleOf(schemas, schema));
  }
  files.set(CUSTOM_FILE, moduleOf(schemas, roles.custom));
  files.set(BUNDLE_FILE, moduleOf(schemas, roles.bundle));
  const loaders = types.map((t) => `  ${JSON.stringify(t)}: () => require(${JSON.stringify(`./${t}.js`)}),`).join('\n');
  files.set(
    'index.js',
    `${BANNER}
"use strict";
const loaders = {
${loaders}
};
const loaded = new Map();
exports.STIX_TYPES = Object.freeze(Object.keys(loaders));
exports.loadTypeValidator = (type) => {
  if (!Object.prototype.hasOwnProperty.call(loaders, type)) return undefined;
  let entry = loaded.get(type);
  if (entry === undefined) {
    const m = loaders[type]();
    entry = Object.freeze({ validate: m.validate, declared: m.declared });
    loaded.set(type, entry);
  }
  return entry;
};
exports.loadCustomObjectValidator = () => require(${JSON.stringify(`./${CUSTOM_FILE}`)}).validate;
exports.loadBundleValidator = () => require(${JSON.stringify(`./${BUNDLE_FILE}`)}).validate;
`,
  );
  files.set('index.d.ts', INDEX_TYPES);
  return files;
}

/** The generated files that differ from the committed ones, and committed files no longer generated. */
export function staleFiles(files: ReadonlyMap<string, string>, dir: string = GENERATED_VALIDATORS_DIR): string[] {
  let present: string[];
  try {
    present = readdirSync(dir);
  } catch {
    return [...files.keys()];
  }
  const stale = present.filter((name) => !files.has(name));
  for (const [name, text] of files) {
    if (!present.includes(name) || readFileSync(join(dir, name), 'utf8') !== text) stale.push(name);
  }
  return stale.sort();
}

function main(): void {
  const files = generateStixValidators();
  if (process.argv.includes('--check')) {
    const stale = staleFiles(files);
    if (stale.length > 0) {
      process.stderr.write(
        `src/stix/generated/validators/ is out of date with schemas/stix/ (${stale.join(', ')})\nrun: npx tsx scripts/generate-stix-validators.ts\n`,
      );
      process.exit(1);
    }
    return;
  }
  rmSync(GENERATED_VALIDATORS_DIR, { recursive: true, force: true });
  mkdirSync(GENERATED_VALIDATORS_DIR, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(GENERATED_VALIDATORS_DIR, name), text);
}

if (require.main === module) main();
