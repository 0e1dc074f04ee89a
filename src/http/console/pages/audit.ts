/** The audit trail for operators: filter by principal, action, collection and period; export as CSV. */
import type { AuditEntry } from '../../../audit/audit-event';
import { AUDIT_ACTIONS, type AuditFilter } from '../../../audit/audit-query';
import type { GatewayConfig } from '../../../config/types';
import { type Html, html } from '../html';
import type { View } from '../view';

/** The audit filters as typed in the form ('' = not set). */
export type AuditFilters = Readonly<Record<AuditFilter, string>>;

function select(name: string, label: string, any: string, options: readonly (readonly [string, string])[], current: string): Html {
  return html`<label>${label} <select name="${name}"><option value="">${any}</option>${options.map(
    ([value, text]) => html`<option value="${value}"${value === current ? html` selected` : ''}>${text}</option>`,
  )}</select></label>`;
}

export function auditPage(
  v: View,
  config: GatewayConfig,
  f: AuditFilters,
  entries: readonly AuditEntry[],
  more: boolean,
  problem?: string,
): Html {
  const qs = new URLSearchParams(Object.entries(f).filter(([, x]) => x !== '')).toString();
  return html`<form method="get" action="/console/audit" class="filters">
${select(
  'principal',
  v.t.principal,
  v.t.any,
  config.principals.map((p) => [p.name, p.name] as const),
  f.principal,
)}
${select(
  'action',
  v.t.action,
  v.t.any,
  AUDIT_ACTIONS.map((a) => [a, a] as const),
  f.action,
)}
${select(
  'collection',
  v.t.collection,
  v.t.any,
  config.collections.map((c) => [c.id, c.title] as const),
  f.collection,
)}
<label>${v.t.since} <input name="since" value="${f.since}" size="22" placeholder="24h | 2026-01-31T00:00:00Z"></label>
<label>${v.t.until} <input name="until" value="${f.until}" size="22" placeholder="now"></label>
<button type="submit">${v.t.filter}</button></form>
<p><a href="/console/audit.csv?${qs}" download>${v.t.export_csv}</a></p>
${problem === undefined ? '' : html`<p class="error" role="alert">${problem}</p>`}
<table><thead><tr><th scope="col">${v.t.time}</th><th scope="col">${v.t.principal}</th><th scope="col">${v.t.action}</th><th scope="col">${v.t.collection}</th>
<th scope="col">${v.t.http_status}</th><th scope="col">${v.t.count}</th><th scope="col">${v.t.source}</th><th scope="col">Path</th></tr></thead><tbody>
${entries.map(
  (
    e,
  ) => html`<tr><td>${e.time.replace('T', ' ').replace('Z', ' UTC')}</td><td>${e.principal}</td><td>${e.action}</td><td>${e.collection ?? ''}</td>
<td>${e.http_status ?? ''}</td><td class="num">${e.count}</td><td>${e.source}</td><td><code>${e.path ?? ''}</code></td></tr>`,
)}</tbody></table>${more ? html`<p class="note">${v.t.audit_more}</p>` : ''}`;
}

function cell(v: string | number | undefined): string {
  const s = v === undefined ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const AUDIT_CSV_HEADER = 'time,principal,source,action,collection,method,path,http_status,count,ids,status_id,request_id\r\n';

export function auditCsvRows(entries: readonly AuditEntry[]): string {
  return entries
    .map(
      (e) =>
        [
          e.time,
          e.principal,
          e.source,
          e.action,
          e.collection,
          e.method,
          e.path,
          e.http_status,
          e.count,
          e.ids.join(' '),
          e.status_id,
          e.request_id,
        ]
          .map(cell)
          .join(',') + '\r\n',
    )
    .join('');
}
