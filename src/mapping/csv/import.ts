/**
 * CSV IOC list → STIX 2.1 indicators, driven by a declarative column mapping (configured, or guessed by
 * detectCsvMapping). One indicator per value; the hashes of one row are one file indicator. Pure: no I/O.
 *
 * A pipeline of small steps: parse (text → records) → rows (which columns mean what, which rows are skipped)
 * → values (the typed values of a row) → objects (one indicator per value, the row's fields as context) →
 * report (the collected objects, issues and counts).
 */
import type { TlpLevel } from '../../stix/markings';
import { issue, type ContentIssue } from '../../stix/issues';
import { inferValueType, isPlaceholder, type HashAlgorithm, type InferredValue } from '../common/infer-type';
import { emptyImport, ObjectCollector } from '../common/object-collector';
import type { ImportOptions, ImportResult, StixObject } from '../types';
import { decodeText } from './decode-text';
import { detectCsvMapping, uncommentHeader } from './detect-mapping';
import { csvPosition, DEFAULT_DIALECT, detectDelimiter, parseCsv, type CsvDialect, type CsvRecord } from './parse-csv';
import { parseCsvDate } from './parse-date';
import type { CsvColumn, CsvColumnRole, CsvMapping, CsvSkipRule, CsvValueType } from './types';
import {
  confidenceFromText,
  objectForFileHashes,
  objectForValue,
  readTypedValue,
  sourceProducer,
  tlpFromText,
  type ValueContext,
} from './value-objects';
import { normalizeKey, TYPE_WORDS } from './vocabulary';

export interface CsvImportOptions extends ImportOptions {
  /** The source's column mapping; guessed from the header (or content) when absent. */
  readonly mapping?: CsvMapping;
}

export interface ResolvedColumn {
  readonly index: number;
  readonly role: CsvColumnRole;
  readonly valueType?: CsvValueType;
  /** The header cell (or `column N`), used to label description parts. */
  readonly label: string;
}

export interface ResolvedSkip {
  readonly index: number;
  readonly equals?: ReadonlySet<string>;
  readonly prefix?: string;
}

const MAX_TAGS = 32;

function headerNames(c: CsvColumn | CsvSkipRule): readonly string[] {
  if (c.header === undefined) return [];
  return typeof c.header === 'string' ? [c.header] : c.header;
}

/** Finds each configured column in the header row (by name) or by index; reports those not found. */
function resolveColumns(mapping: CsvMapping, header: readonly string[] | undefined, issues: ContentIssue[]): ResolvedColumn[] {
  const byName = new Map<string, number>();
  header?.forEach((h, i) => {
    const key = normalizeKey(h);
    if (key.length > 0 && !byName.has(key)) byName.set(key, i);
  });
  const resolved: ResolvedColumn[] = [];
  for (const c of mapping.columns) {
    const names = headerNames(c);
    let index: number | undefined;
    for (const n of names) {
      index = byName.get(normalizeKey(n));
      if (index !== undefined) break;
    }
    index ??= c.index;
    if (index === undefined) {
      issues.push(
        issue('warning', 'CSV_COLUMN_NOT_FOUND', csvPosition(1), `CSV: no column named ${names.map((n) => `"${n}"`).join(' or ')}`),
      );
      continue;
    }
    const label = header?.[index]?.trim() || names[0] || `column ${index + 1}`;
    resolved.push(c.value_type === undefined ? { index, role: c.role, label } : { index, role: c.role, valueType: c.value_type, label });
  }
  return resolved;
}

function resolveSkips(mapping: CsvMapping, header: readonly string[] | undefined): ResolvedSkip[] {
  const out: ResolvedSkip[] = [];
  for (const rule of mapping.skip ?? []) {
    const key = rule.header === undefined ? undefined : normalizeKey(rule.header);
    const found = key === undefined ? -1 : (header?.findIndex((h) => normalizeKey(h) === key) ?? -1);
    const index = found >= 0 ? found : rule.index;
    if (index === undefined) continue;
    const equals = rule.equals === undefined ? undefined : new Set(rule.equals.map((e) => e.trim().toLowerCase()));
    out.push({ index, ...(equals ? { equals } : {}), ...(rule.prefix !== undefined ? { prefix: rule.prefix } : {}) });
  }
  return out;
}

