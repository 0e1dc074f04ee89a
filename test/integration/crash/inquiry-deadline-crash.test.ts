/**
 * Inquiry deadlines survive real crashes (CLI processes): the API is killed with SIGKILL right after an urgent
 * inquiry is opened, and the worker running its escalation job is killed with SIGKILL while the mail server
 * holds that escalation e-mail. A worker started afterwards finishes the job: every notification is accepted by
 * the mail server exactly once, the outbox records the lost attempt, and a restarted API shows the inquiry
 * overdue. Only processes this test starts are stopped, by their handle; every wait is bounded.
 */
import path from 'node:path';
import Redis from 'ioredis';
import { startPrivateRedis, type PrivateRedis } from '../../../src/main/redis-server';
import { deliveryKey, type DeliveryRecord } from '../../../src/inquiries/notifier';
import { createKeyBuilder } from '../../../src/store/keys';
import { writeFileSync } from 'node:fs';
import { type SmtpSink, mailHeader, startSmtpSink } from '../../helpers/smtp-sink';
import { spawnGateway, stopProcess, tempDir, until, type GatewayProcess } from './processes';

jest.setTimeout(360_000);

const INQUIRIES = '3b2c1d0e-9f8a-4b7c-8d6e-5f4a3b2c1d0e';
const PW = { us: 'us-crash-password-1a2b3c', ru: 'ru-crash-password-4d5e6f' };
/** Short lock, lease and reconciliation so that a dead worker's work is taken over within seconds. */
const FAST = { GATEWAY_LOCK_MS: '2000', GATEWAY_INQUIRY_LEASE_MS: '3000', GATEWAY_INQUIRY_RECONCILE_MS: '500' };

function configYaml(smtpPort: number): string {
  return `
server:
  title: Inquiry crash test
  default_api_root: exchange
api_roots:
  - name: exchange
    title: Exchange
    max_content_length: 1000000
collections:
  - id: ${INQUIRIES}
    api_root: exchange
    alias: us-ru-inquiries
    title: Inquiries
    readers: [us-cert, ru-cert]
    writers: []
principals:
  - name: us-cert
    identity: identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc
    credentials: [{ basic: { secret_env: US_PASSWORD } }]
  - name: ru-cert
    identity: identity--5fa622d4-ac12-43f4-8db1-26837bd2b361
    credentials: [{ basic: { secret_env: RU_PASSWORD } }]
inquiries:
  urgency:
    urgent: { acknowledge_within: 12s, answer_within: 1h, remind_before: 4s }
  channels:
    - collection: us-ru-inquiries
      authorities: [us-cert, ru-cert]
  contacts:
    ru-cert:
      duty: [{ name: ru-duty, email: duty@ru.example }]
      escalation: [{ name: ru-chief, email: chief@ru.example }]
    us-cert:
      duty: [{ name: us-duty, email: duty@us.example }]
  smtp: { host: 127.0.0.1, port: ${smtpPort}, from: "gateway@hub.example" }
`;
}

interface Accepted {
  readonly to: string;
  readonly event: string;
  readonly messageId: string;
}

const header = mailHeader;

