/**
 * STIX 2.1 → OpenIOC 1.1: one document per bundle. Each indicator with a simple STIX pattern becomes a
 * branch of the root OR (a single comparison → an IndicatorItem whose id is the indicator's UUID, so a
 * re-import keeps the indicator id; otherwise an Indicator AND/OR subtree with the indicator's UUID).
 * Terms use the MIR vocabulary (EXPORT_TERMS). Unrepresentable patterns and objects are reported.
 */
import { GATEWAY_ID_NAMESPACE, parseStixId, SCO_TYPES, uuidV5 } from '../../stix/identifiers';
import { issue, type ContentIssue } from '../../stix/issues';
import { contextName } from '../common/context-names';
import { escapeXmlAttr as ea, escapeXmlText as et } from '../common/xml';
import type { ExportResult, StixObject } from '../types';
import type { Comparison, Expr } from '../stix1/pattern-tree';
import { literalFromLike, literalFromRegex, parseSimplePattern } from '../stix1/simple-pattern';
import { OPENIOC_11_NS } from './import';
import { EXPORT_TERMS } from './terms';

export interface OpeniocExportOptions {
  /** short_description of the document (default: the first report's name, else "STIX 2.1 export"). */
  readonly name?: string;
}

class CannotMap extends Error {}

function termKey(c: Comparison): string {
  let key = `${c.root}:`;
  c.path.forEach((seg, i) => {
    if (seg === '*') key += '[*]';
    else key += (i === 0 ? '' : '.') + seg;
  });
  return key;
}

class Writer {
  n = 0;
  constructor(readonly seed: string) {}
  nextId(): string {
    return uuidV5(`${this.seed}\u0000${this.n++}`, GATEWAY_ID_NAMESPACE);
  }

  item(c: Comparison, id: string): string {
    const term = EXPORT_TERMS[termKey(c)];
    if (term === undefined) throw new CannotMap(`no OpenIOC term for ${termKey(c)}`);
    const v = c.value;
    if (v.kind === 'set') {
      if (c.op !== 'IN' || c.negated) throw new CannotMap('negated IN');
      const items = v.values.map((x) => this.itemXml(term, 'is', String(x), false, this.nextId()));
      return `<Indicator operator="OR" id="${ea(id)}">${items.join('')}</Indicator>`;
    }
    const value = v.kind === 'int' ? String(v.value) : v.value;
    let condition: string;
    let negate = c.negated;
    switch (c.op) {
      case '=':
        condition = 'is';
        break;
      case '!=':
        condition = 'is';
        negate = !negate;
        break;
      case '>':
        condition = 'greater-than';
        break;
      case '<':
        condition = 'less-than';
        break;
      case 'MATCHES':
      case 'LIKE': {
        const lit = c.op === 'MATCHES' ? literalFromRegex(value) : literalFromLike(value);
        if (lit === undefined) {
          if (c.op === 'LIKE') throw new CannotMap('LIKE with inner wildcards');
          condition = 'matches';
          break;
        }
        condition = lit.kind === 'exact' ? 'is' : lit.kind === 'starts' ? 'starts-with' : lit.kind === 'ends' ? 'ends-with' : 'contains';
        return this.itemXml(term, condition, lit.value, negate, id);
      }
      default:
        throw new CannotMap(`operator ${c.op}`);
    }
    return this.itemXml(term, condition, value, negate, id);
  }

  itemXml(
    term: { search: string; document: string; contentType: string },
    condition: string,
    value: string,
    negate: boolean,
    id: string,
  ): string {
    return (
      `<IndicatorItem id="${ea(id)}" condition="${condition}" preserve-case="false" negate="${negate ? 'true' : 'false'}">` +
      `<Context document="${ea(term.document)}" search="${ea(term.search)}" type="mir"/>` +
      `<Content type="${ea(term.contentType)}">${et(value)}</Content></IndicatorItem>`
    );
  }

  node(e: Expr, id: string): string {
    if (e.kind === 'cmp') return this.item(e, id);
    const inner = e.items.map((it) => this.node(it, this.nextId())).join('');
    return `<Indicator operator="${e.kind.toUpperCase()}" id="${ea(id)}">${inner}</Indicator>`;
  }
}

/**
 * A cyber-observable object (one an observed-data points to, or posted on its own): its properties that have
 * an OpenIOC term, as one item or an AND of items about the same thing; the others are reported by value.
 */
function scoItems(o: StixObject, w: Writer, issues: ContentIssue[], path: string): string | undefined {
  const items: string[] = [];
  const left: string[] = [];
  const add = (key: string, value: unknown): void => {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const term = EXPORT_TERMS[`${o.type}:${key}`];
    if (term === undefined) left.push(`${o.type}:${key} = ${JSON.stringify(value)}`);
    else items.push(w.itemXml(term, 'is', String(value), false, w.nextId()));
  };
  for (const [key, value] of Object.entries(o)) {
    if (key === 'hashes' && typeof value === 'object' && value !== null) {
      for (const [name, h] of Object.entries(value)) add(`hashes.${name}`, h);
    } else if (SCO_NAMING.has(key)) {
      add(key, value);
    }
  }
  if (left.length > 0) {
    issues.push(issue('warning', 'OPENIOC_EXPORT_VALUE_UNSUPPORTED', path, `no OpenIOC term for ${left.join(', ').slice(0, 400)}`, o.id));
  }
  if (items.length === 0) return undefined;
  return items.length === 1 ? items[0] : `<Indicator operator="AND" id="${w.nextId()}">${items.join('')}</Indicator>`;
}

