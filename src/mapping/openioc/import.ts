/**
 * OpenIOC 1.0 / 1.1 → STIX 2.1 (docs/mapping/openioc.md). Pure: text in, objects and issues out.
 *
 * The Indicator AND/OR tree becomes STIX patterns: an AND keeps its same-root terms in one observation and
 * joins other roots as separate observations with AND; an OR splits into alternatives. One indicator per
 * top-level OR branch (a root AND makes one indicator for the whole IOC); the IOC itself becomes a report.
 * Terms without an SCO are kept in `x_openioc_terms` and each is listed as an issue.
 */
import { issue, type ContentIssue } from '../../stix/issues';
import { derivedId, indicator, organizationIdentity } from '../common/stix-builders';
import { type XmlElement, attr, child, children, parseXml, textOf } from '../common/xml';
import type { ImportOptions, ImportResult, StixObject } from '../types';
import {
  cmp,
  combine,
  type Comparison,
  type Expr,
  type Operator,
  type PatternValue,
  renderPattern,
  str,
  substringComparison,
} from '../stix1/pattern-tree';
import { toStixTimestamp } from '../stix1/timestamps';
import { checkValue } from '../stix1/values';
import { termMapping, type TermMapping } from './terms';

export const OPENIOC_10_NS = 'http://schemas.mandiant.com/2010/ioc';
export const OPENIOC_11_NS = 'http://openioc.org/schemas/OpenIOC_1.1';
const FORMAT = 'OpenIOC';
const MAX_TREE_DEPTH = 64;
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A term kept as-is because it has no STIX 2.1 object (the `x_openioc_terms` entries). */
export interface OpeniocTerm {
  readonly search: string;
  readonly condition: string;
  readonly value: string;
  readonly negate?: boolean;
  /** The term sat in an AND next to terms that made the pattern: it narrows that pattern (STIX 1 export uses it). */
  readonly and_pattern?: true;
}

interface Branch {
  readonly expr?: Expr;
  readonly unmapped: OpeniocTerm[];
  /** Snort rules met as a whole branch. */
  readonly snort: string[];
}

class Converter {
  readonly issues: ContentIssue[] = [];
  readonly notesDone = new Set<string>();
  /** Full-path terms rewritten as a file name plus a directory, as written (STIX 2.1 has no full-path property). */
  readonly fullPaths: OpeniocTerm[] = [];
  constructor(readonly ns: string) {}

  item(el: XmlElement): Branch {
    const ctx = child(el, this.ns, 'Context');
    const contentEl = child(el, this.ns, 'Content');
    const search = (ctx === undefined ? undefined : attr(ctx, 'search')) ?? '';
    let value = contentEl === undefined ? '' : contentEl.text;
    if (value.trim() === '') value = '';
    const id = attr(el, 'id');
    if (value === '' && id !== undefined && !UUID_RE.test(id)) {
      // Old MISP exports wrote the value into the item id and left Content empty.
      value = id;
      this.issues.push(issue('info', 'OPENIOC_VALUE_FROM_ID', el.path, 'empty Content; the IndicatorItem id is taken as the value'));
    }
    const condition = (attr(el, 'condition') ?? 'is').toLowerCase();
    const negate = (attr(el, 'negate') ?? 'false').toLowerCase() === 'true';
    const term: OpeniocTerm = negate ? { search, condition, value, negate } : { search, condition, value };
    if (value === '') {
      this.issues.push(issue('warning', 'OPENIOC_EMPTY_CONTENT', el.path, `IndicatorItem ${search} has no value`));
      return { unmapped: [], snort: [] };
    }
    if (search.toLowerCase() === 'snort/snort') return { unmapped: [term], snort: [value] };
    const mapping = termMapping(search);
    if (mapping === undefined) {
      this.issues.push(
        issue(
          'warning',
          'OPENIOC_TERM_UNMAPPED',
          el.path,
          `term ${search || '(no search)'} has no STIX 2.1 object; kept in x_openioc_terms`,
        ),
      );
      return { unmapped: [term], snort: [] };
    }
    if (mapping.note !== undefined && !this.notesDone.has(search)) {
      this.notesDone.add(search);
      this.issues.push(issue('info', 'OPENIOC_TERM_GUESSED', el.path, `${search}: ${mapping.note}`));
    }
    const expr = this.comparison(el, mapping, condition, negate, value);
    if (expr === undefined) return { unmapped: [term], snort: [] };
    if (mapping.special === 'fullpath' && /[\\/]/.test(value)) this.fullPaths.push(term);
    return { expr, unmapped: [], snort: [] };
  }

