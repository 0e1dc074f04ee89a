/**
 * Lexer for STIX 2.1 patterns: one linear pass with `charCodeAt`, no regular expressions, no per-character
 * string concatenation (string literals are sliced in chunks between escapes).
 */
import type { Span } from './ast';

export type TokenType =
  | 'ident' // identifier or keyword: [A-Za-z_][A-Za-z0-9_-]*
  | 'string' // '…' with escapes decoded
  | 'int' // [+-]?digits
  | 'float' // [+-]?digits?.digits
  | 'binary' // b'…' raw content
  | 'hex' // h'…' raw content
  | 'timestamp' // t'…' raw content
  | 'op' // = != < <= > >= (== and <> folded onto = and !=)
  | '['
  | ']'
  | '('
  | ')'
  | ':'
  | '.'
  | ','
  | '*'
  | 'eof';

export interface Token {
  readonly type: TokenType;
  /** Identifier or number text, decoded string value, literal content, or the operator. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface LexProblem {
  readonly code: 'PATTERN_SYNTAX' | 'PATTERN_NONSTANDARD';
  readonly message: string;
  readonly span: Span;
  readonly fatal: boolean;
}

export interface LexResult {
  readonly tokens: Token[];
  readonly problems: LexProblem[];
  /** False when a fatal problem stopped the lexer. */
  readonly ok: boolean;
}

const PUNCT: ReadonlyMap<number, TokenType> = new Map<number, TokenType>([
  [91, '['],
  [93, ']'],
  [40, '('],
  [41, ')'],
  [58, ':'],
  [46, '.'],
  [44, ','],
  [42, '*'],
]);

function isWhitespace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === 45;
}

/** What a scanner answers: the offset after what it read, or the fatal problem that stops the lexer. */
type Scan = number | { readonly message: string; readonly start: number; readonly end: number };

/** The pattern being lexed and what has been found so far. */
interface Lexing {
  readonly text: string;
  readonly tokens: Token[];
  readonly problems: LexProblem[];
}

/** Comments, which the OASIS grammar skips like whitespace: `/* … *\/` and `// …` to the end of the line. */
function skipComment(text: string, start: number): Scan {
  if (text.charCodeAt(start + 1) === 42 /* * */) {
    const close = text.indexOf('*/', start + 2);
    return close < 0 ? { message: `unterminated comment opened at offset ${start}`, start, end: text.length } : close + 2;
  }
  let i = start;
  while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  return i;
}

/** A '…' string literal; \' and \\ are decoded, another backslash is kept with a non-fatal problem. */
function scanString(s: Lexing, start: number): Scan {
  const { text } = s;
  const n = text.length;
  // Pieces between escapes; only literals with an escape need them (the others are one slice).
  let chunks: string[] | undefined;
  let seg = start + 1;
  let j = start + 1;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (d === 39) {
      const lastPiece = text.slice(seg, j);
      const value = chunks === undefined ? lastPiece : `${chunks.join('')}${lastPiece}`;
      s.tokens.push({ type: 'string', text: value, start, end: j + 1 });
      return j + 1;
    }
    if (d === 92 /* \ */) {
      const e = text.charCodeAt(j + 1);
      if (e === 39 || e === 92) {
        (chunks ??= []).push(text.slice(seg, j));
        seg = j + 1; // keep the escaped character, drop the backslash
        j += 2;
        continue;
      }
      if (j + 1 >= n) break;
      s.problems.push({
        code: 'PATTERN_NONSTANDARD',
        message: `invalid escape '\\${text[j + 1] ?? ''}' at offset ${j}: only \\' and \\\\ are defined; the backslash is kept as a character`,
        span: { start: j, end: j + 2 },
        fatal: false,
      });
    }
    j++;
  }
  return { message: `unterminated string literal opened at offset ${start}: expected a closing "'"`, start, end: n };
}

