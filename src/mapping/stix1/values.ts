/**
 * Value checks shared by the XML importers: refang network values (never paths or regexes, where `\.` is
 * meaningful), canonicalize exact-match values, parse integers. Problems come back as text for an issue.
 */
import { canonicalDomain, canonicalEmail, canonicalHashValue, canonicalIpv4, canonicalIpv6, refang } from '../../stix/values';
import type { ValueType } from './cybox-objects';
import { toStixTimestamp } from './timestamps';

export interface CheckedValue {
  readonly value: string | number | undefined;
  /** Why the value was rejected (value undefined) or changed; undefined when nothing to report. */
  readonly note?: string;
  readonly code?: 'REFANGED' | 'INVALID_VALUE';
}

const NETWORK_TYPES: ReadonlySet<ValueType> = new Set(['ip', 'domain', 'url', 'email']);

/**
 * Checks one value. `exact` is true for equality comparisons (the value is canonicalized and must parse);
 * substring conditions only get refanged. `root` tells which IP family an `ip` value must be.
 */
export function checkValue(type: ValueType, raw: string, exact: boolean, root: string, hashName?: string): CheckedValue {
  // Free text keeps its spaces (a `contains` value may end in a meaningful space); typed values are trimmed.
  let v = type === 'string' || type === 'path' ? raw : raw.trim();
  let note: string | undefined;
  let code: CheckedValue['code'];
  if (NETWORK_TYPES.has(type)) {
    const r = refang(v);
    if (r.changed) {
      note = `defanged value '${v.slice(0, 200)}' refanged to '${r.value.slice(0, 200)}'`;
      code = 'REFANGED';
      v = r.value;
    }
  }
  if (type === 'int') {
    if (!/^[+]?[0-9]{1,15}$/.test(v))
      return { value: undefined, code: 'INVALID_VALUE', note: `'${v.slice(0, 100)}' is not a non-negative integer` };
    return { value: Number(v) };
  }
  if (type === 'float') {
    if (!/^[+-]?[0-9]{1,15}(?:\.[0-9]{1,15})?$/.test(v))
      return { value: undefined, code: 'INVALID_VALUE', note: `'${v.slice(0, 100)}' is not a number` };
    return { value: Number(v) };
  }
  if (type === 'bool') {
    const b = v.toLowerCase();
    if (b !== 'true' && b !== 'false' && b !== '1' && b !== '0')
      return { value: undefined, code: 'INVALID_VALUE', note: `'${v.slice(0, 100)}' is not a boolean` };
    return { value: b === 'true' || b === '1' ? 'true' : 'false' };
  }
  if (type === 'hex') {
    const h = v.replace(/^0x/i, '').toLowerCase();
    if (!/^(?:[0-9a-f]{2})+$/.test(h))
      return { value: undefined, code: 'INVALID_VALUE', note: `'${v.slice(0, 100)}' is not an even-length hex string` };
    return { value: h };
  }
  if (type === 'language') {
    const code = languageCode(v);
    if (code === undefined)
      return {
        value: undefined,
        code: 'INVALID_VALUE',
        note: `'${v.slice(0, 100)}' is not an ISO 639-2 language code nor a known language name`,
      };
    return { value: code };
  }
  if (type === 'timestamp') {
    const t = toStixTimestamp(v);
    if (t === undefined) return { value: undefined, code: 'INVALID_VALUE', note: `'${v.slice(0, 100)}' is not a timestamp` };
    return { value: t.value };
  }
  if (!exact) return { value: v, note, code };
  switch (type) {
    case 'ip': {
      const c = root === 'ipv6-addr' ? canonicalIpv6(v) : root === 'ipv4-addr' ? canonicalIpv4(v) : (canonicalIpv4(v) ?? canonicalIpv6(v));
      if (c === undefined)
        return {
          value: undefined,
          code: 'INVALID_VALUE',
          note: `'${v.slice(0, 100)}' is not a valid ${root === 'ipv6-addr' ? 'IPv6' : 'IPv4'} address`,
        };
      return { value: c, note, code };
    }
    case 'domain': {
      const c = canonicalDomain(v);
      if (c === undefined) return { value: undefined, code: 'INVALID_VALUE', note: `'${v.slice(0, 100)}' is not a valid domain name` };
      return { value: c, note, code };
    }
    case 'email': {
      const c = canonicalEmail(v);
      return { value: c ?? v, note, code };
    }
    case 'hash': {
      const c = canonicalHashValue(hashName ?? '', v);
      if (c === undefined)
        return { value: undefined, code: 'INVALID_VALUE', note: `'${v.slice(0, 100)}' is not a valid ${hashName ?? 'hash'} value` };
      return { value: c };
    }
    default:
      return { value: v, note, code };
  }
}

/** Language names and ISO 639-1 codes CybOX producers write, by ISO 639-2 code (the OASIS validator takes only these). */
const LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  ara: ['arabic', 'ar'],
  zho: ['chinese', 'zh'],
  ces: ['czech', 'cs'],
  nld: ['dutch', 'nl'],
  eng: ['english', 'en'],
  fas: ['persian', 'farsi', 'fa'],
  fra: ['french', 'fr'],
  deu: ['german', 'de'],
  heb: ['hebrew', 'he'],
  ita: ['italian', 'it'],
  jpn: ['japanese', 'ja'],
  kor: ['korean', 'ko'],
  pol: ['polish', 'pl'],
  por: ['portuguese', 'pt'],
  rus: ['russian', 'ru'],
  spa: ['spanish', 'es'],
  tur: ['turkish', 'tr'],
  ukr: ['ukrainian', 'uk'],
};

const LANGUAGE_CODE_OF: ReadonlyMap<string, string> = new Map(
  Object.entries(LANGUAGES).flatMap(([code, names]) => names.map((n): [string, string] => [n, code])),
);

/** A three-letter code (any case), an ISO 639-1 code or a language name → the ISO 639-2 code; undefined otherwise. */
function languageCode(v: string): string | undefined {
  const lower = v.toLowerCase();
  const known = LANGUAGE_CODE_OF.get(lower.split('-')[0] ?? lower);
  if (known !== undefined) return known;
  return /^[a-z]{3}$/.test(lower) ? lower : undefined;
}
