/**
 * CybOX facts → STIX 2.1: pattern comparisons (indicator context, conditions honoured) and SCO instances
 * (observable context, observed-data).
 */
import { deterministicScoId } from '../../stix/identifiers';
import { issue, type ContentIssue } from '../../stix/issues';
import type { StixObject } from '../types';
import { sha256 } from '../../stix/sha256';
import { canonicalDomain } from '../../stix/values';
import { addressRangeCidrs } from './address-ranges';
import { ARCHIVE_CONTAINS, type Fact, type ValueType } from './cybox-objects';
import { cmp, combine, type Comparison, type Expr, type Operator, type PatternValue, str, substringComparison } from './pattern-tree';
import { checkValue } from './values';
import { isCustomObservableType } from './custom-objects';

const ORDER_OPS: Readonly<Record<string, Operator>> = {
  GreaterThan: '>',
  GreaterThanOrEqual: '>=',
  LessThan: '<',
  LessThanOrEqual: '<=',
};

/** The hash algorithm a path ends in (`hashes.MD5`, `sections[*].hashes.MD5`, `file_header_hashes.MD5`). */
function hashNameOf(path: readonly string[]): string | undefined {
  const parent = path[path.length - 2];
  return parent === 'hashes' || parent?.endsWith('_hashes') === true ? path[path.length - 1] : undefined;
}

function literal(type: ValueType, v: string | number): PatternValue {
  if (type === 'timestamp' && typeof v === 'string') return { kind: 'timestamp', value: v };
  if (type === 'hex' && typeof v === 'string') return { kind: 'hex', value: v };
  if (type === 'float' || type === 'bool') return { kind: 'raw', value: String(v) };
  return typeof v === 'number' ? { kind: 'int', value: v } : str(v);
}

/** Converts one fact to a comparison tree, or undefined (with an issue) when it cannot be expressed. */
export function factToExpr(f: Fact, issues: ContentIssue[], objectId?: string): Expr | undefined {
  // A guessed required value would narrow the pattern beyond what the source says.
  if (f.instanceOnly === true) return undefined;
  if (f.guess !== undefined) issues.push(issue('info', 'STIX1_VALUE_GUESSED', f.at, f.guess, objectId));
  const condition = f.condition ?? 'Equals';
  const exact = condition === 'Equals' || condition === 'DoesNotEqual';
  const hashName = hashNameOf(f.path);
  const values: (string | number)[] = [];
  for (const raw of f.values) {
    if (f.valueType === 'binary') {
      if (raw.length > 65536) {
        issues.push(
          issue('warning', 'STIX1_VALUE_TOO_LARGE', f.at, 'artifact payload larger than 64 KiB left out of the pattern', objectId),
        );
        continue;
      }
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) {
        issues.push(issue('warning', 'INVALID_VALUE', f.at, 'artifact payload is not base64', objectId));
        continue;
      }
      values.push(raw);
      continue;
    }
    const checked = checkValue(f.valueType, raw, exact, f.root, hashName);
    if (checked.code !== undefined && checked.note !== undefined) {
      issues.push(issue(checked.code === 'REFANGED' ? 'info' : 'warning', checked.code, f.at, checked.note, objectId));
    }
    if (checked.value !== undefined) values.push(checked.value);
  }
  if (values.length === 0) return undefined;
  const one = (v: string | number): Comparison | undefined => {
    if (f.valueType === 'binary' && typeof v === 'string') return cmp(f.root, f.path, '=', { kind: 'binary', value: v });
    const value = literal(f.valueType, v);
    switch (condition) {
      case 'Equals':
        return cmp(f.root, f.path, '=', value);
      case 'DoesNotEqual':
        return cmp(f.root, f.path, '!=', value);
      case 'Contains':
        return substringComparison(f.root, f.path, 'contains', String(v));
      case 'DoesNotContain':
        return substringComparison(f.root, f.path, 'contains', String(v), true);
      case 'StartsWith':
        return substringComparison(f.root, f.path, 'starts', String(v));
      case 'EndsWith':
        return substringComparison(f.root, f.path, 'ends', String(v));
      case 'FitsPattern':
        return cmp(f.root, f.path, 'MATCHES', str(String(v)));
      default: {
        const op = ORDER_OPS[condition];
        if (op !== undefined) return cmp(f.root, f.path, op, value);
        return undefined;
      }
    }
  };
  if (condition === 'Equals' && f.applyCondition === 'ANY' && values.length > 1) {
    return cmp(f.root, f.path, 'IN', { kind: 'set', values });
  }
  if (condition === 'InclusiveBetween' || condition === 'ExclusiveBetween') {
    const [low, high] = values;
    if (values.length !== 2 || low === undefined || high === undefined) {
      issues.push(issue('warning', 'STIX1_CONDITION_UNSUPPORTED', f.at, `condition '${condition}' needs exactly two values`, objectId));
      return undefined;
    }
    const inclusive = condition === 'InclusiveBetween';
    // An address range: string order is not address order, so the exact CIDR blocks (ISSUBSET), not >= / <=.
    const blocks = isAddressValue(f) ? addressRangeCidrs(String(low), String(high), !inclusive) : undefined;
    if (blocks !== undefined)
      return combine(
        'or',
        blocks.map((b) => cmp(f.root, f.path, 'ISSUBSET', str(b))),
      );
    return combine('and', [
      cmp(f.root, f.path, inclusive ? '>=' : '>', literal(f.valueType, low)),
      cmp(f.root, f.path, inclusive ? '<=' : '<', literal(f.valueType, high)),
    ]);
  }
  const parts: Expr[] = [];
  for (const v of values) {
    const c = one(v);
    if (c === undefined) {
      issues.push(
        issue('warning', 'STIX1_CONDITION_UNSUPPORTED', f.at, `condition '${condition}' has no STIX 2.1 pattern equivalent`, objectId),
      );
      return undefined;
    }
    parts.push(c);
  }
  return combine(f.applyCondition === 'ALL' ? 'and' : 'or', parts);
}

