/**
 * Recursive-descent parser for STIX 2.1 patterns (STIX 2.1 §9, OASIS grammar STIXPattern.g4).
 *
 * Precedence, loosest first: FOLLOWEDBY, OR, AND between observations; qualifiers (WITHIN, REPEATS,
 * START/STOP) bind to the observation expression before them; inside `[...]` OR is looser than AND.
 * Nesting of parentheses and brackets is bounded (`maxDepth`), so deep input is an issue, not a stack overflow.
 *
 * Lenient on input, strict on output: `==`/`<>`, lower-case keywords, unquoted hyphenated keys
 * (`hashes.SHA-256`), unknown string escapes and string-written START/STOP timestamps are accepted with a
 * PATTERN_NONSTANDARD warning; the printer always writes the standard form.
 */
import { type ContentIssue, issue } from '../issues';
import { compareTimestamps, parseTimestamp } from '../time';
import type {
  ComparisonExpression,
  CompareOperator,
  Literal,
  ObjectPath,
  ObservationExpression,
  PathStep,
  Pattern,
  PropTest,
  Qualifier,
  Span,
} from './ast';
import { type Token, lex } from './lexer';
import { SCO_TYPES, isCustomObjectType, isWellFormedTypeName, scoHasProperty } from '../sco-properties';
import type { OutcomeCode } from '../../common/outcome-codes';

export interface ParseOptions {
  /** Longest accepted pattern, in UTF-16 code units (default 1 MiB). */
  readonly maxLength?: number;
  /** Deepest accepted nesting of `(` and `[` (default 200). */
  readonly maxDepth?: number;
}

export interface ParseResult {
  /**
   * The AST whenever the text is syntactically a pattern, even if semantic errors were found (unknown object
   * type, bad literal): check `hasErrors(issues)` before trusting it. Absent on a syntax error.
   */
  readonly value?: Pattern;
  readonly issues: ContentIssue[];
}

export const DEFAULT_MAX_PATTERN_LENGTH = 1024 * 1024;
export const DEFAULT_MAX_PATTERN_DEPTH = 200;

/** The issue path for a span of the pattern text. */
export function patternSpanPath(span: Span | undefined): string {
  return span === undefined ? '/pattern' : `/pattern@[${span.start},${span.end}]`;
}

/** Thrown inside the parser only, to unwind on the first syntax error; never escapes `parsePattern`. */
class Abort {
  constructor(readonly issue: ContentIssue) {}
}

const SYMBOL_OPS: ReadonlyMap<string, CompareOperator> = new Map<string, CompareOperator>([
  ['=', '='],
  ['!=', '!='],
  ['<', '<'],
  ['<=', '<='],
  ['>', '>'],
  ['>=', '>='],
]);
const WORD_OPS: ReadonlyMap<string, CompareOperator> = new Map<string, CompareOperator>([
  ['LIKE', 'LIKE'],
  ['MATCHES', 'MATCHES'],
  ['ISSUBSET', 'ISSUBSET'],
  ['ISSUPERSET', 'ISSUPERSET'],
]);
const MAX_REGEX_CHECK = 10_000;

/** Canonical decimal text of an int or float token (sign kept only when negative and non-zero). */
export function canonicalNumberText(text: string): string {
  let s = text;
  let neg = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    neg = s.startsWith('-');
    s = s.slice(1);
  }
  const dot = s.indexOf('.');
  let intPart = dot < 0 ? s : s.slice(0, dot);
  let frac = dot < 0 ? '' : s.slice(dot + 1);
  let k = 0;
  while (k < intPart.length - 1 && intPart.charCodeAt(k) === 48) k++;
  intPart = intPart.slice(k) || '0';
  if (dot >= 0) {
    let e = frac.length;
    while (e > 1 && frac.charCodeAt(e - 1) === 48) e--;
    frac = frac.slice(0, e) || '0';
  }
  const body = dot < 0 ? intPart : `${intPart}.${frac}`;
  const zero = intPart === '0' && (dot < 0 || /^0+$/.test(frac));
  return neg && !zero ? `-${body}` : body;
}

