/**
 * The flat IOC values a STIX object stands for, for the list formats (CSV and TXT exports): the equality
 * comparisons of an indicator's pattern on the properties those formats can hold, the value of an SCO, the
 * CVE name of a vulnerability. Anything else in a pattern (AND across values, FOLLOWEDBY, qualifiers, other
 * operators) cannot be written in a list: it is reported, never dropped in silence.
 */
import { parsePattern, printLiteral, printObjectPath, printPropertyPath } from '../../stix/pattern';
import type { ComparisonExpression, ObservationExpression, PropTest } from '../../stix/pattern';
import { issue, type ContentIssue } from '../../stix/issues';
import { SCO_TYPES } from '../../stix/identifiers';
import type { StixObject } from '../types';

/** Export value kinds: the STIX value types, `file-name`, and the hash names of the vocabulary. */
export type ExportKind =
  | 'ipv4-addr'
  | 'ipv6-addr'
  | 'domain-name'
  | 'url'
  | 'email-addr'
  | 'file-name'
  | 'MD5'
  | 'SHA-1'
  | 'SHA-256'
  | 'SHA-512'
  | 'autonomous-system'
  | 'cve'
  | 'other';

export interface ExportValue {
  readonly kind: ExportKind;
  readonly value: string;
  /** `other` values: the STIX path the value was compared on (`app:id`), as writers keep it beside the value. */
  readonly stixPath?: string;
}

/** The values of one object, grouped: the values of one group describe one thing (the hashes of a file). */
export interface ExportValues {
  readonly groups: ExportValue[][];
  readonly issues: ContentIssue[];
}

const HASH_KINDS: Readonly<Record<string, ExportKind>> = {
  MD5: 'MD5',
  'SHA-1': 'SHA-1',
  'SHA-256': 'SHA-256',
  'SHA-512': 'SHA-512',
};

const SIMPLE_PATHS: Readonly<Record<string, ExportKind>> = {
  'ipv4-addr:value': 'ipv4-addr',
  'ipv6-addr:value': 'ipv6-addr',
  'domain-name:value': 'domain-name',
  'url:value': 'url',
  'email-addr:value': 'email-addr',
  'email-message:from_ref.value': 'email-addr',
  'file:name': 'file-name',
  // Not a STIX 2.1 property, but producers write it for a full path; the list formats hold it as a file name.
  'file:path': 'file-name',
  'autonomous-system:number': 'autonomous-system',
};

/** The kind of a comparison path (`file:hashes.'SHA-256'` → SHA-256), or undefined when lists cannot hold it. */
function kindOfPath(objectType: string, path: string): ExportKind | undefined {
  const simple = SIMPLE_PATHS[`${objectType}:${path}`];
  if (simple !== undefined) return simple;
  if (objectType === 'file' && path.startsWith('hashes.')) {
    return HASH_KINDS[path.slice('hashes.'.length).replace(/^'|'$/g, '')];
  }
  return undefined;
}

function kindOfAddress(value: string): ExportKind {
  if (value.includes(':')) return 'ipv6-addr';
  return /^[\d./]+$/.test(value) ? 'ipv4-addr' : 'domain-name';
}

/**
 * The values of one `[...]`: an OR of equalities gives one group (alternatives for the same thing); the
 * gateway's own `network-traffic` form (dst_ref + dst_port) gives `host:port`; `file:name` AND a parent
 * directory gives the full path.
 */
