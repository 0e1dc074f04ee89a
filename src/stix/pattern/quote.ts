import { PATTERN_KEYWORDS } from './ast';

/** Writes a STIX pattern string literal: single quotes, with `\` and `'` escaped (STIX 2.1 §9.2). */
export function quotePatternString(value: string): string {
  if (value.indexOf('\\') < 0 && value.indexOf("'") < 0) return `'${value}'`;
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Writes an object-path property key, quoting it when it is not a plain identifier (e.g. 'SHA-256') or when it
 * spells a pattern keyword (e.g. 'AND', 'true'), which a strict lexer would not read as a name.
 */
export function patternPathKey(key: string): string {
  return PLAIN_KEY.test(key) && !PATTERN_KEYWORDS.has(key.toUpperCase()) ? key : quotePatternString(key);
}
