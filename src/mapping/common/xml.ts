/**
 * A safe, namespace-aware XML reader for the XML-based native formats (STIX 1.x, OpenIOC).
 *
 * Safety: no entity expansion beyond the five predefined entities and character references (a DOCTYPE
 * declaring entities is refused outright, so billion-laughs documents never expand), bounded input size and
 * element depth. Well-formedness errors become one ContentIssue with the line and column.
 *
 * Namespaces: every element carries its namespace URI and local name, resolved through the in-scope xmlns
 * declarations, and `resolveQName` resolves QName-valued attributes such as `xsi:type` the same way, so
 * converters dispatch on URIs and never on the literal prefixes a file happens to use.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { issue, type ContentIssue } from '../../stix/issues';
import type { OutcomeCode } from '../../common/outcome-codes';

export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export interface XmlElement {
  /** The qualified name as written (`stix:Indicator`). */
  readonly name: string;
  /** Namespace URI ('' when the element is in no namespace). */
  readonly ns: string;
  readonly local: string;
  /** Attributes by qualified name as written, values decoded. */
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** Direct text content (text and CDATA, decoded, untrimmed). */
  readonly text: string;
  /** Element path for issues: `/stix:STIX_Package/stix:Indicators/stix:Indicator[2]`. */
  readonly path: string;
  /** In-scope namespace declarations: prefix ('' for the default namespace) → URI. */
  readonly scope: ReadonlyMap<string, string>;
}

export interface ParseXmlOptions {
  /** Format name used in error messages (`STIX 1.x`, `OpenIOC`). */
  readonly format: string;
  /** Largest accepted input in bytes (default 32 MiB). */
  readonly maxBytes?: number;
  /** Deepest accepted element nesting (default 256). */
  readonly maxDepth?: number;
}

export interface ParseXmlResult {
  readonly root?: XmlElement;
  readonly issues: ContentIssue[];
}

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 256;

/** Decodes the input: strips a BOM, honours UTF-16 BOMs, otherwise UTF-8. */
function decode(input: string | Buffer): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (input.length >= 2 && input[0] === 0xff && input[1] === 0xfe) return input.subarray(2).toString('utf16le');
  if (input.length >= 2 && input[0] === 0xfe && input[1] === 0xff) {
    const swapped = Buffer.from(input.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const text = input.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY_RE = /&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});/g;

/** Decodes the five predefined entities and character references; anything else is left as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY_RE, (m, body: string) => {
    if (body.startsWith('#x')) return safeCodePoint(parseInt(body.slice(2), 16)) ?? m;
    if (body.startsWith('#')) return safeCodePoint(parseInt(body.slice(1), 10)) ?? m;
    return PREDEFINED[body] ?? m;
  });
}

function safeCodePoint(cp: number): string | undefined {
  if (!Number.isFinite(cp) || cp < 1 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return String.fromCodePoint(cp);
}

/** Escapes text content for XML output. */
export function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value for XML output (double-quoted). */
export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, col: end - last };
}

/** A parse refused because of what stands at `offset` of the text: one error placed at its line and column. */
function refusedAt(text: string, offset: number, code: OutcomeCode, message: string): ParseXmlResult {
  const at = lineColumn(text, offset);
  return { issues: [issue('error', code, `line ${at.line}, column ${at.col}`, message)] };
}

type RawNode = Record<string, unknown>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ATTR_PREFIX = '@_';

/**
 * Parses an XML document. Never throws: malformed, oversized, too deep or entity-declaring input yields
 * one error issue (with `line L, column C` in its path when known) and no root.
 */
