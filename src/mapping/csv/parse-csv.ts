/**
 * RFC 4180 CSV reader: quoted fields with embedded delimiters, doubled quotes and line breaks, CRLF or LF,
 * trailing empty lines. Lenient where real files are sloppy (spaces before an opening quote, stray characters
 * after a closing quote, quotes inside unquoted fields), strict on size: one character-by-character pass with
 * bounded field and record length, so a 100 MB line ends in one error instead of a hang.
 */
import { issue, type ContentIssue } from '../../stix/issues';
import type { OutcomeCode } from '../../common/outcome-codes';

export interface CsvDialect {
  /** One character. */
  readonly delimiter: string;
  /** One character; empty disables quoting. */
  readonly quote: string;
  /** Longest field accepted, in characters. */
  readonly maxFieldLength: number;
  /** Longest record accepted (all its fields and delimiters), in characters. */
  readonly maxRecordLength: number;
  /** Most records read. */
  readonly maxRecords: number;
}

export const DEFAULT_DIALECT: CsvDialect = {
  delimiter: ',',
  quote: '"',
  maxFieldLength: 65_536,
  maxRecordLength: 1_048_576,
  maxRecords: 1_000_000,
};

export interface CsvRecord {
  /** 1-based line on which the record starts (what an editor shows). */
  readonly line: number;
  readonly fields: string[];
}

export interface CsvParseResult {
  readonly records: CsvRecord[];
  /** Warnings for lenient repairs; one error (and no records) when the input cannot be read as CSV. */
  readonly issues: ContentIssue[];
}

/** `row 12, column 3` (1-based, row = line in the file). */
export function csvPosition(line: number, column?: number): string {
  return column === undefined ? `row ${line}` : `row ${line}, column ${column}`;
}

function fatal(code: OutcomeCode, line: number, column: number, message: string): CsvParseResult {
  return { records: [], issues: [issue('error', code, csvPosition(line, column), `CSV: ${message}`)] };
}

/** Parses CSV text into records. Empty lines are not records. Never throws. */
export function parseCsv(text: string, dialect: CsvDialect = DEFAULT_DIALECT): CsvParseResult {
  const d = dialect.delimiter.charCodeAt(0);
  const q = dialect.quote.length > 0 ? dialect.quote.charCodeAt(0) : -1;
  const records: CsvRecord[] = [];
  const issues: ContentIssue[] = [];
  let fields: string[] = [];
  let field = '';
  let recordLength = 0;
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let afterQuote = false;
  let quoteLine = 1;
  let quoteColumn = 1;
  const n = text.length;

  const endField = (): void => {
    fields.push(field);
    field = '';
    quoted = false;
    afterQuote = false;
  };
  const endRecord = (): void => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    recordLength = 0;
  };

  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    recordLength++;
    if (recordLength > dialect.maxRecordLength) {
      return fatal('CSV_RECORD_TOO_LONG', recordLine, fields.length + 1, `record longer than ${dialect.maxRecordLength} characters`);
    }
    if (quoted) {
      if (c === q) {
        if (text.charCodeAt(i + 1) === q) {
          field += dialect.quote;
          i++;
          recordLength++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (c === 10) line++;
        field += text[i];
      }
    } else if (c === d) {
      endField();
    } else if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (c === q && !afterQuote && field.trim() === '') {
      // Spaces before an opening quote (`a, "b"`) are dropped, as most producers mean them as padding.
      field = '';
      quoted = true;
      quoteLine = line;
      quoteColumn = fields.length + 1;
    } else {
      if (afterQuote && c !== 32 && c !== 9) {
        issues.push(
          issue('warning', 'CSV_STRAY_AFTER_QUOTE', csvPosition(line, fields.length + 1), 'characters after a closing quote were kept'),
        );
        afterQuote = false;
      }
      if (!afterQuote) field += text[i];
    }
    if (field.length > dialect.maxFieldLength) {
      return fatal('CSV_FIELD_TOO_LONG', recordLine, fields.length + 1, `field longer than ${dialect.maxFieldLength} characters`);
    }
    if (records.length > dialect.maxRecords) {
      return fatal('CSV_TOO_MANY_RECORDS', line, 1, `more than ${dialect.maxRecords} records`);
    }
  }
  if (quoted) return fatal('CSV_UNTERMINATED_QUOTE', quoteLine, quoteColumn, 'quoted field is never closed (truncated file?)');
  if (field !== '' || fields.length > 0) endRecord();
  return { records, issues };
}

const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CANDIDATE_DELIMITERS)[number];

/**
 * Guesses the delimiter from the first lines: the candidate that splits the most lines into the same number
 * (> 1) of fields. Quoted text is skipped so commas inside quotes do not count.
 */
export function detectDelimiter(text: string, quote = '"'): CsvDelimiter {
  const sample = text.slice(0, 16_384);
  const lines: string[] = [];
  let current = '';
  let inQuote = false;
  for (const ch of sample) {
    if (ch === quote) inQuote = !inQuote;
    else if ((ch === '\n' || ch === '\r') && !inQuote) {
      if (current.trim() !== '') lines.push(current);
      current = '';
      if (lines.length >= 20) break;
    } else if (!inQuote) current += ch;
  }
  if (current.trim() !== '' && lines.length < 20) lines.push(current);
  let best: CsvDelimiter = ',';
  let bestScore = 0;
  for (const delim of CANDIDATE_DELIMITERS) {
    const counts = lines.map((l) => l.split(delim).length - 1);
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length;
    const score = consistent * 1000 + first;
    if (score > bestScore) {
      bestScore = score;
      best = delim;
    }
  }
  return best;
}
