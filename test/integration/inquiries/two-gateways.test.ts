/**
 * Two gateways, one thread: US-CERT's gateway (A) and RU-CERT's gateway (B), each signing for its own authority
 * and holding the other's public key. Each pulls the other's inquiry collection with a federation source; the
 * objects go through the normal ingest pipeline unchanged, and each side checks the partner's signatures.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GatewayConfig } from '../../../src/config/types';
import { DeadlineScheduler } from '../../../src/inquiries/deadline-scheduler';
import { INQUIRY_EXTENSION_ID, buildNote } from '../../../src/inquiries/model';
import { objectDigest, signObject, signerFor } from '../../../src/inquiries/signature';
import { exportPublicKey } from '../../../src/inquiries/signing-key';
import { composeFederationRunner, composeInquiryWorker } from '../../../src/main/compose';
import { keyringFor } from '../../../src/inquiries/signing-key';
import { TLP2_IDS } from '../../../src/stix/markings';
import type { HarnessGateway } from '../../helpers/gateway';
import { startGatewayFromConfig } from '../../helpers/gateway';
import { testRedisUrl } from '../../helpers/redis';
import { C, ID, PASSWORDS, inquiryConfig, inquiryRequest } from '../../api/inquiry-gateway';

const keyA = signerFor(generateKeyPairSync('ed25519').privateKey);
const keyB = signerFor(generateKeyPairSync('ed25519').privateKey);
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
let dir: string;
let a: HarnessGateway;
let b: HarnessGateway;

function partnerKey(authority: string, file: string): string {
  return `  partner_keys:\n    - { authorities: [${authority}], public_key_file: "${file}" }\n`;
}

function source(name: string, base: string, user: string): string {
  return `sources:
  - name: ${name}
    url: ${base}/exchange/
    collection: ${C.inquiries}
    into: us-ru-inquiries
    auth: { basic: { username: ${user}, password_env: PARTNER_PW } }
    schedule: 3600
`;
}

/** Pulls the partner's inquiry collection into `into` and waits until the ingest jobs are complete. */
async function sync(into: HarnessGateway, cfg: GatewayConfig, name: string, user: string): Promise<number> {
  const runner = composeFederationRunner({
    config: cfg,
    redis: into.redis,
    keys: into.keys,
    store: into.store,
    statuses: into.statuses,
    queue: into.queue,
    log: silent,
    env: { PARTNER_PW: PASSWORDS[user] },
  });
  const r = await runner.run('source', name);
  if (!r.ran || !r.ok) throw new Error(`sync ${name} failed: ${JSON.stringify(r)}`);
  for (const id of r.summary.statuses) {
    for (let i = 0; ; i++) {
      const s = await into.statuses.get(id);
      if (s?.resource.status === 'complete') break;
      if (i > 1000) throw new Error(`status ${id} still pending`);
      await new Promise((res) => setTimeout(res, 20));
    }
  }
  lastFailures = new Map<string, string>();
  for (const id of r.summary.statuses) {
    for (const f of (await into.statuses.get(id))?.resource.failures ?? []) lastFailures.set(f.id, f.message ?? '');
  }
  return r.summary.objects;
}

/** The failures of the last sync's statuses, by object id. */
let lastFailures = new Map<string, string>();

/** A hostile gateway's own write: a note put straight into its store, past any check, for the partner to pull. */
async function storeBehindTheGate(gw: HarnessGateway, note: Record<string, unknown>): Promise<void> {
  const version = String(note['modified']);
  await gw.store.storeBatch(C.inquiries, [
    {
      id: String(note['id']),
      type: 'note',
      specVersion: '2.1',
      tlpRank: 2,
      json: JSON.stringify(note),
      version,
      versionMicros: Date.parse(version) * 1000,
    },
  ]);
}

let cfgA: GatewayConfig;
let cfgB: GatewayConfig;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'inquiry-two-'));
  writeFileSync(path.join(dir, 'a.pub.pem'), exportPublicKey(keyA.publicKey));
  writeFileSync(path.join(dir, 'b.pub.pem'), exportPublicKey(keyB.publicKey));
  a = await startGatewayFromConfig(await inquiryConfig(partnerKey('ru-cert', path.join(dir, 'b.pub.pem'))), {
    passwords: PASSWORDS,
    inquirySigner: keyA,
  });
  b = await startGatewayFromConfig(await inquiryConfig(partnerKey('us-cert', path.join(dir, 'a.pub.pem'))), {
    passwords: PASSWORDS,
    inquirySigner: keyB,
  });
  // Each side pulls the other's inquiry collection as its own authority (a reader there).
  cfgA = await inquiryConfig(partnerKey('ru-cert', path.join(dir, 'b.pub.pem')) + source('from-b', b.base, 'us-cert'));
  cfgB = await inquiryConfig(partnerKey('us-cert', path.join(dir, 'a.pub.pem')) + source('from-a', a.base, 'ru-cert'));
});

afterAll(async () => {
  await a.close();
  await b.close();
  rmSync(dir, { recursive: true, force: true });
});