  comparison(el: XmlElement, m: TermMapping, condition: string, negateAttr: boolean, raw: string): Expr | undefined {
    let negated = negateAttr;
    let kind: 'eq' | 'contains' | 'starts' | 'ends' | 'matches' | 'gt' | 'lt';
    switch (condition) {
      case 'is':
        kind = 'eq';
        break;
      case 'isnot':
        kind = 'eq';
        negated = !negated;
        break;
      case 'contains':
        kind = 'contains';
        break;
      case 'containsnot':
        kind = 'contains';
        negated = !negated;
        break;
      case 'starts-with':
        kind = 'starts';
        break;
      case 'ends-with':
        kind = 'ends';
        break;
      case 'matches':
        kind = 'matches';
        break;
      case 'greater-than':
        kind = 'gt';
        break;
      case 'less-than':
        kind = 'lt';
        break;
      default:
        this.issues.push(issue('warning', 'OPENIOC_CONDITION_UNSUPPORTED', el.path, `condition '${condition}' is not supported`));
        return undefined;
    }
    let root = m.root;
    const path = m.path;
    const exact = kind === 'eq';
    if (m.special === 'ip' || m.special === 'host') {
      const v = raw.trim();
      if (v.includes(':')) root = 'ipv6-addr';
      else if (m.special === 'host' && !/^[0-9./]+$/.test(v)) root = 'domain-name';
    }
    const valueType = root === 'domain-name' && m.special === 'host' ? 'domain' : m.valueType;
    const checked = checkValue(valueType, raw, exact, root, m.path[m.path.length - 1]);
    if (checked.code !== undefined && checked.note !== undefined) {
      this.issues.push(issue(checked.code === 'REFANGED' ? 'info' : 'warning', checked.code, el.path, checked.note));
    }
    if (checked.value === undefined) return undefined;
    // Protocol names are lower case in STIX 2.1 (IANA service names): `UDP` would never match an SCO's `udp`.
    const value = m.path[0] === 'protocols' && typeof checked.value === 'string' ? checked.value.toLowerCase() : checked.value;
    if (m.special === 'fullpath') return this.fullPath(el, m.base ?? [], kind, String(value), negated);
    if (kind === 'contains' || kind === 'starts' || kind === 'ends') {
      return substringComparison(root, path, kind, String(value), negated, 'LIKE');
    }
    if (kind === 'matches') return cmp(root, path, 'MATCHES', str(String(value)), negated);
    const pv: PatternValue =
      typeof value === 'number' ? { kind: 'int', value } : valueType === 'timestamp' ? { kind: 'timestamp', value } : str(value);
    const op: Operator = kind === 'gt' ? '>' : kind === 'lt' ? '<' : '=';
    return cmp(root, path, op, pv, negated);
  }

