/**
 * Email values for the STIX 1 export whose CybOX form is structured (CybOX 2.1 EmailMessageObject):
 * - `received_lines[*]` (MISP's `email-header`) → `Header/Received_Lines/Received` with its From, By, Via, With,
 *   For, ID and Timestamp clauses, when the line is made of those clauses only; any other line stays a custom
 *   property (named `received_lines[*]`, reported with its value by the caller);
 * - `additional_header_fields.'Reply-To'` as a list → CybOX has one Reply_To: the first address is it, the others
 *   stay custom properties.
 */
/** One value of an object as export-cybox.ts places it (`CyboxItem` there; declared here to keep the import one-way). */
interface Item {
  readonly path: string;
  readonly text: string;
  readonly attrs: string;
  readonly group?: string;
}

/** RFC 5321 trace clauses in CybOX schema order, with their element names. */
const CLAUSES: readonly (readonly [string, string])[] = [
  ['from', 'From'],
  ['by', 'By'],
  ['via', 'Via'],
  ['with', 'With'],
  ['for', 'For'],
  ['id', 'ID'],
];
const CLAUSE_ELEMENT: ReadonlyMap<string, string> = new Map(CLAUSES);

/** The 2.1 path an element of a structured received line is placed under (see the email table in export-cybox.ts). */
export const receivedPath = (element: string): string => `received_lines[*].${element}`;

/** The element names of a received line, in schema order (the table entries of export-cybox.ts). */
export const RECEIVED_ELEMENTS: readonly string[] = [...CLAUSES.map(([, e]) => e), 'Timestamp'];

/** The position of the last `;` outside parentheses (the one before the date), or -1. */
function dateSeparator(line: string): number {
  let depth = 0;
  let at = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0) at = i;
  }
  return at;
}

/**
 * A received line split into its clauses (`from mail.example.com ([198.51.100.3]) by mx.example.org with ESMTPS id
 * 4711; Tue, 19 Jul 2016 07:20:40 -0700`), or undefined when some text belongs to no clause, a clause repeats or is
 * empty, or the date is not one: such a line is kept whole.
 */
export function parseReceivedLine(line: string): ReadonlyMap<string, string> | undefined {
  const sep = dateSeparator(line);
  const head = sep < 0 ? line : line.slice(0, sep);
  const words = head.split(/(\s+)/);
  const out = new Map<string, string>();
  let depth = 0;
  let current: string | undefined;
  let value = '';
  const close = (): boolean => {
    if (current === undefined) return value.trim() === '';
    const v = value.trim();
    if (v === '' || out.has(current)) return false;
    out.set(current, v);
    return true;
  };
  for (const w of words) {
    const element = depth === 0 ? CLAUSE_ELEMENT.get(w.toLowerCase()) : undefined;
    if (element !== undefined) {
      if (!close()) return undefined;
      current = element;
      value = '';
    } else value += w;
    for (const c of w) depth = c === '(' ? depth + 1 : c === ')' ? Math.max(0, depth - 1) : depth;
  }
  if (!close() || out.size === 0) return undefined;
  if (sep >= 0) {
    const stamp = Date.parse(
      line
        .slice(sep + 1)
        .replace(/\([^()]*\)/g, '')
        .trim(),
    );
    if (Number.isNaN(stamp)) return undefined;
    out.set('Timestamp', new Date(stamp).toISOString());
  }
  return out;
}

/**
 * An email message's items with the structured forms above: each parsed received line becomes one item per
 * clause (grouped by line), and a Reply-To list keeps its first address in the CybOX Reply_To.
 */
export function emailItems<T extends Item>(items: readonly T[]): Item[] {
  let line = 0;
  let replyTo = false;
  return items.flatMap((item): Item[] => {
    if (item.path === "additional_header_fields.'Reply-To'[*]" && !replyTo) {
      replyTo = true;
      return [{ ...item, path: "additional_header_fields.'Reply-To'" }];
    }
    if (item.path !== 'received_lines[*]') return [item];
    const parts = parseReceivedLine(item.text);
    if (parts === undefined) return [item];
    const group = `received${line++}.`;
    return RECEIVED_ELEMENTS.flatMap((e) => {
      const text = parts.get(e);
      return text === undefined ? [] : [{ path: receivedPath(e), text, attrs: item.attrs, group }];
    });
  });
}
