/**
 * Turns the bytes of a text IOC file (CSV or plain text) into a string: BOM handling, UTF-8, windows-1251
 * (Cyrillic sources) or windows-1252 (Western European sources), UTF-16 with a BOM, and a refusal of binary input. Shared by the CSV and TXT importers.
 */
import { createRequire } from 'node:module';
import type iconvLite from 'iconv-lite';
import { issue, type ContentIssue } from '../../stix/issues';

export type TextEncoding = 'utf-8' | 'windows-1251' | 'auto';

export interface DecodedText {
  /** The text, without a BOM; undefined when the input is not text. */
  readonly text?: string;
  readonly issues: ContentIssue[];
}

/** Largest input accepted, in bytes or characters. */
export const MAX_INPUT_SIZE = 256 * 1024 * 1024;

let iconv: typeof iconvLite | undefined;

/**
 * Decodes bytes that are not UTF-8 through iconv-lite, loaded on the first such input: most files are UTF-8, and
 * loading the library was a noticeable part of a small conversion's start-up (`convert` of a CSV).
 */
function decodeWith(buf: Buffer, encoding: 'utf-16le' | 'utf-16be' | 'win1251' | 'win1252'): string {
  iconv ??= createRequire(__filename)('iconv-lite') as typeof iconvLite;
  return iconv.decode(buf, encoding);
}

function isValidUtf8(buf: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

/** Position of the first character that makes the text binary (NUL or too many control characters). */
function binaryOffset(text: string): number | undefined {
  const probe = Math.min(text.length, 65_536);
  let controls = 0;
  for (let i = 0; i < probe; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return i;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) {
      controls++;
      if (controls > 8 && controls * 20 > i) return i;
    }
  }
  return undefined;
}

/**
 * windows-1251 (Cyrillic) or windows-1252 (Western European) for bytes that are not UTF-8. Both put letters in
 * 0xC0–0xFF; Cyrillic words are runs of such bytes, while Western text has single accented letters between
 * Latin ones ("b\xf6se", "Stra\xdfe"). Most letters in runs: windows-1251.
 */
function guessSingleByteEncoding(buf: Buffer): 'windows-1251' | 'windows-1252' {
  const probe = Math.min(buf.length, 65_536);
  let letters = 0;
  let inRuns = 0;
  for (let i = 0; i < probe; i++) {
    if ((buf[i] ?? 0) < 0xc0) continue;
    letters++;
    if ((i > 0 && (buf[i - 1] ?? 0) >= 0xc0) || (i + 1 < probe && (buf[i + 1] ?? 0) >= 0xc0)) inRuns++;
  }
  return letters > 0 && inRuns * 10 >= letters * 6 ? 'windows-1251' : 'windows-1252';
}

/**
 * Decodes input for the format named in issues (`CSV`, `TXT`). `auto` reads UTF-8 when the bytes are valid
 * UTF-8, else windows-1251 or windows-1252 by the shape of the text (with an info issue). Never throws.
 */
export function decodeText(input: string | Buffer, encoding: TextEncoding, format: 'CSV' | 'TXT'): DecodedText {
  const issues: ContentIssue[] = [];
  if (input.length > MAX_INPUT_SIZE) {
    return {
      issues: [issue('error', `${format}_TOO_LARGE`, 'byte 0', `${format}: input larger than ${MAX_INPUT_SIZE} bytes`)],
    };
  }
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else if (input[0] === 0xff && input[1] === 0xfe) {
    text = decodeWith(input.subarray(2), 'utf-16le');
  } else if (input[0] === 0xfe && input[1] === 0xff) {
    text = decodeWith(input.subarray(2), 'utf-16be');
  } else if (encoding === 'windows-1251') {
    text = decodeWith(input, 'win1251');
  } else if (encoding === 'utf-8' || isValidUtf8(input)) {
    text = input.toString('utf8');
  } else {
    const guess = guessSingleByteEncoding(input);
    text = decodeWith(input, guess === 'windows-1251' ? 'win1251' : 'win1252');
    issues.push(issue('info', `${format}_ENCODING_GUESSED`, 'byte 0', `${format}: input is not UTF-8; decoded as ${guess}`));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const bad = binaryOffset(text);
  if (bad !== undefined) {
    return {
      issues: [issue('error', `${format}_NOT_TEXT`, `character ${bad}`, `${format}: input is binary, not text`)],
    };
  }
  return { text, issues };
}
