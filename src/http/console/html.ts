/**
 * A tiny HTML template helper: `html\`<p>${value}</p>\`` escapes every interpolated value unless it is already
 * `Html` (the result of another `html` call), so a page cannot forget to escape what it prints.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export type HtmlValue = Html | string | number | boolean | undefined | null | readonly HtmlValue[];

function render(v: HtmlValue): string {
  if (v === undefined || v === null || v === false) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map((x: HtmlValue) => render(x)).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Joins fragments (already escaped or escaped here). */
export function join(parts: readonly HtmlValue[]): Html {
  return new Html(parts.map((p) => render(p)).join(''));
}

/** A UTC timestamp as `YYYY-MM-DD HH:MM:SS UTC` (ms since the epoch or an RFC 3339 string). */
export function utc(t: number | string | undefined): string {
  if (t === undefined) return '';
  const ms = typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) return String(t);
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
