/**
 * Value normalization inside a parsed pattern, using the shared canonicalizers of `../values`:
 *
 * - hash keys spelled as the vocabulary (`file:hashes.SHA256` → `file:hashes.'SHA-256'`), hex digests lower case;
 * - `ipv4-addr:value` / `ipv6-addr:value` canonical (CIDR host bits cleared), `domain-name:value`, `url:value`,
 *   `email-addr:value` and the e-mail/address `*_ref(s).value` paths canonical;
 * - defanged values of those paths refanged first (warning REFANGED);
 * - integer properties (ports, AS number, sizes, pid) written as strings (`'443'`) turned into integers.
 *
 * A value of the wrong kind (an IP address in `domain-name:value`) or an invalid one is reported as a warning and
 * left as it is. Every rewrite is reported: `info` (or `warning` for a refang) with the before → after.
 * Values are only rewritten under `=`, `!=`, `IN`, `ISSUBSET`, `ISSUPERSET` (and the ordering operators for
 * integers); LIKE and MATCHES values are patterns themselves and are left alone.
 */
import { type ContentIssue, issue } from '../issues';
import {
  canonicalDomain,
  canonicalEmail,
  canonicalHashName,
  canonicalHashValue,
  canonicalIpv4,
  canonicalIpv6,
  canonicalUrl,
  expandRegistryHive,
  refang,
} from '../values';
import type { ComparisonExpression, Literal, ObjectPath, ObservationExpression, Pattern, PathStep, PropTest, Span } from './ast';
import { patternSpanPath } from './parser';
import { printObjectPath, quotePatternString } from './printer';
import { INTEGER_PROPERTIES } from '../sco-properties';
import type { OutcomeCode } from '../../common/outcome-codes';

export interface NormalizeResult {
  readonly value: Pattern;
  /** One issue per change (and per suspicious value left unchanged). */
  readonly changes: ContentIssue[];
}

/** The two IP families: each one's canonicalizer, how a value of it is named, and the other family. */
const IP_FAMILIES = {
  ipv4: { canonical: canonicalIpv4, article: 'an IPv4 address', path: 'ipv4-addr:value', expected: 'IPv4 address or CIDR', other: 'ipv6' },
  ipv6: { canonical: canonicalIpv6, article: 'an IPv6 address', path: 'ipv6-addr:value', expected: 'IPv6 address or CIDR', other: 'ipv4' },
} as const;

type ValueClass =
  | { readonly kind: 'ipv4' | 'ipv6' | 'domain' | 'url' | 'email' | 'address' | 'integer' | 'registry-key' }
  | { readonly kind: 'hash'; readonly algorithm: string };

const EMAIL_REF = new Set(['from_ref', 'sender_ref']);
const EMAIL_REFS = new Set(['to_refs', 'cc_refs', 'bcc_refs']);
const ADDRESS_REF = new Set(['src_ref', 'dst_ref']);
const MAX_INT_TEXT = /^[+-]?[0-9]{1,15}$/;

function keyAt(steps: readonly PathStep[], i: number): string | undefined {
  const s = steps[i];
  return s?.kind === 'key' ? s.key : undefined;
}

function classify(path: ObjectPath): ValueClass | undefined {
  const { objectType: type, steps } = path;
  const n = steps.length;
  const last = keyAt(steps, n - 1);
  if (n >= 2 && keyAt(steps, n - 2) === 'hashes' && last !== undefined) return { kind: 'hash', algorithm: last };
  if (n === 1) {
    if (last === 'value') {
      switch (type) {
        case 'ipv4-addr':
          return { kind: 'ipv4' };
        case 'ipv6-addr':
          return { kind: 'ipv6' };
        case 'domain-name':
          return { kind: 'domain' };
        case 'url':
          return { kind: 'url' };
        case 'email-addr':
          return { kind: 'email' };
        default:
          return undefined;
      }
    }
    if (type === 'windows-registry-key' && last === 'key') return { kind: 'registry-key' };
    return last !== undefined && INTEGER_PROPERTIES.has(`${type}:${last}`) ? { kind: 'integer' } : undefined;
  }
  if (last !== 'value') return undefined;
  const ref = keyAt(steps, 0);
  if (ref === undefined) return undefined;
  const single = n === 2;
  const listed = n === 3 && steps[1]?.kind !== 'key';
  if (type === 'email-message' && ((single && EMAIL_REF.has(ref)) || (listed && EMAIL_REFS.has(ref)))) return { kind: 'email' };
  if (type === 'network-traffic' && single && ADDRESS_REF.has(ref)) return { kind: 'address' };
  if (type === 'domain-name' && listed && ref === 'resolves_to_refs') return { kind: 'address' };
  return undefined;
}

