/**
 * Native import and export over HTTP: /gateway/v1/collections/{id-or-alias}/import and /export.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COLL, IDENT, startTestGateway, type TestGateway, type TestResponse } from '../helpers/gateway';
import { arrayOf, expectTaxiiError, objectsPath, ok, str } from './support';

const FIXTURES = join(__dirname, '../fixtures/mapping/import-export');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway({ maxContentLength: 128 * 1024 * 1024 });
});

afterAll(async () => {
  await gw.close();
});

function importPath(collection: string, query: string): string {
  return `/gateway/v1/collections/${collection}/import?${query}`;
}

async function postImport(collection: string, query: string, body: string | Buffer, user = 'us-cert'): Promise<TestResponse> {
  return gw.request('POST', importPath(collection, query), { user, body, headers: { 'Content-Type': 'application/octet-stream' } });
}

async function storedObjects(collection: string, user = 'us-cert'): Promise<Record<string, unknown>[]> {
  return arrayOf(ok(await gw.request('GET', `${objectsPath(collection)}?limit=50`, { user })), 'objects');
}

describe('POST /gateway/v1/collections/:collection/import', () => {
  it('when a MISP event is imported by alias, then 202 carries a pending status and the report, and the indicators are stored', async () => {
    const r = await postImport('joint', 'format=misp', fixture('event.misp.json'));
    expect(r.status).toBe(202);
    const body = r.json();
    expect(body['status']).toBe('pending');
    const report = body['import_report'] as Record<string, unknown>;
    expect(report['format']).toBe('misp');
    expect(report['stats']).toMatchObject({ indicators: 2 });
    const status = await gw.waitStatus(str(body, 'id'));
    expect(status['failure_count']).toBe(0);
    const patterns = (await storedObjects('joint')).filter((o) => o['type'] === 'indicator').map((o) => o['pattern']);
    expect(patterns).toEqual(expect.arrayContaining(["[domain-name:value = 'evil-login.example']", "[ipv4-addr:value = '203.0.113.45']"]));
  });

  it('when a pasted text list is imported, then its values are refanged and created_by_ref is the poster CERT', async () => {
    const r = await postImport(COLL.us, 'format=txt', fixture('list.txt'));
    expect(r.status).toBe(202);
    await gw.waitStatus(str(r.json(), 'id'));
    const indicators = (await storedObjects(COLL.us)).filter((o) => o['type'] === 'indicator');
    const patterns = indicators.map((o) => String(o['pattern']));
    expect(patterns).toEqual(
      expect.arrayContaining(["[domain-name:value = 'bad-updates.example.com']", "[url:value = 'http://203.0.113.9/payload.bin']"]),
    );
    expect(patterns.join(' ')).not.toMatch(/\[\.\]|hxxp/);
    for (const i of indicators) expect(i['created_by_ref']).toBe(IDENT.us);
  });

  it('when the same list is imported twice, then the second import adds no new object', async () => {
    const before = (await storedObjects(COLL.us)).length;
    const r = await postImport(COLL.us, 'format=txt', fixture('list.txt'));
    await gw.waitStatus(str(r.json(), 'id'));
    expect((await storedObjects(COLL.us)).length).toBe(before);
  });

  it('when the principal may not write the collection, then 403', async () => {
    expectTaxiiError(await postImport(COLL.us, 'format=txt', '198.51.100.1\n', 'ru-cert'), 403);
  });

  it('when the collection is not visible to the principal, then 404', async () => {
    expectTaxiiError(await postImport(COLL.ru, 'format=txt', '198.51.100.1\n', 'nobody'), 404);
  });

  it('when the format is unknown or missing, then 400 names the known formats', async () => {
    const unknown = expectTaxiiError(await postImport(COLL.us, 'format=yara', 'x'), 400);
    expect(String(unknown['description'])).toContain('misp, stix1, openioc, csv, txt, stix20, stix21');
    expectTaxiiError(await postImport(COLL.us, '', 'x'), 400);
  });

  it('when a CSV mapping name is unknown, then 400', async () => {
    const e = expectTaxiiError(await postImport(COLL.us, 'format=csv&mapping=nope', 'value\n1.2.3.4\n'), 400);
    expect(String(e['description'])).toContain('nope');
  });

  it('when the body exceeds the API root max_content_length, then 413', async () => {
    const small = await startTestGateway({ maxContentLength: 2048 });
    try {
      const r = await small.request('POST', importPath(COLL.us, 'format=txt'), {
        body: 'x'.repeat(4096),
        headers: { 'Content-Type': 'text/plain' },
      });
      expectTaxiiError(r, 413);
    } finally {
      await small.close();
    }
  });

  it('when GET is sent to the import path, then 405 with Allow: POST', async () => {
    const r = await gw.request('GET', importPath(COLL.us, 'format=txt'));
    expectTaxiiError(r, 405);
    expect(r.headers.get('allow')).toBe('POST');
  });
});

describe('re-import over HTTP', () => {
  const REIMPORT = join(__dirname, '../fixtures/mapping/reimport');

  /** Every stored version of the collection: `<id> <modified>` lines, sorted. */
  async function allVersions(collection: string): Promise<string[]> {
    const page = ok(await gw.request('GET', `${objectsPath(collection)}?match[version]=all&limit=1000`, { user: 'us-cert' }));
    expect(page['more']).not.toBe(true);
    return arrayOf(page, 'objects')
      .map((o) => `${String(o['id'])} ${String(o['modified'] ?? o['created'] ?? '')}`)
      .sort();
  }

  async function importAndWait(query: string, body: Buffer): Promise<Record<string, unknown>> {
    const r = await postImport(COLL.us, query, body);
    expect(r.status).toBe(202);
    const status = await gw.waitStatus(str(r.json(), 'id'));
    expect(status['failure_count']).toBe(0);
    return status;
  }

  it.each([
    ['a TXT list without dates', 'format=txt', 'dateless.txt'],
    ['a CSV without dates', 'format=csv', 'dateless.csv'],
    ['an OpenIOC document without dates', 'format=openioc', 'dateless.ioc'],
  ])('when %s is imported twice, then the second import stores no new version', async (_what, query, file) => {
    const body = readFileSync(join(REIMPORT, file));
    const first = await importAndWait(query, body);
    expect(Number(first['success_count'])).toBeGreaterThan(0);
    const before = await allVersions(COLL.us);
    // The clock moves on between the two imports (their `now` differs by more than the timestamps' 1 ms).
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await importAndWait(query, body);
    for (const s of (second['successes'] as Record<string, unknown>[] | undefined) ?? []) {
      expect(String(s['message'])).toMatch(/duplicate|nothing stored/);
    }
    expect(await allVersions(COLL.us)).toEqual(before);
  });
});

