import { type BundleElement, BundleSyntaxError, BundleWriter, readBundleElements } from '../../../../src/stix/normalize/bundle-stream';

async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function collect(text: string, size: number, max?: number): Promise<{ els: BundleElement[]; header: unknown }> {
  const els: BundleElement[] = [];
  let header: unknown;
  for await (const el of readBundleElements(chunks(text, size), (h) => (header = h), max)) els.push(el);
  return { els, header };
}

const TRICKY =
  '\uFEFF{ "type" : "bundle", "id":"bundle--1", "objects" : [ {"a":"x\\"}]{"}, {"b":[1,2,{"c":"]"}]} , 5, "s", {bad} ], "more": false }';

describe('readBundleElements', () => {
  it.each([1, 2, 3, 7, 64, 10000])('when the input arrives in chunks of %i chars, then the same elements come out', async (size) => {
    const { els, header } = await collect(TRICKY, size);
    expect(els).toEqual([
      { ok: true, value: { a: 'x"}]{' } },
      { ok: true, value: { b: [1, 2, { c: ']' }] } },
      { ok: true, value: 5 },
      { ok: true, value: 's' },
      expect.objectContaining({ ok: false, code: 'INVALID_JSON' }),
    ]);
    expect(header).toEqual({ type: 'bundle', id: 'bundle--1', more: false });
  });

  it('when the input is a single object, then it is the one element', async () => {
    const { els } = await collect('{"type":"indicator","id":"indicator--x","n":[1]}', 5);
    expect(els).toEqual([{ ok: true, value: { type: 'indicator', id: 'indicator--x', n: [1] } }]);
  });

  it('when an element is larger than the cap, then it is reported and the next one still parses', async () => {
    const text = `{"objects":[{"x":"${'y'.repeat(500)}"},{"ok":1}]}`;
    const { els } = await collect(text, 50, 100);
    expect(els).toEqual([expect.objectContaining({ ok: false, code: 'OBJECT_TOO_LARGE' }), { ok: true, value: { ok: 1 } }]);
  });

  it.each([['[1]'], ['{"objects":[{}]'], ['{"a":1} x']])('when the input is %s, then a BundleSyntaxError is thrown', async (text) => {
    await expect(collect(text, 3)).rejects.toBeInstanceOf(BundleSyntaxError);
  });
});

describe('BundleWriter', () => {
  it('when objects are written, then the output is one valid bundle', () => {
    const out: string[] = [];
    const w = new BundleWriter((t) => out.push(t));
    w.begin('bundle--1');
    w.object('{"a":1}');
    w.object('{"b":2}');
    w.end();
    expect(JSON.parse(out.join(''))).toEqual({ type: 'bundle', id: 'bundle--1', objects: [{ a: 1 }, { b: 2 }] });
  });

  it('when nothing is written, then the bundle has an empty objects array', () => {
    const out: string[] = [];
    const w = new BundleWriter((t) => out.push(t));
    w.begin('bundle--1');
    w.end();
    expect(JSON.parse(out.join(''))).toEqual({ type: 'bundle', id: 'bundle--1', objects: [] });
  });
});
