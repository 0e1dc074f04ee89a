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

function fail(tokens: Token[], problems: LexProblem[], message: string, start: number, end: number): LexResult {
  problems.push({ code: 'PATTERN_SYNTAX', message, span: { start, end }, fatal: true });
  return { tokens, problems, ok: false };
}

/** Splits a pattern into tokens. Stops at the first fatal problem. */
export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  const problems: LexProblem[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isWhitespace(c)) {
      i++;
      continue;
    }
    const start = i;
    // Comments, which the OASIS grammar skips like whitespace.
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return fail(tokens, problems, `unterminated comment opened at offset ${start}`, start, n);
      i = close + 2;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      continue;
    }
    if (c === 39 /* ' */) {
      // Pieces between escapes; only literals with an escape need them (the others are one slice).
      let chunks: string[] | undefined;
      let seg = i + 1;
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 39) {
          closed = true;
          break;
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
          problems.push({
            code: 'PATTERN_NONSTANDARD',
            message: `invalid escape '\\${text[j + 1] ?? ''}' at offset ${j}: only \\' and \\\\ are defined; the backslash is kept as a character`,
            span: { start: j, end: j + 2 },
            fatal: false,
          });
        }
        j++;
      }
      if (!closed) return fail(tokens, problems, `unterminated string literal opened at offset ${start}: expected a closing "'"`, start, n);
      const lastPiece = text.slice(seg, j);
      const value = chunks === undefined ? lastPiece : `${chunks.join('')}${lastPiece}`;
      tokens.push({ type: 'string', text: value, start, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (isIdentStart(c)) {
      // b'…', h'…' and t'…' literals.
      if ((c === 98 || c === 104 || c === 116) && text.charCodeAt(i + 1) === 39) {
        const close = text.indexOf("'", i + 2);
        if (close < 0) return fail(tokens, problems, `unterminated literal opened at offset ${start}: expected a closing "'"`, start, n);
        const type: TokenType = c === 98 ? 'binary' : c === 104 ? 'hex' : 'timestamp';
        tokens.push({ type, text: text.slice(i + 2, close), start, end: close + 1 });
        i = close + 1;
        continue;
      }
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      tokens.push({ type: 'ident', text: text.slice(i, j), start, end: j });
      i = j;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    const prev = tokens[tokens.length - 1]?.type;
    const afterOperand = prev === 'ident' || prev === 'string' || prev === ']' || prev === ')';
    const signed = (c === 43 || c === 45) && (isDigit(next) || (next === 46 && isDigit(text.charCodeAt(i + 2))));
    if (isDigit(c) || signed || (c === 46 && !afterOperand && isDigit(next))) {
      let j = signed ? i + 1 : i;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      let type: TokenType = 'int';
      if (text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) {
        type = 'float';
        j++;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      }
      tokens.push({ type, text: text.slice(i, j), start, end: j });
      i = j;
      continue;
    }
    switch (c) {
      case 61: // =
        i += next === 61 ? 2 : 1;
        tokens.push({ type: 'op', text: '=', start, end: i });
        continue;
      case 33: // !
        if (next !== 61) return fail(tokens, problems, `unexpected '!' at offset ${start}: did you mean '!='?`, start, start + 1);
        i += 2;
        tokens.push({ type: 'op', text: '!=', start, end: i });
        continue;
      case 60: // <
        if (next === 62) {
          i += 2;
          tokens.push({ type: 'op', text: '!=', start, end: i });
        } else {
          i += next === 61 ? 2 : 1;
          tokens.push({ type: 'op', text: next === 61 ? '<=' : '<', start, end: i });
        }
        continue;
      case 62: // >
        i += next === 61 ? 2 : 1;
        tokens.push({ type: 'op', text: next === 61 ? '>=' : '>', start, end: i });
        continue;
      default: {
        const punct = PUNCT.get(c);
        if (punct !== undefined) {
          tokens.push({ type: punct, text: text[i] ?? '', start, end: i + 1 });
          i++;
          continue;
        }
        const cp = text.codePointAt(i) ?? c;
        const shown = String.fromCodePoint(cp);
        return fail(
          tokens,
          problems,
          `unexpected character '${shown}' (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) at offset ${start}`,
          start,
          start + shown.length,
        );
      }
    }
  }
  tokens.push({ type: 'eof', text: '', start: n, end: n });
  return { tokens, problems, ok: true };
}