function observationValues(e: ComparisonExpression, lossy: string[]): ExportValue[] {
  const values: ExportValue[] = [];
  const compares = e.kind === 'or' || e.kind === 'and' ? e.operands : [e];
  let dstValue: string | undefined;
  let dstPort: number | undefined;
  let parentPath: string | undefined;
  for (const c of compares) {
    if (c.kind !== 'compare' || c.negated || c.operator !== '=') {
      lossy.push('operands' in c ? 'nested boolean expression' : describeTest(c));
      continue;
    }
    const path = printPropertyPath(c.path);
    const literal = c.value;
    const text = literal.kind === 'string' ? literal.value : literal.kind === 'int' ? String(literal.value) : undefined;
    if (text === undefined) {
      lossy.push(describeTest(c));
      continue;
    }
    if (c.path.objectType === 'network-traffic') {
      if (path === 'dst_ref.value') dstValue = text;
      else if (path === 'dst_port' && literal.kind === 'int') dstPort = literal.value;
      else if (path !== 'dst_ref.type') values.push({ kind: 'other', value: text, stixPath: `network-traffic:${path}` });
      continue;
    }
    if (c.path.objectType === 'file' && path === 'parent_directory_ref.path') {
      parentPath = text;
      continue;
    }
    const kind = kindOfPath(c.path.objectType, path);
    // A value with no list type is kept with its STIX path (writers put it in a generic column or a comment).
    if (kind === undefined) values.push({ kind: 'other', value: text, stixPath: `${c.path.objectType}:${path}` });
    else values.push({ kind, value: text });
  }
  if (dstValue !== undefined) {
    const kind = kindOfAddress(dstValue);
    const host = kind === 'ipv6-addr' && dstPort !== undefined ? `[${dstValue}]` : dstValue;
    values.push({ kind, value: dstPort === undefined ? host : `${host}:${dstPort}` });
  }
  if (parentPath !== undefined) {
    const name = values.find((v) => v.kind === 'file-name');
    if (name === undefined) values.push({ kind: 'other', value: parentPath, stixPath: 'file:parent_directory_ref.path' });
    else values[values.indexOf(name)] = { kind: 'file-name', value: `${parentPath.replace(/[\\/]$/, '')}\\${name.value}` };
  }
  if (e.kind === 'and' && values.length > 1) lossy.push('AND of several values (each is written on its own)');
  return values;
}

/** A test a list cannot hold, written out with its value(s) so the issue names what was left out. */
function describeTest(c: PropTest): string {
  const not = c.negated ? 'NOT ' : '';
  const text =
    c.kind === 'exists'
      ? `${not}EXISTS ${printObjectPath(c.path)}`
      : c.kind === 'in'
        ? `${printObjectPath(c.path)} ${not}IN (${c.values.map(printLiteral).join(', ')})`
        : `${printObjectPath(c.path)} ${not}${c.operator} ${printLiteral(c.value)}`;
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
}

function collect(e: ObservationExpression, groups: ExportValue[][], lossy: string[]): void {
  switch (e.kind) {
    case 'observation': {
      const values = observationValues(e.comparison, lossy);
      if (values.length > 0) groups.push(values);
      return;
    }
    case 'qualified':
      lossy.push(`qualifier ${e.qualifier.kind.toUpperCase()}`);
      collect(e.expression, groups, lossy);
      return;
    default:
      if (e.kind !== 'obs-or') lossy.push(e.kind === 'followedby' ? 'FOLLOWEDBY' : 'AND of observations');
      for (const o of e.operands) collect(o, groups, lossy);
  }
}

