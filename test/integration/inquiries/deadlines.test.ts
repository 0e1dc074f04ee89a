/**
 * Deadlines and notifications end to end on the test Redis: BullMQ delayed jobs, an in-process SMTP server and
 * a webhook receiver on loopback. Deadlines are seconds long so the test waits for real ones.
 */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import type { GatewayConfig } from '../../../src/config/types';
import { composeInquiryKeys, composeInquiryWorker, type ComposedInquiryWorker, type InquiryKeys } from '../../../src/main/compose';
import { type DeliveryRecord, type Notifier, deliveryKey, webhookSignature } from '../../../src/inquiries/notifier';
import { signerFor } from '../../../src/inquiries/signature';
import type { HarnessGateway } from '../../helpers/gateway';
import { testRedisUrl } from '../../helpers/redis';
import { GatewayMetrics } from '../../../src/observability/metrics';
import { C, PASSWORDS, inquiryConfig, inquiryRequest } from '../../api/inquiry-gateway';
import { startGatewayFromConfig } from '../../helpers/gateway';
import { type SmtpSink, mailHeader, startSmtpSink } from '../../helpers/smtp-sink';

const HOOK_SECRET = 'test-webhook-secret-0f1e2d';

interface Mail {
  to: string;
  event: string;
  subject: string;
  raw: string;
}
interface Hook {
  body: string;
  signature: string;
  event: string;
  idempotencyKey: string;
}

const mails: Mail[] = [];
const hooks: Hook[] = [];
/** The Idempotency-Key of every webhook request, failed ones included. */
const hookKeys: string[] = [];
let hookFailuresLeft = 1;
let smtp: SmtpSink;
let hookServer: Server;
let gw: HarnessGateway;
let inquiryKeys: InquiryKeys;
/** The deadline workers, built as the worker role builds them (src/main/compose.ts). */
const workers: ComposedInquiryWorker[] = [];
/** The second worker's notifier (never restarted; deliveries are shared through Redis, so it sees them all). */
let notifier: Notifier;
const metrics = new GatewayMetrics({ defaultMetrics: false });

const header = mailHeader;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  smtp = await startSmtpSink((raw, recipients, answer) => {
    for (const to of recipients) mails.push({ to, event: header(raw, 'X-Gateway-Event'), subject: header(raw, 'Subject'), raw });
    answer();
  });
  const smtpPort = smtp.port;
  hookServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hookKeys.push(String(req.headers['idempotency-key'] ?? ''));
      if (hookFailuresLeft > 0) {
        hookFailuresLeft--;
        res.writeHead(503).end();
        return;
      }
      hooks.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers['x-gateway-signature'] ?? ''),
        event: String(req.headers['x-gateway-event'] ?? ''),
        idempotencyKey: String(req.headers['idempotency-key'] ?? ''),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', () => resolve()));
  const hookPort = (hookServer.address() as AddressInfo).port;
  const config = await inquiryConfig(
    `  contacts:
    ru-cert:
      duty:
        - { name: ru-duty, email: duty@ru.example, webhook: "http://127.0.0.1:${hookPort}/hook", secret_env: RU_HOOK_SECRET }
      escalation:
        - { name: ru-chief, email: chief@ru.example }
    us-cert:
      duty:
        - { name: us-duty, email: duty@us.example }
  smtp: { host: 127.0.0.1, port: ${smtpPort}, from: "gateway@hub.example" }
`.replace('urgent: { acknowledge_within: 30m, answer_within: 4h, remind_before: 10m }', ''),
  );
  const shortDeadlines: GatewayConfig = {
    ...config,
    inquiries: {
      ...config.inquiries,
      urgency: {
        ...config.inquiries.urgency,
        urgent: { acknowledge_within_seconds: 3, answer_within_seconds: 6, remind_before_seconds: 1 },
      },
    },
  };
  const signer = signerFor(generateKeyPairSync('ed25519').privateKey);
  const keys = await composeInquiryKeys(shortDeadlines, async () => signer);
  if (keys === undefined) throw new Error('no inquiry channel');
  inquiryKeys = keys;
  gw = await startGatewayFromConfig(shortDeadlines, {
    passwords: PASSWORDS,
    worker: false,
    inquirySigner: signer,
    inquiryHooks: { metrics },
  });
  // Two workers from the start: each job still runs once, each notification is still sent once.
  for (let i = 0; i < 2; i++) workers.push(await deadlineWorker());
  notifier = (workers[1] as ComposedInquiryWorker).notifier;
});

/** A deadline worker on the gateway's Redis: webhook retries after 50 ms; no timed reconciliation (the tests call it). */
function deadlineWorker(): Promise<ComposedInquiryWorker> {
  return composeInquiryWorker({
    config: gw.config,
    redis: gw.redis,
    connection: { url: testRedisUrl(), maxRetriesPerRequest: null },
    keys: gw.keys,
    store: gw.store,
    ...inquiryKeys,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    env: { RU_HOOK_SECRET: HOOK_SECRET },
    metrics,
    notifier: { webhookBackoffMs: 50 },
    reconcileEveryMs: 3_600_000,
  });
}