function isBase64(s: string): boolean {
  if (s.length % 4 !== 0) return false;
  let pad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 61) {
      pad++;
      continue;
    }
    if (pad > 0) return false;
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
    if (!ok) return false;
  }
  return pad <= 2;
}

function isHexEven(s: string): boolean {
  if (s.length % 2 !== 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
    if (!ok) return false;
  }
  return true;
}

function isPlainKey(s: string): boolean {
  if (s.length === 0 || !/^[A-Za-z_]/.test(s)) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
    if (!ok) return false;
  }
  return true;
}

class Parser {
  private pos = 0;
  private depth = 0;
  private warnedKeywordCase = false;
  /** Root object type of the comparison expression just parsed; '' when it mixes types. */
  private exprType = '';
  private mixedWarned = false;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly issues: ContentIssue[],
    private readonly maxDepth: number,
  ) {}

  parse(): Pattern {
    const p = this.parseFollowedBy();
    const t = this.peek();
    if (t.type !== 'eof') {
      this.fail(
        t,
        `unexpected ${this.describe(t)} at offset ${t.start}: expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern`,
      );
    }
    return p;
  }

  // ---- tokens -------------------------------------------------------------------------------------

  private peek(offset = 0): Token {
    const t = this.tokens[this.pos + offset] ?? this.tokens[this.tokens.length - 1];
    if (t === undefined) throw new Abort(issue('error', 'PATTERN_SYNTAX', '/pattern', 'empty token stream'));
    return t;
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.pos++;
    return t;
  }

  private describe(t: Token): string {
    switch (t.type) {
      case 'eof':
        return 'end of pattern';
      case 'ident':
        return `'${t.text}'`;
      case 'string':
        return 'string literal';
      case 'int':
      case 'float':
        return `number ${t.text}`;
      case 'binary':
      case 'hex':
      case 'timestamp':
        return `${t.type} literal`;
      default:
        return `'${t.text}'`;
    }
  }

  private fail(t: Token | Span, message: string, code: OutcomeCode = 'PATTERN_SYNTAX'): never {
    throw new Abort(issue('error', code, patternSpanPath({ start: t.start, end: t.end }), message));
  }

  /** True when the next token is the keyword `kw`; lower-case spellings are accepted with a warning. */
  private isKeyword(kw: string, offset = 0): boolean {
    const t = this.peek(offset);
    if (t.type !== 'ident' || t.text.length !== kw.length) return false;
    if (t.text === kw) return true;
    if (t.text.toUpperCase() !== kw) return false;
    if (!this.warnedKeywordCase) {
      this.warnedKeywordCase = true;
      this.issues.push(
        issue('warning', 'PATTERN_NONSTANDARD', patternSpanPath(t), `keyword '${t.text}' should be written in upper case ('${kw}')`),
      );
    }
    return true;
  }

  private expect(type: Token['type'], message: string): Token {
    const t = this.peek();
    if (t.type !== type) this.fail(t, `${message}, found ${this.describe(t)}`);
    return this.next();
  }

  private enter(t: Token): void {
    this.depth++;
    if (this.depth > this.maxDepth) {
      this.fail(t, `pattern nested deeper than ${this.maxDepth} levels of '(' and '['`, 'PATTERN_TOO_DEEP');
    }
  }

  // ---- observation expressions ---------------------------------------------------------------------

  /**
   * `operand (KEYWORD operand)*`, left to right: the first operand and all of them. With `commonType`, leaves
   * `exprType` at the object type the comparisons share, or '' when they differ.
   */
  private naryOperands<T>(keyword: string, operand: () => T, commonType = false): { first: T; operands: T[] } {
    const first = operand();
    const operands = [first];
    let type = this.exprType;
    while (this.isKeyword(keyword)) {
      this.next();
      operands.push(operand());
      if (this.exprType !== type) type = '';
    }
    if (commonType) this.exprType = type;
    return { first, operands };
  }

  /** `( inner )` where `t` is the opening parenthesis; it counts one level against the depth bound. */
  private parenthesized<T>(t: Token, inner: () => T): T {
    this.enter(t);
    this.next();
    const expr = inner();
    const close = this.peek();
    if (close.type !== ')') {
      this.fail(close, `expected ')' to close the parenthesis opened at offset ${t.start}, found ${this.describe(close)}`);
    }
    this.next();
    this.depth--;
    return expr;
  }

  private parseFollowedBy(): ObservationExpression {
    const { first, operands } = this.naryOperands('FOLLOWEDBY', () => this.parseObsOr());
    if (operands.length === 1) return first;
    return { kind: 'followedby', operands, span: spanOf(first, operands[operands.length - 1]) };
  }

  private parseObsOr(): ObservationExpression {
    const { first, operands } = this.naryOperands('OR', () => this.parseObsAnd());
    if (operands.length === 1) return first;
    return { kind: 'obs-or', operands, span: spanOf(first, operands[operands.length - 1]) };
  }

  private parseObsAnd(): ObservationExpression {
    const { first, operands } = this.naryOperands('AND', () => this.parseQualified());
    if (operands.length === 1) return first;
    return { kind: 'obs-and', operands, span: spanOf(first, operands[operands.length - 1]) };
  }

  private parseQualified(): ObservationExpression {
    let expr = this.parseObsPrimary();
    // Each qualifier nests the expression one level deeper, so a chain of them counts against the depth bound.
    const depth = this.depth;
    for (;;) {
      let qualifier: Qualifier;
      const t = this.peek();
      if (this.isKeyword('WITHIN')) qualifier = this.parseWithin();
      else if (this.isKeyword('REPEATS')) qualifier = this.parseRepeats();
      else if (this.isKeyword('START')) qualifier = this.parseStartStop();
      else {
        this.depth = depth;
        return expr;
      }
      this.enter(t);
      expr = { kind: 'qualified', expression: expr, qualifier, span: spanOf(expr, qualifier) };
    }
  }

  private parseWithin(): Qualifier {
    const kw = this.next();
    const n = this.peek();
    if (n.type !== 'int' && n.type !== 'float') this.fail(n, `expected a number of seconds after WITHIN, found ${this.describe(n)}`);
    this.next();
    const seconds = canonicalNumberText(n.text);
    if (seconds.startsWith('-') || /^[0.]+$/.test(seconds)) {
      this.fail(n, `WITHIN needs a positive number of seconds, found ${n.text}`, 'PATTERN_BAD_QUALIFIER');
    }
    const end = this.peek();
    if (!this.isKeyword('SECONDS')) this.fail(end, `expected SECONDS after 'WITHIN ${n.text}', found ${this.describe(end)}`);
    this.next();
    return { kind: 'within', seconds, span: { start: kw.start, end: end.end } };
  }

  private parseRepeats(): Qualifier {
    const kw = this.next();
    const n = this.peek();
    if (n.type !== 'int') this.fail(n, `expected a positive integer after REPEATS, found ${this.describe(n)}`);
    this.next();
    const times = Number(n.text);
    if (!Number.isSafeInteger(times) || times < 1) {
      this.fail(n, `REPEATS needs a positive integer, found ${n.text}`, 'PATTERN_BAD_QUALIFIER');
    }
    const end = this.peek();
    if (!this.isKeyword('TIMES')) this.fail(end, `expected TIMES after 'REPEATS ${n.text}', found ${this.describe(end)}`);
    this.next();
    return { kind: 'repeats', times, span: { start: kw.start, end: end.end } };
  }

  private parseQualifierTimestamp(after: string): string {
    const t = this.peek();
    if (t.type === 'string') {
      this.issues.push(
        issue(
          'warning',
          'PATTERN_NONSTANDARD',
          patternSpanPath(t),
          `the timestamp after ${after} should be written t'…' (STIX 2.1), not as a plain string`,
        ),
      );
    } else if (t.type !== 'timestamp') {
      this.fail(t, `expected a timestamp t'…' after ${after}, found ${this.describe(t)}`);
    }
    this.next();
    this.checkTimestamp(t.text, t, `'${clip(t.text)}'`);
    return t.text;
  }

  /** A timestamp literal must be an RFC 3339 UTC timestamp; `shown` is how the message quotes it. */
  private checkTimestamp(text: string, at: Span, shown: string): void {
    if (parseTimestamp(text) === undefined) {
      this.issues.push(
        issue('error', 'PATTERN_BAD_LITERAL', patternSpanPath(at), `${shown} is not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SS[.s]Z)`),
      );
    }
  }

  private parseStartStop(): Qualifier {
    const kw = this.next();
    const start = this.parseQualifierTimestamp('START');
    const s = this.peek();
    if (!this.isKeyword('STOP')) this.fail(s, `expected STOP after the START timestamp, found ${this.describe(s)}`);
    this.next();
    const stop = this.parseQualifierTimestamp('STOP');
    const span = { start: kw.start, end: this.tokens[this.pos - 1]?.end ?? kw.end };
    if (parseTimestamp(start) && parseTimestamp(stop) && compareTimestamps(start, stop) >= 0) {
      this.issues.push(
        issue('error', 'PATTERN_BAD_QUALIFIER', patternSpanPath(span), `STOP (${stop}) must be later than START (${start})`),
      );
    }
    return { kind: 'startstop', start, stop, span };
  }

  private parseObsPrimary(): ObservationExpression {
    const t = this.peek();
    if (t.type === '[') {
      this.enter(t);
      this.next();
      this.mixedWarned = false;
      const comparison = this.parseCmpOr();
      const close = this.peek();
      if (close.type !== ']') {
        this.fail(close, `expected ']' to close the observation opened at offset ${t.start}, found ${this.describe(close)}`);
      }
      this.next();
      this.depth--;
      return { kind: 'observation', comparison, span: { start: t.start, end: close.end } };
    }
    if (t.type === '(') return this.parenthesized(t, () => this.parseFollowedBy());
    if (this.isKeyword('NOT')) {
      this.fail(
        t,
        `NOT cannot negate an observation expression at offset ${t.start}: it goes before a comparison operator ("file:name NOT = 'x'")`,
      );
    }
    this.fail(t, `expected '[' to start an observation expression at offset ${t.start}, found ${this.describe(t)}`);
  }

  // ---- comparison expressions ----------------------------------------------------------------------

  private parseCmpOr(): ComparisonExpression {
    const { first, operands } = this.naryOperands('OR', () => this.parseCmpAnd(), true);
    if (operands.length === 1) return first;
    return { kind: 'or', operands, span: spanOf(first, operands[operands.length - 1]) };
  }

  private parseCmpAnd(): ComparisonExpression {
    const { first, operands } = this.naryOperands('AND', () => this.parseCmpPrimary(), true);
    if (operands.length === 1) return first;
    const type = this.exprType;
    const span = spanOf(first, operands[operands.length - 1]);
    if (type === '' && !this.mixedWarned) {
      this.mixedWarned = true;
      this.issues.push(
        issue(
          'warning',
          'PATTERN_MIXED_OBJECT_TYPES',
          patternSpanPath(span),
          'AND joins comparisons on different object types inside one observation; no single object can match. ' +
            'Split them into separate observations: [a:x = 1] AND [b:y = 2]',
        ),
      );
    }
    return { kind: 'and', operands, span };
  }

  private parseCmpPrimary(): ComparisonExpression {
    const t = this.peek();
    if (t.type === '(') return this.parenthesized(t, () => this.parseCmpOr());
    const notExists = this.isKeyword('NOT') && this.isKeyword('EXISTS', 1) && this.peek(2).type !== ':';
    if (notExists || (this.isKeyword('EXISTS') && this.peek(1).type !== ':')) {
      if (notExists) this.next();
      this.next();
      const path = this.parsePath();
      this.exprType = path.objectType;
      return { kind: 'exists', path, negated: notExists, span: { start: t.start, end: this.lastEnd() } };
    }
    if (this.isKeyword('NOT') && this.peek(1).type !== ':') {
      this.fail(
        t,
        `NOT at offset ${t.start} can only stand before a comparison operator ("file:name NOT = 'x'") or EXISTS; it cannot negate an expression`,
      );
    }
    if (t.type !== 'ident') {
      this.fail(t, `expected a comparison (object-type:property operator value) at offset ${t.start}, found ${this.describe(t)}`);
    }
    const path = this.parsePath();
    this.exprType = path.objectType;
    let negated = false;
    if (this.isKeyword('NOT')) {
      this.next();
      negated = true;
    }
    const opTok = this.peek();
    let test: PropTest;
    const symbolOp = opTok.type === 'op' ? SYMBOL_OPS.get(opTok.text) : undefined;
    const wordOp = opTok.type === 'ident' ? WORD_OPS.get(opTok.text.toUpperCase()) : undefined;
    if (symbolOp !== undefined) {
      this.next();
      const operator = symbolOp;
      const value = this.parseLiteral(opTok.text);
      if (value.kind === 'bool' && operator !== '=' && operator !== '!=') {
        this.fail(opTok, `'${operator}' compares orderable values; a boolean can only be compared with = or !=`);
      }
      test = { kind: 'compare', path, negated, operator, value, span: { start: t.start, end: this.lastEnd() } };
    } else if (this.isKeyword('IN')) {
      this.next();
      test = { kind: 'in', path, negated, values: this.parseSet(), span: { start: t.start, end: this.lastEnd() } };
    } else if (wordOp !== undefined && this.isKeyword(wordOp)) {
      this.next();
      const operator = wordOp;
      const v = this.peek();
      if (v.type !== 'string') this.fail(v, `${operator} needs a string literal '…', found ${this.describe(v)}`);
      const value = this.parseLiteral(operator);
      if (operator === 'MATCHES' && value.kind === 'string') this.checkRegex(value.value, v);
      test = { kind: 'compare', path, negated, operator, value, span: { start: t.start, end: this.lastEnd() } };
    } else {
      this.fail(
        opTok,
        `expected a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET) after '${printPathForMessage(path)}', found ${this.describe(opTok)}`,
      );
    }
    return test;
  }

  private lastEnd(): number {
    return this.tokens[this.pos - 1]?.end ?? 0;
  }

  private checkRegex(source: string, t: Token): void {
    if (source.length > MAX_REGEX_CHECK) return;
    try {
      new RegExp(source);
    } catch (e) {
      // PCRE constructs JavaScript lacks (inline flags, possessive quantifiers…) make this only a warning.
      const pcreOnly =
        source.includes('(?') || source.includes('++') || source.includes('*+') || source.includes('\\A') || source.includes('\\Z');
      const reason = e instanceof Error ? e.message : String(e);
      this.issues.push(
        issue(
          pcreOnly ? 'warning' : 'error',
          'PATTERN_BAD_LITERAL',
          patternSpanPath(t),
          `MATCHES needs a valid regular expression: ${reason}`,
        ),
      );
    }
  }

  private parseSet(): Literal[] {
    const open = this.peek();
    if (open.type !== '(') this.fail(open, `expected '(' to start the IN list, found ${this.describe(open)}`);
    this.next();
    const values: Literal[] = [];
    if (this.peek().type === ')') {
      this.next();
      return values;
    }
    for (;;) {
      values.push(this.parseLiteral('IN'));
      const sep = this.next();
      if (sep.type === ')') return values;
      if (sep.type !== ',')
        this.fail(sep, `expected ',' or ')' in the IN list opened at offset ${open.start}, found ${this.describe(sep)}`);
    }
  }

  private parseLiteral(after: string): Literal {
    const t = this.peek();
    const span = { start: t.start, end: t.end };
    switch (t.type) {
      case 'string':
        this.next();
        return { kind: 'string', value: t.text, span };
      case 'int': {
        this.next();
        const value = Number(t.text);
        if (!Number.isSafeInteger(value)) {
          this.issues.push(
            issue('error', 'PATTERN_BAD_LITERAL', patternSpanPath(span), `integer ${clip(t.text)} is out of range (|n| ≤ 2^53 − 1)`),
          );
          return { kind: 'int', value: 0, span };
        }
        return { kind: 'int', value: value === 0 ? 0 : value, span };
      }
      case 'float':
        this.next();
        return { kind: 'float', text: canonicalNumberText(t.text), span };
      case 'binary':
        this.next();
        if (!isBase64(t.text)) {
          this.issues.push(issue('error', 'PATTERN_BAD_LITERAL', patternSpanPath(span), `b'${clip(t.text)}' is not valid base64`));
        }
        return { kind: 'binary', value: t.text, span };
      case 'hex':
        this.next();
        if (!isHexEven(t.text)) {
          this.issues.push(
            issue('error', 'PATTERN_BAD_LITERAL', patternSpanPath(span), `h'${clip(t.text)}' must hold an even number of hex digits`),
          );
        }
        return { kind: 'hex', value: t.text.toLowerCase(), span };
      case 'timestamp':
        this.next();
        this.checkTimestamp(t.text, span, `t'${clip(t.text)}'`);
        return { kind: 'timestamp', value: t.text, span };
      case 'ident':
        // Booleans are lower case in STIX 2.1; other spellings are accepted with a warning.
        if (t.text === 'true' || t.text === 'false' || this.isKeyword('TRUE') || this.isKeyword('FALSE')) {
          this.next();
          return { kind: 'bool', value: t.text.toLowerCase() === 'true', span };
        }
        break;
      default:
        break;
    }
    this.fail(t, `expected a value after ${after} ('string', number, true/false, b'…', h'…' or t'…'), found ${this.describe(t)}`);
  }

  private parsePath(): ObjectPath {
    const typeTok = this.expect('ident', 'expected an object type (e.g. file, ipv4-addr)');
    const objectType = typeTok.text;
    const colon = this.peek();
    if (colon.type !== ':') this.fail(colon, `expected ':' after the object type '${objectType}', found ${this.describe(colon)}`);
    this.next();
    const steps: PathStep[] = [];
    steps.push({ kind: 'key', key: this.parseKey() });
    for (;;) {
      const t = this.peek();
      if (t.type === '.') {
        this.next();
        steps.push({ kind: 'key', key: this.parseKey() });
      } else if (t.type === '[') {
        this.next();
        const idx = this.next();
        if (idx.type === '*') steps.push({ kind: 'any' });
        else if (idx.type === 'int' && Number.isSafeInteger(Number(idx.text))) steps.push({ kind: 'index', index: Number(idx.text) || 0 });
        else this.fail(idx, `expected a list index (integer or *) after '[' at offset ${t.start}, found ${this.describe(idx)}`);
        this.expect(']', `expected ']' to close the list index opened at offset ${t.start}`);
      } else {
        break;
      }
    }
    const span = { start: typeTok.start, end: this.lastEnd() };
    this.checkPath(objectType, steps, span);
    return { objectType, steps };
  }

  private parseKey(): string {
    const t = this.peek();
    if (t.type === 'string') {
      this.next();
      return t.text;
    }
    if (t.type !== 'ident')
      this.fail(t, `expected a property name after '${t.start > 0 ? ':' : ''}' at offset ${t.start}, found ${this.describe(t)}`);
    this.next();
    if (!isPlainKey(t.text)) {
      this.issues.push(
        issue(
          'warning',
          'PATTERN_NONSTANDARD',
          patternSpanPath(t),
          `property name '${t.text}' contains '-' and must be quoted ('${t.text}')`,
        ),
      );
    }
    return t.text;
  }

  private checkPath(objectType: string, steps: readonly PathStep[], span: Span): void {
    if (!SCO_TYPES.has(objectType)) {
      if (isCustomObjectType(objectType)) return;
      // STIX 2.1: custom type names SHOULD start with x- (types defined by an extension definition need not, e.g.
      // OpenCTI's hostname) and MUST be 3 to 250 of a-z, 0-9 and -.
      this.issues.push(
        isWellFormedTypeName(objectType)
          ? issue(
              'warning',
              'PATTERN_CUSTOM_OBJECT_TYPE',
              patternSpanPath(span),
              `'${objectType}' is not a STIX 2.1 cyber-observable type: read as a custom one (custom types should start with 'x-')`,
            )
          : issue(
              'error',
              'PATTERN_UNKNOWN_OBJECT_TYPE',
              patternSpanPath(span),
              `'${objectType}' is not a STIX 2.1 cyber-observable type, nor a valid custom type name (3 to 250 of a-z, 0-9 and '-')` +
                (SCO_TYPES.has(objectType.toLowerCase()) ? `; did you mean '${objectType.toLowerCase()}'?` : ''),
            ),
      );
      return;
    }
    const first = steps[0];
    if (first?.kind === 'key' && scoHasProperty(objectType, first.key) === false) {
      this.issues.push(
        issue(
          'warning',
          'PATTERN_UNKNOWN_PROPERTY',
          patternSpanPath(span),
          `'${first.key}' is not a property of ${objectType}; custom properties must start with 'x_'`,
        ),
      );
    }
  }
}

