/**
 * Plain-text IOC list → STIX 2.1 indicators: one value per line (with a trailing comment after a tab or two
 * spaces), typed sections under headings ("# Domain", "SHA256:", "C2 domains"), comment lines, and free
 * prose from which IOC tokens are extracted conservatively. Values are refanged, masked ones reported,
 * identical values kept once. Pure: no I/O.
 */
import type { TlpLevel } from '../../stix/markings';
import { issue, type ContentIssue } from '../../stix/issues';
import { inferValueType, type InferredValue } from '../common/infer-type';
import { refang } from '../../stix/values';
import { decodeText } from '../csv/decode-text';
import type { CsvValueType } from '../csv/types';
import { objectForFileHashes, objectForValue, readTypedValue, sourceProducer, type ValueContext } from '../csv/value-objects';
import type { ImportOptions, ImportResult, StixObject } from '../types';
import { MAIL_HEADERS, SECTION_PHRASES, SECTION_WORDS, SENDER_HEADERS } from './sections';

export interface TxtImportOptions extends ImportOptions {
  /** Name of the list's source, part of every derived id (default: options.source.name). */
  readonly sourceName?: string;
  /** TLP marking of every indicator. */
  readonly tlp?: TlpLevel;
  /** indicator_types of every indicator (default ["malicious-activity"]). */
  readonly indicatorTypes?: readonly string[];
}

/** Longest line accepted; a longer one makes the input unreadable as an IOC list. */
export const MAX_LINE_LENGTH = 65_536;
const MAX_HEADING_LENGTH = 160;
const MAX_DESCRIPTION = 1024;

/** Types that prose may yield: file names and words are too ambiguous inside sentences. */
const PROSE_TYPES: ReadonlySet<InferredValue['type']> = new Set([
  'ipv4-addr',
  'ipv6-addr',
  'domain-name',
  'url',
  'email-addr',
  'file-hash',
  'cve',
]);

const LIST_MARKER_RE = /^(?:[-*•–]\s+|\d{1,4}[.)]\s+)/;
const MAIL_HEADER_RE = /^([A-Za-z][A-Za-z0-9-]{0,60}):(?:\s|$)/;
/** Characters trimmed from the ends of a prose token (sentence punctuation, quotes, brackets). */
const TOKEN_EDGE = new Set(['"', "'", '(', ')', '<', '>', ',', ';', ':', '.', '!', '?', '`', '«', '»', '“', '”']);

function position(line: number): string {
  return `line ${line}`;
}

