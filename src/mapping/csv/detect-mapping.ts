/**
 * Guesses a column mapping for CSV files of common vendors when none is configured: header names first
 * (exact, then by keyword), else — for a headerless file — the content of the first rows.
 */
import { inferValueType } from '../common/infer-type';
import { detectDelimiter, parseCsv, DEFAULT_DIALECT } from './parse-csv';
import { parseCsvDate } from './parse-date';
import type { CsvColumn, CsvMapping } from './types';
import { HEADER_KEYWORDS, HEADER_ROLES, normalizeKey } from './vocabulary';

const SAMPLE_ROWS = 20;

/**
 * Words that make a header describe something about a value rather than hold one: `url_status`, `c2_status`,
 * `ip_type`, `url_count` name no value column even though they contain `url`, `c2` or `ip`.
 */
const QUALIFIER_WORDS: ReadonlySet<string> = new Set(['status', 'state', 'type', 'count', 'reason', 'port', 'online']);

/** The role of one header cell, or undefined when the name says nothing known. */
function columnForHeader(header: string, index: number): CsvColumn | undefined {
  const key = normalizeKey(header);
  if (key.length === 0) return undefined;
  const exact = HEADER_ROLES[key];
  if (exact !== undefined) return { header: header.trim(), index, ...exact };
  const words = header
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  for (const [keyword, valueType] of words.some((w) => QUALIFIER_WORDS.has(w)) ? [] : HEADER_KEYWORDS) {
    if (words.includes(keyword) || (keyword.length > 3 && words.some((w) => w.startsWith(keyword)))) {
      return { header: header.trim(), index, role: 'value', value_type: valueType };
    }
  }
  if (words.includes('first') && words.includes('seen')) return { header: header.trim(), index, role: 'first_seen' };
  if (words.includes('last') && words.includes('seen')) return { header: header.trim(), index, role: 'last_seen' };
  return undefined;
}

/** For a headerless file: a column of mostly dates is first_seen, a column of mostly IOCs is a value. */
function columnForContent(cells: readonly string[], index: number): CsvColumn {
  const filled = cells.filter((c) => c.trim().length > 0);
  const dates = filled.filter((c) => parseCsvDate(c) !== undefined).length;
  const iocs = filled.filter((c) => inferValueType(c).type !== 'unknown').length;
  if (filled.length > 0 && dates * 2 > filled.length) return { index, role: 'first_seen' };
  if (filled.length > 0 && iocs * 2 > filled.length) return { index, role: 'value', value_type: 'infer' };
  return { index, role: 'description' };
}

/** True when the cells of a row read as a header: one names a value or type column, none is an indicator or date. */
function looksLikeHeader(cells: readonly string[]): boolean {
  const named = cells.some((h, i) => {
    const c = columnForHeader(h, i);
    return c !== undefined && (c.role === 'value' || c.role === 'type');
  });
  return named && !cells.some((h) => inferValueType(h).type !== 'unknown' || parseCsvDate(h) !== undefined);
}

/**
 * Feeds that put their header in the last line of a comment block (abuse.ch's URLhaus, Feodo Tracker, ThreatFox,
 * MalwareBazaar, SSLBL: `# id,dateadded,url,…`) and start the data right after it: that line is returned without
 * its `#`, so the header is read as one. `text` is returned unchanged when the first row after the comments is a
 * header itself, or the commented line does not read as a header.
 */
export function uncommentHeader(text: string, commentPrefix = '#'): string {
  if (commentPrefix === '') return text;
  const lines = text.slice(0, 65_536).split('\n');
  let last = -1;
  let i = 0;
  for (; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line.startsWith(commentPrefix)) last = i;
    else if (line !== '') break;
  }
  if (last < 0 || i >= lines.length) return text;
  const candidate = (lines[last] ?? '').trim().slice(commentPrefix.length).trim();
  const delimiter = detectDelimiter(lines.slice(i, i + 20).join('\n'));
  const dialect = { ...DEFAULT_DIALECT, delimiter };
  const header = parseCsv(candidate, dialect).records[0]?.fields ?? [];
  const firstRow = parseCsv(lines[i] ?? '', dialect).records[0]?.fields ?? [];
  if (header.length < 2 || header.length !== firstRow.length || !looksLikeHeader(header) || looksLikeHeader(firstRow)) return text;
  const offset = lines.slice(0, last).reduce((n, l) => n + l.length + 1, 0);
  return `${text.slice(0, offset)}${candidate}${text.slice(offset + (lines[last] ?? '').length)}`;
}

/**
 * A mapping for `text`: header row recognized when at least one header names a value or type column and no
 * header cell is itself an indicator; unrecognized headers become description columns.
 */
export function detectCsvMapping(text: string): CsvMapping {
  const delimiter = detectDelimiter(text);
  const head = text.slice(0, 65_536);
  const parsed = parseCsv(head, { ...DEFAULT_DIALECT, delimiter });
  const records = parsed.records.filter((r) => !(r.fields[0] ?? '').trim().startsWith('#')).slice(0, SAMPLE_ROWS + 1);
  const first = records[0]?.fields ?? [];
  const byHeader = first.map((h, i) => columnForHeader(h, i));
  const headerIsData = first.some((h) => inferValueType(h).type !== 'unknown' || parseCsvDate(h) !== undefined);
  if (looksLikeHeader(first)) {
    const columns = byHeader.map((c, i): CsvColumn => c ?? { header: (first[i] ?? '').trim(), index: i, role: 'description' });
    return { delimiter, header: true, columns: columns.filter((c) => normalizeKey(String(c.header ?? '')).length > 0) };
  }
  const rows = records.slice(headerIsData ? 0 : 1);
  const width = Math.max(0, ...rows.map((r) => r.fields.length));
  const columns: CsvColumn[] = [];
  for (let i = 0; i < width; i++)
    columns.push(
      columnForContent(
        rows.map((r) => r.fields[i] ?? ''),
        i,
      ),
    );
  if (!columns.some((c) => c.role === 'value')) {
    return {
      delimiter,
      header: !headerIsData,
      columns: columns.map((c) => ({ ...c, role: 'value', value_type: 'infer' })),
    };
  }
  return { delimiter, header: !headerIsData, columns };
}
