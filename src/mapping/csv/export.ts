/**
 * STIX 2.1 → CSV IOC list, with the same column mapping the importer reads (so an export re-imports to the
 * same values). RFC 4180 output (CRLF, quoting), safe to open in a spreadsheet: cells that a spreadsheet
 * would run as a formula are prefixed with `'`. Pure: no I/O.
 */
import { strictestTlp } from '../../stix/markings';
import { issue, type ContentIssue } from '../../stix/issues';
import type { ExportResult, StixObject } from '../types';
import { contextName, contextNamesByIndicator, indicatorsNaming } from '../common/context-names';
import { forEachExported, type ExportKind, type ExportValue } from './export-values';
import type { CsvColumn, CsvMapping, CsvValueType } from './types';
import { EXPORT_TYPE_WORDS } from './vocabulary';

export interface CsvExportOptions {
  /** Columns to write; default `type,value,md5,sha1,sha256,sha512,name,description,first_seen,last_seen,tags,confidence,tlp`. */
  readonly mapping?: CsvMapping;
}

/** The hash columns of the default mapping, each named by its value type. */
const DEFAULT_HASH_COLUMNS = ['md5', 'sha1', 'sha256', 'sha512'] as const;
/** The other columns of the default mapping after the hashes, each named by its role. */
const DEFAULT_ROLE_COLUMNS = ['name', 'description', 'first_seen', 'last_seen', 'tags', 'confidence', 'tlp'] as const;

/**
 * The mapping used when none is given; importCsv reads its output back without configuration. Each column's
 * header is its role's name (its value type's for the hash columns).
 */
export const DEFAULT_EXPORT_MAPPING: CsvMapping = {
  delimiter: ',',
  header: true,
  columns: [
    ...(['type', 'value'] as const).map((role) => ({ header: role, role })),
    ...DEFAULT_HASH_COLUMNS.map((hash) => ({ header: hash, role: 'value' as const, value_type: hash })),
    ...DEFAULT_ROLE_COLUMNS.map((role) => ({ header: role, role })),
  ],
};

const HASH_KINDS: ReadonlySet<ExportKind> = new Set<ExportKind>(['MD5', 'SHA-1', 'SHA-256', 'SHA-512']);

/** Which value column types can hold a value of a kind. */
function columnAccepts(columnType: CsvValueType, kind: ExportKind): boolean {
  switch (columnType) {
    case 'md5':
      return kind === 'MD5';
    case 'sha1':
      return kind === 'SHA-1';
    case 'sha256':
      return kind === 'SHA-256';
    case 'sha512':
      return kind === 'SHA-512';
    case 'hash':
      return HASH_KINDS.has(kind);
    case 'ip':
      return kind === 'ipv4-addr' || kind === 'ipv6-addr';
    case 'infer':
      return true;
    case 'skip':
      return false;
    default:
      return columnType === kind;
  }
}

/** A cell a spreadsheet would evaluate (`=1+2`, `@SUM`, `+cmd`, `-2+3`, leading tab/CR) is prefixed with `'`. */
export function neutralizeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180 quoting: quoted when the cell holds the delimiter, the quote, a line break, or edge spaces. */
export function quoteCell(cell: string, delimiter: string, quote: string): string {
  const needs = cell.includes(delimiter) || cell.includes(quote) || /[\r\n]/.test(cell) || /^\s|\s$/.test(cell);
  return needs ? `${quote}${cell.split(quote).join(quote + quote)}${quote}` : cell;
}

function headerOf(c: CsvColumn): string {
  if (typeof c.header === 'string') return c.header;
  return c.header?.[0] ?? c.value_type ?? c.role;
}

/** The type word written for a kind: the source's own word when its mapping names one, else the default. */
function typeWordFor(kind: ExportKind, mapping: CsvMapping): string {
  for (const [word, t] of Object.entries(mapping.type_values ?? {})) if (t !== 'skip' && columnAccepts(t, kind)) return word;
  return EXPORT_TYPE_WORDS[kind] ?? kind;
}

/** A value as an issue names it: its kind (or STIX path) and the value itself. */
function describeValue(v: ExportValue): string {
  const shown = v.value.length > 200 ? `${v.value.slice(0, 200)}…` : v.value;
  return `${v.kind === 'other' ? (v.stixPath ?? 'other') : v.kind} value "${shown}"`;
}

function tlpText(o: StixObject): string {
  const refs = o['object_marking_refs'];
  const level = Array.isArray(refs) ? strictestTlp(refs.filter((r): r is string => typeof r === 'string')) : undefined;
  return level === undefined ? '' : `TLP:${level.toUpperCase()}`;
}

