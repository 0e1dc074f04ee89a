/**
 * Notifications to an authority's duty officers and escalation contacts: e-mail (nodemailer, SMTP) and
 * webhooks (JSON POST, HMAC-SHA256 of the body in `X-Gateway-Signature: sha256=<hex>`, retried with
 * exponential backoff). Delivery goes through an outbox: each (inquiry, event, contact, channel) has one
 * record in Redis (HASH `notified`), written before anything is sent:
 *
 * - claimed with HSETNX, holding the notification itself and its stable delivery key, so the same event
 *   handled twice (a job retried after a crash, a job run again after a restart, two workers) reaches each
 *   contact once;
 * - before each attempt the record names the attempt (`attempt: {id, started_at}`, state `sending`); after
 *   it, the attempt is appended with its outcome and the record says `sent`, or `failed` after the last one;
 * - a record left `sending` by a worker that died (older than the lease) is taken over atomically by the next
 *   run of its job or by `reconcile()` (every worker at start and every 30 s), which resends it.
 *
 * SMTP and HTTP have no exactly-once: a crash between the receiver's acceptance and the `sent` record sends
 * again. The resend is recognisable: every attempt and every resend of one delivery carries the same
 * Message-ID (e-mail) or `Idempotency-Key` header and `delivery_id` (webhooks), derived from (inquiry, event,
 * contact, channel), so the receiver drops the repeat. Secrets (webhook HMAC keys, SMTP password) are read
 * from the environment or from files, at each send, never from collections.yaml itself.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import nodemailer, { type Transporter } from 'nodemailer';
import type { GatewayConfig, InquiryContact } from '../config/types';
import type { KeyBuilder } from '../store/keys';
import { luaSource } from '../store/lua-source';

export type NotificationKind = 'message' | 'reminder' | 'escalation';

/** What one event tells its audience. */
export interface Notification {
  readonly collection: string;
  readonly inquiryId: string;
  /** Stable name of the event within the inquiry (part of the exactly-once key). */
  readonly event: string;
  readonly kind: NotificationKind;
  /** Principal name of the authority whose contacts are told. */
  readonly authority: string;
  /** Escalations also go to the escalation list. */
  readonly audience: 'duty' | 'duty+escalation';
  readonly subject: string;
  readonly text: string;
  /** The JSON body of webhooks. */
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface DeliveryAttempt {
  /** Absent on records written before attempts had ids. */
  readonly id?: string;
  readonly at: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface DeliveryRecord {
  readonly state: 'sending' | 'sent' | 'failed';
  readonly contact: string;
  readonly channel: 'email' | 'webhook';
  /** When the current owner claimed the record or last started an attempt (the lease runs from here). */
  readonly claimed_at: string;
  readonly attempts: readonly DeliveryAttempt[];
  /** The stable key of this delivery: the webhook's Idempotency-Key, the local part of the e-mail's Message-ID. */
  readonly delivery_key?: string;
  readonly message_id?: string;
  /** The attempt in flight, written before sending: its outcome is unknown if the worker dies now. */
  readonly attempt?: { readonly id: string; readonly started_at: string };
  /** What is sent (the outbox): lets `reconcile()` finish a delivery whose worker died. */
  readonly notification?: Notification;
}

/** The stable key of one delivery: the same on every attempt and every resend, different per recipient. */
export function deliveryKey(inquiryId: string, event: string, contact: string, channel: 'email' | 'webhook'): string {
  return createHash('sha256').update(`${inquiryId}|${event}|${contact}|${channel}`, 'utf8').digest('hex').slice(0, 40);
}

/** The Message-ID of an e-mail delivery: `<inquiry.KEY@DOMAIN>`, the domain taken from the sender address. */
export function messageIdFor(key: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'gateway.invalid';
  return `<inquiry.${key}@${domain}>`;
}

export interface NotifierOptions {
  readonly config: GatewayConfig;
  readonly redis: Redis | Cluster;
  readonly keys: KeyBuilder;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now?: () => number;
  /** Webhook attempts per notification (default 5) and the first backoff delay (default 1000 ms, doubling). */
  readonly webhookAttempts?: number;
  readonly webhookBackoffMs?: number;
  /** Time after which a `sending` claim is considered abandoned (default 120 s). */
  readonly claimLeaseMs?: number;
  readonly log?: { warn(obj: Record<string, unknown>, msg?: string): void };
}

export const SIGNATURE_HEADER = 'X-Gateway-Signature';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** The HMAC header value for a webhook body. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Whether a contact is on duty at `ms` (UTC hours; a shift may wrap midnight). */
export function onDuty(contact: InquiryContact, ms: number): boolean {
  if (contact.hours === undefined) return true;
  const hour = new Date(ms).getUTCHours();
  const { from, to } = contact.hours;
  return from < to ? hour >= from && hour < to : hour >= from || hour < to;
}

export class Notifier {
  private readonly now: () => number;
  private transport: Transporter | undefined;

  constructor(private readonly o: NotifierOptions) {
    this.now = o.now ?? Date.now;
  }

  private path(file: string): string {
    return isAbsolute(file) ? file : join(dirname(this.o.config.file), file);
  }

  private async secret(env: string | undefined, file: string | undefined, what: string): Promise<string> {
    if (env !== undefined) {
      const v = this.o.env[env];
      if (v === undefined || v === '') throw new Error(`${what}: environment variable ${env} is not set`);
      return v;
    }
    if (file !== undefined) return (await readFile(this.path(file), 'utf8')).trim();
    throw new Error(`${what}: no secret configured`);
  }

  private async mailer(): Promise<Transporter> {
    if (this.transport !== undefined) return this.transport;
    const s = this.o.config.inquiries.smtp;
    if (s === undefined) throw new Error('inquiries.smtp is not configured');
    const pass = s.username === undefined ? undefined : await this.secret(s.password_env, s.password_file, 'SMTP password');
    this.transport = nodemailer.createTransport({
      host: s.host,
      port: s.port,
      secure: s.secure ?? false,
      ...(s.username === undefined || pass === undefined ? {} : { auth: { user: s.username, pass } }),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    return this.transport;
  }

  /** Who hears about `n` now: the duty contacts on shift (all duty contacts if none is), plus escalation. */
  audienceOf(n: Notification): InquiryContact[] {
    const c = this.o.config.inquiries.contacts[n.authority];
    if (c === undefined) return [];
    const at = this.now();
    const onShift = c.duty.filter((k) => onDuty(k, at));
    const duty = onShift.length > 0 ? onShift : [...c.duty];
    return n.audience === 'duty' ? duty : [...duty, ...c.escalation];
  }

  /** Sends `n` to each contact of its audience that has not had it yet. Returns the contacts sent to now. */
  async deliver(n: Notification): Promise<string[]> {
    const sent: string[] = [];
    for (const contact of this.audienceOf(n)) {
      for (const channel of ['email', 'webhook'] as const) {
        if (channel === 'email' ? contact.email === undefined : contact.webhook === undefined) continue;
        if (await this.deliverOne(n, contact, channel)) sent.push(`${contact.name}/${channel}`);
      }
    }
    return sent;
  }

  private field(n: Notification, contact: InquiryContact, channel: string): string {
    return `${n.inquiryId}|${n.event}|${contact.name}|${channel}`;
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  /** The delivery records of one inquiry (for tests, the CLI and operators). */
  async records(collection: string, inquiryId: string): Promise<Record<string, DeliveryRecord>> {
    const all = await this.o.redis.hgetall(this.o.keys.inquiry(collection).notified);
    const out: Record<string, DeliveryRecord> = {};
    for (const [k, v] of Object.entries(all))
      if (k.startsWith(`${inquiryId}|`)) out[k.slice(inquiryId.length + 1)] = JSON.parse(v) as DeliveryRecord;
    return out;
  }

  private contactOf(authority: string, name: string): InquiryContact | undefined {
    const c = this.o.config.inquiries.contacts[authority];
    return c === undefined ? undefined : [...c.duty, ...c.escalation].find((k) => k.name === name);
  }

  /**
   * Finishes the deliveries whose worker died (records left `sending` past the lease): each is taken over and
   * sent again with its own Message-ID / Idempotency-Key. Returns the deliveries resent now.
   */
  async reconcile(): Promise<string[]> {
    const done: string[] = [];
    const lease = this.o.claimLeaseMs ?? 120_000;
    for (const channel of this.o.config.inquiries.channels) {
      const all = await this.o.redis.hgetall(this.o.keys.inquiry(channel.collection).notified);
      for (const [field, raw] of Object.entries(all)) {
        const r = JSON.parse(raw) as DeliveryRecord;
        if (r.state !== 'sending' || r.notification === undefined || this.now() - Date.parse(r.claimed_at) < lease) continue;
        const contact = this.contactOf(r.notification.authority, r.contact);
        if (contact === undefined) continue;
        if (await this.deliverOne(r.notification, contact, r.channel)) done.push(field);
      }
    }
    return done;
  }

  private async deliverOne(n: Notification, contact: InquiryContact, channel: 'email' | 'webhook'): Promise<boolean> {
    const key = this.o.keys.inquiry(n.collection).notified;
    const field = this.field(n, contact, channel);
    const dkey = deliveryKey(n.inquiryId, n.event, contact.name, channel);
    const from = this.o.config.inquiries.smtp?.from ?? '';
    const claim: DeliveryRecord = {
      state: 'sending',
      contact: contact.name,
      channel,
      claimed_at: this.stamp(),
      attempts: [],
      delivery_key: dkey,
      ...(channel === 'email' ? { message_id: messageIdFor(dkey, from) } : {}),
      notification: n,
    };
    let record = claim;
    if ((await this.o.redis.hsetnx(key, field, JSON.stringify(claim))) === 0) {
      const raw = await this.o.redis.hget(key, field);
      const existing = raw === null ? undefined : (JSON.parse(raw) as DeliveryRecord);
      const lease = this.o.claimLeaseMs ?? 120_000;
      if (raw === null || existing === undefined || existing.state !== 'sending' || this.now() - Date.parse(existing.claimed_at) < lease)
        return false;
      // An abandoned claim (its worker died): taken over atomically, keeping the attempts on record. An attempt
      // it had started may have reached the receiver: recorded as unknown, and the resend carries the same ids.
      const lost: DeliveryAttempt[] =
        existing.attempt === undefined
          ? []
          : [{ id: existing.attempt.id, at: this.stamp(), ok: false, detail: 'unknown: the worker stopped during this attempt' }];
      const { attempt: _inFlight, ...kept } = existing;
      record = {
        ...kept,
        claimed_at: this.stamp(),
        attempts: [...existing.attempts, ...lost],
        delivery_key: existing.delivery_key ?? dkey,
        ...(channel === 'email' ? { message_id: existing.message_id ?? messageIdFor(dkey, from) } : {}),
        notification: existing.notification ?? n,
      };
      // an atomic takeover: the field is replaced only if it still holds what was read, so one worker wins
      const won = await this.o.redis.eval(luaSource('hash-field-swap.lua'), 1, key, field, raw, JSON.stringify(record));
      if (won !== 1) return false;
    }
    const ids = { key: record.delivery_key ?? dkey, messageId: record.message_id ?? messageIdFor(dkey, from) };
    const attempts = [...record.attempts];
    const save = async (state: DeliveryRecord['state'], attempt?: DeliveryRecord['attempt']): Promise<void> => {
      const { attempt: _previous, ...rest } = record;
      record = {
        ...rest,
        state,
        attempts,
        claimed_at: attempt?.started_at ?? record.claimed_at,
        ...(attempt === undefined ? {} : { attempt }),
      };
      await this.o.redis.hset(key, field, JSON.stringify(record));
    };
    const max = channel === 'email' ? 3 : (this.o.webhookAttempts ?? 5);
    const backoff = this.o.webhookBackoffMs ?? 1000;
    for (let i = 0; i < max; i++) {
      const attempt = { id: randomUUID(), started_at: this.stamp() };
      // The outbox names the attempt before anything leaves: a crash from here on is visible on record.
      await save('sending', attempt);
      try {
        const detail = channel === 'email' ? await this.sendEmail(n, contact, ids.messageId) : await this.sendWebhook(n, contact, ids.key);
        attempts.push({ id: attempt.id, at: this.stamp(), ok: true, detail });
        await save('sent');
        return true;
      } catch (err) {
        attempts.push({
          id: attempt.id,
          at: this.stamp(),
          ok: false,
          detail: (err instanceof Error ? err.message : String(err)).slice(0, 300),
        });
        await save('sending');
        if (i + 1 < max) await new Promise((resolve) => setTimeout(resolve, backoff * 2 ** i));
      }
    }
    await save('failed');
    this.o.log?.warn(
      { inquiry: n.inquiryId, event: n.event, contact: contact.name, channel },
      'inquiry notification failed after every attempt',
    );
    return false;
  }

  private async sendEmail(n: Notification, contact: InquiryContact, messageId: string): Promise<string> {
    const s = this.o.config.inquiries.smtp;
    if (s === undefined || contact.email === undefined) throw new Error('no SMTP server or address');
    const info = (await (
      await this.mailer()
    ).sendMail({
      from: s.from,
      to: contact.email,
      subject: n.subject,
      text: n.text,
      messageId,
      headers: { 'X-Gateway-Inquiry': n.inquiryId, 'X-Gateway-Event': n.event },
    })) as { messageId?: unknown; response?: unknown };
    return `smtp ${String(info.response ?? '').slice(0, 100)} ${String(info.messageId ?? '')}`.trim();
  }

  private async sendWebhook(n: Notification, contact: InquiryContact, idempotencyKey: string): Promise<string> {
    if (contact.webhook === undefined) throw new Error('no webhook');
    const secret = await this.secret(contact.secret_env, contact.secret_file, `webhook secret of ${contact.name}`);
    const body = JSON.stringify({
      ...n.payload,
      event: n.event,
      kind: n.kind,
      inquiry_id: n.inquiryId,
      authority: n.authority,
      contact: contact.name,
      delivery_id: idempotencyKey,
    });
    const res = await fetch(contact.webhook, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        [SIGNATURE_HEADER]: webhookSignature(secret, body),
        [IDEMPOTENCY_HEADER]: idempotencyKey,
        'X-Gateway-Event': n.event,
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return `HTTP ${res.status}`;
  }

  async close(): Promise<void> {
    this.transport?.close();
  }
}