describe('bad input on import', () => {
  const bad: [string, string, () => Buffer | string, RegExp, RegExp][] = [
    ['truncated STIX 1 XML', 'stix1', () => fixture('truncated.stix1.xml'), /STIX 1/, /line \d+, column \d+/],
    ['truncated MISP JSON', 'misp', () => fixture('truncated.misp.json'), /MISP.*truncated/, /line 1, column \d+/],
    ['MISP JSON declared as STIX 1', 'stix1', () => fixture('event.misp.json'), /STIX 1/, /line 1, column 1/],
    ['STIX 1 XML declared as MISP', 'misp', () => fixture('truncated.stix1.xml'), /MISP/, /line 1, column 1/],
    ['a MISP event declared as STIX 2.1', 'stix21', () => fixture('event.misp.json'), /STIX 2\.1.*MISP/, /^\/$/],
    ['billion-laughs XML', 'stix1', () => fixture('billion-laughs.xml'), /STIX 1.*(entit|DOCTYPE)/i, /./],
    [
      'binary garbage as OpenIOC',
      'openioc',
      () => Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x01]),
      /OpenIOC/,
      /./,
    ],
    ['binary garbage as STIX 2.0', 'stix20', () => Buffer.from([0x00, 0x01, 0x02, 0xff]), /STIX 2\.0.*binary/, /line 1, column 1/],
  ];

  it.each(bad)(
    'when %s is posted, then 422 names the format and the position, and nothing is stored',
    async (_name, format, body, message, position) => {
      const before = await storedObjects(COLL.ru, 'us-cert');
      const r = await postImport(COLL.ru, `format=${format}`, body(), 'ru-cert');
      const e = expectTaxiiError(r, 422);
      expect(String(e['description'])).toMatch(message);
      const details = e['details'] as Record<string, unknown>;
      expect(details['format']).toBe(format);
      expect(String(details['position'])).toMatch(position);
      expect(await storedObjects(COLL.ru, 'us-cert')).toEqual(before);
    },
  );

  it('when a CSV holds one 100 MB line, then 422 names CSV and the row, and nothing is stored', async () => {
    const line = Buffer.alloc(100 * 1024 * 1024, 0x61);
    const body = Buffer.concat([Buffer.from('value,description\n'), line, Buffer.from('\n')]);
    const before = await storedObjects(COLL.ru, 'us-cert');
    const e = expectTaxiiError(await postImport(COLL.ru, 'format=csv', body, 'ru-cert'), 422);
    expect(String(e['description'])).toMatch(/CSV/);
    expect(String((e['details'] as Record<string, unknown>)['position'])).toMatch(/row 2/);
    expect(await storedObjects(COLL.ru, 'us-cert')).toEqual(before);
  });
});