afterAll(async () => {
  for (const w of workers) await w.close();
  await gw.close();
  await smtp.close();
  await new Promise<void>((resolve) => hookServer.close(() => resolve()));
});

function open(urgency: string): Promise<Record<string, unknown>> {
  return inquiryRequest(gw, 'POST', '', 'us-cert', {
    asked: 'ru-cert',
    subject: `Deadline test ${urgency}`,
    description: 'Test of reminders and escalations.',
    urgency,
    requested_action: 'information',
  }).then((r) => {
    if (r.status !== 201) throw new Error(r.text);
    return r.json();
  });
}

describe('inquiry deadlines and notifications', () => {
  it('when an urgent inquiry is left unacknowledged, then the asked side is told once of the message, reminded once, and escalated once to the second list, across two workers, a restart and repeated scheduling', async () => {
    const id = String((await open('urgent'))['id']);
    await until('the message e-mail and webhook', () => mails.some((m) => m.to === 'duty@ru.example') && hooks.length > 0);
    const first = mails.find((m) => m.to === 'duty@ru.example');
    expect(first?.raw).toContain('Event: open by us-cert.');
    expect(first?.raw).toContain(id);
    const hook = hooks[0];
    expect(hook?.signature).toBe(webhookSignature(HOOK_SECRET, hook?.body ?? ''));
    expect(JSON.parse(hook?.body ?? '{}')).toMatchObject({
      inquiry_id: id,
      kind: 'message',
      authority: 'ru-cert',
      inquiry: { state: 'open' },
    });

    // A worker restarts and the schedule is reconciled twice while the deadlines run.
    await workers[0]?.close();
    const restarted = await deadlineWorker();
    workers[0] = restarted;
    await restarted.scheduler.reconcile(restarted.service);
    await restarted.scheduler.reconcile(restarted.service);
    await until('the escalation to the chief', () => mails.some((m) => m.to === 'chief@ru.example' && m.raw.includes(id)));
    await sleep(700);

    const mine = mails.filter((m) => m.raw.includes(id));
    const kinds = mine.map((m) => `${m.to} ${m.event.replace(/-\d+$/, '').replace(/^message-.*/, 'message')}`).sort();
    expect(kinds).toEqual([
      'chief@ru.example escalate-acknowledge',
      'duty@ru.example escalate-acknowledge',
      'duty@ru.example message',
      'duty@ru.example remind-acknowledge',
    ]);
    expect(mine.find((m) => m.event.startsWith('escalate'))?.raw).toContain('Event: OVERDUE: acknowledge was due');
    // The webhook: its first attempt failed (503), the retry succeeded; both attempts are on record.
    const records = await notifier.records(C.inquiries, id);
    const hookRecord = Object.entries(records).find(([k]) => k.startsWith('message-') && k.endsWith('|webhook'))?.[1];
    expect(hookRecord?.state).toBe('sent');
    expect(hookRecord?.attempts.map((a) => a.ok)).toEqual([false, true]);
    expect(hookRecord?.attempts[0]?.detail).toBe('HTTP 503');
    // One delivery, one identity: the failed attempt and its retry carry the same Idempotency-Key and delivery_id.
    const messageEvent = mine.find((m) => m.event.startsWith('message-'))?.event ?? '';
    const hookKey = deliveryKey(id, messageEvent, 'ru-duty', 'webhook');
    expect(hookKeys.slice(0, 2)).toEqual([hookKey, hookKey]);
    expect(JSON.parse(hook?.body ?? '{}')).toMatchObject({ delivery_id: hookKey });
    // Each e-mail has the stable Message-ID of its (inquiry, event, recipient): different per recipient.
    const ids = mine.map((m) => header(m.raw, 'Message-ID'));
    expect(new Set(ids).size).toBe(mine.length);
    expect(header(mine.find((m) => m.event === messageEvent)?.raw ?? '', 'Message-ID')).toBe(
      `<inquiry.${deliveryKey(id, messageEvent, 'ru-duty', 'email')}@hub.example>`,
    );
    expect(Object.values(records).every((r) => r.state === 'sent')).toBe(true);
    // Nothing for the asking side: it owes nothing and sent the only message.
    expect(mails.filter((m) => m.to === 'duty@us.example' && m.raw.includes(id))).toEqual([]);
  });

  it('when the inquiry is acknowledged before its deadline, then no reminder or escalation is sent and the asking side hears of the acknowledgement', async () => {
    const id = String((await open('urgent'))['id']);
    await until('the message e-mail', () => mails.some((m) => m.to === 'duty@ru.example' && m.raw.includes(id)));
    const ack = await inquiryRequest(gw, 'POST', `/${id}/acknowledge`, 'ru-cert', {});
    expect(ack.status).toBe(200);
    await until('the acknowledgement e-mail', () => mails.some((m) => m.to === 'duty@us.example' && m.raw.includes(id)));
    await sleep(3500); // past the acknowledgement deadline (3 s) and its reminder
    const mine = mails.filter((m) => m.raw.includes(id));
    expect(mine.filter((m) => m.event.includes('acknowledge-'))).toEqual([]);
    expect(mine.find((m) => m.to === 'duty@us.example')?.raw).toContain('Event: acknowledge by ru-cert.');
  });

  it('when a delivery was claimed by a worker that died, then the next run takes the claim over and sends it; a finished one is never sent again', async () => {
    const id = 'incident--00000000-0000-4000-8000-00000000dead';
    const n = {
      collection: C.inquiries,
      inquiryId: id,
      event: 'message-crash',
      kind: 'message' as const,
      authority: 'us-cert',
      audience: 'duty' as const,
      subject: 'crash test',
      text: 'crash test',
      payload: {},
    };
    const field = `${id}|message-crash|us-duty|email`;
    const stale = {
      state: 'sending',
      contact: 'us-duty',
      channel: 'email',
      claimed_at: new Date(Date.now() - 10 * 60_000).toISOString(),
      attempts: [],
    };
    await gw.redis.hset(gw.keys.inquiry(C.inquiries).notified, field, JSON.stringify(stale));
    expect(await notifier.deliver(n)).toEqual(['us-duty/email']);
    expect(await notifier.deliver(n)).toEqual([]);
    expect(mails.filter((m) => m.subject === 'crash test')).toHaveLength(1);
  });

  it('when a worker dies after the mail server accepted a message but before the sent record, then reconciliation resends it with the same Message-ID, records the lost attempt, and never again', async () => {
    const id = 'incident--00000000-0000-4000-8000-0000000c0a5e';
    const n = {
      collection: C.inquiries,
      inquiryId: id,
      event: 'message-accepted-then-crash',
      kind: 'message' as const,
      authority: 'us-cert',
      audience: 'duty' as const,
      subject: 'outbox test',
      text: 'outbox test',
      payload: {},
    };
    expect(await notifier.deliver(n)).toEqual(['us-duty/email']);
    await until('the first copy', () => mails.some((m) => m.subject === 'outbox test'));
    // What a kill -9 in that window leaves: the outbox record still `sending`, its attempt in flight.
    const key = gw.keys.inquiry(C.inquiries).notified;
    const field = `${id}|message-accepted-then-crash|us-duty|email`;
    const sent = JSON.parse((await gw.redis.hget(key, field)) ?? '{}') as DeliveryRecord;
    expect(sent.state).toBe('sent');
    const longAgo = new Date(Date.now() - 10 * 60_000).toISOString();
    const crashed: DeliveryRecord = {
      ...sent,
      state: 'sending',
      claimed_at: longAgo,
      attempts: [],
      attempt: { id: 'a0e1f2d3-0000-4000-8000-00000000c0a5', started_at: longAgo },
    };
    await gw.redis.hset(key, field, JSON.stringify(crashed));
    // A fresh claim (a live worker) is left alone; the abandoned one is finished.
    const liveField = `${id}|message-live|us-duty|email`;
    await gw.redis.hset(key, liveField, JSON.stringify({ ...crashed, claimed_at: new Date().toISOString() }));
    expect(await notifier.reconcile()).toEqual([field]);
    expect(await notifier.reconcile()).toEqual([]);

    await until('the resent copy', () => mails.filter((m) => m.subject === 'outbox test').length >= 2);
    await sleep(300);
    const copies = mails.filter((m) => m.subject === 'outbox test');
    expect(copies).toHaveLength(2);
    const messageIds = copies.map((m) => header(m.raw, 'Message-ID'));
    expect(messageIds[0]).toBe(`<inquiry.${deliveryKey(id, n.event, 'us-duty', 'email')}@hub.example>`);
    expect(messageIds[1]).toBe(messageIds[0]);
    // A receiver that deduplicates on Message-ID shows the duty officer one message.
    expect(new Set(messageIds).size).toBe(1);
    const after = JSON.parse((await gw.redis.hget(key, field)) ?? '{}') as DeliveryRecord;
    expect(after.state).toBe('sent');
    expect(after.attempt).toBeUndefined();
    expect(after.attempts.map((a) => [a.ok, a.detail.startsWith('unknown')])).toEqual([
      [false, true],
      [true, false],
    ]);
    expect(after.attempts[0]?.id).toBe('a0e1f2d3-0000-4000-8000-00000000c0a5');
    expect(JSON.parse((await gw.redis.hget(key, liveField)) ?? '{}')).toMatchObject({ state: 'sending' });
    await gw.redis.hdel(key, liveField);
  });

  it('when metrics are scraped, then time to acknowledge is observed per urgency and overdue inquiries are counted per authority that owes them', async () => {
    const text = (await metrics.render()).body;
    expect(text).toMatch(/inquiry_time_to_acknowledge_seconds_count\{urgency="urgent"\} 1\n/);
    const overdueRu = Number(/inquiries_overdue\{authority="ru-cert"\} (\d+)/.exec(text)?.[1]);
    expect(overdueRu).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/inquiries_overdue\{authority="us-cert"\} 0\n/);
  });
});
