/** Each visible collection: readers, writers, clearances and write rules as configured; counts; latest additions. */
import { isVisible } from '../../../auth/permissions';
import type { AuthenticatedPrincipal } from '../../../auth/types';
import { type BrowseDeps, latestAdditions } from '../../../browse/object-browser';
import type { CollectionConfig } from '../../../config/types';
import { TLP_NAMES } from '../../../exchange/exchange-reader';
import { formatMicros } from '../../../stix/time';
import { type Html, html } from '../html';
import type { View } from '../view';
import { fmt } from './overview';

function rules(v: View, c: CollectionConfig): Html {
  const items: Html[] = [];
  if (c.max_tlp_accepted) items.push(html`<li>max_tlp_accepted: ${c.max_tlp_accepted}</li>`);
  if (c.require_own_identity) items.push(html`<li>require_own_identity: true</li>`);
  if (c.accepted_producers) items.push(html`<li>accepted_producers: ${c.accepted_producers.join(', ')}</li>`);
  if (c.refused_markings) items.push(html`<li>refused_markings: ${c.refused_markings.join(', ')}</li>`);
  if (c.default_tlp) items.push(html`<li>default_tlp: ${c.default_tlp}</li>`);
  return items.length === 0 ? html`<p>${v.t.no_rules}</p>` : html`<ul>${items}</ul>`;
}

function clearances(v: View, c: CollectionConfig): Html {
  const list = c.reader_clearances ?? [];
  if (list.length === 0) return html`<p>${v.t.none}</p>`;
  return html`<ul>${list.map(
    (r) =>
      html`<li>${r.name}: ${r.max_tlp === undefined ? '' : `${v.t.max_tlp} ${r.max_tlp}`}${r.refused_markings ? ` refused_markings ${r.refused_markings.join(', ')}` : ''}${
        r.accepted_producers ? ` accepted_producers ${r.accepted_producers.join(', ')}` : ''
      }</li>`,
  )}</ul>`;
}

export async function collectionsPage(v: View, viewer: AuthenticatedPrincipal, deps: BrowseDeps, nowMs: number): Promise<Html> {
  const visible = deps.config.collections.filter((c) => isVisible(viewer, c));
  const figures = await deps.exchange.figures(viewer, 365, nowMs, { details: false });
  const sections: Html[] = [];
  const latestOf = await Promise.all(visible.map((c) => latestAdditions(deps, viewer, c, 10)));
  for (const [i, c] of visible.entries()) {
    const f = figures.collections.find((x) => x.id === c.id);
    const latest = latestOf[i] ?? [];
    sections.push(html`<section class="collection" aria-labelledby="h-${c.id}"><h2 id="h-${c.id}">${c.title} <small>${c.alias ?? ''}</small></h2>
<dl class="facts"><div><dt>${v.t.id}</dt><dd><code>${c.id}</code></dd></div>
<div><dt>${v.t.country}</dt><dd>${c.country ?? v.t.joint}</dd></div>
<div><dt>${v.t.readers}</dt><dd>${c.readers.join(', ')}</dd></div>
<div><dt>${v.t.writers}</dt><dd>${c.writers.join(', ')}</dd></div>
<div><dt>${v.t.objects_shared} (${v.t.days_365})</dt><dd>${f === undefined || f.withheld ? '–' : `${fmt(v, f.shared)} (${v.t.counted_up_to} ${f.clearance.toUpperCase()})`}</dd></div></dl>
<div class="grid"><div><h3>${v.t.clearances}</h3>${clearances(v, c)}</div><div><h3>${v.t.write_rules}</h3>${rules(v, c)}</div></div>
<h3>${v.t.latest_additions}</h3>
${
  latest.length === 0
    ? html`<p>${v.t.none}</p>`
    : html`<table><thead><tr><th scope="col">${v.t.added}</th><th scope="col">${v.t.id}</th><th scope="col">TLP</th></tr></thead><tbody>
${latest.map((o) => html`<tr><td>${formatMicros(o.dateAdded)}</td><td><a href="/console/objects/${c.alias ?? c.id}/${o.id}">${o.id}</a></td><td>${TLP_NAMES[o.tlpRank] ?? ''}</td></tr>`)}
</tbody></table>`
}</section>`);
  }
  return html`${sections}`;
}
