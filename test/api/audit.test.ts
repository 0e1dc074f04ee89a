/**
 * The audit trail: every access through TAXII, lookup, import/export and the worker is recorded with who,
 * from where, what and which ids; operators read it over HTTP and through the CLI; no secret is ever written.
 */
import { RedisAuditLog } from '../../src/audit/audit-log';
import { auditCommand } from '../../src/main/commands/audit';
import { testRedisUrl } from '../helpers/redis';
import { C, ID, PASSWORDS, TLP, basicAuth, ind, startTrustGateway, type TrustGateway } from './trust-gateway';

let gw: TrustGateway;

type Entry = Record<string, unknown>;

async function entries(query: string, user = 'operator'): Promise<Entry[]> {
  const r = await gw.request('GET', `/gateway/v1/audit?${query}`, { user, headers: { Accept: 'application/json' } });
  expect(r.status).toBe(200);
  return r.json()['entries'] as Entry[];
}

/** The entry is written when the response ends; wait until a matching one shows up. */
async function waitFor(query: string, pred: (e: Entry) => boolean): Promise<Entry> {
  for (let i = 0; i < 100; i++) {
    const hit = (await entries(query)).find(pred);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no audit entry for ${query}`);
}

beforeAll(async () => {
  gw = await startTrustGateway();
  await gw.post(
    C.us,
    [
      ind(1, { created_by_ref: ID.us, object_marking_refs: [TLP.green] }),
      ind(2, { created_by_ref: ID.us, object_marking_refs: [TLP.red] }),
    ],
    'us-cert',
  );
}, 30_000);

afterAll(async () => {
  await gw.close();
});

describe('audit trail', () => {
  it('when ru-cert pulls objects, then the entry names the principal, source, collection, action and the ids served', async () => {
    const r = await gw.request('GET', `/exchange/collections/us/objects/`, { user: 'ru-cert' });
    expect(r.status).toBe(200);
    const e = await waitFor('since=1h&principal=ru-cert&action=get_objects', () => true);
    expect(e).toMatchObject({
      principal: 'ru-cert',
      action: 'get_objects',
      collection: C.us,
      http_status: 200,
      count: 1,
      ids: [ind(1)['id']],
    });
    expect(String(e['source'])).toMatch(/127\.0\.0\.1/);
    expect(e['request_id']).toBe(r.headers.get('x-request-id'));
    expect(Date.parse(String(e['time']))).toBeGreaterThan(Date.now() - 60_000);
  });

  it('when us-cert posts, then the POST entry lists the posted ids with the status id and the worker adds an ingest entry', async () => {
    const s = await gw.post(C.us, [ind(3, { created_by_ref: ID.us })], 'us-cert');
    const post = await waitFor('since=1h&principal=us-cert&action=add_objects', (e) => e['status_id'] === s['id']);
    expect(post['ids']).toEqual([ind(3)['id']]);
    const ingest = await waitFor('since=1h&action=ingest', (e) => e['status_id'] === s['id']);
    expect(ingest).toMatchObject({ principal: 'us-cert', collection: C.us, count: 1, ids: [ind(3)['id']] });
  });

  it('when lookup, manifest, versions and export are used, then each is recorded with its action', async () => {
    await gw.request('GET', '/gateway/v1/indicators/lookup?value=10.77.0.1', { user: 'ru-cert' });
    await gw.request('GET', `/exchange/collections/${C.us}/manifest/`, { user: 'ru-cert' });
    await gw.request('GET', `/exchange/collections/${C.us}/objects/${String(ind(1)['id'])}/versions/`, { user: 'ru-cert' });
    await gw.request('GET', '/gateway/v1/collections/us/export?format=stix21', { user: 'ru-cert', headers: { Accept: '*/*' } });
    for (const action of ['lookup', 'get_manifest', 'get_versions', 'export']) {
      const e = await waitFor(`since=1h&principal=ru-cert&action=${action}`, () => true);
      expect(e['ids']).toContain(ind(1)['id']);
      expect(e['ids']).not.toContain(ind(2)['id']); // RED: never served to ru-cert, so never listed
    }
  });

  it('when a non-admin asks for the audit trail, then it is refused with 403', async () => {
    const r = await gw.request('GET', '/gateway/v1/audit?since=1h', { user: 'us-cert', headers: { Accept: 'application/json' } });
    expect(r.status).toBe(403);
  });

  it('when since is missing or malformed, then the audit endpoint answers 400', async () => {
    for (const q of ['', 'since=soon', 'since=1h&since=2h', 'since=1h&bogus=1', 'since=1h&next=abc']) {
      const r = await gw.request('GET', `/gateway/v1/audit?${q}`, { user: 'operator', headers: { Accept: 'application/json' } });
      expect(r.status).toBe(400);
    }
  });

  it('when failed logins happen, then they are recorded without principal and no secret reaches the audit or the logs', async () => {
    const attempts = ['ru-cert:wrong-but-secret-pw-1', 'nobody-here:another-secret-pw-2'];
    for (const a of attempts) {
      const r = await gw.request('GET', '/exchange/collections/', {
        user: null,
        headers: { Authorization: `Basic ${Buffer.from(a).toString('base64')}` },
      });
      expect(r.status).toBe(401);
    }
    await gw.request('GET', '/exchange/collections/', { user: null, headers: { Authorization: 'Bearer secret-token-value-xyz' } });
    await waitFor('since=1h&action=collections', (e) => e['http_status'] === 401);
    const raw = JSON.stringify(await gw.redis.xrange(gw.keys.audit, '-', '+'));
    const logs = gw.logs.join('\n');
    const secrets = [
      ...Object.values(PASSWORDS),
      ...Object.keys(PASSWORDS).map((u) => basicAuth(u).slice(6)),
      'wrong-but-secret-pw-1',
      'another-secret-pw-2',
      'secret-token-value-xyz',
      ...attempts.map((a) => Buffer.from(a).toString('base64')),
    ];
    for (const s of secrets) {
      expect(raw).not.toContain(s);
      expect(logs).not.toContain(s);
    }
    expect(raw).not.toMatch(/authorization/i);
  });

  it('when pages are asked with limit, then next continues exactly after the previous page', async () => {
    const first = await gw.request('GET', '/gateway/v1/audit?since=1h&limit=2', {
      user: 'operator',
      headers: { Accept: 'application/json' },
    });
    const body = first.json();
    expect(body['more']).toBe(true);
    const second = await entries(`since=1h&limit=2&next=${String(body['next'])}`);
    const firstIds = (body['entries'] as Entry[]).map((e) => e['id']);
    expect(second.map((e) => e['id']).some((id) => firstIds.includes(id))).toBe(false);
    expect(String(second[0]?.['id']) > String(firstIds[1])).toBe(true);
  });

  it('when the CLI audit command runs, then it prints the filtered entries as JSON lines', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      stdout: (t: string) => void out.push(t),
      stderr: (t: string) => void err.push(t),
      env: { REDIS_URL: testRedisUrl() },
      readStdin: async () => Buffer.alloc(0),
    };
    const code = await auditCommand(['--since', '1h', '--principal', 'ru-cert', '--key-prefix', gw.keys.root], io);
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    const lines = out
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Entry);
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(l['principal']).toBe('ru-cert');
    expect(await auditCommand(['--principal', 'x'], io)).toBe(2);
  });
});

describe('audit retention', () => {
  it('when more than max_entries are recorded, then the stream is trimmed near the cap', async () => {
    const log = new RedisAuditLog(gw.redis, { ...gw.keys, audit: `${gw.keys.audit}:cap` }, { max_age_days: 30, max_entries: 1000 });
    for (let i = 0; i < 1500; i++)
      await log.record({ time: new Date().toISOString(), principal: 'p', source: '', action: 'other', count: 0, ids: [] });
    const len = await gw.redis.xlen(`${gw.keys.audit}:cap`);
    expect(len).toBeGreaterThanOrEqual(1000);
    expect(len).toBeLessThan(1200);
  });

  it('when entries are older than max_age_days, then the next append removes them', async () => {
    const key = `${gw.keys.audit}:age`;
    const keys = { ...gw.keys, audit: key };
    await new RedisAuditLog(gw.redis, keys, { max_age_days: 1, max_entries: 1000 }).record({
      time: 'old',
      principal: 'p',
      source: '',
      action: 'other',
      count: 0,
      ids: [],
    });
    const later = new RedisAuditLog(gw.redis, keys, { max_age_days: 1, max_entries: 1000 }, () => Date.now() + 2 * 86_400_000);
    await later.record({ time: 'new', principal: 'p', source: '', action: 'other', count: 0, ids: [] });
    const page = await later.query({ sinceMs: 0, limit: 10 });
    expect(page.entries.map((e) => e.time)).toEqual([]);
    expect(await gw.redis.xlen(key)).toBe(0);
  });
});
