/**
 * The inquiry collection's ingest gate (src/inquiries/ingest-gate.ts) through the real pipeline: objects
 * handed to the ingest queue exactly as a federation source or `import` hands them (acceptObjects), run by the
 * harness's real worker. A partner object that does not verify, or does not continue the thread, is refused
 * with its code in the status and the audit trail, and is neither stored nor served.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RedisAuditLog } from '../../../src/audit/audit-log';
import { acceptObjects } from '../../../src/ingest/accept';
import { type MessageRef, buildNote } from '../../../src/inquiries/model';
import { objectDigest, signObject, signerFor, type Signer } from '../../../src/inquiries/signature';
import type { InquiryState } from '../../../src/inquiries/state-machine';
import { exportPublicKey } from '../../../src/inquiries/signing-key';
import { TLP2_IDS } from '../../../src/stix/markings';
import type { HarnessGateway } from '../../helpers/gateway';
import { C, ID, inquiryRequest, markedIndicator, startInquiryGateway } from '../../api/inquiry-gateway';

const keyUs = signerFor(generateKeyPairSync('ed25519').privateKey);
const keyRu = signerFor(generateKeyPairSync('ed25519').privateKey);
const keyStranger = signerFor(generateKeyPairSync('ed25519').privateKey);
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
let dir: string;
let gw: HarnessGateway;
let noteSeq = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'inquiry-gate-'));
  writeFileSync(path.join(dir, 'ru.pub.pem'), exportPublicKey(keyRu.publicKey));
  gw = await startInquiryGateway(
    { inquirySigner: keyUs },
    `  partner_keys:\n    - { authorities: [ru-cert], public_key_file: "${path.join(dir, 'ru.pub.pem')}" }\n`,
  );
});

afterAll(async () => {
  await gw.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Hands objects to the ingest queue as the federation source `from-ru` does; the completed status. */
