import { parseTimestamp } from '../../src/stix/time';
import { COLL, indicator, startTestGateway, type TestGateway } from '../helpers/gateway';
import { arrayOf, expectTaxiiError, ipv4, MICROS_TIMESTAMP, manifestPath, objectsPath, ok, statementMarking, str, ts } from './support';

const A = indicator(1);
const B = indicator(2);
const C = indicator(3);
const V1 = indicator(6, { modified: ts(1) });
const V2 = indicator(6, { modified: ts(2) });
const V3 = indicator(6, { modified: ts(3) });
const S = ipv4(1, 1);
const M = statementMarking(1);

/**
 * Posted as [A, B, V1, V3, S, M, C] then [V2]. The order of date_added within one POST is the server's choice,
 * so expected lists are sorted by the date_added the manifest reports.
 */
const LABELS: Record<string, Record<string, unknown>> = { A, B, C, V1, V2, V3, S, M };

function labelOf(o: Record<string, unknown>): string {
  for (const [label, posted] of Object.entries(LABELS)) {
    if (posted['id'] === o['id'] && posted['modified'] === o['modified']) return label;
  }
  return `?${String(o['id'])}`;
}

const id = (o: Record<string, unknown>): string => String(o['id']);

function micros(t: string): number {
  const p = parseTimestamp(t);
  if (!p) throw new Error(`not a timestamp: ${t}`);
  return p.micros;
}

/** Filter → labels of the records returned, in order. */
const FILTER_CASES: [string, string[]][] = [
  ['', ['A', 'B', 'V3', 'S', 'M', 'C']],
  ['match[version]=last', ['A', 'B', 'V3', 'S', 'M', 'C']],
  ['match[version]=first', ['A', 'B', 'V1', 'S', 'M', 'C']],
  ['match[version]=all', ['A', 'B', 'V1', 'V3', 'S', 'M', 'C', 'V2']],
  ['match[version]=first,last', ['A', 'B', 'V1', 'V3', 'S', 'M', 'C']],
  [`match[version]=${ts(2)}`, ['V2']],
  ['match[version]=2024-03-01T00:00:02Z', ['V2']],
  ['match[version]=2024-03-01T00:00:02.000000Z', ['V2']],
  ['match[version]=2024-03-01T00:00:02.000000000Z', ['V2']],
  [`match[version]=${ts(1)},${ts(3)}`, ['V1', 'V3']],
  [`match[version]=last,${ts(1)}`, ['A', 'B', 'V1', 'V3', 'S', 'M', 'C']],
  ['match[version]=2024-01-01T00:00:00.000Z', ['A', 'B', 'C']],
  ['match[version]=2030-01-01T00:00:00Z', []],
  ['match[type]=indicator', ['A', 'B', 'V3', 'C']],
  ['match[type]=ipv4-addr,marking-definition', ['S', 'M']],
  ['match[type]=malware', []],
  [`match[id]=${id(B)}`, ['B']],
  [`match[id]=${id(A)},${id(S)}`, ['A', 'S']],
  [`match[id]=${id(A)}, ${id(S)}`, ['A', 'S']],
  [`match[id]=${id(V1)}&match[version]=all`, ['V1', 'V3', 'V2']],
  [`match[id]=${id(V1)}&match[version]=first`, ['V1']],
  [`match[id]=${id(V1)}&match[version]=${ts(2)}`, ['V2']],
  ['match[id]=indicator--99999999-0000-4000-8000-000000000000', []],
  ['match[type]=indicator&match[version]=first', ['A', 'B', 'V1', 'C']],
  [`match[type]=indicator&match[id]=${id(S)}`, []],
  [`match[type]=ipv4-addr&match[id]=${id(S)},${id(A)}`, ['S']],
  ['match[type]=marking-definition&match[version]=last', ['M']],
  ['match[type]=indicator&match[version]=all&match[spec_version]=2.1', ['A', 'B', 'V1', 'V3', 'C', 'V2']],
  ['match[spec_version]=2.1', ['A', 'B', 'V3', 'S', 'M', 'C']],
  ['match[spec_version]=2.0,2.1', ['A', 'B', 'V3', 'S', 'M', 'C']],
  ['match[spec_version]=2.0', []],
  ['match%5Btype%5D=marking-definition', ['M']],
  ['foo=bar&match[confidence]=50', ['A', 'B', 'V3', 'S', 'M', 'C']],
];

