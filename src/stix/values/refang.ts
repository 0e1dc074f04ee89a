/**
 * Refanging: undoes the common ways analysts "defang" indicators so they cannot be clicked
 * (`hxxp://evil[.]com`, `user[@]example(dot)org`). Linear time: one pass with a regex made of fixed
 * alternatives only (no nested quantifiers), plus one pass for the scheme words.
 */

export interface RefangResult {
  readonly value: string;
  /** True when at least one defang marker was replaced. */
  readonly changed: boolean;
}

/** Bracket-style markers and what they stand for (matched case-insensitively). */
const MARKERS: Readonly<Record<string, string>> = {
  '[.]': '.',
  '(.)': '.',
  '{.}': '.',
  '[dot]': '.',
  '(dot)': '.',
  '{dot}': '.',
  '\\.': '.',
  ' . ': '.',
  '[:]': ':',
  '[://]': '://',
  '[/]': '/',
  '[@]': '@',
  '(@)': '@',
  '{@}': '@',
  '[at]': '@',
  '(at)': '@',
  '{at}': '@',
};

const MARKER_RE = /\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\\\.| \. |\[:\]|\[:\/\/\]|\[\/\]|\[@\]|\(@\)|\{@\}|\[at\]|\(at\)|\{at\}/gi;

/**
 * Scheme words: hxxp, hXXp, h**p, hxtp, htxp (→ http) and fxp (→ ftp), optionally followed by `s`, and only
 * when a `:` (possibly bracketed) follows, so ordinary words are left alone.
 */
const MAX_PASSES = 3;

const SCHEME_RE = /\b(h(?:xx|\*\*|xt|tx)p|fxp)(s?)(?=\[?:)/gi;

/** Fast path: every marker and scheme rewrite needs one of `[ ( { \\ :` or a space. */
function mayBeDefanged(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 40 || c === 123 || c === 92 || c === 58 || c === 32) return true;
  }
  return false;
}

/**
 * Replaces defang markers with the characters they stand for. Markers that only appear once others are replaced
 * (`\\[.]` → `\\.` → `.`, ` [.] ` → ` . ` → `.`) are handled by repeating the pass, at most three times, so
 * the work stays linear in the input length.
 */
export function refang(text: string): RefangResult {
  if (!mayBeDefanged(text)) return { value: text, changed: false };
  let value = text.replace(SCHEME_RE, (_m, word: string, s: string) => (word.toLowerCase() === 'fxp' ? 'ftp' : 'http') + s.toLowerCase());
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = value.replace(MARKER_RE, replaceMarker);
    if (next === value) break;
    value = next;
  }
  return { value, changed: value !== text };
}

function replaceMarker(m: string): string {
  return MARKERS[m.toLowerCase()] ?? m;
}
