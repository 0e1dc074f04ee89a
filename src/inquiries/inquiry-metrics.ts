/**
 * Inquiry figures for Prometheus (src/observability/metrics.ts): time to acknowledge and time to answer,
 * observed when the message is recorded, and the number of overdue inquiries per authority that owes a step.
 */
import type { GatewayMetrics } from '../observability/metrics';
import { parseTimestamp } from '../stix/time';
import type { InquiryEvent, InquiryService } from './inquiry-service';
import { overdue } from './thread';

function seconds(from: string, to: string): number | undefined {
  const a = parseTimestamp(from);
  const b = parseTimestamp(to);
  return a === undefined || b === undefined ? undefined : Math.max(0, (b.micros - a.micros) / 1e6);
}

/** Observes the histograms for one recorded message. */
export function observeInquiryMessage(metrics: GatewayMetrics, e: InquiryEvent): void {
  const m = e.thread.messages;
  const last = m[m.length - 1];
  const before = m[m.length - 2];
  if (last === undefined || before === undefined) return;
  const urgency = e.thread.head.urgency;
  if (e.action === 'acknowledge') {
    const s = seconds(before.created, last.created);
    if (s !== undefined) metrics.inquiryTimeToAcknowledge.observe({ urgency }, s);
  }
  if (e.action === 'answer') {
    const s = seconds(e.thread.head.created, last.created);
    if (s !== undefined) metrics.inquiryTimeToAnswer.observe({ urgency }, s);
  }
}

/** Overdue inquiries per principal name of the authority that owes the acknowledgement or answer. */
export async function overdueByAuthority(service: InquiryService, nowMs: number): Promise<Map<string, number>> {
  const now = new Date(nowMs).toISOString();
  const out = new Map<string, number>();
  for (const { channel, thread } of await service.threads()) {
    for (const a of channel.authorities) if (!out.has(a)) out.set(a, 0);
    if (overdue(thread, now) === undefined) continue;
    const owner = service.principalOf(thread.head.asked, channel) ?? thread.head.asked;
    out.set(owner, (out.get(owner) ?? 0) + 1);
  }
  return out;
}