describe('GET /gateway/v1/collections/:collection/export', () => {
  beforeAll(async () => {
    const r = await postImport('ru-cert-indicators', 'format=txt', '198.51.100.200\nexport-test.example.net\n', 'ru-cert');
    await gw.waitStatus(str(r.json(), 'id'), 'ru-cert');
  });

  it('when CSV is asked, then a CSV attachment lists the indicator values', async () => {
    const r = await gw.request('GET', '/gateway/v1/collections/ru-cert-indicators/export?format=csv', { headers: { Accept: '*/*' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="ru-cert-indicators-\d{8}T\d{6}\.csv"$/);
    expect(r.text).toContain('198.51.100.200');
    expect(r.text).toContain('export-test.example.net');
    expect(r.text.split('\n')[0]).toMatch(/type/);
  });

  it('when STIX 2.1 is asked with match[type]=indicator, then the streamed bundle holds only indicators', async () => {
    const r = await gw.request('GET', `/gateway/v1/collections/${COLL.ru}/export?format=stix21&match[type]=indicator`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/stix+json;version=2.1');
    const bundle = r.json();
    expect(bundle['type']).toBe('bundle');
    const objects = arrayOf(bundle, 'objects');
    expect(objects.length).toBe(2);
    expect(new Set(objects.map((o) => o['type']))).toEqual(new Set(['indicator']));
  });

  it('when MISP is asked, then the event holds the indicators as to_ids attributes', async () => {
    const r = await gw.request('GET', `/gateway/v1/collections/${COLL.ru}/export?format=misp`);
    expect(r.status).toBe(200);
    const event = r.json()['Event'] as Record<string, unknown>;
    const attrs = arrayOf(event, 'Attribute');
    expect(attrs.map((a) => [a['type'], a['value'], a['to_ids']])).toEqual(
      expect.arrayContaining([
        ['ip-dst', '198.51.100.200', true],
        ['domain', 'export-test.example.net', true],
      ]),
    );
  });

  it('when added_after is after every object, then the export is empty but well formed', async () => {
    const r = await gw.request('GET', `/gateway/v1/collections/${COLL.ru}/export?format=stix21&added_after=2999-01-01T00:00:00Z`);
    expect(arrayOf(r.json(), 'objects')).toEqual([]);
  });

  it('when the principal may not read the collection, then 404 without revealing it', async () => {
    expectTaxiiError(await gw.request('GET', `/gateway/v1/collections/${COLL.ru}/export?format=csv`, { user: 'nobody' }), 404);
  });

  it('when a filter is malformed, then 400 INVALID_FILTER', async () => {
    const r = await gw.request('GET', `/gateway/v1/collections/${COLL.ru}/export?format=csv&added_after=yesterday`);
    expectTaxiiError(r, 400);
  });
});
