import { COLL, indicator, startTestGateway, type TestGateway, type TestResponse } from '../helpers/gateway';
import { arrayOf, expectTaxiiError, MICROS_TIMESTAMP, manifestPath, objectsPath, ok, str } from './support';

const BIG = 60;
const SMALL = 7;

interface Page {
  readonly ids: string[];
  readonly more: unknown;
  readonly next: unknown;
  readonly first: string | null;
  readonly last: string | null;
  readonly dateAdded: string[];
}

function pageOf(r: TestResponse, key: 'objects' = 'objects'): Page {
  const body = ok(r);
  const items = arrayOf(body, key);
  return {
    ids: items.map((o) => str(o, 'id')),
    dateAdded: items.map((o) => (typeof o['date_added'] === 'string' ? o['date_added'] : '')),
    more: body['more'],
    next: body['next'],
    first: r.headers.get('x-taxii-date-added-first'),
    last: r.headers.get('x-taxii-date-added-last'),
  };
}

describe('pagination', () => {
  let gw: TestGateway;
  /** Manifest of COLL.us (SMALL objects) and COLL.ru (BIG objects), ascending by date_added. */
  let small: { id: string; date_added: string }[];
  let big: { id: string; date_added: string }[];

  /** The whole manifest of a collection, walked by added_after (independent of `next`). */
  const manifest = async (c: string): Promise<{ id: string; date_added: string }[]> => {
    const out: { id: string; date_added: string }[] = [];
    for (;;) {
      const last = out[out.length - 1];
      const q = last === undefined ? 'limit=50' : `limit=50&added_after=${last.date_added}`;
      const page = arrayOf(ok(await gw.request('GET', `${manifestPath(c)}?${q}`)), 'objects');
      if (page.length === 0) return out;
      out.push(...page.map((o) => ({ id: str(o, 'id'), date_added: str(o, 'date_added') })));
    }
  };

  /** Walks pages by `next`; returns the pages. */
  const walkByNext = async (path: string, query: string, user = 'us-cert'): Promise<Page[]> => {
    const pages: Page[] = [];
    let next: unknown;
    for (let i = 0; i < 200; i++) {
      const q = next === undefined ? query : `${query}&next=${encodeURIComponent(String(next))}`;
      const p = pageOf(await gw.request('GET', `${path}?${q}`, { user }));
      pages.push(p);
      if (p.more !== true) break;
      next = p.next;
      expect(typeof next).toBe('string');
    }
    return pages;
  };

  beforeAll(async () => {
    gw = await startTestGateway();
    await gw.post(
      COLL.us,
      Array.from({ length: SMALL }, (_, i) => indicator(1000 + i)),
    );
    await gw.post(
      COLL.ru,
      Array.from({ length: BIG }, (_, i) => indicator(2000 + i)),
      'ru-cert',
    );
    small = await manifest(COLL.us);
    big = await manifest(COLL.ru);
    if (small.length !== SMALL || big.length !== BIG) throw new Error('setup failed');
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when many pages are asked at once, then each answer is whole and holds its own page (body buffers are reused)', async () => {
    const asks = Array.from({ length: 40 }, (_, i) => ({ limit: 1 + (i % 13), from: (i * 7) % (BIG - 1) }));
    const answers = await Promise.all(
      asks.map((a) => gw.request('GET', `${objectsPath(COLL.ru)}?limit=${a.limit}&added_after=${big[a.from]?.date_added ?? ''}`)),
    );
    answers.forEach((r, i) => {
      const a = asks[i];
      if (!a) throw new Error('no ask');
      const expected = big.slice(a.from + 1, a.from + 1 + a.limit).map((m) => m.id);
      expect(pageOf(r).ids).toEqual(expected);
      expect(Number(r.headers.get('content-length'))).toBe(Buffer.byteLength(r.text));
    });
  });

  it.each([1, 2, 3, SMALL - 1, SMALL, SMALL + 1])(
    'when walking by next with limit=%i, then every object comes once, in order, with exact headers',
    async (limit) => {
      const pages = await walkByNext(objectsPath(COLL.us), `limit=${limit}`);
      expect(pages).toHaveLength(Math.max(1, Math.ceil(SMALL / limit)));
      expect(pages.flatMap((p) => p.ids)).toEqual(small.map((m) => m.id));
      let offset = 0;
      pages.forEach((p, i) => {
        const isLast = i === pages.length - 1;
        expect(p.more).toBe(!isLast);
        if (isLast) expect(p.next).toBeUndefined();
        expect(p.first).toMatch(MICROS_TIMESTAMP);
        expect(p.last).toMatch(MICROS_TIMESTAMP);
        expect([p.first, p.last]).toEqual([small[offset]?.date_added, small[offset + p.ids.length - 1]?.date_added]);
        offset += p.ids.length;
      });
    },
  );

  it('when walking by added_after from X-TAXII-Date-Added-Last, then every object comes exactly once', async () => {
    const seen: string[] = [];
    let after = '';
    for (let i = 0; i < 20; i++) {
      const q = after === '' ? 'limit=2' : `limit=2&added_after=${after}`;
      const p = pageOf(await gw.request('GET', `${objectsPath(COLL.us)}?${q}`));
      seen.push(...p.ids);
      if (p.ids.length === 0) break;
      after = p.last ?? '';
    }
    expect(seen).toEqual(small.map((m) => m.id));
  });

  it('when limit is above the server maximum, then the page is clamped to max_page_size (50)', async () => {
    const p = pageOf(await gw.request('GET', `${objectsPath(COLL.ru)}?limit=1000`));
    expect(p.ids).toEqual(big.slice(0, 50).map((m) => m.id));
    expect(p.more).toBe(true);
    const rest = pageOf(await gw.request('GET', `${objectsPath(COLL.ru)}?limit=1000&next=${encodeURIComponent(String(p.next))}`));
    expect(rest.ids).toEqual(big.slice(50).map((m) => m.id));
    expect(rest.more).toBe(false);
  });

  it('when no limit is given, then the default page size (20) applies', async () => {
    const p = pageOf(await gw.request('GET', objectsPath(COLL.ru)));
    expect(p.ids).toEqual(big.slice(0, 20).map((m) => m.id));
    expect(p.more).toBe(true);
  });

  it('when walking a large collection by next with limit=7, then all objects come once across pages', async () => {
    const pages = await walkByNext(objectsPath(COLL.ru), 'limit=7');
    expect(pages.flatMap((p) => p.ids)).toEqual(big.map((m) => m.id));
    expect(pages).toHaveLength(Math.ceil(BIG / 7));
  });

  it('when limit changes between pages, then the next token stays valid', async () => {
    const p1 = pageOf(await gw.request('GET', `${objectsPath(COLL.us)}?limit=2`));
    const p2 = pageOf(await gw.request('GET', `${objectsPath(COLL.us)}?limit=3&next=${encodeURIComponent(String(p1.next))}`));
    expect([...p1.ids, ...p2.ids]).toEqual(small.slice(0, 5).map((m) => m.id));
  });

  it('when next is combined with the same added_after, then paging continues after the token', async () => {
    const after = small[1]?.date_added ?? '';
    const pages = await walkByNext(objectsPath(COLL.us), `added_after=${after}&limit=2`);
    expect(pages.flatMap((p) => p.ids)).toEqual(small.slice(2).map((m) => m.id));
  });

  it('when the manifest is walked by next, then it lists every record once with their date_added', async () => {
    const pages: Page[] = [];
    let next: unknown;
    do {
      const q = next === undefined ? 'limit=3' : `limit=3&next=${encodeURIComponent(String(next))}`;
      const p = pageOf(await gw.request('GET', `${manifestPath(COLL.us)}?${q}`));
      pages.push(p);
      expect([p.first, p.last]).toEqual([p.dateAdded[0], p.dateAdded[p.dateAdded.length - 1]]);
      next = p.more === true ? p.next : undefined;
    } while (next !== undefined);
    expect(pages.flatMap((p) => p.ids)).toEqual(small.map((m) => m.id));
  });

  describe('next used with other filters', () => {
    let token = '';
    beforeAll(async () => {
      token = String(pageOf(await gw.request('GET', `${objectsPath(COLL.us)}?limit=1&match[type]=indicator`)).next);
    });

    it.each([
      ['no filter', (t: string) => `${objectsPath(COLL.us)}?next=${t}`],
      ['another type', (t: string) => `${objectsPath(COLL.us)}?match[type]=malware&next=${t}`],
      ['an added_after', (t: string) => `${objectsPath(COLL.us)}?match[type]=indicator&added_after=2020-01-01T00:00:00Z&next=${t}`],
      ['match[version]=all', (t: string) => `${objectsPath(COLL.us)}?match[type]=indicator&match[version]=all&next=${t}`],
      ['the manifest endpoint', (t: string) => `${manifestPath(COLL.us)}?match[type]=indicator&next=${t}`],
      ['another collection', (t: string) => `${objectsPath(COLL.ru)}?match[type]=indicator&next=${t}`],
    ])('when the token is used with %s, then 400 INVALID_NEXT', async (_what, url) => {
      const e = expectTaxiiError(await gw.request('GET', url(encodeURIComponent(token))), 400, 'INVALID_NEXT');
      expect(e['details']).toEqual({ parameter: 'next' });
    });

    it('when the token is used with the same filters, then it is accepted', async () => {
      const p = pageOf(await gw.request('GET', `${objectsPath(COLL.us)}?match[type]=indicator&limit=1&next=${encodeURIComponent(token)}`));
      expect(p.ids).toEqual([small[1]?.id]);
    });

    it.each(['abc!', 'AAAA', Buffer.from('1.123.short').toString('base64url'), 'x'.repeat(300), ''])(
      'when the token is malformed (%s), then 400 INVALID_NEXT',
      async (bad) => {
        expectTaxiiError(
          await gw.request('GET', `${objectsPath(COLL.us)}?match[type]=indicator&next=${encodeURIComponent(bad)}`),
          400,
          'INVALID_NEXT',
        );
      },
    );
  });

  describe('objects added between pages', () => {
    it('when new objects arrive while a client walks by next, then each appears exactly once, after the older ones', async () => {
      await gw.post(COLL.joint, [indicator(3000), indicator(3001), indicator(3002)]);
      const seen: string[] = [];
      let p = pageOf(await gw.request('GET', `${objectsPath(COLL.joint)}?limit=2`));
      seen.push(...p.ids);
      await gw.post(COLL.joint, [indicator(3003), indicator(3004)], 'ru-cert');
      while (p.more === true) {
        p = pageOf(await gw.request('GET', `${objectsPath(COLL.joint)}?limit=2&next=${encodeURIComponent(String(p.next))}`));
        seen.push(...p.ids);
        if (seen.length === 4) await gw.post(COLL.joint, [indicator(3005)]);
      }
      expect(seen.slice(0, 3).sort()).toEqual([3000, 3001, 3002].map((n) => String(indicator(n)['id'])).sort());
      expect(seen.slice(3).sort()).toEqual([3003, 3004, 3005].map((n) => String(indicator(n)['id'])).sort());
    });

    it('when new objects arrive while a client walks by added_after, then each appears exactly once', async () => {
      const before = (await manifest(COLL.joint)).map((m) => m.id);
      const seen: string[] = [];
      let after = '';
      for (let i = 0; i < 30; i++) {
        const q = after === '' ? 'limit=2' : `limit=2&added_after=${after}`;
        const p = pageOf(await gw.request('GET', `${objectsPath(COLL.joint)}?${q}`));
        seen.push(...p.ids);
        if (i === 1) await gw.post(COLL.joint, [indicator(3010), indicator(3011), indicator(3012)]);
        if (p.ids.length === 0) break;
        after = p.last ?? '';
      }
      expect(seen).toEqual(
        [...before, ...[3010, 3011, 3012].map((n) => String(indicator(n)['id']))].filter((x, i, a) => a.indexOf(x) === i),
      );
      expect(new Set(seen).size).toBe(seen.length);
    });
  });
});