/** An identifier or keyword, or a b'…', h'…' or t'…' literal (raw content). */
function scanWord(s: Lexing, start: number, c: number): Scan {
  const { text } = s;
  if ((c === 98 || c === 104 || c === 116) && text.charCodeAt(start + 1) === 39) {
    const close = text.indexOf("'", start + 2);
    if (close < 0) return { message: `unterminated literal opened at offset ${start}: expected a closing "'"`, start, end: text.length };
    const type: TokenType = c === 98 ? 'binary' : c === 104 ? 'hex' : 'timestamp';
    s.tokens.push({ type, text: text.slice(start + 2, close), start, end: close + 1 });
    return close + 1;
  }
  let j = start + 1;
  while (j < text.length && isIdentPart(text.charCodeAt(j))) j++;
  s.tokens.push({ type: 'ident', text: text.slice(start, j), start, end: j });
  return j;
}

/** Whether a number starts here: a digit, a sign before digits, or `.5` where no operand precedes it. */
function startsNumber(s: Lexing, i: number, c: number): boolean {
  const { text } = s;
  const next = text.charCodeAt(i + 1);
  if (isDigit(c) || ((c === 43 || c === 45) && (isDigit(next) || (next === 46 && isDigit(text.charCodeAt(i + 2)))))) return true;
  const prev = s.tokens[s.tokens.length - 1]?.type;
  const afterOperand = prev === 'ident' || prev === 'string' || prev === ']' || prev === ')';
  return c === 46 && !afterOperand && isDigit(next);
}

function scanNumber(s: Lexing, start: number, c: number): number {
  const { text } = s;
  let j = c === 43 || c === 45 ? start + 1 : start;
  while (j < text.length && isDigit(text.charCodeAt(j))) j++;
  let type: TokenType = 'int';
  if (text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) {
    type = 'float';
    j++;
    while (j < text.length && isDigit(text.charCodeAt(j))) j++;
  }
  s.tokens.push({ type, text: text.slice(start, j), start, end: j });
  return j;
}

/** A comparison operator (`==` and `<>` folded onto `=` and `!=`) or punctuation. */
function scanOperator(s: Lexing, start: number, c: number): Scan {
  const { text } = s;
  const next = text.charCodeAt(start + 1);
  const op = (opText: string, length: number): number => {
    s.tokens.push({ type: 'op', text: opText, start, end: start + length });
    return start + length;
  };
  switch (c) {
    case 61: // =
      return op('=', next === 61 ? 2 : 1);
    case 33: // !
      return next === 61 ? op('!=', 2) : { message: `unexpected '!' at offset ${start}: did you mean '!='?`, start, end: start + 1 };
    case 60: // <
      return next === 62 ? op('!=', 2) : next === 61 ? op('<=', 2) : op('<', 1);
    case 62: // >
      return next === 61 ? op('>=', 2) : op('>', 1);
    default: {
      const punct = PUNCT.get(c);
      if (punct !== undefined) {
        s.tokens.push({ type: punct, text: text[start] ?? '', start, end: start + 1 });
        return start + 1;
      }
      const cp = text.codePointAt(start) ?? c;
      const shown = String.fromCodePoint(cp);
      return {
        message: `unexpected character '${shown}' (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) at offset ${start}`,
        start,
        end: start + shown.length,
      };
    }
  }
}

function scanToken(s: Lexing, i: number, c: number): Scan {
  if (c === 47 /* / */ && (s.text.charCodeAt(i + 1) === 42 || s.text.charCodeAt(i + 1) === 47)) return skipComment(s.text, i);
  if (c === 39 /* ' */) return scanString(s, i);
  if (isIdentStart(c)) return scanWord(s, i, c);
  if (startsNumber(s, i, c)) return scanNumber(s, i, c);
  return scanOperator(s, i, c);
}

/** Splits a pattern into tokens. Stops at the first fatal problem. */
export function lex(text: string): LexResult {
  const s: Lexing = { text, tokens: [], problems: [] };
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isWhitespace(c)) {
      i++;
      continue;
    }
    const next = scanToken(s, i, c);
    if (typeof next !== 'number') {
      s.problems.push({ code: 'PATTERN_SYNTAX', message: next.message, span: { start: next.start, end: next.end }, fatal: true });
      return { tokens: s.tokens, problems: s.problems, ok: false };
    }
    i = next;
  }
  s.tokens.push({ type: 'eof', text: '', start: text.length, end: text.length });
  return { tokens: s.tokens, problems: s.problems, ok: true };
}
