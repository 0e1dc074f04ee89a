/**
 * Reads the STIX 2.1 patterns the XML exporters can represent: observations joined by AND/OR (with
 * parentheses), comparisons joined by AND/OR inside `[...]`, literals string/int/timestamp/binary/hex/set.
 * Qualifiers (WITHIN, REPEATS, START/STOP) and FOLLOWEDBY are not representable in STIX 1.x or OpenIOC, so
 * they make the reader return an error. Linear-time tokenizer, bounded nesting.
 */
import { cmp, combine, type Expr, type Operator, type PatternValue } from './pattern-tree';

type Token =
  | { t: 'punct'; v: string }
  | { t: 'word'; v: string }
  | { t: 'str'; v: string }
  | { t: 'ts'; v: string }
  | { t: 'bin'; v: string }
  | { t: 'hex'; v: string }
  | { t: 'num'; v: number };

const MAX_LEN = 100_000;
const MAX_NESTING = 64;

function tokenize(text: string): Token[] | string {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if ((c === 't' || c === 'b' || c === 'h') && text.charAt(i + 1) === "'") {
      const end = text.indexOf("'", i + 2);
      if (end < 0) return 'unterminated literal';
      const v = text.slice(i + 2, end);
      out.push(c === 't' ? { t: 'ts', v } : c === 'h' ? { t: 'hex', v } : { t: 'bin', v });
      i = end + 1;
      continue;
    }
    if (c === "'") {
      let v = '';
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text.charAt(i);
        if (d === '\\') {
          const n = text.charAt(i + 1);
          if (n !== '\\' && n !== "'") return 'invalid escape in string literal';
          v += n;
          i += 2;
          continue;
        }
        if (d === "'") {
          closed = true;
          i++;
          break;
        }
        v += d;
        i++;
      }
      if (!closed) return 'unterminated string literal';
      out.push({ t: 'str', v });
      continue;
    }
    if ('[]()=,:'.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    if (c === '!' || c === '<' || c === '>') {
      if (text.charAt(i + 1) === '=') {
        out.push({ t: 'punct', v: c + '=' });
        i += 2;
      } else if (c === '!') return "unexpected '!'";
      else {
        out.push({ t: 'punct', v: c });
        i++;
      }
      continue;
    }
    const m = /^-?[0-9]+(?:\.[0-9]+)?/.exec(text.slice(i, i + 40));
    if (m && /[0-9-]/.test(c)) {
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    const w = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i, i + 300));
    if (w) {
      out.push({ t: 'word', v: w[0] });
      i += w[0].length;
      continue;
    }
    if (c === '.' || c === '*') {
      out.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    return `unexpected character '${c}'`;
  }
  return out;
}

class Reader {
  i = 0;
  depth = 0;
  constructor(readonly toks: Token[]) {}
  peek(): Token | undefined {
    return this.toks[this.i];
  }
  isPunct(v: string): boolean {
    const t = this.peek();
    return t?.t === 'punct' && t.v === v;
  }
  isWord(v: string): boolean {
    const t = this.peek();
    return t?.t === 'word' && t.v.toUpperCase() === v;
  }
  expectPunct(v: string): void {
    if (!this.isPunct(v)) throw new Error(`expected '${v}'`);
    this.i++;
  }
  enter(): void {
    if (++this.depth > MAX_NESTING) throw new Error('pattern nested too deeply');
  }

  /** Operands read by `next`, joined by the word (`a OR b OR c`): at least the first. */
  operands(word: 'AND' | 'OR', next: () => Expr): [Expr, ...Expr[]] {
    const items: [Expr, ...Expr[]] = [next()];
    while (this.isWord(word)) {
      this.i++;
      items.push(next());
    }
    return items;
  }
  /** An n-ary AND or OR of comparisons or observations; one operand stands alone. */
  joined(kind: 'and' | 'or', next: () => Expr): Expr {
    const items = this.operands(kind === 'and' ? 'AND' : 'OR', next);
    return combine(kind, items) ?? items[0];
  }

  observationOr(): Expr {
    return this.joined('or', () => this.observationAnd());
  }
  observationAnd(): Expr {
    const items = this.operands('AND', () => this.observationAtom());
    if (this.isWord('FOLLOWEDBY')) throw new Error('FOLLOWEDBY is not representable');
    return observationsAnd(items);
  }
  /** What `inner` reads between the opening punctuation (the next token) and `close`. */
  enclosed(close: string, inner: () => Expr): Expr {
    this.i++;
    const e = inner();
    this.expectPunct(close);
    return e;
  }