export function parseXml(input: string | Buffer, options: ParseXmlOptions): ParseXmlResult {
  const format = options.format;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > maxBytes) {
    return { issues: [issue('error', 'XML_TOO_LARGE', '/', `${format} document of ${size} bytes exceeds the limit of ${maxBytes} bytes`)] };
  }
  let text: string;
  try {
    text = decode(input);
  } catch {
    return { issues: [issue('error', 'XML_MALFORMED', '/', `${format} document is not decodable text`)] };
  }
  const nulAt = text.indexOf('\u0000');
  if (nulAt >= 0) return refusedAt(text, nulAt, 'XML_MALFORMED', `${format} document contains binary data (NUL character), not XML`);
  const entityAt = text.search(/<!ENTITY/i);
  if (entityAt >= 0) {
    return refusedAt(
      text,
      entityAt,
      'XML_ENTITY_DECLARATION',
      `${format} document declares DTD entities; entity expansion is refused (billion-laughs protection)`,
    );
  }
  if (text.trim() === '') return { issues: [issue('error', 'XML_MALFORMED', 'line 1, column 1', `${format} document is empty`)] };

  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    return {
      issues: [issue('error', 'XML_MALFORMED', `line ${line}, column ${col}`, `${format} document is not well-formed XML: ${msg}`)],
    };
  }
  let raw: unknown;
  try {
    const parser = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: ATTR_PREFIX,
      processEntities: false,
      htmlEntities: false,
      trimValues: false,
      parseTagValue: false,
      parseAttributeValue: false,
      cdataPropName: '#cdata',
      ignoreDeclaration: true,
      ignorePiTags: true,
      maxNestedTags: maxDepth,
    });
    raw = parser.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const code = /nested/i.test(message) ? 'XML_TOO_DEEP' : 'XML_MALFORMED';
    return { issues: [issue('error', code, '/', `${format} document could not be parsed: ${message.slice(0, 200)}`)] };
  }
  if (!Array.isArray(raw)) return { issues: [issue('error', 'XML_MALFORMED', '/', `${format} document has no root element`)] };
  const rootRaw = raw.find((n): n is RawNode => isRecord(n) && elementName(n) !== undefined);
  if (rootRaw === undefined)
    return { issues: [issue('error', 'XML_MALFORMED', 'line 1, column 1', `${format} document has no root element`)] };
  const issues: ContentIssue[] = [];
  const root = build(rootRaw, '', new Map([['xml', XML_NS]]), 1, maxDepth, issues);
  if (root === undefined) return { issues };
  return { root, issues };
}

/** The tag name of a preserveOrder node, or undefined for text/CDATA/comment nodes. */
function elementName(node: RawNode): string | undefined {
  for (const k of Object.keys(node)) {
    if (k !== ':@' && !k.startsWith('#') && !k.startsWith('?')) return k;
  }
  return undefined;
}

function textOfRaw(children: unknown): string {
  if (!Array.isArray(children)) return '';
  let out = '';
  for (const c of children) if (isRecord(c) && typeof c['#text'] === 'string') out += c['#text'];
  return out;
}

function build(
  node: RawNode,
  parentPath: string,
  parentScope: ReadonlyMap<string, string>,
  index: number,
  maxDepth: number,
  issues: ContentIssue[],
  depth = 1,
): XmlElement | undefined {
  const name = elementName(node);
  if (name === undefined) return undefined;
  const path = `${parentPath}/${name}${index > 1 ? `[${index}]` : ''}`;
  if (depth > maxDepth) {
    issues.push(issue('error', 'XML_TOO_DEEP', path, `element nesting deeper than ${maxDepth}`));
    return undefined;
  }
  const attrs = new Map<string, string>();
  const rawAttrs = node[':@'];
  if (isRecord(rawAttrs)) {
    for (const [k, v] of Object.entries(rawAttrs)) {
      if (k.startsWith(ATTR_PREFIX) && typeof v === 'string') attrs.set(k.slice(ATTR_PREFIX.length), decodeEntities(v));
    }
  }
  let scope: Map<string, string> | ReadonlyMap<string, string> = parentScope;
  for (const [k, v] of attrs) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      if (scope === parentScope) scope = new Map(parentScope);
      (scope as Map<string, string>).set(k === 'xmlns' ? '' : k.slice(6), v);
    }
  }
  const colon = name.indexOf(':');
  const prefix = colon >= 0 ? name.slice(0, colon) : '';
  const local = colon >= 0 ? name.slice(colon + 1) : name;
  const ns = scope.get(prefix) ?? '';
  if (prefix !== '' && !scope.has(prefix)) {
    issues.push(issue('warning', 'XML_UNDECLARED_PREFIX', path, `namespace prefix '${prefix}' is not declared`));
  }
  const children: XmlElement[] = [];
  let text = '';
  const rawChildren = node[name];
  if (Array.isArray(rawChildren)) {
    const counts = new Map<string, number>();
    for (const c of rawChildren) {
      if (!isRecord(c)) continue;
      if (typeof c['#text'] === 'string') {
        text += decodeEntities(c['#text']);
        continue;
      }
      if (c['#cdata'] !== undefined) {
        text += textOfRaw(c['#cdata']);
        continue;
      }
      const childName = elementName(c);
      if (childName === undefined) continue;
      const n = (counts.get(childName) ?? 0) + 1;
      counts.set(childName, n);
      const child = build(c, path, scope, n, maxDepth, issues, depth + 1);
      if (child !== undefined) children.push(child);
    }
  }
  return { name, ns, local, attrs, children, text, path, scope };
}

