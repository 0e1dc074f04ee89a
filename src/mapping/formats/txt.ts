/** The txt format's entry of the format table (src/mapping/registry.ts). */
import { exportTxt } from '../txt/export';
import { importTxt } from '../txt/import';
import type { FormatDefinition } from '../format-definition';

export const definition: FormatDefinition = {
  format: 'txt',
  title: 'plain text',
  mediaType: 'text/plain; charset=utf-8',
  extension: 'txt',
  import: (input, ctx) => importTxt(input, ctx.tlp === undefined ? ctx : { ...ctx, tlp: ctx.tlp }),
  export: (objects, ctx) => exportTxt(objects, { defang: ctx.defang === true }),
};