/** Malformed or repeated filters → 400 naming the parameter. */
const BAD_FILTERS: [string, string][] = [
  ['added_after=yesterday', 'added_after'],
  ['added_after=2024-01-01', 'added_after'],
  ['added_after=2024-01-01T00:00:00+01:00', 'added_after'],
  ['added_after=2024-13-01T00:00:00Z', 'added_after'],
  ['added_after=2024-01-01T00:00:00.1234567890Z', 'added_after'],
  ['added_after=', 'added_after'],
  ['limit=0', 'limit'],
  ['limit=-1', 'limit'],
  ['limit=abc', 'limit'],
  ['limit=1.5', 'limit'],
  ['limit=', 'limit'],
  ['match[version]=all,first', 'match[version]'],
  ['match[version]=first,all', 'match[version]'],
  ['match[version]=newest', 'match[version]'],
  ['match[version]=', 'match[version]'],
  ['match[id]=not-an-id', 'match[id]'],
  ['match[id]=indicator--1234', 'match[id]'],
  [`match[id]=${id(A)},`, 'match[id]'],
  ['match[type]=Bad_Type', 'match[type]'],
  ['match[spec_version]=latest', 'match[spec_version]'],
  ['match[type]=indicator&match[type]=malware', 'match[type]'],
  ['limit=1&limit=2', 'limit'],
  ['added_after=2024-01-01T00:00:00Z&added_after=2024-01-02T00:00:00Z', 'added_after'],
  [`match[id]=${id(A)}&match%5Bid%5D=${id(B)}`, 'match[id]'],
  ['match[version]=last&match[version]=first', 'match[version]'],
  ['next=abc&next=def', 'next'],
];

interface Row {
  readonly id: string;
  readonly date_added: string;
  readonly version: string;
}