  /** A full path splits into the file name and its directory (both on the same root). */
  fullPath(el: XmlElement, base: readonly string[], kind: string, value: string, negated: boolean): Expr | undefined {
    const root = base.length > 0 ? 'process' : 'file';
    const namePath = [...base, 'name'];
    const dirPath = [...base, 'parent_directory_ref', 'path'];
    const cut = Math.max(value.lastIndexOf('\\'), value.lastIndexOf('/'));
    const name = value.slice(cut + 1);
    const dir = cut >= 0 ? value.slice(0, cut) : '';
    let parts: Comparison[];
    if (kind === 'eq' && cut >= 0 && name !== '') {
      parts = [cmp(root, namePath, '=', str(name), negated), cmp(root, dirPath, '=', str(dir), negated)];
    } else if (kind === 'ends' && cut >= 0 && name !== '') {
      parts = [cmp(root, namePath, '=', str(name), negated)];
      if (dir !== '') parts.push(substringComparison(root, dirPath, 'ends', dir, negated, 'LIKE'));
    } else if (kind === 'ends' || (kind === 'eq' && cut < 0)) {
      parts = [
        kind === 'eq' ? cmp(root, namePath, '=', str(value), negated) : substringComparison(root, namePath, 'ends', value, negated, 'LIKE'),
      ];
    } else if (kind === 'contains' && cut > 0 && name !== '') {
      // `...\dir\file.exe` somewhere in the path: the file name starts with the last segment.
      parts = [
        substringComparison(root, namePath, 'starts', name, negated, 'LIKE'),
        substringComparison(root, dirPath, 'contains', dir, negated, 'LIKE'),
      ];
      this.issues.push(
        issue(
          'info',
          'OPENIOC_PATH_APPROXIMATED',
          el.path,
          'a full-path substring is split into a file-name prefix and a directory substring',
        ),
      );
    } else if (kind === 'starts' || kind === 'contains') {
      parts = [substringComparison(root, dirPath, kind, value, negated, 'LIKE')];
      this.issues.push(
        issue('info', 'OPENIOC_PATH_APPROXIMATED', el.path, 'a full-path substring is matched against the directory path only'),
      );
    } else if (kind === 'matches') {
      parts = [cmp(root, dirPath, 'MATCHES', str(value), negated)];
      this.issues.push(issue('info', 'OPENIOC_PATH_APPROXIMATED', el.path, 'a full-path regex is matched against the directory path only'));
    } else {
      this.issues.push(issue('warning', 'OPENIOC_CONDITION_UNSUPPORTED', el.path, `condition ${kind} on a path is not supported`));
      return undefined;
    }
    // NOT (a AND b) = NOT a OR NOT b: De Morgan is legal here because both comparisons share one root.
    return combine(negated ? 'or' : 'and', parts);
  }

  node(el: XmlElement, depth: number): Branch {
    if (el.local === 'IndicatorItem') return this.item(el);
    if (depth > MAX_TREE_DEPTH) {
      this.issues.push(issue('warning', 'OPENIOC_TREE_TOO_DEEP', el.path, 'indicator tree nested too deeply; branch skipped'));
      return { unmapped: [], snort: [] };
    }
    const op = (attr(el, 'operator') ?? 'OR').toUpperCase() === 'AND' ? 'and' : 'or';
    const exprs: Expr[] = [];
    const unmapped: OpeniocTerm[] = [];
    const own = new Set<OpeniocTerm>();
    for (const c of el.children) {
      if (c.ns !== this.ns || (c.local !== 'Indicator' && c.local !== 'IndicatorItem')) continue;
      const b = this.node(c, depth + 1);
      if (b.expr !== undefined) exprs.push(b.expr);
      unmapped.push(...b.unmapped);
      if (c.local === 'IndicatorItem') for (const t of b.unmapped) own.add(t);
    }
    if (op === 'and' && exprs.length > 0 && own.size > 0) {
      const marked = unmapped.map((t): OpeniocTerm => (own.has(t) ? { ...t, and_pattern: true } : t));
      unmapped.splice(0, unmapped.length, ...marked);
    }
    if (op === 'and' && unmapped.length > 0 && exprs.length > 0) {
      this.issues.push(
        issue(
          'warning',
          'OPENIOC_AND_BROADENED',
          el.path,
          `${unmapped.length} term(s) of this AND have no STIX mapping; the pattern matches more than the original`,
        ),
      );
    }
    return { expr: combine(op, exprs), unmapped, snort: [] };
  }
}

function emptyResult(issues: ContentIssue[]): ImportResult {
  return { objects: [], issues, stats: { indicators: 0, observables: 0, otherObjects: 0, skipped: 0 } };
}

