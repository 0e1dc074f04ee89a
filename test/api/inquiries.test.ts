import { ExchangeReader } from '../../src/exchange/exchange-reader';
import { INQUIRY_EXTENSION_ID } from '../../src/inquiries/model';
import { objectDigest } from '../../src/inquiries/signature';
import type { HarnessGateway } from '../helpers/gateway';
import { C, ID, inquiryRequest, markedIndicator, startInquiryGateway } from './inquiry-gateway';

const TAXII = 'application/taxii+json;version=2.1';
const ALL = { all: true, first: false, last: false, exact: [] };

let gw: HarnessGateway;
let clock = Date.parse('2026-12-07T10:00:00.000Z');

beforeAll(async () => {
  gw = await startInquiryGateway({ inquiryHooks: { now: () => clock } });
  // Evidence: GREEN (ru-cert may read it), AMBER (above ru-cert's clearance), and one in a collection ru-cert does not read.
  await gw.post(C.shared, [markedIndicator(1, 'green'), markedIndicator(2, 'amber')], 'us-cert');
  await gw.post(C.usOnly, [markedIndicator(3, 'green')], 'us-cert');
});

afterAll(async () => {
  await gw.close();
});

/** Every record (all versions) of the inquiry collection: what a refused request must leave unchanged. */
async function stored(): Promise<string[]> {
  const page = await gw.store.read(C.inquiries, { after: 0, limit: 1000, types: [], ids: [], versions: ALL }, true);
  return page.records.map((r) => `${r.id}@${r.version}`);
}

function openBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    asked: 'ru-cert',
    subject: 'Scanning of energy sector hosts',
    description: 'We observe scanning of our grid operators from addresses on your territory. What do you know?',
    lang: 'en',
    urgency: 'urgent',
    requested_action: 'information',
    ...extra,
  };
}

async function open(extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const r = await inquiryRequest(gw, 'POST', '', 'us-cert', openBody(extra));
  expect(r.status).toBe(201);
  return r.json();
}

function errorCode(r: { json(): Record<string, unknown> }): unknown {
  const details = r.json()['details'];
  return typeof details === 'object' && details !== null ? (details as Record<string, unknown>)['code'] : undefined;
}

