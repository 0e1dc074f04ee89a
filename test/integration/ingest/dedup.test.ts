import { COLL, IDENT, startTestGateway, type TestGateway } from '../../helpers/gateway';

const T0 = '2024-03-01T10:00:00.000Z';

function ind(uuidTail: string, pattern: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--aaaaaaaa-0000-4000-8000-${uuidTail.padStart(12, '0')}`,
    created: T0,
    modified: T0,
    pattern,
    pattern_type: 'stix',
    valid_from: T0,
    created_by_ref: IDENT.us,
    ...extra,
  };
}

type Detail = { id: string; version?: string; message?: string };

function details(status: Record<string, unknown>, key: 'successes' | 'failures'): Detail[] {
  return (status[key] as Detail[] | undefined) ?? [];
}

async function objects(gw: TestGateway, query = ''): Promise<Record<string, unknown>[]> {
  const r = await gw.request('GET', `/exchange/collections/${COLL.joint}/objects/${query}`);
  return (r.json()['objects'] as Record<string, unknown>[] | undefined) ?? [];
}

describe('ingest pipeline: normalization and indicator deduplication', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('when a field bundle mixes a 2.0 indicator, defanged values, a duplicate, a broken pattern and a dangling ref, then each gets the right outcome', async () => {
    const yesterday = ind('1', "[domain-name:value = 'evil-example.com']", { labels: ['c2'] });
    await gw.post(COLL.joint, [yesterday]);

    const indicator20 = {
      type: 'indicator',
      id: 'indicator--bbbbbbbb-0000-4000-8000-000000000001',
      created: T0,
      modified: T0,
      labels: ['malicious-activity'],
      pattern: "[url:value = 'hxxp://bad-example[.]net/path']",
      valid_from: T0,
    };
    const upper = ind('2', "[file:hashes.SHA256 = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']");
    const duplicate = ind('3', "[domain-name:value = 'EVIL-EXAMPLE.com']", {
      modified: '2024-03-02T10:00:00.000Z',
      labels: ['phishing'],
    });
    const broken = ind('4', "[ipv4-addr:value = '203.0.113.7'");
    const rel = {
      type: 'relationship',
      spec_version: '2.1',
      id: 'relationship--cccccccc-0000-4000-8000-000000000001',
      created: T0,
      modified: T0,
      relationship_type: 'indicates',
      source_ref: duplicate['id'],
      target_ref: 'malware--dddddddd-0000-4000-8000-000000000001',
    };
    const status = await gw.post(COLL.joint, [indicator20, upper, duplicate, broken, rel]);
    expect(status['success_count']).toBe(4);
    expect(status['failure_count']).toBe(1);

    const failures = details(status, 'failures');
    expect(failures[0]?.id).toBe(broken['id']);
    expect(failures[0]?.message).toMatch(/PATTERN_SYNTAX/);

    const successes = details(status, 'successes');
    const dup = successes.find((s) => s.id === duplicate['id']);
    expect(dup?.message).toContain(`merged into ${String(yesterday['id'])}`);
    expect(dup?.message).toContain('labels');

    const stored = await objects(gw);
    const ids = stored.map((o) => o['id']);
    expect(ids).not.toContain(duplicate['id']);
    expect(ids).not.toContain(broken['id']);
    const up = stored.find((o) => o['id'] === indicator20.id);
    expect(up?.['spec_version']).toBe('2.1');
    expect(up?.['pattern']).toBe("[url:value = 'http://bad-example.net/path']");
    expect(up?.['indicator_types']).toEqual(['malicious-activity']);
    expect(stored.find((o) => o['id'] === upper['id'])?.['pattern']).toBe(
      "[file:hashes.'SHA-256' = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']",
    );
    // the folded indicator got a new version with the union of labels
    const kept = stored.find((o) => o['id'] === yesterday['id']);
    expect(kept?.['labels']).toEqual(['c2', 'phishing']);
    expect(kept?.['modified']).toBe('2024-03-02T10:00:00.000Z');
    // the relationship points at the kept indicator, the dangling target_ref is kept as is
    const storedRel = stored.find((o) => o['id'] === rel.id);
    expect(storedRel?.['source_ref']).toBe(yesterday['id']);
    expect(storedRel?.['target_ref']).toBe(rel.target_ref);
  });

  it('when one envelope brings several duplicates of two held indicators, then each duplicate is merged and every addition lands in its holder', async () => {
    const holderA = ind('300', "[ipv4-addr:value = '198.51.100.30']", { labels: ['a0'] });
    const holderB = ind('301', "[domain-name:value = 'fold-b.example']", { labels: ['b0'] });
    await gw.post(COLL.joint, [holderA, holderB]);
    const later = (day: string): string => `2024-03-${day}T10:00:00.000Z`;
    const dups = [
      ind('310', "[ipv4-addr:value = '198.51.100.30']", { modified: later('05'), labels: ['a1'] }),
      ind('311', "[domain-name:value = 'fold-b.example']", { modified: later('05'), labels: ['b1'] }),
      ind('312', "[ipv4-addr:value = '198.51.100.30']", { modified: later('06'), labels: ['a2'] }),
      // adds nothing: merged, no new version
      ind('313', "[domain-name:value = 'fold-b.example']"),
    ];
    const status = await gw.post(COLL.joint, dups);
    expect(status['success_count']).toBe(4);
    const messages = new Map(details(status, 'successes').map((d) => [d.id, d.message ?? '']));
    for (const [dup, holder] of [
      [dups[0], holderA],
      [dups[1], holderB],
      [dups[2], holderA],
      [dups[3], holderB],
    ] as const) {
      expect(messages.get(String(dup?.['id']))).toContain(`merged into ${String(holder['id'])}`);
    }
    expect(messages.get(String(dups[0]?.['id']))).toContain('new version');
    expect(messages.get(String(dups[2]?.['id']))).toContain('new version');
    expect(messages.get(String(dups[3]?.['id']))).not.toContain('new version');
    const stored = await objects(gw, `?match[id]=${String(holderA['id'])},${String(holderB['id'])}`);
    const a = stored.find((o) => o['id'] === holderA['id']);
    const b = stored.find((o) => o['id'] === holderB['id']);
    expect([a?.['labels'], a?.['modified']]).toEqual([['a0', 'a1', 'a2'], later('06')]);
    expect([b?.['labels'], b?.['modified']]).toEqual([['b0', 'b1'], later('05')]);
  });

  it('when the same value comes from another producer, then it is kept as a separate indicator', async () => {
    const a = ind('10', "[ipv4-addr:value = '198.51.100.10']");
    const b = ind('11', "[ipv4-addr:value = '198.51.100.10']", { created_by_ref: IDENT.ru });
    await gw.post(COLL.joint, [a]);
    const s = await gw.post(COLL.joint, [b], 'ru-cert');
    expect(details(s, 'successes')[0]?.message).toMatch(/^stored/);
    const r = await gw.request('GET', `/exchange/collections/${COLL.joint}/objects/?match[id]=${String(a['id'])},${String(b['id'])}`);
    expect((r.json()['objects'] as unknown[]).length).toBe(2);
  });

  it('when two posts fold the same new indicator concurrently, then exactly one object holds the pattern', async () => {
    const variants = Array.from({ length: 6 }, (_, i) => ind(String(100 + i), "[ipv4-addr:value = '192.0.2.77']"));
    await Promise.all(variants.map((v) => gw.post(COLL.joint, [v])));
    const r = await gw.request(
      'GET',
      `/exchange/collections/${COLL.joint}/objects/?match[id]=${variants.map((v) => String(v['id'])).join(',')}`,
    );
    expect((r.json()['objects'] as unknown[]).length).toBe(1);
  });

  it('when a client looks up a value, then it sees the collections it may read that hold it, and nothing else', async () => {
    await gw.post(COLL.us, [ind('200', "[ipv4-addr:value = '203.0.113.99']")]);
    await gw.post(COLL.joint, [ind('201', "[ipv4-addr:value = '203.0.113.99']")]);
    const asUs = await gw.request('GET', '/gateway/v1/indicators/lookup?value=203.0.113[.]99', { user: 'us-cert' });
    expect(asUs.status).toBe(200);
    expect((asUs.json()['matches'] as { collection: { id: string } }[]).map((m) => m.collection.id).sort()).toEqual(
      [COLL.us, COLL.joint].sort(),
    );
    // ru-cert reads us and joint in this test config; nobody reads nothing
    const asNobody = await gw.request('GET', '/gateway/v1/indicators/lookup?value=203.0.113.99', { user: 'nobody' });
    expect(asNobody.json()['match_count']).toBe(0);
    const byPattern = await gw.request(
      'GET',
      `/gateway/v1/indicators/lookup?pattern=${encodeURIComponent("[ipv4-addr:value='203.0.113.99']")}`,
    );
    expect(byPattern.json()['match_count']).toBe(2);
    const bad = await gw.request('GET', '/gateway/v1/indicators/lookup?pattern=%5Bnope');
    expect(bad.status).toBe(400);
  });

  it('when an indicator is deleted, then the lookup no longer reports it', async () => {
    const x = ind('300', "[domain-name:value = 'deleted-example.org']");
    await gw.post(COLL.us, [x]);
    const before = await gw.request('GET', '/gateway/v1/indicators/lookup?value=deleted-example.org');
    expect(before.json()['match_count']).toBe(1);
    const del = await gw.request('DELETE', `/exchange/collections/${COLL.us}/objects/${String(x['id'])}/`);
    expect(del.status).toBe(200);
    const after = await gw.request('GET', '/gateway/v1/indicators/lookup?value=deleted-example.org');
    expect(after.json()['match_count']).toBe(0);
  });

  it('when normalization changed an object, then the original is retrievable; an unchanged one answers itself, marked identical', async () => {
    const changed = ind('400', "[domain-name:value = 'ORIGINAL-example[.]com']");
    const unchanged = ind('401', "[domain-name:value = 'unchanged-example.com']");
    await gw.post(COLL.joint, [changed, unchanged]);
    const r = await gw.request('GET', `/gateway/v1/collections/joint/objects/${String(changed['id'])}/original`);
    expect(r.status).toBe(200);
    expect(r.json()['pattern']).toBe(changed['pattern']);
    expect(r.headers.get('x-gateway-original')).toBe('as-posted');
    const same = await gw.request('GET', `/gateway/v1/collections/joint/objects/${String(unchanged['id'])}/original`);
    expect(same.status).toBe(200);
    expect(same.headers.get('x-gateway-original')).toBe('identical');
    expect(same.json()['pattern']).toBe(unchanged['pattern']);
    expect(same.json()['id']).toBe(unchanged['id']);
    const hidden = await gw.request('GET', `/gateway/v1/collections/joint/objects/${String(changed['id'])}/original`, { user: 'nobody' });
    expect(hidden.status).toBe(404);
  });
});
