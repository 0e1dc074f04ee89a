import { lazyObjects, objectsSpans } from '../../../src/ingest/envelope-spans';

/** What the scanner must agree with: JSON.parse's `objects`. */
function viaSpans(text: string): unknown[] | undefined {
  const spans = objectsSpans(text);
  return spans ? lazyObjects(text, spans).slice(0, spans.starts.length) : undefined;
}

/** A small deterministic generator of awkward JSON values. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}
const PIECES = ['a', '"', '\\', '\\"', '}', ']', '{', '[', ',', ':', ' ', '\n', 'ж', '😀', '\u0000', '\\\\"', 'objects', '\ud800'];
function value(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 3 ? 4 : 7));
  if (k === 0) return Array.from({ length: Math.floor(r() * 6) }, () => PIECES[Math.floor(r() * PIECES.length)]).join('');
  if (k === 1) return Math.floor(r() * 1e6) / 7 - 1000;
  if (k === 2) return [true, false, null][Math.floor(r() * 3)];
  if (k === 3) return -0.5e-7;
  if (k === 4) return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < Math.floor(r() * 4); i++) o[String(value(r, 9))] = value(r, depth + 1);
  return o;
}

/** The same JSON with random whitespace after structural characters outside strings. */
function spaced(r: () => number, text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    out += c;
    if (inString) {
      if (c === '\\') out += text.charAt(++i);
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if ('{}[],:'.includes(c) && r() < 0.3) out += [' ', '\n', '\t', '\r'][Math.floor(r() * 4)] ?? ' ';
  }
  return out;
}

describe('objectsSpans', () => {
  it('finds the same elements as JSON.parse in generated envelopes, compact or indented, with other keys around', () => {
    const r = rng(7);
    for (let n = 0; n < 300; n++) {
      const objects = Array.from({ length: Math.floor(r() * 8) }, () => value(r, 0));
      const env = n % 3 === 0 ? { type: 'bundle', id: 'bundle--x', objects, more: value(r, 2) } : { more: false, objects };
      const text = JSON.stringify(env, null, n % 2 === 0 ? undefined : 2);
      expect(viaSpans(text)).toEqual((JSON.parse(text) as { objects: unknown[] }).objects);
    }
  });

  it('finds the same elements as JSON.parse, or gives up, in 3 000 envelopes with other keys before or after and random whitespace', () => {
    const r = rng(11);
    let compared = 0;
    for (let n = 0; n < 3000; n++) {
      const objects = Array.from({ length: Math.floor(r() * 8) }, () => value(r, 0));
      const extra: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(r() * 3); i++) extra[String(value(r, 9))] = value(r, 2);
      const env = r() < 0.5 ? { ...extra, objects } : { objects, ...extra };
      let text = JSON.stringify(env, null, r() < 0.5 ? undefined : 2);
      if (r() < 0.5) text = spaced(r, text);
      const spans = objectsSpans(text);
      if (spans === undefined) continue; // the caller then parses the whole text
      compared++;
      expect(lazyObjects(text, spans).slice(0, spans.starts.length)).toEqual((JSON.parse(text) as { objects: unknown[] }).objects);
    }
    expect(compared).toBeGreaterThan(2500);
  });

  it('reads whitespace, a byte-order mark and an empty array', () => {
    expect(viaSpans('\ufeff \n{ "objects" : [ ] } ')).toEqual([]);
    expect(viaSpans('{"objects":[ {"id":"x"} ,\t"s" , 1.5e3 ,null]}')).toEqual([{ id: 'x' }, 's', 1500, null]);
  });

  it('gives up where its reading could differ from JSON.parse, so the caller parses the whole text', () => {
    expect(objectsSpans('{"objects":[1],"objects":[2]}')).toBeUndefined(); // duplicate key: JSON.parse keeps the last
    expect(objectsSpans('{"obj\\u0065cts":[1]}')).toBeUndefined(); // an escaped key
    expect(objectsSpans('{"type":"bundle"}')).toBeUndefined(); // no objects
    expect(objectsSpans('{"objects":{"a":1}}')).toBeUndefined(); // not an array
    expect(objectsSpans('[1,2]')).toBeUndefined();
    expect(objectsSpans('{}')).toBeUndefined();
    expect(objectsSpans('{"objects":["unterminated]}')).toBeUndefined();
  });

  it('parses only the slice asked for', () => {
    const text = JSON.stringify({ objects: [{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }] });
    const spans = objectsSpans(text);
    expect(spans?.starts.length).toBe(4);
    const objects = spans ? lazyObjects(text, spans) : undefined;
    expect(objects?.slice(1, 3)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(objects?.slice(3, 10)).toEqual([{ n: 3 }]);
  });
});
