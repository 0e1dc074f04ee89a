import { basic, COLL, indicator, startTestGateway, type TestGateway } from '../helpers/gateway';
import {
  arrayOf,
  expectRawTaxiiError,
  expectTaxiiError,
  idsOf,
  MICROS_TIMESTAMP,
  manifestPath,
  objectsPath,
  ok,
  rawRequest,
  TAXII,
  ts,
} from './support';

const MAX = 20000;

const post = (gw: TestGateway, body: string, c: string = COLL.us) => gw.request('POST', objectsPath(c), { body });

/** Objects that fail the basic checks; each must become one failure without affecting the others. */
const BROKEN: [string, Record<string, unknown>][] = [
  ['no type', (({ type: _t, ...rest }) => rest)(indicator(501))],
  ['a type that is not a STIX type', indicator(502, { type: 'Not A Type' })],
  ['an id that is not <type>--<uuid>', indicator(503, { id: 'indicator--1234' })],
  ['an id whose type differs from type', indicator(504, { id: 'malware--00000000-0000-4000-8000-000000000504' })],
  ['an unsupported spec_version', indicator(505, { spec_version: '3.0' })],
  ['a created that is not RFC 3339', indicator(506, { created: '2024-01-01 00:00:00' })],
  ['a modified with a time zone offset', indicator(507, { modified: '2024-01-01T00:00:00+02:00' })],
];

