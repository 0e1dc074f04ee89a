/** The overview per country: per-day charts, TLP mix, types, dedup and fold rates, refusals, lag, federation. */
import type { AuthenticatedPrincipal } from '../../../auth/types';
import type { EndpointState } from '../../../federation/federation-state';
import type { CollectionFigures, ExchangeFigures, ExchangeReader } from '../../../exchange/exchange-reader';
import { TLP_NAMES } from '../../../exchange/exchange-reader';
import { type Html, html, utc } from '../html';
import type { View } from '../view';

export const PERIODS = [7, 30, 365] as const;

export function periodOf(text: string | null): number {
  const n = Number(text);
  return (PERIODS as readonly number[]).includes(n) ? n : 30;
}

// One formatter per language (toLocaleString builds a new one at every call).
const NUMBER_FORMATS = { en: new Intl.NumberFormat('en-US'), ru: new Intl.NumberFormat('ru-RU') } as const;

export function fmt(v: View, n: number): string {
  return NUMBER_FORMATS[v.lang].format(n);
}

function pct(v: View, part: number, whole: number): string {
  return whole === 0 ? '–' : `${NUMBER_FORMATS[v.lang].format(Math.round((1000 * part) / whole) / 10)} %`;
}

export function periodForm(v: View, action: string, days: number): Html {
  return html`<form method="get" action="${action}" class="filters"><label>${v.t.period}
<select name="days">${PERIODS.map((p) => html`<option value="${p}"${p === days ? html` selected` : ''}>${v.t[`days_${p}`]}</option>`)}</select></label>
<button type="submit">${v.t.show}</button></form>`;
}

function tlpTable(v: View, c: CollectionFigures): Html {
  const total = Object.values(c.tlp).reduce((a, b) => a + b, 0);
  const levels = TLP_NAMES.filter((_n, i) => c.clearance !== '' && i <= TLP_NAMES.indexOf(c.clearance as (typeof TLP_NAMES)[number]));
  return html`<table><caption>${v.t.tlp_mix}</caption><thead><tr><th scope="col">TLP</th><th scope="col">${v.t.count}</th><th scope="col">%</th></tr></thead><tbody>
${levels.map((l) => {
  const n = c.tlp[l] ?? 0;
  return html`<tr><th scope="row"><span class="tlp tlp-${l.replace('+', '-')}">${l.toUpperCase()}</span></th><td class="num">${fmt(v, n)}</td>
<td class="bar"><meter min="0" max="${Math.max(1, total)}" value="${n}" aria-label="${l}"></meter> ${pct(v, n, total)}</td></tr>`;
})}</tbody></table>`;
}

function typeTable(v: View, c: CollectionFigures): Html {
  const rows = Object.entries(c.types)
    .map(([type, byTlp]) => [type, Object.values(byTlp).reduce((a, b) => a + b, 0)] as const)
    .sort((a, b) => b[1] - a[1]);
  return html`<table><caption>${v.t.types}</caption><thead><tr><th scope="col">${v.t.type}</th><th scope="col">${v.t.count}</th></tr></thead><tbody>
${rows.length === 0 ? html`<tr><td colspan="2">${v.t.none}</td></tr>` : rows.map(([t, n]) => html`<tr><th scope="row">${t}</th><td class="num">${fmt(v, n)}</td></tr>`)}</tbody></table>`;
}

function refusalTable(v: View, c: CollectionFigures): Html {
  const rows = Object.entries(c.refusals).sort((a, b) => b[1] - a[1]);
  return html`<table><caption>${v.t.refusals}</caption><thead><tr><th scope="col">${v.t.code}</th><th scope="col">${v.t.count}</th></tr></thead><tbody>
${rows.length === 0 ? html`<tr><td colspan="2">${v.t.none}</td></tr>` : rows.map(([code, n]) => html`<tr><th scope="row"><code>${code}</code></th><td class="num">${fmt(v, n)}</td></tr>`)}</tbody></table>`;
}