describe('GET /{root}/collections/{id}/objects/', () => {
  let gw: TestGateway;
  /** Every stored record, ascending by date_added. */
  let rows: Row[];

  beforeAll(async () => {
    gw = await startTestGateway();
    const s1 = await gw.post(COLL.us, [A, B, V1, V3, S, M, C]);
    const s2 = await gw.post(COLL.us, [V2]);
    if (s1['success_count'] !== 7 || s2['success_count'] !== 1) throw new Error(`setup failed: ${JSON.stringify([s1, s2])}`);
    const m = ok(await gw.request('GET', `${manifestPath(COLL.us)}?match[version]=all`));
    rows = arrayOf(m, 'objects').map((r) => ({ id: str(r, 'id'), date_added: str(r, 'date_added'), version: str(r, 'version') }));
  });

  /** Position of a label's record in date_added order. */
  const rank = (label: string): number => {
    const o = LABELS[label] ?? {};
    const v = o['modified'] ?? o['created'];
    return rows.findIndex((r) => r.id === o['id'] && (v === undefined || r.version === v));
  };
  afterAll(async () => {
    await gw.close();
  });

  it.each(FILTER_CASES)(
    'when the query is "%s", then exactly the matching records come back in date_added order',
    async (query, expected) => {
      const body = ok(await gw.request('GET', `${objectsPath(COLL.us)}${query === '' ? '' : `?${query}`}`));
      const labels = arrayOf(body, 'objects').map(labelOf);
      expect(labels).toEqual([...expected].sort((x, y) => rank(x) - rank(y)));
      expect(labels.map(rank).every((r) => r >= 0)).toBe(true);
      expect(body['more']).toBe(false);
      expect(body['next']).toBeUndefined();
    },
  );

  it.each(BAD_FILTERS)('when the query is "%s", then 400 naming %s', async (query, parameter) => {
    const e = expectTaxiiError(await gw.request('GET', `${objectsPath(COLL.us)}?${query}`), 400);
    expect(e['details']).toEqual({ parameter });
    expect(String(e['description'])).toContain(parameter);
  });

  it("when there are no filters, then objects are served in the manifest's date_added order", async () => {
    const body = ok(await gw.request('GET', `${objectsPath(COLL.us)}?match[version]=all`));
    expect(arrayOf(body, 'objects').map(id)).toEqual(rows.map((r) => r.id));
  });

  it("when added_after names a record's date_added, then that record is excluded and every later one included", async () => {
    for (let k = 0; k < rows.length; k++) {
      const after = rows[k]?.date_added ?? '';
      const body = ok(await gw.request('GET', `${objectsPath(COLL.us)}?match[version]=all&added_after=${after}`));
      expect(arrayOf(body, 'objects').map(id)).toEqual(rows.slice(k + 1).map((r) => r.id));
    }
  });

  it('when added_after equals the last date_added, then returns an empty page without more', async () => {
    const last = rows[rows.length - 1]?.date_added ?? '';
    const r = await gw.request('GET', `${objectsPath(COLL.us)}?added_after=${last}`);
    expect(ok(r)).toEqual({ more: false });
    expect(r.headers.get('x-taxii-date-added-first')).toBeNull();
  });

  it('when added_after has 0, 3, 6 or 9 fractional digits, then it is compared at µs precision', async () => {
    const third = rows[2];
    if (!third) throw new Error('setup');
    const [whole, frac] = third.date_added.slice(0, -1).split('.') as [string, string];
    const variants = [`${whole}Z`, `${whole}.${frac.slice(0, 3)}Z`, `${whole}.${frac}Z`, `${whole}.${frac}000Z`, `${whole}.${frac}999Z`];
    for (const after of variants) {
      const body = ok(await gw.request('GET', `${objectsPath(COLL.us)}?match[version]=all&added_after=${after}`));
      const expected = rows.filter((r) => micros(r.date_added) > micros(after)).map((r) => r.id);
      expect({ after, got: arrayOf(body, 'objects').map(id) }).toEqual({ after, got: expected });
    }
    // 6 and 9 digits name the third record exactly, so it is excluded.
    const exact = ok(await gw.request('GET', `${objectsPath(COLL.us)}?match[version]=all&added_after=${whole}.${frac}000Z`));
    expect(arrayOf(exact, 'objects').map(id)).toEqual(rows.slice(3).map((r) => r.id));
  });

  it('when added_after is the epoch, then everything is returned', async () => {
    const body = ok(await gw.request('GET', `${objectsPath(COLL.us)}?match[version]=all&added_after=1970-01-01T00:00:00Z`));
    expect(arrayOf(body, 'objects')).toHaveLength(rows.length);
  });

  it('when a page is returned, then the date headers carry exactly 6 fractional digits and match the manifest', async () => {
    for (const [query, from, to] of [
      ['match[version]=all', 0, rows.length - 1],
      ['match[version]=all&limit=2', 0, 1],
      [`match[version]=all&added_after=${rows[1]?.date_added ?? ''}&limit=3`, 2, 4],
    ] as const) {
      const r = await gw.request('GET', `${objectsPath(COLL.us)}?${query}`);
      ok(r);
      const first = r.headers.get('x-taxii-date-added-first') ?? '';
      const last = r.headers.get('x-taxii-date-added-last') ?? '';
      expect(first).toMatch(MICROS_TIMESTAMP);
      expect(last).toMatch(MICROS_TIMESTAMP);
      expect([first, last]).toEqual([rows[from]?.date_added, rows[to]?.date_added]);
    }
  });

  it('when the envelope is served, then it holds only more, next and objects', async () => {
    const body = ok(await gw.request('GET', `${objectsPath(COLL.us)}?limit=1`));
    expect(Object.keys(body).sort()).toEqual(['more', 'next', 'objects']);
    expect(body['more']).toBe(true);
    expect(typeof body['next']).toBe('string');
  });

  it('when the collection is empty, then 200 with an envelope without objects and no date headers', async () => {
    const r = await gw.request('GET', objectsPath(COLL.joint));
    expect(ok(r)).toEqual({ more: false });
    expect(r.headers.get('x-taxii-date-added-last')).toBeNull();
  });

  it('when the method is PUT, then 405 with Allow listing GET and POST', async () => {
    const r = await gw.request('PUT', objectsPath(COLL.us), { body: '{}' });
    expectTaxiiError(r, 405);
    expect(r.headers.get('allow')).toBe('GET, POST');
  });

  it('when the trailing slash is missing, then the same envelope is served', async () => {
    const a = ok(await gw.request('GET', objectsPath(COLL.us)));
    const b = ok(await gw.request('GET', `/exchange/collections/${COLL.us}/objects?limit=100`));
    expect(b).toEqual(a);
  });
});