async function thread(gw: HarnessGateway, id: string, user: string): Promise<Record<string, unknown>> {
  const r = await inquiryRequest(gw, 'GET', `/${id}`, user);
  expect(r.status).toBe(200);
  return r.json();
}

function digests(t: Record<string, unknown>): string[] {
  return (t['objects'] as Record<string, unknown>[]).map((o) => objectDigest(o)).sort();
}

describe('two gateways, one inquiry thread', () => {
  it('when A opens, B acknowledges and answers and A closes, then both hold the same signed thread', async () => {
    const opened = await inquiryRequest(a, 'POST', '', 'us-cert', {
      asked: 'ru-cert',
      subject: 'Across two gateways',
      description: 'Opened on the US side.',
      urgency: 'priority',
      requested_action: 'information',
    });
    expect(opened.status).toBe(201);
    const id = String(opened.json()['id']);

    expect(await sync(b, cfgB, 'from-a', 'ru-cert')).toBeGreaterThan(0);
    expect(await thread(b, id, 'ru-cert')).toMatchObject({ state: 'open', your_side: 'asked', issues: [] });
    expect((await inquiryRequest(b, 'POST', `/${id}/acknowledge`, 'ru-cert', { lang: 'ru', content: 'Получено' })).status).toBe(200);
    expect((await inquiryRequest(b, 'POST', `/${id}/answer`, 'ru-cert', { content: 'Hosting provider notified.' })).status).toBe(200);

    await sync(a, cfgA, 'from-b', 'us-cert');
    const onA = await thread(a, id, 'us-cert');
    expect(onA).toMatchObject({ state: 'answered', issues: [] });
    const messages = onA['messages'] as Record<string, unknown>[];
    expect(messages.map((m) => [m['action'], m['keyId']])).toEqual([
      ['open', keyA.keyId],
      ['acknowledge', keyB.keyId],
      ['answer', keyB.keyId],
    ]);
    expect((await inquiryRequest(a, 'POST', `/${id}/close`, 'us-cert', {})).status).toBe(200);
    await sync(b, cfgB, 'from-a', 'ru-cert');
    await sync(a, cfgA, 'from-b', 'us-cert');

    const finalA = await thread(a, id, 'us-cert');
    const finalB = await thread(b, id, 'ru-cert');
    expect(finalA['state']).toBe('closed');
    expect(finalB['state']).toBe('closed');
    expect(digests(finalB)).toEqual(digests(finalA));
    expect(finalB['last']).toEqual(finalA['last']);
  });

  it("when a gateway writes a message in the other authority's name, then the partner refuses it at ingest as a forged authority: not stored, not served, and the thread does not move", async () => {
    const opened = await inquiryRequest(a, 'POST', '', 'us-cert', {
      asked: 'ru-cert',
      subject: 'Forgery test',
      description: 'B will try to close this in the name of us-cert.',
      urgency: 'routine',
      requested_action: 'notification',
    });
    const id = String(opened.json()['id']);
    await sync(b, cfgB, 'from-a', 'ru-cert');
    const onB = await thread(b, id, 'ru-cert');
    // B's gateway signs a withdrawal "by us-cert" with its own key and stores it in its collection.
    const forged = signObject(
      buildNote({
        id: 'note--6c1f7e1a-2b3c-4d5e-8f70-00000000f0f0',
        time: '2026-12-31T00:00:00.000Z',
        author: ID.us,
        inquiryRef: id,
        action: 'withdraw',
        state: 'withdrawn',
        content: 'Withdrawn.',
        lang: 'en',
        inReplyTo: onB['last'] as { object_ref: string; object_modified: string; sha256: string },
        markingRef: TLP2_IDS.amber,
      }),
      keyB,
    );
    await storeBehindTheGate(b, forged);
    await sync(a, cfgA, 'from-b', 'us-cert');
    expect(lastFailures.get(String(forged['id']))).toMatch(/^SIGNATURE_FORGED_AUTHORITY: /);
    expect(await a.store.latest(C.inquiries, String(forged['id']))).toBeUndefined();
    const onA = await thread(a, id, 'us-cert');
    expect(onA['state']).toBe('open');
    expect(onA['issues']).toEqual([]);
    expect((forged['extensions'] as Record<string, Record<string, unknown>>)[INQUIRY_EXTENSION_ID]?.['signature']).toBeDefined();
  });

  it('when the partner serves a message changed after signing, or a second reply to a message already answered, then it is refused at ingest and never passed on', async () => {
    const opened = await inquiryRequest(a, 'POST', '', 'us-cert', {
      asked: 'ru-cert',
      subject: 'Tampering test',
      description: 'B serves a changed acknowledgement and a fork.',
      urgency: 'routine',
      requested_action: 'information',
    });
    const id = String(opened.json()['id']);
    await sync(b, cfgB, 'from-a', 'ru-cert');
    const head = (await thread(b, id, 'ru-cert'))['last'] as { object_ref: string; object_modified: string; sha256: string };
    expect((await inquiryRequest(b, 'POST', `/${id}/acknowledge`, 'ru-cert', { content: 'Received.' })).status).toBe(200);
    const signedFork = signObject(
      buildNote({
        id: 'note--6c1f7e1a-2b3c-4d5e-8f70-00000000f0f1',
        time: '2026-12-30T00:00:00.000Z',
        author: ID.ru,
        inquiryRef: id,
        action: 'acknowledge',
        state: 'acknowledged',
        content: 'A second receipt of the same message.',
        lang: 'en',
        inReplyTo: head,
        markingRef: TLP2_IDS.amber,
      }),
      keyB,
    );
    const tampered = { ...signedFork, id: 'note--6c1f7e1a-2b3c-4d5e-8f70-00000000f0f2', content: 'Changed after signing.' };
    for (const o of [signedFork, tampered]) await storeBehindTheGate(b, o);
    await sync(a, cfgA, 'from-b', 'us-cert');
    expect(lastFailures.get(String(signedFork['id']))).toMatch(/^THREAD_FORK: /);
    expect(lastFailures.get(String(tampered['id']))).toMatch(/^SIGNATURE_INVALID: /);
    const onA = await thread(a, id, 'us-cert');
    expect(onA).toMatchObject({ state: 'acknowledged', issues: [] });
    const served = await a.request('GET', `/exchange/collections/${C.inquiries}/objects/`, { user: 'ru-cert' });
    const ids = ((served.json()['objects'] ?? []) as Record<string, unknown>[]).map((o) => o['id']);
    expect(ids).toContain(id);
    expect(ids).not.toContain(signedFork['id']);
    expect(ids).not.toContain(tampered['id']);
  });

  it('when the gateways do not sync for a while, then nothing is lost and deadlines are scheduled once on the asked side', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await inquiryRequest(a, 'POST', '', 'us-cert', {
        asked: 'ru-cert',
        subject: `During the partition ${i}`,
        description: 'Opened while B does not pull.',
        urgency: 'urgent',
        requested_action: 'information',
      });
      ids.push(String(r.json()['id']));
    }
    // The partition: B has not pulled; it does not know these inquiries.
    for (const id of ids) expect((await inquiryRequest(b, 'GET', `/${id}`, 'ru-cert')).status).toBe(404);
    await sync(b, cfgB, 'from-a', 'ru-cert');
    await sync(b, cfgB, 'from-a', 'ru-cert'); // pulling again repeats nothing
    const scheduler = new DeadlineScheduler({
      connection: { url: testRedisUrl(), maxRetriesPerRequest: null },
      prefix: b.keys.queuePrefix,
      config: b.config,
    });
    try {
      const service = b.inquiries;
      if (service === undefined) throw new Error('no inquiry service on B');
      await scheduler.reconcile(service);
      await scheduler.reconcile(service);
      for (const id of ids) {
        const t = await thread(b, id, 'ru-cert');
        expect(t).toMatchObject({ state: 'open', issues: [] });
        const jobs = (await scheduler.queue.getJobs(['delayed', 'waiting', 'active', 'completed'])).filter((j) => j.data.inquiryId === id);
        const events = jobs.map((j) => j.data.event.replace(/-\d+$/, '').replace(/^message-.*/, 'message')).sort();
        expect(events).toEqual(['escalate-acknowledge', 'message', 'remind-acknowledge']);
      }
    } finally {
      await scheduler.close();
    }
  });

  it("when a thread arrives from the partner while the asked side's deadline worker runs, then its regular reconciliation schedules the deadlines without a restart", async () => {
    const connection = { url: testRedisUrl(), maxRetriesPerRequest: null };
    const worker = await composeInquiryWorker({
      config: b.config,
      redis: b.redis,
      connection,
      keys: b.keys,
      store: b.store,
      signer: keyB,
      keyring: await keyringFor(b.config, keyB.publicKey),
      log: silent,
      env: {},
      reconcileEveryMs: 200,
    });
    try {
      const r = await inquiryRequest(a, 'POST', '', 'us-cert', {
        asked: 'ru-cert',
        subject: 'Arrives while B runs',
        description: 'Scheduled by the periodic reconciliation.',
        urgency: 'routine',
        requested_action: 'information',
      });
      const id = String(r.json()['id']);
      await sync(b, cfgB, 'from-a', 'ru-cert');
      let events: string[] = [];
      for (let i = 0; i < 100 && events.length < 3; i++) {
        await new Promise((res) => setTimeout(res, 50));
        const jobs = await worker.scheduler.queue.getJobs(['delayed', 'waiting', 'active', 'completed']);
        events = jobs
          .filter((j) => j.data.inquiryId === id)
          .map((j) => j.data.event.replace(/-\d+$/, '').replace(/^message-.*/, 'message'))
          .sort();
      }
      expect(events).toEqual(['escalate-acknowledge', 'message', 'remind-acknowledge']);
    } finally {
      await worker.close();
    }
  });
});
