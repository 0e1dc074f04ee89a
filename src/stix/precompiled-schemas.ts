/**
 * The STIX schema validator of the gateway and the CLI: the schemas of schemas/stix/ compiled at build time
 * (src/stix/generated/validators/, written by scripts/generate-stix-validators.ts with the ajv options of
 * src/stix/schema-validator.ts), so that starting a process neither loads ajv's code generator nor compiles a
 * schema. A type's code is loaded on its first use: a small file loads the few types it holds. The checks
 * around the schemas are the same as with run-time compilation (src/stix/schema-check.ts);
 * test/unit/stix/schemas/precompiled-schemas.test.ts fails when the generated code is older than the schemas.
 */
import type { ValidateFunction } from 'ajv';
import { loadBundleValidator, loadCustomObjectValidator, loadTypeValidator, STIX_TYPES } from './generated/validators/index';
import { type CompiledSchemaSource, type SchemaValidator, type TypeEntry, validatorFrom } from './schema-check';

class PrecompiledSchemas implements CompiledSchemaSource {
  private readonly entries = new Map<string, TypeEntry>();
  private customFn: ValidateFunction | undefined;
  private bundleFn: ValidateFunction | undefined;

  entry(type: string): TypeEntry | undefined {
    const done = this.entries.get(type);
    if (done !== undefined) return done;
    const loaded = loadTypeValidator(type);
    if (loaded === undefined) return undefined;
    const entry: TypeEntry = { validate: loaded.validate, declared: new Set(loaded.declared) };
    this.entries.set(type, entry);
    return entry;
  }

  custom(): ValidateFunction {
    return (this.customFn ??= loadCustomObjectValidator());
  }

  bundle(): ValidateFunction {
    return (this.bundleFn ??= loadBundleValidator());
  }

  types(): Iterable<string> {
    return STIX_TYPES;
  }

  loadAll(): void {
    for (const type of STIX_TYPES) this.entry(type);
    this.custom();
    this.bundle();
  }
}

/**
 * The validator over the precompiled schemas: every type's code loaded now, or with `lazy` each on its first
 * use (the offline CLI commands: a small file names few types).
 */
export function createPrecompiledSchemaValidator(options: { readonly lazy?: boolean } = {}): SchemaValidator {
  const schemas = new PrecompiledSchemas();
  if (options.lazy !== true) schemas.loadAll();
  return validatorFrom(schemas);
}
