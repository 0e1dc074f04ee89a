/**
 * The one table of native formats, every converter loaded: for each format, its facts (one table in
 * format-definition.ts) and its converters (one module per format under formats/). The HTTP import/export
 * endpoints and the samples report go through this table, so a format is added in one place; the offline CLI
 * loads only the formats it is asked for (load-format.ts).
 */
import { conforming, formatFacts, FORMATS, type FormatConverters, type FormatDefinition } from './format-definition';
import { converters as misp } from './formats/misp';
import { converters as stix1 } from './formats/stix1';
import { converters as openioc } from './formats/openioc';
import { converters as csv } from './formats/csv';
import { converters as txt } from './formats/txt';
import { converters as stix20 } from './formats/stix20';
import { converters as stix21 } from './formats/stix21';
import type { NativeFormat } from './types';

export { FORMATS, type ExportContext, type FormatDefinition, type ImportContext, type StreamingExporter } from './format-definition';

const CONVERTERS: Readonly<Record<NativeFormat, FormatConverters>> = { misp, stix1, openioc, csv, txt, stix20, stix21 };

const BY_NAME = new Map<string, FormatDefinition>(
  FORMATS.flatMap((format) => {
    const facts = formatFacts(format);
    return facts === undefined ? [] : [[format, conforming(facts, CONVERTERS[format])] as const];
  }),
);

/** The definition of a format name as users type it (case-insensitive); undefined for unknown names. */
export function formatDefinition(name: string): FormatDefinition | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}
