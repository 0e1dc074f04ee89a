/**
 * STIX 1.x allows several `Description` elements per construct (ordered by their `ordinality` attribute; the
 * slider writes one per paragraph or extra property). STIX 2.1 has one `description`: every one is kept, in
 * order, separated by a blank line (before, only the first was read and the others were lost silently).
 */
import { type XmlElement, attr, children, textOf } from '../common/xml';

export function descriptionOf(el: XmlElement | undefined, ns: string): string | undefined {
  if (el === undefined) return undefined;
  const rank = (d: XmlElement, i: number): number => {
    const n = Number(attr(d, 'ordinality'));
    return Number.isFinite(n) ? n : i + 1;
  };
  const texts = children(el, ns, 'Description')
    .map((d, i) => ({ rank: rank(d, i), i, text: textOf(d) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .flatMap((d) => (d.text === undefined || d.text === '' ? [] : [d.text]));
  return texts.length === 0 ? undefined : texts.join('\n\n');
}