/** SCO properties that carry an observable value (the others are structure: refs, timestamps, extensions). */
const SCO_NAMING: ReadonlySet<string> = new Set([
  'value',
  'name',
  'key',
  'path',
  'size',
  'subject',
  'command_line',
  'user_id',
  'account_login',
  'serial_number',
]);

function str(o: StixObject, k: string): string | undefined {
  const v = o[k];
  return typeof v === 'string' ? v : undefined;
}

/** Converts the indicators of a bundle to one OpenIOC 1.1 document. */
/** OpenIOC link relations for the named objects an IOC is about (the others use the STIX type). */
const LINK_REL: Readonly<Record<string, string>> = { malware: 'family', 'threat-actor': 'threatgroup', 'intrusion-set': 'threatgroup' };

export function exportOpenioc(objects: readonly StixObject[], options: OpeniocExportOptions = {}): ExportResult {
  const issues: ContentIssue[] = [];
  const ids = objects.map((o) => o.id).sort();
  const w = new Writer(ids.join(','));
  const docId = uuidV5(`openioc\u0000${ids.join(',')}`, GATEWAY_ID_NAMESPACE);
  const branches: string[] = [];
  let latest = '';
  let author: string | undefined;
  const links: string[] = [];
  let context: StixObject | undefined;
  const byId = new Map(objects.map((o) => [o.id, o]));
  objects.forEach((o, index) => {
    if (SCO_TYPES.has(o.type)) {
      const items = scoItems(o, w, issues, `/objects/${index}`);
      if (items !== undefined) branches.push(items);
      return;
    }
    if (o.type !== 'indicator') {
      const named = contextName(o);
      if (named !== undefined && o.type !== 'report') {
        links.push(`<link rel="${ea(LINK_REL[o.type] ?? o.type)}">${et(named)}</link>`);
        issues.push(
          issue(
            'info',
            'OPENIOC_EXPORT_UNSUPPORTED_OBJECT',
            `/objects/${index}`,
            `${o.type} objects are not exported to OpenIOC; its name ${JSON.stringify(named)} is kept as a metadata link`,
            o.id,
          ),
        );
        context ??= o;
      } else if (!['identity', 'marking-definition', 'report', 'relationship', 'observed-data'].includes(o.type)) {
        issues.push(
          issue('info', 'OPENIOC_EXPORT_UNSUPPORTED_OBJECT', `/objects/${index}`, `${o.type} objects are not exported to OpenIOC`, o.id),
        );
      }
      return;
    }
    const modified = str(o, 'modified') ?? '';
    if (modified > latest) latest = modified;
    const creator = byId.get(str(o, 'created_by_ref') ?? '');
    author ??= creator === undefined ? undefined : str(creator, 'name');
    if (str(o, 'pattern_type') === 'snort') {
      const snort = { search: 'Snort/Snort', document: 'Snort', contentType: 'string' };
      branches.push(w.itemXml(snort, 'contains', str(o, 'pattern') ?? '', false, parseStixId(o.id)?.uuid ?? w.nextId()));
      return;
    }
    if ((str(o, 'pattern_type') ?? 'stix') !== 'stix') {
      issues.push(
        issue(
          'warning',
          'OPENIOC_EXPORT_PATTERN_UNSUPPORTED',
          `/objects/${index}/pattern_type`,
          `pattern_type '${str(o, 'pattern_type') ?? ''}' is not exported`,
          o.id,
        ),
      );
      return;
    }
    const parsed = parseSimplePattern(str(o, 'pattern') ?? '');
    const uuid = parseStixId(o.id)?.uuid ?? w.nextId();
    try {
      if ('error' in parsed) throw new CannotMap(parsed.error);
      const e = parsed.expr;
      // An OR at the top of a pattern joins the root OR directly; its first branch keeps the indicator UUID.
      branches.push(w.node(e, uuid));
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      // The pattern itself is in the message: what is left out is named by value, never dropped unreported.
      const pattern = str(o, 'pattern') ?? '';
      const shown = pattern.length > 400 ? `${pattern.slice(0, 400)}…` : pattern;
      issues.push(
        issue(
          'warning',
          'OPENIOC_EXPORT_PATTERN_UNSUPPORTED',
          `/objects/${index}/pattern`,
          `pattern not representable in OpenIOC (${why}), left out: ${shown}`,
          o.id,
        ),
      );
    }
  });
  // The document is about the report, else about the first named object (the malware the indicators indicate).
  const about = objects.find((o) => o.type === 'report') ?? context;
  const name = options.name ?? (about === undefined ? undefined : str(about, 'name')) ?? 'STIX 2.1 export';
  const description = about === undefined ? undefined : str(about, 'description');
  const stamp = latest === '' ? '1970-01-01T00:00:00Z' : latest;
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<OpenIOC xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="${OPENIOC_11_NS}" id="${docId}" last-modified="${ea(stamp)}" published-date="${ea(stamp)}">` +
    `<metadata><short_description>${et(name)}</short_description>` +
    (description === undefined ? '' : `<description>${et(description)}</description>`) +
    `<keywords/>` +
    (author === undefined ? '' : `<authored_by>${et(author)}</authored_by>`) +
    `<authored_date>${et(stamp)}</authored_date>${links.length === 0 ? '<links/>' : `<links>${links.join('')}</links>`}</metadata>` +
    `<criteria><Indicator operator="OR" id="${w.nextId()}">${branches.join('')}</Indicator></criteria>` +
    `<parameters/></OpenIOC>\n`;
  return { output: xml, issues };
}
