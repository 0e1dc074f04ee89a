/**
 * The hand-written CSV reader (src/mapping/csv/parse-csv.ts) against csv-parse (its sync API, options set to
 * read what the importer reads: relaxed quotes and column counts, empty lines skipped, BOM dropped, each
 * record's start line kept). Two parts:
 *  1. correctness: edge cases (RFC 4180 quoting, embedded newlines, BOM, ragged rows, line numbers, errors),
 *     each reader's records and first error printed side by side, and whether they agree;
 *  2. speed: a 1 200-row file and a large one, the two readers run in alternation (ABAB…), median ms each and
 *     the ratio, so machine load affects both alike.
 * Run: `npx tsx bench/csv-reader.bench.ts [rounds]` (default 7 rounds).
 */
import { parse } from 'csv-parse/sync';
import { DEFAULT_DIALECT, parseCsv } from '../src/mapping/csv/parse-csv';

interface Read {
  readonly records: readonly { readonly line: number; readonly fields: readonly string[] }[];
  readonly error?: string;
}

function handWritten(text: string): Read {
  const r = parseCsv(text, DEFAULT_DIALECT);
  const err = r.issues.find((i) => i.severity === 'error');
  return { records: r.records, ...(err === undefined ? {} : { error: `${err.code} at ${err.path}` }) };
}

interface CsvParseRecord {
  readonly record: string[];
  readonly raw: string;
  readonly info: { readonly lines: number };
}

function isCsvParseRecord(v: unknown): v is CsvParseRecord {
  return typeof v === 'object' && v !== null && 'record' in v && 'info' in v && 'raw' in v;
}

function library(text: string): Read {
  try {
    const out: unknown = parse(text, {
      bom: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      raw: true,
      max_record_size: DEFAULT_DIALECT.maxRecordLength,
    });
    if (!Array.isArray(out)) return { records: [], error: 'no records' };
    const records = out.filter(isCsvParseRecord).map((r) => {
      // info.lines is the line on which the record ends; its start is that minus the line breaks inside it.
      const inner = (r.raw.replace(/\r?\n$|\r$/, '').match(/\r\n|\n|\r/g) ?? []).length;
      return { line: r.info.lines - inner, fields: r.record };
    });
    return { records };
  } catch (e) {
    const err = e as { code?: string; lines?: number };
    return { records: [], error: `${err.code ?? 'ERROR'} at line ${err.lines ?? '?'}` };
  }
}

const CASES: readonly (readonly [string, string])[] = [
  ['plain rows', 'a,b\n1,2\n'],
  ['RFC 4180 quotes, doubled quote, delimiter inside', 'a,b\n"x,1","say ""hi"""\n'],
  ['embedded newline (line of the next record)', 'a,b\n"line1\nline2",2\n3,4\n'],
  ['CRLF line ends', 'a,b\r\n1,2\r\n3,4\r\n'],
  ['UTF-8 BOM before the header', '\ufeffvalue,type\n1.2.3.4,ip\n'],
  ['ragged rows', 'a,b,c\n1\n1,2,3,4\n'],
  ['empty lines between records', 'a\n\n1\n\n\n2\n'],
  ['space before an opening quote', 'a,b\n1, "x,y"\n'],
  ['stray characters after a closing quote', 'a,b\n"x"y,2\n'],
  ['quote inside an unquoted field', 'a,b\nsa"y,2\n'],
  ['unterminated quote (truncated file)', 'a,b\n1,"open\n2,3\n'],
  ['no final line break', 'a,b\n1,2'],
];

function correctness(): void {
  console.log('## correctness: hand-written vs csv-parse\n');
  console.log('| case | hand-written | csv-parse | same |');
  console.log('|---|---|---|---|');
  for (const [name, text] of CASES) {
    const show = (r: Read): string =>
      r.error ??
      r.records
        .map((x) => `${x.line}:${JSON.stringify(x.fields)}`)
        .join(' ')
        .replace(/\|/g, '\\|');
    const a = handWritten(text);
    const b = library(text);
    // The hand-written reader keeps the BOM for decodeText to remove (the importer never passes it one).
    console.log(`| ${name} | ${show(a)} | ${show(b)} | ${show(a) === show(b) ? 'yes' : 'no'} |`);
  }
}

function rows(n: number): string {
  const out = ['type,value,description,first_seen'];
  for (let i = 0; i < n; i++) {
    const k = i % 4;
    if (k === 0) out.push(`ip,10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255},c2 server,2024-01-02`);
    else if (k === 1) out.push(`domain,host${i}.example.com,"phishing, wave ${i}",2024-01-03`);
    else if (k === 2) out.push(`sha256,${(i * 2654435761).toString(16).padStart(8, '0').repeat(8)},dropper,`);
    else out.push(`url,http://dl${i}.example.net/p.bin,"payload ""stage 2""\nsecond line",2024-01-04`);
  }
  return `${out.join('\n')}\n`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function time(fn: () => unknown): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function speed(rounds: number): void {
  console.log('\n## speed (median of interleaved runs)\n');
  console.log('| file | hand-written ms | csv-parse ms | csv-parse ÷ hand-written |');
  console.log('|---|---|---|---|');
  for (const [name, text, inner] of [
    ['1 200 rows', rows(1200), 20],
    ['200 000 rows', rows(200_000), 1],
  ] as const) {
    if (handWritten(text).records.length !== library(text).records.length) throw new Error(`${name}: the readers disagree`);
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < rounds; r++) {
      a.push(
        time(() => {
          for (let i = 0; i < inner; i++) handWritten(text);
        }) / inner,
      );
      b.push(
        time(() => {
          for (let i = 0; i < inner; i++) library(text);
        }) / inner,
      );
    }
    const [ma, mb] = [median(a), median(b)];
    console.log(`| ${name} (${(text.length / 1024).toFixed(0)} KiB) | ${ma.toFixed(2)} | ${mb.toFixed(2)} | ${(mb / ma).toFixed(2)} |`);
  }
}

correctness();
speed(Number(process.argv[2] ?? 7));
