/** The exchange report as HTML: the console's report page and `taxii-gateway report --format html`. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type CertReport, type ExchangeReport, bucketLabel } from '../../exchange/exchange-report';
import type { CollectionFigures } from '../../exchange/exchange-reader';
import { TLP_NAMES } from '../../exchange/exchange-reader';
import { Html, html } from './html';
import type { Messages } from './i18n';

function n(v: number): string {
  return String(v);
}

function sharedTable(t: Messages, c: CollectionFigures): Html {
  const levels = TLP_NAMES.filter((l) => Object.values(c.types).some((byTlp) => byTlp[l] !== undefined));
  const types = Object.keys(c.types).sort();
  return html`<table class="report"><caption>${t.by_type_tlp}</caption><thead><tr><th scope="col">${t.type}</th>${levels.map((l) => html`<th scope="col">${l.toUpperCase()}</th>`)}<th scope="col">${t.total}</th></tr></thead><tbody>
${
  types.length === 0
    ? html`<tr><td colspan="${levels.length + 2}">${t.none}</td></tr>`
    : types.map((type) => {
        const row = c.types[type] ?? {};
        return html`<tr><th scope="row">${type}</th>${levels.map((l) => html`<td class="num">${n(row[l] ?? 0)}</td>`)}<td class="num">${n(Object.values(row).reduce((a, b) => a + b, 0))}</td></tr>`;
      })
}</tbody><tfoot><tr><th scope="row">${t.total}</th>${levels.map((l) => html`<td class="num">${n(c.tlp[l] ?? 0)}</td>`)}<td class="num">${n(c.shared)}</td></tr></tfoot></table>`;
}

function pullsTable(t: Messages, c: CollectionFigures): Html {
  return html`<table class="report"><caption>${t.pulled_by_partner}</caption><thead><tr><th scope="col">${t.reader}</th><th scope="col">${t.first_pulls}</th><th scope="col">${t.served}</th>
<th scope="col">${t.median_first_pull}</th><th scope="col">${t.p90_first_pull}</th></tr></thead><tbody>
${
  c.pulls.length === 0
    ? html`<tr><td colspan="5">${t.none}</td></tr>`
    : c.pulls.map(
        (p) =>
          html`<tr><th scope="row">${p.reader}</th><td class="num">${n(p.firstPulls)}</td><td class="num">${n(p.served)}</td><td>${bucketLabel(p.medianBucket)}</td><td>${bucketLabel(p.p90Bucket)}</td></tr>`,
      )
}</tbody></table>`;
}

function smallTable(caption: string, head: readonly string[], rows: readonly (readonly [string, number])[], none: string): Html {
  return html`<table class="report"><caption>${caption}</caption><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>
${rows.length === 0 ? html`<tr><td colspan="2">${none}</td></tr>` : rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td class="num">${n(v)}</td></tr>`)}</tbody></table>`;
}

function certSection(t: Messages, r: ExchangeReport, cert: CertReport): Html {
  return html`<section class="cert" aria-labelledby="cert-${cert.country || 'joint'}"><h2 id="cert-${cert.country || 'joint'}">${cert.country === '' ? t.joint : `${t.cert} ${cert.country}`} <small>${cert.cert}</small></h2>
${cert.collections.map((c) => {
  const titles = new Map<string, string>();
  for (const x of r.certs) for (const y of x.collections) titles.set(y.id, y.title);
  return html`<article class="report-collection"><h3>${c.title}</h3>${c.withheld ? html`<p class="note">${t.withheld}</p>` : sharedTable(t, c)}
${pullsTable(t, c)}
<div class="grid">${smallTable(
    t.overlap,
    [t.with_collection, t.values],
    Object.entries(c.overlap).map(([id, v]) => [titles.get(id) ?? id, v] as const),
    t.none,
  )}
${smallTable(t.refusals, [t.code, t.count], Object.entries(c.refusals), t.none)}
${smallTable(
  t.inquiries,
  ['', t.count],
  [
    [t.inq_opened, c.inquiries.opened],
    [t.inq_acked, c.inquiries.acked_in_time],
    [t.inq_answered, c.inquiries.answered_in_time],
    [t.inq_overdue, c.inquiries.overdue],
  ],
  t.none,
)}</div></article>`;
})}</section>`;
}

export function reportBody(t: Messages, r: ExchangeReport): Html {
  return html`<p class="period">${t.period}: ${r.from} – ${r.to} (${r.weekly ? t.by_week : `${r.days} d`}) · ${t.generated} ${r.generated.slice(0, 19).replace('T', ' ')} UTC</p>
${r.certs.map((c) => certSection(t, r, c))}`;
}

/** A standalone HTML document (the CLI's output): the console's stylesheet inlined, nothing fetched. */
export function reportDocument(t: Messages, lang: string, r: ExchangeReport): string {
  const css = readFileSync(path.join(__dirname, 'assets', 'console.css'), 'utf8');
  return html`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${t.report_for} ${r.from} – ${r.to}</title>
<style>${new Html(css)}</style></head><body><main><h1>${t.report_for}</h1>${reportBody(t, r)}</main></body></html>
`.text;
}
