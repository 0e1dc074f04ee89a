/**
 * A format's definition, loading only that format's converters: the offline CLI converts one small file per
 * process, and loading every converter (XML parser, MISP tables, STIX 1 mappings) was a large part of its
 * start-up. The same definitions as the registry's table (src/mapping/registry.ts), conformImport included.
 */
import { conforming, formatFacts, type FormatConverters, type FormatDefinition } from './format-definition';
import type { NativeFormat } from './types';

/** Each format's module under formats/, imported on first use. */
const LOADERS: Readonly<Record<NativeFormat, () => Promise<{ readonly converters: FormatConverters }>>> = {
  misp: () => import('./formats/misp'),
  stix1: () => import('./formats/stix1'),
  openioc: () => import('./formats/openioc'),
  csv: () => import('./formats/csv'),
  txt: () => import('./formats/txt'),
  stix20: () => import('./formats/stix20'),
  stix21: () => import('./formats/stix21'),
};

/** The definition of a format name as users type it (case-insensitive); undefined for unknown names. */
export async function loadFormat(name: string): Promise<FormatDefinition | undefined> {
  const facts = formatFacts(name);
  return facts === undefined ? undefined : conforming(facts, (await LOADERS[facts.format]()).converters);
}
