/* eslint-disable */
/**
 * GENERATED from schemas/stix/ by scripts/generate-stix-validators.ts (ajv standalone code). Do not edit by
 * hand: change the schemas and run `npx tsx scripts/generate-stix-validators.ts`.
 */
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
