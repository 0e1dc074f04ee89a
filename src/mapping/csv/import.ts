/**
 * CSV IOC list → STIX 2.1 indicators, driven by a declarative column mapping (configured, or guessed by
 * detectCsvMapping). One indicator per value; the hashes of one row are one file indicator. Pure: no I/O.
 */
import type { TlpLevel } from '../../stix/markings';
import { issue, type ContentIssue } from '../../stix/issues';
import { inferValueType, type HashAlgorithm, type InferredValue } from '../common/infer-type';
import type { ImportOptions, ImportResult, StixObject } from '../types';
import { decodeText } from './decode-text';
import { detectCsvMapping } from './detect-mapping';
import { csvPosition, DEFAULT_DIALECT, detectDelimiter, parseCsv, type CsvRecord } from './parse-csv';
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

interface ResolvedColumn {
  readonly index: number;
  readonly role: CsvColumnRole;
  readonly valueType?: CsvValueType;
  /** The header cell (or `column N`), used to label description parts. */
  readonly label: string;
}

interface ResolvedSkip {
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

/** Imports a CSV IOC list. Never throws: bad input is one error issue and no objects. */
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

export function importCsv(input: string | Buffer, options: CsvImportOptions): ImportResult {
  const issues: ContentIssue[] = [];
  const empty = (skipped = 0): ImportResult => ({
    objects: [],
    issues,
    stats: { indicators: 0, observables: 0, otherObjects: 0, skipped },
  });
  const decoded = decodeText(input, options.mapping?.encoding ?? 'auto', 'CSV');
  issues.push(...decoded.issues);
  if (decoded.text === undefined) return empty();
  const text = decoded.text;

  let mapping = options.mapping;
  if (mapping === undefined) {
    mapping = detectCsvMapping(text);
    const summary = mapping.columns.map((c) => `${c.header ?? `#${c.index ?? '?'}`}→${c.role}${c.value_type ? `:${c.value_type}` : ''}`);
    issues.push(issue('info', 'CSV_MAPPING_GUESSED', csvPosition(1), `CSV: no mapping configured; guessed ${summary.join(', ')}`));
  }
  const quote = mapping.quote ?? '"';
  const delimiter = mapping.delimiter === undefined || mapping.delimiter === 'auto' ? detectDelimiter(text, quote) : mapping.delimiter;
  const parsed = parseCsv(text, {
    ...DEFAULT_DIALECT,
    delimiter,
    quote,
    maxFieldLength: mapping.max_field_length ?? DEFAULT_DIALECT.maxFieldLength,
  });
  issues.push(...parsed.issues);
  if (parsed.issues.some((i) => i.severity === 'error')) return empty();

  const commentPrefix = mapping.comment_prefix ?? '#';
  const records = parsed.records.filter((r) => commentPrefix === '' || !(r.fields[0] ?? '').trim().startsWith(commentPrefix));
  const hasHeader = mapping.header ?? true;
  const header = hasHeader ? records[0]?.fields : undefined;
  const dataRows = hasHeader ? records.slice(1) : records;
  const columns = resolveColumns(mapping, header, issues);
  if (!columns.some((c) => c.role === 'value')) {
    issues.push(issue('error', 'CSV_NO_VALUE_COLUMN', csvPosition(1), 'CSV: none of the mapped value columns is present in the file'));
    return empty();
  }
  const skips = resolveSkips(mapping, header);
  const typeWords: Record<string, CsvValueType> = { ...TYPE_WORDS };
  for (const [word, t] of Object.entries(mapping.type_values ?? {})) typeWords[normalizeKey(word)] = t;

  // Timestamps come from the file, so that importing the same file again gives the same ids AND versions
  // (the second import stores nothing): a row's first_seen, else the file's earliest date, else (a file
  // without any date) the import's `now`.
  const fileTime = earliestDate(dataRows, columns) ?? options.now;
  const producer = sourceProducer({ ...options, now: fileTime });
  const sourceName = options.source?.name ?? '';
  const objects: StixObject[] = [...producer.objects];
  const seen = new Set<string>(objects.map((o) => o.id));
  let indicators = 0;
  let other = 0;
  let skipped = 0;
  const descriptionColumns = columns.filter((c) => c.role === 'description');

  const rowContext = (record: CsvRecord): ValueContext => {
    const cell = (c: ResolvedColumn): string => (record.fields[c.index] ?? '').trim();
    const at = (c: ResolvedColumn): string => csvPosition(record.line, c.index + 1);
    let validFrom: string | undefined;
    let validUntil: string | undefined;
    let tlp: TlpLevel | undefined = mapping?.default_tlp;
    let confidence: number | undefined;
    let name: string | undefined;
    const labels: string[] = [];
    const descriptions: string[] = [];
    for (const c of columns) {
      const v = cell(c);
      if (v.length === 0) continue;
      switch (c.role) {
        case 'first_seen':
        case 'last_seen': {
          const ts = parseCsvDate(v);
          if (ts === undefined) issues.push(issue('warning', 'CSV_BAD_DATE', at(c), `CSV: "${v.slice(0, 64)}" is not a date; ignored`));
          else if (c.role === 'first_seen') validFrom ??= ts;
          else validUntil ??= ts;
          break;
        }
        case 'tlp': {
          const level = tlpFromText(v);
          if (level === undefined)
            issues.push(issue('warning', 'CSV_UNKNOWN_TLP', at(c), `CSV: "${v.slice(0, 64)}" is not a TLP level; ignored`));
          else tlp = level;
          break;
        }
        case 'confidence': {
          const n = confidenceFromText(v);
          if (n === undefined)
            issues.push(issue('warning', 'CSV_BAD_CONFIDENCE', at(c), `CSV: "${v.slice(0, 64)}" is not a confidence; ignored`));
          else confidence = n;
          break;
        }
        case 'tags':
          for (const t of v.split(/[,;|]/)) if (t.trim().length > 0 && labels.length < MAX_TAGS) labels.push(t.trim());
          break;
        case 'name':
          name ??= v;
          break;
        case 'description':
          descriptions.push(descriptionColumns.length > 1 ? `${c.label}: ${v}` : v.replace(/\r\n?/g, '\n'));
          break;
        default:
          break;
      }
    }
    const from = validFrom ?? fileTime;
    if (validUntil !== undefined && validUntil <= from) {
      issues.push(
        issue('info', 'CSV_VALID_UNTIL_DROPPED', csvPosition(record.line), 'CSV: last seen is not after first seen; valid_until left out'),
      );
      validUntil = undefined;
    }
    return {
      sourceName,
      created: from,
      validFrom: from,
      ...(validUntil !== undefined ? { validUntil } : {}),
      ...(producer.createdByRef !== undefined ? { createdByRef: producer.createdByRef } : {}),
      ...(tlp !== undefined ? { tlp } : {}),
      indicatorTypes: mapping?.indicator_types ?? ['malicious-activity'],
      ...(name !== undefined ? { name } : {}),
      ...(descriptions.length > 0 ? { description: descriptions.join('\n') } : {}),
      ...(labels.length > 0 ? { labels } : {}),
      ...(confidence !== undefined ? { confidence } : {}),
    };
  };

  const add = (o: StixObject | undefined, position: string, what: string): boolean => {
    if (o === undefined) return false;
    if (seen.has(o.id)) {
      issues.push(issue('info', 'CSV_DUPLICATE_VALUE', position, `CSV: ${what} already imported from an earlier row`, o.id));
      return false;
    }
    seen.add(o.id);
    objects.push(o);
    if (o.type === 'indicator') indicators++;
    else other++;
    return true;
  };

  for (const record of dataRows) {
    const rowSkip = skips.find((s) => {
      const v = (record.fields[s.index] ?? '').trim();
      return (s.equals?.has(v.toLowerCase()) ?? false) || (s.prefix !== undefined && v.startsWith(s.prefix));
    });
    if (rowSkip !== undefined) {
      issues.push(issue('info', 'CSV_ROW_SKIPPED', csvPosition(record.line, rowSkip.index + 1), 'CSV: row matches a skip rule'));
      skipped++;
      continue;
    }
    if (record.fields.every((f) => f.trim() === '')) continue;

    const typeColumn = columns.find((c) => c.role === 'type');
    let rowType: CsvValueType | undefined;
    if (typeColumn !== undefined) {
      const word = (record.fields[typeColumn.index] ?? '').trim();
      rowType = typeWords[normalizeKey(word)];
      if (rowType === undefined && word.length > 0) {
        issues.push(
          issue(
            'warning',
            'CSV_UNKNOWN_TYPE',
            csvPosition(record.line, typeColumn.index + 1),
            `CSV: type "${word.slice(0, 64)}" is not mapped; value type inferred`,
          ),
        );
        rowType = 'infer';
      }
      if (rowType === 'skip') {
        issues.push(
          issue(
            'info',
            'CSV_ROW_SKIPPED',
            csvPosition(record.line, typeColumn.index + 1),
            `CSV: row type "${word.slice(0, 64)}" is not an indicator`,
          ),
        );
        skipped++;
        continue;
      }
    }

    const values: { value: InferredValue; position: string }[] = [];
    const hashes = new Map<HashAlgorithm, string>();
    let hashPosition = '';
    for (const c of columns) {
      if (c.role !== 'value') continue;
      // A cell may list several values, one per line ("Passport.docx\ninstruction.docx").
      const cells = (record.fields[c.index] ?? '')
        .split(/\r?\n/)
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
      for (const cell of cells) {
        const position = csvPosition(record.line, c.index + 1);
        const result = readTypedValue(cell, c.valueType ?? rowType ?? 'infer');
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
          continue;
        }
        if (result.refanged) issues.push(issue('info', 'REFANGED', position, `CSV: defanged value "${cell.slice(0, 80)}" refanged`));
        if (result.type === 'file-hash' && result.hashAlgorithm !== undefined && !hashes.has(result.hashAlgorithm)) {
          hashes.set(result.hashAlgorithm, result.value);
          hashPosition ||= position;
        } else {
          values.push({ value: result, position });
        }
      }
    }

    const ctx = rowContext(record);
    let produced = 0;
    if (hashes.size > 0) {
      // File names in the same row name the file rather than being indicators of their own.
      const fileNames = values.filter((v) => v.value.type === 'file-name');
      const fileCtx: ValueContext =
        fileNames.length === 0 || ctx.name !== undefined ? ctx : { ...ctx, name: fileNames.map((v) => v.value.value).join(', ') };
      if (add(objectForFileHashes(hashes, fileCtx), hashPosition, 'this file')) produced++;
      for (const f of fileNames) values.splice(values.indexOf(f), 1);
    }
    for (const { value, position } of values) {
      if (add(objectForValue(value, ctx), position, `"${value.value}"`)) produced++;
    }
    if (produced === 0 && values.length === 0 && hashes.size === 0) {
      issues.push(issue('info', 'CSV_ROW_EMPTY', csvPosition(record.line), 'CSV: row has no indicator value'));
      skipped++;
    }
  }
  return { objects, issues, stats: { indicators, observables: 0, otherObjects: other, skipped } };
}