describe('inquiry deadlines across kill -9 (CLI processes)', () => {
  const tmp = tempDir('gw-crash-inquiry-');
  const started: GatewayProcess[] = [];
  const accepted: Accepted[] = [];
  let redis: PrivateRedis;
  let smtp: SmtpSink;
  /** The first escalation e-mail is held (no answer to its DATA) until the test releases it. */
  let held: { release: (err: Error) => void } | undefined;
  let holdNext = true;

  beforeAll(async () => {
    redis = await startPrivateRedis({ dataDir: path.join(tmp.dir, 'redis'), appendonly: false });
    smtp = await startSmtpSink((raw, recipients, answer) => {
      const event = header(raw, 'X-Gateway-Event');
      if (holdNext && event.startsWith('escalate-')) {
        holdNext = false;
        held = { release: answer };
        return;
      }
      for (const to of recipients) accepted.push({ to, event, messageId: header(raw, 'Message-ID') });
      answer();
    });
  });

  afterAll(async () => {
    for (const p of started) await stopProcess(p, 5000);
    held?.release(new Error('test over'));
    await smtp.close();
    await redis?.stop();
    tmp.remove();
  });

  async function spawn(role: 'serve' | 'worker', config: string): Promise<GatewayProcess> {
    const p = await spawnGateway(role, {
      redisUrl: redis.url,
      config,
      dataDir: tmp.dir,
      env: { US_PASSWORD: PW.us, RU_PASSWORD: PW.ru, ...FAST },
    });
    started.push(p);
    return p;
  }

  function api(base: string, method: string, p: string, user: 'us' | 'ru', body?: unknown): Promise<Response> {
    return fetch(`${base}/gateway/v1/inquiries${p}`, {
      method,
      headers: {
        Accept: 'application/json',
        Authorization: `Basic ${Buffer.from(`${user}-cert:${PW[user]}`).toString('base64')}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(20_000),
    });
  }

  it('when the API and then the worker holding the escalation job are killed with SIGKILL, then a restarted worker sends every notification exactly once and the outbox records the lost attempt', async () => {
    const config = path.join(tmp.dir, 'collections.yaml');
    writeFileSync(config, configYaml(smtp.port));
    const [gateway, first] = await Promise.all([spawn('serve', config), spawn('worker', config)]);
    const opened = await api(gateway.base ?? '', 'POST', '', 'us', {
      asked: 'ru-cert',
      subject: 'Crash test',
      description: 'Deadlines must survive kill -9.',
      urgency: 'urgent',
      requested_action: 'information',
    });
    expect(opened.status).toBe(201);
    const id = String(((await opened.json()) as Record<string, unknown>)['id']);
    gateway.kill('SIGKILL');
    expect(await gateway.exited).toBe('SIGKILL');

    // The deadline passes with no API running; the worker's escalation e-mail is held by the mail server.
    await until('the escalation e-mail to reach the mail server', 90_000, async () => (held === undefined ? undefined : true));
    first.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    held?.release(new Error('the sending worker died'));
    expect(accepted.filter((m) => m.event.startsWith('escalate-'))).toEqual([]);

    const [restartedApi] = await Promise.all([spawn('serve', config), spawn('worker', config)]);
    const escalations = (): Accepted[] => accepted.filter((m) => m.event.startsWith('escalate-'));
    await until('the escalation to both recipients', 120_000, async () => (escalations().length >= 2 ? true : undefined), 200);
    // Longer than the lease and several reconciliations: a duplicate would have arrived by now.
    await new Promise((resolve) => setTimeout(resolve, 5000));

    const kinds = accepted.map((m) => `${m.to} ${m.event.replace(/-\d+$/, '').replace(/^message-.*/, 'message')}`).sort();
    expect(kinds).toEqual([
      'chief@ru.example escalate-acknowledge',
      'duty@ru.example escalate-acknowledge',
      'duty@ru.example message',
      'duty@ru.example remind-acknowledge',
    ]);
    const escalationEvent = escalations()[0]?.event ?? '';
    const dutyEscalation = escalations().find((m) => m.to === 'duty@ru.example');
    expect(dutyEscalation?.messageId).toBe(`<inquiry.${deliveryKey(id, escalationEvent, 'ru-duty', 'email')}@hub.example>`);

    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      const raw = await client.hget(createKeyBuilder('gw').inquiry(INQUIRIES).notified, `${id}|${escalationEvent}|ru-duty|email`);
      const record = JSON.parse(raw ?? '{}') as DeliveryRecord;
      expect(record.state).toBe('sent');
      expect(record.attempts.map((a) => [a.ok, a.detail.startsWith('unknown')])).toEqual([
        [false, true],
        [true, false],
      ]);
    } finally {
      client.disconnect();
    }

    const shown = await api(restartedApi.base ?? '', 'GET', `/${id}`, 'ru');
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({ state: 'open', overdue: 'acknowledge' });
  });
});
