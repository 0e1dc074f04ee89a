/**
 * Maps a path in the composed value (as ajv's instancePath or a cross-check names it) back to the YAML node it
 * came from, so every config issue can point at a line and column.
 */
import { type Document, type LineCounter, type Node as YamlNode, isAlias, isMap, isScalar, isSeq } from 'yaml';

/** A path into the composed value: property names and array indexes. */
export type ValuePath = readonly (string | number)[];

/** Whether an issue points at the key of the last segment (unknown key) or at its value (bad value). */
export type PathTarget = 'key' | 'value';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Most steps followed through aliases, so a cyclic or deep alias chain cannot loop. */
const MAX_ALIAS_HOPS = 32;

/** `collections[2].readers[0]`: the spelling used in messages. */
export function formatValuePath(path: ValuePath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out === '' ? '(top level)' : out;
}

/** Splits an ajv instancePath (JSON pointer) into segments; numeric segments become indexes. */
export function pointerToPath(pointer: string): ValuePath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^(0|[1-9][0-9]{0,8})$/.test(seg) ? Number(seg) : seg;
    });
}

export class YamlLocator {
  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /** Position of a byte offset in the source (1-based line and column). */
  positionOfOffset(offset: number): Position {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  /**
   * Position of the node at `path`. When the path goes further than the document (a missing key), the
   * deepest existing node is used, which is the map that lacks the key.
   */
  locate(path: ValuePath, target: PathTarget = 'value'): Position {
    let current: unknown = this.doc.contents;
    let lastGood: YamlNode | undefined = this.asNode(current);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      current = this.deref(current);
      let keyNode: unknown;
      let valueNode: unknown;
      if (isMap(current) && typeof seg === 'string') {
        const pair = current.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
        if (!pair) break;
        keyNode = pair.key;
        valueNode = pair.value;
      } else if (isSeq(current) && typeof seg === 'number') {
        valueNode = current.items[seg];
        if (valueNode === undefined) break;
      } else {
        break;
      }
      const isLast = i === path.length - 1;
      if (isLast && target === 'key' && this.asNode(keyNode)) {
        lastGood = this.asNode(keyNode);
        break;
      }
      // `key:` with nothing after it has a null value without a useful position: fall back to the key.
      const value = this.asNode(valueNode);
      const hasExtent = value?.range !== undefined && value.range !== null && value.range[1] > value.range[0];
      lastGood = (hasExtent ? value : undefined) ?? this.asNode(keyNode) ?? value ?? lastGood;
      current = valueNode;
    }
    const start = lastGood?.range?.[0];
    return start === undefined ? { line: 1, column: 1 } : this.positionOfOffset(start);
  }

  private deref(node: unknown): unknown {
    let current = node;
    for (let hops = 0; hops < MAX_ALIAS_HOPS && isAlias(current); hops++) current = current.resolve(this.doc);
    return current;
  }

  private asNode(node: unknown): YamlNode | undefined {
    if (isScalar(node) || isMap(node) || isSeq(node) || isAlias(node)) {
      return node.range ? node : undefined;
    }
    return undefined;
  }
}
