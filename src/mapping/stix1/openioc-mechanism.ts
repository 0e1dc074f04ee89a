/**
 * An OpenIOC 2010 test mechanism of a STIX 1 indicator (`stix-openioc:OpenIOC2010TestMechanismType`): its `ioc`
 * document is converted by the OpenIOC importer (src/mapping/openioc/import.ts) and the STIX patterns it gives
 * become the indicator's pattern, alternatives joined by OR (the importer makes one indicator per top-level OR
 * branch). The reference elevator keeps the IOC as text with `pattern_type: openioc`; a STIX pattern can be
 * matched and exported by every consumer of the gateway.
 */
import { escapeXmlAttr, escapeXmlText, type XmlElement } from '../common/xml';
import { importOpenioc } from '../openioc/import';
import { issue, type ContentIssue } from '../../stix/issues';

/** The element and its descendants as XML text: local names, one default namespace per namespace change, unprefixed attributes. */
export function elementXml(el: XmlElement, parentNs?: string, ns: string = el.ns): string {
  const xmlns = ns !== parentNs ? ` xmlns="${escapeXmlAttr(ns)}"` : '';
  const attrs = [...el.attrs]
    .filter(([k]) => !k.includes(':') && k !== 'xmlns')
    .map(([k, v]) => ` ${k}="${escapeXmlAttr(v)}"`)
    .join('');
  const inner = el.children.length > 0 ? el.children.map((c) => elementXml(c, ns)).join('') : escapeXmlText(el.text);
  return `<${el.local}${xmlns}${attrs}>${inner}</${el.local}>`;
}

export interface MechanismPattern {
  readonly pattern: string | undefined;
  /** Terms the OpenIOC importer kept outside the pattern (`x_openioc_terms`), carried to the indicator. */
  readonly terms: unknown[];
  readonly issues: ContentIssue[];
}

/** The STIX pattern of an OpenIOC test mechanism, or undefined (reported) when none of its terms converts. */
export function openiocMechanismPattern(tm: XmlElement, now: string, objectId: string): MechanismPattern {
  const ioc = tm.children.find((c) => c.local === 'ioc' || c.local === 'OpenIOC');
  if (ioc === undefined) {
    return {
      pattern: undefined,
      terms: [],
      issues: [issue('warning', 'STIX1_TEST_MECHANISM_UNSUPPORTED', tm.path, 'OpenIOC test mechanism without an ioc document', objectId)],
    };
  }
  // The schema puts the `ioc` element itself in the test mechanism's namespace and its content in OpenIOC's.
  const r = importOpenioc(elementXml(ioc, undefined, ioc.children[0]?.ns ?? ioc.ns), { now });
  // The OpenIOC importer's issues name paths inside the IOC: they are re-anchored at the test mechanism.
  const issues: ContentIssue[] = r.issues.map((i) => ({ ...i, path: `${tm.path}${i.path === '/' ? '' : i.path}`, objectId }));
  const indicators = r.objects.filter((o) => o.type === 'indicator');
  // Unmapped terms sit on the indicators and, when no indicator holds them, on the importer's report.
  const terms = r.objects.flatMap((o) => (Array.isArray(o['x_openioc_terms']) ? (o['x_openioc_terms'] as unknown[]) : []));
  const patterns = indicators.flatMap((o) => (typeof o['pattern'] === 'string' ? [o['pattern']] : []));
  if (patterns.length === 0) {
    issues.push(
      issue('warning', 'STIX1_TEST_MECHANISM_UNSUPPORTED', tm.path, 'OpenIOC test mechanism has no term with a STIX 2.1 pattern', objectId),
    );
    return { pattern: undefined, terms, issues };
  }
  return { pattern: patterns.join(' OR '), terms, issues };
}