/** Sets `path` in `target`, creating objects on the way; a `*` segment is list position `index` (or appends when last). */
function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown, index?: number): boolean {
  let cur: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < path.length; i++) {
    const k = path[i];
    const last = i === path.length - 1;
    if (k === undefined) return false;
    if (Array.isArray(cur)) {
      if (k !== '*') return false;
      if (last) {
        if (!cur.includes(value)) cur.push(value);
        return true;
      }
      if (index === undefined) return false;
      const item: unknown = cur[index];
      if (typeof item === 'object' && item !== null && !Array.isArray(item)) cur = item as Record<string, unknown>;
      else {
        const fresh: Record<string, unknown> = {};
        while (cur.length < index) cur.push({});
        cur[index] = fresh;
        cur = fresh;
      }
      continue;
    }
    if (k === '*') return false;
    if (last) {
      cur[k] = value;
      return true;
    }
    const next: unknown = cur[k];
    if (typeof next === 'object' && next !== null) cur = next as Record<string, unknown> | unknown[];
    else {
      const fresh: Record<string, unknown> | unknown[] = path[i + 1] === '*' ? [] : {};
      cur[k] = fresh;
      cur = fresh;
    }
  }
  return false;
}

/** The SCO type an `x_ref.value` (or `x_ref.<prop>`) holds, and the property the value goes to. */
function refTarget(head: string, prop: string, value: string): { type: string; prop: string } {
  if (head === 'parent_directory_ref') return { type: 'directory', prop: 'path' };
  if (head === 'image_ref') return { type: 'file', prop };
  if (head === 'parent_ref' || head === 'child_refs') return { type: 'process', prop };
  if (head === 'creator_user_ref') return { type: 'user-account', prop };
  if (head === 'message_body_data_ref') return { type: 'artifact', prop };
  if (/^(from|sender|to|cc|bcc)_refs?$/.test(head)) return { type: 'email-addr', prop: 'value' };
  if (/^[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}$/i.test(value)) return { type: 'mac-addr', prop: 'value' };
  if (value.includes(':')) return { type: 'ipv6-addr', prop: 'value' };
  return { type: /^[0-9./]+$/.test(value) ? 'ipv4-addr' : 'domain-name', prop: 'value' };
}