async function ingest(objects: readonly Record<string, unknown>[]): Promise<{ successes: string[]; failures: Map<string, string> }> {
  const status = await acceptObjects(
    { statuses: gw.statuses, queue: gw.queue, log: silent },
    { apiRoot: 'exchange', collectionId: C.inquiries, principal: { name: 'federation:from-ru', identity: '', admin: false } },
    objects,
    JSON.stringify({ objects }),
  );
  for (let i = 0; i < 500; i++) {
    const s = await gw.statuses.get(status.id);
    if (s?.resource.status === 'complete') {
      return {
        successes: s.resource.successes.map((d) => d.id),
        failures: new Map(s.resource.failures.map((d) => [d.id, d.message ?? ''])),
      };
    }
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error(`status ${status.id} still pending`);
}

async function openInquiry(subject: string): Promise<{ id: string; last: MessageRef }> {
  const r = await inquiryRequest(gw, 'POST', '', 'us-cert', {
    asked: 'ru-cert',
    subject,
    description: 'Checked by the ingest gate.',
    urgency: 'urgent',
    requested_action: 'information',
  });
  expect(r.status).toBe(201);
  const body = r.json();
  return { id: String(body['id']), last: body['last'] as MessageRef };
}

function note(
  inquiryId: string,
  inReplyTo: MessageRef,
  o: { action: 'acknowledge' | 'answer' | 'withdraw'; state: InquiryState; author?: string; signer?: Signer | null },
): Record<string, unknown> {
  noteSeq++;
  const built = buildNote({
    id: `note--6c1f7e1a-2b3c-4d5e-8f70-${String(noteSeq).padStart(12, '0')}`,
    time: `2026-12-0${1 + (noteSeq % 8)}T00:00:00.000Z`,
    author: o.author ?? ID.ru,
    inquiryRef: inquiryId,
    action: o.action,
    state: o.state,
    content: 'Получено',
    lang: 'ru',
    inReplyTo,
    markingRef: TLP2_IDS.amber,
  });
  return o.signer === null ? built : signObject(built, o.signer ?? keyRu);
}

async function taxiiIds(): Promise<string[]> {
  const r = await gw.request('GET', `/exchange/collections/${C.inquiries}/objects/`, { user: 'us-cert' });
  expect(r.status).toBe(200);
  const objects = (r.json()['objects'] ?? []) as Record<string, unknown>[];
  return objects.map((o) => String(o['id']));
}

async function threadOf(id: string): Promise<Record<string, unknown>> {
  const r = await inquiryRequest(gw, 'GET', `/${id}`, 'ru-cert');
  expect(r.status).toBe(200);
  return r.json();
}

describe('the ingest gate of an inquiry collection', () => {
  it('when partner objects are forged, tampered, signed by an unknown key, unsigned, out of order or foreign, then each is refused with its code, not stored, not served, and audited', async () => {
    const { id, last } = await openInquiry('Refused at ingest');
    const forged = note(id, last, { action: 'withdraw', state: 'withdrawn', author: ID.us });
    const tampered = { ...note(id, last, { action: 'acknowledge', state: 'acknowledged' }), content: 'Changed after signing' };
    const strangerKey = note(id, last, { action: 'acknowledge', state: 'acknowledged', signer: keyStranger });
    const unsigned = note(id, last, { action: 'acknowledge', state: 'acknowledged', signer: null });
    const outOfOrder = note(id, last, { action: 'answer', state: 'answered' });
    const orphan = note('incident--0b5c2d1e-9f8a-4b7c-8d6e-000000000001', last, { action: 'acknowledge', state: 'acknowledged' });
    const foreign = markedIndicator(900, 'amber');
    const cases: [Record<string, unknown>, string][] = [
      [forged, 'SIGNATURE_FORGED_AUTHORITY'],
      [tampered, 'SIGNATURE_INVALID'],
      [strangerKey, 'SIGNATURE_UNKNOWN_KEY'],
      [unsigned, 'SIGNATURE_MISSING'],
      [outOfOrder, 'INQUIRY_OUT_OF_ORDER'],
      [orphan, 'THREAD_ORPHAN'],
      [foreign, 'INQUIRY_FOREIGN_OBJECT'],
    ];
    const result = await ingest(cases.map(([o]) => o));
    expect(result.successes).toEqual([]);
    for (const [o, code] of cases) expect(result.failures.get(String(o['id']))).toMatch(new RegExp(`^${code}: `));

    for (const [o] of cases) expect(await gw.store.latest(C.inquiries, String(o['id']))).toBeUndefined();
    const served = await taxiiIds();
    expect(served).toContain(id);
    for (const [o] of cases) expect(served).not.toContain(o['id']);
    expect(await threadOf(id)).toMatchObject({ state: 'open', issues: [], last });

    const audit = new RedisAuditLog(gw.redis, gw.keys, gw.config.audit);
    const entries = (await audit.query({ sinceMs: 0, action: 'ingest_refused', limit: 100 })).entries;
    const refused = entries.flatMap((e) => e.ids);
    for (const [o] of cases) expect(refused).toContain(o['id']);
    expect(entries.every((e) => e.collection === C.inquiries && e.principal === 'federation:from-ru')).toBe(true);
  });

  it('when the partner acknowledges correctly, then the receipt is stored; a repeat is a harmless duplicate and a second reply to the same message is refused as a fork', async () => {
    const { id, last } = await openInquiry('Accepted, replayed, forked');
    const ack = note(id, last, { action: 'acknowledge', state: 'acknowledged' });
    const first = await ingest([ack]);
    expect(first.failures.size).toBe(0);
    expect(first.successes).toEqual([ack['id']]);
    expect(await threadOf(id)).toMatchObject({ state: 'acknowledged', issues: [] });

    const replay = await ingest([ack]);
    expect(replay.failures.size).toBe(0);

    const fork = note(id, last, { action: 'acknowledge', state: 'acknowledged' });
    const forked = await ingest([fork]);
    expect(forked.failures.get(String(fork['id']))).toMatch(/^THREAD_FORK: /);
    expect(await gw.store.latest(C.inquiries, String(fork['id']))).toBeUndefined();
    expect(await taxiiIds()).not.toContain(fork['id']);
    const t = await threadOf(id);
    expect(t).toMatchObject({ state: 'acknowledged', issues: [] });
    expect((t['messages'] as Record<string, unknown>[]).map((m) => m['id'])).toEqual([id, ack['id']]);
  });

  it('when one page holds an acknowledgement and the answer that follows it, then both are stored in order', async () => {
    const { id, last } = await openInquiry('Two messages in one page');
    const ack = note(id, last, { action: 'acknowledge', state: 'acknowledged' });
    const answer = note(
      id,
      { object_ref: String(ack['id']), object_modified: String(ack['modified']), sha256: objectDigest(ack) },
      { action: 'answer', state: 'answered' },
    );
    const r = await ingest([ack, answer]);
    expect(r.failures.size).toBe(0);
    expect(await threadOf(id)).toMatchObject({ state: 'answered', issues: [] });
  });
});