/** Imports one OpenIOC 1.0 or 1.1 document. Never throws: bad input yields one error issue and no objects. */
export function importOpenioc(input: string | Buffer, options: ImportOptions): ImportResult {
  const parsed = parseXml(input, { format: FORMAT });
  const root = parsed.root;
  if (root === undefined) return emptyResult(parsed.issues);
  let ns: string;
  if (root.ns === OPENIOC_10_NS && root.local === 'ioc') ns = OPENIOC_10_NS;
  else if (root.ns === OPENIOC_11_NS && root.local === 'OpenIOC') ns = OPENIOC_11_NS;
  else {
    return emptyResult([
      ...parsed.issues,
      issue(
        'error',
        'OPENIOC_NOT_AN_IOC',
        root.path,
        `not an OpenIOC document: root element is {${root.ns}}${root.local}, expected {${OPENIOC_10_NS}}ioc or {${OPENIOC_11_NS}}OpenIOC`,
      ),
    ]);
  }
  const conv = new Converter(ns);
  conv.issues.push(...parsed.issues);
  try {
    return convert(root, ns, conv, options);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return emptyResult([
      ...conv.issues,
      issue('error', 'OPENIOC_INTERNAL', root.path, `OpenIOC conversion failed: ${message.slice(0, 200)}`),
    ]);
  }
}

/** One OpenIOC 1.1 parameter: the item it annotates (`ref_id`), its name (`comment`, `score`, …) and its value. */
interface OpeniocParameter {
  readonly ref_id?: string;
  readonly name?: string;
  readonly value: string;
}

/**
 * The parameters of an OpenIOC 1.1 document (`<param ref-id=… name=…><value>…</value></param>`), kept on the report
 * as `x_openioc_parameters` so an analyst's comment or score on an item is not lost.
 */
function readParameters(params: XmlElement | undefined, ns: string): OpeniocParameter[] {
  if (params === undefined) return [];
  return children(params, ns, 'param').flatMap((p) => {
    const value = textOf(child(p, ns, 'value')) ?? textOf(p);
    if (value === undefined) return [];
    const refId = attr(p, 'ref-id');
    const name = attr(p, 'name');
    return [{ ...(refId !== undefined ? { ref_id: refId } : {}), ...(name !== undefined ? { name } : {}), value }];
  });
}

/** The IOC's own UUID goes to the report unless an indicator took it (one UUID for two types is a MUST NOT). */
function reportId(iocId: string, name: string | undefined, indicatorIds: readonly string[]): string {
  const own = iocId.toLowerCase();
  return UUID_RE.test(iocId) && !indicatorIds.includes(`indicator--${own}`)
    ? `report--${own}`
    : derivedId('report', 'openioc', iocId, name ?? '');
}

