/**
 * A format's definition, loading only that format's converters: the offline CLI converts one small file per
 * process, and loading every converter (XML parser, MISP tables, STIX 1 mappings) was a large part of its
 * start-up. The same definitions as the registry's table (src/mapping/registry.ts), conformImport included.
 */
import { conforming, type FormatDefinition } from './format-definition';

async function definitionOf(format: string): Promise<FormatDefinition | undefined> {
  switch (format) {
    case 'misp':
      return (await import('./formats/misp')).definition;
    case 'stix1':
      return (await import('./formats/stix1')).definition;
    case 'openioc':
      return (await import('./formats/openioc')).definition;
    case 'csv':
      return (await import('./formats/csv')).definition;
    case 'txt':
      return (await import('./formats/txt')).definition;
    case 'stix20':
      return (await import('./formats/stix20')).definition;
    case 'stix21':
      return (await import('./formats/stix21')).definition;
    default:
      return undefined;
  }
}

/** The definition of a format name as users type it (case-insensitive); undefined for unknown names. */
export async function loadFormat(name: string): Promise<FormatDefinition | undefined> {
  const d = await definitionOf(name.trim().toLowerCase());
  return d === undefined ? undefined : conforming(d);
}
