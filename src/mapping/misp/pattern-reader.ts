/**
 * Reads the simple STIX patterns MISP can represent: observations joined by AND, each a conjunction of
 * equality comparisons, where a parenthesized OR of comparisons on one path lists alternative values.
 * Anything else (other operators, qualifiers, FOLLOWEDBY, NOT, OR between observations) is reported as
 * not simple, and the exporter keeps the raw pattern as a `stix2-pattern` object. One linear pass.
 */
import type { Comparison } from './comparisons';

export const MAX_PATTERN_CHARS = 100_000;

type Token =
  | { readonly t: 'punct'; readonly v: '[' | ']' | '(' | ')' | '=' }
  | { readonly t: 'word'; readonly v: string }
  | { readonly t: 'path'; readonly root: string; readonly path: string[] }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'number'; readonly v: number }
  | { readonly t: 'bool'; readonly v: boolean };

function lex(src: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '[' || c === ']' || c === '(' || c === ')' || c === '=') {
      out.push({ t: 'punct', v: c });
      i++;
    } else if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        const d = src[i];
        if (d === undefined) return undefined;
        if (d === '\\') {
          const e = src[i + 1];
          if (e !== '\\' && e !== "'") return undefined;
          v += e;
          i += 2;
        } else if (d === "'") {
          i++;
          break;
        } else {
          v += d;
          i++;
        }
      }
      out.push({ t: 'string', v });
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d{1,15}(?:\.\d{1,15})?/.exec(src.slice(i, i + 40));
      if (!m) return undefined;
      out.push({ t: 'number', v: Number(m[0]) });
      i += m[0].length;
    } else if (c === 't' && src[i + 1] === "'") {
      // A timestamp literal t'...': its text is the value (MISP keeps date-times as text).
      const end = src.indexOf("'", i + 2);
      if (end < 0 || end - i > 64) return undefined;
      out.push({ t: 'string', v: src.slice(i + 2, end) });
      i = end + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z0-9_-]{1,250}/.exec(src.slice(i, i + 260));
      if (!m) return undefined;
      i += m[0].length;
      if (src[i] !== ':' && (m[0] === 'true' || m[0] === 'false')) {
        out.push({ t: 'bool', v: m[0] === 'true' });
        continue;
      }
      if (src[i] !== ':') {
        out.push({ t: 'word', v: m[0] });
        continue;
      }
      i++;
      const path: string[] = [];
      const r = readPath(src, i, path);
      if (r === undefined) return undefined;
      i = r;
      out.push({ t: 'path', root: m[0], path });
    } else {
      return undefined;
    }
  }
  return out;
}

/** Reads `a.b.'c-d'[*].e` from offset i into segments; list indexes become '*'. Returns the new offset. */
function readPath(src: string, start: number, path: string[]): number | undefined {
  let i = start;
  let expectKey = true;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (expectKey) {
      if (c === "'") {
        const end = src.indexOf("'", i + 1);
        if (end < 0 || end - i > 260) return undefined;
        path.push(src.slice(i + 1, end));
        i = end + 1;
      } else {
        const m = /^[A-Za-z0-9_-]{1,250}/.exec(src.slice(i, i + 260));
        if (!m) return undefined;
        path.push(m[0]);
        i += m[0].length;
      }
      expectKey = false;
    } else if (c === '.') {
      expectKey = true;
      i++;
    } else if (c === '[') {
      const m = /^\[(?:\*|\d{1,9})\]/.exec(src.slice(i, i + 12));
      if (!m) return undefined;
      path.push('*');
      i += m[0].length;
    } else {
      break;
    }
  }
  return expectKey || path.length === 0 ? undefined : i;
}

/** The observations of a simple pattern (each a list of comparisons), or undefined when it is not simple. */
export function readSimplePattern(pattern: string): Comparison[][] | undefined {
  if (pattern.length > MAX_PATTERN_CHARS) return undefined;
  const tokens = lex(pattern);
  if (tokens === undefined) return undefined;
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const isPunct = (v: string): boolean => {
    const t = peek();
    return t !== undefined && t.t === 'punct' && t.v === v;
  };
  const isWord = (v: string): boolean => {
    const t = peek();
    return t !== undefined && t.t === 'word' && t.v.toUpperCase() === v;
  };
  const comparison = (): Comparison | undefined => {
    const p = tokens[i];
    const eq = tokens[i + 1];
    const lit = tokens[i + 2];
    if (p?.t !== 'path' || eq?.t !== 'punct' || eq.v !== '=' || lit === undefined) return undefined;
    if (lit.t !== 'string' && lit.t !== 'number' && lit.t !== 'bool') return undefined;
    i += 3;
    return { root: p.root, path: p.path, value: lit.v };
  };
  const observations: Comparison[][] = [];
  for (;;) {
    if (!isPunct('[')) return undefined;
    i++;
    const list: Comparison[] = [];
    for (;;) {
      if (isPunct('(')) {
        i++;
        const groupStart = list.length;
        const first = comparison();
        if (first === undefined) return undefined;
        list.push(first);
        // A parenthesized conjunction (`(x_ref.type = ... AND x_ref.value = ...)`) is read as plain ANDs.
        while (isWord('AND')) {
          i++;
          const next = comparison();
          if (next === undefined) return undefined;
          list.push(next);
        }
        while (list.length === groupStart + 1 && isWord('OR')) {
          i++;
          const next = comparison();
          if (next === undefined || next.root !== first.root || next.path.join('.') !== first.path.join('.')) return undefined;
          list.push(next);
        }
        if (!isPunct(')')) return undefined;
        i++;
      } else {
        const c = comparison();
        if (c === undefined) return undefined;
        list.push(c);
      }
      if (isWord('AND')) {
        i++;
        continue;
      }
      break;
    }
    if (!isPunct(']')) return undefined;
    i++;
    observations.push(list);
    if (i >= tokens.length) break;
    if (!isWord('AND')) return undefined;
    i++;
  }
  return observations;
}

/**
 * The comparisons of a pattern that is only a disjunction of single equality comparisons
 * (`[a = 1 OR b = 2] OR [c = 3]`): each one is an alternative indicator value. Undefined otherwise.
 */
export function readAlternatives(pattern: string): Comparison[] | undefined {
  if (pattern.length > MAX_PATTERN_CHARS) return undefined;
  const tokens = lex(pattern);
  if (tokens === undefined) return undefined;
  const out: Comparison[] = [];
  let i = 0;
  const punct = (v: string): boolean => {
    const t = tokens[i];
    return t !== undefined && t.t === 'punct' && t.v === v;
  };
  const or = (): boolean => {
    const t = tokens[i];
    return t !== undefined && t.t === 'word' && t.v.toUpperCase() === 'OR';
  };
  for (;;) {
    if (!punct('[')) return undefined;
    i++;
    for (;;) {
      const p = tokens[i];
      const eq = tokens[i + 1];
      const lit = tokens[i + 2];
      if (
        p?.t !== 'path' ||
        eq?.t !== 'punct' ||
        eq.v !== '=' ||
        lit === undefined ||
        lit.t === 'punct' ||
        lit.t === 'word' ||
        lit.t === 'path'
      )
        return undefined;
      out.push({ root: p.root, path: p.path, value: lit.v });
      i += 3;
      if (!or()) break;
      i++;
    }
    if (!punct(']')) return undefined;
    i++;
    if (i >= tokens.length) return out;
    if (!or()) return undefined;
    i++;
  }
}