function collectionSection(v: View, c: CollectionFigures, weekly: boolean): Html {
  const caption = weekly ? v.t.shared_pulled_per_week : v.t.shared_pulled_per_day;
  const offered = c.shared + c.duplicates + c.folded;
  const pulled = c.series.reduce((a, p) => a + p.pulled, 0);
  return html`<section class="collection" aria-labelledby="h-${c.id}">
<h3 id="h-${c.id}">${c.title} <small>${c.alias ?? c.id}</small></h3>
${c.withheld ? html`<p class="note">${v.t.withheld}</p>` : html`<p class="note">${v.t.counted_up_to} ${c.clearance.toUpperCase()}</p>`}
<dl class="kpis">
<div><dt>${v.t.shared}</dt><dd>${fmt(v, c.shared)}</dd></div>
<div><dt>${v.t.pulled}</dt><dd>${fmt(v, pulled)}</dd></div>
<div><dt>${v.t.dedup_rate}</dt><dd>${pct(v, c.duplicates, offered)}</dd></div>
<div><dt>${v.t.fold_rate}</dt><dd>${pct(v, c.folded, offered)}</dd></div>
<div><dt>${v.t.ingest_lag}</dt><dd>${c.lagMs === undefined ? '–' : `${fmt(v, c.lagMs)} ms`}</dd></div>
</dl>
<figure class="chart" data-collection="${c.id}" data-label-shared="${v.t.shared}" data-label-pulled="${v.t.pulled}" aria-label="${caption}: ${c.title}"><figcaption>${caption}</figcaption></figure>
<div class="grid">${c.withheld ? '' : tlpTable(v, c)}${c.withheld ? '' : typeTable(v, c)}${refusalTable(v, c)}</div>
</section>`;
}

function federationTable(v: View, states: readonly EndpointState[]): Html {
  if (states.length === 0) return html`<p>${v.t.no_federation}</p>`;
  return html`<table><caption>${v.t.sources_sinks}</caption><thead><tr><th scope="col">${v.t.type}</th><th scope="col">Name</th><th scope="col">${v.t.status}</th>
<th scope="col">${v.t.last_run}</th><th scope="col">${v.t.count}</th><th scope="col">${v.t.last_error}</th></tr></thead><tbody>
${states.map((s) => {
  const state = s.lastErrorAt !== undefined ? 'failing' : s.lastRunFinished === undefined ? 'never_run' : 'healthy';
  return html`<tr class="${state}"><td>${s.kind}</td><th scope="row">${s.name}</th><td>${v.t[state]}</td><td>${utc(s.lastRunFinished)}</td>
<td class="num">${fmt(v, s.objectsTotal)}</td><td>${s.lastError ?? ''}</td></tr>`;
})}</tbody></table>`;
}

export async function overviewPage(
  v: View,
  viewer: AuthenticatedPrincipal,
  reader: ExchangeReader,
  days: number,
  nowMs: number,
  federation: (() => Promise<readonly EndpointState[]>) | undefined,
): Promise<Html> {
  const f: ExchangeFigures = await reader.figures(viewer, days, nowMs);
  const byCountry = new Map<string, CollectionFigures[]>();
  for (const c of f.collections) {
    const k = c.country ?? '';
    byCountry.set(k, [...(byCountry.get(k) ?? []), c]);
  }
  const states = viewer.admin && federation ? await federation() : undefined;
  return html`${periodForm(v, '/console/', days)}
<p class="period" data-days="${f.days}">${f.from} – ${f.to}${f.weekly ? ` (${v.t.by_week})` : ''}</p>
${[...byCountry.entries()].map(
  ([
    country,
    list,
  ]) => html`<section class="country" aria-labelledby="c-${country || 'joint'}"><h2 id="c-${country || 'joint'}">${country === '' ? v.t.joint : `${v.t.country}: ${country}`}</h2>
${list.map((c) => collectionSection(v, c, f.weekly))}</section>`,
)}
${states === undefined ? '' : html`<section aria-labelledby="fed"><h2 id="fed">${v.t.federation}</h2>${federationTable(v, states)}</section>`}`;
}
