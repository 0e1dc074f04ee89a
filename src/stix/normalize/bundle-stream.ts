/**
 * Streaming bundle I/O for the offline commands, so a 100 MB bundle never sits in memory whole: a
 * hand-written incremental scanner finds the elements of the top-level `objects` array (bracket depth plus
 * string/escape tracking, linear time, one pass) and JSON.parses them one at a time; the writer emits a
 * bundle object by object.
 */

/** One element of the `objects` array: parsed, or why it could not be. */
export type BundleElement =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly code: 'INVALID_JSON' | 'OBJECT_TOO_LARGE'; readonly message: string };

/** The input as a whole is not a JSON object (a fault of the file, not of one element). */
export class BundleSyntaxError extends Error {}

type Mode = 'start' | 'key' | 'colon' | 'value' | 'array' | 'end';

/** The two lists the scanner walks: the top-level object's members (closed by `}`) and the objects array (`]`). */
const LISTS: Readonly<Record<'key' | 'array', { readonly close: number; readonly after: Mode }>> = {
  key: { close: 0x7d, after: 'end' },
  array: { close: 0x5d, after: 'key' },
};

/** Default cap on one element's text (larger ones are skipped and reported, never buffered). */
export const DEFAULT_MAX_ELEMENT_CHARS = 16 * 1024 * 1024;
const MAX_HEADER_CHARS = 1024 * 1024;

/**
 * Incremental scanner. Feed it text chunks; it calls `emit` for every element of the top-level `objects`
 * array and keeps the other top-level properties (each bounded to 1 MiB) in `header`.
 */
export class BundleScanner {
  /** Top-level properties other than `objects`, parsed. */
  readonly header: Record<string, unknown> = {};
  /** True once a top-level `objects` array was seen. */
  sawObjects = false;
  private mode: Mode = 'start';
  private key = '';
  private capturing = false;
  private buf = '';
  private overflow = false;
  private depth = 0;
  private inString = false;
  private escape = false;
  private primitive = false;

  constructor(private readonly maxElementChars: number = DEFAULT_MAX_ELEMENT_CHARS) {}