/** A UUID of version 4 form, derived from a seed: for SCOs without ID-contributing properties, so a re-import keeps the id. */
function stableV4(seed: string): string {
  const h = sha256(seed, 'hex');
  const variant = '89ab'.charAt(parseInt(h.charAt(16), 16) & 0x3);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Types whose objects are valid without any ID-contributing property (none of their properties is required):
 * such an object gets a UUIDv4 id (STIX 2.1 §2.9), not dropped. Before, only processes did; an x509
 * certificate with issuer and validity but no serial number or hash was lost.
 */
const V4_WHEN_UNIDENTIFIED = new Set(['process', 'x509-certificate', 'windows-registry-key', 'user-account', 'email-message']);

/** Properties that say nothing about the observed object by themselves. */
const BOOKKEEPING = new Set(['type', 'spec_version', 'is_multipart']);

function withId(sco: Record<string, unknown>, seed: string): StixObject | undefined {
  const type = String(sco['type']);
  // A file MUST have hashes or a name (STIX 2.1 §6.7); extensions alone (a PDF's info, PE headers) give an id but
  // not a valid object: it is reported as empty instead.
  if (type === 'file' && sco['hashes'] === undefined && sco['name'] === undefined) return undefined;
  const id =
    deterministicScoId(sco) ??
    ((V4_WHEN_UNIDENTIFIED.has(type) || isCustomObservableType(type)) && Object.keys(sco).some((k) => !BOOKKEEPING.has(k))
      ? `${type}--${stableV4(`${seed}\u0000${JSON.stringify(sco)}`)}`
      : undefined);
  if (id === undefined) return undefined;
  return { ...sco, id, type };
}

function scoValue(f: Fact, v: string | number): unknown {
  if (f.valueType === 'bool') return v === 'true';
  return v;
}

/** One observed fact into the SCO being built (refs become their own SCOs); false when it has no place. */
function placeFact(sco: Record<string, unknown>, f: Fact, value: string | number, refs: StixObject[], seed: string): boolean {
  const [head, second, third] = f.path;
  const root = String(sco['type']);
  if (head !== undefined && head.endsWith('_ref') && second !== undefined && f.path.length === 2) {
    const t = refTarget(head, second, String(value));
    const ref = withId({ type: t.type, spec_version: '2.1', [t.prop]: scoValue(f, value) }, seed);
    if (ref === undefined) return false;
    refs.push(ref);
    sco[head] = ref.id;
    return true;
  }
  if (head !== undefined && head.endsWith('_refs') && second === '*' && third !== undefined && f.path.length === 3) {
    const t = refTarget(head, third, String(value));
    const ref = withId({ type: t.type, spec_version: '2.1', [t.prop]: value }, seed);
    if (ref === undefined) return false;
    refs.push(ref);
    const list = Array.isArray(sco[head]) ? (sco[head] as unknown[]) : [];
    if (!list.includes(ref.id)) list.push(ref.id);
    sco[head] = list;
    return true;
  }
  // A reference inside an extension (`extensions.'http-request-ext'.message_body_data_ref.payload_bin`).
  const refAt = f.path.length - 2;
  const refName = f.path[refAt];
  const refProp = f.path[refAt + 1];
  if (refAt > 0 && refName?.endsWith('_ref') === true && refProp !== undefined && f.path[0] === 'extensions') {
    const t = refTarget(refName, refProp, String(value));
    const ref = withId({ type: t.type, spec_version: '2.1', [t.prop]: scoValue(f, value) }, seed);
    if (ref === undefined) return false;
    refs.push(ref);
    return setPath(sco, f.path.slice(0, refAt + 1), ref.id);
  }
  if (root === 'windows-registry-key' && head === 'values' && second === '*' && third !== undefined) {
    const vals = sco['values'];
    if (Array.isArray(vals) && typeof vals[0] === 'object' && vals[0] !== null) (vals[0] as Record<string, unknown>)[third] = value;
    return true;
  }
  return setPath(sco, f.path, scoValue(f, value), f.index);
}

function hasScheme(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value);
}

/**
 * A `url` SCO value MUST be a URI (with a scheme). A scheme-less value that is a bare domain becomes a
 * domain-name; anything else is reported with its value and left out (no scheme is invented).
 */