/** The list values of one STIX object (indicator, SCO or vulnerability). Objects of other types give none. */
export function exportValues(o: StixObject, format: string, path: string): ExportValues {
  const issues: ContentIssue[] = [];
  if (o.type === 'indicator') {
    const pattern = o['pattern'];
    if (o['pattern_type'] !== 'stix' || typeof pattern !== 'string') {
      issues.push(
        issue('warning', 'EXPORT_UNSUPPORTED_PATTERN', `${path}/pattern_type`, `${format}: only STIX patterns can be exported`, o.id),
      );
      return { groups: [], issues };
    }
    const parsed = parsePattern(pattern);
    if (parsed.value === undefined) {
      issues.push(issue('warning', 'EXPORT_UNSUPPORTED_PATTERN', `${path}/pattern`, `${format}: pattern does not parse`, o.id));
      return { groups: [], issues };
    }
    const groups: ExportValue[][] = [];
    const lossy: string[] = [];
    collect(parsed.value, groups, lossy);
    if (lossy.length > 0) {
      issues.push(
        issue('warning', 'EXPORT_PATTERN_LOSSY', `${path}/pattern`, `${format}: cannot express ${[...new Set(lossy)].join(', ')}`, o.id),
      );
    }
    if (groups.length === 0) {
      issues.push(issue('warning', 'EXPORT_NO_VALUE', `${path}/pattern`, `${format}: pattern holds no value a list can carry`, o.id));
    }
    return { groups, issues };
  }
  if (o.type === 'vulnerability' && typeof o['name'] === 'string' && /^CVE-\d{4}-\d{4,}$/i.test(o['name'])) {
    return { groups: [[{ kind: 'cve', value: o['name'].toUpperCase() }]], issues };
  }
  const simple = SIMPLE_PATHS[`${o.type}:value`];
  if (simple !== undefined && typeof o['value'] === 'string') return { groups: [[{ kind: simple, value: o['value'] }]], issues };
  if (o.type === 'autonomous-system' && typeof o['number'] === 'number') {
    return { groups: [[{ kind: 'autonomous-system', value: String(o['number']) }]], issues };
  }
  if (o.type === 'file') {
    const group: ExportValue[] = [];
    const hashes = o['hashes'];
    if (typeof hashes === 'object' && hashes !== null) {
      for (const [name, value] of Object.entries(hashes)) {
        const kind = HASH_KINDS[name];
        if (kind !== undefined && typeof value === 'string') group.push({ kind, value });
      }
    }
    if (typeof o['name'] === 'string') group.push({ kind: 'file-name', value: o['name'] });
    return { groups: group.length > 0 ? [group] : [], issues };
  }
  return { groups: otherScoValues(o), issues };
}

/** The properties that name an observable of a type no list column is made for (kept as `other` values). */
const NAMING_PROPERTIES = ['value', 'name', 'key', 'path', 'user_id', 'account_login', 'serial_number', 'command_line', 'cpe', 'pid'];

/** An SCO of another type: its naming properties and hashes, each with its STIX path. */
function otherScoValues(o: StixObject): ExportValue[][] {
  if (!SCO_TYPES.has(o.type)) return [];
  const group: ExportValue[] = [];
  for (const p of NAMING_PROPERTIES) {
    const v = o[p];
    if (typeof v === 'string' || typeof v === 'number') group.push({ kind: 'other', value: String(v), stixPath: `${o.type}:${p}` });
  }
  const hashes = o['hashes'];
  if (typeof hashes === 'object' && hashes !== null) {
    for (const [name, v] of Object.entries(hashes)) {
      if (typeof v === 'string') group.push({ kind: HASH_KINDS[name] ?? 'other', value: v, stixPath: `${o.type}:hashes.'${name}'` });
    }
  }
  return group.length > 0 ? [group] : [];
}

/** Objects that give context (names, markings, translations), not values: an export gives them no row or line. */
export const CONTEXT_TYPES: ReadonlySet<string> = new Set(['identity', 'marking-definition', 'extension-definition', 'language-content']);

/**
 * The walk of a list export over its objects, in order: context objects are passed over, each other object's
 * value issues are pushed into `issues`, then `visit.values` gets its value groups, or `visit.skipped` is told of
 * an object that gave neither a value nor an issue.
 */
export function forEachExported(
  objects: readonly StixObject[],
  format: string,
  issues: ContentIssue[],
  visit: {
    readonly values: (o: StixObject, path: string, groups: ExportValue[][]) => void;
    readonly skipped: (o: StixObject, path: string) => void;
  },
): void {
  objects.forEach((o, index) => {
    const path = `/objects/${index}`;
    if (CONTEXT_TYPES.has(o.type)) return;
    const { groups, issues: valueIssues } = exportValues(o, format, path);
    issues.push(...valueIssues);
    if (groups.length === 0 && valueIssues.length === 0) visit.skipped(o, path);
    else visit.values(o, path, groups);
  });
}