  feed(chunk: string, emit: (el: BundleElement) => void): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.capturing) {
        const done = this.step(c);
        if (done === 0) continue;
        // done: 1 = value ends after this char, 2 = value ended before this char.
        const end = done === 1 ? i + 1 : i;
        this.append(chunk.slice(start, end));
        this.capturing = false;
        this.complete(emit);
        if (done === 1) continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) continue;
      switch (this.mode) {
        case 'start':
          if (c !== 0x7b) throw new BundleSyntaxError('input is not a JSON object');
          this.mode = 'key';
          break;
        case 'key':
        case 'array': {
          // A list (the top-level object's members, the objects array): a comma separates items, the list's
          // closer ends it, anything else begins an item (a member begins with its quoted name).
          const list = LISTS[this.mode];
          if (c === 0x2c) break;
          if (c === list.close) {
            this.mode = list.after;
            break;
          }
          if (this.mode === 'key' && c !== 0x22)
            throw new BundleSyntaxError(`unexpected '${chunk[i] ?? ''}' where a property name was expected`);
          start = i;
          this.begin(c);
          break;
        }
        case 'colon':
          if (c !== 0x3a) throw new BundleSyntaxError(`expected ':' after "${this.key}"`);
          this.mode = 'value';
          break;
        case 'value':
          if (this.key === 'objects' && c === 0x5b) {
            this.sawObjects = true;
            this.mode = 'array';
            break;
          }
          start = i;
          this.begin(c);
          break;
        case 'end':
          throw new BundleSyntaxError('unexpected content after the end of the top-level object');
      }
    }
    if (this.capturing) this.append(chunk.slice(start));
  }

  /** Call after the last chunk. */
  finish(): void {
    if (this.mode !== 'end') throw new BundleSyntaxError('input ends before the top-level object is closed');
  }

  private begin(c: number): void {
    this.capturing = true;
    this.buf = '';
    this.overflow = false;
    this.inString = c === 0x22;
    this.escape = false;
    this.primitive = c !== 0x22 && c !== 0x7b && c !== 0x5b;
    this.depth = c === 0x7b || c === 0x5b ? 1 : 0;
  }

  /** Advances the capture by one char (after the first, which begin() saw); 0 = continue, 1 = ends here, 2 = ended before. */
  private step(c: number): 0 | 1 | 2 {
    if (this.inString) {
      if (this.escape) this.escape = false;
      else if (c === 0x5c) this.escape = true;
      else if (c === 0x22) {
        this.inString = false;
        if (this.depth === 0) return 1;
      }
      return 0;
    }
    if (this.primitive) {
      return c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 ? 2 : 0;
    }
    if (c === 0x22) this.inString = true;
    else if (c === 0x7b || c === 0x5b) this.depth++;
    else if (c === 0x7d || c === 0x5d) {
      this.depth--;
      if (this.depth === 0) return 1;
    }
    return 0;
  }

  private append(text: string): void {
    if (this.overflow) return;
    const limit = this.mode === 'array' ? this.maxElementChars : MAX_HEADER_CHARS;
    if (this.buf.length + text.length > limit) {
      this.overflow = true;
      this.buf = '';
      return;
    }
    this.buf += text;
  }

  private complete(emit: (el: BundleElement) => void): void {
    const text = this.buf;
    this.buf = '';
    if (this.mode === 'key') {
      this.key = this.parseHeader(text, 'property name');
      this.mode = 'colon';
      return;
    }
    if (this.mode === 'value') {
      if (this.overflow) throw new BundleSyntaxError(`top-level property "${this.key}" is too large`);
      this.header[this.key] = this.parseValue(text);
      this.mode = 'key';
      return;
    }
    if (this.overflow) {
      emit({ ok: false, code: 'OBJECT_TOO_LARGE', message: `element is larger than ${this.maxElementChars} characters` });
      return;
    }
    try {
      emit({ ok: true, value: JSON.parse(text) as unknown });
    } catch (e) {
      emit({ ok: false, code: 'INVALID_JSON', message: e instanceof Error ? e.message : 'invalid JSON' });
    }
  }

  private parseValue(text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new BundleSyntaxError(`top-level property "${this.key}" is not valid JSON`);
    }
  }

  private parseHeader(text: string, what: string): string {
    const v = this.parseValue(text);
    if (typeof v !== 'string') throw new BundleSyntaxError(`invalid ${what}`);
    return v;
  }
}

/**
 * Yields the elements of the top-level `objects` array of a bundle or TAXII envelope read from `input`.
 * When the input has no `objects` array, it is taken as a single object and yielded as the one element.
 * The scanner is returned through `onHeader` once the input is consumed.
 */
export async function* readBundleElements(
  input: AsyncIterable<string | Buffer>,
  onHeader?: (header: Readonly<Record<string, unknown>>, sawObjects: boolean) => void,
  maxElementChars?: number,
): AsyncGenerator<BundleElement> {
  const scanner = new BundleScanner(maxElementChars);
  const decoder = new TextDecoder('utf-8');
  const pending: BundleElement[] = [];
  for await (const chunk of input) {
    scanner.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }), (el) => pending.push(el));
    while (pending.length > 0) {
      const el = pending.shift();
      if (el !== undefined) yield el;
    }
  }
  scanner.feed(decoder.decode(), (el) => pending.push(el));
  scanner.finish();
  yield* pending;
  if (!scanner.sawObjects) yield { ok: true, value: { ...scanner.header } };
  onHeader?.(scanner.header, scanner.sawObjects);
}

/** Writes a bundle incrementally: `begin`, then one `object` per stored JSON text, then `end`. */
export class BundleWriter {
  private count = 0;
  constructor(private readonly write: (text: string) => void) {}

  begin(bundleId: string): void {
    this.write(`{"type":"bundle","id":${JSON.stringify(bundleId)},"objects":[`);
  }

  /** Appends one object given as its JSON text. */
  object(json: string): void {
    this.write(this.count === 0 ? `\n${json}` : `,\n${json}`);
    this.count++;
  }

  end(): void {
    this.write(this.count === 0 ? ']}\n' : '\n]}\n');
  }
}