function urlWithoutScheme(sco: Record<string, unknown>, value: string, issues: ContentIssue[], at: string, objectId?: string): void {
  const domain = canonicalDomain(value);
  if (domain !== undefined) {
    sco['type'] = 'domain-name';
    sco['value'] = domain;
    issues.push(
      issue('info', 'STIX1_URL_WITHOUT_SCHEME', at, `URI '${value.slice(0, 200)}' has no scheme; kept as the domain name it is`, objectId),
    );
    return;
  }
  issues.push(
    issue(
      'warning',
      'STIX1_URL_WITHOUT_SCHEME',
      at,
      `URI '${value.slice(0, 200)}' has no scheme and cannot be a url object; left out`,
      objectId,
    ),
  );
}

/**
 * network-traffic MUST name an endpoint and its protocols. Without Layer4_Protocol, the IP version of the
 * endpoints is the protocol known for sure (reported); without any endpoint the traffic cannot be kept.
 */
function completeTraffic(
  sco: Record<string, unknown>,
  refs: readonly StixObject[],
  issues: ContentIssue[],
  at: string,
  objectId?: string,
): boolean {
  if (sco['src_ref'] === undefined && sco['dst_ref'] === undefined) {
    issues.push(
      issue(
        'warning',
        'STIX1_OBSERVABLE_EMPTY',
        at,
        'network traffic without a source or destination address cannot be an observed object',
        objectId,
      ),
    );
    return false;
  }
  const extensions = sco['extensions'];
  if (typeof extensions === 'object' && extensions !== null) {
    const ext = extensions as Record<string, unknown>;
    const socket = ext['socket-ext'];
    if (typeof socket === 'object' && socket !== null && !('address_family' in socket)) {
      // address_family is required in socket-ext: without it the socket facts cannot be an observed extension.
      delete ext['socket-ext'];
      if (Object.keys(ext).length === 0) delete sco['extensions'];
      issues.push(issue('warning', 'STIX1_PROPERTY_UNMAPPED', at, 'socket properties without an address family are not kept', objectId));
    }
  }
  if (!Array.isArray(sco['protocols']) || sco['protocols'].length === 0) {
    const types = new Set(refs.map((r) => r.type));
    const proto = types.has('ipv6-addr') ? 'ipv6' : 'ipv4';
    sco['protocols'] = [proto];
    issues.push(
      issue('info', 'STIX1_VALUE_GUESSED', at, `no protocol stated; protocols taken as ['${proto}'] from the addresses`, objectId),
    );
  }
  return true;
}

/**
 * Builds SCOs from the facts of one observed object (instance data: only Equals values are facts; anything
 * with another condition is a pattern and is reported). Referenced objects come before the object itself.
 */
/** Each group of facts → its SCOs; the id of the last one of `type` in each group (the object the group describes). */
function buildGroups(
  groups: Map<number, Fact[]>,
  type: string,
  issues: ContentIssue[],
  objectId?: string,
): { objects: StixObject[]; ids: string[] } {
  const objects: StixObject[] = [];
  const ids: string[] = [];
  for (const group of groups.values()) {
    const built = factsToScos(group, issues, objectId);
    const main = built.filter((o) => o.type === type).at(-1);
    if (main === undefined) continue;
    objects.push(...built);
    ids.push(main.id);
  }
  return { objects, ids };
}

