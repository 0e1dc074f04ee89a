/**
 * The contract of the mapping layer (docs/architecture.md): converters are pure functions, text in, STIX 2.1 objects
 * and issues out; no I/O. Imports then go through the normal ingest pipeline (validation, normalization,
 * dedup), so converters emit plain STIX 2.1 and leave canonicalization to the pipeline.
 */
import type { ContentIssue } from '../stix/issues';

/** A STIX object as converters produce and consume it (validated later by the pipeline). */
export type StixObject = Record<string, unknown> & { readonly type: string; readonly id: string };

/** Native formats the gateway converts. */
export type NativeFormat = 'misp' | 'stix1' | 'openioc' | 'csv' | 'txt' | 'stix20' | 'stix21';

/** The CERT on whose behalf a file is imported (used when the file itself names no producer). */
export interface SourceContext {
  /** STIX identity id of the source CERT, used as created_by_ref when the format has no producer. */
  readonly identity?: string;
  /** Human name of the source (e.g. "US-CERT"), used in descriptions and deterministic ids. */
  readonly name?: string;
}

export interface ImportOptions {
  readonly source?: SourceContext;
  /** Timestamp to use for created/modified/valid_from when the input has none (RFC 3339, for determinism). */
  readonly now: string;
}

export interface ImportStats {
  readonly indicators: number;
  readonly observables: number;
  readonly otherObjects: number;
  /** Input records that produced nothing (each has an issue explaining why). */
  readonly skipped: number;
}

export interface ImportResult {
  /** The objects of the STIX 2.1 bundle produced (identities and markings included). */
  readonly objects: StixObject[];
  /** Everything lossy, skipped, guessed or wrong, with a position in the input. */
  readonly issues: ContentIssue[];
  readonly stats: ImportStats;
}

export interface ExportResult {
  /** The native document. */
  readonly output: string;
  /** Objects or properties that could not be represented. */
  readonly issues: ContentIssue[];
}
