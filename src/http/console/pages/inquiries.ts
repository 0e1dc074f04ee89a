/**
 * Inquiries: the inbox (inquiries asked of the viewer's CERT) and the outbox (those it asked), with the
 * deadlines counting down (inquiries.js updates them every 30 s), overdue ones highlighted, and the actions it
 * is the viewer's turn to take (acknowledge, answer, close, …) as forms posting to the inquiries use case.
 */
import type { InquirySummary } from '../../../inquiries/inquiry-service';
import { type Html, html, utc } from '../html';
import type { MessageKey } from '../i18n';
import { type View, csrfField } from '../view';

/** "in 3 h 20 min" / "5 min ago", from now to a deadline. */
export function countdown(v: View, deadlineMs: number, nowMs: number): string {
  const left = deadlineMs - nowMs;
  const m = Math.round(Math.abs(left) / 60_000);
  const text =
    m >= 1440
      ? `${Math.floor(m / 1440)} d ${Math.floor((m % 1440) / 60)} h`
      : m >= 60
        ? `${Math.floor(m / 60)} h ${m % 60} min`
        : `${m} min`;
  return left >= 0 ? `${v.t.due_in} ${text}` : `${v.t.overdue_by} ${text}`;
}

const ACTION_KEYS: Readonly<Record<string, MessageKey>> = {
  acknowledge: 'inq_acknowledge',
  answer: 'inq_answer',
  'request-clarification': 'inq_request_clarification',
  clarify: 'inq_clarify',
  close: 'inq_close',
  withdraw: 'inq_withdraw',
};

function deadline(v: View, label: string, at: string, nowMs: number, due: boolean): Html {
  const ms = Date.parse(at);
  return html`<div><span class="label">${label}</span> <time datetime="${at}">${utc(at)}</time>${
    due
      ? html` <span class="countdown" data-deadline="${String(ms)}" data-due="${v.t.due_in}" data-over="${v.t.overdue_by}">${countdown(v, ms, nowMs)}</span>`
      : ''
  }</div>`;
}

function actions(v: View, s: InquirySummary): Html {
  if (s.next_actions.length === 0) return html``;
  return html`${s.next_actions.map((a) => {
    const key = ACTION_KEYS[a];
    const label = key === undefined ? a : v.t[key];
    const needsText = a === 'answer' || a === 'request-clarification' || a === 'clarify';
    return html`<form method="post" action="/console/inquiries/${s.id}/${a}" class="action">${csrfField(v)}
${needsText ? html`<label>${v.t.inq_message} <textarea name="content" rows="2" cols="40" required maxlength="20000"></textarea></label>` : ''}
<button type="submit">${label}</button></form>`;
  })}`;
}

function table(v: View, list: readonly InquirySummary[], nowMs: number, other: 'asking' | 'asked'): Html {
  if (list.length === 0) return html`<p>${v.t.none}</p>`;
  return html`<table class="inquiries"><thead><tr><th scope="col">${v.t.inq_subject}</th><th scope="col">${other === 'asking' ? v.t.inq_from : v.t.inq_to}</th>
<th scope="col">${v.t.inq_urgency}</th><th scope="col">${v.t.status}</th><th scope="col">${v.t.inq_deadlines}</th><th scope="col">${v.t.inq_actions}</th></tr></thead><tbody>
${list.map((s) => {
  const party = other === 'asking' ? s.asking : s.asked;
  const ackDue = s.acknowledged_at === undefined && s.finished_at === undefined;
  const answerDue = s.answered_at === undefined && s.finished_at === undefined;
  return html`<tr class="${s.overdue === undefined ? '' : 'overdue'}"><th scope="row">${s.subject}<br><small><code>${s.id}</code></small></th>
<td>${party.principal ?? party.identity}</td><td>${s.urgency}</td><td>${s.state}${s.overdue === undefined ? '' : html` <strong>(${v.t.inq_overdue})</strong>`}</td>
<td>${deadline(v, v.t.inq_ack_by, s.acknowledge_by, nowMs, ackDue)}${deadline(v, v.t.inq_answer_by, s.answer_by, nowMs, answerDue)}</td>
<td>${actions(v, s)}</td></tr>`;
})}</tbody></table>`;
}

export function inquiriesPage(v: View, list: readonly InquirySummary[] | undefined, nowMs: number, problem?: string): Html {
  if (list === undefined) return html`<p>${v.t.inq_none_configured}</p>`;
  const inbox = list.filter((s) => s.your_side === 'asked');
  const outbox = list.filter((s) => s.your_side === 'asking');
  const others = list.filter((s) => s.your_side === undefined);
  return html`${problem === undefined ? '' : html`<p class="error" role="alert">${problem}</p>`}
<section aria-labelledby="inbox"><h2 id="inbox">${v.t.inq_inbox}</h2>${table(v, inbox, nowMs, 'asking')}</section>
<section aria-labelledby="outbox"><h2 id="outbox">${v.t.inq_outbox}</h2>${table(v, outbox, nowMs, 'asked')}</section>
${others.length === 0 ? '' : html`<section aria-labelledby="all"><h2 id="all">${v.t.inq_all}</h2>${table(v, others, nowMs, 'asking')}</section>`}`;
}
