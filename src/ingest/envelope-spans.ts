/**
 * Where each element of a posted envelope's `objects` array lies in its text, so the worker can JSON.parse one
 * batch at a time instead of the whole envelope up front. Parsed whole, a 10 000-object envelope stays alive for
 * the entire job and the garbage collector copies it from one young-generation space to the other on every
 * scavenge until it is promoted: in the ingest benchmark that was ~17 µs of worker CPU per object. Parsed per
 * batch, only the batch in hand is alive.
 *
 * The text has already been accepted by JSON.parse (the API checks every envelope before it is queued), so
 * this scanner only needs to find boundaries: strings are skipped with indexOf, brackets counted. It gives up
 * (returns undefined, and the caller parses the whole text as before) whenever its reading could differ from
 * JSON.parse's: a top-level key written with escapes, no `objects` key or more than one (JSON.parse keeps the
 * last), or an `objects` value that is not an array.
 */

/** Start and end offsets of each element of the top-level `objects` array, in order. */
export interface ElementSpans {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The offset just after the string that starts at `i` (an opening quote), or -1 when it never ends. */
function endOfString(text: string, i: number): number {
  let j = text.indexOf('"', i + 1);
  while (j > 0) {
    // a quote preceded by an odd number of backslashes is escaped
    let k = j - 1;
    while (text.charCodeAt(k) === BACKSLASH) k--;
    if ((j - 1 - k) % 2 === 0) return j + 1;
    j = text.indexOf('"', j + 1);
  }
  return -1;
}

/** The offset just after the JSON value that starts at `i`, or -1. */
function endOfValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return endOfString(text, i);
  if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
    // number, true, false, null: up to the next delimiter
    let j = i;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isSpace(d)) break;
      j++;
    }
    return j > i ? j : -1;
  }
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === QUOTE) {
      j = endOfString(text, j);
      if (j < 0) return -1;
      continue;
    }
    if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
    else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  return -1;
}

/** The spans of the `objects` elements, or undefined when the caller should parse the whole text instead. */
export function objectsSpans(text: string): ElementSpans | undefined {
  let i = skipSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  i = skipSpace(text, i + 1);
  let found: ElementSpans | undefined;
  let seen = 0;
  if (text.charCodeAt(i) === CLOSE_BRACE) return undefined;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = endOfString(text, i);
    if (keyEnd < 0) return undefined;
    const key = text.slice(i + 1, keyEnd - 1);
    if (key.includes('\\')) return undefined;
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return undefined;
    i = skipSpace(text, i + 1);
    if (key === 'objects') {
      seen++;
      if (text.charCodeAt(i) !== OPEN_BRACKET) return undefined;
      const starts: number[] = [];
      const ends: number[] = [];
      i = skipSpace(text, i + 1);
      if (text.charCodeAt(i) === CLOSE_BRACKET) {
        i++;
      } else {
        for (;;) {
          const end = endOfValue(text, i);
          if (end < 0) return undefined;
          starts.push(i);
          ends.push(end);
          i = skipSpace(text, end);
          const d = text.charCodeAt(i);
          i++;
          if (d === CLOSE_BRACKET) break;
          if (d !== COMMA) return undefined;
          i = skipSpace(text, i);
        }
      }
      found = { starts, ends };
    } else {
      const end = endOfValue(text, i);
      if (end < 0) return undefined;
      i = end;
    }
    i = skipSpace(text, i);
    const d = text.charCodeAt(i);
    if (d === CLOSE_BRACE) break;
    if (d !== COMMA) return undefined;
    i = skipSpace(text, i + 1);
  }
  return seen === 1 ? found : undefined;
}

/** The posted objects of an envelope, parsed on demand (`slice`) from their spans. */
export interface PostedObjects {
  readonly length: number;
  /** The parsed elements [from, to). */
  slice(from: number, to: number): unknown[];
}

/** PostedObjects over the spans of `text`. */
export function lazyObjects(text: string, spans: ElementSpans): PostedObjects {
  return {
    length: spans.starts.length,
    slice(from: number, to: number): unknown[] {
      const out: unknown[] = [];
      for (let k = from; k < Math.min(to, spans.starts.length); k++) out.push(JSON.parse(text.slice(spans.starts[k], spans.ends[k])));
      return out;
    },
  };
}

/** PostedObjects over an array already parsed. */
export function parsedObjects(objects: readonly unknown[]): PostedObjects {
  return { length: objects.length, slice: (from, to) => objects.slice(from, to) };
}
