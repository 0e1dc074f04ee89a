/**
 * Deadlines and notifications of inquiries as BullMQ delayed jobs (queue `inquiry-deadlines`):
 *
 * - each recorded message schedules a `message` job (the other side's duty officers hear of it now), and,
 *   while the asked side owes an acknowledgement or an answer, a `reminder` job `remind_before` ahead of the
 *   deadline and an `escalation` job at the deadline (duty officers and the escalation list);
 * - job ids are deterministic (`<inquiry>|<event>`, the event naming the deadline it is about), so scheduling
 *   the same thing twice (two API replicas, the reconciliation at start-up after a crash) adds one job;
 * - a job checks, when it runs, that its deadline still stands (not acknowledged or answered meanwhile, not
 *   moved by a clarification) and then hands the notification to the Notifier, which records each delivery
 *   per (inquiry, event, contact) and sends it once.
 *
 * Delayed jobs live in Redis: they survive restarts and kill -9 of any process, and any worker may run them.
 * At start-up every worker reconciles (schedules whatever the stored threads still need), which covers
 * threads that arrived while no scheduler ran (e.g. pulled from a partner gateway).
 */
import { type ConnectionOptions, Queue, Worker } from 'bullmq';
import type { GatewayConfig, InquiryChannelConfig } from '../config/types';
import { parseTimestamp } from '../stix/time';
import type { InquiryService } from './inquiry-service';
import type { Notification, NotificationKind, Notifier } from './notifier';
import type { InquiryThread } from './thread';

export const DEADLINE_QUEUE = 'inquiry-deadlines';

export interface DeadlineJob {
  readonly collection: string;
  readonly inquiryId: string;
  readonly event: string;
  readonly kind: NotificationKind;
  /** For reminders and escalations: which deadline, and its value (the job is void if it changed). */
  readonly deadline?: 'acknowledge' | 'answer';
  readonly deadlineAt?: string;
  /** For messages: the message's digest. */
  readonly sha256?: string;
}

interface Planned {
  readonly job: DeadlineJob;
  readonly dueMs: number;
}

function ms(ts: string): number {
  return Math.floor((parseTimestamp(ts)?.micros ?? 0) / 1000);
}

/** The jobs a thread needs now (pure): a `message` job for its last message and the deadline jobs it owes. */
export function plannedJobs(collection: string, t: InquiryThread, remindBeforeSeconds: number): Planned[] {
  const out: Planned[] = [];
  const last = t.messages[t.messages.length - 1];
  if (last !== undefined) {
    out.push({
      job: { collection, inquiryId: t.head.id, event: `message-${last.sha256.slice(0, 32)}`, kind: 'message', sha256: last.sha256 },
      dueMs: ms(last.created),
    });
  }
  const owed: 'acknowledge' | 'answer' | undefined = t.state === 'open' ? 'acknowledge' : t.state === 'acknowledged' ? 'answer' : undefined;
  if (owed !== undefined) {
    const at = owed === 'acknowledge' ? t.acknowledgeBy : t.answerBy;
    const micros = String(parseTimestamp(at)?.micros ?? 0);
    const base = { collection, inquiryId: t.head.id, deadline: owed, deadlineAt: at };
    if (remindBeforeSeconds > 0)
      out.push({ job: { ...base, event: `remind-${owed}-${micros}`, kind: 'reminder' }, dueMs: ms(at) - remindBeforeSeconds * 1000 });
    out.push({ job: { ...base, event: `escalate-${owed}-${micros}`, kind: 'escalation' }, dueMs: ms(at) });
  }
  return out;
}

/** Whether a job's notification is still due for the thread as it is now. */
export function stillDue(job: DeadlineJob, t: InquiryThread): boolean {
  if (job.kind === 'message') return t.messages.some((m) => m.sha256 === job.sha256);
  if (job.deadline === 'acknowledge') return t.state === 'open' && t.acknowledgeBy === job.deadlineAt;
  return t.state === 'acknowledged' && t.answerBy === job.deadlineAt;
}