export function factsToScos(facts: readonly Fact[], issues: ContentIssue[], objectId?: string): StixObject[] {
  const { own, contained, connections } = splitContained(facts);
  const archived = buildGroups(contained, 'file', issues, objectId);
  const opened = buildGroups(connections, 'network-traffic', issues, objectId);
  const containedObjects = [...archived.objects, ...opened.objects];
  const containedIds = archived.ids;
  const byRoot = new Map<string, Fact[]>();
  for (const f of own) {
    const list = byRoot.get(f.root) ?? [];
    list.push(f);
    byRoot.set(f.root, list);
  }
  const out: StixObject[] = [];
  for (const [root, list] of byRoot) {
    const sco: Record<string, unknown> = { type: root, spec_version: '2.1' };
    if (root === 'email-message') sco['is_multipart'] = false;
    if (root === 'windows-registry-key') sco['values'] = [{}];
    const refs: StixObject[] = [];
    const seed = `${objectId ?? ''}\u0000${list[0]?.at ?? ''}`;
    for (const f of partialValuesKept(list, issues, objectId)) {
      const condition = f.condition ?? 'Equals';
      if (f.guess !== undefined) issues.push(issue('info', 'STIX1_VALUE_GUESSED', f.at, f.guess, objectId));
      const range = observedAddressRange(f, condition);
      if (range !== undefined) {
        if (!placeFact(sco, f, range, refs, seed)) {
          issues.push(
            issue('info', 'STIX1_PROPERTY_UNMAPPED', f.at, `observed property ${root}:${f.path.join('.')} is not kept`, objectId),
          );
        }
        continue;
      }
      if (condition !== 'Equals' || f.values.length !== 1) {
        issues.push(
          issue(
            'warning',
            'STIX1_PATTERN_IN_OBSERVABLE',
            f.at,
            `condition '${condition}' or a value list cannot be an observed value; left out`,
            objectId,
          ),
        );
        continue;
      }
      const checked = checkValue(f.valueType, f.values[0] ?? '', true, root, hashNameOf(f.path));
      if (checked.code !== undefined && checked.note !== undefined) {
        issues.push(issue(checked.code === 'REFANGED' ? 'info' : 'warning', checked.code, f.at, checked.note, objectId));
      }
      if (checked.value === undefined) continue;
      if (root === 'url' && f.path[0] === 'value' && !hasScheme(String(checked.value))) {
        urlWithoutScheme(sco, String(checked.value), issues, f.at, objectId);
        continue;
      }
      if (!placeFact(sco, f, checked.value, refs, seed)) {
        issues.push(issue('info', 'STIX1_PROPERTY_UNMAPPED', f.at, `observed property ${root}:${f.path.join('.')} is not kept`, objectId));
      }
    }
    if (root === 'windows-registry-key') {
      const vals = sco['values'];
      if (Array.isArray(vals) && Object.keys((vals[0] as Record<string, unknown> | undefined) ?? {}).length === 0) delete sco['values'];
    }
    if (root === 'network-traffic' && !completeTraffic(sco, refs, issues, list[0]?.at ?? '/', objectId)) {
      // The traffic cannot be an object, but what it points at (a request body's artifact) still was observed.
      out.push(...refs);
      continue;
    }
    if (root === 'file') attachContained(sco, containedIds, issues, list[0]?.at ?? '/', objectId);
    if (root === 'process' && opened.ids.length > 0) sco['opened_connection_refs'] = [...opened.ids];
    const built = withId(sco, seed);
    if (built === undefined) {
      issues.push(issue('warning', 'STIX1_OBSERVABLE_EMPTY', list[0]?.at ?? '/', `no identifying property for a ${root} object`, objectId));
      continue;
    }
    out.push(...containedObjects, ...refs, built);
  }
  return out;
}

const PARTIAL = new Set(['StartsWith', 'Contains', 'EndsWith']);

/**
 * An observed object written with StartsWith / Contains / EndsWith values (producers do this, e.g. a file name
 * and a File_Extension): the parts of one property are joined in that order into its observed value, reported
 * (`STIX1_CONDITION_DROPPED`), instead of losing the value. An Equals value of the same property wins.
 */
function partialValuesKept(list: readonly Fact[], issues: ContentIssue[], objectId?: string): Fact[] {
  const key = (f: Fact): string => f.path.join('.');
  const exact = new Set(list.filter((f) => (f.condition ?? 'Equals') === 'Equals').map(key));
  const parts = new Map<string, Fact[]>();
  const out: Fact[] = [];
  for (const f of list) {
    const partial = PARTIAL.has(f.condition ?? 'Equals') && f.values.length === 1 && !exact.has(key(f));
    if (!partial) out.push(f);
    else parts.set(key(f), [...(parts.get(key(f)) ?? []), f]);
  }
  for (const group of parts.values()) {
    const first = group[0];
    if (first === undefined) continue;
    const ordered = ['StartsWith', 'Contains', 'EndsWith'].flatMap((c) => group.filter((f) => f.condition === c));
    let value = '';
    for (const f of ordered) {
      const v = f.values[0] ?? '';
      if (f.condition === 'EndsWith' && value.endsWith(v)) continue;
      value += v;
    }
    const conditions = [...new Set(ordered.map((f) => f.condition))].join(', ');
    issues.push(
      issue(
        'warning',
        'STIX1_CONDITION_DROPPED',
        first.at,
        `observed ${first.root}:${key(first)} given with ${conditions}: kept as the value '${value.slice(0, 120)}'`,
        objectId,
      ),
    );
    out.push({ ...first, values: [value], condition: 'Equals' });
  }
  return out;
}