function convert(root: XmlElement, ns: string, conv: Converter, options: ImportOptions): ImportResult {
  const meta = ns === OPENIOC_11_NS ? (child(root, ns, 'metadata') ?? root) : root;
  const iocId = attr(root, 'id')?.trim() ?? '';
  const name = textOf(child(meta, ns, 'short_description'));
  const description = textOf(child(meta, ns, 'description'));
  const author = textOf(child(meta, ns, 'authored_by'));
  const authored = toStixTimestamp(textOf(child(meta, ns, 'authored_date')))?.value;
  // The file's own times, never the clock when it has one: a re-import of the same file gives the same versions.
  const modified = toStixTimestamp(attr(root, 'last-modified'))?.value ?? authored ?? options.now;
  const created = authored !== undefined && authored <= modified ? authored : modified;
  const objects: StixObject[] = [];
  let createdBy = options.source?.identity;
  if (author !== undefined) {
    const ident = organizationIdentity(author, created);
    objects.push(ident);
    createdBy = ident.id;
  }
  const methodology = /\(methodology\)/i.test(name ?? '');
  const links = children(child(meta, ns, 'links') ?? meta, ns, 'link');
  const externalReferences = links.flatMap((l) => {
    const href = attr(l, 'href');
    return href === undefined ? [] : [{ source_name: textOf(l) ?? attr(l, 'rel') ?? 'link', url: href }];
  });
  const labels = links.flatMap((l) => {
    const rel = attr(l, 'rel');
    const text = textOf(l);
    return rel === undefined || text === undefined || attr(l, 'href') !== undefined || rel === 'license'
      ? []
      : [`${rel}:${text}`.slice(0, 100)];
  });
  const parameters = ns === OPENIOC_11_NS ? readParameters(child(root, ns, 'parameters'), ns) : [];
  const container = child(root, ns, ns === OPENIOC_11_NS ? 'criteria' : 'definition');
  const top = container === undefined ? undefined : child(container, ns, 'Indicator');
  if (top === undefined) {
    return emptyResult([
      ...conv.issues,
      issue('error', 'OPENIOC_NO_CRITERIA', root.path, 'OpenIOC document has no Indicator tree (definition/criteria)'),
    ]);
  }
  const isOr = (attr(top, 'operator') ?? 'OR').toUpperCase() !== 'AND';
  const branches = isOr ? top.children.filter((c) => c.ns === ns && (c.local === 'Indicator' || c.local === 'IndicatorItem')) : [top];
  const indicatorIds: string[] = [];
  const orphanTerms: OpeniocTerm[] = [];
  let skipped = 0;
  const base = {
    created,
    modified,
    valid_from: created,
    name,
    description,
    indicator_types: [methodology ? 'anomalous-activity' : 'malicious-activity'],
    created_by_ref: createdBy,
    labels,
    external_references: externalReferences,
  };
  branches.forEach((b, i) => {
    const branchId = attr(b, 'id');
    const id =
      !isOr && UUID_RE.test(iocId)
        ? `indicator--${iocId.toLowerCase()}`
        : branchId !== undefined && UUID_RE.test(branchId)
          ? `indicator--${branchId.toLowerCase()}`
          : derivedId('indicator', 'openioc', iocId, b.path, String(i));
    const pathsBefore = conv.fullPaths.length;
    const result = conv.node(b, 0);
    const fullPaths = conv.fullPaths.slice(pathsBefore);
    if (result.snort.length > 0 && result.expr === undefined) {
      for (const rule of result.snort) objects.push(indicator({ ...base, id, pattern: rule, pattern_type: 'snort' }));
      indicatorIds.push(id);
      return;
    }
    if (result.expr === undefined) {
      orphanTerms.push(...result.unmapped);
      skipped++;
      return;
    }
    const extra = {
      ...(result.unmapped.length > 0 ? { x_openioc_terms: result.unmapped } : {}),
      ...(fullPaths.length > 0 ? { x_openioc_full_paths: fullPaths } : {}),
    };
    objects.push(indicator({ ...base, id, pattern: renderPattern(result.expr), extra }));
    indicatorIds.push(id);
  });
  if (indicatorIds.length > 0 || orphanTerms.length > 0) {
    const report: Record<string, unknown> = {
      type: 'report',
      spec_version: '2.1',
      id: reportId(iocId, name, indicatorIds),
      created,
      modified,
      name: name ?? (iocId || 'OpenIOC document'),
      published: modified,
      report_types: ['indicator'],
      object_refs: indicatorIds.length > 0 ? indicatorIds : createdBy !== undefined ? [createdBy] : [],
    };
    if (description !== undefined) report['description'] = description;
    if (createdBy !== undefined) report['created_by_ref'] = createdBy;
    if (orphanTerms.length > 0) report['x_openioc_terms'] = orphanTerms;
    if (parameters.length > 0) report['x_openioc_parameters'] = parameters;
    if ((report['object_refs'] as unknown[]).length > 0) objects.push(report as StixObject);
  }
  if (parameters.length > 0 && !objects.some((o) => o.type === 'report'))
    conv.issues.push(
      issue(
        'info',
        'OPENIOC_PARAMETERS_DROPPED',
        root.path,
        `${parameters.length} parameter(s) are not represented in STIX: no report is made`,
      ),
    );
  if (indicatorIds.length === 0)
    conv.issues.push(issue('warning', 'OPENIOC_NOTHING_CONVERTED', top.path, 'no term of this IOC maps to a STIX pattern'));
  const indicators = objects.filter((o) => o.type === 'indicator').length;
  return {
    objects,
    issues: conv.issues,
    stats: { indicators, observables: 0, otherObjects: objects.length - indicators, skipped },
  };
}
