/**
 * Plain-text IOC list → STIX 2.1 indicators: one value per line (with a trailing comment after a tab or two
 * spaces), typed sections under headings ("# Domain", "SHA256:", "C2 domains"), comment lines, and free
 * prose from which IOC tokens are extracted conservatively. Values are refanged, masked ones reported,
 * identical values kept once. Pure: no I/O.
 *
 * A pipeline of small steps: parse (text → lines) → lines (mail headers, comments, list markers and section
 * headings taken off) → values (a value line, a lone word, or prose) → objects (TxtSink) → report.
 */
import type { TlpLevel } from '../../stix/markings';
import { issue, type ContentIssue } from '../../stix/issues';
import { inferValueType, type InferredValue } from '../common/infer-type';
import { refang } from '../../stix/values';
import { decodeText } from '../csv/decode-text';
import type { CsvValueType } from '../csv/types';
import { objectForFileHashes, objectForValue, readTypedValue, sourceProducer, type ValueContext } from '../csv/value-objects';
import { emptyImport, ObjectCollector } from '../common/object-collector';
import type { ImportOptions, ImportResult } from '../types';
import { isMessageBlock, mailObservation, type MailBlock, type MailContext, type MailHeader } from './mail-message';
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

/** A title line: letters, digits, spaces and light punctuation, not ending like a sentence. */
const TITLE_RE = /^[\p{L}\p{N}][\p{L}\p{N} ,:()'’/+-]*$/u;
const LIST_MARKER_RE = /^(?:[-*•–]\s+|\d{1,4}[.)]\s+)/;
const MAIL_HEADER_RE = /^([A-Za-z][A-Za-z0-9_-]{0,60}):(?:\s|$)/;
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

/** A value in a typed section is read as that type; elsewhere it is inferred. A string is why it is unusable. */
function readValue(raw: string, section: CsvValueType | undefined): InferredValue | string {
  const inferred = inferValueType(raw);
  if (inferred.type !== 'unknown' || inferred.masked === true || section === undefined) {
    return inferred.type === 'unknown' ? (inferred.reason ?? 'not recognized') : inferred;
  }
  return readTypedValue(raw, section);
}

// ── step 1: parse ───────────────────────────────────────────────────────────────────────────────────────

/** The lines of the text; undefined (with an error issue) when it is unreadable or has a line too long. */
function readLines(input: string | Buffer, issues: ContentIssue[]): string[] | undefined {
  const decoded = decodeText(input, 'auto', 'TXT');
  issues.push(...decoded.issues);
  if (decoded.text === undefined) return undefined;
  const lines = decoded.text.split(/\r\n|\n|\r/);
  const longLine = lines.findIndex((l) => l.length > MAX_LINE_LENGTH);
  if (longLine < 0) return lines;
  issues.push(issue('error', 'TXT_LINE_TOO_LONG', position(longLine + 1), `TXT: line longer than ${MAX_LINE_LENGTH} characters`));
  return undefined;
}

// ── step 2: lines ───────────────────────────────────────────────────────────────────────────────────────

/** What earlier lines decided for the next ones. */
interface TxtState {
  /** The type a section heading gave the lines under it. */
  section: CsvValueType | undefined;
  /** The last title line without values ("APPENDIX D: 11 EXAMPLES OF CAMPO LOADER DLL FILES"): what the values under it are. */
  context: string | undefined;
  /** Inside a mail header block: a sender header (its values count) or another one (context only). */
  inMailHeader: 'sender' | 'other' | undefined;
  /** The headers of the block being read, and where it started. */
  block: { headers: MailHeader[]; at: string } | undefined;
  /** The message header blocks read so far, each with the MIME part blocks after it. */
  readonly mails: (MailBlock & { readonly at: string })[];
}

/** A message block of two headers or more starts a message; any other block is a MIME part of the last one. */
function endMailBlock(state: TxtState): void {
  const block = state.block;
  state.block = undefined;
  if (block === undefined) return;
  if (isMessageBlock(block.headers) && block.headers.length >= 2) state.mails.push({ headers: block.headers, parts: [], at: block.at });
  else state.mails.at(-1)?.parts.push(block.headers);
}

/**
 * Mail headers: only sender headers give indicators; relays and recipients are context (undefined). Every
 * header is also recorded in the block being read, so the message is kept as an observation.
 */
