/**
 * Reading a JSON-based native document (MISP, STIX 2.0, STIX 2.1) with an error that names the format and a
 * line/column, whatever the engine's message looks like.
 */
import { issue, type ContentIssue } from '../../stix/issues';
import type { OutcomeCode } from '../../common/outcome-codes';

export type JsonInput =
  { readonly ok: true; readonly value: unknown; readonly text: string } | { readonly ok: false; readonly issue: ContentIssue };

/** `line L, column C` of a 0-based offset (columns are 1-based). */
export function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  let line = 1;
  for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) line++;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** The offset a JSON.parse message points at, when it can be told. */
export function jsonErrorOffset(message: string, text: string): number | undefined {
  const m = /position (\d{1,12})/.exec(message);
  if (m?.[1] !== undefined) return Math.min(Number(m[1]), text.length);
  if (message.startsWith('Unexpected end')) return text.length;
  // V8 omits the position when the offending token is the first one; find that token.
  const first = /\S/.exec(text);
  return first === null ? text.length : first.index;
}

/** Decodes (UTF-8, BOM stripped) and parses; binary input and syntax errors become one error issue. */
export function readJsonInput(input: string | Buffer, format: string, code: OutcomeCode): JsonInput {
  let text = typeof input === 'string' ? input : input.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    return {
      ok: false,
      issue: issue('error', code, lineColumn(text, nul), `${format}: the input contains binary data (NUL byte), not JSON text`),
    };
  }
  try {
    return { ok: true, value: JSON.parse(text), text };
  } catch (e) {
    const detail = e instanceof Error ? e.message : 'unreadable';
    const at = jsonErrorOffset(detail, text) ?? 0;
    const what = at >= text.length && text.trim().length > 0 ? 'the document is truncated' : 'not valid JSON';
    return { ok: false, issue: issue('error', code, lineColumn(text, at), `${format}: ${what} (${detail.slice(0, 160)})`) };
  }
}