describe('/gateway/v1/inquiries', () => {
  it('when us-cert opens, ru-cert acknowledges and answers and us-cert closes, then each step is a signed note chained to the previous message', async () => {
    const opened = await open({ translations: { ru: { subject: 'Сканирование узлов энергетики' } } });
    const id = String(opened['id']);
    expect(opened).toMatchObject({
      state: 'open',
      urgency: 'urgent',
      your_side: 'asking',
      asked: { principal: 'ru-cert', identity: ID.ru },
    });
    expect(opened['acknowledge_by']).toBe('2026-12-07T10:30:00.000000Z');
    expect(opened['answer_by']).toBe('2026-12-07T14:00:00.000000Z');

    const seen = await inquiryRequest(gw, 'GET', '', 'ru-cert');
    expect(seen.status).toBe(200);
    const summary = (seen.json()['inquiries'] as Record<string, unknown>[]).find((i) => i['id'] === id);
    expect(summary).toMatchObject({ state: 'open', your_side: 'asked', next_actions: ['acknowledge'] });

    clock += 60_000;
    const ack = await inquiryRequest(gw, 'POST', `/${id}/acknowledge`, 'ru-cert', { lang: 'ru', content: 'Получено.' });
    expect(ack.status).toBe(200);
    expect(ack.json()).toMatchObject({ state: 'acknowledged', acknowledged_at: '2026-12-07T10:01:00.000000Z' });
    clock += 60_000;
    const answer = await inquiryRequest(gw, 'POST', `/${id}/answer`, 'ru-cert', {
      lang: 'ru',
      content: 'Адреса принадлежат взломанному хостингу; владелец уведомлён.',
      translations: { en: { content: 'The addresses belong to a compromised hosting provider; the owner was notified.' } },
    });
    expect(answer.status).toBe(200);
    clock += 60_000;
    const closed = await inquiryRequest(gw, 'POST', `/${id}/close`, 'us-cert', {});
    expect(closed.status).toBe(200);
    const thread = closed.json();
    expect(thread['state']).toBe('closed');
    expect((thread['messages'] as Record<string, unknown>[]).map((m) => m['action'])).toEqual(['open', 'acknowledge', 'answer', 'close']);
    expect(thread['issues']).toEqual([]);

    // The chain: each note's in_reply_to is the exact id, version and digest of the message before it.
    const objects = thread['objects'] as Record<string, unknown>[];
    const chain = objects.filter((o) => o['type'] === 'incident' || o['type'] === 'note');
    for (let i = 1; i < chain.length; i++) {
      const prev = chain[i - 1] ?? {};
      const ext = (chain[i]?.['extensions'] as Record<string, Record<string, unknown>>)[INQUIRY_EXTENSION_ID];
      expect(ext?.['in_reply_to']).toEqual({ object_ref: prev['id'], object_modified: prev['modified'], sha256: objectDigest(prev) });
      expect(ext?.['signature']).toMatchObject({ algorithm: 'Ed25519' });
    }
    const translations = objects.filter((o) => o['type'] === 'language-content');
    expect(translations).toHaveLength(2);
    expect(translations[0]).toMatchObject({ object_ref: id, contents: { ru: { name: 'Сканирование узлов энергетики' } } });
    expect(objects.find((o) => o['type'] === 'note' && o['lang'] === 'ru')).toBeDefined();

    // The TAXII view of the inquiry collection serves the same objects and the extension definition.
    const taxii = await gw.request('GET', `/exchange/collections/${C.inquiries}/objects/`, { user: 'ru-cert', headers: { Accept: TAXII } });
    expect(taxii.status).toBe(200);
    const served = taxii.json()['objects'] as Record<string, unknown>[];
    expect(served.map((o) => o['id'])).toEqual(expect.arrayContaining([INQUIRY_EXTENSION_ID, id, ...chain.map((o) => o['id'])]));
    expect(served.find((o) => o['id'] === id)).toEqual(chain[0]);
  });

  it("when evidence is above the asked authority's clearance or in a collection it does not read, then it sees the count of withheld evidence and never the ids", async () => {
    const amber = String(markedIndicator(2, 'amber')['id']);
    const usOnly = String(markedIndicator(3, 'green')['id']);
    const green = String(markedIndicator(1, 'green')['id']);
    const opened = await open({ evidence_refs: [green, amber, usOnly] });
    const id = String(opened['id']);
    expect(opened).toMatchObject({ evidence_refs: [green], withheld_evidence_count: 2, withheld_evidence_refs: [amber, usOnly] });

    const asked = await inquiryRequest(gw, 'GET', `/${id}`, 'ru-cert');
    expect(asked.status).toBe(200);
    expect(asked.json()).toMatchObject({ evidence_refs: [green], withheld_evidence_count: 2 });
    expect(asked.json()['withheld_evidence_refs']).toBeUndefined();
    const list = await inquiryRequest(gw, 'GET', '', 'ru-cert');
    const taxii = await gw.request('GET', `/exchange/collections/${C.inquiries}/objects/`, { user: 'ru-cert', headers: { Accept: TAXII } });
    for (const text of [asked.text, list.text, taxii.text]) {
      expect(text).not.toContain(amber);
      expect(text).not.toContain(usOnly);
    }
    const admin = await inquiryRequest(gw, 'GET', `/${id}`, 'operator');
    expect(admin.json()['withheld_evidence_refs']).toEqual([amber, usOnly]);
  });

  it('when the asking authority names evidence it cannot read itself, then the inquiry is refused with INQUIRY_EVIDENCE_NOT_FOUND and nothing is stored', async () => {
    const before = await stored();
    const r = await inquiryRequest(
      gw,
      'POST',
      '',
      'us-cert',
      openBody({ evidence_refs: ['indicator--00000000-0000-4000-8000-000000000099'] }),
    );
    expect(r.status).toBe(422);
    expect(errorCode(r)).toBe('INQUIRY_EVIDENCE_NOT_FOUND');
    expect(await stored()).toEqual(before);
  });

  describe('bad input changes nothing', () => {
    let id: string;
    beforeAll(async () => {
      id = String((await open())['id']);
    });

    const cases: [string, () => Promise<{ status: number; json(): Record<string, unknown> }>, number, string][] = [
      [
        'an acknowledgement of a non-existent inquiry',
        () => inquiryRequest(gw, 'POST', '/incident--00000000-0000-4000-8000-00000000abcd/acknowledge', 'ru-cert', {}),
        404,
        'INQUIRY_NOT_FOUND',
      ],
      [
        'an answer before the acknowledgement (out of order)',
        () => inquiryRequest(gw, 'POST', `/${id}/answer`, 'ru-cert', { content: 'x' }),
        409,
        'INQUIRY_OUT_OF_ORDER',
      ],
      [
        'the asking side acknowledging its own inquiry',
        () => inquiryRequest(gw, 'POST', `/${id}/acknowledge`, 'us-cert', {}),
        403,
        'INQUIRY_WRONG_PARTY',
      ],
      [
        "an outsider acknowledging someone else's inquiry",
        () => inquiryRequest(gw, 'POST', `/${id}/acknowledge`, 'outsider', {}),
        404,
        'INQUIRY_NOT_FOUND',
      ],
      [
        'an admin acting on an inquiry',
        () => inquiryRequest(gw, 'POST', `/${id}/acknowledge`, 'operator', {}),
        403,
        'INQUIRY_NOT_AN_AUTHORITY',
      ],
      [
        "an acknowledgement written in the other authority's name",
        () => inquiryRequest(gw, 'POST', `/${id}/acknowledge`, 'ru-cert', { author: 'us-cert' }),
        403,
        'INQUIRY_FORGED_AUTHORITY',
      ],
      [
        "an inquiry opened in the other authority's name",
        () => inquiryRequest(gw, 'POST', '', 'us-cert', openBody({ asking: 'ru-cert', asked: 'us-cert' })),
        403,
        'INQUIRY_FORGED_AUTHORITY',
      ],
      [
        'an inquiry to an authority without a channel',
        () => inquiryRequest(gw, 'POST', '', 'us-cert', openBody({ asked: 'outsider' })),
        404,
        'INQUIRY_NO_CHANNEL',
      ],
      [
        'an unknown urgency',
        () => inquiryRequest(gw, 'POST', '', 'us-cert', openBody({ urgency: 'whenever' })),
        400,
        'INQUIRY_INVALID_INPUT',
      ],
      [
        'an unknown field',
        () => inquiryRequest(gw, 'POST', `/${id}/acknowledge`, 'ru-cert', { state: 'closed' }),
        400,
        'INQUIRY_INVALID_INPUT',
      ],
      [
        'a reply to a message that is not the last one',
        () => inquiryRequest(gw, 'POST', `/${id}/acknowledge`, 'ru-cert', { in_reply_to: '0'.repeat(64) }),
        409,
        'INQUIRY_STALE',
      ],
    ];

    it.each(cases)(
      'when %s, then the answer is a TAXII error with its code and the collection is unchanged',
      async (_what, send, status, code) => {
        const before = await stored();
        const r = await send();
        expect(r.status).toBe(status);
        expect(r.json()).toMatchObject({ http_status: String(status) });
        expect(errorCode(r)).toBe(code);
        expect(await stored()).toEqual(before);
        expect((await inquiryRequest(gw, 'GET', `/${id}`, 'us-cert')).json()['state']).toBe('open');
      },
    );

    it('when a closed inquiry is acknowledged again, then INQUIRY_FINISHED and the collection is unchanged', async () => {
      const o = String((await open())['id']);
      expect((await inquiryRequest(gw, 'POST', `/${o}/withdraw`, 'us-cert', { content: 'Sent by mistake.' })).status).toBe(200);
      const before = await stored();
      const r = await inquiryRequest(gw, 'POST', `/${o}/acknowledge`, 'ru-cert', {});
      expect(r.status).toBe(409);
      expect(errorCode(r)).toBe('INQUIRY_FINISHED');
      expect(await stored()).toEqual(before);
    });

    it('when the body is not JSON, then 400 INVALID_JSON and nothing is stored', async () => {
      const before = await stored();
      const r = await gw.request('POST', `/gateway/v1/inquiries/${id}/acknowledge`, {
        user: 'ru-cert',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: '{"content": ',
      });
      expect(r.status).toBe(400);
      expect(r.json()['error_code']).toBe('INVALID_JSON');
      expect(await stored()).toEqual(before);
    });
  });

  it('when two acknowledgements of one inquiry race, then exactly one is recorded and the other is refused', async () => {
    const id = String((await open())['id']);
    const [a, b] = await Promise.all([
      inquiryRequest(gw, 'POST', `/${id}/acknowledge`, 'ru-cert', {}),
      inquiryRequest(gw, 'POST', `/${id}/acknowledge`, 'ru-cert', {}),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const thread = (await inquiryRequest(gw, 'GET', `/${id}`, 'ru-cert')).json();
    expect((thread['messages'] as unknown[]).length).toBe(2);
    expect(thread['issues']).toEqual([]);
  });

  it('when the outsider lists or reads inquiries, then it sees none of them; the admin sees them all', async () => {
    const id = String((await open())['id']);
    const list = await inquiryRequest(gw, 'GET', '', 'outsider');
    expect(list.json()['inquiries']).toEqual([]);
    expect((await inquiryRequest(gw, 'GET', `/${id}`, 'outsider')).status).toBe(404);
    const taxii = await gw.request('GET', `/exchange/collections/${C.inquiries}/objects/`, {
      user: 'outsider',
      headers: { Accept: TAXII },
    });
    expect(taxii.status).toBe(404);
    const admin = await inquiryRequest(gw, 'GET', '', 'operator');
    expect((admin.json()['inquiries'] as Record<string, unknown>[]).some((i) => i['id'] === id)).toBe(true);
  });

  it('when listing with state, urgency and overdue filters, then only matching inquiries are returned', async () => {
    const routine = String((await open({ urgency: 'routine' }))['id']);
    const urgent = String((await open({ urgency: 'urgent' }))['id']);
    const ids = async (q: string): Promise<string[]> =>
      ((await inquiryRequest(gw, 'GET', q, 'ru-cert')).json()['inquiries'] as Record<string, unknown>[]).map((i) => String(i['id']));
    expect(await ids('?urgency=routine')).toContain(routine);
    expect(await ids('?urgency=routine')).not.toContain(urgent);
    expect(await ids('?state=open&overdue=false')).toEqual(expect.arrayContaining([routine, urgent]));
    clock += 31 * 60_000; // past the urgent acknowledgement deadline (30m), well before the routine one
    const overdue = await ids('?overdue=true');
    expect(overdue).toContain(urgent);
    expect(overdue).not.toContain(routine);
    const bad = await inquiryRequest(gw, 'GET', '?state=lost', 'ru-cert');
    expect(bad.status).toBe(400);
    expect(bad.json()['error_code']).toBe('INVALID_FILTER');
  });

  it('when inquiries are opened and answered, then every action is in the audit trail with its principal', async () => {
    const id = String((await open())['id']);
    await inquiryRequest(gw, 'POST', `/${id}/acknowledge`, 'ru-cert', {});
    await inquiryRequest(gw, 'GET', `/${id}`, 'ru-cert');
    await gw.audit.flush();
    const page = await gw.audit.query({ sinceMs: 0, limit: 1000 });
    const mine = page.entries.filter((e) => e.ids.includes(id));
    expect(mine.map((e) => [e.action, e.principal])).toEqual(
      expect.arrayContaining([
        ['inquiry_open', 'us-cert'],
        ['inquiry_acknowledge', 'ru-cert'],
        ['inquiry_read', 'ru-cert'],
      ]),
    );
    expect(mine.every((e) => e.collection === C.inquiries)).toBe(true);
  });

  it('when an inquiry is opened, then acknowledged and answered before its deadlines, then the exchange figures count each step once', async () => {
    const admin = { name: 'operator', identity: 'identity--00000000-0000-4000-8000-000000000000', admin: true };
    const figures = async (): Promise<Record<string, number>> => {
      await gw.exchange.flush();
      const all = await new ExchangeReader(gw.redis, gw.keys, gw.config).figures(admin, 7, Date.now());
      const sum: Record<string, number> = {};
      for (const c of all.collections) for (const [e, n] of Object.entries(c.inquiries)) sum[e] = (sum[e] ?? 0) + n;
      return sum;
    };
    const before = await figures();
    const id = String((await open())['id']);
    clock += 60_000;
    expect((await inquiryRequest(gw, 'POST', `/${id}/acknowledge`, 'ru-cert', { content: 'Received.' })).status).toBe(200);
    clock += 60_000;
    expect((await inquiryRequest(gw, 'POST', `/${id}/answer`, 'ru-cert', { content: 'Hosting provider notified.' })).status).toBe(200);
    const after = await figures();
    expect({
      opened: (after['opened'] ?? 0) - (before['opened'] ?? 0),
      acked: (after['acked_in_time'] ?? 0) - (before['acked_in_time'] ?? 0),
      answered: (after['answered_in_time'] ?? 0) - (before['answered_in_time'] ?? 0),
    }).toEqual({ opened: 1, acked: 1, answered: 1 });
  });
});