/** The notification of a job: who hears it and what it says. */
export function notificationFor(
  job: DeadlineJob,
  t: InquiryThread,
  channel: InquiryChannelConfig,
  principalOf: (identity: string) => string | undefined,
): Notification | undefined {
  const last = t.messages[t.messages.length - 1];
  const message = job.kind === 'message' ? t.messages.find((m) => m.sha256 === job.sha256) : undefined;
  // A message goes to the other side; reminders and escalations to the asked side, who owes the step.
  const toIdentity = message !== undefined ? (message.party === 'asking' ? t.head.asked : t.head.asking) : t.head.asked;
  const authority = principalOf(toIdentity);
  if (authority === undefined) return undefined;
  const what =
    job.kind === 'message'
      ? `${message?.action ?? 'message'} by ${principalOf(message?.author ?? '') ?? message?.author ?? '?'}`
      : job.kind === 'reminder'
        ? `reminder: ${job.deadline ?? ''} due ${job.deadlineAt ?? ''}`
        : `OVERDUE: ${job.deadline ?? ''} was due ${job.deadlineAt ?? ''}`;
  const subject = `[inquiry ${t.head.urgency}] ${what} — ${t.head.subject}`.slice(0, 250);
  const text = [
    `Inquiry ${t.head.id} (${t.head.urgency}, requested action: ${t.head.requestedAction})`,
    `From ${principalOf(t.head.asking) ?? t.head.asking} to ${principalOf(t.head.asked) ?? t.head.asked}: ${t.head.subject}`,
    `State: ${t.state}. Acknowledge by ${t.acknowledgeBy}; answer by ${t.answerBy}.`,
    `Event: ${what}.`,
    last === undefined ? '' : `Last message: ${last.action} at ${last.created} (sha256 ${last.sha256}).`,
    `Collection: ${channel.collection}. Read the thread: taxii-gateway inquiry show ${t.head.id}`,
  ].join('\n');
  return {
    collection: job.collection,
    inquiryId: job.inquiryId,
    event: job.event,
    kind: job.kind,
    authority,
    audience: job.kind === 'escalation' ? 'duty+escalation' : 'duty',
    subject,
    text,
    payload: {
      inquiry: {
        id: t.head.id,
        subject: t.head.subject,
        urgency: t.head.urgency,
        requested_action: t.head.requestedAction,
        state: t.state,
        asking: principalOf(t.head.asking) ?? t.head.asking,
        asked: principalOf(t.head.asked) ?? t.head.asked,
        acknowledge_by: t.acknowledgeBy,
        answer_by: t.answerBy,
      },
      ...(message === undefined
        ? {}
        : { message: { id: message.id, action: message.action, created: message.created, sha256: message.sha256 } }),
      ...(job.deadline === undefined ? {} : { deadline: job.deadline, deadline_at: job.deadlineAt }),
    },
  };
}

export interface DeadlineSchedulerOptions {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly config: GatewayConfig;
  readonly now?: () => number;
}

/** Adds deadline jobs (API and worker processes). */
export class DeadlineScheduler {
  readonly queue: Queue<DeadlineJob>;
  private readonly now: () => number;

  constructor(private readonly o: DeadlineSchedulerOptions) {
    this.queue = new Queue<DeadlineJob>(DEADLINE_QUEUE, { connection: o.connection, prefix: o.prefix });
    this.now = o.now ?? Date.now;
  }

  /** Schedules what the thread needs; jobs already scheduled (same id) are left as they are. */
  async schedule(collection: string, t: InquiryThread): Promise<void> {
    const urgency = this.o.config.inquiries.urgency[t.head.urgency];
    for (const p of plannedJobs(collection, t, urgency.remind_before_seconds)) {
      await this.queue.add(p.job.kind, p.job, {
        jobId: `${p.job.inquiryId}|${p.job.event}`,
        delay: Math.max(0, p.dueMs - this.now()),
        attempts: 10,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 30 * 86400 },
        removeOnFail: { age: 30 * 86400 },
      });
    }
  }

  /** Schedules what every stored thread needs (start-up, after any outage). */
  async reconcile(service: InquiryService): Promise<number> {
    let n = 0;
    for (const { collection, thread } of await service.threads()) {
      if (thread.state === 'closed' || thread.state === 'withdrawn') continue;
      await this.schedule(collection, thread);
      n++;
    }
    return n;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export interface DeadlineWorkerOptions {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly service: InquiryService;
  readonly notifier: Notifier;
  readonly concurrency?: number;
  /** Job lock (ms): a job whose worker died runs again on another worker after about this long. */
  readonly lockMs?: number;
  readonly onSent?: (job: DeadlineJob, contacts: readonly string[]) => void;
  /** A job whose deadline still stands, before its notification (the exchange counters count overdue ones). */
  readonly onDue?: (job: DeadlineJob, thread: InquiryThread) => Promise<void>;
}

/** Runs deadline jobs: re-checks the thread, then notifies. */
export function startDeadlineWorker(o: DeadlineWorkerOptions): Worker<DeadlineJob> {
  return new Worker<DeadlineJob>(
    DEADLINE_QUEUE,
    async (job) => {
      const data = job.data;
      const channel = o.service.channelOf(data.collection);
      const thread = channel === undefined ? undefined : await o.service.thread(data.collection, data.inquiryId);
      if (channel === undefined || thread === undefined || !stillDue(data, thread)) return { skipped: true };
      await o.onDue?.(data, thread);
      const n = notificationFor(data, thread, channel, (id) => o.service.principalOf(id, channel));
      if (n === undefined) return { skipped: true };
      const sent = await o.notifier.deliver(n);
      o.onSent?.(data, sent);
      return { sent };
    },
    {
      connection: o.connection,
      prefix: o.prefix,
      concurrency: o.concurrency ?? 4,
      ...(o.lockMs === undefined ? {} : { lockDuration: o.lockMs, stalledInterval: Math.max(1000, Math.floor(o.lockMs / 2)) }),
    },
  );
}