/** The section type a heading names, or undefined when the line names none. */
function sectionOf(heading: string): CsvValueType | undefined {
  const h = heading
    .toLowerCase()
    .replace(/[:#*=_]+/g, ' ')
    .trim();
  for (const [phrase, t] of SECTION_PHRASES) if (h.includes(phrase)) return t;
  const words = h.split(/[\s,/()]+/);
  for (const [word, t] of SECTION_WORDS) if (words.includes(word)) return t;
  return undefined;
}

/** Trims punctuation around a token taken from prose, keeping defang brackets such as `[.]` intact. */
function cleanToken(token: string): string {
  let start = 0;
  let end = token.length;
  while (start < end && TOKEN_EDGE.has(token[start] ?? '')) start++;
  while (end > start && TOKEN_EDGE.has(token[end - 1] ?? '')) end--;
  let t = token.slice(start, end);
  if (t.startsWith('[') && t.endsWith(']') && !t.slice(1, -1).includes('[')) t = t.slice(1, -1);
  return t;
}

function isMailHeader(name: string): boolean {
  const n = name.toLowerCase();
  return MAIL_HEADERS.has(n) || /^(?:x|arc|list|content|resent)-/.test(n);
}

/** Imports a plain-text IOC list. Never throws: unreadable input is one error issue and no objects. */
export function importTxt(input: string | Buffer, options: TxtImportOptions): ImportResult {
  const issues: ContentIssue[] = [];
  const decoded = decodeText(input, 'auto', 'TXT');
  issues.push(...decoded.issues);
  const fail = (): ImportResult => ({
    objects: [],
    issues,
    stats: { indicators: 0, observables: 0, otherObjects: 0, skipped: 0 },
  });
  if (decoded.text === undefined) return fail();
  const lines = decoded.text.split(/\r\n|\n|\r/);
  const longLine = lines.findIndex((l) => l.length > MAX_LINE_LENGTH);
  if (longLine >= 0) {
    issues.push(issue('error', 'TXT_LINE_TOO_LONG', position(longLine + 1), `TXT: line longer than ${MAX_LINE_LENGTH} characters`));
    return fail();
  }

  const producer = sourceProducer(options);
  const sourceName = options.sourceName ?? options.source?.name ?? '';
  const objects: StixObject[] = [...producer.objects];
  const seen = new Set(objects.map((o) => o.id));
  let indicators = 0;
  let other = 0;
  let skipped = 0;
  let section: CsvValueType | undefined;
  let inMailHeader: 'sender' | 'other' | undefined;

  const context = (description?: string, name?: string): ValueContext => ({
    sourceName,
    created: options.now,
    validFrom: options.now,
    ...(producer.createdByRef !== undefined ? { createdByRef: producer.createdByRef } : {}),
    ...(options.tlp !== undefined ? { tlp: options.tlp } : {}),
    indicatorTypes: options.indicatorTypes ?? ['malicious-activity'],
    ...(description !== undefined && description.length > 0 ? { description: description.slice(0, MAX_DESCRIPTION) } : {}),
    ...(name !== undefined ? { name } : {}),
  });

  const emit = (v: InferredValue, at: string, raw: string, description?: string, fileName?: string): void => {
    if (v.refanged) issues.push(issue('info', 'REFANGED', at, `TXT: defanged value "${raw.slice(0, 80)}" refanged`));
    const ctx = context(description, fileName);
    const o =
      v.type === 'file-hash' && v.hashAlgorithm !== undefined
        ? objectForFileHashes(new Map([[v.hashAlgorithm, v.value]]), ctx)
        : objectForValue(v, ctx);
    if (o === undefined) return;
    if (seen.has(o.id)) {
      issues.push(issue('info', 'TXT_DUPLICATE_VALUE', at, `TXT: "${v.value.slice(0, 80)}" already listed earlier`, o.id));
      return;
    }
    seen.add(o.id);
    objects.push(o);
    if (o.type === 'indicator') indicators++;
    else other++;
  };

  const reportUnusable = (raw: string, v: InferredValue | string, at: string): void => {
    const reason = typeof v === 'string' ? v : (v.reason ?? 'not recognized');
    const masked = typeof v !== 'string' && v.masked === true;
    issues.push(
      issue('warning', masked ? 'VALUE_MASKED' : 'TXT_VALUE_NOT_RECOGNIZED', at, `TXT: "${raw.slice(0, 80)}" skipped: ${reason}`),
    );
    skipped++;
  };

  /** A value in a typed section is read as that type; elsewhere it is inferred. */
  const readValue = (raw: string): InferredValue | string => {
    const inferred = inferValueType(raw);
    if (inferred.type !== 'unknown' || inferred.masked === true || section === undefined) {
      return inferred.type === 'unknown' ? (inferred.reason ?? 'not recognized') : inferred;
    }
    return readTypedValue(raw, section);
  };

  lines.forEach((rawLine, index) => {
    const at = position(index + 1);
    let line = rawLine.trim();
    if (line.length === 0) {
      inMailHeader = undefined;
      return;
    }
    // Mail headers: only sender headers give indicators; relays and recipients are context.
    const header = MAIL_HEADER_RE.exec(line);
    if (header?.[1] !== undefined && isMailHeader(header[1])) {
      inMailHeader = SENDER_HEADERS.has(header[1].toLowerCase()) ? 'sender' : 'other';
      if (inMailHeader === 'other') return;
      line = line.slice(header[0].length).trim();
    } else if (inMailHeader !== undefined && /^\s/.test(rawLine)) {
      if (inMailHeader === 'other') return;
    } else {
      inMailHeader = undefined;
    }

    const commented = /^(#+|\/\/)/.exec(line);
    if (commented) {
      const rest = line.slice(commented[0].length).trim();
      const typed = rest.length <= MAX_HEADING_LENGTH ? sectionOf(rest) : undefined;
      if (typed !== undefined && inferValueType(rest).type === 'unknown') section = typed;
      return;
    }
    line = line.replace(LIST_MARKER_RE, '');
    if (line.length === 0) return;

    // A heading such as "SHA256:" or "C2 domains" types the lines after it, even inside another section.
    if (line.length <= MAX_HEADING_LENGTH && inferValueType(line).type === 'unknown') {
      const heading = sectionOf(line);
      const tokens = line.split(/\s+/);
      if (heading !== undefined && tokens.every((t) => !PROSE_TYPES.has(inferValueType(cleanToken(t)).type))) {
        section = heading;
        return;
      }
    }
    // "value<TAB>comment" or "value  comment": the first field is the value, the rest describes it.
    const split = /\t|[ \u00a0]{2,}/.exec(line);
    const head = split ? line.slice(0, split.index).trim() : line;
    const tail = split ? line.slice(split.index).trim() : '';
    const direct = readValue(head);
    const first = typeof direct === 'string' && cleanToken(head) !== head ? readValue(cleanToken(head)) : direct;
    if (typeof first !== 'string') {
      const tailValue = tail.length > 0 ? inferValueType(tail) : undefined;
      const fileName = first.type === 'file-hash' && tailValue?.type === 'file-name' ? tail : undefined;
      emit(first, at, head, fileName === undefined ? tail : undefined, fileName);
      return;
    }
    if (!/\s/.test(line)) {
      const v = inferValueType(line);
      const heading = sectionOf(line);
      if (heading !== undefined && line.length <= MAX_HEADING_LENGTH) {
        section = heading;
        return;
      }
      if (line.endsWith(':') && v.type === 'unknown' && v.masked !== true) {
        section = undefined;
        return;
      }
      // A lone word is prose or a title; something shaped like a value is reported.
      if (v.masked === true || (/[.@]|^[0-9a-f]{24,}$/i.test(line) && !/[<>]/.test(line))) {
        reportUnusable(line, section !== undefined ? first : v, at);
      }
      return;
    }
    // A heading typing the lines after it ("C2 domains", "SHA256:", "203 URLS THAT RETURNED ...:").
    // Refanged as a whole first, so splitting on brackets and quotes cannot cut `(.)` or `[dot]` apart.
    const refanged = refang(line);
    const tokens = refanged.value
      .split(/[\s,;<>"'()|]+/)
      .map(cleanToken)
      .filter((t) => t.length > 0);
    const values = tokens.map((t) => ({ raw: t, v: inferValueType(t) }));
    const iocs = values.filter(({ v }) => PROSE_TYPES.has(v.type));
    if (iocs.length === 0 && line.length <= MAX_HEADING_LENGTH) {
      const heading = sectionOf(line);
      if (heading !== undefined) section = heading;
      else if (line.endsWith(':')) section = undefined;
    }
    // Free prose: only unambiguous indicator tokens are taken; masked ones are reported.
    for (const { raw, v } of values) {
      if (PROSE_TYPES.has(v.type)) emit(refanged.changed ? { ...v, refanged: true } : v, at, raw, undefined);
      else if (v.masked === true && /[.@]/.test(raw)) reportUnusable(raw, v, at);
    }
  });
  return { objects, issues, stats: { indicators, observables: 0, otherObjects: other, skipped } };
}
