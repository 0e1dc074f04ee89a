/**
 * Marking structures the importer has no mapping for: the US-CERT ISA markings (`ISAMarkingsType`,
 * `ISAMarkingsAssertionType` of CISA's EDH2 cyber profile: policy, authority, access privileges, further
 * sharing, control set such as `CLS:U FD:AIS FD:FOUO`) and any other. They FAIL CLOSED: the objects they mark get
 * TLP:RED (an unmarked object would be stored at the collection's default TLP and could reach readers the
 * source's own rules exclude), and the structure's content is kept as a statement marking so that no term of it
 * is lost. Both are said by the caller's issue.
 */
import { type XmlElement, textOf } from '../common/xml';

const MAX_STATEMENT = 4000;

/** `name=value` for every attribute (but xsi:type) and text leaf of the structure, in document order. */
function terms(el: XmlElement): string[] {
  const out: string[] = [];
  const stack: XmlElement[] = [el];
  while (stack.length > 0 && out.length < 200) {
    const cur = stack.pop();
    if (cur === undefined) break;
    for (const [name, value] of cur.attrs) {
      if (!/(^|:)type$/.test(name) && !name.startsWith('xmlns') && value.trim() !== '') out.push(`${cur.local}@${name}=${value.trim()}`);
    }
    const text = cur.children.length === 0 ? textOf(cur) : undefined;
    if (text !== undefined) out.push(`${cur.local}=${text}`);
    for (const c of [...cur.children].reverse()) stack.push(c);
  }
  return out;
}

/** The statement text kept for an unmapped structure: its type and every term (bounded). */
export function unknownMarkingStatement(ms: XmlElement, typeName: string): string {
  const text = `${typeName}: ${terms(ms).join('; ')}`;
  return text.length > MAX_STATEMENT ? `${text.slice(0, MAX_STATEMENT)}…` : text;
}
