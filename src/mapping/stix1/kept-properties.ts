/**
 * CybOX properties of an OBSERVED object that STIX 2.1 has no property for (a file's `File_Format`,
 * `Peak_Entropy`, `Packer_List`, a PE's `Resources/VersionInfoResource`, header entropy: what a US-CERT MAR
 * writes) are kept on the SCO as custom properties (STIX 2.1 §11.1): `x_` + the element name in snake case, a
 * leaf as its text, an element with children as an object of its leaves (`x_resources.version_info_resource.
 * file_version`). They are facts for observed objects only: a pattern comparing a custom property would match
 * nothing, so in indicators they stay reported (`STIX1_PROPERTY_UNMAPPED`). An element whose leaves repeat a path
 * (two `Packer` entries) is not kept (one value would hide the other) and stays reported.
 */
import { type XmlElement, textOf } from '../common/xml';

/** A `Fact` of cybox-objects.ts (declared here in its shape, so that the import stays one-way). */
interface KeptFact {
  readonly root: string;
  readonly path: readonly string[];
  readonly values: readonly string[];
  readonly condition: undefined;
  readonly applyCondition: 'ANY';
  readonly valueType: 'string';
  readonly at: string;
  readonly instanceOnly: true;
}

/** `VersionInfoResource` / `Peak_Entropy` → `version_info_resource` / `peak_entropy`. */
export function snakeName(local: string): string {
  return local
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

const MAX_LEAVES = 200;

/** The text leaves under an element, each with its path of snake-case names below the element. */
function leaves(el: XmlElement): { path: string[]; el: XmlElement }[] {
  const out: { path: string[]; el: XmlElement }[] = [];
  const stack: { el: XmlElement; path: string[] }[] = [{ el, path: [] }];
  while (stack.length > 0 && out.length <= MAX_LEAVES) {
    const cur = stack.pop();
    if (cur === undefined) break;
    const elementChildren = cur.el.children;
    if (elementChildren.length === 0) {
      if (textOf(cur.el) !== undefined) out.push(cur);
      continue;
    }
    for (const c of [...elementChildren].reverse()) stack.push({ el: c, path: [...cur.path, snakeName(c.local)] });
  }
  return out;
}

/**
 * The unmapped elements as instance-only `x_` facts of `root`. Returns the facts and, per kept element, its
 * name and the custom property it went to (for the issue that says so).
 */
export function keptAsCustom(
  root: string,
  elements: readonly { readonly name: string; readonly el: XmlElement }[],
): { facts: KeptFact[]; kept: Map<string, string> } {
  const facts: KeptFact[] = [];
  const kept = new Map<string, string>();
  for (const { name, el } of elements) {
    const prop = `x_${snakeName(name.replace(/\//g, '_'))}`;
    if (prop === 'x_' || kept.has(name)) continue;
    const found = leaves(el);
    const keys = found.map((l) => l.path.join('.'));
    if (
      found.length === 0 ||
      found.length > MAX_LEAVES ||
      new Set(keys).size !== keys.length ||
      keys.some((k) => k !== '' && k.split('.').includes(''))
    )
      continue;
    for (const l of found) {
      const text = textOf(l.el) ?? '';
      facts.push({
        root,
        path: [prop, ...l.path],
        values: [text],
        condition: undefined,
        applyCondition: 'ANY',
        valueType: 'string',
        at: l.el.path,
        instanceOnly: true,
      });
    }
    kept.set(name, prop);
  }
  return { facts, kept };
}
