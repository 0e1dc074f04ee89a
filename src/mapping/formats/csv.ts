/** The csv format's entry of the format table (src/mapping/registry.ts). */
import { exportCsv, DEFAULT_EXPORT_MAPPING } from '../csv/export';
import { importCsv } from '../csv/import';
import type { FormatDefinition, StreamingExporter } from '../format-definition';

const csvStreaming: StreamingExporter = {
  begin: () => '',
  page: (objects, first, ctx) => {
    const mapping = ctx.csvMapping ?? DEFAULT_EXPORT_MAPPING;
    // The header row is written once, with the first page.
    return exportCsv(objects, { mapping: first ? mapping : { ...mapping, header: false } });
  },
  end: () => '',
};

export const definition: FormatDefinition = {
  format: 'csv',
  title: 'CSV',
  mediaType: 'text/csv; charset=utf-8',
  extension: 'csv',
  import: (input, ctx) => importCsv(input, ctx.csvMapping === undefined ? ctx : { ...ctx, mapping: ctx.csvMapping }),
  export: (objects, ctx) => exportCsv(objects, ctx.csvMapping === undefined ? {} : { mapping: ctx.csvMapping }),
  streaming: csvStreaming,
};