/** An attribute value by local name; `ns` selects a namespaced attribute (resolved through the scope). */
export function attr(el: XmlElement, local: string, ns?: string): string | undefined {
  if (ns === undefined) return el.attrs.get(local);
  for (const [k, v] of el.attrs) {
    const colon = k.indexOf(':');
    if (colon < 0) continue;
    if (k.slice(colon + 1) === local && el.scope.get(k.slice(0, colon)) === ns) return v;
  }
  return undefined;
}

export interface QName {
  readonly ns: string;
  readonly local: string;
}

/** Resolves a QName-valued attribute value (`tlpMarking:TLPMarkingStructureType`) through the element's scope. */
export function resolveQName(el: XmlElement, value: string): QName | undefined {
  const v = value.trim();
  const colon = v.indexOf(':');
  if (colon < 0) return { ns: el.scope.get('') ?? '', local: v };
  const ns = el.scope.get(v.slice(0, colon));
  return ns === undefined ? undefined : { ns, local: v.slice(colon + 1) };
}

/** The resolved `xsi:type` of an element. */
export function xsiType(el: XmlElement): QName | undefined {
  const v = attr(el, 'type', XSI_NS);
  return v === undefined ? undefined : resolveQName(el, v);
}

/** Child elements with the given namespace URI and local name (`ns` undefined = any namespace). */
export function children(el: XmlElement, ns: string | undefined, local: string): XmlElement[] {
  return el.children.filter((c) => c.local === local && (ns === undefined || c.ns === ns));
}

export function child(el: XmlElement, ns: string | undefined, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local && (ns === undefined || c.ns === ns));
}

/** Follows a path of local names within one namespace (or any, when `ns` is undefined). */
export function childPath(el: XmlElement, ns: string | undefined, ...locals: readonly string[]): XmlElement | undefined {
  let cur: XmlElement | undefined = el;
  for (const l of locals) {
    if (cur === undefined) return undefined;
    cur = child(cur, ns, l);
  }
  return cur;
}

/** Trimmed direct text of an element, or undefined when absent or blank. */
export function textOf(el: XmlElement | undefined): string | undefined {
  if (el === undefined) return undefined;
  const t = el.text.trim();
  return t === '' ? undefined : t;
}

/** All descendants (document order, iterative) matching a namespace and local name. */
export function descendants(el: XmlElement, ns: string | undefined, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  const stack: XmlElement[] = [...el.children].reverse();
  while (stack.length > 0) {
    const cur = stack.pop();
    if (cur === undefined) break;
    if (cur.local === local && (ns === undefined || cur.ns === ns)) out.push(cur);
    for (let i = cur.children.length - 1; i >= 0; i--) {
      const c = cur.children[i];
      if (c !== undefined) stack.push(c);
    }
  }
  return out;
}
