/** Writes a STIX pattern string literal: single quotes, with `\` and `'` escaped (STIX 2.1 §9.2). */
export function quotePatternString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Writes an object-path property key, quoting it when it is not a plain identifier (e.g. 'SHA-256'). */
export function patternPathKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : quotePatternString(key);
}