const REWRITE_OPS = new Set(['=', '!=', 'ISSUBSET', 'ISSUPERSET']);
const ORDER_OPS = new Set(['<', '<=', '>', '>=']);

/** The operands with `f` applied, copied only when `f` changed one of them; undefined when none changed. */
function mapChanged<T>(operands: readonly T[], f: (o: T) => T): T[] | undefined {
  let out: T[] | undefined;
  for (let i = 0; i < operands.length; i++) {
    const o = operands[i];
    if (o === undefined) continue;
    const n = f(o);
    if (n !== o) (out ??= operands.slice())[i] = n;
  }
  return out;
}

class Normalizer {
  readonly changes: ContentIssue[] = [];

  private note(severity: 'info' | 'warning', code: OutcomeCode, span: Span | undefined, message: string): void {
    this.changes.push(issue(severity, code, patternSpanPath(span), message));
  }

  observation(e: ObservationExpression): ObservationExpression {
    switch (e.kind) {
      case 'observation': {
        const comparison = this.comparison(e.comparison);
        return comparison === e.comparison ? e : { ...e, comparison };
      }
      case 'qualified': {
        const expression = this.observation(e.expression);
        return expression === e.expression ? e : { ...e, expression };
      }
      default: {
        const operands = mapChanged(e.operands, (o) => this.observation(o));
        return operands === undefined ? e : { ...e, operands };
      }
    }
  }

  comparison(e: ComparisonExpression): ComparisonExpression {
    if (e.kind === 'compare' || e.kind === 'in' || e.kind === 'exists') return this.test(e);
    const operands = mapChanged(e.operands, (o) => this.comparison(o));
    return operands === undefined ? e : { ...e, operands };
  }

  private test(t: PropTest): PropTest {
    const path = this.path(t.path, t.span);
    const cls = classify(path);
    if (t.kind === 'exists' || cls === undefined) return path === t.path ? t : { ...t, path };
    if (t.kind === 'in') {
      let values: Literal[] | undefined;
      for (let i = 0; i < t.values.length; i++) {
        const v = t.values[i];
        if (v === undefined) continue;
        const n = this.literal(v, cls, path);
        if (n !== v) (values ??= t.values.slice())[i] = n;
      }
      return path === t.path && values === undefined ? t : { ...t, path, values: values ?? t.values };
    }
    const rewrite = REWRITE_OPS.has(t.operator) || (cls.kind === 'integer' && ORDER_OPS.has(t.operator));
    const value = rewrite ? this.literal(t.value, cls, path) : t.value;
    return path === t.path && value === t.value ? t : { ...t, path, value };
  }

  /** Renames a `hashes` key to its vocabulary spelling. */
  private path(p: ObjectPath, span: Span | undefined): ObjectPath {
    const n = p.steps.length;
    const last = keyAt(p.steps, n - 1);
    if (n < 2 || keyAt(p.steps, n - 2) !== 'hashes' || last === undefined) return p;
    const name = canonicalHashName(last);
    if (name === undefined || name === last) return p;
    const steps = [...p.steps.slice(0, n - 1), { kind: 'key' as const, key: name }];
    const next = { objectType: p.objectType, steps };
    this.note('info', 'PATTERN_HASH_NAME', span, `hash name ${printObjectPath(p)} → ${printObjectPath(next)}`);
    return next;
  }