function stripMailHeader(rawLine: string, line: string, state: TxtState, at: string): string | undefined {
  const header = MAIL_HEADER_RE.exec(line);
  // Inside a block, a provider's own header (`Locaweb_Exchange: Yes`) stays in it; its value is read as before.
  const known = header?.[1] !== undefined && isMailHeader(header[1]);
  if (header?.[1] !== undefined && (known || state.inMailHeader !== undefined)) {
    if (state.inMailHeader === undefined) endMailBlock(state);
    state.block ??= { headers: [], at };
    state.block.headers.push({ name: header[1], value: line.slice(header[0].length).trim() });
    state.inMailHeader = !known || SENDER_HEADERS.has(header[1].toLowerCase()) ? 'sender' : 'other';
    return state.inMailHeader === 'other' ? undefined : line.slice(header[0].length).trim();
  }
  if (state.inMailHeader !== undefined && /^\s/.test(rawLine)) {
    const last = state.block?.headers.at(-1);
    if (last !== undefined) last.value = last.value === '' ? line : `${last.value} ${line}`;
    return state.inMailHeader === 'other' ? undefined : line;
  }
  state.inMailHeader = undefined;
  endMailBlock(state);
  return line;
}

/** The content of a line, or undefined when it holds no value (blank, comment, mail context). A comment may name a section. */
function lineContent(rawLine: string, state: TxtState, at: string): string | undefined {
  const trimmed = rawLine.trim();
  if (trimmed.length === 0) {
    state.inMailHeader = undefined;
    endMailBlock(state);
    return undefined;
  }
  const line = stripMailHeader(rawLine, trimmed, state, at);
  if (line === undefined) return undefined;
  const commented = /^(#+|\/\/)/.exec(line);
  if (commented) {
    const rest = line.slice(commented[0].length).trim();
    const typed = rest.length <= MAX_HEADING_LENGTH ? sectionOf(rest) : undefined;
    if (typed !== undefined && inferValueType(rest).type === 'unknown') state.section = typed;
    return undefined;
  }
  const content = line.replace(LIST_MARKER_RE, '');
  return content.length === 0 ? undefined : content;
}

/** A heading such as "SHA256:" or "C2 domains" types the lines after it, even inside another section. */
function headingType(line: string): CsvValueType | undefined {
  if (line.length > MAX_HEADING_LENGTH || inferValueType(line).type !== 'unknown') return undefined;
  const heading = sectionOf(line);
  if (heading === undefined) return undefined;
  return line.split(/\s+/).every((t) => !PROSE_TYPES.has(inferValueType(cleanToken(t)).type)) ? heading : undefined;
}

// ── step 3: values ──────────────────────────────────────────────────────────────────────────────────────

/** A line without spaces that is not a value: a heading, the end of a section, or something value-shaped that is reported. */
function loneWordLine(line: string, first: string, at: string, state: TxtState, sink: TxtSink): void {
  const v = inferValueType(line);
  const heading = sectionOf(line);
  if (heading !== undefined && line.length <= MAX_HEADING_LENGTH) {
    state.section = heading;
    return;
  }
  if (line.endsWith(':') && v.type === 'unknown' && v.masked !== true) {
    state.section = undefined;
    return;
  }
  // A lone word is prose or a title; something shaped like a value is reported.
  if (v.masked === true || (/[.@]|^[0-9a-f]{24,}$/i.test(line) && !/[<>]/.test(line))) {
    sink.unusable(line, state.section !== undefined ? first : v, at);
  }
}

/** Free prose: only unambiguous indicator tokens are taken; masked ones are reported. */
function proseLine(line: string, at: string, state: TxtState, sink: TxtSink): void {
  // Refanged as a whole first, so splitting on brackets and quotes cannot cut `(.)` or `[dot]` apart.
  const refanged = refang(line);
  const values = refanged.value
    .split(/[\s,;<>"'()|]+/)
    .map(cleanToken)
    .filter((t) => t.length > 0)
    .map((t) => ({ raw: t, v: inferValueType(t) }));
  // A heading typing the lines after it ("C2 domains", "SHA256:", "203 URLS THAT RETURNED ...:").
  if (!values.some(({ v }) => PROSE_TYPES.has(v.type)) && line.length <= MAX_HEADING_LENGTH) {
    const heading = sectionOf(line);
    if (heading !== undefined) state.section = heading;
    else if (line.endsWith(':')) state.section = undefined;
  }
  // A title (words only, not a sentence) describes the value lines under it that carry no comment of their own;
  // any other line without values (a command, markup, a sentence) ends what the last title described.
  const title = TITLE_RE.test(line) && !values.some(({ v }) => PROSE_TYPES.has(v.type)) && line.length <= MAX_HEADING_LENGTH;
  state.context = title ? line.replace(/:$/, '').trim() : undefined;
  for (const { raw, v } of values) {
    if (PROSE_TYPES.has(v.type)) sink.emit(refanged.changed ? { ...v, refanged: true } : v, at, raw, undefined);
    else if (v.masked === true && /[.@]/.test(raw)) sink.unusable(raw, v, at);
  }
}

/**
 * Where a value line's comment starts: a tab, two spaces, or a `;` right after a hash, address or domain (the
 * `value;comment` lists of LOKI and signature-base). A URL may hold `;` itself, so one is never cut there.
 */
function valueSeparator(line: string): RegExpExecArray | null {
  const gap = /\t|[ \u00a0]{2,}/.exec(line);
  const semi = /;/.exec(line);
  if (semi === null || (gap !== null && gap.index < semi.index)) return gap;
  const head = line.slice(0, semi.index).trim();
  const type = /\s/.test(head) ? 'unknown' : inferValueType(head).type;
  return type !== 'unknown' && type !== 'url' ? semi : gap;
}

function importLine(rawLine: string, at: string, state: TxtState, sink: TxtSink): void {
  const line = lineContent(rawLine, state, at);
  if (line === undefined) return;
  const heading = headingType(line);
  if (heading !== undefined) {
    state.section = heading;
    return;
  }
  // "value<TAB>comment", "value  comment" or "value;comment": the first field is the value, the rest describes it.
  const split = valueSeparator(line);
  const head = split ? line.slice(0, split.index).trim() : line;
  const tail = split ? line.slice(split.index + split[0].length).trim() : '';
  const direct = readValue(head, state.section);
  const first = typeof direct === 'string' && cleanToken(head) !== head ? readValue(cleanToken(head), state.section) : direct;
  if (typeof first !== 'string') {
    const tailValue = tail.length > 0 ? inferValueType(tail) : undefined;
    const fileName = first.type === 'file-hash' && tailValue?.type === 'file-name' ? tail : undefined;
    const comment = tail.length > 0 ? tail : state.context;
    sink.emit(first, at, head, fileName === undefined ? comment : state.context, fileName);
  } else if (!/\s/.test(line)) {
    loneWordLine(line, first, at, state, sink);
  } else {
    proseLine(line, at, state, sink);
  }
}

// ── step 4: objects ─────────────────────────────────────────────────────────────────────────────────────

/** What every indicator of the list carries, whatever its line. */
type ListContext = Omit<ValueContext, 'description' | 'name'>;

/** Where the values of a TXT import go: one object each (kept once), issues for the unusable ones. */
class TxtSink {
  constructor(
    private readonly list: ListContext,
    private readonly issues: ContentIssue[],
    private readonly collector: ObjectCollector,
  ) {}

  emit(v: InferredValue, at: string, raw: string, description?: string, fileName?: string): void {
    if (v.refanged) this.issues.push(issue('info', 'REFANGED', at, `TXT: defanged value "${raw.slice(0, 80)}" refanged`));
    const ctx: ValueContext = {
      ...this.list,
      ...(description !== undefined && description.length > 0 ? { description: description.slice(0, MAX_DESCRIPTION) } : {}),
      ...(fileName !== undefined ? { name: fileName } : {}),
    };
    const o =
      v.type === 'file-hash' && v.hashAlgorithm !== undefined
        ? objectForFileHashes(new Map([[v.hashAlgorithm, v.value]]), ctx)
        : objectForValue(v, ctx);
    if (o === undefined || this.collector.add(o)) return;
    this.issues.push(issue('info', 'TXT_DUPLICATE_VALUE', at, `TXT: "${v.value.slice(0, 80)}" already listed earlier`, o.id));
  }

  /** A message's header block: an observed-data of its e-mail message (mail-message.ts). */
  mail(block: MailBlock, at: string, ctx: MailContext): void {
    for (const o of mailObservation(block, at, ctx)) this.collector.add(o);
  }

  unusable(raw: string, v: InferredValue | string, at: string): void {
    const reason = typeof v === 'string' ? v : (v.reason ?? 'not recognized');
    const masked = typeof v !== 'string' && v.masked === true;
    this.issues.push(
      issue('warning', masked ? 'VALUE_MASKED' : 'TXT_VALUE_NOT_RECOGNIZED', at, `TXT: "${raw.slice(0, 80)}" skipped: ${reason}`),
    );
    this.collector.skip();
  }
}

// ── the pipeline ────────────────────────────────────────────────────────────────────────────────────────

/** Imports a plain-text IOC list. Never throws: unreadable input is one error issue and no objects. */
export function importTxt(input: string | Buffer, options: TxtImportOptions): ImportResult {
  const issues: ContentIssue[] = [];
  const lines = readLines(input, issues);
  if (lines === undefined) return emptyImport(issues);
  const producer = sourceProducer(options);
  const collector = new ObjectCollector(producer.objects);
  const list: ListContext = {
    sourceName: options.sourceName ?? options.source?.name ?? '',
    created: options.now,
    validFrom: options.now,
    ...(producer.createdByRef !== undefined ? { createdByRef: producer.createdByRef } : {}),
    ...(options.tlp !== undefined ? { tlp: options.tlp } : {}),
    indicatorTypes: options.indicatorTypes ?? ['malicious-activity'],
  };
  const sink = new TxtSink(list, issues, collector);
  const state: TxtState = { section: undefined, context: undefined, inMailHeader: undefined, block: undefined, mails: [] };
  lines.forEach((rawLine, index) => importLine(rawLine, position(index + 1), state, sink));
  endMailBlock(state);
  for (const mail of state.mails) sink.mail(mail, mail.at, list);
  return collector.result(issues);
}
