/**
 * The one table of native formats: for each, its importer, its exporter, the media type and file extension
 * of its documents, and whether its export can be written page by page (one file per format under
 * formats/). The HTTP import/export endpoints and the samples report go through this table, so a format is
 * added in one place; the offline CLI loads only the formats it is asked for (load-format.ts).
 */
import { conforming, type FormatDefinition } from './format-definition';
import { definition as misp } from './formats/misp';
import { definition as stix1 } from './formats/stix1';
import { definition as openioc } from './formats/openioc';
import { definition as csv } from './formats/csv';
import { definition as txt } from './formats/txt';
import { definition as stix20 } from './formats/stix20';
import { definition as stix21 } from './formats/stix21';

export { FORMATS, type ExportContext, type FormatDefinition, type ImportContext, type StreamingExporter } from './format-definition';

const BY_NAME = new Map<string, FormatDefinition>([misp, stix1, openioc, csv, txt, stix20, stix21].map((d) => [d.format, conforming(d)]));

/** The definition of a format name as users type it (case-insensitive); undefined for unknown names. */
export function formatDefinition(name: string): FormatDefinition | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}