  private literal(l: Literal, cls: ValueClass, path: ObjectPath): Literal {
    if (l.kind !== 'string') return l;
    if (cls.kind === 'integer') {
      const text = l.value.trim();
      if (!MAX_INT_TEXT.test(text)) return l;
      const value = Number(text);
      this.note(
        'info',
        'PATTERN_STRING_TO_INTEGER',
        l.span,
        `${printObjectPath(path)}: ${quotePatternString(l.value)} → ${value} (the property is an integer)`,
      );
      return { kind: 'int', value: value === 0 ? 0 : value, ...(l.span ? { span: l.span } : {}) };
    }
    let v = l.value;
    if (cls.kind !== 'hash') {
      const r = refang(v);
      if (r.changed) {
        this.note(
          'warning',
          'REFANGED',
          l.span,
          `${printObjectPath(path)}: defanged value ${quotePatternString(v)} → ${quotePatternString(r.value)}`,
        );
        v = r.value;
      }
    }
    const canonical = this.canonical(v, cls, path, l.span);
    if (canonical !== undefined && canonical !== v) {
      this.note(
        'info',
        'PATTERN_VALUE_CANONICALIZED',
        l.span,
        `${printObjectPath(path)}: ${quotePatternString(v)} → ${quotePatternString(canonical)}`,
      );
      v = canonical;
    }
    return v === l.value ? l : { kind: 'string', value: v, ...(l.span ? { span: l.span } : {}) };
  }

  /** Reports a value that is not valid for its property; it is left as it is. */
  private invalid(v: string, what: string, path: ObjectPath, span: Span | undefined): undefined {
    this.note(
      'warning',
      'PATTERN_INVALID_VALUE',
      span,
      `${printObjectPath(path)}: ${quotePatternString(clip(v))} is not a valid ${what}; left as it is`,
    );
    return undefined;
  }

  /** Reports a value of another kind than its property holds (an IP address in domain-name:value). */
  private mismatch(v: string, found: string, use: string, path: ObjectPath, span: Span | undefined): undefined {
    this.note(
      'warning',
      'PATTERN_VALUE_TYPE_MISMATCH',
      span,
      `${printObjectPath(path)} holds ${found} ${quotePatternString(clip(v))}; it belongs in ${use}. Left as it is`,
    );
    return undefined;
  }

  private canonical(v: string, cls: ValueClass, path: ObjectPath, span: Span | undefined): string | undefined {
    switch (cls.kind) {
      case 'hash': {
        const c = canonicalHashValue(cls.algorithm, v);
        return c ?? this.invalid(v, `${canonicalHashName(cls.algorithm) ?? cls.algorithm} digest`, path, span);
      }
      case 'ipv4':
      case 'ipv6': {
        const family = IP_FAMILIES[cls.kind];
        const c = family.canonical(v);
        if (c !== undefined) return c;
        const other = IP_FAMILIES[family.other];
        return other.canonical(v) !== undefined
          ? this.mismatch(v, other.article, other.path, path, span)
          : this.invalid(v, family.expected, path, span);
      }
      case 'domain': {
        if (canonicalIpv4(v) !== undefined) return this.mismatch(v, 'an IPv4 address', 'ipv4-addr:value', path, span);
        if (canonicalIpv6(v) !== undefined) return this.mismatch(v, 'an IPv6 address', 'ipv6-addr:value', path, span);
        return canonicalDomain(v) ?? this.invalid(v, 'domain name', path, span);
      }
      case 'url':
        return canonicalUrl(v) ?? this.invalid(v, 'URL', path, span);
      case 'email':
        return canonicalEmail(v) ?? this.invalid(v, 'e-mail address', path, span);
      case 'address':
        return canonicalIpv4(v) ?? canonicalIpv6(v) ?? canonicalDomain(v) ?? this.invalid(v, 'IP address or domain name', path, span);
      case 'registry-key':
        return expandRegistryHive(v);
      case 'integer':
        return undefined;
    }
  }
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/**
 * Canonicalizes the values inside a pattern's comparisons (see the module comment). Pure; the input is not
 * modified and unchanged subtrees are shared with the result.
 */
export function normalizePattern(p: Pattern): NormalizeResult {
  const n = new Normalizer();
  const value = n.observation(p);
  return { value, changes: n.changes };
}
