/** The effective configuration (secrets never shown) and the check-config result. */
import type { ConfigIssue, GatewayConfig } from '../../../config/types';
import { type Html, html } from '../html';
import type { View } from '../view';

/**
 * The configuration with every credential reduced to its kind and source: no hash, no secret (an environment
 * variable's name is shown, never its value). Remote authentication keeps only the names of its variables/files.
 */
export function redactedConfig(config: GatewayConfig): unknown {
  return {
    file: config.file,
    server: config.server,
    api_roots: config.api_roots,
    collections: config.collections,
    principals: config.principals.map((p) => ({
      ...p,
      credentials: p.credentials.map((c) =>
        c.source === 'hash'
          ? { [c.kind]: 'hash (not shown)' }
          : c.source === 'generate'
            ? { [c.kind]: 'generate' }
            : { [c.kind]: { [c.source]: c.env } },
      ),
    })),
    audit: config.audit,
    csv_mappings: Object.keys(config.csv_mappings),
    sources: config.sources.map((s) => ({
      ...s,
      auth: s.auth === undefined ? undefined : '(names of variables and files only; see the file)',
    })),
    sinks: config.sinks.map((s) => ({
      ...s,
      auth: s.auth === undefined ? undefined : '(names of variables and files only; see the file)',
    })),
  };
}

export function configPage(v: View, config: GatewayConfig, issues: readonly ConfigIssue[]): Html {
  return html`<section aria-labelledby="check"><h2 id="check">${v.t.check_config}</h2>
${issues.length === 0 ? html`<p class="ok">${v.t.config_ok}</p>` : html`<ul class="errors">${issues.map((i) => html`<li><code>${i.file}:${i.line}:${i.column}</code> <code>${i.code}</code> ${i.message}</li>`)}</ul>`}
</section>
<section aria-labelledby="eff"><h2 id="eff">${v.t.effective_config}</h2><p>${v.t.secrets_note}</p>
<pre tabindex="0">${JSON.stringify(redactedConfig(config), null, 2)}</pre></section>`;
}
