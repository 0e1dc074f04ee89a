/** The csv format's converters; its facts (title, media type, extension) are in src/mapping/format-definition.ts. */
import { exportCsv, DEFAULT_EXPORT_MAPPING } from '../csv/export';
import { importCsv } from '../csv/import';
import type { FormatConverters, StreamingExporter } from '../format-definition';

const csvStreaming: StreamingExporter = {
  begin: () => '',
  page: (objects, first, ctx) => {
    const mapping = ctx.csvMapping ?? DEFAULT_EXPORT_MAPPING;
    // The header row is written once, with the first page.
    return exportCsv(objects, { mapping: first ? mapping : { ...mapping, header: false } });
  },
  end: () => '',
};

export const converters: FormatConverters = {
  import: (input, ctx) => importCsv(input, ctx.csvMapping === undefined ? ctx : { ...ctx, mapping: ctx.csvMapping }),
  export: (objects, ctx) => exportCsv(objects, ctx.csvMapping === undefined ? {} : { mapping: ctx.csvMapping }),
  streaming: csvStreaming,
};
