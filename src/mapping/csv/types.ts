/**
 * The declarative column mapping of one CSV source (configured per collection in collections.yaml, or
 * guessed by detectCsvMapping). Field names are snake_case like the YAML file; the JSON Schema of this type
 * is csv-mapping.schema.json beside this file and must be kept in step with it.
 */
import type { TlpLevel } from '../../stix/markings';

/** What a typed value column or a type-column word stands for. */
export type CsvValueType =
  | 'ipv4-addr'
  | 'ipv6-addr'
  /** IPv4 or IPv6, decided per value. */
  | 'ip'
  | 'domain-name'
  | 'url'
  | 'email-addr'
  | 'file-name'
  /** A mutex name (OTX `Mutex` rows): `[mutex:name = '…']`. */
  | 'mutex'
  | 'md5'
  | 'sha1'
  | 'sha256'
  | 'sha512'
  /** Any of the hashes, decided by length. */
  | 'hash'
  | 'autonomous-system'
  | 'cve'
  /** Decided per value by inferValueType. */
  | 'infer'
  /** The row is not an indicator (metadata rows such as `Description,<text>`): skipped with an info issue. */
  | 'skip';

export type CsvColumnRole =
  /** An indicator value, typed by `value_type`, else by the row's type column, else inferred. */
  | 'value'
  /** The type of the row's `value` column, as a word of the source's vocabulary ("IP", "SHA256"). */
  | 'type'
  /** Indicator name (a file name next to hashes also becomes the name). */
  | 'name'
  /** Added to the description; several description columns are joined as `Header: text`. */
  | 'description'
  /** valid_from. */
  | 'first_seen'
  /** valid_until (dropped when not after valid_from). */
  | 'last_seen'
  /** labels; split on `,`, `;` and `|`. */
  | 'tags'
  /** confidence: 0–100 or none/low/medium/high. */
  | 'confidence'
  /** TLP of the row: `TLP:AMBER`, `amber`, `white`, `clear`, `amber+strict`. */
  | 'tlp'
  /** Read and deliberately not used. */
  | 'ignore';

export interface CsvColumn {
  /** Header name(s) the column is found by: case-, space-, `_`- and `-`-insensitive, any script. */
  readonly header?: string | readonly string[];
  /** 0-based column index; used when there is no header row, or when no header name matches. */
  readonly index?: number;
  readonly role: CsvColumnRole;
  /** For `value` columns holding one kind of value (`md5`, `domain-name`, ...). */
  readonly value_type?: CsvValueType;
}

/** Rows to skip: a cell equal to one of the words (case-insensitive, trimmed), or starting with a prefix. */
export interface CsvSkipRule {
  readonly header?: string;
  readonly index?: number;
  readonly equals?: readonly string[];
  readonly prefix?: string;
}

export interface CsvMapping {
  /** `auto` (default) guesses among `,` `;` tab `|`. */
  readonly delimiter?: ',' | ';' | '\t' | '|' | 'auto';
  /** Quote character, default `"`. */
  readonly quote?: string;
  /** Default `auto`: UTF-8 (BOM or not) when valid, else windows-1251. */
  readonly encoding?: 'utf-8' | 'windows-1251' | 'auto';
  /** Whether the first row is a header (default true). */
  readonly header?: boolean;
  readonly columns: readonly CsvColumn[];
  /**
   * Extra type words of this source, mapped to value types (merged over the built-in vocabulary; keys are
   * compared like header names).
   */
  readonly type_values?: Readonly<Record<string, CsvValueType>>;
  readonly skip?: readonly CsvSkipRule[];
  /** Rows whose first cell starts with this are comments (default `#`; empty string disables). */
  readonly comment_prefix?: string;
  /** TLP of rows without a TLP cell. */
  readonly default_tlp?: TlpLevel;
  /** indicator_types of every indicator (default ["malicious-activity"]). */
  readonly indicator_types?: readonly string[];
  /** Longest field accepted (default 65536 characters). */
  readonly max_field_length?: number;
}
