/** The object browser: search by value, type or date; one object's versions, posted original and pulls. */
import type { AuthenticatedPrincipal } from '../../../auth/types';
import { type BrowseDeps, type BrowseResult, type ObjectDetail, readableCollections } from '../../../browse/object-browser';
import { TLP_NAMES } from '../../../exchange/exchange-reader';
import { formatMicros } from '../../../stix/time';
import { type Html, html, utc } from '../html';
import type { View } from '../view';

export interface ObjectSearch {
  readonly value: string;
  readonly type: string;
  readonly collection: string;
  readonly date: string;
}

const TYPES = [
  'indicator',
  'malware',
  'threat-actor',
  'campaign',
  'attack-pattern',
  'report',
  'identity',
  'relationship',
  'sighting',
  'ipv4-addr',
  'domain-name',
  'url',
  'file',
];

export function searchForm(v: View, viewer: AuthenticatedPrincipal, deps: BrowseDeps, q: ObjectSearch): Html {
  const collections = readableCollections(deps.config, viewer);
  return html`<form method="get" action="/console/objects" class="filters" role="search">
<label>${v.t.by_value} <input type="search" name="value" value="${q.value}" placeholder="${v.t.by_value_hint}" maxlength="4096"></label>
<label>${v.t.by_type} <select name="type"><option value="">${v.t.any}</option>${TYPES.map((t) => html`<option value="${t}"${t === q.type ? html` selected` : ''}>${t}</option>`)}</select></label>
<label>${v.t.collection} <select name="collection"><option value="">${v.t.any}</option>${collections.map(
    (c) => html`<option value="${c.alias ?? c.id}"${(c.alias ?? c.id) === q.collection ? html` selected` : ''}>${c.title}</option>`,
  )}</select></label>
<label>${v.t.by_date} <input type="date" name="date" value="${q.date}"></label>
<button type="submit">${v.t.search}</button></form>`;
}

export function resultsTable(v: View, r: BrowseResult): Html {
  if (r.objects.length === 0) return html`<p>${v.t.no_results}</p>`;
  return html`<table><caption>${v.t.results}</caption><thead><tr><th scope="col">${v.t.added}</th><th scope="col">${v.t.collection}</th><th scope="col">${v.t.type}</th>
<th scope="col">${v.t.id}</th><th scope="col">${v.t.version}</th><th scope="col">TLP</th></tr></thead><tbody>
${r.objects.map(
  (o) => html`<tr><td>${formatMicros(o.dateAdded)}</td><td>${o.collection.alias ?? o.collection.title}</td><td>${o.type}</td>
<td><a href="/console/objects/${o.collection.alias ?? o.collection.id}/${o.id}">${o.id}</a></td><td>${o.version}</td><td>${TLP_NAMES[o.tlpRank] ?? ''}</td></tr>`,
)}</tbody></table>${r.more ? html`<p class="note">${v.t.more_results}</p>` : ''}`;
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

export function detailPage(v: View, d: ObjectDetail): Html {
  return html`<p><code>${d.id}</code> · ${d.collection.title}</p>
<section aria-labelledby="versions"><h2 id="versions">${v.t.versions}</h2><table><thead><tr><th scope="col">${v.t.version}</th><th scope="col">${v.t.added}</th><th scope="col">TLP</th></tr></thead><tbody>
${d.versions.map((o) => html`<tr><td>${o.version}</td><td>${formatMicros(o.dateAdded)}</td><td>${TLP_NAMES[o.tlpRank] ?? ''}</td></tr>`)}</tbody></table></section>
<section aria-labelledby="pulls"><h2 id="pulls">${v.t.pulled_by}</h2>
${
  d.pulls.length === 0
    ? html`<p>${v.t.none}</p>`
    : html`<table><thead><tr><th scope="col">${v.t.reader}</th><th scope="col">${v.t.first_pull}</th></tr></thead><tbody>
${d.pulls.map((p) => html`<tr><th scope="row">${p.reader}</th><td>${p.firstPullMs === undefined ? v.t.never_pulled : utc(p.firstPullMs)}</td></tr>`)}</tbody></table>`
}</section>
<div class="grid"><section aria-labelledby="stored"><h2 id="stored">${v.t.stored_json}</h2><pre tabindex="0">${pretty(d.json)}</pre></section>
<section aria-labelledby="orig"><h2 id="orig">${v.t.posted_original}</h2>${d.original === undefined ? html`<p>${v.t.original_same}</p>` : html`<pre tabindex="0">${pretty(d.original)}</pre>`}</section></div>`;
}