/** The earliest first_seen/last_seen date of the data rows, or undefined when the file has none. */
function earliestDate(rows: readonly CsvRecord[], columns: readonly ResolvedColumn[]): string | undefined {
  let earliest: string | undefined;
  for (const c of columns) {
    if (c.role !== 'first_seen' && c.role !== 'last_seen') continue;
    for (const r of rows) {
      const v = (r.fields[c.index] ?? '').trim();
      const ts = v.length === 0 ? undefined : parseCsvDate(v);
      if (ts !== undefined && (earliest === undefined || ts < earliest)) earliest = ts;
    }
  }
  return earliest;
}

// ── step 1: parse ───────────────────────────────────────────────────────────────────────────────────────

/** The mapping in force and the data records (comment rows and the header row taken out). */
export interface ParsedCsv {
  readonly mapping: CsvMapping;
  readonly header: readonly string[] | undefined;
  readonly dataRows: readonly CsvRecord[];
}

/** Guesses the mapping from the text, and says so with an info issue. */
function guessMapping(text: string, issues: ContentIssue[]): CsvMapping {
  const mapping = detectCsvMapping(text);
  const summary = mapping.columns.map((c) => `${c.header ?? `#${c.index ?? '?'}`}→${c.role}${c.value_type ? `:${c.value_type}` : ''}`);
  issues.push(issue('info', 'CSV_MAPPING_GUESSED', csvPosition(1), `CSV: no mapping configured; guessed ${summary.join(', ')}`));
  return mapping;
}

function dialectOf(mapping: CsvMapping, text: string): CsvDialect {
  const quote = mapping.quote ?? '"';
  const delimiter = mapping.delimiter === undefined || mapping.delimiter === 'auto' ? detectDelimiter(text, quote) : mapping.delimiter;
  return { ...DEFAULT_DIALECT, delimiter, quote, maxFieldLength: mapping.max_field_length ?? DEFAULT_DIALECT.maxFieldLength };
}

/** Decodes and parses the file; undefined (with an error issue) when it cannot be read as CSV. */
export function parseCsvFile(input: string | Buffer, configured: CsvMapping | undefined, issues: ContentIssue[]): ParsedCsv | undefined {
  const decoded = decodeText(input, configured?.encoding ?? 'auto', 'CSV');
  issues.push(...decoded.issues);
  if (decoded.text === undefined) return undefined;
  const text = uncommentHeader(decoded.text, configured?.comment_prefix ?? '#');
  const mapping = configured ?? guessMapping(text, issues);
  const parsed = parseCsv(text, dialectOf(mapping, text));
  issues.push(...parsed.issues);
  if (parsed.issues.some((i) => i.severity === 'error')) return undefined;

  const commentPrefix = mapping.comment_prefix ?? '#';
  const records = parsed.records.filter((r) => commentPrefix === '' || !(r.fields[0] ?? '').trim().startsWith(commentPrefix));
  const hasHeader = mapping.header ?? true;
  return { mapping, header: hasHeader ? records[0]?.fields : undefined, dataRows: hasHeader ? records.slice(1) : records };
}

// ── step 2: rows ────────────────────────────────────────────────────────────────────────────────────────

/** How every row of the file is read: the mapped columns found, the skip rules, the type words. */
export interface RowReader {
  readonly mapping: CsvMapping;
  readonly columns: readonly ResolvedColumn[];
  readonly typeColumn: ResolvedColumn | undefined;
  /** Several description columns label their parts with the column's header. */
  readonly labelDescriptions: boolean;
  readonly typeWords: Readonly<Record<string, CsvValueType>>;
  readonly skips: readonly ResolvedSkip[];
}

/** Resolves the mapping against the header; undefined (with an error issue) when no value column exists. */
export function rowReader(parsed: ParsedCsv, issues: ContentIssue[]): RowReader | undefined {
  const { mapping, header } = parsed;
  const columns = resolveColumns(mapping, header, issues);
  if (!columns.some((c) => c.role === 'value')) {
    issues.push(issue('error', 'CSV_NO_VALUE_COLUMN', csvPosition(1), 'CSV: none of the mapped value columns is present in the file'));
    return undefined;
  }
  const typeWords: Record<string, CsvValueType> = { ...TYPE_WORDS };
  for (const [word, t] of Object.entries(mapping.type_values ?? {})) typeWords[normalizeKey(word)] = t;
  return {
    mapping,
    columns,
    typeColumn: columns.find((c) => c.role === 'type'),
    labelDescriptions: columns.filter((c) => c.role === 'description').length > 1,
    typeWords,
    skips: resolveSkips(mapping, header),
  };
}

/** A row matched by a skip rule or typed `skip`, a row of blank cells, or a data row and its type-column type. */
type RowKind =
  { readonly kind: 'skipped' } | { readonly kind: 'blank' } | { readonly kind: 'data'; readonly rowType: CsvValueType | undefined };

function classifyRow(record: CsvRecord, reader: RowReader, issues: ContentIssue[]): RowKind {
  const rowSkip = reader.skips.find((s) => {
    const v = (record.fields[s.index] ?? '').trim();
    return (s.equals?.has(v.toLowerCase()) ?? false) || (s.prefix !== undefined && v.startsWith(s.prefix));
  });
  if (rowSkip !== undefined) {
    issues.push(issue('info', 'CSV_ROW_SKIPPED', csvPosition(record.line, rowSkip.index + 1), 'CSV: row matches a skip rule'));
    return { kind: 'skipped' };
  }
  if (record.fields.every((f) => f.trim() === '')) return { kind: 'blank' };
  const typeColumn = reader.typeColumn;
  if (typeColumn === undefined) return { kind: 'data', rowType: undefined };

  const word = (record.fields[typeColumn.index] ?? '').trim();
  const at = csvPosition(record.line, typeColumn.index + 1);
  const rowType = reader.typeWords[normalizeKey(word)];
  if (rowType === undefined && word.length > 0) {
    issues.push(issue('warning', 'CSV_UNKNOWN_TYPE', at, `CSV: type "${word.slice(0, 64)}" is not mapped; value type inferred`));
    return { kind: 'data', rowType: 'infer' };
  }
  if (rowType === 'skip') {
    issues.push(issue('info', 'CSV_ROW_SKIPPED', at, `CSV: row type "${word.slice(0, 64)}" is not an indicator`));
    return { kind: 'skipped' };
  }
  return { kind: 'data', rowType };
}

// ── step 3: values ──────────────────────────────────────────────────────────────────────────────────────

interface PlacedValue {
  readonly value: InferredValue;
  readonly position: string;
}

/** The usable values of one row: the hashes (one of each algorithm) describe one file; the rest stand alone. */
export interface RowValues {
  readonly values: readonly PlacedValue[];
  readonly hashes: ReadonlyMap<HashAlgorithm, string>;
  /** Position of the first hash, for issues about the file indicator. */
  readonly hashPosition: string;
}

/** Reads one cell value as its column's (or row's) type; undefined, with an issue, when it is unusable. */
function readCell(cell: string, type: CsvValueType, position: string, issues: ContentIssue[]): InferredValue | undefined {
  const result = readTypedValue(cell, type);
  if (typeof result === 'string') {
    const masked = inferValueType(cell).masked === true;
    issues.push(
      issue(
        masked ? 'info' : 'warning',
        masked ? 'VALUE_MASKED' : 'CSV_VALUE_NOT_RECOGNIZED',
        position,
        `CSV: "${cell.slice(0, 80)}" skipped: ${result}`,
      ),
    );
    return undefined;
  }
  if (result.refanged) issues.push(issue('info', 'REFANGED', position, `CSV: defanged value "${cell.slice(0, 80)}" refanged`));
  return result;
}

export function rowValues(record: CsvRecord, reader: RowReader, rowType: CsvValueType | undefined, issues: ContentIssue[]): RowValues {
  const values: PlacedValue[] = [];
  const hashes = new Map<HashAlgorithm, string>();
  let hashPosition = '';
  for (const c of reader.columns) {
    if (c.role !== 'value') continue;
    const position = csvPosition(record.line, c.index + 1);
    // A cell may list several values, one per line ("Passport.docx\ninstruction.docx").
    const cells = (record.fields[c.index] ?? '')
      .split(/\r?\n/)
      .map((v) => v.trim())
      .filter((v) => v.length > 0);
    for (const cell of cells) {
      const value = readCell(cell, c.valueType ?? rowType ?? 'infer', position, issues);
      if (value === undefined) continue;
      if (value.type === 'file-hash' && value.hashAlgorithm !== undefined && !hashes.has(value.hashAlgorithm)) {
        hashes.set(value.hashAlgorithm, value.value);
        hashPosition ||= position;
      } else {
        values.push({ value, position });
      }
    }
  }
  return { values, hashes, hashPosition };
}

// ── step 4: objects ─────────────────────────────────────────────────────────────────────────────────────

/** What the whole file shares: its time (the earliest date in it, else the import's `now`), source and producer. */
interface ImportScope {
  readonly fileTime: string;
  readonly sourceName: string;
  readonly createdByRef: string | undefined;
}

/** The row's non-value cells, read by role. */
interface RowFields {
  validFrom?: string;
  validUntil?: string;
  tlp?: TlpLevel;
  confidence?: number;
  name?: string;
  readonly labels: string[];
  readonly descriptions: string[];
}

function readRowFields(record: CsvRecord, reader: RowReader, issues: ContentIssue[]): RowFields {
  const fields: RowFields = { labels: [], descriptions: [] };
  if (reader.mapping.default_tlp !== undefined) fields.tlp = reader.mapping.default_tlp;
  for (const c of reader.columns) {
    const v = (record.fields[c.index] ?? '').trim();
    // ThreatFox writes `None` in empty reference, alias and tag cells: no label, name, date or description.
    if (v.length === 0 || isPlaceholder(v)) continue;
    const at = csvPosition(record.line, c.index + 1);
    const shown = v.slice(0, 64);
    switch (c.role) {
      case 'first_seen':
      case 'last_seen': {
        const ts = parseCsvDate(v);
        if (ts === undefined) issues.push(issue('warning', 'CSV_BAD_DATE', at, `CSV: "${shown}" is not a date; ignored`));
        else if (c.role === 'first_seen') fields.validFrom ??= ts;
        else fields.validUntil ??= ts;
        break;
      }
      case 'tlp': {
        const level = tlpFromText(v);
        if (level === undefined) issues.push(issue('warning', 'CSV_UNKNOWN_TLP', at, `CSV: "${shown}" is not a TLP level; ignored`));
        else fields.tlp = level;
        break;
      }
      case 'confidence': {
        const n = confidenceFromText(v);
        if (n === undefined) issues.push(issue('warning', 'CSV_BAD_CONFIDENCE', at, `CSV: "${shown}" is not a confidence; ignored`));
        else fields.confidence = n;
        break;
      }
      case 'tags':
        for (const t of v.split(/[,;|]/))
          if (t.trim().length > 0 && !isPlaceholder(t) && fields.labels.length < MAX_TAGS) fields.labels.push(t.trim());
        break;
      case 'name':
        fields.name ??= v;
        break;
      case 'description':
        fields.descriptions.push(reader.labelDescriptions ? `${c.label}: ${v}` : v.replace(/\r\n?/g, '\n'));
        break;
      default:
        break;
    }
  }
  return fields;
}

/** What every indicator of the row carries besides its pattern. */
function rowContext(record: CsvRecord, reader: RowReader, scope: ImportScope, issues: ContentIssue[]): ValueContext {
  const f = readRowFields(record, reader, issues);
  const from = f.validFrom ?? scope.fileTime;
  let validUntil = f.validUntil;
  if (validUntil !== undefined && validUntil <= from) {
    issues.push(
      issue('info', 'CSV_VALID_UNTIL_DROPPED', csvPosition(record.line), 'CSV: last seen is not after first seen; valid_until left out'),
    );
    validUntil = undefined;
  }
  return {
    sourceName: scope.sourceName,
    created: from,
    validFrom: from,
    ...(validUntil !== undefined ? { validUntil } : {}),
    ...(scope.createdByRef !== undefined ? { createdByRef: scope.createdByRef } : {}),
    ...(f.tlp !== undefined ? { tlp: f.tlp } : {}),
    indicatorTypes: reader.mapping.indicator_types ?? ['malicious-activity'],
    ...(f.name !== undefined ? { name: f.name } : {}),
    ...(f.descriptions.length > 0 ? { description: f.descriptions.join('\n') } : {}),
    ...(f.labels.length > 0 ? { labels: f.labels } : {}),
    ...(f.confidence !== undefined ? { confidence: f.confidence } : {}),
  };
}

/** Adds the row's objects: one file indicator for its hashes (named by the row's file names), one per other value. */
function addRowObjects(found: RowValues, ctx: ValueContext, collector: ObjectCollector, issues: ContentIssue[]): void {
  const add = (o: StixObject | undefined, position: string, what: string): void => {
    if (o === undefined || collector.add(o)) return;
    issues.push(issue('info', 'CSV_DUPLICATE_VALUE', position, `CSV: ${what} already imported from an earlier row`, o.id));
  };
  let standalone = found.values;
  if (found.hashes.size > 0) {
    // File names in the same row name the file rather than being indicators of their own.
    const fileNames = found.values.filter((v) => v.value.type === 'file-name');
    const fileCtx: ValueContext =
      fileNames.length === 0 || ctx.name !== undefined ? ctx : { ...ctx, name: fileNames.map((v) => v.value.value).join(', ') };
    add(objectForFileHashes(found.hashes, fileCtx), found.hashPosition, 'this file');
    standalone = found.values.filter((v) => v.value.type !== 'file-name');
  }
  for (const { value, position } of standalone) add(objectForValue(value, ctx), position, `"${value.value}"`);
}

function importRow(record: CsvRecord, reader: RowReader, scope: ImportScope, collector: ObjectCollector, issues: ContentIssue[]): void {
  const row = classifyRow(record, reader, issues);
  if (row.kind === 'blank') return;
  if (row.kind === 'skipped') {
    collector.skip();
    return;
  }
  const found = rowValues(record, reader, row.rowType, issues);
  addRowObjects(found, rowContext(record, reader, scope, issues), collector, issues);
  if (found.values.length === 0 && found.hashes.size === 0) {
    issues.push(issue('info', 'CSV_ROW_EMPTY', csvPosition(record.line), 'CSV: row has no indicator value'));
    collector.skip();
  }
}

// ── the pipeline ────────────────────────────────────────────────────────────────────────────────────────

/** Imports a CSV IOC list. Never throws: bad input is one error issue and no objects. */
export function importCsv(input: string | Buffer, options: CsvImportOptions): ImportResult {
  const issues: ContentIssue[] = [];
  const parsed = parseCsvFile(input, options.mapping, issues);
  if (parsed === undefined) return emptyImport(issues);
  const reader = rowReader(parsed, issues);
  if (reader === undefined) return emptyImport(issues);

  // Timestamps come from the file, so that importing the same file again gives the same ids AND versions
  // (the second import stores nothing): a row's first_seen, else the file's earliest date, else (a file
  // without any date) the import's `now`.
  const fileTime = earliestDate(parsed.dataRows, reader.columns) ?? options.now;
  const producer = sourceProducer({ ...options, now: fileTime });
  const scope: ImportScope = { fileTime, sourceName: options.source?.name ?? '', createdByRef: producer.createdByRef };
  const collector = new ObjectCollector(producer.objects);
  for (const record of parsed.dataRows) importRow(record, reader, scope, collector, issues);
  return collector.result(issues);
}