describe('POST /{root}/collections/{id}/objects/', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ maxContentLength: MAX });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when an envelope is posted, then 202 with a pending status listing every object with id and version', async () => {
    const objs = [indicator(1), indicator(2, { modified: ts(4) })];
    const r = await post(gw, JSON.stringify({ objects: objs }));
    expect(r.status).toBe(202);
    expect(r.headers.get('content-type')).toBe(TAXII);
    const s = r.json();
    expect(s).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'pending',
      request_timestamp: expect.stringMatching(MICROS_TIMESTAMP),
      total_count: 2,
      success_count: 0,
      successes: [],
      failure_count: 0,
      failures: [],
      pending_count: 2,
      pendings: [
        { id: objs[0]?.['id'], version: objs[0]?.['modified'] },
        { id: objs[1]?.['id'], version: ts(4) },
      ],
    });
    const done = await gw.waitStatus(String(s['id']));
    expect(done['success_count']).toBe(2);
    expect(done['pending_count']).toBe(0);
    expect(arrayOf(done, 'successes').map((d) => [d['id'], d['version']])).toEqual([
      [objs[0]?.['id'], objs[0]?.['modified']],
      [objs[1]?.['id'], ts(4)],
    ]);
    expect(
      idsOf(ok(await gw.request('GET', `${objectsPath(COLL.us)}?match[id]=${String(objs[0]?.['id'])},${String(objs[1]?.['id'])}`))).sort(),
    ).toEqual(objs.map((o) => String(o['id'])).sort());
  });

  it('when an exact duplicate is posted, then it is a success with a message and nothing is stored twice', async () => {
    const obj = indicator(10);
    await gw.post(COLL.us, [obj]);
    const again = await gw.post(COLL.us, [obj]);
    expect(again['success_count']).toBe(1);
    expect(again['failure_count']).toBe(0);
    expect(String(arrayOf(again, 'successes')[0]?.['message'])).toMatch(/duplicate/i);
    const m = ok(await gw.request('GET', `${manifestPath(COLL.us)}?match[id]=${String(obj['id'])}&match[version]=all`));
    expect(arrayOf(m, 'objects')).toHaveLength(1);
  });

  it('when the same object appears twice in one envelope, then it is stored once', async () => {
    const obj = indicator(11);
    const s = await gw.post(COLL.us, [obj, obj]);
    expect(s['success_count']).toBe(2);
    const m = ok(await gw.request('GET', `${manifestPath(COLL.us)}?match[id]=${String(obj['id'])}&match[version]=all`));
    expect(arrayOf(m, 'objects')).toHaveLength(1);
  });

  it('when a different object is posted under a stored id and version, then it fails and the stored one is kept', async () => {
    const obj = indicator(12);
    await gw.post(COLL.us, [obj]);
    const s = await gw.post(COLL.us, [{ ...obj, name: 'changed without a new modified' }]);
    expect(s['failure_count']).toBe(1);
    const body = ok(await gw.request('GET', `${objectsPath(COLL.us)}?match[id]=${String(obj['id'])}&match[version]=all`));
    expect(arrayOf(body, 'objects').map((o) => o['name'])).toEqual([obj['name']]);
  });

  it('when objects fail the basic checks, then each is a failure with a reason and the valid ones are stored', async () => {
    const good = [indicator(520), indicator(521)];
    const s = await gw.post(COLL.us, [good[0], ...BROKEN.map(([, o]) => o), good[1]]);
    expect([s['total_count'], s['success_count'], s['failure_count'], s['pending_count']]).toEqual([
      BROKEN.length + 2,
      2,
      BROKEN.length,
      0,
    ]);
    const failures = arrayOf(s, 'failures');
    expect(failures).toHaveLength(BROKEN.length);
    for (const f of failures) {
      expect(typeof f['id']).toBe('string');
      expect(String(f['message']).length).toBeGreaterThan(0);
    }
    expect(arrayOf(s, 'successes').map((d) => d['id'])).toEqual(good.map((o) => o['id']));
    const stored = idsOf(ok(await gw.request('GET', `${manifestPath(COLL.us)}?match[version]=all&limit=50`)));
    for (const o of good) expect(stored).toContain(o['id']);
    for (const [, o] of BROKEN) if (typeof o['id'] === 'string' && o['id'] !== good[0]?.['id']) expect(stored).not.toContain(o['id']);
  });

  it.each(BROKEN)('when the only object has %s, then the status lists it as a failure', async (_what, obj) => {
    const s = await gw.post(COLL.us, [obj]);
    expect([s['success_count'], s['failure_count']]).toEqual([0, 1]);
  });

  it('when an SDO has no spec_version, then it is read as STIX 2.0 and stored upgraded to 2.1', async () => {
    const { spec_version: _s, pattern_type: _p, ...obj } = indicator(508);
    const s = await gw.post(COLL.us, [obj]);
    expect([s['success_count'], s['failure_count']]).toEqual([1, 0]);
    expect(String(arrayOf(s, 'successes')[0]?.['message'])).toMatch(/UPGRADED_FROM_2_0/);
    const body = ok(await gw.request('GET', `${objectsPath(COLL.us)}?match[id]=${String(obj['id'])}`));
    expect(arrayOf(body, 'objects')[0]?.['spec_version']).toBe('2.1');
  });

  it('when a STIX bundle is posted instead of an envelope, then its objects are stored and the bundle is not', async () => {
    const objs = [indicator(30), indicator(31)];
    const bundle = { type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000030', objects: objs };
    const r = await post(gw, JSON.stringify(bundle));
    expect(r.status).toBe(202);
    const s = await gw.waitStatus(String(r.json()['id']));
    expect(arrayOf(s, 'successes').map((d) => d['id'])).toEqual(objs.map((o) => o['id']));
    const stored = idsOf(ok(await gw.request('GET', `${manifestPath(COLL.us)}?match[version]=all&limit=50`)));
    expect(stored).not.toContain(bundle.id);
    const b = ok(await gw.request('GET', `${objectsPath(COLL.us)}?match[type]=bundle`));
    expect(arrayOf(b, 'objects')).toEqual([]);
  });

  it('when the envelope is empty, then 202 with a complete status and zero counts', async () => {
    const r = await post(gw, '{"objects":[]}');
    expect(r.status).toBe(202);
    const s = r.json();
    expect([s['status'], s['total_count'], s['pending_count']]).toEqual(['complete', 0, 0]);
  });

  it.each(['{"objects": [', 'not json', '', '{"objects": [}', '\u0000'])('when the body is not JSON (%j), then 400', async (body) => {
    expectTaxiiError(await post(gw, body), 400, 'INVALID_JSON');
  });

  it('when the body starts with a UTF-8 byte-order mark, then it is accepted and its objects stored', async () => {
    const obj = indicator(43);
    const r = await rawRequest(
      gw,
      'POST',
      objectsPath(COLL.us),
      { Authorization: basic('us-cert'), Accept: TAXII, 'Content-Type': TAXII },
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ objects: [obj] }))])],
    );
    expect(r.status).toBe(202);
    const s = await gw.waitStatus(String((JSON.parse(r.text) as Record<string, unknown>)['id']));
    expect(s['success_count']).toBe(1);
  });

  it('when the body is not valid UTF-8, then 400 instead of storing replacement characters', async () => {
    const bytes = Buffer.concat([Buffer.from('{"objects":[{"type":"indicator","name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}]}')]);
    const r = await rawRequest(
      gw,
      'POST',
      objectsPath(COLL.us),
      { Authorization: basic('us-cert'), Accept: TAXII, 'Content-Type': TAXII },
      [bytes],
    );
    expect(expectRawTaxiiError(r, 400)['error_code']).toBe('INVALID_JSON');
  });

  it.each(['[]', '"objects"', 'null', '42', '{"objects": {}}', '{"objects": "x"}', '{"more": false}', '{"type": "indicator"}'])(
    'when the body %s is not an envelope, then 422',
    async (body) => {
      expectTaxiiError(await post(gw, body), 422, 'NOT_AN_ENVELOPE');
    },
  );

  it('when the body is exactly max_content_length bytes, then it is accepted', async () => {
    const base = JSON.stringify({ objects: [indicator(40)] });
    const body = base.slice(0, -1) + ' '.repeat(MAX - Buffer.byteLength(base)) + '}';
    expect(Buffer.byteLength(body)).toBe(MAX);
    expect((await post(gw, body)).status).toBe(202);
  });

  it('when the body is one byte over max_content_length, then 413 as a TAXII error', async () => {
    const base = JSON.stringify({ objects: [indicator(41)] });
    const body = base.slice(0, -1) + ' '.repeat(MAX + 1 - Buffer.byteLength(base)) + '}';
    const e = expectTaxiiError(await post(gw, body), 413, 'PAYLOAD_TOO_LARGE');
    expect(e['details']).toEqual({ max_content_length: MAX });
  });

  it('when an oversized body is sent in chunks without Content-Length, then 413 on the bytes actually received', async () => {
    const chunk = ' '.repeat(4096);
    const chunks = ['{"objects":[', ...Array.from({ length: 8 }, () => chunk), ']}'];
    const r = await rawRequest(
      gw,
      'POST',
      objectsPath(COLL.us),
      { Authorization: basic('us-cert'), Accept: TAXII, 'Content-Type': TAXII },
      chunks,
    );
    expectRawTaxiiError(r, 413);
  });

  it('when a small body is sent in chunks without Content-Length, then it is accepted', async () => {
    const text = JSON.stringify({ objects: [indicator(42)] });
    const r = await rawRequest(
      gw,
      'POST',
      objectsPath(COLL.us),
      { Authorization: basic('us-cert'), Accept: TAXII, 'Content-Type': TAXII },
      [text.slice(0, 20), text.slice(20)],
    );
    expect(r.status).toBe(202);
  });

  it('when the API root has a smaller max_content_length, then that limit applies', async () => {
    const objs = Array.from({ length: 20 }, (_, i) => indicator(60 + i));
    const r = await gw.request('POST', objectsPath('joint', 'other-root'), { body: JSON.stringify({ objects: objs }) });
    expectTaxiiError(r, 413);
    expect(r.json()['details']).toEqual({ max_content_length: 4096 });
  });

  it('when the body is compressed, then 415 (no Content-Encoding is supported)', async () => {
    const r = await gw.request('POST', objectsPath(COLL.us), { headers: { 'Content-Encoding': 'gzip' }, body: '{"objects":[]}' });
    expectTaxiiError(r, 415);
  });

  it('when the collection does not exist, then 404', async () => {
    expectTaxiiError(await post(gw, '{"objects":[]}', '00000000-0000-4000-8000-000000000000'), 404);
  });
});