/** Splits the facts of an archive's contained files (under `contains_refs[*]`) from the archive's own, by file. */
/** Facts of a process's connections (`opened_connection_refs[*].…`): each connection its own network-traffic. */
const PROCESS_CONNECTIONS = ['opened_connection_refs', '*'] as const;

interface SplitFacts {
  readonly own: Fact[];
  /** Archived files by position. */
  readonly contained: Map<number, Fact[]>;
  /** A process's connections by position, as network-traffic facts. */
  readonly connections: Map<number, Fact[]>;
}

function splitContained(facts: readonly Fact[]): SplitFacts {
  const out: SplitFacts = { own: [], contained: new Map(), connections: new Map() };
  for (const f of facts) {
    const archived = f.root === 'file' && ARCHIVE_CONTAINS.every((p, i) => f.path[i] === p);
    const connection = f.root === 'process' && PROCESS_CONNECTIONS.every((p, i) => f.path[i] === p);
    if (!archived && !connection) {
      out.own.push(f);
      continue;
    }
    const [target, prefix, root] = archived
      ? [out.contained, ARCHIVE_CONTAINS.length, 'file']
      : [out.connections, PROCESS_CONNECTIONS.length, 'network-traffic'];
    const key = f.index ?? 0;
    const list = target.get(key) ?? [];
    const { index, ...rest } = f;
    void index;
    list.push({ ...rest, root, path: f.path.slice(prefix) });
    target.set(key, list);
  }
  return out;
}

/** The archive extension lists the contained files; without any it cannot exist (contains_refs is required). */
function attachContained(
  sco: Record<string, unknown>,
  ids: readonly string[],
  issues: ContentIssue[],
  at: string,
  objectId?: string,
): void {
  const extensions = sco['extensions'];
  const ext = typeof extensions === 'object' && extensions !== null ? (extensions as Record<string, unknown>) : undefined;
  if (ids.length === 0) {
    if (ext?.['archive-ext'] === undefined) return;
    delete ext['archive-ext'];
    if (Object.keys(ext).length === 0) delete sco['extensions'];
    issues.push(issue('warning', 'STIX1_PROPERTY_UNMAPPED', at, 'archive properties without any archived file are not kept', objectId));
    return;
  }
  const all = ext ?? {};
  const archive =
    typeof all['archive-ext'] === 'object' && all['archive-ext'] !== null ? (all['archive-ext'] as Record<string, unknown>) : {};
  archive['contains_refs'] = [...ids];
  all['archive-ext'] = archive;
  sco['extensions'] = all;
}

/** An IP address value (of an address object or a traffic end), where a range is a set of CIDR blocks. */
function isAddressValue(f: Fact): boolean {
  const last = f.path[f.path.length - 1];
  if (last !== 'value' || (f.valueType !== 'ip' && f.valueType !== 'string')) return false;
  if (f.root === 'ipv4-addr' || f.root === 'ipv6-addr') return f.path.length === 1;
  return f.path.length === 2 && (f.path[0] === 'src_ref' || f.path[0] === 'dst_ref');
}

/** An observed address range that is exactly one CIDR block → that block (an address object's value may be CIDR). */
function observedAddressRange(f: Fact, condition: string): string | undefined {
  if (condition !== 'InclusiveBetween' && condition !== 'ExclusiveBetween') return undefined;
  if (f.values.length !== 2 || !isAddressValue(f) || f.path.length !== 1) return undefined;
  const [low, high] = f.values;
  if (low === undefined || high === undefined) return undefined;
  const blocks = addressRangeCidrs(low, high, condition === 'ExclusiveBetween');
  return blocks?.length === 1 ? blocks[0] : undefined;
}