function printPathForMessage(p: ObjectPath): string {
  const first = p.steps[0];
  return `${p.objectType}:${first?.kind === 'key' ? first.key : ''}${p.steps.length > 1 ? '…' : ''}`;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function spanOf(a: { readonly span?: Span }, b: { readonly span?: Span } | undefined): Span | undefined {
  return a.span && b?.span ? { start: a.span.start, end: b.span.end } : undefined;
}

/**
 * Parses a STIX 2.1 pattern. Never throws on any input: problems are issues with `path` = `/pattern@[start,end]`.
 * Stops at the first syntax error (no value then); semantic problems are collected and the value returned.
 */
export function parsePattern(text: string, options: ParseOptions = {}): ParseResult {
  const maxLength = options.maxLength ?? DEFAULT_MAX_PATTERN_LENGTH;
  if (text.length > maxLength) {
    return {
      issues: [
        issue(
          'error',
          'PATTERN_TOO_LONG',
          patternSpanPath({ start: 0, end: text.length }),
          `pattern is ${text.length} characters long; the limit is ${maxLength}`,
        ),
      ],
    };
  }
  const issues: ContentIssue[] = [];
  const lexed = lex(text);
  for (const p of lexed.problems) {
    issues.push(issue(p.fatal ? 'error' : 'warning', p.code, patternSpanPath(p.span), p.message));
  }
  if (!lexed.ok) return { issues };
  if (lexed.tokens.length === 1) {
    issues.push(
      issue(
        'error',
        'PATTERN_SYNTAX',
        patternSpanPath({ start: 0, end: text.length }),
        "empty pattern: expected an observation expression '[...]'",
      ),
    );
    return { issues };
  }
  try {
    const value = new Parser(lexed.tokens, issues, options.maxDepth ?? DEFAULT_MAX_PATTERN_DEPTH).parse();
    return { value, issues };
  } catch (e) {
    if (e instanceof Abort) {
      issues.push(e.issue);
      return { issues };
    }
    throw e;
  }
}