function stringProp(o: StixObject, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/**
 * The issue for an object with no list value. A named SDO (malware, threat actor, …) is named by value; when
 * `carried` indicators hold its name in their tags, the issue says so (info), otherwise the name is lost (warning).
 */
function skipIssue(o: StixObject, path: string, carried: number): ContentIssue {
  const name = contextName(o);
  if (name === undefined) return issue('info', 'EXPORT_OBJECT_SKIPPED', path, `CSV: a ${o.type} has no place in an IOC list`, o.id);
  const where =
    carried > 0
      ? `its name ${JSON.stringify(name)} is in the tags of the ${carried} indicator(s) it is linked to`
      : `its name ${JSON.stringify(name)} is not written (no indicator of the list is linked to it)`;
  return issue(
    carried > 0 ? 'info' : 'warning',
    'EXPORT_OBJECT_SKIPPED',
    path,
    `CSV: a ${o.type} has no place in an IOC list; ${where}`,
    o.id,
  );
}

/** Writes the objects as CSV rows (one per value; the hashes of one file share a row when hash columns exist). */
export function exportCsv(objects: readonly StixObject[], options: CsvExportOptions = {}): ExportResult {
  const mapping = options.mapping ?? DEFAULT_EXPORT_MAPPING;
  const delimiter = mapping.delimiter === undefined || mapping.delimiter === 'auto' ? ',' : mapping.delimiter;
  const quote = mapping.quote ?? '"';
  const columns = [...mapping.columns].sort((a, b) => (a.index ?? Number.MAX_SAFE_INTEGER) - (b.index ?? Number.MAX_SAFE_INTEGER));
  const issues: ContentIssue[] = [];
  const lines: string[] = [];
  const written = new Set<string>();
  const typeColumn = columns.findIndex((c) => c.role === 'type');
  const valueColumns = columns.map((c, i) => ({ c, i })).filter(({ c }) => c.role === 'value');
  const hashTypes: ReadonlySet<CsvValueType> = new Set<CsvValueType>(['md5', 'sha1', 'sha256', 'sha512', 'hash']);
  const hashColumns = valueColumns.filter(({ c }) => c.value_type !== undefined && hashTypes.has(c.value_type));
  const writeRow = (cells: string[]): void => {
    const line = cells.map((cell) => quoteCell(neutralizeFormula(cell), delimiter, quote)).join(delimiter);
    if (!written.has(line)) {
      written.add(line);
      lines.push(line);
    }
  };
  if (mapping.header !== false) writeRow(columns.map(headerOf));
  const tagColumn = columns.some((c) => c.role === 'tags');
  const names = contextNamesByIndicator(objects);
  const naming = indicatorsNaming(objects, names);

  forEachExported(objects, 'CSV', issues, {
    skipped: (o, path) => {
      issues.push(skipIssue(o, path, tagColumn ? (naming.get(o.id) ?? 0) : 0));
    },
    values: (o, path, groups) => {
      const context = columns.map((c): string => {
        switch (c.role) {
          case 'name':
            return stringProp(o, 'name');
          case 'description':
            return stringProp(o, 'description');
          case 'first_seen':
            return stringProp(o, 'valid_from');
          case 'last_seen':
            return stringProp(o, 'valid_until');
          case 'confidence':
            return stringProp(o, 'confidence');
          case 'tags': {
            const labels = o['labels'];
            const tags = Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string') : [];
            for (const n of names.get(o.id) ?? []) if (!tags.includes(n)) tags.push(n);
            return tags.join(',');
          }
          case 'tlp':
            return tlpText(o);
          default:
            return '';
        }
      });
      for (const group of groups) {
        let rest: ExportValue[] = group;
        // The hashes (and name) of one file share one row when the mapping has a column per hash.
        if (hashColumns.length > 0 && group.some((v) => HASH_KINDS.has(v.kind))) {
          const cells = [...context];
          const used = new Set<ExportValue>();
          for (const { c, i } of valueColumns) {
            const v = group.find(
              (g) => !used.has(g) && c.value_type !== undefined && c.value_type !== 'infer' && columnAccepts(c.value_type, g.kind),
            );
            if (v !== undefined) {
              cells[i] = v.value;
              used.add(v);
            }
          }
          if (used.size > 0) writeRow(cells);
          rest = group.filter((v) => !used.has(v));
        }
        for (const v of rest) {
          const typed = valueColumns.find(
            ({ c }) => c.value_type !== undefined && c.value_type !== 'infer' && columnAccepts(c.value_type, v.kind),
          );
          const generic = valueColumns.find(({ c }) => c.value_type === undefined || c.value_type === 'infer');
          const target = typed ?? generic;
          if (target === undefined) {
            issues.push(
              issue('warning', 'EXPORT_NO_COLUMN', path, `CSV: no column of the mapping holds the ${describeValue(v)}: not written`, o.id),
            );
            continue;
          }
          const cells = [...context];
          cells[target.i] = v.value;
          // A value of no list type keeps its STIX path in the type column (`app:id`), so it is not mistaken for another type.
          if (typed === undefined && typeColumn >= 0)
            cells[typeColumn] = v.kind === 'other' ? (v.stixPath ?? 'other') : typeWordFor(v.kind, mapping);
          else if (typed === undefined && target.c.value_type === undefined) {
            issues.push(
              issue(
                v.kind === 'other' ? 'warning' : 'info',
                'EXPORT_TYPE_LOST',
                path,
                `CSV: the mapping has no type column; the ${describeValue(v)} is written untyped`,
                o.id,
              ),
            );
          }
          writeRow(cells);
        }
      }
    },
  });
  return { output: lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`, issues };
}