  observationAtom(): Expr {
    this.enter();
    let e: Expr;
    if (this.isPunct('[')) e = this.enclosed(']', () => this.comparisonOr());
    else if (this.isPunct('(')) e = this.enclosed(')', () => this.observationOr());
    else throw new Error('expected an observation');
    if (this.isWord('WITHIN') || this.isWord('REPEATS') || this.isWord('START')) throw new Error('qualifiers are not representable');
    this.depth--;
    return e;
  }
  comparisonOr(): Expr {
    return this.joined('or', () => this.comparisonAnd());
  }
  comparisonAnd(): Expr {
    return this.joined('and', () => this.comparisonAtom());
  }
  comparisonAtom(): Expr {
    this.enter();
    const e = this.isPunct('(') ? this.enclosed(')', () => this.comparisonOr()) : this.comparison();
    this.depth--;
    return e;
  }
  comparison(): Expr {
    const rootTok = this.peek();
    if (rootTok?.t !== 'word') throw new Error('expected an object type');
    this.i++;
    this.expectPunct(':');
    const path: string[] = [];
    for (;;) {
      const t = this.peek();
      if (t?.t === 'word' || t?.t === 'str') {
        path.push(t.v);
        this.i++;
      } else throw new Error('expected a property name');
      if (this.isPunct('[')) {
        this.i++;
        const idx = this.peek();
        if (idx?.t === 'punct' && idx.v === '*') path.push('*');
        else if (idx?.t === 'num') path.push(String(idx.v));
        else throw new Error('expected an index');
        this.i++;
        this.expectPunct(']');
      }
      if (this.isPunct('.')) {
        this.i++;
        continue;
      }
      break;
    }
    let negated = false;
    if (this.isWord('NOT')) {
      negated = true;
      this.i++;
    }
    const opTok = this.peek();
    let op: Operator;
    if (opTok?.t === 'punct' && ['=', '!=', '<', '>', '<=', '>='].includes(opTok.v)) op = opTok.v as Operator;
    else if (opTok?.t === 'word' && ['MATCHES', 'LIKE', 'IN', 'ISSUBSET'].includes(opTok.v.toUpperCase()))
      op = opTok.v.toUpperCase() as Operator;
    else throw new Error('expected a comparison operator');
    this.i++;
    return cmp(rootTok.v, path, op, this.value(op), negated);
  }
  value(op: Operator): PatternValue {
    if (op === 'IN') {
      this.expectPunct('(');
      const values: (string | number)[] = [];
      for (;;) {
        const t = this.peek();
        if (t?.t === 'str' || t?.t === 'num') values.push(t.v);
        else throw new Error('expected a set member');
        this.i++;
        if (this.isPunct(',')) {
          this.i++;
          continue;
        }
        break;
      }
      this.expectPunct(')');
      return { kind: 'set', values };
    }
    const t = this.peek();
    this.i++;
    if (t?.t === 'str') return { kind: 'string', value: t.v };
    if (t?.t === 'num' && Number.isInteger(t.v)) return { kind: 'int', value: t.v };
    if (t?.t === 'num') return { kind: 'raw', value: String(t.v) };
    if (t?.t === 'word' && (t.v === 'true' || t.v === 'false')) return { kind: 'raw', value: t.v };
    if (t?.t === 'ts') return { kind: 'timestamp', value: t.v };
    if (t?.t === 'bin') return { kind: 'binary', value: t.v };
    if (t?.t === 'hex') return { kind: 'hex', value: t.v };
    throw new Error('unsupported literal');
  }
}

/**
 * Observations joined by AND: each stays its own item (two observations of one object type are two objects),
 * nested observation ANDs are flattened and repeated identical observations collapse.
 */
function observationsAnd(items: readonly Expr[]): Expr {
  const flat: Expr[] = [];
  const seen = new Set<string>();
  for (const it of items.flatMap((x) => (x.kind === 'and' && x.observations === true ? x.items : [x]))) {
    const key = JSON.stringify(it);
    if (!seen.has(key)) flat.push(it);
    seen.add(key);
  }
  return flat.length === 1 && flat[0] !== undefined ? flat[0] : { kind: 'and', items: flat, observations: true };
}

/** Parses a pattern into the comparison tree, or returns the reason it cannot be represented. */
export function parseSimplePattern(pattern: string): { expr: Expr } | { error: string } {
  if (pattern.length > MAX_LEN) return { error: 'pattern too long' };
  const toks = tokenize(pattern);
  if (typeof toks === 'string') return { error: toks };
  const r = new Reader(toks);
  try {
    const expr = r.observationOr();
    if (r.i !== toks.length) return { error: 'unexpected text after the pattern' };
    return { expr };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Reads back a MATCHES regex that is an escaped literal, possibly anchored: `^lit`, `lit$`, `lit`.
 * Returns undefined when the regex uses real metacharacters.
 */
export function literalFromRegex(regex: string): { kind: 'starts' | 'ends' | 'contains' | 'exact'; value: string } | undefined {
  let r = regex;
  const starts = r.startsWith('^');
  if (starts) r = r.slice(1);
  const ends = r.endsWith('$') && !r.endsWith('\\$');
  if (ends) r = r.slice(0, -1);
  let out = '';
  for (let i = 0; i < r.length; i++) {
    const c = r.charAt(i);
    if (c === '\\') {
      const n = r.charAt(i + 1);
      if (n === '' || /[A-Za-z0-9]/.test(n)) return undefined;
      out += n;
      i++;
      continue;
    }
    if ('^$.*+?()[]{}|'.includes(c)) return undefined;
    out += c;
  }
  const kind = starts && ends ? 'exact' : starts ? 'starts' : ends ? 'ends' : 'contains';
  return { kind, value: out };
}

/** Reads a LIKE value with `%` only at the ends (no `_`): which substring test it is. */
export function literalFromLike(like: string): { kind: 'starts' | 'ends' | 'contains' | 'exact'; value: string } | undefined {
  const lead = like.startsWith('%');
  const trail = like.endsWith('%') && like.length > 1;
  const body = like.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (body.includes('%') || body.includes('_')) return undefined;
  const kind = lead && trail ? 'contains' : lead ? 'ends' : trail ? 'starts' : 'exact';
  return { kind, value: body };
}
