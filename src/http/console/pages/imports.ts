/** Imports: upload a native file into a writable collection; import.js follows its status with a progress bar. */
import { canWrite } from '../../../auth/permissions';
import type { AuthenticatedPrincipal } from '../../../auth/types';
import type { GatewayConfig } from '../../../config/types';
import { type Html, html } from '../html';
import type { View } from '../view';

const FORMATS = ['misp', 'stix1', 'openioc', 'csv', 'txt', 'stix20', 'stix21'] as const;

export function importsPage(v: View, viewer: AuthenticatedPrincipal, config: GatewayConfig): Html {
  const writable = config.collections.filter((c) => canWrite(viewer, c));
  if (writable.length === 0) return html`<p>${v.t.no_writable}</p>`;
  return html`<p>${v.t.import_hint}</p>
<form id="import-form" class="stack" data-csrf="${v.csrf}">
<label>${v.t.collection} <select name="collection" required>${writable.map((c) => html`<option value="${c.id}">${c.title}${c.native_format ? ` (${c.native_format})` : ''}</option>`)}</select></label>
<label>${v.t.format} <select name="format"><option value="">${v.t.format_default}</option>${FORMATS.map((f) => html`<option value="${f}">${f}</option>`)}</select></label>
<label>${v.t.mapping} <select name="mapping"><option value="">${v.t.format_default}</option>${Object.keys(config.csv_mappings).map((m) => html`<option value="${m}">${m}</option>`)}</select></label>
<label>${v.t.file} <input type="file" name="file" required></label>
<button type="submit">${v.t.start_import}</button>
<noscript><p>JavaScript is needed to upload.</p></noscript>
</form>
<section id="import-result" aria-live="polite" hidden>
<h2>${v.t.progress}</h2>
<p><label for="import-progress">${v.t.status}: <span id="import-status"></span></label></p>
<progress id="import-progress" max="1" value="0"></progress>
<p><span id="import-counts"></span></p>
<h3>${v.t.failures}</h3>
<ul id="import-failures"></ul>
</section>`;
}
